/*
 * diff.h: a unified diff of a file before and after its fixes (--diff), as `diff -u`
 * and Ruff print it: `--- path` / `+++ path` headers, hunks with three lines of
 * context, "\ No newline at end of file" where a side ends without one. Lines are
 * compared and printed as bytes, line ends included, so the patch applies to the file as
 * it is (CRLF, a declared encoding).
 */
#ifndef AA_DIFF_H
#define AA_DIFF_H

#include <stddef.h>
#include <stdio.h>

/* Writes the diff of a[0..alen) -> b[0..blen) for path (NUL-terminated) to out; nothing
 * when they are equal. Returns 0, or -1 when writing failed. Allocation failure exits
 * (xalloc.h). The work is O((N+M) D) for N, M lines and D changed lines (Myers). */
int aa_diff_write(FILE *out, const char *path, const char *a, size_t alen, const char *b, size_t blen);

#endif
