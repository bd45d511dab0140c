/*
 * excerpt.h: the source line a finding keeps, bounded.
 *
 * A finding shows its anchor's line (the text report prints it under the message with
 * carets, SARIF's snippet is cut from it) and is fingerprinted by it
 * (analyzer/report/fingerprint.h). A line of up to AA_EXCERPT_WHOLE bytes is kept whole,
 * byte for byte. Of a longer one (minified or generated code, data), only a window
 * around the anchor is kept: from AA_EXCERPT_BEFORE bytes before the anchor, and
 * AA_EXCERPT_WINDOW bytes in all, both ends moved to code point boundaries. A copy of the
 * whole line per finding (and per call site a cross-file analysis keeps) made one long
 * line of calls quadratic in time and memory: 16,000 calls on a 256 KB line took 4 GB.
 */
#ifndef AA_EXCERPT_H
#define AA_EXCERPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/input/source.h"

/* Lines of real code stay far below (the longest line holding a finding on the
 * comparison trees has 130 bytes), so their excerpts and fingerprints are the line. */
#define AA_EXCERPT_WHOLE 512
#define AA_EXCERPT_BEFORE 120
#define AA_EXCERPT_WINDOW 360

struct aa_excerpt {
	char *text;    /* owned; NUL-terminated, without the line end; NULL when unknown */
	uint32_t from; /* code points of the line before text: 0 when text starts the line */
	bool cut;      /* the line goes on after text */
};

/* The excerpt of line[0, len) (UTF-8, no line end, need not be NUL-terminated) for an
 * anchor at byte `anchor` of it (clamped to len), whose 1-based code-point column on the
 * line is col (as aa_source_col counts it). Allocation failure exits. */
struct aa_excerpt aa_excerpt_make(const char *line, size_t len, size_t anchor, uint32_t col);

/* The excerpt of the line of src holding byte offset `offset` (<= src->len), anchored
 * there; an empty excerpt (text NULL) when src has no text. */
struct aa_excerpt aa_excerpt_of(const struct aa_source *src, uint32_t offset);

/* A deep copy of e (borrowed). */
struct aa_excerpt aa_excerpt_copy(const struct aa_excerpt *e);

/* Frees what e owns and leaves it empty (releasing it again is safe). */
void aa_excerpt_release(struct aa_excerpt *e);

#endif
