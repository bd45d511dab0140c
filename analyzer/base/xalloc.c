#include "analyzer/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tree_sitter/api.h>

static void die_oom(void)
{
	/* No allocation here: we are out of memory. */
	fputs("async-analyzer: error: out of memory\n", stderr);
	_exit(2);
}

void *aa_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *aa_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *aa_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

char *aa_xstrndup(const char *s, size_t len)
{
	char *p = aa_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *aa_xstrdup(const char *s)
{
	return aa_xstrndup(s, strlen(s));
}

char *aa_xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	/* GCC 12 with UBSan warns that fmt may be NULL unless told otherwise. */
	if (!fmt)
		fmt = "";
	/* One formatting for the common short string (a finding's message), two for a
	 * longer one. */
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		die_oom(); /* only an encoding error; treat as fatal like OOM */
	char *p = aa_xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof(small))
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *aa_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = aa_xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void aa_grow(void **items, size_t *cap, size_t need, size_t item_size)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	*items = aa_xrealloc(*items, ncap * item_size);
	*cap = ncap;
}

void aa_trim(void **items, size_t *cap, size_t len, size_t item_size)
{
	if (len >= *cap)
		return;
	if (!len) {
		free(*items);
		*items = NULL;
	} else {
		*items = aa_xrealloc(*items, len * item_size);
	}
	*cap = len;
}

void aa_xalloc_install_tree_sitter(void)
{
	ts_set_allocator(aa_xmalloc, aa_xcalloc, aa_xrealloc, free);
}
