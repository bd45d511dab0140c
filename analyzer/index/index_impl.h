/*
 * index_impl.h: the linked index's structures (index.c: building, resolution, on-demand
 * files; alone.c: which coroutine functions run alone). Only those and the index's unit
 * test include it.
 */
#ifndef AA_INDEX_IMPL_H
#define AA_INDEX_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/base/map.h"
#include "analyzer/facts/summary.h"
#include "analyzer/index/index.h"

#define NONE AA_INDEX_NONE

/* The maps below (string -> uint32, keys borrowed) answer NONE for a missing key. The
 * first put of a name wins: a name defined twice keeps its first meaning (deterministic:
 * summaries come in file order). */
_Static_assert(NONE == AA_MAP_NONE, "a map's missing key reads as NONE");

/* ---- the index ------------------------------------------------------------------- */

struct func_ref {
	const struct aa_summary *sum;
	const struct aa_sum_func *f;
	uint32_t sum_index; /* position of sum in the linked array */
};

struct class_ent {
	const struct aa_summary *sum;
	const struct aa_sum_class *c;
	uint32_t *mro;       /* owned, lazily computed; class ids, self first */
	uint32_t n_mro;
	bool mro_done;
	uint32_t *children;  /* owned; direct project subclasses */
	size_t n_children, children_cap;
	uint32_t *coro_methods; /* owned; function ids of the coroutine methods it defines itself */
	size_t n_coro_methods, coro_methods_cap;
};

/* Map keys and the entries' strings point into the summaries (borrowed): a summary
 * replaced by aa_index_add must outlive the index, as index.h says. */
struct aa_index {
	struct aa_summary *const *sums; /* borrowed; n_sums entries, read live */
	size_t n_sums;
	struct func_ref *funcs;
	size_t n_funcs, funcs_cap;
	struct class_ent *classes;
	size_t n_classes, classes_cap;
	struct aa_map func_by_name, class_by_name, export_by_name, module_by_name, attr_by_name;
	const struct aa_modmap *modmap; /* borrowed, or NULL: the files' other module names */
	const char **attr_types; /* by attribute id */
	size_t n_attrs, attrs_cap;
	const char **export_targets; /* by export id */
	size_t n_exports, exports_cap;
	uint32_t *func_base; /* per summary: id of its first function */
	/* Last components of the names an import can reach a coroutine through (coroutine
	 * functions, classes, exports). Only the importers' pass over files that were not
	 * parsed asks them, so they are made on its first question (tails_made), not for
	 * every index: files named one by one (100,000 of them) would keep two or three
	 * names each in them for nothing. */
	bool tails_made;
	struct aa_map callable_tails;
	/* Last components of the project's coroutine functions (undecorated or with known
	 * decorators): an import of such a name that does not resolve may go through a
	 * package that re-exports it. */
	struct aa_map coroutine_tails;
	/* aa_index_runs_alone's answers by function id (alone.c), made on its first
	 * question after the last change (NULL until then; owned). */
	bool *alone;
};

/* Forgets aa_index_runs_alone's answers (the index changed). */
void aa_index_forget_alone(struct aa_index *x);


#endif
