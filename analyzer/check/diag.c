#include "analyzer/check/diag.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/buf.h"
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

/* ---- frozen lists: unsigned LEB128 numbers, strings as their length and bytes, a rule
 * as its pointer's bytes (the registry outlives every finding) ---------------------- */

static void put_num(struct aa_buf *b, uint64_t v)
{
	do {
		unsigned char c = v & 0x7f;
		v >>= 7;
		aa_buf_addc(b, (char)(c | (v ? 0x80 : 0)));
	} while (v);
}

/* A string: 0 for NULL, 1 for the list's path (not copied), else its length + 2 and its
 * bytes. */
static void put_str(struct aa_buf *b, const char *s, const char *path)
{
	if (!s) {
		put_num(b, 0);
	} else if (path && !strcmp(s, path)) {
		put_num(b, 1);
	} else {
		size_t n = strlen(s);
		put_num(b, (uint64_t)n + 2);
		aa_buf_add(b, s, n);
	}
}

static void put_span(struct aa_buf *b, struct aa_span sp)
{
	put_num(b, sp.line);
	put_num(b, sp.col);
	put_num(b, sp.end_line);
	put_num(b, sp.end_col);
}

/* The reader of a frozen list: what aa_diag_freeze wrote, so it is trusted. */
struct reader {
	const unsigned char *at;
	const char *path;
};

static uint64_t get_num(struct reader *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0;; shift += 7) {
		unsigned char c = *r->at++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
}

static char *get_str(struct reader *r)
{
	uint64_t n = get_num(r);
	if (n < 2)
		return n ? aa_xstrdup(r->path) : NULL;
	char *s = aa_xstrndup((const char *)r->at, (size_t)(n - 2));
	r->at += n - 2;
	return s;
}

static struct aa_span get_span(struct reader *r)
{
	struct aa_span sp;
	sp.line = (uint32_t)get_num(r);
	sp.col = (uint32_t)get_num(r);
	sp.end_line = (uint32_t)get_num(r);
	sp.end_col = (uint32_t)get_num(r);
	return sp;
}

enum { FROZEN_CUT = 1, FROZEN_CHAIN = 2, FROZEN_SEVERITY = 4 };

unsigned char *aa_diag_freeze(struct aa_diag_list *list, const char *path)
{
	if (!list->len) {
		aa_diag_list_release(list);
		return NULL;
	}
	struct aa_buf b = AA_BUF_INIT;
	put_num(&b, list->len);
	for (size_t i = 0; i < list->len; i++) {
		const struct aa_diag *d = &list->items[i];
		aa_buf_add(&b, (const char *)&d->rule, sizeof(d->rule));
		put_str(&b, d->path, path);
		put_span(&b, d->span);
		put_str(&b, d->message, NULL);
		put_str(&b, d->source_line, NULL);
		put_num(&b, d->source_from);
		put_num(&b, (d->source_cut ? FROZEN_CUT : 0) | (d->related_is_chain ? FROZEN_CHAIN : 0) |
				    (d->has_severity ? FROZEN_SEVERITY : 0));
		put_num(&b, d->severity);
		put_num(&b, d->n_related);
		for (size_t k = 0; k < d->n_related; k++) {
			put_str(&b, d->related[k].path, path);
			put_span(&b, d->related[k].span);
			put_str(&b, d->related[k].message, NULL);
		}
		put_str(&b, d->fingerprint, NULL);
		/* kind 0 (AA_FIX_NONE): no fix */
		put_num(&b, d->fix ? (uint64_t)d->fix->kind : 0);
		put_num(&b, d->fix ? d->fix->n_edits : 0);
		for (size_t k = 0; d->fix && k < d->fix->n_edits; k++) {
			const struct aa_edit *e = &d->fix->edits[k];
			put_num(&b, e->start);
			put_num(&b, e->end);
			put_span(&b, e->span);
			put_str(&b, e->content, NULL);
		}
	}
	aa_diag_list_release(list);
	/* Exactly its bytes: it is kept to the end of the run, buf's doubling is not. */
	unsigned char *block = aa_xmalloc(b.len);
	memcpy(block, b.data, b.len);
	aa_buf_release(&b);
	return block;
}

void aa_diag_thaw(const unsigned char *block, const char *path, struct aa_diag_list *out)
{
	if (!block)
		return;
	struct reader r = { block, path };
	size_t n = (size_t)get_num(&r);
	AA_GROW(out->items, out->cap, out->len + n);
	for (size_t i = 0; i < n; i++) {
		struct aa_diag d = { 0 };
		memcpy(&d.rule, r.at, sizeof(d.rule));
		r.at += sizeof(d.rule);
		d.path = get_str(&r);
		d.span = get_span(&r);
		d.message = get_str(&r);
		d.source_line = get_str(&r);
		d.source_from = (uint32_t)get_num(&r);
		unsigned flags = (unsigned)get_num(&r);
		d.source_cut = flags & FROZEN_CUT;
		d.related_is_chain = flags & FROZEN_CHAIN;
		d.has_severity = flags & FROZEN_SEVERITY;
		d.severity = (unsigned char)get_num(&r);
		d.n_related = (size_t)get_num(&r);
		d.related = d.n_related ? aa_xcalloc(d.n_related, sizeof(*d.related)) : NULL;
		for (size_t k = 0; k < d.n_related; k++) {
			d.related[k].path = get_str(&r);
			d.related[k].span = get_span(&r);
			d.related[k].message = get_str(&r);
		}
		d.fingerprint = get_str(&r);
		enum aa_fix_kind kind = (enum aa_fix_kind)get_num(&r);
		size_t n_edits = (size_t)get_num(&r);
		if (kind != AA_FIX_NONE) {
			d.fix = aa_fix_new(kind);
			AA_GROW(d.fix->edits, d.fix->cap, n_edits);
			for (size_t k = 0; k < n_edits; k++) {
				struct aa_edit *e = &d.fix->edits[k];
				e->start = (uint32_t)get_num(&r);
				e->end = (uint32_t)get_num(&r);
				e->span = get_span(&r);
				e->content = get_str(&r);
			}
			d.fix->n_edits = n_edits;
		}
		aa_diag_pack(&d);
		out->items[out->len++] = d;
	}
}
