#include "analyzer/input/test_code.h"

#include <string.h>

/* Is s[0..len) "tests", "test" or "testing" (a package of test helpers, or Django's
 * tests.py)? */
static bool test_dir(const char *s, size_t len)
{
	return (len == 5 && !memcmp(s, "tests", 5)) || (len == 4 && !memcmp(s, "test", 4)) ||
	       (len == 7 && !memcmp(s, "testing", 7));
}

/* Does s[0..len) contain word? */
static bool contains(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(s + i, word, n))
			return true;
	return false;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !memcmp(s + len - n, suffix, n);
}

/* Is s[0..len) a directory of one-shot programs: examples, samples, demos, docs, scripts,
 * database migrations, benchmarks and evaluation harnesses? Readers of real applications
 * found them running one task under asyncio.run, or run by hand to measure the product
 * (docs/precision.md). Or of code kept but no longer run: a name with `deprecated`,
 * `obsolete` or `archived` in it (`python-deprecated/` after a rewrite), or `_archive`
 * (not `archive/`, which may be a feature). Or of third-party code copied in (`vendor/`,
 * `_vendor/`, `vendored/`, `third_party/`) or installed into the tree (`site-packages/`,
 * `dist-packages/`, pip's `--target` directory such as `.pip_packages/`, PEP 582's
 * `__pypackages__/`: a name ending in `-packages`, `_packages` or `__pypackages__`; not
 * a monorepo's `packages/`), whose fixes belong upstream. Only a directory counts:
 * `example.py` may be the service. */
static bool example_dir(const char *s, size_t len)
{
	if (contains(s, len, "deprecated") || contains(s, len, "obsolete") || contains(s, len, "archived") ||
	    ends_with(s, len, "-packages") || ends_with(s, len, "_packages") || ends_with(s, len, "__pypackages__"))
		return true;
	static const char *const names[] = { "examples",   "example", "samples",    "sample",     "demos",
					     "demo",       "docs",    "doc",        "scripts",    "migrations",
					     "alembic",    "benchmarks", "benchmark", "evals",    "vendor",
					     "_vendor",    "vendored",   "third_party", "_archive",  NULL };
	for (const char *const *n = names; *n; n++)
		if (len == strlen(*n) && !memcmp(s, *n, len))
			return true;
	return false;
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

/* A directory of s (split at sep; the last component too unless skip_last) is one that
 * dir_is names. */
static bool has_dir(const char *s, char sep, bool skip_last, bool (*dir_is)(const char *, size_t))
{
	for (const char *p = s;;) {
		const char *end = strchr(p, sep);
		if (!end)
			return !skip_last && dir_is(p, strlen(p));
		if (dir_is(p, (size_t)(end - p)))
			return true;
		p = end + 1;
	}
}

enum aa_code_kind aa_code_kind(const char *display, const char *below_root, const char *module)
{
	const char *slash = strrchr(display, '/');
	if (test_file_name(slash ? slash + 1 : display))
		return AA_CODE_TEST;
	bool relative = display[0] != '/';
	if ((relative && has_dir(display, '/', true, test_dir)) || (below_root && has_dir(below_root, '/', true, test_dir)) ||
	    (module && has_dir(module, '.', false, test_dir)))
		return AA_CODE_TEST;
	const char *layout = below_root ? below_root : relative ? display : NULL;
	return layout && has_dir(layout, '/', true, example_dir) ? AA_CODE_EXAMPLE : AA_CODE_PROGRAM;
}

bool aa_is_test_code(const char *display, const char *below_root, const char *module)
{
	return aa_code_kind(display, below_root, module) != AA_CODE_PROGRAM;
}
