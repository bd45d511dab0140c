/*
 * index.h: the project index: every file's summary linked into one view of the
 * project's modules, functions, classes and calls (cppcheck's analyseWholeProgram).
 * Built and asked on the main thread only (resolution memoises). Allocation failure
 * exits (analyzer/base/xalloc.h); nothing here fails otherwise.
 *
 * Resolution follows Python: a qualified name is a function or class defined under it,
 * or a module-level name re-exported or aliased there (`from .db import save` in
 * pkg/__init__.py, `save_all = save`), or a method found through the class's project
 * base classes in method resolution order (depth-first, left to right, first
 * occurrence). What cannot be resolved is not guessed. All of it is deterministic: the
 * same summaries in the same order give the same findings, whatever the thread count
 * that produced them (summaries are ordered by file, not by completion).
 *
 * The index decides no rule: it answers questions (what a reference resolves to, what a
 * function is, whether a subclass overrides a method) and says which unread modules the
 * cross-file analyses need. The analyses (rules/<family>/, rule.h's struct aa_crossfile)
 * ask through the functions below from their demand and link hooks.
 */
#ifndef AA_INDEX_H
#define AA_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/index/modmap.h"
#include "analyzer/facts/summary.h"

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
struct aa_demand;

/* Builds the index of sums[0..n) (NULL entries are skipped). The array is borrowed and
 * read live: it and every summary it holds or held must stay valid until
 * aa_index_free, including a summary the caller replaces (keep it aside, put the new
 * one in its slot, then call aa_index_add). Caller frees with aa_index_free. */
struct aa_index *aa_index_new(struct aa_summary *const *sums, size_t n);

/* Adds the definitions of sums[files[0..k)] (ascending file indices below the n given
 * to aa_index_new; files is borrowed for the call), which the caller has just put in
 * place of the import-only summaries (or NULLs) those slots held. */
void aa_index_add(struct aa_index *x, const size_t *files, size_t k);

/* Lets x find a module also by the other names modmap knows for its file (a namespace
 * package's name from the command-line root: "svc.packs" for svc/packs.py, whose
 * summary is "packs" when svc/ has no __init__.py); sums[i] must be the summary of
 * modmap's file i. modmap is borrowed: it must outlive x. Without it, a module is found
 * by its summary's name only. */
void aa_index_use_modmap(struct aa_index *x, const struct aa_modmap *modmap);

/* aa_index_free(NULL) is a no-op. Frees no summary. */
void aa_index_free(struct aa_index *x);

/* A cross-file analysis's demand hook (rule.h), with the record slot of its analysis. */
struct aa_demand_hook {
	void (*demand)(struct aa_demand *demand);
	size_t slot;
};

/* Files the summaries call into that have not been analyzed (analyzed[i] false):
 * modules reached through imports are read on demand, even without async code. Demand
 * starts at the deferred findings (aa_sum_defer: only packages' __init__, since a module
 * without `async def` defines no coroutine function but a package may re-export one;
 * those that need nothing more are marked settled and skipped in later calls) and at
 * what each hook of hooks[0..n_hooks) asks for. When importers is set, also the skipped
 * files whose imports name a project coroutine and whose text (check, then not NULL)
 * may call it. analyzed has n_files entries; modmap is the run's. Appends their file
 * indices to *wanted (grown with AA_GROW; caller frees), each once, in file order.
 * Returns how many were added. */
size_t aa_index_wanted_files(struct aa_index *x, const struct aa_modmap *modmap, const bool *analyzed, size_t n_files,
			     bool importers, const struct aa_demand_hook *hooks, size_t n_hooks, size_t **wanted,
			     size_t *wanted_cap, const struct aa_index_text_check *check);

/* ---- questions ------------------------------------------------------------------- */

/* "No such function or class." */
#define AA_INDEX_NONE UINT32_MAX

/* The function a call reference lands on, or AA_INDEX_NONE (names are followed through
 * import aliases, re-exports and module-level star imports: index.c's resolve_starred); *receiver (receiver not
 * NULL) is the class the method was looked up from (for
 * aa_index_overridden_differently), or AA_INDEX_NONE. Lazily computes method resolution
 * orders, hence the non-const index. */
uint32_t aa_index_resolve_ref(struct aa_index *x, const struct aa_ref *ref, uint32_t *receiver);

/* The name q (NUL-terminated, qualified) stands for once the re-exports of the modules
 * along it are followed: an alias or import re-exported under a prefix of q
 * (`from ._native import fetch` in pkg/__init__.py makes "pkg.fetch" mean
 * "pkg._native.fetch", and "pkg.Conn.query" "pkg._native.Conn.query"), or a package's one
 * module-level `from m import *` for a name it does not bind itself. For names that are
 * no project function or class, such as an extension's. Returns an owned string, or NULL
 * when no re-export applies; bounded (16 steps). */
char *aa_index_reexported(struct aa_index *x, const char *q);

/* The one base of project class cls (NUL-terminated, qualified) and of its project base
 * classes that is no project class, as the defining file names it
 * ("pkg._native.Connection"; borrowed from the summaries), for methods the project does
 * not define: NULL when cls is no project class, when there is none or more than one
 * such base (`object` aside), or a base a file could not name. */
const char *aa_index_foreign_base(struct aa_index *x, const char *cls);

/* Does a project subclass of class cls (a receiver aa_index_resolve_ref gave, not
 * AA_INDEX_NONE) define method (NUL-terminated) with another async-ness? */
bool aa_index_overridden_differently(struct aa_index *x, uint32_t cls, const char *method, bool is_async);

/* The definitions of method (NUL-terminated) in the project subclasses of class cls
 * (a receiver aa_index_resolve_ref gave, not AA_INDEX_NONE), every one at any depth.
 * Written to out[0..max); returns their count (0: no subclass defines it), or SIZE_MAX when the answer may be incomplete: more than max
 * definitions or 256 subclasses, or a file the index did not parse imports the module
 * of cls or of one of its subclasses (it may define another subclass). */
size_t aa_index_subclass_defs(struct aa_index *x, uint32_t cls, const char *method, uint32_t *out, size_t max);

/* Does function f (below aa_index_func_count) run alone on an event loop of its own
 * (analyzer/facts/loop_uses.h)? True for a coroutine function without decorators, which
 * starts nothing beside itself on its loop and awaits no project function that does
 * (summary.h's spawns, followed up the awaits), whose name nothing in the summaries uses
 * but an await (a file not parsed uses every name it imports) and no package's __init__
 * re-exports (nor, for a method, its class's), reached from a coroutine started on a
 * fresh loop from sync code (asyncio.run, run_until_complete, anyio.run, trio.run)
 * through awaits only, and awaited only by functions that run alone (an await of a
 * method also reaches the project subclasses' overrides). False for every function when
 * a file mentions nest_asyncio (a "fresh" loop may be the running one). Files not
 * summarised are not seen: a run on part of a project may spare more than a run on all
 * of it. Answers are made on the first question after the last aa_index_add (not
 * thread-safe: the link's thread asks), in time and memory linear in the summaries'
 * functions, awaits and uses. */
bool aa_index_runs_alone(struct aa_index *x, uint32_t f);

/* Functions are numbered 0..aa_index_func_count(), file by file. For function f: its
 * summary entry, the file (summary index) it is in, that summary, its index in that
 * summary's funcs[], and the name it is shown by (its qualified name without the
 * module; borrowed). f is below the count; everything returned is borrowed from the
 * summaries. aa_index_func_id() is the inverse of (file, local), for a file the index
 * holds and a local below that summary's n_funcs. */
size_t aa_index_func_count(const struct aa_index *x);
const struct aa_sum_func *aa_index_func(const struct aa_index *x, uint32_t f);
size_t aa_index_func_file(const struct aa_index *x, uint32_t f);
const struct aa_summary *aa_index_func_summary(const struct aa_index *x, uint32_t f);
uint32_t aa_index_func_local(const struct aa_index *x, uint32_t f);
uint32_t aa_index_func_id(const struct aa_index *x, size_t file, uint32_t local);
const char *aa_index_func_name(const struct aa_index *x, uint32_t f);

/* ---- a demand hook's view (aa_index_wanted_files calls the hooks) ---------------- */

struct aa_index *aa_demand_index(const struct aa_demand *demand);
/* The summaries' count, and the hook's analysis's record of file's summary (file below
 * the count) or NULL; the record is owned by the summary. */
size_t aa_demand_count(const struct aa_demand *demand);
void *aa_demand_record(const struct aa_demand *demand, size_t file);
/* Wants the unread modules resolving ref needs (its names' modules, the bases and
 * typed attributes of the classes along the way); packages_only: only packages'
 * __init__. Returns how many files it newly wanted. */
size_t aa_demand_ref(struct aa_demand *demand, const struct aa_ref *ref, bool packages_only);

#endif
