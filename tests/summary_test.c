/* Unit test for what a file contributes to the project index (analyzer/facts/summary.h),
 * as the per-file driver builds it from small in-memory modules (tests/summaries.h):
 * functions (qualified name, async, coroutine, opaque, return class), classes and their
 * bases, exports (re-exports and aliases) and attributes with known types. Each list is
 * compared whole, one entry a line, in any order. Exit 0 = pass (tests/check.h). */
#include "analyzer/base/buf.h"
#include "analyzer/facts/import_scan.h"
#include "analyzer/facts/summary.h"
#include "tests/check.h"
#include "tests/summaries.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "qualname [async] [coroutine] [opaque] [-> returns]" for each function. */
static void list_funcs(const struct aa_summary *sum, struct aa_buf *out)
{
	for (size_t i = 0; i < sum->n_funcs; i++) {
		const struct aa_sum_func *f = &sum->funcs[i];
		aa_buf_addf(out, "%s%s%s%s%s%s\n", f->qualname, f->is_async ? " async" : "",
			    f->is_coroutine ? " coroutine" : "", f->opaque ? " opaque" : "", f->returns ? " -> " : "",
			    f->returns ? f->returns : "");
	}
}

/* "qualname(base, ...)" for each class; "?" for a base the file could not name. */
static void list_classes(const struct aa_summary *sum, struct aa_buf *out)
{
	for (size_t i = 0; i < sum->n_classes; i++) {
		const struct aa_sum_class *c = &sum->classes[i];
		aa_buf_addf(out, "%s(", c->qualname);
		for (uint32_t b = 0; b < c->n_bases; b++) {
			const char *base = sum->bases[c->first_base + b];
			aa_buf_addf(out, "%s%s", b ? ", " : "", base ? base : "?");
		}
		aa_buf_adds(out, ")\n");
	}
}

static void list_exports(const struct aa_summary *sum, struct aa_buf *out)
{
	for (size_t i = 0; i < sum->n_exports; i++)
		aa_buf_addf(out, "%s = %s\n", sum->exports[i].name, sum->exports[i].target);
}

static void list_attrs(const struct aa_summary *sum, struct aa_buf *out)
{
	for (size_t i = 0; i < sum->n_attrs; i++)
		aa_buf_addf(out, "%s: %s\n", sum->attrs[i].name, sum->attrs[i].type);
}

/* Checks one list of sum, made by lister, against want (its lines in any order). */
#define EXPECT_LIST(t, what, sum, lister, want) expect_list((t), __LINE__, (what), (sum), (lister), (want))
static void expect_list(struct check *t, int line, const char *what, const struct aa_summary *sum,
			void (*lister)(const struct aa_summary *, struct aa_buf *), const char *want)
{
	struct aa_buf got = AA_BUF_INIT;
	lister(sum, &got);
	check_lines_at(t, __FILE__, line, what, want, got.data);
	aa_buf_release(&got);
}

static void functions(struct check *t, struct summaries *s)
{
	struct aa_summary *sum = summaries_add(s, "pkg.db", false,
		"import functools\n"
		"import requests\n"
		"from pkg.util import deco\n"
		"async def fetch():\n"
		"    await other()\n"
		"async def stream():\n"
		"    yield 1\n"
		"def plain():\n"
		"    pass\n"
		"@deco\n"
		"async def wrapped():\n"
		"    pass\n"
		"@deco()\n"
		"def wrapped_sync():\n"
		"    pass\n"
		"@functools.lru_cache\n"
		"def cached():\n"
		"    pass\n"
		"def make() -> 'Repo':\n"
		"    return Repo()\n"
		"def session() -> requests.Session:\n"
		"    return requests.Session()\n"
		"def outer():\n"
		"    async def inner():\n"
		"        pass\n"
		"    return inner\n"
		"class Repo:\n"
		"    async def load(self):\n"
		"        pass\n"
		"    @staticmethod\n"
		"    async def build():\n"
		"        pass\n"
		"    @property\n"
		"    def name(self):\n"
		"        pass\n"
		"    async def rows(self):\n"
		"        async def gen():\n"
		"            yield 1\n"
		"        return gen\n");
	CHECK_STR(t, "path", "pkg.db.py", sum->path);
	CHECK_STR(t, "module", "pkg.db", sum->module);
	CHECK_BOOL(t, "is_package", false, sum->is_package);
	CHECK_BOOL(t, "imports_only", false, sum->imports_only);
	EXPECT_LIST(t, "funcs", sum, list_funcs,
		    "pkg.db.Repo.build async coroutine\n"
		    "pkg.db.Repo.load async coroutine\n"
		    "pkg.db.Repo.name opaque\n"
		    "pkg.db.Repo.rows async coroutine\n"
		    "pkg.db.Repo.rows.<locals>.gen async\n"
		    "pkg.db.cached\n"
		    "pkg.db.fetch async coroutine\n"
		    "pkg.db.make -> pkg.db.Repo\n"
		    "pkg.db.outer\n"
		    "pkg.db.outer.<locals>.inner async coroutine\n"
		    "pkg.db.plain\n"
		    "pkg.db.session\n"
		    "pkg.db.stream async\n"
		    "pkg.db.wrapped async coroutine opaque\n"
		    "pkg.db.wrapped_sync opaque\n");
	CHECK_UINT(t, "n_funcs", 15, sum->n_funcs);
	/* The span is the def's name. */
	for (size_t i = 0; i < sum->n_funcs; i++)
		if (!strcmp(sum->funcs[i].qualname, "pkg.db.fetch")) {
			CHECK_UINT(t, "fetch: line", 4, sum->funcs[i].span.line);
			CHECK_UINT(t, "fetch: column", 11, sum->funcs[i].span.col);
			CHECK_STR(t, "fetch: module", "pkg.db", sum->funcs[i].module);
		}
}

static void classes(struct check *t, struct summaries *s)
{
	struct aa_summary *sum = summaries_add(s, "pkg.models", false,
		"import abc\n"
		"import pkg.other\n"
		"from pkg.base import Base as B\n"
		"from typing import Generic, TypeVar\n"
		"T = TypeVar('T')\n"
		"class Plain:\n"
		"    pass\n"
		"class Child(B, pkg.other.Mixin, metaclass=abc.ABCMeta):\n"
		"    pass\n"
		"class Local(Plain):\n"
		"    class Inner(Child):\n"
		"        pass\n"
		"class Typed(Generic[T], make_base()):\n"
		"    pass\n"
		"def factory():\n"
		"    class Made(Plain):\n"
		"        pass\n"
		"    return Made\n");
	EXPECT_LIST(t, "classes", sum, list_classes,
		    "pkg.models.Child(pkg.base.Base, pkg.other.Mixin)\n"
		    "pkg.models.Local(pkg.models.Plain)\n"
		    "pkg.models.Local.Inner(pkg.models.Child)\n"
		    "pkg.models.Plain()\n"
		    "pkg.models.Typed(?, ?)\n"
		    "pkg.models.factory.<locals>.Made(pkg.models.Plain)\n");
}

static void exports(struct check *t, struct summaries *s)
{
	struct aa_summary *sum = summaries_add(s, "pkg", true,
		"import os\n"
		"import pkg.db\n"
		"from . import util\n"
		"from .db import save, load as fetch_all\n"
		"from .sub.deep import thing\n"
		"from pkg.core import Core as CoreAlias\n"
		"save_all = save\n"
		"def local():\n"
		"    pass\n"
		"alias_local = local\n"
		"class C:\n"
		"    pass\n"
		"CC = C\n"
		"number = 1\n"
		"session = os.getcwd()\n"
		"def shadow():\n"
		"    hidden = save\n");
	CHECK_BOOL(t, "__init__ is_package", true, sum->is_package);
	/* Module-level names bound to something named: imports and aliases, also of local
	 * defs under another name; not a def under its own name, not a value. */
	EXPECT_LIST(t, "exports", sum, list_exports,
		    "pkg.CC = pkg.C\n"
		    "pkg.CoreAlias = pkg.core.Core\n"
		    "pkg.alias_local = pkg.local\n"
		    "pkg.fetch_all = pkg.db.load\n"
		    "pkg.os = os\n"
		    "pkg.pkg = pkg\n"
		    "pkg.save = pkg.db.save\n"
		    "pkg.save_all = pkg.db.save\n"
		    "pkg.thing = pkg.sub.deep.thing\n"
		    "pkg.util = pkg.util\n");
}

static void attrs(struct check *t, struct summaries *s)
{
	struct aa_summary *sum = summaries_add(s, "pkg.sys", false,
		"import asyncio\n"
		"from pkg.core import Core\n"
		"from pkg import db\n"
		"class Repo:\n"
		"    pass\n"
		"class Sys:\n"
		"    core: Core\n"
		"    lock = asyncio.Lock()\n"
		"    shared = Repo()\n"
		"    def __init__(self, store: 'db.Store'):\n"
		"        self.repo = Repo()\n"
		"        self.store = store\n"
		"        self.loop = asyncio.get_event_loop()\n"
		"        self.count = 0\n"
		"    def later(self):\n"
		"        self.repo = Repo()\n"
		"        self.late = Core()\n");
	/* Only project types: asyncio.Lock and the loop are not the index's business. */
	EXPECT_LIST(t, "attrs", sum, list_attrs,
		    "pkg.sys.Sys.core: pkg.core.Core\n"
		    "pkg.sys.Sys.late: pkg.core.Core\n"
		    "pkg.sys.Sys.repo: pkg.sys.Repo\n"
		    "pkg.sys.Sys.shared: pkg.sys.Repo\n"
		    "pkg.sys.Sys.store: pkg.db.Store\n");
}

static bool keep_all(void *ud, const char *name)
{
	(void)ud;
	(void)name;
	return true;
}

/* A frozen summary (aa_summary_freeze) holds what it held: its strings join its block
 * unless a record holds data (which may point into its arena), and the per-file driver
 * freezes what it makes. */
static void frozen(struct check *t, struct summaries *s)
{
	static const char text[] = "import pkg.db as db\nfrom pkg.net import get, put as send\n";
	for (int with_record = 0; with_record < 2; with_record++) {
		struct aa_summary *sum = aa_summary_new("pkg/m.py", "pkg.m", false, 2);
		aa_import_scan(sum, text, strlen(text), keep_all, NULL);
		int *data = aa_xmalloc(sizeof(int));
		*data = 42;
		if (with_record)
			sum->records[1] = (struct aa_sum_record){ data, free };
		else
			free(data);
		sum = aa_summary_freeze(sum);
		CHECK(t, sum->frozen && (with_record ? sum->n_records == 2 && !sum->records[0].data
						      : !sum->n_records && !sum->records),
		      "frozen, with its records only when one holds data (%d)", with_record);
		CHECK(t, with_record ? sum->arena.blocks != NULL : sum->arena.blocks == NULL,
		      "the strings stay in the arena only with a record (%d)", with_record);
		CHECK(t, !with_record || *(int *)sum->records[1].data == 42, "a record's data is kept");
		CHECK_STR(t, "a frozen path", "pkg/m.py", sum->path);
		CHECK_STR(t, "a frozen module", "pkg.m", sum->module);
		CHECK_UINT(t, "frozen imports", 3, sum->n_imports);
		if (sum->n_imports == 3) {
			CHECK_STR(t, "a frozen import", "pkg.db", sum->imports[0].name);
			CHECK_STR(t, "its bound name", "db", sum->imports[0].bound);
			CHECK_STR(t, "the last import", "pkg.net.put", sum->imports[2].name);
			CHECK_STR(t, "its alias", "send", sum->imports[2].bound);
		}
		aa_summary_free(sum);
	}
	struct aa_summary *sum = summaries_add(s, "pkg.frozen", false, "async def f():\n    return 1\n");
	CHECK(t, sum->frozen, "the per-file driver freezes the summaries it makes");
	/* How the file starts and awaits coroutines (loop_uses.h) is frozen with it. */
	sum = summaries_add(s, "pkg.runs", false,
			    "import asyncio\n"
			    "from pkg.jobs import step\n"
			    "async def main():\n    await step()\n    await asyncio.sleep(1)\n"
			    "def cli():\n    asyncio.run(main())\n    register(main)\n");
	CHECK(t, sum->frozen, "frozen");
	CHECK_UINT(t, "one await of project code", 1, sum->n_awaits);
	if (sum->n_awaits == 1) {
		CHECK_STR(t, "its callee", "pkg.jobs.step", sum->awaits[0].ref.name);
		CHECK_STR(t, "its caller", "pkg.runs.main", sum->funcs[sum->awaits[0].caller].qualname);
	}
	CHECK_UINT(t, "one fresh run", 1, sum->n_fresh_runs);
	if (sum->n_fresh_runs == 1)
		CHECK_STR(t, "of main", "pkg.runs.main", sum->fresh_runs[0].name);
	bool main_used = false, sleep_used = false, sorted = true;
	uint32_t hm = aa_sum_name_hash("main", 4), hs = aa_sum_name_hash("sleep", 5);
	for (size_t i = 0; i < sum->n_uses; i++) {
		main_used |= sum->uses[i] == hm;
		sleep_used |= sum->uses[i] == hs;
		sorted &= !i || sum->uses[i - 1] < sum->uses[i];
	}
	CHECK(t, main_used, "main is used (passed to register), beside its fresh run");
	CHECK(t, sleep_used, "an await whose callee is no project code is a use of its name");
	CHECK(t, sorted, "the uses are sorted and distinct");
	/* Start-up hooks (lifecycle.h): registered by name, by decorator, by convention. */
	sum = summaries_add(s, "pkg.hooks", false,
			    "from contextlib import asynccontextmanager\n"
			    "@asynccontextmanager\nasync def lifespan(app):\n    yield\n"
			    "@app.on_event(\"startup\")\nasync def warm():\n    pass\n"
			    "@app.get(\"/\")\nasync def index():\n    pass\n"
			    "async def on_startup(app):\n    pass\n"
			    "api = FastAPI(lifespan=lifespan)\napp.on_startup.append(on_startup)\n");
	CHECK_UINT(t, "two hooks registered by name", 2, sum->n_hooks);
	if (sum->n_hooks == 2) {
		CHECK_STR(t, "the lifespan", "pkg.hooks.lifespan", sum->hooks[0].name);
		CHECK_STR(t, "the aiohttp signal's", "pkg.hooks.on_startup", sum->hooks[1].name);
	}
	CHECK_UINT(t, "four functions", 4, sum->n_funcs);
	if (sum->n_funcs == 4) {
		CHECK(t, !sum->funcs[0].decorated && !sum->funcs[0].hook, "asynccontextmanager registers nothing");
		CHECK(t, !sum->funcs[1].decorated && sum->funcs[1].hook, "on_event(\"startup\") registers a hook");
		CHECK(t, sum->funcs[2].decorated && !sum->funcs[2].hook, "a route is no hook");
	}
	uint32_t hl = aa_sum_name_hash("lifespan", 8), ho = aa_sum_name_hash("on_startup", 10);
	bool hook_used = false;
	for (size_t i = 0; i < sum->n_uses; i++)
		hook_used |= sum->uses[i] == hl || sum->uses[i] == ho;
	CHECK(t, !hook_used, "a registration is no use of the hook's name, nor of the list it joins");
}

/* A summary no import can reach is needed only for what its own file links: a class,
 * a deferred finding, a record. */
static void needed(struct check *t)
{
	static const struct { const char *module; bool want; } cases[] = {
		{ "pkg.m", true }, { "_m", true }, { "caf\xC3\xA9", true }, { "m0", true },
		{ "0", false }, { "0001_initial", false }, { "my-script", false }, { "a b", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct aa_summary *sum = aa_summary_new("f.py", cases[i].module, false, 1);
		CHECK(t, aa_summary_needed(sum) == cases[i].want, "module '%s' needed: %d", cases[i].module,
		      cases[i].want);
		if (!cases[i].want) {
			int *data = aa_xmalloc(sizeof(int));
			sum->records[0] = (struct aa_sum_record){ data, free };
			CHECK(t, aa_summary_needed(sum), "module '%s' with a record is needed", cases[i].module);
		}
		aa_summary_free(sum);
	}
	struct summaries s;
	summaries_init(&s);
	/* Made by the per-file driver: a class (subclasses are found by their bases) keeps it. */
	struct aa_summary *cls = summaries_add(&s, "7", false, "import pkg\nclass C(pkg.Base):\n    pass\n");
	CHECK(t, cls->n_classes == 1 && aa_summary_needed(cls), "an unreachable module with a class is needed");
	summaries_release(&s);
}

int main(void)
{
	struct check t = CHECK_INIT("summary_test");
	struct summaries s;
	summaries_init(&s);
	functions(&t, &s);
	classes(&t, &s);
	exports(&t, &s);
	attrs(&t, &s);
	frozen(&t, &s);
	needed(&t);
	summaries_release(&s);
	return check_done(&t);
}
