/*
 * config_fuzz.c: the libFuzzer target of the pytest configuration readers
 * (rules/testing/pytest_config.h). Each input is read as every configuration file
 * pytest would take it for: pyproject.toml (aa_pytest_parse_toml), pytest.ini and
 * tox.ini (aa_pytest_parse_ini, section [pytest]) and setup.cfg ([tool:pytest]); the
 * patterns it configures are then matched against a test file, function and class
 * name, as AA601 does. Besides crashes, sanitizer reports, leaks and timeouts, the
 * readers' contract is checked (abort on a breach): the result is 0 or -1, a failed
 * read reports no section and leaves the flags as they were. Built only with
 * -DAA_FUZZ=ON (CMakeLists.txt); run by bench/fuzz.sh.
 */
#include "rules/testing/pytest_config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void breach(const char *reader, const char *what)
{
	fprintf(stderr, "config_fuzz: %s: %s\n", reader, what);
	abort();
}

/* Checks one reader's result against its contract, then matches names with what it
 * configured. before is the configuration the reader started from. */
static void check_result(const char *reader, const struct aa_pytest_config *before, const struct aa_pytest_config *cfg,
			 int rc, bool has)
{
	if (rc != 0 && rc != -1)
		breach(reader, "the result is neither 0 nor -1");
	if (rc == -1 && has)
		breach(reader, "a malformed file reports a pytest section");
	if (rc == -1 && (cfg->unknown != before->unknown || cfg->asyncio_auto != before->asyncio_auto ||
			 cfg->trio_mode != before->trio_mode))
		breach(reader, "a malformed file changed the configuration");
	aa_pytest_collects_file(cfg, "tests/unit/test_fuzz.py");
	static const char function[] = "test_fuzz_case", cls[] = "TestFuzzCase";
	aa_pytest_matches_function(cfg, function, sizeof function - 1);
	aa_pytest_matches_class(cfg, cls, sizeof cls - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The readers take a length: the input is passed as is, without a terminating NUL,
	 * so that ASan sees any read past its end. */
	const char *text = (const char *)data;
	static const char *const sections[] = { "pytest", "tool:pytest" };
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		/* Starting from a non-default configuration shows a failed read that changes it. */
		struct aa_pytest_config cfg = { .asyncio_auto = i == 1, .trio_mode = i == 1 }, before = cfg;
		bool has = false;
		int rc = aa_pytest_parse_ini(&cfg, text, size, sections[i], &has);
		check_result(sections[i], &before, &cfg, rc, has);
		aa_pytest_config_release(&cfg);
	}
	struct aa_pytest_config cfg = { 0 }, before = cfg;
	bool has = false;
	int rc = aa_pytest_parse_toml(&cfg, text, size, &has);
	check_result("pyproject.toml", &before, &cfg, rc, has);
	aa_pytest_config_release(&cfg);
	return 0;
}
