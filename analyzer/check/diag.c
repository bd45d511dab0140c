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

/* aa_diag_pack; with owned false, d's path, message, source line and fix (with its edits)
 * are borrowed: copied, not freed. */
static void pack(struct aa_diag *d, bool owned)
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
		if (owned)
			aa_fix_free(d->fix);
		d->fix = packed;
	}
	char *path = pack_str(&at, d->path), *message = pack_str(&at, d->message);
	char *line = pack_str(&at, d->source_line);
	if (owned) {
		free(d->path);
		free(d->message);
		free(d->source_line);
	}
	d->path = path;
	d->message = message;
	d->source_line = line;
	d->pack = block;
}

void aa_diag_pack(struct aa_diag *d)
{
	pack(d, true);
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
	/* An emptied list may still hold its array (its findings dropped one by one). */
	if (src->len) {
		AA_GROW(dst->items, dst->cap, dst->len + src->len);
		memcpy(dst->items + dst->len, src->items, src->len * sizeof(*src->items));
		dst->len += src->len;
	}
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
	/* Files are analyzed in path order: a run without cross-file findings is often
	 * sorted already, and qsort's scratch array (16 bytes a finding) would come at the
	 * run's peak. A sorted list is what a stable sort leaves (glibc's merge sort). */
	size_t i = 1;
	while (i < list->len && cmp_diag(&list->items[i - 1], &list->items[i]) <= 0)
		i++;
	if (i < list->len)
		qsort(list->items, list->len, sizeof(*list->items), cmp_diag);
}

/* ---- frozen lists: unsigned LEB128 numbers, strings as their length and bytes with
 * their NUL (a thawed finding borrows them until it is packed), a rule as its pointer's
 * bytes (the registry outlives every finding) -------------------------------------- */

/* Writes to at[0..n), or only counts n when at is NULL: the first pass sizes the block. */
struct writer {
	unsigned char *at;
	size_t n;
};

static void put_bytes(struct writer *w, const void *p, size_t n)
{
	if (w->at)
		memcpy(w->at + w->n, p, n);
	w->n += n;
}

static void put_num(struct writer *w, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;
	do {
		b[n] = v & 0x7f;
		v >>= 7;
		b[n++] |= v ? 0x80 : 0;
	} while (v);
	put_bytes(w, b, n);
}

/* A string: 0 for NULL, 1 for the list's path (not copied), else its length + 2 and its
 * bytes with their NUL. */
static void put_str(struct writer *w, const char *s, const char *path)
{
	if (!s) {
		put_num(w, 0);
	} else if (path && !strcmp(s, path)) {
		put_num(w, 1);
	} else {
		size_t n = strlen(s);
		put_num(w, (uint64_t)n + 2);
		put_bytes(w, s, n + 1);
	}
}

static void put_span(struct writer *w, struct aa_span sp)
{
	put_num(w, sp.line);
	put_num(w, sp.col);
	put_num(w, sp.end_line);
	put_num(w, sp.end_col);
}

enum { FROZEN_CUT = 1, FROZEN_CHAIN = 2, FROZEN_SEVERITY = 4, FROZEN_FINGERPRINT = 8 };

static void put_list(struct writer *w, const struct aa_diag_list *list, const char *path)
{
	put_num(w, list->len);
	for (size_t i = 0; i < list->len; i++) {
		const struct aa_diag *d = &list->items[i];
		put_bytes(w, &d->rule, sizeof(d->rule));
		put_str(w, d->path, path);
		put_span(w, d->span);
		put_str(w, d->message, NULL);
		put_str(w, d->source_line, NULL);
		put_num(w, d->source_from);
		put_num(w, (d->source_cut ? FROZEN_CUT : 0) | (d->related_is_chain ? FROZEN_CHAIN : 0) |
				   (d->has_severity ? FROZEN_SEVERITY : 0) | (d->has_fingerprint ? FROZEN_FINGERPRINT : 0));
		put_num(w, d->severity);
		put_num(w, d->n_related);
		for (size_t k = 0; k < d->n_related; k++) {
			put_str(w, d->related[k].path, path);
			put_span(w, d->related[k].span);
			put_str(w, d->related[k].message, NULL);
		}
		if (d->has_fingerprint)
			put_num(w, d->fingerprint);
		/* kind 0 (AA_FIX_NONE): no fix */
		put_num(w, d->fix ? (uint64_t)d->fix->kind : 0);
		put_num(w, d->fix ? d->fix->n_edits : 0);
		for (size_t k = 0; d->fix && k < d->fix->n_edits; k++) {
			const struct aa_edit *e = &d->fix->edits[k];
			put_num(w, e->start);
			put_num(w, e->end);
			put_span(w, e->span);
			put_str(w, e->content, NULL);
		}
	}
}

unsigned char *aa_diag_freeze(struct aa_diag_list *list, const char *path, struct aa_arena *arena)
{
	unsigned char *block = NULL;
	if (list->len) {
		struct writer w = { NULL, 0 };
		put_list(&w, list, path);
		/* Exactly its bytes: it is kept to the end of the run. */
		block = aa_xmalloc(w.n);
		w = (struct writer){ block, 0 };
		put_list(&w, list, path);
		if (arena) {
			/* Copied, not written in place: the arena makes copies (with a NUL after). */
			unsigned char *kept = (unsigned char *)aa_arena_copy(arena, (const char *)block, w.n);
			free(block);
			block = kept;
		}
	}
	aa_diag_list_release(list);
	return block;
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

/* A string of the block (or the list's path), borrowed. */
static const char *get_str(struct reader *r)
{
	uint64_t n = get_num(r);
	if (n < 2)
		return n ? r->path : NULL;
	const char *s = (const char *)r->at;
	r->at += n - 1;
	return s;
}

static char *get_dup(struct reader *r)
{
	const char *s = get_str(r);
	return s ? aa_xstrdup(s) : NULL;
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

void aa_diag_thaw(const unsigned char *block, const char *path, struct aa_diag_list *out)
{
	if (!block)
		return;
	struct reader r = { block, path };
	size_t n = (size_t)get_num(&r);
	AA_GROW(out->items, out->cap, out->len + n);
	struct aa_edit *edits = NULL;
	size_t edits_cap = 0;
	for (size_t i = 0; i < n; i++) {
		struct aa_diag d = { 0 };
		memcpy(&d.rule, r.at, sizeof(d.rule));
		r.at += sizeof(d.rule);
		/* Borrowed from the block until pack() copies them (with the fix). */
		d.path = (char *)get_str(&r);
		d.span = get_span(&r);
		d.message = (char *)get_str(&r);
		d.source_line = (char *)get_str(&r);
		d.source_from = (uint32_t)get_num(&r);
		unsigned flags = (unsigned)get_num(&r);
		d.source_cut = flags & FROZEN_CUT;
		d.related_is_chain = flags & FROZEN_CHAIN;
		d.has_severity = flags & FROZEN_SEVERITY;
		d.has_fingerprint = flags & FROZEN_FINGERPRINT;
		d.severity = (unsigned char)get_num(&r);
		d.n_related = (size_t)get_num(&r);
		d.related = d.n_related ? aa_xcalloc(d.n_related, sizeof(*d.related)) : NULL;
		for (size_t k = 0; k < d.n_related; k++) {
			d.related[k].path = get_dup(&r);
			d.related[k].span = get_span(&r);
			d.related[k].message = get_dup(&r);
		}
		if (d.has_fingerprint)
			d.fingerprint = get_num(&r);
		struct aa_fix fix = { (enum aa_fix_kind)get_num(&r), NULL, (size_t)get_num(&r), 0 };
		AA_GROW(edits, edits_cap, fix.n_edits);
		fix.edits = edits;
		for (size_t k = 0; k < fix.n_edits; k++) {
			edits[k].start = (uint32_t)get_num(&r);
			edits[k].end = (uint32_t)get_num(&r);
			edits[k].span = get_span(&r);
			edits[k].content = (char *)get_str(&r);
		}
		if (fix.kind != AA_FIX_NONE)
			d.fix = &fix;
		pack(&d, false);
		out->items[out->len++] = d;
	}
	free(edits);
}
