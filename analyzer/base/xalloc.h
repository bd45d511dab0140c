/*
 * xalloc: the one out-of-memory policy (git's xmalloc, jq's jv_mem_alloc).
 *
 * Every function here either succeeds or prints "async-analyzer: error: out of memory"
 * on stderr and exits with status 2. Callers never check for NULL. The same policy is
 * installed into tree-sitter with aa_xalloc_install_tree_sitter(), because tree-sitter
 * assumes its allocator never fails.
 */
#ifndef AA_XALLOC_H
#define AA_XALLOC_H

#include <stddef.h>
#include <stdarg.h>

/* malloc/calloc/realloc that never return NULL, also for a size of 0 (then a 1-byte
 * block). aa_xrealloc takes NULL or a block of these functions. Caller frees with
 * free(). */
void *aa_xmalloc(size_t size);
void *aa_xcalloc(size_t count, size_t size);
void *aa_xrealloc(void *ptr, size_t size);

/* A NUL-terminated copy of s (not NULL), or of exactly len bytes of s (s must hold
 * them; unlike strndup, NULs among them are copied). Caller frees with free(). */
char *aa_xstrdup(const char *s);
char *aa_xstrndup(const char *s, size_t len);

/* printf into a fresh string. Caller frees with free(). An output error of vsnprintf
 * (an encoding error) exits as out of memory does. aa_xvasprintf consumes ap. */
char *aa_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *aa_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *items (of item_size bytes each) so that it holds at least need items; *cap is
 * updated. Amortised doubling from 8. *items is NULL with *cap 0, or a block of these
 * functions holding *cap items; the items added are uninitialised, and *items may move. */
void aa_grow(void **items, size_t *cap, size_t need, size_t item_size);
#define AA_GROW(ptr, cap, need) aa_grow((void **)&(ptr), &(cap), (need), sizeof(*(ptr)))

/* Shrinks *items (an AA_GROW array of *cap items, len <= *cap of them in use) to exactly
 * len items (freed, NULL and *cap 0, when len is 0): for an array kept long after it is
 * complete, one per file of a run. AA_GROW may grow it again. */
void aa_trim(void **items, size_t *cap, size_t len, size_t item_size);
#define AA_TRIM(ptr, cap, len) aa_trim((void **)&(ptr), &(cap), (len), sizeof(*(ptr)))

/* Route tree-sitter's allocations through the functions above. Call once, in main. */
void aa_xalloc_install_tree_sitter(void);

#endif
