/* Unit test for the project index's resolution (analyzer/index/index.h): what a call
 * reference lands on (aa_index_resolve_ref) across the summaries of a small project
 * built through the per-file driver (tests/summaries.h): re-exports through a package's
 * __init__ and aliases of them, module aliases, relative imports, import cycles (they
 * terminate and resolve), methods through project base classes in resolution order
 * (index.h: depth-first, left to right), super(), and an inheritance cycle; which
 * coroutine functions run alone on a loop of their own (aa_index_runs_alone): chains from
 * a fresh run, recursion with and without a root, spawning callees, other uses.
 * Exit 0 = pass (tests/check.h). */
#include "analyzer/index/index.h"
#include "analyzer/index/index_impl.h"
#include "tests/check.h"
#include "tests/summaries.h"

#include <stdio.h>
#include <string.h>

/* The qualified name of the function ref lands on, or NULL; *receiver_name the class it
 * was looked up from, or NULL. */
static const char *resolve(struct aa_index *x, struct aa_ref ref, const char **receiver_name)
{
	uint32_t receiver;
	uint32_t f = aa_index_resolve_ref(x, &ref, &receiver);
	*receiver_name = receiver == NONE ? NULL : x->classes[receiver].c->qualname;
	return f == NONE ? NULL : x->funcs[f].f->qualname;
}

/* Check that a reference resolves to the function want (NULL: to nothing): a name, a
 * method on an instance of cls (or of the class a function cls returns), or
 * super().method in a method of cls. */
#define EXPECT_NAME(t, x, want, name) \
	expect_ref((t), __LINE__, (x), (struct aa_ref){ AA_REF_NAME, (name), NULL, NULL }, (want))
#define EXPECT_METHOD(t, x, want, cls, method) \
	expect_ref((t), __LINE__, (x), (struct aa_ref){ AA_REF_METHOD, (cls), (method), NULL }, (want))
#define EXPECT_SUPER(t, x, want, cls, method) \
	expect_ref((t), __LINE__, (x), (struct aa_ref){ AA_REF_SUPER, (cls), (method), NULL }, (want))
static void expect_ref(struct check *t, int line, struct aa_index *x, struct aa_ref ref, const char *want)
{
	static const char *const kinds[] = { "NAME", "METHOD", "SUPER", "CHAIN" };
	char what[256];
	snprintf(what, sizeof(what), "%s %s%s%s", kinds[ref.kind], ref.name, ref.method ? "." : "",
		 ref.method ? ref.method : "");
	const char *receiver;
	check_str_at(t, __FILE__, line, what, want, resolve(x, ref, &receiver));
}

/* Checks the class a method reference on an instance of cls was looked up from. */
#define EXPECT_RECEIVER(t, x, want, cls, method) \
	expect_receiver((t), __LINE__, (x), (struct aa_ref){ AA_REF_METHOD, (cls), (method), NULL }, (want))
static void expect_receiver(struct check *t, int line, struct aa_index *x, struct aa_ref ref, const char *want)
{
	char what[256];
	snprintf(what, sizeof(what), "receiver of %s.%s", ref.name, ref.method ? ref.method : "");
	const char *receiver;
	resolve(x, ref, &receiver);
	check_str_at(t, __FILE__, line, what, want, receiver);
}

/* Checks that the first call the function func of sum makes (call: its text, for the
 * message) resolves to want (NULL: to nothing), named as the summarizer names it. */
#define EXPECT_CALL(t, s, x, want, sum, func, call) \
	expect_ref((t), __LINE__, (x), summaries_call_ref((s), (sum), (func)), (want))

static void reexports_and_imports(struct check *t)
{
	struct summaries s;
	summaries_init(&s);
	summaries_add(&s, "pkg", true,
		      "from .db import save, load as fetch, Repo\n"
		      "from . import db\n"
		      "from .sub.impl import work\n");
	summaries_add(&s, "pkg.db", false,
		      "def save():\n"
		      "    pass\n"
		      "async def load():\n"
		      "    pass\n"
		      "class Repo:\n"
		      "    def get(self):\n"
		      "        pass\n"
		      "def make() -> Repo:\n"
		      "    return Repo()\n");
	summaries_add(&s, "pkg.api", false,
		      "from pkg import save as store, fetch\n"
		      "import pkg.db as database\n"
		      "from pkg import Repo as R\n"
		      "keep = store\n");
	summaries_add(&s, "pkg.sub", true, "");
	summaries_add(&s, "pkg.sub.impl", false,
		      "def work():\n"
		      "    pass\n");
	summaries_add(&s, "pkg.sub.mod", false,
		      "from .impl import work\n"
		      "from ..db import save as base_save\n"
		      "from .. import api\n");
	struct aa_index *x = aa_index_new(s.sums, s.n);

	/* Defined names, and what is not there. */
	EXPECT_NAME(t, x, "pkg.db.save", "pkg.db.save");
	EXPECT_NAME(t, x, "pkg.db.Repo.get", "pkg.db.Repo.get");
	EXPECT_NAME(t, x, NULL, "pkg.db.missing");
	EXPECT_NAME(t, x, NULL, "pkg.db.Repo.missing");
	EXPECT_NAME(t, x, NULL, "pkg.db");
	EXPECT_NAME(t, x, NULL, "other.save");
	/* Re-exported by the package's __init__, under its name and an alias. */
	EXPECT_NAME(t, x, "pkg.db.save", "pkg.save");
	EXPECT_NAME(t, x, "pkg.db.load", "pkg.fetch");
	EXPECT_NAME(t, x, "pkg.db.Repo.get", "pkg.Repo.get");
	EXPECT_NAME(t, x, "pkg.sub.impl.work", "pkg.work");
	/* Through two modules: an alias of a re-export, and an alias of that. */
	EXPECT_NAME(t, x, "pkg.db.save", "pkg.api.store");
	EXPECT_NAME(t, x, "pkg.db.save", "pkg.api.keep");
	EXPECT_NAME(t, x, "pkg.db.load", "pkg.api.fetch");
	EXPECT_NAME(t, x, "pkg.db.Repo.get", "pkg.api.R.get");
	/* A module under another name (`import pkg.db as database`), while the package's
	 * __init__ exports it as itself (`from . import db`: pkg.db = pkg.db). Regression:
	 * that export made resolve() answer nothing instead of the module. */
	EXPECT_NAME(t, x, "pkg.db.save", "pkg.api.database.save");
	EXPECT_NAME(t, x, "pkg.db.save", "pkg.sub.mod.api.database.save");
	/* Relative imports, from a module of a subpackage. */
	EXPECT_NAME(t, x, "pkg.sub.impl.work", "pkg.sub.mod.work");
	EXPECT_NAME(t, x, "pkg.db.save", "pkg.sub.mod.base_save");
	/* A method on an instance of a class named through a re-export, or made by a
	 * function whose return annotation names the class. */
	EXPECT_METHOD(t, x, "pkg.db.Repo.get", "pkg.Repo", "get");
	EXPECT_METHOD(t, x, "pkg.db.Repo.get", "pkg.db.make", "get");
	EXPECT_RECEIVER(t, x, "pkg.db.Repo", "pkg.api.R", "get");
	EXPECT_METHOD(t, x, NULL, "pkg.db.save", "get");
	aa_index_free(x);
	summaries_release(&s);
}

static void cycles(struct check *t)
{
	struct summaries s;
	summaries_init(&s);
	/* Two modules that import each other. */
	summaries_add(&s, "pkg.a", false,
		      "from pkg.b import g\n"
		      "from pkg.b import loop as loop\n"
		      "def f():\n"
		      "    return g()\n");
	summaries_add(&s, "pkg.b", false,
		      "from pkg.a import f\n"
		      "from pkg.a import loop\n"
		      "def g():\n"
		      "    return f()\n");
	/* Classes that inherit from each other, across the two files. */
	summaries_add(&s, "pkg.c", false,
		      "from pkg.d import Y\n"
		      "class X(Y):\n"
		      "    def x(self):\n"
		      "        pass\n");
	summaries_add(&s, "pkg.d", false,
		      "from pkg.c import X\n"
		      "class Y(X):\n"
		      "    def y(self):\n"
		      "        pass\n");
	struct aa_index *x = aa_index_new(s.sums, s.n);
	EXPECT_NAME(t, x, "pkg.b.g", "pkg.a.g");
	EXPECT_NAME(t, x, "pkg.a.f", "pkg.b.f");
	/* A name each module takes from the other: nothing, and no endless loop. */
	EXPECT_NAME(t, x, NULL, "pkg.a.loop");
	EXPECT_NAME(t, x, NULL, "pkg.b.loop");
	/* The calls f and g make, as the summarizer names them. */
	EXPECT_CALL(t, &s, x, "pkg.b.g", s.sums[0], "pkg.a.f", "g()");
	EXPECT_CALL(t, &s, x, "pkg.a.f", s.sums[1], "pkg.b.g", "f()");
	EXPECT_METHOD(t, x, "pkg.d.Y.y", "pkg.c.X", "y");
	EXPECT_METHOD(t, x, "pkg.c.X.x", "pkg.d.Y", "x");
	EXPECT_METHOD(t, x, NULL, "pkg.c.X", "z");
	aa_index_free(x);
	summaries_release(&s);
}

static void inheritance(struct check *t)
{
	struct summaries s;
	summaries_init(&s);
	summaries_add(&s, "pkg", true, "from .base import Left\n");
	struct aa_summary *base = summaries_add(&s, "pkg.base", false,
		"class Left:\n"
		"    def m(self):\n"
		"        pass\n"
		"    def left(self):\n"
		"        pass\n"
		"class Right:\n"
		"    def m(self):\n"
		"        pass\n"
		"    def right(self):\n"
		"        pass\n"
		"class Both(Left, Right):\n"
		"    pass\n"
		"class Flipped(Right, Left):\n"
		"    pass\n"
		"class Sub(Both):\n"
		"    def right(self):\n"
		"        pass\n"
		"class Over(Both):\n"
		"    def m(self):\n"
		"        return super().m()\n"
		"    def right(self):\n"
		"        return super().right()\n"
		"    def own(self):\n"
		"        return super().own()\n");
	summaries_add(&s, "pkg.models", false,
		      "from pkg import Left\n"
		      "from pkg.base import Sub as S\n"
		      "class Model(Left):\n"
		      "    pass\n"
		      "class Deep(S):\n"
		      "    def left(self):\n"
		      "        return super().left()\n");
	struct aa_index *x = aa_index_new(s.sums, s.n);
	/* The leftmost base that defines the method wins. */
	EXPECT_METHOD(t, x, "pkg.base.Left.m", "pkg.base.Both", "m");
	EXPECT_METHOD(t, x, "pkg.base.Right.m", "pkg.base.Flipped", "m");
	EXPECT_METHOD(t, x, "pkg.base.Right.right", "pkg.base.Both", "right");
	EXPECT_METHOD(t, x, "pkg.base.Left.left", "pkg.base.Flipped", "left");
	/* The class's own definition first, then its bases, then theirs. */
	EXPECT_METHOD(t, x, "pkg.base.Sub.right", "pkg.base.Sub", "right");
	EXPECT_METHOD(t, x, "pkg.base.Left.m", "pkg.base.Sub", "m");
	EXPECT_NAME(t, x, "pkg.base.Left.m", "pkg.base.Sub.m");
	EXPECT_METHOD(t, x, "pkg.base.Over.m", "pkg.base.Over", "m");
	EXPECT_RECEIVER(t, x, "pkg.base.Sub", "pkg.base.Sub", "m");
	/* Bases in other files, named through a re-export and an alias. */
	EXPECT_METHOD(t, x, "pkg.base.Left.m", "pkg.models.Model", "m");
	EXPECT_METHOD(t, x, "pkg.base.Sub.right", "pkg.models.Deep", "right");
	EXPECT_METHOD(t, x, "pkg.models.Deep.left", "pkg.models.Deep", "left");
	EXPECT_METHOD(t, x, NULL, "pkg.models.Model", "right");
	/* super(): the same order, without the class itself; as the summaries record it. */
	EXPECT_SUPER(t, x, "pkg.base.Left.m", "pkg.base.Over", "m");
	EXPECT_SUPER(t, x, "pkg.base.Right.m", "pkg.base.Flipped", "m");
	EXPECT_SUPER(t, x, NULL, "pkg.base.Left", "m");
	EXPECT_CALL(t, &s, x, "pkg.base.Left.m", base, "pkg.base.Over.m", "super().m()");
	EXPECT_CALL(t, &s, x, "pkg.base.Right.right", base, "pkg.base.Over.right", "super().right()");
	EXPECT_CALL(t, &s, x, NULL, base, "pkg.base.Over.own", "super().own()");
	EXPECT_CALL(t, &s, x, "pkg.base.Left.left", s.sums[2], "pkg.models.Deep.left", "super().left()");
	struct aa_ref ref = summaries_call_ref(&s, base, "pkg.base.Over.m");
	CHECK_INT(t, "super().m() is recorded as a SUPER reference", AA_REF_SUPER, ref.kind);
	aa_index_free(x);
	summaries_release(&s);
}

/* 1 when the function named q runs alone, 0 when not, -1 when the index has no such
 * function. */
static int alone(struct aa_index *x, const char *q)
{
	for (size_t f = 0; f < x->n_funcs; f++)
		if (!strcmp(x->funcs[f].f->qualname, q))
			return aa_index_runs_alone(x, (uint32_t)f);
	return -1;
}

static void runs_alone(struct check *t)
{
	struct summaries s;
	summaries_init(&s);
	summaries_add(&s, "app", true, "");
	summaries_add(&s, "app.jobs", false,
		      "import asyncio\n"
		      "async def main():\n    await step()\n"
		      "async def step():\n    await helper()\n"
		      "async def helper():\n    pass\n"
		      "async def walk(n):\n    await walk(n - 1)\n"
		      "async def crawl(n):\n    await crawl(n - 1)\n"
		      "async def ping():\n    await pong()\n"
		      "async def pong():\n    await ping()\n"
		      "async def served():\n    pass\n"
		      "async def spawner():\n    asyncio.create_task(other())\n"
		      "async def other():\n    pass\n"
		      "async def after_spawn():\n    await spawner()\n"
		      "def handler():\n    asyncio.ensure_future(served())\n");
	summaries_add(&s, "app.cli", false,
		      "import asyncio\n"
		      "from app.jobs import main, walk, after_spawn, served\n"
		      "def cli():\n"
		      "    asyncio.run(main())\n"
		      "    asyncio.run(walk(3))\n"
		      "    asyncio.run(after_spawn())\n"
		      "    asyncio.run(served())\n");
	struct aa_index *x = aa_index_new(s.sums, s.n);
	CHECK_INT(t, "a fresh run's coroutine runs alone", 1, alone(x, "app.jobs.main"));
	CHECK_INT(t, "what it awaits runs alone", 1, alone(x, "app.jobs.step"));
	CHECK_INT(t, "at any depth", 1, alone(x, "app.jobs.helper"));
	CHECK_INT(t, "a recursion a fresh run starts runs alone", 1, alone(x, "app.jobs.walk"));
	CHECK_INT(t, "a recursion nothing starts does not", 0, alone(x, "app.jobs.crawl"));
	CHECK_INT(t, "nor a cycle of two", 0, alone(x, "app.jobs.ping"));
	CHECK_INT(t, "nor its other half", 0, alone(x, "app.jobs.pong"));
	CHECK_INT(t, "a coroutine also scheduled elsewhere does not", 0, alone(x, "app.jobs.served"));
	CHECK_INT(t, "one that starts a task does not", 0, alone(x, "app.jobs.spawner"));
	CHECK_INT(t, "nor one that awaits it", 0, alone(x, "app.jobs.after_spawn"));
	CHECK_INT(t, "nor a sync function", 0, alone(x, "app.cli.cli"));
	aa_index_free(x);
	summaries_release(&s);
}

int main(void)
{
	struct check t = CHECK_INIT("index_test");
	reexports_and_imports(&t);
	cycles(&t);
	inheritance(&t);
	runs_alone(&t);
	return check_done(&t);
}
