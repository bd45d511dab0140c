/*
 * AA602 async-fixture-strict-mode: `@pytest.fixture` on an `async def` in a module that
 * uses pytest-asyncio in strict mode. Strict mode handles only `@pytest_asyncio.fixture`:
 * the test receives an unawaited coroutine (or async generator) instead of the value.
 */
#include "rules/testing/pytest_config.h"
#include "rules/testing/test_syntax.h"
#include "analyzer/base/xalloc.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_async_fixture_strict_mode;

#define MAX_FIXTURES 1024

struct scan {
	bool asyncio; /* pytest.mark.asyncio somewhere */
	bool other;   /* an anyio or trio mark, or a pytestmark / mark the file cannot name */
	TSNode *fixtures;
	size_t n;
};

static void note(struct scan *sc, enum aa_test_deco d)
{
	if (d == AA_DECO_ASYNCIO)
		sc->asyncio = true;
	else if (d == AA_DECO_ANYIO || d == AA_DECO_TRIO)
		sc->other = true;
}

static void note_marks(struct scan *sc, const struct aa_test_marks *m)
{
	sc->asyncio |= m->asyncio;
	sc->other |= m->anyio || m->trio || m->unknown;
}

/* One def of the module or of a class body: its marks, and whether it is an async
 * fixture with nothing but @pytest.fixture and marks on it. */
static void scan_def(struct aa_ctx *ctx, struct scan *sc, TSNode def, TSNode decorated)
{
	TSNode d;
	bool fixture = false, plain = true;
	for (uint32_t i = 0; !ts_node_is_null(d = aa_test_decorator(ctx, decorated, i)); i++) {
		enum aa_test_deco k = aa_test_deco_of(ctx, d);
		note(sc, k);
		if (k == AA_DECO_FIXTURE)
			fixture = true;
		else if (k != AA_DECO_MARK && k != AA_DECO_KEEPS)
			plain = false;
	}
	if (fixture && plain && aa_test_is_async(ctx, def) && sc->n < MAX_FIXTURES) {
		if (!sc->fixtures)
			sc->fixtures = aa_xmalloc(MAX_FIXTURES * sizeof(TSNode));
		sc->fixtures[sc->n++] = def;
	}
}

static void scan_body(struct aa_ctx *ctx, struct scan *sc, TSNode body, bool in_class)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t k = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
	for (uint32_t i = 0; i < k; i++) {
		TSNode st = ts_node_named_child(body, i);
		TSNode v = aa_test_assignment_value(ctx, st, "pytestmark");
		if (!ts_node_is_null(v)) {
			struct aa_test_marks m = { 0 };
			aa_test_marks_of(ctx, v, &m);
			note_marks(sc, &m);
			continue;
		}
		TSNode dec;
		TSNode def = aa_test_definition(ctx, st, &dec);
		if (ts_node_is_null(def))
			continue;
		if (ts_node_symbol(def) == s->function_definition) {
			scan_def(ctx, sc, def, dec);
		} else if (!in_class) {
			TSNode d;
			for (uint32_t j = 0; !ts_node_is_null(d = aa_test_decorator(ctx, dec, j)); j++)
				note(sc, aa_test_deco_of(ctx, d));
			scan_body(ctx, sc, ts_node_child_by_field_id(def, s->f.body), true);
		}
	}
}

/* Is the module one whose fixtures never run because pytest does not collect it: a test
 * module (python_files) the configuration excludes, or a conftest.py in an excluded
 * directory? Any other module's fixtures may be imported by collected tests. */
static bool excluded(const struct aa_pytest_config *cfg, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!strcmp(base, "conftest.py"))
		return aa_pytest_excluded(cfg, path, true);
	return aa_pytest_collects_file(cfg, path) && aa_pytest_excluded(cfg, path, false);
}

static void check(struct aa_ctx *ctx, TSNode module)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!aa_test_module_decidable(ctx, module))
		return;
	struct scan sc = { 0 };
	scan_body(ctx, &sc, module, false);
	if (sc.n && (sc.asyncio || aa_ctx_imports(ctx, "pytest_asyncio")) && !sc.other) {
		struct aa_pytest_config cfg;
		aa_pytest_config_load(&cfg, aa_ctx_path(ctx));
		if (!cfg.unknown && !cfg.asyncio_auto && !cfg.trio_mode && !cfg.anyio_conftest &&
		    !excluded(&cfg, aa_ctx_path(ctx)) &&
		    !(aa_pytest_declared(&cfg) & (AA_PYTEST_OTHER_RUNNER | AA_PYTEST_ASYNCIO_BEFORE_MODES))) {
			for (size_t i = 0; i < sc.n; i++) {
				uint32_t len;
				const char *name = aa_ctx_text(ctx, ts_node_child_by_field_id(sc.fixtures[i], s->f.name), &len);
				aa_ctx_report(ctx, &aa_rule_async_fixture_strict_mode, sc.fixtures[i],
					      "async fixture `%.*s` uses `@pytest.fixture`, which pytest-asyncio in strict "
					      "mode does not run: tests get an unawaited coroutine; use "
					      "`@pytest_asyncio.fixture`",
					      (int)len, name);
			}
		}
		aa_pytest_config_release(&cfg);
	}
	free(sc.fixtures);
}

static const char *const kinds[] = { "module", NULL };

const struct aa_rule aa_rule_async_fixture_strict_mode = {
	.code = "AA602",
	.name = "async-fixture-strict-mode",
	.family = &aa_family_testing,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "An async fixture declared with @pytest.fixture is not run by pytest-asyncio in strict mode",
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `@pytest.fixture` (called or not) on an `async def`, at module level or in a class, "
			"in a module that uses pytest-asyncio (it imports `pytest_asyncio` or uses "
			"`pytest.mark.asyncio`) and has no anyio or trio mark, when the project's pytest "
			"configuration leaves pytest-asyncio in its default *strict* mode (no `asyncio_mode = "
			"auto`, also through `addopts`). The configuration is found as for AA601.",
		.why = "In strict mode pytest-asyncio only handles fixtures declared with "
		       "`@pytest_asyncio.fixture`. A coroutine fixture declared with `@pytest.fixture` is called "
		       "like a plain function: the test receives a coroutine object (or an async generator) "
		       "instead of the value, its setup never runs, and recent pytest versions fail the test.",
		.example = "import pytest\n\n\n@pytest.fixture\nasync def client():\n    return await connect()\n\n\n"
			   "@pytest.mark.asyncio\nasync def test_ping(client):\n    assert await client.ping()\n",
		.use_instead = "import pytest\nimport pytest_asyncio\n\n\n@pytest_asyncio.fixture\nasync def client():\n"
			       "    return await connect()\n\n\n@pytest.mark.asyncio\nasync def test_ping(client):\n"
			       "    assert await client.ping()\n",
		.anchor = "The `async def` of the fixture (its start is the `async` keyword, after its decorators).",
		.exceptions = "The anyio pattern FastAPI documents (`@pytest.fixture async def client()` with "
			      "`@pytest.mark.anyio` tests) is correct: the anyio plugin runs such fixtures, so a module "
			      "with an anyio or trio mark, or that mentions `anyio_backend`, is not reported. Nor is a "
			      "module that does not use pytest-asyncio (a `conftest.py` of async fixtures alone says "
			      "nothing about the runner), a fixture with another decorator the analyzer cannot name, "
			      "every case where AA601 stays quiet because the configuration or a `conftest.py` "
			      "makes the run-time behaviour unknown, and a project whose declared dependencies name "
			      "another plugin that runs coroutine tests but not pytest-asyncio (as AA601), or one "
			      "whose declared dependencies bound pytest-asyncio below 0.17 (`<0.11`, `==0.10.0`, "
			      "`~=0.10.0`, Poetry's `^0.16`, read from the same files as AA601's): the releases before "
			      "`asyncio_mode` existed run every async fixture, `@pytest.fixture` ones too. Nor is "
			      "a test module that pytest does not collect (AA601's `--ignore`, `--ignore-glob`, "
			      "`norecursedirs` and `collect_ignore` exclusions), or a `conftest.py` in a directory "
			      "pytest does not enter: their fixtures never run. The fixtures of other modules may be "
			      "imported by collected tests, so an exclusion of such a module changes nothing. Suppress a finding with `# noqa: AA602` on the "
			      "`async def` line.",
		.equivalents_note = "No peer has an equivalent rule.",
		.references = "- [pytest-asyncio: strict mode](https://pytest-asyncio.readthedocs.io/en/latest/concepts.html#strict-mode)\n"
			      "- [pytest-asyncio: fixtures](https://pytest-asyncio.readthedocs.io/en/latest/reference/fixtures/index.html)\n",
	},
};
