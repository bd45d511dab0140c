#include "analyzer/base/edit.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct aa_fix *aa_fix_new(enum aa_fix_kind kind)
{
	struct aa_fix *fix = aa_xcalloc(1, sizeof(*fix));
	fix->kind = kind;
	return fix;
}

void aa_fix_free(struct aa_fix *fix)
{
	if (!fix)
		return;
	for (size_t i = 0; i < fix->n_edits; i++)
		free(fix->edits[i].content);
	free(fix->edits);
	free(fix);
}

struct aa_fix *aa_fix_copy(const struct aa_fix *fix)
{
	if (!fix)
		return NULL;
	struct aa_fix *copy = aa_fix_new(fix->kind);
	AA_GROW(copy->edits, copy->cap, fix->n_edits);
	for (size_t i = 0; i < fix->n_edits; i++) {
		copy->edits[i] = fix->edits[i];
		copy->edits[i].content = aa_xstrdup(fix->edits[i].content);
	}
	copy->n_edits = fix->n_edits;
	return copy;
}

bool aa_edit_overlaps(const struct aa_edit *a, const struct aa_edit *b)
{
	if (a->start == a->end && b->start == b->end)
		return a->start == b->start;
	if (a->start == a->end)
		return a->start > b->start && a->start < b->end;
	if (b->start == b->end)
		return b->start > a->start && b->start < a->end;
	return a->start < b->end && b->start < a->end;
}

bool aa_edit_same(const struct aa_edit *a, const struct aa_edit *b)
{
	return a->start == b->start && a->end == b->end && !strcmp(a->content, b->content);
}

bool aa_fix_add(struct aa_fix *fix, uint32_t start, uint32_t end, const char *content, size_t len)
{
	struct aa_edit e = { .start = start, .end = end };
	if (start > end)
		return false;
	size_t at = fix->n_edits;
	for (size_t i = 0; i < fix->n_edits; i++) {
		if (aa_edit_overlaps(&fix->edits[i], &e))
			return false;
		/* An insertion at a replacement's start goes before it. */
		if (at == fix->n_edits && (fix->edits[i].start > start ||
					   (fix->edits[i].start == start && start == end)))
			at = i;
	}
	AA_GROW(fix->edits, fix->cap, fix->n_edits + 1);
	memmove(fix->edits + at + 1, fix->edits + at, (fix->n_edits - at) * sizeof(*fix->edits));
	e.content = aa_xstrndup(content, len);
	fix->edits[at] = e;
	fix->n_edits++;
	return true;
}
