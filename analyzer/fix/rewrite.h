/*
 * rewrite.h: the one place files are rewritten (--fix, --add-noqa), and the edits that
 * go into a rewrite.
 *
 * Edits (analyzer/base/edit.h) are chosen from a file's fixes as Ruff does: in order,
 * a fix whose edits overlap one already chosen waits for the next round (the caller
 * re-analyzes and asks again), and an edit identical to one already chosen (the same
 * `import asyncio` two fixes add) is applied once. They are then applied to the file's
 * original bytes: offsets in the decoded text are mapped back (past a UTF-8 BOM; through
 * the declared encoding of a PEP 263 file, whose other bytes stay as they were), so a
 * rewrite keeps the encoding, the BOM and the line ends (edits that add lines use the
 * file's own, analyzer/check/context.h). Allocation failure exits (xalloc.h).
 */
#ifndef AA_REWRITE_H
#define AA_REWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/base/edit.h"
#include "analyzer/input/source.h"

/* Edits chosen for one round, by increasing start; they do not overlap. */
struct aa_edit_list {
	const struct aa_edit **items; /* owned array; the edits are borrowed from the fixes */
	size_t len, cap;
};

/* Adds fix's edits to list when none overlaps an edit already there (edits identical
 * to one there are skipped); returns whether the fix was taken. fix is borrowed: it
 * must outlive the list. */
bool aa_edit_list_take(struct aa_edit_list *list, const struct aa_fix *fix);
/* Frees the array (not the edits) and leaves list empty. */
void aa_edit_list_release(struct aa_edit_list *list);

/* Applies list to the file bytes raw[0..len) whose decoding is src (aa_source_from_bytes
 * of the same bytes: its text, bom and encoding). On success returns 0 with *out
 * (malloc'd, caller frees) and *out_len; -1 with *error (malloc'd message, caller frees)
 * when an edit's text cannot be written in the file's encoding or the encoding does not
 * map the text back to these bytes. */
int aa_rewrite_bytes(const char *raw, size_t len, const struct aa_source *src, const struct aa_edit_list *list,
		     char **out, size_t *out_len, char **error);

/* Replaces the file at path (NUL-terminated, borrowed) with data[0..len) atomically: a
 * temporary file in the same directory, written, synced and given the file's mode (and
 * owner, when allowed), is renamed over it, so a reader sees the old file or the new
 * one. A symbolic link is not replaced: the file it resolves to is (the link stays and
 * still points there). Only a regular file is rewritten. Returns 0, or -1 with *error
 * (malloc'd message naming the file and why, caller frees); the file is then as it was. */
int aa_rewrite_file(const char *path, const char *data, size_t len, char **error);

#endif
