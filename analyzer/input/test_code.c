#include "analyzer/input/test_code.h"

#include <string.h>

/* Is s[0..len) "tests", "test" or "testing" (a package of test helpers, or Django's
 * tests.py)? */
static bool test_dir(const char *s, size_t len)
{
	return (len == 5 && !memcmp(s, "tests", 5)) || (len == 4 && !memcmp(s, "test", 4)) ||
	       (len == 7 && !memcmp(s, "testing", 7));
}

/* Is s[0..len) a directory of one-shot programs: examples, demos, docs, scripts?
 * Readers of real applications found them running one task under asyncio.run
 * (docs/precision.md). Only a directory counts: `example.py` may be the service. */
static bool example_dir(const char *s, size_t len)
{
	static const char *const names[] = { "examples", "example", "demos", "demo", "docs", "doc", "scripts", NULL };
	for (const char *const *n = names; *n; n++)
		if (len == strlen(*n) && !memcmp(s, *n, len))
			return true;
	return false;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !memcmp(s + len - n, suffix, n);
}

/* pytest's default python_files, and its conftest.py. */
static bool test_file_name(const char *base)
{
	size_t len = strlen(base);
	if (!strcmp(base, "conftest.py"))
		return true;
	bool py = ends_with(base, len, ".py") || ends_with(base, len, ".pyi");
	return py && (!strncmp(base, "test_", 5) || ends_with(base, len, "_test.py") || ends_with(base, len, "_test.pyi"));
}

/* A component of s split at sep is a test directory, or one before the last is an
 * example directory (the last when skip_last is not set: a module's own name). */
static bool has_test_component(const char *s, char sep, bool skip_last)
{
	const char *p = s;
	for (;;) {
		const char *end = strchr(p, sep);
		if (!end)
			return !skip_last && test_dir(p, strlen(p));
		size_t len = (size_t)(end - p);
		if (test_dir(p, len) || example_dir(p, len))
			return true;
		p = end + 1;
	}
}

bool aa_is_test_code(const char *display, const char *module)
{
	const char *slash = strrchr(display, '/');
	if (test_file_name(slash ? slash + 1 : display))
		return true;
	if (display[0] != '/' && has_test_component(display, '/', true))
		return true;
	return module && has_test_component(module, '.', false);
}
