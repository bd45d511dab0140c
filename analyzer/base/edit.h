/*
 * edit.h: a fix, the edits a finding carries so that --fix, --diff and an editor's code
 * action can repair it.
 *
 * An edit replaces the bytes [start, end) of a file's decoded text (analyzer/input/
 * source.h: UTF-8, the BOM stripped, offsets as the parser sees them) with content; an
 * insertion has start == end. Its span says the same range in lines and code-point
 * columns (span.h), for the output formats and editors; the context fills it in when the
 * finding is made. A fix's edits are applied together or not at all, never overlap one
 * another, and are kept in increasing start order. Allocation failure exits (xalloc.h).
 */
#ifndef AA_EDIT_H
#define AA_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/base/span.h"

/* Whether a fix may be applied without asking (a rule's descriptor says which kind its
 * fixes are, analyzer/check/rule.h). */
enum aa_fix_kind {
	AA_FIX_NONE = 0,
	AA_FIX_SAFE,   /* cannot change behaviour beyond removing the bug: --fix applies it */
	AA_FIX_UNSAFE, /* may change behaviour: applied only with --unsafe-fixes */
};

struct aa_edit {
	uint32_t start, end; /* bytes of the decoded text; start <= end */
	struct aa_span span; /* the same range; 0s until the context fills it */
	char *content;       /* owned; UTF-8, NUL-terminated; "" deletes */
};

struct aa_fix {
	enum aa_fix_kind kind; /* AA_FIX_SAFE or AA_FIX_UNSAFE */
	struct aa_edit *edits; /* owned; n_edits of them, by increasing start */
	size_t n_edits, cap;
};

/* An empty fix of kind (SAFE or UNSAFE). Caller frees with aa_fix_free. */
struct aa_fix *aa_fix_new(enum aa_fix_kind kind);
/* Frees fix and its edits; NULL is a no-op. */
void aa_fix_free(struct aa_fix *fix);
/* A deep copy of fix (NULL gives NULL). Caller frees with aa_fix_free. */
struct aa_fix *aa_fix_copy(const struct aa_fix *fix);

/* Adds the edit replacing [start, end) with content[0..len) (copied), keeping the edits
 * in start order. Returns false (adding nothing) when it would overlap an edit of the
 * fix, or when start > end: the rule then drops its fix. Two insertions at one offset
 * overlap; an insertion at the end of a replacement does not. */
bool aa_fix_add(struct aa_fix *fix, uint32_t start, uint32_t end, const char *content, size_t len);

/* True when edits a and b cannot both be applied: their ranges share a byte, or they
 * insert at one offset, or one inserts strictly inside the other's range. */
bool aa_edit_overlaps(const struct aa_edit *a, const struct aa_edit *b);
/* True when a and b are the same edit (range and content): two fixes that both add
 * `import asyncio` at one place add it once. */
bool aa_edit_same(const struct aa_edit *a, const struct aa_edit *b);

#endif
