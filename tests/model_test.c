/* Unit test for analyzer/facts/model.c: what a name or expression means at a place in a
 * file. Each case is a small module parsed and modelled as the per-file driver does
 * (pass 1: aa_model_build on the parsed file); a probe is an expression statement ending
 * in `# ?TAG`, evaluated with aa_model_eval in the scope the walk gives it. Covers
 * imports (plain, dotted, aliased, relative, in a package), aliases, shadowing by
 * assignment and parameters, global and nonlocal, nested scopes, class attributes,
 * `self.x`, star imports. Exit 0 = pass (tests/check.h). */
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/facts/model.h"
#include "analyzer/input/source.h"
#include "parsers/python/parse.h"
#include "parsers/python/syms.h"
#include "parsers/python/walk.h"
#include "tests/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The grammar and a parser, for every file of the test. */
struct env {
	struct aa_syms syms;
	TSParser *parser; /* owned */
};

/* One modelled file. */
struct file {
	const struct env *env; /* borrowed */
	struct aa_source src;
	struct aa_parsed parsed;
	struct aa_model *model; /* owned */
};

static void file_open(struct file *f, const struct env *env, const char *module, bool is_package, const char *text)
{
	size_t len = strlen(text);
	char *copy = aa_xmalloc(len + 1);
	memcpy(copy, text, len + 1);
	struct aa_source_error err;
	f->env = env;
	if (aa_source_from_bytes(&f->src, copy, len, &err) != AA_SOURCE_OK ||
	    aa_parse(env->parser, &f->src, &f->parsed) < 0 || f->parsed.has_error) {
		fprintf(stderr, "model_test: cannot parse module %s:\n%s\n", module, text);
		exit(2);
	}
	f->model = aa_model_build(&f->src, &env->syms, &f->parsed, module, is_package);
}

static void file_close(struct file *f)
{
	aa_model_free(f->model);
	aa_parsed_release(&f->parsed);
	aa_source_release(&f->src);
}

/* The walk's view of one byte range: the deepest named node spanning exactly it, and
 * the scope that node is evaluated in. */
struct find {
	uint32_t start, end;
	TSNode node;
	uint32_t scope;
};

static void find_enter(void *ud, TSNode node, uint32_t scope, uint32_t inner, const struct aa_walk_state *ws)
{
	(void)inner;
	(void)ws;
	struct find *fd = ud;
	if (ts_node_is_named(node) && ts_node_start_byte(node) == fd->start && ts_node_end_byte(node) == fd->end) {
		fd->node = node;
		fd->scope = scope;
	}
}

/* The probe tagged `# ?tag`: its expression node and scope. Exits 2 when the test's own
 * source has no such probe. */
static struct find probe(const struct file *f, const char *tag)
{
	char mark[64];
	snprintf(mark, sizeof(mark), "  # ?%s\n", tag);
	const char *text = f->src.text;
	const char *at = strstr(text, mark);
	if (!at) {
		fprintf(stderr, "model_test: no probe '%s'\n", tag);
		exit(2);
	}
	const char *line = at;
	while (line > text && line[-1] != '\n')
		line--;
	while (*line == ' ')
		line++;
	struct find fd = { .start = (uint32_t)(line - text), .end = (uint32_t)(at - text), .scope = AA_NO_SCOPE };
	struct aa_walk_visitor v = { .ud = &fd, .enter = find_enter };
	aa_walk(&f->parsed, &f->env->syms, &v);
	if (ts_node_is_null(fd.node)) {
		fprintf(stderr, "model_test: probe '%s' is not an expression\n", tag);
		exit(2);
	}
	return fd;
}

static const char *kind_name(enum aa_meaning_kind k)
{
	switch (k) {
	case AA_MEANING_UNKNOWN: return "UNKNOWN";
	case AA_MEANING_NAME: return "NAME";
	case AA_MEANING_INSTANCE: return "INSTANCE";
	case AA_MEANING_FUNCTION: return "FUNCTION";
	case AA_MEANING_CLASS: return "CLASS";
	}
	return "?";
}

/* Checks what probe `tag` means: kind, and qualname unless kind is UNKNOWN. */
#define EXPECT(t, f, tag, kind, qualname) expect((t), __LINE__, (f), (tag), (kind), (qualname))
static void expect(struct check *t, int line, struct file *f, const char *tag, enum aa_meaning_kind kind,
		   const char *qualname)
{
	struct find fd = probe(f, tag);
	struct aa_meaning m = aa_model_eval(f->model, fd.scope, fd.node);
	char what[128];
	snprintf(what, sizeof(what), "?%s `%.*s`", tag, (int)(fd.end - fd.start), f->src.text + fd.start);
	const char *got = m.kind == AA_MEANING_UNKNOWN ? NULL : m.qualname;
	if (m.kind == kind && (kind == AA_MEANING_UNKNOWN || (got && !strcmp(got, qualname))))
		check_pass(t);
	else
		check_fail_at(t, __FILE__, line, "%s: expected %s%s%s, got %s%s%s", what, kind_name(kind),
			      qualname ? " " : "", qualname ? qualname : "", kind_name(m.kind), got ? " " : "",
			      got ? got : "");
}

static void imports(struct check *t, const struct env *env)
{
	struct file f;
	file_open(&f, env, "app.pkg.mod", false,
		  "import a.b\n"
		  "import a.b.c as abc\n"
		  "from x import y as z\n"
		  "from x.y import w, v as vv\n"
		  "from . import sib\n"
		  "from .sub import thing\n"
		  "from .. import up\n"
		  "from ..other.deep import far as f2\n"
		  "a  # ?a\n"
		  "a.b.c  # ?a.b.c\n"
		  "abc  # ?abc\n"
		  "abc.d  # ?abc.d\n"
		  "z  # ?z\n"
		  "w  # ?w\n"
		  "vv  # ?vv\n"
		  "sib  # ?sib\n"
		  "thing  # ?thing\n"
		  "up  # ?up\n"
		  "f2  # ?f2\n"
		  "b  # ?b\n"
		  "len  # ?builtin\n");
	EXPECT(t, &f, "a", AA_MEANING_NAME, "a");
	EXPECT(t, &f, "a.b.c", AA_MEANING_NAME, "a.b.c");
	EXPECT(t, &f, "abc", AA_MEANING_NAME, "a.b.c");
	EXPECT(t, &f, "abc.d", AA_MEANING_NAME, "a.b.c.d");
	EXPECT(t, &f, "z", AA_MEANING_NAME, "x.y");
	EXPECT(t, &f, "w", AA_MEANING_NAME, "x.y.w");
	EXPECT(t, &f, "vv", AA_MEANING_NAME, "x.y.v");
	/* Relative to the module's package, app.pkg. */
	EXPECT(t, &f, "sib", AA_MEANING_NAME, "app.pkg.sib");
	EXPECT(t, &f, "thing", AA_MEANING_NAME, "app.pkg.sub.thing");
	EXPECT(t, &f, "up", AA_MEANING_NAME, "app.up");
	EXPECT(t, &f, "f2", AA_MEANING_NAME, "app.other.deep.far");
	/* `import a.b` binds a, not b; an unbound name is a builtin. */
	EXPECT(t, &f, "b", AA_MEANING_NAME, "builtins.b");
	EXPECT(t, &f, "builtin", AA_MEANING_NAME, "builtins.len");
	CHECK_BOOL(t, "imports a", true, aa_model_imports(f.model, "a"));
	CHECK_BOOL(t, "imports a.b", true, aa_model_imports(f.model, "a.b"));
	CHECK_BOOL(t, "imports x (from x import y)", true, aa_model_imports(f.model, "x"));
	CHECK_BOOL(t, "imports ab (a prefix of no import)", false, aa_model_imports(f.model, "ab"));
	CHECK_BOOL(t, "imports trio", false, aa_model_imports(f.model, "trio"));
	file_close(&f);

	/* In a package's __init__ the package is the module itself. */
	file_open(&f, env, "app.pkg", true,
		  "from . import sib\n"
		  "from .sub import thing\n"
		  "from .. import up\n"
		  "sib  # ?sib\n"
		  "thing  # ?thing\n"
		  "up  # ?up\n");
	EXPECT(t, &f, "sib", AA_MEANING_NAME, "app.pkg.sib");
	EXPECT(t, &f, "thing", AA_MEANING_NAME, "app.pkg.sub.thing");
	EXPECT(t, &f, "up", AA_MEANING_NAME, "app.up");
	file_close(&f);

	/* Above the top package: not a name anything can resolve to. */
	file_open(&f, env, "top", false,
		  "from .. import gone\n"
		  "gone  # ?gone\n");
	struct find fd = probe(&f, "gone");
	struct aa_meaning m = aa_model_eval(f.model, fd.scope, fd.node);
	CHECK(t, m.kind == AA_MEANING_UNKNOWN || (m.kind == AA_MEANING_NAME && m.qualname[0] == '.'),
	      "`from .. import gone` in module top: got %s %s", kind_name(m.kind), m.qualname ? m.qualname : "");
	file_close(&f);
}

static void aliases_and_shadowing(struct check *t, const struct env *env)
{
	struct file f;
	file_open(&f, env, "m", false,
		  "import time\n"
		  "import json\n"
		  "import os\n"
		  "sleep = time.sleep\n"
		  "nap = sleep\n"
		  "json = json.loads('1')\n"
		  "a = b = os.getcwd\n"
		  "loop = first\n"
		  "first = loop\n"
		  "def f(time):\n"
		  "    time  # ?param\n"
		  "def g(time: Clock):\n"
		  "    time  # ?annotated param\n"
		  "def h():\n"
		  "    time  # ?global import\n"
		  "    sleep = os.sleep\n"
		  "    sleep  # ?local alias\n"
		  "def k():\n"
		  "    time = 5\n"
		  "    time  # ?local value\n"
		  "def l():\n"
		  "    global time\n"
		  "    time  # ?global statement\n"
		  "def n(sleep=None):\n"
		  "    sleep  # ?default param\n"
		  "class Clock:\n"
		  "    pass\n"
		  "sleep  # ?alias\n"
		  "nap  # ?alias of alias\n"
		  "json  # ?rebound\n"
		  "a  # ?chained a\n"
		  "b  # ?chained b\n"
		  "loop  # ?cycle\n");
	EXPECT(t, &f, "alias", AA_MEANING_NAME, "time.sleep");
	EXPECT(t, &f, "alias of alias", AA_MEANING_NAME, "time.sleep");
	/* Two bindings that disagree (a module, then what json.loads returns): unknown. */
	EXPECT(t, &f, "rebound", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "chained a", AA_MEANING_NAME, "os.getcwd");
	EXPECT(t, &f, "chained b", AA_MEANING_NAME, "os.getcwd");
	EXPECT(t, &f, "cycle", AA_MEANING_UNKNOWN, NULL);
	/* A parameter shadows the module's import; an annotated one is an instance. */
	EXPECT(t, &f, "param", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "annotated param", AA_MEANING_INSTANCE, "m.Clock");
	EXPECT(t, &f, "default param", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "global import", AA_MEANING_NAME, "time");
	EXPECT(t, &f, "local alias", AA_MEANING_NAME, "os.sleep");
	EXPECT(t, &f, "local value", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "global statement", AA_MEANING_NAME, "time");
	file_close(&f);

	/* `x = None` is neutral: the other binding decides. */
	file_open(&f, env, "m", false,
		  "import requests\n"
		  "session = None\n"
		  "def setup():\n"
		  "    global session\n"
		  "    session = requests.Session()\n"
		  "client = None\n"
		  "client = requests.Session()\n"
		  "client  # ?after None\n"
		  "requests.Session()  # ?call\n");
	EXPECT(t, &f, "after None", AA_MEANING_INSTANCE, "requests.Session");
	EXPECT(t, &f, "call", AA_MEANING_INSTANCE, "requests.Session");
	file_close(&f);

	/* One star import names the unbound names; two make them unknown. */
	file_open(&f, env, "m", false,
		  "from time import *\n"
		  "sleep  # ?star\n");
	EXPECT(t, &f, "star", AA_MEANING_NAME, "time.sleep");
	file_close(&f);
	file_open(&f, env, "m", false,
		  "from time import *\n"
		  "from os import *\n"
		  "sleep  # ?two stars\n");
	EXPECT(t, &f, "two stars", AA_MEANING_UNKNOWN, NULL);
	file_close(&f);
}

static void nested_scopes(struct check *t, const struct env *env)
{
	struct file f;
	file_open(&f, env, "m", false,
		  "import os\n"
		  "x = os.getcwd\n"
		  "def outer():\n"
		  "    y = os.path\n"
		  "    def inner():\n"
		  "        y  # ?enclosing function\n"
		  "        x  # ?module\n"
		  "        inner  # ?own name\n"
		  "    class K:\n"
		  "        z = y\n"
		  "        z  # ?class body\n"
		  "        def meth(self):\n"
		  "            z  # ?class variable from a method\n"
		  "            y  # ?enclosing function past a class\n"
		  "            K  # ?enclosing class\n"
		  "    inner  # ?nested def\n"
		  "    K  # ?nested class\n"
		  "def counter():\n"
		  "    sep = os.sep\n"
		  "    def bump():\n"
		  "        nonlocal sep\n"
		  "        sep  # ?nonlocal\n"
		  "outer  # ?module def\n");
	EXPECT(t, &f, "enclosing function", AA_MEANING_NAME, "os.path");
	EXPECT(t, &f, "module", AA_MEANING_NAME, "os.getcwd");
	EXPECT(t, &f, "own name", AA_MEANING_FUNCTION, "m.outer.<locals>.inner");
	EXPECT(t, &f, "class body", AA_MEANING_NAME, "os.path");
	EXPECT(t, &f, "class variable from a method", AA_MEANING_NAME, "builtins.z");
	EXPECT(t, &f, "enclosing function past a class", AA_MEANING_NAME, "os.path");
	EXPECT(t, &f, "enclosing class", AA_MEANING_CLASS, "m.outer.<locals>.K");
	EXPECT(t, &f, "nested def", AA_MEANING_FUNCTION, "m.outer.<locals>.inner");
	EXPECT(t, &f, "nested class", AA_MEANING_CLASS, "m.outer.<locals>.K");
	EXPECT(t, &f, "nonlocal", AA_MEANING_NAME, "os.sep");
	EXPECT(t, &f, "module def", AA_MEANING_FUNCTION, "m.outer");

	/* Every scope's qualified name, as Python's __qualname__ (with the module). */
	struct aa_buf got = AA_BUF_INIT;
	for (uint32_t i = 0; i < aa_model_scope_count(f.model); i++)
		aa_buf_addf(&got, "%s\n", aa_model_scope(f.model, i)->qualname);
	CHECK_STR(t, "scope qualnames",
		  "m\n"
		  "m.outer\n"
		  "m.outer.<locals>.inner\n"
		  "m.outer.<locals>.K\n"
		  "m.outer.<locals>.K.meth\n"
		  "m.counter\n"
		  "m.counter.<locals>.bump\n",
		  got.data);
	aa_buf_release(&got);
	file_close(&f);
}

static void collect_attr(void *ud, const char *cls, const char *name, uint32_t len, struct aa_meaning m)
{
	aa_buf_addf(ud, "%s.%.*s: %s\n", cls, (int)len, name, m.qualname);
}

static void classes(struct check *t, const struct env *env)
{
	struct file f;
	file_open(&f, env, "pkg.db", false,
		  "import asyncio\n"
		  "import requests\n"
		  "from pkg.core import Core\n"
		  "class Repo:\n"
		  "    lock = asyncio.Lock()\n"
		  "    core: Core\n"
		  "    def __init__(self, conn: 'Conn'):\n"
		  "        self.session = requests.Session()\n"
		  "        self.conn = conn\n"
		  "        self.twice = requests.Session()\n"
		  "    def reset(self):\n"
		  "        self.twice = asyncio.Lock()\n"
		  "    def use(self):\n"
		  "        self  # ?self\n"
		  "        self.session  # ?self.session\n"
		  "        self.conn  # ?self.conn\n"
		  "        self.lock  # ?class attribute\n"
		  "        self.core  # ?annotated class attribute\n"
		  "        self.twice  # ?two types\n"
		  "        self.missing  # ?missing\n"
		  "        self.use  # ?method\n"
		  "        lock  # ?class scope skipped\n"
		  "        Repo  # ?class\n"
		  "        Repo()  # ?instance\n"
		  "        inner = lambda: self.session\n"
		  "        def nested():\n"
		  "            self.session  # ?self in nested def\n"
		  "    @staticmethod\n"
		  "    def st(self):\n"
		  "        self  # ?staticmethod first parameter\n"
		  "    def rebinds(self):\n"
		  "        self = other\n"
		  "        self.session  # ?rebound self\n"
		  "class Conn:\n"
		  "    pass\n"
		  "lock  # ?module lock\n");
	EXPECT(t, &f, "self", AA_MEANING_INSTANCE, "pkg.db.Repo");
	EXPECT(t, &f, "self.session", AA_MEANING_INSTANCE, "requests.Session");
	EXPECT(t, &f, "self.conn", AA_MEANING_INSTANCE, "pkg.db.Conn");
	EXPECT(t, &f, "class attribute", AA_MEANING_INSTANCE, "asyncio.Lock");
	EXPECT(t, &f, "annotated class attribute", AA_MEANING_INSTANCE, "pkg.core.Core");
	EXPECT(t, &f, "two types", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "missing", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "method", AA_MEANING_UNKNOWN, NULL);
	/* Class bodies are not enclosing scopes of their methods. */
	EXPECT(t, &f, "class scope skipped", AA_MEANING_NAME, "builtins.lock");
	EXPECT(t, &f, "class", AA_MEANING_CLASS, "pkg.db.Repo");
	EXPECT(t, &f, "instance", AA_MEANING_INSTANCE, "pkg.db.Repo");
	EXPECT(t, &f, "self in nested def", AA_MEANING_INSTANCE, "requests.Session");
	EXPECT(t, &f, "staticmethod first parameter", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "rebound self", AA_MEANING_UNKNOWN, NULL);
	EXPECT(t, &f, "module lock", AA_MEANING_NAME, "builtins.lock");

	/* The attributes with a known type, as the summary records them: class-level and
	 * `self.x` ones; not methods, not `twice` (two types). */
	struct aa_buf got = AA_BUF_INIT;
	aa_model_each_class_attr(f.model, collect_attr, &got);
	CHECK_LINES(t, "class attributes",
		    "pkg.db.Repo.conn: pkg.db.Conn\n"
		    "pkg.db.Repo.core: pkg.core.Core\n"
		    "pkg.db.Repo.lock: asyncio.Lock\n"
		    "pkg.db.Repo.session: requests.Session\n",
		    got.data);
	aa_buf_release(&got);
	file_close(&f);
}

int main(void)
{
	struct check t = CHECK_INIT("model_test");
	struct env env;
	const char *missing;
	if (aa_syms_init(&env.syms, tree_sitter_python(), &missing)) {
		fprintf(stderr, "model_test: the grammar lacks %s\n", missing);
		return 2;
	}
	env.parser = ts_parser_new();
	if (!env.parser || !ts_parser_set_language(env.parser, env.syms.lang)) {
		fprintf(stderr, "model_test: cannot set up the parser\n");
		return 2;
	}
	imports(&t, &env);
	aliases_and_shadowing(&t, &env);
	nested_scopes(&t, &env);
	classes(&t, &env);
	ts_parser_delete(env.parser);
	return check_done(&t);
}
