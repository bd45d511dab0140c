/*
 * diag.h: a finding, and the list that collects them.
 *
 * A finding is self-contained: it owns copies of its path, message and source line (of
 * a long line, a window around the anchor: analyzer/input/excerpt.h), so that emitters
 * never re-read files and findings outlive the per-file parse. A finding kept to the
 * end of a run is packed (aa_diag_pack): those copies and its fix in one block. Positions
 * are 1-based; columns count Unicode code points (SARIF columnKind unicodeCodePoints);
 * end positions are exclusive of the last column (end_col is one past the span).
 * Allocation failure exits (xalloc.h). A list has one owner at a time (no locking: each
 * worker fills its own, the engine merges them).
 */
#ifndef AA_DIAG_H
#define AA_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/base/arena.h"
#include "analyzer/base/edit.h"
#include "analyzer/base/span.h"
#include "analyzer/input/excerpt.h"

struct aa_rule;


/* Another place that explains the finding (SARIF relatedLocations, or a hop of a
 * codeFlow when the finding has a chain). */
struct aa_related {
	char *path;    /* owned; display path like aa_diag.path */
	struct aa_span span;
	char *message; /* owned */
};

struct aa_diag {
	const struct aa_rule *rule; /* borrowed from the registry */
	char *path;        /* owned; as given or found on the command line, '/'-separated */
	struct aa_span span;
	char *message;     /* owned */
	/* owned; the anchor's line without its line end, or the window of it that
	 * aa_excerpt_make keeps of a long line; NULL if unknown */
	char *source_line;
	struct aa_related *related; /* owned array of n_related */
	size_t n_related;
	/* the finding's identity across edits (analyzer/report/fingerprint.h), valid when
	 * has_fingerprint: set by aa_fingerprint_assign as the report reads the finding */
	uint64_t fingerprint;
	/* owned; the edits that repair it (edit.h, spans filled in), or NULL. Sorting and
	 * suppression carry it with the finding. */
	struct aa_fix *fix;
	/* owned; NULL, or the one block that holds path, message, source_line and fix (the
	 * struct, its edits and their contents) once aa_diag_pack made it: then none of them
	 * is freed or replaced on its own (aa_diag_release frees the block). */
	void *pack;
	/* The small fields last, together: 96 bytes a finding, not 112 (a run over 100,000
	 * files named one by one keeps a finding or more per file to its end). */
	uint32_t source_from; /* code points of the line before source_line (0: it starts the line) */
	bool source_cut;      /* the line goes on after source_line */
	/* When set, related[] is an ordered chain (caller -> ... -> blocking call) and SARIF
	 * emits it as a codeFlow as well. */
	bool related_is_chain;
	/* The configuration's severity for this finding (an enum aa_severity, rule.h) when
	 * has_severity, else the rule's: read it with aa_diag_severity. */
	bool has_severity;
	unsigned char severity;
	bool has_fingerprint;
};

/* d's severity (an enum aa_severity): the configured one, else its rule's. */
int aa_diag_severity(const struct aa_diag *d);

struct aa_diag_list {
	struct aa_diag *items; /* owned */
	size_t len, cap;
};

/* Makes list empty; allocates nothing (whatever list held is not freed). */
void aa_diag_list_init(struct aa_diag_list *list);
/* Frees every finding and the array, and leaves list empty and reusable. */
void aa_diag_list_release(struct aa_diag_list *list);
/* Appends a finding; the list takes ownership of d's members (d is copied by value:
 * the caller must not free them, nor use *d as an owner again). Checks nothing:
 * findings reach a list through aa_noqa_push (noqa.h), the one suppression point. */
void aa_diag_list_push(struct aa_diag_list *list, struct aa_diag *d);
/* Appends a deep copy of d (borrowed) to dst: for a reader that keeps findings whose
 * owner keeps them too (the language server's copy of a warm project's findings). */
void aa_diag_list_copy(struct aa_diag_list *dst, const struct aa_diag *d);
/* Moves every finding of src to the end of dst; src is left empty. dst and src are
 * distinct. */
void aa_diag_list_take(struct aa_diag_list *dst, struct aa_diag_list *src);
/* Moves src's findings from index `from` on (from <= src->len) to the end of dst; src
 * keeps its first `from`. dst and src are distinct. */
void aa_diag_list_take_tail(struct aa_diag_list *dst, struct aa_diag_list *src, size_t from);
/* Sorts by (path, line, col, end_line, end_col, code, message): a total order, so output
 * is byte-identical whatever the thread count. */
void aa_diag_list_sort(struct aa_diag_list *list);
/* Makes *line (taken over; left empty) d's source line. d is not packed. */
void aa_diag_take_line(struct aa_diag *d, struct aa_excerpt *line);

/* Moves d's path, message, source line and fix (with its edits) into one block, d->pack,
 * freeing the copies they were: one allocation a finding instead of up to seven, for
 * findings kept until the run's sorted report. The pointers change, the values do not.
 * d is not packed yet. Allocation failure exits. */
void aa_diag_pack(struct aa_diag *d);

/* A file's findings kept to the end of a run (maybe 100,000 files named one by one) in
 * one block of bytes: numbers in a variable-length encoding, strings as their bytes, a
 * path equal to the file's not copied: half the size of a packed short finding and its
 * record. Moves every finding of list (emptied) into a new block and returns it, or NULL
 * when list is empty. With arena NULL the block is the caller's (free() it); else it is
 * a copy in arena (analyzer/base/arena.h: valid until the arena is released), for an
 * owner that keeps every block to the end. path (borrowed, NUL-terminated, needed again
 * to thaw) is the file's display path. Allocation failure exits. */
unsigned char *aa_diag_freeze(struct aa_diag_list *list, const char *path, struct aa_arena *arena);
/* Appends to out (initialised) the findings frozen in block by aa_diag_freeze with the
 * same path, as new findings out owns, each packed (aa_diag_pack); block (borrowed; NULL
 * appends nothing) is unchanged and may be thawed again. Allocation failure exits. */
void aa_diag_thaw(const unsigned char *block, const char *path, struct aa_diag_list *out);

/* Frees one finding's members (not d itself) and zeroes it: releasing it again is safe. */
void aa_diag_release(struct aa_diag *d);

#endif
