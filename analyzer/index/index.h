/*
 * index.h: the project index: every file's summary linked into one view of the
 * project's modules, functions, classes and calls (cppcheck's analyseWholeProgram).
 *
 * Resolution follows Python: a qualified name is a function or class defined under it,
 * or a module-level name re-exported or aliased there (`from .db import save` in
 * pkg/__init__.py, `save_all = save`), or a method found through the class's project
 * base classes in method resolution order (depth-first, left to right, first
 * occurrence). What cannot be resolved is not guessed. All of it is deterministic: the
 * same summaries in the same order give the same findings, whatever the thread count
 * that produced them (summaries are ordered by file, not by completion).
 *
 * Cross-file rules decided here:
 *  - AA109: a call in async context to a sync project function that reaches a certain
 *    blocking call through sync project functions (shortest chain, cycles terminate; a
 *    helper with a decorator not known to be transparent cuts the chain);
 *  - deferred findings (aa_ctx_defer): reported when the callee is a project coroutine
 *    function, unless a project subclass overrides the method with another async-ness.
 */
#ifndef AA_INDEX_H
#define AA_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/check/diag.h"
#include "analyzer/index/modmap.h"
#include "analyzer/facts/summary.h"

/* Links sums[0..n) (borrowed; NULL entries are skipped) and appends the cross-file
 * findings to out. */
void aa_index_link(struct aa_summary *const *sums, size_t n, struct aa_diag_list *out);

/* How the index asks whether a skipped file's text contains any of needles[0..n) (e.g.
 * ".register(", "register_all("): an importer of a project coroutine is parsed only when
 * it may call it. */
struct aa_index_text_check {
	bool (*mentions)(void *ud, size_t file, const char *const *needles, size_t n);
	void *ud;
};

/* The index of one run's summaries, kept across the rounds in which modules are read on
 * demand (run.c): built once, then grown with the summaries of the files read. */
struct aa_index;

/* Builds the index of sums[0..n) (NULL entries are skipped). The array is borrowed and
 * read live: it and every summary it holds or held must stay valid until
 * aa_index_free, including a summary the caller replaces (keep it aside, put the new
 * one in its slot, then call aa_index_add). Caller frees with aa_index_free. */
struct aa_index *aa_index_new(struct aa_summary *const *sums, size_t n);

/* Adds the definitions of sums[files[0..k)] (ascending file indices), which the caller
 * has just put in place of the import-only summaries (or NULLs) those slots held. */
void aa_index_add(struct aa_index *x, const size_t *files, size_t k);

/* Appends the cross-file findings of the summaries indexed so far to out (what
 * aa_index_link does, on an index already built). */
void aa_index_report(struct aa_index *x, struct aa_diag_list *out);

/* aa_index_free(NULL) is a no-op. Frees no summary. */
void aa_index_free(struct aa_index *x);

/* Files the summaries call into that have not been analyzed (analyzed[i] false):
 * modules reached through imports are read on demand, even without async code. Demand
 * starts at the cross-file call sites: an AA109 site wants every module its callee's
 * resolution and the sync functions it reaches need; a coroutine site (AA201/AA202) only
 * packages' __init__ (a module without `async def` defines no coroutine function, but
 * a package may re-export one). Coroutine sites that need nothing more are marked
 * settled and skipped in later calls. When importers is set, also the skipped files
 * whose imports name a project coroutine and whose text (check) may call it. Appends
 * their file indices to *wanted (grown with AA_GROW; caller frees), each once, in file
 * order. Returns how many were added. */
size_t aa_index_wanted_files(struct aa_index *x, const struct aa_modmap *modmap, const bool *analyzed, size_t n_files,
			     bool importers, size_t **wanted, size_t *wanted_cap, const struct aa_index_text_check *check);

#endif
