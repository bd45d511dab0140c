/*
 * config_fuzz.c: the libFuzzer target of the configuration readers: the TOML decoder
 * (parsers/toml/toml.h, which the analyzer's own configuration files and pyproject.toml
 * go through) and the pytest configuration readers (rules/testing/pytest_config.h).
 * Each input is decoded as a TOML document (aa_toml_parse: on success every value is
 * walked and its contract checked, on failure the error must have a position and a
 * message and the document must be empty), then read as every configuration file
 * pytest would take it for: pyproject.toml (aa_pytest_parse_toml), pytest.ini and
 * tox.ini (aa_pytest_parse_ini, section [pytest]) and setup.cfg ([tool:pytest]); the
 * patterns it configures are then matched against a test file, function and class
 * name, as AA601 does. Besides crashes, sanitizer reports, leaks and timeouts, the
 * readers' contract is checked (abort on a breach): the result is 0 or -1, a failed
 * read reports no section and leaves the flags as they were. Built only with
 * -DAA_FUZZ=ON (CMakeLists.txt); run by bench/fuzz.sh.
 */
#include "parsers/toml/toml.h"
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

/* Checks every value of a decoded document (depth is bounded by AA_TOML_MAX_DEPTH, so
 * recursion is too). */
static void check_value(const struct aa_toml_value *v, unsigned depth)
{
	if (depth > 2 * AA_TOML_MAX_DEPTH + 2)
		breach("toml", "a document nested beyond the bound");
	if (v->line < 1 || v->col < 1)
		breach("toml", "a value without a position");
	if (v->kind == AA_TOML_STRING && (!v->str || v->str[v->len] != '\0'))
		breach("toml", "a string that is not NUL-terminated");
	for (size_t i = 0; i < v->n_items; i++) {
		if (v->kind != AA_TOML_ARRAY)
			breach("toml", "items in a value that is not an array");
		check_value(&v->items[i], depth + 1);
	}
	for (size_t i = 0; i < v->n_pairs; i++) {
		if (v->kind != AA_TOML_TABLE || !v->pairs[i].key)
			breach("toml", "a pair outside a table, or without a key");
		if (aa_toml_find(v, v->pairs[i].key) != &v->pairs[i])
			breach("toml", "a key defined twice in a table");
		check_value(&v->pairs[i].value, depth + 1);
	}
}

static void fuzz_toml(const char *text, size_t size)
{
	struct aa_toml_value root;
	struct aa_toml_error err;
	int rc = aa_toml_parse(text, size, &root, &err);
	if (rc == 0)
		check_value(&root, 0);
	else if (rc != -1 || err.line < 1 || err.col < 1 || !err.message[0] || root.n_pairs)
		breach("toml", "a failed parse without a position and message, or with pairs left");
	aa_toml_release(&root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The readers take a length: the input is passed as is, without a terminating NUL,
	 * so that ASan sees any read past its end. */
	const char *text = (const char *)data;
	fuzz_toml(text, size);
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
