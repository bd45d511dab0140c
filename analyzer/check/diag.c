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

void aa_diag_release(struct aa_diag *d)
{
	free(d->path);
	free(d->message);
	free(d->source_line);
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
