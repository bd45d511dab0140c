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

void aa_diag_release(struct aa_diag *d)
{
	free(d->path);
	free(d->message);
	free(d->source_line);
	free(d->fingerprint);
	for (size_t i = 0; i < d->n_related; i++) {
		free(d->related[i].path);
		free(d->related[i].message);
	}
	free(d->related);
	aa_fix_free(d->fix);
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
