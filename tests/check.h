/*
 * check.h: the checks of the C unit tests. Each tests/NAME_test.c is a program of its
 * own (CMakeLists.txt builds one per file, linked with aa_core) and includes this header.
 *
 * A test keeps one struct check (no global state), passes it to every check and ends
 * main with `return check_done(&t);`:
 *
 *	struct check t = CHECK_INIT("hash_test");
 *	CHECK_UINT(&t, "aa_hash_str vs aa_hash_bytes", aa_hash_bytes(a, 16, 0), aa_hash_str(s));
 *	CHECK(&t, h1 != h2, "the seed is ignored (both 0x%llx)", h1);
 *	return check_done(&t);
 *
 * Every check counts one pass or one failure. A failure prints one line on stderr,
 * "FILE:LINE: WHAT: expected WANT, got GOT" (CHECK: "FILE:LINE: expected COND, got false:
 * MESSAGE"), where FILE:LINE is the check's place; a helper that checks for its callers
 * calls the check_* functions with its caller's place instead (see the *_at forms).
 * Strings that hold a newline are printed as blocks between "--- expected ---",
 * "--- got ---" and "--- end ---" lines; CHECK_LINES compares such strings as sets of
 * lines (sorted first). check_note adds detail lines after a failure.
 *
 * check_done prints the summary line "NAME: P passed, F failed" on stdout and returns
 * the program's exit status: 0 when no check failed and at least one passed (a test
 * that checked nothing proves nothing), else 1. Setup failures that make the checks
 * meaningless (a temporary file that cannot be created) are not checks: the test says
 * why on stderr and exits 2.
 *
 * Preconditions: t was made by CHECK_INIT (or check_init); NAME, WHAT and the formats
 * are borrowed for the call. CHECK_STR accepts NULL strings (NULL equals only NULL);
 * CHECK_LINES does not. Allocation failures exit 2 (analyzer/base/xalloc.h).
 * Single-threaded, like the tests. Output errors are ignored: the exit status carries
 * the verdict.
 */
#ifndef AA_TESTS_CHECK_H
#define AA_TESTS_CHECK_H

#include "analyzer/base/xalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check {
	const char *name;      /* borrowed; the program's name, for the summary line */
	unsigned long passed;
	unsigned long failed;
};

#define CHECK_INIT(name) { (name), 0, 0 }

static inline void check_init(struct check *t, const char *name)
{
	t->name = name;
	t->passed = 0;
	t->failed = 0;
}

/* Counts a failure and prints "file:line: " and the formatted message, then a newline. */
static inline void check_fail_at(struct check *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void check_fail_at(struct check *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	t->failed++;
	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Counts a pass (for a comparison the macros below do not make, e.g. of two lists). */
static inline void check_pass(struct check *t)
{
	t->passed++;
}

/* A detail line after a failure ("  expected (3): ..."); counts nothing. */
static inline void check_note(struct check *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void check_note(struct check *t, const char *fmt, ...)
{
	(void)t;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* cond, passed as 0 or 1; expr is its source text. Returns cond. */
static inline bool check_true_at(struct check *t, const char *file, int line, bool cond, const char *expr,
				 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static inline bool check_true_at(struct check *t, const char *file, int line, bool cond, const char *expr,
				 const char *fmt, ...)
{
	if (cond) {
		t->passed++;
		return true;
	}
	t->failed++;
	fprintf(stderr, "%s:%d: expected %s, got false: ", file, line, expr);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return false;
}

static inline bool check_bool_at(struct check *t, const char *file, int line, const char *what, bool want, bool got)
{
	if (want == got) {
		t->passed++;
		return true;
	}
	check_fail_at(t, file, line, "%s: expected %s, got %s", what, want ? "true" : "false", got ? "true" : "false");
	return false;
}

static inline bool check_int_at(struct check *t, const char *file, int line, const char *what, long long want,
				long long got)
{
	if (want == got) {
		t->passed++;
		return true;
	}
	check_fail_at(t, file, line, "%s: expected %lld, got %lld", what, want, got);
	return false;
}

static inline bool check_uint_at(struct check *t, const char *file, int line, const char *what,
				 unsigned long long want, unsigned long long got)
{
	if (want == got) {
		t->passed++;
		return true;
	}
	check_fail_at(t, file, line, "%s: expected %llu, got %llu", what, want, got);
	return false;
}

static inline bool check_str_at(struct check *t, const char *file, int line, const char *what, const char *want,
				const char *got)
{
	if (want && got ? !strcmp(want, got) : want == got) {
		t->passed++;
		return true;
	}
	if ((want && strchr(want, '\n')) || (got && strchr(got, '\n')))
		check_fail_at(t, file, line, "%s:\n--- expected ---\n%s\n--- got ---\n%s\n--- end ---", what,
			      want ? want : "(null)", got ? got : "(null)");
	else if (want && got)
		check_fail_at(t, file, line, "%s: expected \"%s\", got \"%s\"", what, want, got);
	else if (want)
		check_fail_at(t, file, line, "%s: expected \"%s\", got NULL", what, want);
	else
		check_fail_at(t, file, line, "%s: expected NULL, got \"%s\"", what, got);
	return false;
}

static inline int check_cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of s (each ended by a newline, the last one possibly not) in strcmp order,
 * each ended by a newline. Caller frees. */
static inline char *check_sorted_lines(const char *s)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == '\n';
	char *copy = aa_xstrdup(s);
	char **lines = aa_xcalloc(n, sizeof(*lines));
	size_t k = 0;
	for (char *p = copy; *p;) {
		lines[k++] = p;
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	qsort(lines, k, sizeof(*lines), check_cmp_line);
	char *out = aa_xmalloc(strlen(s) + 2), *o = out;
	for (size_t i = 0; i < k; i++) {
		size_t len = strlen(lines[i]);
		memcpy(o, lines[i], len);
		o += len;
		*o++ = '\n';
	}
	*o = '\0';
	free(lines);
	free(copy);
	return out;
}

/* want and got hold the same lines, in any order (a list whose order is not part of the
 * contract). Failures show both sorted. */
static inline bool check_lines_at(struct check *t, const char *file, int line, const char *what, const char *want,
				  const char *got)
{
	char *w = check_sorted_lines(want), *g = check_sorted_lines(got);
	bool ok = check_str_at(t, file, line, what, w, g);
	free(w);
	free(g);
	return ok;
}

/* Prints the summary line; returns 0 (all passed, at least one) or 1. */
static inline int check_done(const struct check *t)
{
	printf("%s: %lu passed, %lu failed\n", t->name, t->passed, t->failed);
	if (!t->failed && !t->passed)
		fprintf(stderr, "%s: no check ran\n", t->name);
	return t->failed || !t->passed ? 1 : 0;
}

/* The checks, at the place they are written. Each returns whether it passed. */
#define CHECK(t, cond, ...) check_true_at((t), __FILE__, __LINE__, (cond) ? true : false, #cond, __VA_ARGS__)
#define CHECK_BOOL(t, what, want, got) check_bool_at((t), __FILE__, __LINE__, (what), (want), (got))
#define CHECK_INT(t, what, want, got) \
	check_int_at((t), __FILE__, __LINE__, (what), (long long)(want), (long long)(got))
#define CHECK_UINT(t, what, want, got) \
	check_uint_at((t), __FILE__, __LINE__, (what), (unsigned long long)(want), (unsigned long long)(got))
#define CHECK_STR(t, what, want, got) check_str_at((t), __FILE__, __LINE__, (what), (want), (got))
#define CHECK_LINES(t, what, want, got) check_lines_at((t), __FILE__, __LINE__, (what), (want), (got))
#define CHECK_FAIL(t, ...) check_fail_at((t), __FILE__, __LINE__, __VA_ARGS__)

#endif
