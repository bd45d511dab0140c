/* Unit tests of rules/testing/pytest_config.c's INI and TOML readers and name matching.
 * Exit 0 = pass (tests/check.h). */
#include "rules/testing/pytest_config.h"
#include "analyzer/base/xalloc.h"
#include "tests/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expect {
	int rc;
	bool has;
	bool auto_mode, trio, unknown;
	const char *files; /* python_files or NULL */
};

static void check(struct check *t, int line, const char *what, const struct aa_pytest_config *cfg, int rc, bool has,
		  const struct expect *e)
{
	bool files_ok = e->files ? cfg->python_files && !strcmp(cfg->python_files, e->files) : !cfg->python_files;
	if (rc != e->rc || has != e->has || cfg->asyncio_auto != e->auto_mode || cfg->trio_mode != e->trio ||
	    cfg->unknown != e->unknown || !files_ok)
		check_fail_at(t, __FILE__, line,
			      "%s: expected rc=%d has=%d auto=%d trio=%d unknown=%d files=%s, got rc=%d has=%d auto=%d "
			      "trio=%d unknown=%d files=%s",
			      what, e->rc, e->has, e->auto_mode, e->trio, e->unknown, e->files ? e->files : "(none)",
			      rc, has, cfg->asyncio_auto, cfg->trio_mode, cfg->unknown,
			      cfg->python_files ? cfg->python_files : "(none)");
	else
		check_pass(t);
}

#define INI(t, what, text, section, ...) ini((t), __LINE__, (what), (text), (section), __VA_ARGS__)
static void ini(struct check *t, int line, const char *what, const char *text, const char *section, struct expect e)
{
	struct aa_pytest_config cfg;
	memset(&cfg, 0, sizeof cfg);
	bool has = false;
	int rc = aa_pytest_parse_ini(&cfg, text, strlen(text), section, &has);
	check(t, line, what, &cfg, rc, has, &e);
	aa_pytest_config_release(&cfg);
}

#define TOML(t, what, text, ...) toml((t), __LINE__, (what), (text), __VA_ARGS__)
static void toml(struct check *t, int line, const char *what, const char *text, struct expect e)
{
	struct aa_pytest_config cfg;
	memset(&cfg, 0, sizeof cfg);
	bool has = false;
	int rc = aa_pytest_parse_toml(&cfg, text, strlen(text), &has);
	check(t, line, what, &cfg, rc, has, &e);
	aa_pytest_config_release(&cfg);
}

/* The values an option list holds, joined by '|'. */
static char *joined(char *const *items, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + 1;
	char *out = aa_xmalloc(len);
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, items[i]);
	}
	return out;
}

static void check_ignores(struct check *t, const char *what, const struct aa_pytest_config *cfg, const char *ignore,
			  const char *globs)
{
	char *a = joined(cfg->ignore, cfg->n_ignore), *b = joined(cfg->ignore_glob, cfg->n_ignore_glob);
	CHECK_STR(t, what, ignore, a);
	CHECK_STR(t, what, globs, b);
	free(a);
	free(b);
}

/* addopts' --ignore / --ignore-glob and norecursedirs as read, and aa_pytest_excluded on
 * a configuration made by hand (it reads no file). */
static void exclusions(struct check *t)
{
	struct aa_pytest_config cfg;
	memset(&cfg, 0, sizeof cfg);
	bool has;
	const char *ini = "[pytest]\naddopts = -ra --ignore=a.py --ignore b\n    --ignore-glob='*_gen.py' "
			  "--ignore-glob c/*\n    --deselect tests/test_x.py::test_y --ignore\nnorecursedirs = x y\n";
	CHECK_UINT(t, "ini exclusions parse", 0, (unsigned)aa_pytest_parse_ini(&cfg, ini, strlen(ini), "pytest", &has));
	check_ignores(t, "ini --ignore forms", &cfg, "a.py|b", "*_gen.py|c/*");
	CHECK_STR(t, "ini norecursedirs", "x y", cfg.norecursedirs);
	aa_pytest_config_release(&cfg);
	const char *toml = "[tool.pytest.ini_options]\naddopts = [\"--ignore\", \"t/old\", \"--ignore=\\\"q.py\\\"\"]\n"
			   "norecursedirs = [\"attic\", \"*.bak\"]\n";
	CHECK_UINT(t, "toml exclusions parse", 0, (unsigned)aa_pytest_parse_toml(&cfg, toml, strlen(toml), &has));
	check_ignores(t, "toml --ignore forms", &cfg, "t/old|q.py", "");
	CHECK_STR(t, "toml norecursedirs", "attic *.bak", cfg.norecursedirs);
	aa_pytest_config_release(&cfg);

	/* /r is the rootdir; the test files are in /r/tests/a */
	cfg.dir = aa_xstrdup("/r/tests/a");
	CHECK_BOOL(t, "no rootdir: nothing excluded", false, aa_pytest_excluded(&cfg, "test_x.py", false));
	cfg.rootdir = aa_xstrdup("/r");
	CHECK_BOOL(t, "nothing configured", false, aa_pytest_excluded(&cfg, "test_x.py", false));
	cfg.ignore = aa_xmalloc(4 * sizeof *cfg.ignore);
	cfg.ignore[cfg.n_ignore++] = aa_xstrdup("tests/../tests//a/./test_x.py");
	CHECK_BOOL(t, "--ignore of the file, normalised", true, aa_pytest_excluded(&cfg, "tests/a/test_x.py", false));
	CHECK_BOOL(t, "--ignore of the file: dirs only", false, aa_pytest_excluded(&cfg, "test_x.py", true));
	CHECK_BOOL(t, "--ignore of a sibling", false, aa_pytest_excluded(&cfg, "test_y.py", false));
	free(cfg.ignore[0]);
	cfg.ignore[0] = aa_xstrdup("tests/");
	CHECK_BOOL(t, "--ignore of a directory above", true, aa_pytest_excluded(&cfg, "test_y.py", true));
	free(cfg.ignore[0]);
	cfg.ignore[0] = aa_xstrdup("test");
	CHECK_BOOL(t, "--ignore of a common prefix", false, aa_pytest_excluded(&cfg, "test_y.py", false));
	free(cfg.ignore[0]);
	cfg.ignore[0] = aa_xstrdup("/r/tests/a");
	CHECK_BOOL(t, "--ignore absolute", true, aa_pytest_excluded(&cfg, "test_y.py", false));
	free(cfg.ignore[0]);
	cfg.n_ignore = 0;
	cfg.ignore_glob = aa_xmalloc(sizeof *cfg.ignore_glob);
	cfg.ignore_glob[cfg.n_ignore_glob++] = aa_xstrdup("tests/*_y.py");
	CHECK_BOOL(t, "--ignore-glob: * crosses /", true, aa_pytest_excluded(&cfg, "test_y.py", false));
	CHECK_BOOL(t, "--ignore-glob no match", false, aa_pytest_excluded(&cfg, "test_x.py", false));
	free(cfg.ignore_glob[0]);
	cfg.n_ignore_glob = 0;
	free(cfg.dir);
	cfg.dir = aa_xstrdup("/r/build/tests");
	CHECK_BOOL(t, "default norecursedirs below the rootdir", true, aa_pytest_excluded(&cfg, "test_x.py", false));
	free(cfg.rootdir);
	cfg.rootdir = aa_xstrdup("/r/build");
	CHECK_BOOL(t, "default norecursedirs: the rootdir itself", false, aa_pytest_excluded(&cfg, "test_x.py", false));
	free(cfg.rootdir);
	cfg.rootdir = aa_xstrdup("/");
	CHECK_BOOL(t, "rootdir /", true, aa_pytest_excluded(&cfg, "test_x.py", false));
	cfg.norecursedirs = aa_xstrdup("r/build");
	CHECK_BOOL(t, "norecursedirs with /: the end of the path", true, aa_pytest_excluded(&cfg, "test_x.py", false));
	free(cfg.norecursedirs);
	cfg.norecursedirs = aa_xstrdup("tests");
	CHECK_BOOL(t, "norecursedirs: a directory", true, aa_pytest_excluded(&cfg, "test_x.py", false));
	free(cfg.dir);
	cfg.dir = aa_xstrdup("/r/build");
	CHECK_BOOL(t, "norecursedirs: not a file", false, aa_pytest_excluded(&cfg, "tests", false));
	aa_pytest_config_release(&cfg);
}

int main(void)
{
	struct check t = CHECK_INIT("pytest_config_test");
	INI(&t, "auto", "[pytest]\nasyncio_mode = auto\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	INI(&t, "strict", "[pytest]\nasyncio_mode=strict\n", "pytest",
	    (struct expect){ 0, true, false, false, false, NULL });
	INI(&t, "colon separator", "[pytest]\nasyncio_mode: auto\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	INI(&t, "other section", "[tool:pytest]\nasyncio_mode = auto\n[flake8]\nx = 1\n", "pytest",
	    (struct expect){ 0, false, false, false, false, NULL });
	INI(&t, "setup.cfg section", "[metadata]\nname = x\n\n[tool:pytest]\nasyncio_mode = auto\n", "tool:pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	INI(&t, "comment lines", "# asyncio_mode = auto\n[pytest]\n; asyncio_mode = auto\n  # indented comment\n",
	    "pytest",
	    (struct expect){ 0, true, false, false, false, NULL });
	INI(&t, "addopts continuation", "[pytest]\naddopts =\n    -ra\n    --asyncio-mode=auto\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	INI(&t, "addopts separate value", "[pytest]\naddopts = --asyncio-mode auto -q\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	INI(&t, "addopts -o", "[pytest]\naddopts = -o asyncio_mode=auto\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	INI(&t, "addopts plugin", "[pytest]\naddopts = -p trio._tests.pytest_plugin\n", "pytest",
	    (struct expect){ 0, true, false, false, true, NULL });
	INI(&t, "addopts disabled plugin", "[pytest]\naddopts = -p no:cacheprovider\n", "pytest",
	    (struct expect){ 0, true, false, false, false, NULL });
	INI(&t, "trio_mode", "[pytest]\ntrio_mode = true\n", "pytest",
	    (struct expect){ 0, true, false, true, false, NULL });
	INI(&t, "python_files lines", "[pytest]\npython_files =\n    check_*.py\n    test_*.py\n", "pytest",
	    (struct expect){ 0, true, false, false, false, "check_*.py\ntest_*.py" });
	INI(&t, "CRLF", "[pytest]\r\nasyncio_mode = auto\r\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	INI(&t, "unclosed section", "[pytest\nasyncio_mode = auto\n", "pytest",
	    (struct expect){ -1, false, false, false, false, NULL });
	INI(&t, "value before section", "asyncio_mode = auto\n[pytest]\n", "pytest",
	    (struct expect){ -1, false, false, false, false, NULL });
	INI(&t, "no separator", "[pytest]\njunk\n", "pytest", (struct expect){ -1, false, false, false, false, NULL });
	INI(&t, "continuation first", "[pytest]\n  orphan\n", "pytest",
	    (struct expect){ -1, false, false, false, false, NULL });
	INI(&t, "empty", "", "pytest", (struct expect){ 0, false, false, false, false, NULL });

	TOML(&t, "ini_options", "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	TOML(&t, "strict + arrays",
	     "[project]\nname = \"x\"\n[tool.pytest.ini_options]\nasyncio_mode = 'strict'\npython_files = [\"a_*.py\", "
	     "\"b_*.py\"]\naddopts = [\"-ra\", \"--strict-markers\"]\n",
	     (struct expect){ 0, true, false, false, false, "a_*.py b_*.py" });
	TOML(&t, "no section", "[tool.black]\nline-length = 100\n",
	     (struct expect){ 0, false, false, false, false, NULL });
	TOML(&t, "dotted keys", "[tool]\npytest.ini_options.asyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	TOML(&t, "inline table", "[tool]\npytest.ini_options = { asyncio_mode = \"auto\" }\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	TOML(&t, "trio_mode boolean", "[tool.pytest.ini_options]\ntrio_mode = true\n",
	     (struct expect){ 0, true, false, true, false, NULL });
	TOML(&t, "quoted keys", "[\"tool\".pytest.\"ini_options\"]\n\"asyncio_mode\" = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	TOML(&t, "pytest 9 [tool.pytest]", "[tool.pytest]\nasyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	TOML(&t, "addopts string", "[tool.pytest.ini_options]\naddopts = \"-ra --asyncio-mode=auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	TOML(&t, "syntax error", "[tool.pytest.ini_options]\nasyncio_mode = \"auto\n",
	     (struct expect){ -1, false, false, false, false, NULL });
	TOML(&t, "empty", "", (struct expect){ 0, false, false, false, false, NULL });
	/* A key before any table: the path buffer is still the read-only empty string (this
	 * crashed, writing into it). */
	TOML(&t, "key before any table", "line-length = 100\n", (struct expect){ 0, false, false, false, false, NULL });
	TOML(&t, "bare pair", "0=0", (struct expect){ 0, false, false, false, false, NULL });
	TOML(&t, "root pair then section", "x = 1\n[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	TOML(&t, "top-level dotted key", "tool.pytest.ini_options.asyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });

	struct aa_pytest_config cfg;
	memset(&cfg, 0, sizeof cfg);
	CHECK_BOOL(&t, "default file test_x.py", true, aa_pytest_collects_file(&cfg, "tests/test_x.py"));
	CHECK_BOOL(&t, "default file x_test.py", true, aa_pytest_collects_file(&cfg, "x_test.py"));
	CHECK_BOOL(&t, "default file helpers.py", false, aa_pytest_collects_file(&cfg, "tests/helpers.py"));
	CHECK_BOOL(&t, "default function prefix", true, aa_pytest_matches_function(&cfg, "testfoo", 7));
	CHECK_BOOL(&t, "default function other", false, aa_pytest_matches_function(&cfg, "check_x", 7));
	CHECK_BOOL(&t, "default class", true, aa_pytest_matches_class(&cfg, "TestX", 5));
	CHECK_BOOL(&t, "default class other", false, aa_pytest_matches_class(&cfg, "MyTest", 6));
	cfg.python_files = aa_xstrdup("check_*.py");
	cfg.python_functions = aa_xstrdup("*_should_*");
	CHECK_BOOL(&t, "configured file", true, aa_pytest_collects_file(&cfg, "a/check_api.py"));
	CHECK_BOOL(&t, "configured file other", false, aa_pytest_collects_file(&cfg, "a/test_api.py"));
	CHECK_BOOL(&t, "glob function", true, aa_pytest_matches_function(&cfg, "it_should_work", 14));
	CHECK_BOOL(&t, "glob function other", false, aa_pytest_matches_function(&cfg, "test_x", 6));
	aa_pytest_config_release(&cfg);

	exclusions(&t);
	return check_done(&t);
}
