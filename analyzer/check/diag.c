#include "analyzer/check/diag.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

int aa_diag_severity(const struct aa_diag *d)
{
	return d->has_severity ? d->severity : (int)d->rule->severity;
}

void aa_diag_list_init(struct aa_diag_list *list)
{
	list->items = NULL;
	list->len = list->cap = 0;
}

void aa_diag_take_line(struct aa_diag *d, struct aa_excerpt *line)
{
	free(d->source_line);
	d->source_line = line->text;
	d->source_from = line->from;
	d->source_cut = line->cut;
	*line = (struct aa_excerpt){ 0 };
}

/* Bytes of s with its NUL, 0 for NULL. */
static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s (NULL stays NULL) to *at and moves *at past it. */
static char *pack_str(char **at, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *copy = memcpy(*at, s, n);
	*at += n;
	return copy;
}

void aa_diag_pack(struct aa_diag *d)
{
	const struct aa_fix *fix = d->fix;
	size_t n_edits = fix ? fix->n_edits : 0;
	/* The fix and its edits first, where the block is aligned for them; strings after. */
	size_t head = (fix ? sizeof(*fix) : 0) + n_edits * sizeof(struct aa_edit);
	size_t size = head + str_size(d->path) + str_size(d->message) + str_size(d->source_line);
	for (size_t i = 0; i < n_edits; i++)
		size += str_size(fix->edits[i].content);
	char *block = aa_xmalloc(size);
	char *at = block + head;
	if (fix) {
		struct aa_fix *packed = (struct aa_fix *)block;
		*packed = (struct aa_fix){ fix->kind, n_edits ? (struct aa_edit *)(packed + 1) : NULL, n_edits, n_edits };
		for (size_t i = 0; i < n_edits; i++) {
			packed->edits[i] = fix->edits[i];
			packed->edits[i].content = pack_str(&at, fix->edits[i].content);
		}
		aa_fix_free(d->fix);
		d->fix = packed;
	}
	char *path = pack_str(&at, d->path), *message = pack_str(&at, d->message);
	char *line = pack_str(&at, d->source_line);
	free(d->path);
	free(d->message);
	free(d->source_line);
	d->path = path;
	d->message = message;
	d->source_line = line;
	d->pack = block;
}

void aa_diag_release(struct aa_diag *d)
{
	if (d->pack) {
		free(d->pack);
	} else {
		free(d->path);
		free(d->message);
		free(d->source_line);
		aa_fix_free(d->fix);
	}
	free(d->fingerprint);
	for (size_t i = 0; i < d->n_related; i++) {
		free(d->related[i].path);
		free(d->related[i].message);
	}
	free(d->related);
	memset(d, 0, sizeof(*d));
}

void aa_diag_list_release(struct aa_diag_list *list)
{
	for (size_t i = 0; i < list->len; i++)
		aa_diag_release(&list->items[i]);
	free(list->items);
	aa_diag_list_init(list);
}

static char *dup_or_null(const char *s)
{
	return s ? aa_xstrdup(s) : NULL;
}

void aa_diag_list_copy(struct aa_diag_list *dst, const struct aa_diag *d)
{
	struct aa_diag c = *d;
	c.pack = NULL;
	c.path = dup_or_null(d->path);
	c.message = dup_or_null(d->message);
	c.source_line = dup_or_null(d->source_line);
	c.fingerprint = dup_or_null(d->fingerprint);
	c.fix = aa_fix_copy(d->fix);
	c.related = d->n_related ? aa_xcalloc(d->n_related, sizeof(*c.related)) : NULL;
	for (size_t i = 0; i < d->n_related; i++) {
		c.related[i] = d->related[i];
		c.related[i].path = dup_or_null(d->related[i].path);
		c.related[i].message = dup_or_null(d->related[i].message);
	}
	aa_diag_list_push(dst, &c);
}

void aa_diag_list_push(struct aa_diag_list *list, struct aa_diag *d)
{
	AA_GROW(list->items, list->cap, list->len + 1);
	list->items[list->len++] = *d;
}

void aa_diag_list_take(struct aa_diag_list *dst, struct aa_diag_list *src)
{
	if (!src->len)
		return;
	AA_GROW(dst->items, dst->cap, dst->len + src->len);
	memcpy(dst->items + dst->len, src->items, src->len * sizeof(*src->items));
	dst->len += src->len;
	free(src->items);
	aa_diag_list_init(src);
}

void aa_diag_list_take_tail(struct aa_diag_list *dst, struct aa_diag_list *src, size_t from)
{
	size_t k = src->len - from;
	if (!k)
		return;
	AA_GROW(dst->items, dst->cap, dst->len + k);
	memcpy(dst->items + dst->len, src->items + from, k * sizeof(*src->items));
	dst->len += k;
	src->len = from;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const struct aa_diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (!c) c = cmp_u32(a->span.line, b->span.line);
	if (!c) c = cmp_u32(a->span.col, b->span.col);
	if (!c) c = cmp_u32(a->span.end_line, b->span.end_line);
	if (!c) c = cmp_u32(a->span.end_col, b->span.end_col);
	if (!c) c = strcmp(a->rule->code, b->rule->code);
	if (!c) c = strcmp(a->message, b->message);
	return c;
}

void aa_diag_list_sort(struct aa_diag_list *list)
{
	if (list->len > 1)
		qsort(list->items, list->len, sizeof(*list->items), cmp_diag);
}
