/*
 * AA603 async-test-in-sync-testcase: an `async def test*` method of a class whose bases
 * resolve to unittest.TestCase itself. unittest calls it, gets a coroutine, drops it:
 * the test body never runs and the test passes.
 */
#include "rules/testing/pytest_config.h"
#include "rules/testing/test_syntax.h"
#include "rules/rules.h"

#include <string.h>

extern const struct aa_rule aa_rule_async_test_in_sync_testcase;

/* Only decorators that keep the method a coroutine function and run nothing: anything
 * else may run the coroutine itself (an `async_test` helper). */
static bool plain_decorators(struct aa_ctx *ctx, TSNode decorated)
{
	TSNode d;
	for (uint32_t i = 0; !ts_node_is_null(d = aa_test_decorator(ctx, decorated, i)); i++) {
		enum aa_test_deco k = aa_test_deco_of(ctx, d);
		if (k != AA_DECO_KEEPS && k != AA_DECO_MARK)
			return false;
	}
	return true;
}

/* Is the file one that a pytest project's configuration keeps pytest from collecting
 * (aa_pytest_excluded)? Only asked with a finding in hand, once per file (*state: -1 not
 * asked yet, else the answer). Without a pytest configuration (or a conftest.py that
 * lists collect_ignore) the project may run its tests with unittest: not excluded. */
static bool excluded(struct aa_ctx *ctx, int *state)
{
	if (*state < 0) {
		struct aa_pytest_config cfg;
		aa_pytest_config_load(&cfg, aa_ctx_path(ctx));
		*state = (cfg.has_config || cfg.n_conftests) && aa_pytest_excluded(&cfg, aa_ctx_path(ctx), false);
		aa_pytest_config_release(&cfg);
	}
	return *state;
}

static void check_class(struct aa_ctx *ctx, TSNode cls, TSNode decorated, int *excluded_state)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_test_class info;
	aa_test_class_of(ctx, cls, decorated, &info);
	if (info.bases != AA_BASES_UNITTEST || info.marks.unknown || info.marks.asyncio || info.marks.anyio ||
	    info.marks.trio)
		return;
	uint32_t len;
	TSNode cname = ts_node_child_by_field_id(cls, s->f.name);
	const char *ctext = aa_ctx_text(ctx, cname, &len);
	int clen = (int)len;
	TSNode body = ts_node_child_by_field_id(cls, s->f.body);
	uint32_t n = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
	for (uint32_t i = 0; i < n; i++) {
		TSNode dec;
		TSNode def = aa_test_definition(ctx, ts_node_named_child(body, i), &dec);
		if (ts_node_is_null(def) || ts_node_symbol(def) != s->function_definition || !aa_test_is_async(ctx, def))
			continue;
		TSNode name = ts_node_child_by_field_id(def, s->f.name);
		const char *t = aa_ctx_text(ctx, name, &len);
		/* unittest's loader collects methods starting with "test". */
		if (len < 4 || memcmp(t, "test", 4) || !plain_decorators(ctx, dec) || excluded(ctx, excluded_state))
			continue;
		aa_ctx_report(ctx, &aa_rule_async_test_in_sync_testcase, def,
			      "async test `%.*s` in `%.*s`, a unittest.TestCase: unittest never awaits it, so it passes "
			      "without running; derive from unittest.IsolatedAsyncioTestCase",
			      (int)len, t, clen, ctext);
	}
}

static void check(struct aa_ctx *ctx, TSNode module)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!aa_test_whole_module(ctx, module) || !aa_ctx_imports(ctx, "unittest"))
		return;
	int excluded_state = -1;
	uint32_t n = ts_node_named_child_count(module);
	for (uint32_t i = 0; i < n; i++) {
		TSNode dec;
		TSNode def = aa_test_definition(ctx, ts_node_named_child(module, i), &dec);
		if (!ts_node_is_null(def) && ts_node_symbol(def) == s->class_definition)
			check_class(ctx, def, dec, &excluded_state);
	}
}

static const char *const kinds[] = { "module", NULL };

const struct aa_rule aa_rule_async_test_in_sync_testcase = {
	.code = "AA603",
	.name = "async-test-in-sync-testcase",
	.family = &aa_family_testing,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "An async test method of a unittest.TestCase is never awaited and always passes",
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `async def test*` methods in a module-level class whose bases resolve to "
			"`unittest.TestCase` itself (`import unittest`, `from unittest import TestCase`, "
			"`unittest.case.TestCase`, also through plain classes of the same file).",
		.why = "`unittest.TestCase` calls each test method and ignores what it returns. An `async def` "
		       "method returns a coroutine without running its body, so its assertions never execute "
		       "and the test always passes (Python 3.11+ only adds a `DeprecationWarning` about the "
		       "returned value). `unittest.IsolatedAsyncioTestCase` awaits async test methods on an "
		       "event loop of its own.",
		.example = "import unittest\n\n\nclass TestClient(unittest.TestCase):\n"
			   "    async def test_fetch(self):\n        self.assertEqual(await fetch(), 42)\n",
		.use_instead = "import unittest\n\n\nclass TestClient(unittest.IsolatedAsyncioTestCase):\n"
			       "    async def test_fetch(self):\n        self.assertEqual(await fetch(), 42)\n",
		.anchor = "The `async def` of the test method (its start is the `async` keyword, after any "
			  "decorators).",
		.exceptions = "Only `unittest.TestCase` itself is a finding. `IsolatedAsyncioTestCase`, Django's "
			      "`TestCase`/`SimpleTestCase` (which run async tests), `asynctest.TestCase`, aiohttp's "
			      "`AioHTTPTestCase` and any base the analyzer cannot resolve are not. Nor is a class "
			      "with a metaclass, a class decorator other than a pytest mark or `unittest.mock.patch`, "
			      "or a method that changes how tests run (`run`, `_callTestMethod`, `debug`, "
			      "`__init__`, `__getattribute__`, `__init_subclass__`...), in the class or a base of "
			      "this file. A test method with a decorator other than `unittest.skip*`, "
			      "`unittest.expectedFailure`, `unittest.mock.patch*` or a pytest mark is not "
			      "reported: such a decorator (an `async_test` helper) usually runs the coroutine. "
			      "Nor is a file that the project's pytest configuration keeps out of collection "
			      "(AA601's `--ignore`, `--ignore-glob`, `norecursedirs` and literal `collect_ignore` "
			      "exclusions), when the project has a pytest configuration (or a `conftest.py` that "
			      "lists `collect_ignore`): its tests never run. Without one the tests may be run by "
			      "unittest, which reads none of these, and the finding stays. "
			      "Suppress a finding with `# noqa: AA603` on the `async def` line.",
		.equivalents_note = "No peer has an equivalent rule.",
		.references = "- [unittest: IsolatedAsyncioTestCase](https://docs.python.org/3/library/unittest.html#unittest.IsolatedAsyncioTestCase)\n"
			      "- [unittest: TestCase](https://docs.python.org/3/library/unittest.html#unittest.TestCase)\n",
	},
};
