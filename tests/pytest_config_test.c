/* Unit tests of rules/testing/pytest_config.c's INI and TOML readers and name matching. */
#include "rules/testing/pytest_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

struct expect {
	int rc;
	bool has;
	bool auto_mode, trio, unknown;
	const char *files; /* python_files or NULL */
};

static void check(const char *what, const struct aa_pytest_config *cfg, int rc, bool has, const struct expect *e)
{
	bool files_ok = e->files ? cfg->python_files && !strcmp(cfg->python_files, e->files) : !cfg->python_files;
	if (rc != e->rc || has != e->has || cfg->asyncio_auto != e->auto_mode || cfg->trio_mode != e->trio ||
	    cfg->unknown != e->unknown || !files_ok) {
		failures++;
		printf("FAIL %s: expected rc=%d has=%d auto=%d trio=%d unknown=%d files=%s, got rc=%d has=%d auto=%d "
		       "trio=%d unknown=%d files=%s\n",
		       what, e->rc, e->has, e->auto_mode, e->trio, e->unknown, e->files ? e->files : "(none)", rc, has,
		       cfg->asyncio_auto, cfg->trio_mode, cfg->unknown, cfg->python_files ? cfg->python_files : "(none)");
	}
}

static void ini(const char *what, const char *text, const char *section, struct expect e)
{
	struct aa_pytest_config cfg;
	memset(&cfg, 0, sizeof cfg);
	bool has = false;
	int rc = aa_pytest_parse_ini(&cfg, text, strlen(text), section, &has);
	check(what, &cfg, rc, has, &e);
	aa_pytest_config_release(&cfg);
}

static void toml(const char *what, const char *text, struct expect e)
{
	struct aa_pytest_config cfg;
	memset(&cfg, 0, sizeof cfg);
	bool has = false;
	int rc = aa_pytest_parse_toml(&cfg, text, strlen(text), &has);
	check(what, &cfg, rc, has, &e);
	aa_pytest_config_release(&cfg);
}

static void match(const char *what, bool got, bool want)
{
	if (got != want) {
		failures++;
		printf("FAIL %s: expected %d, got %d\n", what, want, got);
	}
}

int main(void)
{
	ini("auto", "[pytest]\nasyncio_mode = auto\n", "pytest", (struct expect){ 0, true, true, false, false, NULL });
	ini("strict", "[pytest]\nasyncio_mode=strict\n", "pytest", (struct expect){ 0, true, false, false, false, NULL });
	ini("colon separator", "[pytest]\nasyncio_mode: auto\n", "pytest", (struct expect){ 0, true, true, false, false, NULL });
	ini("other section", "[tool:pytest]\nasyncio_mode = auto\n[flake8]\nx = 1\n", "pytest",
	    (struct expect){ 0, false, false, false, false, NULL });
	ini("setup.cfg section", "[metadata]\nname = x\n\n[tool:pytest]\nasyncio_mode = auto\n", "tool:pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	ini("comment lines", "# asyncio_mode = auto\n[pytest]\n; asyncio_mode = auto\n  # indented comment\n", "pytest",
	    (struct expect){ 0, true, false, false, false, NULL });
	ini("addopts continuation", "[pytest]\naddopts =\n    -ra\n    --asyncio-mode=auto\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	ini("addopts separate value", "[pytest]\naddopts = --asyncio-mode auto -q\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	ini("addopts -o", "[pytest]\naddopts = -o asyncio_mode=auto\n", "pytest",
	    (struct expect){ 0, true, true, false, false, NULL });
	ini("addopts plugin", "[pytest]\naddopts = -p trio._tests.pytest_plugin\n", "pytest",
	    (struct expect){ 0, true, false, false, true, NULL });
	ini("addopts disabled plugin", "[pytest]\naddopts = -p no:cacheprovider\n", "pytest",
	    (struct expect){ 0, true, false, false, false, NULL });
	ini("trio_mode", "[pytest]\ntrio_mode = true\n", "pytest", (struct expect){ 0, true, false, true, false, NULL });
	ini("python_files lines", "[pytest]\npython_files =\n    check_*.py\n    test_*.py\n", "pytest",
	    (struct expect){ 0, true, false, false, false, "check_*.py\ntest_*.py" });
	ini("CRLF", "[pytest]\r\nasyncio_mode = auto\r\n", "pytest", (struct expect){ 0, true, true, false, false, NULL });
	ini("unclosed section", "[pytest\nasyncio_mode = auto\n", "pytest", (struct expect){ -1, false, false, false, false, NULL });
	ini("value before section", "asyncio_mode = auto\n[pytest]\n", "pytest",
	    (struct expect){ -1, false, false, false, false, NULL });
	ini("no separator", "[pytest]\njunk\n", "pytest", (struct expect){ -1, false, false, false, false, NULL });
	ini("continuation first", "[pytest]\n  orphan\n", "pytest", (struct expect){ -1, false, false, false, false, NULL });
	ini("empty", "", "pytest", (struct expect){ 0, false, false, false, false, NULL });

	toml("ini_options", "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	toml("strict + arrays",
	     "[project]\nname = \"x\"\n[tool.pytest.ini_options]\nasyncio_mode = 'strict'\npython_files = [\"a_*.py\", "
	     "\"b_*.py\"]\naddopts = [\"-ra\", \"--strict-markers\"]\n",
	     (struct expect){ 0, true, false, false, false, "a_*.py b_*.py" });
	toml("no section", "[tool.black]\nline-length = 100\n", (struct expect){ 0, false, false, false, false, NULL });
	toml("dotted keys", "[tool]\npytest.ini_options.asyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	toml("inline table", "[tool]\npytest.ini_options = { asyncio_mode = \"auto\" }\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	toml("trio_mode boolean", "[tool.pytest.ini_options]\ntrio_mode = true\n",
	     (struct expect){ 0, true, false, true, false, NULL });
	toml("quoted keys", "[\"tool\".pytest.\"ini_options\"]\n\"asyncio_mode\" = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	toml("pytest 9 [tool.pytest]", "[tool.pytest]\nasyncio_mode = \"auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	toml("addopts string", "[tool.pytest.ini_options]\naddopts = \"-ra --asyncio-mode=auto\"\n",
	     (struct expect){ 0, true, true, false, false, NULL });
	toml("syntax error", "[tool.pytest.ini_options]\nasyncio_mode = \"auto\n",
	     (struct expect){ -1, false, false, false, false, NULL });
	toml("empty", "", (struct expect){ 0, false, false, false, false, NULL });

	struct aa_pytest_config cfg;
	memset(&cfg, 0, sizeof cfg);
	match("default file test_x.py", aa_pytest_collects_file(&cfg, "tests/test_x.py"), true);
	match("default file x_test.py", aa_pytest_collects_file(&cfg, "x_test.py"), true);
	match("default file helpers.py", aa_pytest_collects_file(&cfg, "tests/helpers.py"), false);
	match("default function prefix", aa_pytest_matches_function(&cfg, "testfoo", 7), true);
	match("default function other", aa_pytest_matches_function(&cfg, "check_x", 7), false);
	match("default class", aa_pytest_matches_class(&cfg, "TestX", 5), true);
	match("default class other", aa_pytest_matches_class(&cfg, "MyTest", 6), false);
	cfg.python_files = strdup("check_*.py");
	cfg.python_functions = strdup("*_should_*");
	match("configured file", aa_pytest_collects_file(&cfg, "a/check_api.py"), true);
	match("configured file other", aa_pytest_collects_file(&cfg, "a/test_api.py"), false);
	match("glob function", aa_pytest_matches_function(&cfg, "it_should_work", 14), true);
	match("glob function other", aa_pytest_matches_function(&cfg, "test_x", 6), false);
	aa_pytest_config_release(&cfg);

	if (failures)
		printf("pytest_config_test: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
