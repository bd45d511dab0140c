/*
 * index_impl.h: the linked index's structures, shared by index.c (building, resolution,
 * AA109, deferred coroutine findings, on-demand files) and rules/concurrency/fanout_link.c
 * (AA301/AA302, AA306's fan-out form). Only those files include it.
 */
#ifndef AA_INDEX_IMPL_H
#define AA_INDEX_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/check/diag.h"
#include "analyzer/facts/summary.h"

#define NONE UINT32_MAX

/* ---- a string -> uint32 map (open addressing; keys borrowed) ------------------------ */

struct smap {
	const char **keys;
	uint32_t *vals;
	uint32_t *hashes; /* low bits of each key's hash: probes compare them before the key */
	size_t cap, len;
};

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
	struct smap func_by_name, class_by_name, export_by_name, module_by_name, attr_by_name;
	const char **attr_types; /* by attribute id */
	size_t n_attrs, attrs_cap;
	const char **export_targets; /* by export id */
	size_t n_exports, exports_cap;
	uint32_t *func_base; /* per summary: id of its first function */
	/* Last components of the names an import can reach a coroutine through (coroutine
	 * functions, classes, exports); kept only by aa_index_new's indexes. */
	struct smap callable_tails;
	/* Last components of the project's coroutine functions (undecorated or with known
	 * decorators): an import of such a name that does not resolve may go through a
	 * package that re-exports it. */
	struct smap coroutine_tails;
};

/* The value of key, or NONE. */
uint32_t aa_index_smap_get(const struct smap *m, const char *key);

/* The same with key's hash given (aa_index_smap_hash): a name looked up in several maps
 * is hashed once. */
uint64_t aa_index_smap_hash(const char *key);
uint32_t aa_index_smap_get_hashed(const struct smap *m, const char *key, uint64_t hash);

/* The function a call reference lands on, or NONE; *receiver is the class the method
 * was looked up from (for the override check), or NONE. */
uint32_t aa_index_resolve_ref(struct aa_index *x, const struct aa_ref *ref, uint32_t *receiver);

/* The name a function is shown by: its qualified name without the module. Borrowed. */
const char *aa_index_short_name(const struct func_ref *fr);

/* Appends site's finding with message (taken over), at the site's place. */
void aa_index_push_site_diag(struct aa_diag_list *out, const struct aa_summary *s, const struct aa_sum_site *site,
			     char *message);

/* AA301/AA302 (AA_SITE_FANOUT sites) and AA306's fan-out form (fanout_link.c). */
void aa_index_fanout(struct aa_index *x, struct aa_summary *const *sums, size_t n, struct aa_diag_list *out);

#endif
