/*
 * findings.h: a run's findings as the report reads them, kept until it is written.
 *
 * A run over 100,000 files named one by one keeps a finding or more per file: thawed
 * all at once (diag.h's aa_diag_thaw, a 96-byte struct aa_diag and a packed block each)
 * they were the run's peak memory. The store keeps each file's local findings in the
 * frozen block the engine made (aa_diag_freeze, a few dozen bytes a short finding) and
 * the other findings (cross-file, audit, standard input's) as a plain list; a reader
 * gives them back one path at a time, in path order, so that the report thaws one
 * file's findings at a time (analyzer/report/report.h sorts and reads each group).
 *
 * A store has one owner at a time (no locking). Allocation failure exits (xalloc.h).
 */
#ifndef AA_FINDINGS_H
#define AA_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/base/arena.h"
#include "analyzer/check/diag.h"

/* One file's frozen local findings. */
struct aa_findings_file {
	const char *path;           /* the file's display path, copied into the store's arena */
	const unsigned char *block; /* aa_diag_freeze's block, not NULL: in the store's arena */
};

struct aa_findings {
	/* owned; in the order of their paths (strcmp), each file's findings all made with
	 * the file's display path (diag.h's frozen path) */
	struct aa_findings_file *files;
	size_t n_files, cap;
	struct aa_arena kept;     /* owned; the files' paths and blocks */
	struct aa_diag_list rest; /* owned; the other findings, sorted (aa_diag_list_sort) */
};

/* Makes f empty; allocates nothing. */
void aa_findings_init(struct aa_findings *f);
/* Frees every block, path and finding, and leaves f empty and reusable. */
void aa_findings_release(struct aa_findings *f);

/* Moves every copy of arena (left empty) to f: frozen blocks made in it
 * (aa_diag_freeze) may be added. */
void aa_findings_take_arena(struct aa_findings *f, struct aa_arena *arena);
/* Appends the file at path (borrowed; copied) with its frozen findings block (in an
 * arena f took; NULL: none, nothing is added). path must not sort before the path of
 * the file added last (files are added in path order). */
void aa_findings_add_block(struct aa_findings *f, const char *path, const unsigned char *block);

/* Moves every finding of list (left empty) to f's rest and sorts it: findings that
 * are not kept frozen (standard input's, cross-file ones, a test's). */
void aa_findings_take_list(struct aa_findings *f, struct aa_diag_list *list);

/* Appends to out (initialised) copies of every finding of f, unsorted: for the callers
 * that want a plain list (--fix, --diff, --add-noqa). */
void aa_findings_copy_all(const struct aa_findings *f, struct aa_diag_list *out);

/* A pass over a store, one path at a time. The store must not change during the pass. */
struct aa_findings_reader {
	const struct aa_findings *f; /* borrowed */
	size_t file, rest;           /* the next file, the next finding of rest */
};

/* Starts a pass over f (borrowed for the pass). */
void aa_findings_read(struct aa_findings_reader *r, const struct aa_findings *f);
/* Appends to group (initialised; the caller empties it between calls) the findings of
 * the next path in path order, as new findings group owns: copies of rest's first, then
 * the files' thawed (aa_diag_thaw), so a stable sort of group orders ties as a sort of
 * the whole run did. Returns false (appending nothing) when every path was read. */
bool aa_findings_next_group(struct aa_findings_reader *r, struct aa_diag_list *group);

#endif
