/*
 * AA601 async-test-not-run: an `async def test*` that pytest collects but no plugin
 * awaits (no asyncio/anyio/trio mark; strict mode; no trio_mode). pytest skips or fails
 * it with "async def functions are not natively supported"; the body never runs.
 */
#include "rules/testing/pytest_config.h"
#include "rules/testing/test_syntax.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_async_test_not_run;

#define MAX_CANDIDATES 4096

struct candidate {
	TSNode def;
	TSNode cls; /* the Test class's name node, or null at module level */
};

/* A test whose decorators are only non-runner pytest marks and mock.patch-like ones:
 * returns false for a runner mark (it runs), for anything unknown (it may) and for an
 * unconditional skip (it was never meant to run: the missing mark changes nothing). */
static bool unmarked(struct aa_ctx *ctx, TSNode decorated)
{
	TSNode d;
	for (uint32_t i = 0; !ts_node_is_null(d = aa_test_decorator(ctx, decorated, i)); i++) {
		enum aa_test_deco k = aa_test_deco_of(ctx, d);
		if ((k != AA_DECO_MARK && k != AA_DECO_KEEPS) || aa_test_deco_skips(ctx, d))
			return false;
	}
	return true;
}

static bool test_candidate(const struct aa_ctx *ctx, TSNode def)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, ts_node_child_by_field_id(def, aa_ctx_syms(ctx)->f.name), &len);
	return len >= 4 && !memcmp(t, "test", 4) && !aa_test_requests_runner_fixture(ctx, def);
}

static void add(struct candidate *c, size_t *n, TSNode def, TSNode cls)
{
	if (*n < MAX_CANDIDATES)
		c[(*n)++] = (struct candidate){ def, cls };
}

/* Async test methods of a collected-looking class. */
static void class_candidates(struct aa_ctx *ctx, TSNode cls, TSNode decorated, struct candidate *c, size_t *n)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_test_class info;
	aa_test_class_of(ctx, cls, decorated, &info);
	if (info.bases != AA_BASES_PLAIN || info.not_collected || info.marks.unknown || info.marks.asyncio ||
	    info.marks.anyio || info.marks.trio)
		return;
	TSNode body = ts_node_child_by_field_id(cls, s->f.body);
	uint32_t k = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
	for (uint32_t i = 0; i < k; i++) {
		TSNode dec;
		TSNode def = aa_test_definition(ctx, ts_node_named_child(body, i), &dec);
		if (!ts_node_is_null(def) && ts_node_symbol(def) == s->function_definition && aa_test_is_async(ctx, def) &&
		    test_candidate(ctx, def) && unmarked(ctx, dec))
			add(c, n, def, ts_node_child_by_field_id(cls, s->f.name));
	}
}

/* What a `__main__` block calls: an event loop runner (`asyncio.run`, `run_until_complete`,
 * `anyio.run`, `trio.run`), pytest (`pytest.main`). */
struct main_calls {
	struct aa_ctx *ctx;
	bool loop, pytest;
};

static enum aa_visit main_call_visit(void *ud, TSNode n)
{
	struct main_calls *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	if (ts_node_symbol(n) != s->call)
		return AA_VISIT_DESCEND;
	TSNode fn = ts_node_child_by_field_id(n, s->f.function);
	uint32_t len;
	const char *t = ts_node_is_null(fn) ? NULL : aa_ctx_text(w->ctx, fn, &len);
	static const char *const runners[] = { "asyncio.run", "run_until_complete", "anyio.run", "trio.run", NULL };
	for (const char *const *r = runners; t && *r; r++) {
		size_t rl = strlen(*r);
		w->loop |= len >= rl && !memcmp(t + len - rl, *r, rl) && (len == rl || t[len - rl - 1] == '.');
	}
	w->pytest |= t && len == 11 && !memcmp(t, "pytest.main", 11);
	return AA_VISIT_DESCEND;
}

/* Is st `if __name__ == "__main__":` (either order) whose block calls an event loop
 * runner and not pytest? A test file with one is a script run by hand that drives its
 * own coroutines: its "tests" are its steps, not pytest's. */
static bool runs_itself(struct aa_ctx *ctx, TSNode st)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(st) != s->if_statement)
		return false;
	TSNode cond = ts_node_child_by_field_id(st, s->f.condition);
	if (ts_node_is_null(cond) || ts_node_symbol(cond) != s->comparison_operator ||
	    ts_node_named_child_count(cond) != 2)
		return false;
	TSNode a = ts_node_named_child(cond, 0), b = ts_node_named_child(cond, 1);
	uint32_t c = ts_node_child_count(cond);
	bool eq = false;
	for (uint32_t i = 0; i < c; i++)
		eq |= !ts_node_is_named(ts_node_child(cond, i)) && aa_ctx_text_is(ctx, ts_node_child(cond, i), "==");
	bool main = (aa_ctx_text_is(ctx, a, "__name__") &&
		     (aa_ctx_text_is(ctx, b, "\"__main__\"") || aa_ctx_text_is(ctx, b, "'__main__'"))) ||
		    (aa_ctx_text_is(ctx, b, "__name__") &&
		     (aa_ctx_text_is(ctx, a, "\"__main__\"") || aa_ctx_text_is(ctx, a, "'__main__'")));
	TSNode body = ts_node_child_by_field_id(st, s->f.consequence);
	if (!eq || !main || ts_node_is_null(body))
		return false;
	struct main_calls w = { ctx, false, false };
	return aa_subtree_walk(body, 100000, main_call_visit, &w) && w.loop && !w.pytest;
}

static void check(struct aa_ctx *ctx, TSNode module)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!aa_test_module_decidable(ctx, module))
		return;
	struct candidate *c = NULL;
	size_t n = 0;
	uint32_t k = ts_node_named_child_count(module);
	for (uint32_t i = 0; i < k; i++) {
		TSNode st = ts_node_named_child(module, i);
		TSNode v = aa_test_assignment_value(ctx, st, "pytestmark");
		if (!ts_node_is_null(v)) {
			struct aa_test_marks m = { 0 };
			aa_test_marks_of(ctx, v, &m);
			if (m.unknown || m.asyncio || m.anyio || m.trio)
				goto done;
			continue;
		}
		if (!ts_node_is_null(aa_test_assignment_value(ctx, st, "__test__")) || runs_itself(ctx, st))
			goto done;
		TSNode dec;
		TSNode def = aa_test_definition(ctx, st, &dec);
		if (ts_node_is_null(def))
			continue;
		if (!c)
			c = aa_xmalloc(MAX_CANDIDATES * sizeof(*c));
		if (ts_node_symbol(def) == s->class_definition)
			class_candidates(ctx, def, dec, c, &n);
		else if (aa_test_is_async(ctx, def) && test_candidate(ctx, def) && unmarked(ctx, dec))
			add(c, &n, def, (TSNode){ 0 });
	}
	if (!n)
		goto done;
	/* Only now, with an unmarked async test in hand, is the configuration read. */
	const char *path = aa_ctx_path(ctx);
	struct aa_pytest_config cfg;
	aa_pytest_config_load(&cfg, path);
	if (!cfg.unknown && !cfg.asyncio_auto && !cfg.trio_mode && !cfg.anyio_conftest &&
	    aa_pytest_collects_file(&cfg, path) && !aa_pytest_excluded(&cfg, path, false)) {
		int other = -1; /* the declared dependencies are read for the first finding only */
		for (size_t i = 0; i < n; i++) {
			uint32_t len, clen = 0;
			const char *name = aa_ctx_text(ctx, ts_node_child_by_field_id(c[i].def, s->f.name), &len);
			if (!aa_pytest_matches_function(&cfg, name, len))
				continue;
			const char *cname = "";
			if (!ts_node_is_null(c[i].cls)) {
				cname = aa_ctx_text(ctx, c[i].cls, &clen);
				if (!aa_pytest_matches_class(&cfg, cname, clen))
					continue;
			}
			if (other < 0)
				other = (aa_pytest_declared(&cfg) & AA_PYTEST_OTHER_RUNNER) != 0;
			if (other)
				break;
			aa_ctx_report(ctx, &aa_rule_async_test_not_run, c[i].def,
				      "async test `%.*s%s%.*s` is never run: it has no `pytest.mark.asyncio` (or anyio / trio) "
				      "mark and asyncio_mode is strict, so pytest skips it (fails it from pytest 8.4) "
				      "without running its body",
				      (int)clen, cname, clen ? "." : "", (int)len, name);
		}
	}
	aa_pytest_config_release(&cfg);
done:
	free(c);
}

static const char *const kinds[] = { "module", NULL };

const struct aa_rule aa_rule_async_test_not_run = {
	.code = "AA601",
	.name = "async-test-not-run",
	.family = &aa_family_testing,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "An async test that no pytest plugin awaits is skipped without running",
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `async def test*` functions at module level, and methods of `Test*` classes that "
			"are not unittest classes, in files pytest collects (`python_files`; by default "
			"`test_*.py` and `*_test.py`), that no plugin will await: no `pytest.mark.asyncio`, "
			"`pytest.mark.anyio` or `pytest.mark.trio` on the function, its class (decorator or "
			"class-level `pytestmark`) or the module's `pytestmark` (one mark or a list), while the "
			"project's pytest configuration sets neither `asyncio_mode = auto` (also "
			"`addopts = --asyncio-mode=auto` or `-o asyncio_mode=auto`) nor `trio_mode = true`.\n\n"
			"The configuration is the nearest of `pytest.ini`, `.pytest.ini`, `pyproject.toml` "
			"(`[tool.pytest.ini_options]`), `tox.ini` (`[pytest]`) and `setup.cfg` "
			"(`[tool:pytest]`) going up from the test file to the project root (a directory with "
			"`.git`): an approximation of pytest's rootdir choice. `python_files`, "
			"`python_functions` and `python_classes` are honoured.\n\n"
			"A file that pytest does not collect is not reported. Read, as pytest applies them to "
			"each path below the configuration's directory (the rootdir, where pytest is assumed to "
			"be started): `addopts`' `--ignore PATH` / `--ignore=PATH` (a file or a directory, "
			"relative to the rootdir; `tests/foo` does not exclude `tests/foobar`) and "
			"`--ignore-glob` (fnmatch on the whole path, so `*` crosses `/`); `norecursedirs` "
			"(each directory's name, or the end of its path for a pattern with `/`; when the option "
			"is absent, pytest's default `*.egg .* _darcs build CVS dist node_modules venv {arch}`); "
			"and the `collect_ignore` / `collect_ignore_glob` of the `conftest.py` files between the "
			"test file and the rootdir (relative to the conftest's directory; the nearest conftest "
			"that defines the name decides alone, as in pytest). Only a literal list of plain string "
			"literals assigned once at module level is read: a computed value, or one changed later "
			"(`append`, `remove`, `+=`), is unknown, and the file is taken as collected. A directory "
			"above the rootdir never matches (a checkout under `build/`). Not read: `--deselect` "
			"(it names tests, not files), pytest's skipping of directories that hold a virtualenv, "
			"and `testpaths`: pytest uses it only for a run from the rootdir without path arguments, "
			"and a CI job or a developer that names a directory (`pytest integration/`) collects "
			"files outside it, while `--ignore` and `norecursedirs` hold for every run that walks "
			"the directories.",
		.why = "pytest itself cannot run a coroutine function: without a plugin that takes the test, it "
		       "calls it, gets a coroutine, and skips (or, with recent pytest, fails) it with \"async def "
		       "functions are not natively supported\". pytest-asyncio's default *strict* mode takes only "
		       "tests marked `@pytest.mark.asyncio`. A skipped test is easy to miss in a long run: its "
		       "assertions never execute.",
		.example = "import pytest\n\n\nasync def test_fetch(client):\n    assert await client.get(\"/\") == 200\n",
		.use_instead = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_fetch(client):\n"
			       "    assert await client.get(\"/\") == 200\n",
		.anchor = "The `async def` of the test (its start is the `async` keyword, after any decorators).",
		.exceptions = "Nothing is reported when the analyzer cannot know that the test is left alone: a "
			      "malformed or unreadable configuration (pytest refuses to start), an `addopts` that "
			      "loads a plugin with `-p`, a `conftest.py` between the test file and the configuration "
			      "(or the project root) that mentions `anyio_backend`, `pytest_collection_modifyitems`, "
			      "`pytest_pycollect_makeitem`, `pytest_pyfunc_call`, `pytest_runtest_call`, "
			      "`pytest_itemcollected`, `pytest_plugins`, `asyncio_mode` or `trio_mode` (marks may be "
			      "added, or coroutines run, at run time), a test file that mentions `anyio_backend`, a test that requests a fixture of a plugin "
			      "that runs coroutine tests unmarked (aiohttp's legacy plugin: `loop`, `aiohttp_client`, "
			      "`aiohttp_server`...; pytest-tornasync: `io_loop`, `http_server_client`...), another "
			      "plugin's runner mark (`asyncio_cooperative`, `gen_test`, `curio`, `twisted`), a "
			      "`pytestmark` that is not plain pytest marks, `__test__` in the module or class, a "
			      "class with bases other than plain classes of the file (unittest classes are AA603's), "
			      "files under `site-packages` / `dist-packages` and files with neither a configuration "
			      "nor a `.git` above them (installed packages' tests, whose configuration and plugins "
			      "were not shipped), "
			      "a class or test with a decorator other than a pytest mark or `unittest.mock.patch` "
			      "(it may run the coroutine), a test decorated `@pytest.mark.skip` or `@unittest.skip` "
			      "(skipped on purpose: the missing mark changes nothing until the skip goes; a "
			      "conditional `skipif` is no such decorator), and a file with a syntax error. A test that requests the "
			      "`anyio_backend` fixture runs under the anyio plugin, as FastAPI's documentation "
			      "shows.\n\n"
			      "Nor is a file whose `if __name__ == \"__main__\":` block calls an event loop runner "
			      "(`asyncio.run()`, `run_until_complete()`, `anyio.run()`, `trio.run()`; strings and "
			      "comments aside): a script run by hand "
			      "that drives its own coroutines, named like a test module; its async `test_*` functions "
			      "are its steps (a block that runs `pytest.main()` keeps the file pytest's).\n\n"
			      "Nor is a project whose declared dependencies name a plugin that runs coroutine tests "
			      "without pytest-asyncio (`pytest-sanic`, `pytest-aiohttp`, `pytest-tornasync`, "
			      "`pytest-trio`, `anyio`) and do not name `pytest-asyncio`: strict mode is not what runs "
			      "its tests. Read from the test file's directory up to the project root: `pyproject.toml` "
			      "(`[project]` dependencies and optional dependencies, `[dependency-groups]`, Poetry, PDM "
			      "and Hatch tables), `setup.cfg` (`[options]`, `[options.extras_require]`), `setup.py`, "
			      "`tox.ini` (`[testenv*]` deps), `requirements*.txt` / `requirements*.in` and "
			      "`requirements/*.txt`, following `-r` / `--requirement` includes (at most 32 files). "
			      "Names compare as pip compares them (`pytest_trio` is `pytest-trio`). When both "
			      "pytest-asyncio and another plugin are declared, pytest-asyncio's mode decides and "
			      "findings stay. Suppress a finding with `# noqa: AA601` on the `async def` line.\n\n"
			      "A possible false alarm: a `conftest.py` in another branch of the "
			      "tree (a sibling directory) whose `pytest_collection_modifyitems` marks every test "
			      "of the session when the whole suite runs; only the conftests between the test file "
			      "and the configuration are read.",
		.equivalents_note = "No peer has an equivalent rule; pytest itself warns at run time "
				    "(`PytestUnhandledCoroutineWarning`).",
		.references = "- [pytest-asyncio: modes](https://pytest-asyncio.readthedocs.io/en/latest/concepts.html#test-discovery-modes)\n"
			      "- [pytest: configuration file formats](https://docs.pytest.org/en/stable/reference/customize.html)\n"
			      "- [anyio: testing with pytest](https://anyio.readthedocs.io/en/stable/testing.html)\n",
	},
};
