#include "analyzer/input/excerpt.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>

static bool continues(const char *line, size_t len, size_t i)
{
	return i < len && ((unsigned char)line[i] & 0xC0) == 0x80;
}

struct aa_excerpt aa_excerpt_make(const char *line, size_t len, size_t anchor, uint32_t col)
{
	if (len <= AA_EXCERPT_WHOLE)
		return (struct aa_excerpt){ aa_xstrndup(line, len), 0, false };
	if (anchor > len)
		anchor = len;
	/* The anchor's code point starts the count; a window never starts or ends inside a
	 * UTF-8 sequence (text[len] is a boundary). */
	while (anchor && continues(line, len, anchor))
		anchor--;
	size_t start = anchor > AA_EXCERPT_BEFORE ? anchor - AA_EXCERPT_BEFORE : 0;
	while (continues(line, len, start))
		start++;
	size_t end = start + AA_EXCERPT_WINDOW < len ? start + AA_EXCERPT_WINDOW : len;
	while (end > anchor && continues(line, len, end))
		end--;
	/* col - 1 code points precede the anchor on the line; those in [start, anchor) are
	 * in the excerpt. */
	uint32_t inside = 0;
	for (size_t i = start; i < anchor; i++)
		inside += !continues(line, len, i);
	uint32_t before = col > inside ? col - 1 - inside : 0;
	return (struct aa_excerpt){ aa_xstrndup(line + start, end - start), before, end < len };
}

struct aa_excerpt aa_excerpt_of(const struct aa_source *src, uint32_t offset)
{
	if (!src->text)
		return (struct aa_excerpt){ 0 };
	uint32_t line = aa_source_line_of(src, offset);
	uint32_t start = src->line_starts[line];
	return aa_excerpt_make(src->text + start, aa_source_line_len(src, line), offset - start,
			       aa_source_col(src, line, offset));
}

struct aa_excerpt aa_excerpt_copy(const struct aa_excerpt *e)
{
	return (struct aa_excerpt){ e->text ? aa_xstrdup(e->text) : NULL, e->from, e->cut };
}

void aa_excerpt_release(struct aa_excerpt *e)
{
	free(e->text);
	*e = (struct aa_excerpt){ 0 };
}
