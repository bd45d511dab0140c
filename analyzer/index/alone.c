/*
 * alone.c: which coroutine functions run alone on an event loop of their own (index.h's
 * aa_index_runs_alone), from what the summaries say of how files start and await
 * coroutines (analyzer/facts/loop_uses.h).
 *
 * A candidate is an undecorated coroutine function that starts nothing beside itself,
 * whose name no summary uses but an await, started on a fresh loop or awaited by a
 * candidate. The answer is the greatest set of candidates closed under "every function
 * awaiting it is in the set": a worklist drops, from the functions that are not in it,
 * what they await, and from those what they await, each function once.
 */
#include "analyzer/base/xalloc.h"
#include "analyzer/index/index_impl.h"

#include <stdlib.h>
#include <string.h>

void aa_index_forget_alone(struct aa_index *x)
{
	free(x->alone);
	x->alone = NULL;
}

static uint32_t hash_last(const char *q)
{
	const char *dot = strrchr(q, '.');
	const char *name = dot ? dot + 1 : q;
	return aa_sum_name_hash(name, strlen(name));
}

static uint32_t ref_hash(const struct aa_ref *ref)
{
	return ref->kind == AA_REF_NAME ? hash_last(ref->name) : aa_sum_name_hash(ref->method, strlen(ref->method));
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)b;
	return (p > q) - (p < q);
}

static void add_hash(uint32_t **uses, size_t *n_uses, size_t *uses_cap, uint32_t h)
{
	AA_GROW(*uses, *uses_cap, *n_uses + 1);
	(*uses)[(*n_uses)++] = h;
}

/* What a package's __init__ re-exports (its import statements, parsed or scanned) is
 * public API: code outside the project may run it beside anything. Its names join the
 * uses, and, as exports, the names of classes whose methods are so public. */
static void public_api(struct aa_index *x, uint32_t **uses, size_t *n_uses, size_t *uses_cap)
{
	for (size_t i = 0; i < x->n_sums; i++) {
		const struct aa_summary *s = x->sums[i];
		if (!s || !s->is_package)
			continue;
		for (size_t j = 0; j < s->n_imports + s->n_exports; j++) {
			const char *q = j < s->n_imports ? s->imports[j].name : s->exports[j - s->n_imports].target;
			const char *dot = strrchr(q, '.');
			const char *name = dot ? dot + 1 : q;
			add_hash(uses, n_uses, uses_cap, aa_sum_name_hash(name, strlen(name)));
			add_hash(uses, n_uses, uses_cap, aa_sum_export_hash(name, strlen(name)));
		}
	}
}

/* Is fn a method of a class a package re-exports (public_api)? */
static bool public_method(const struct aa_sum_func *fn, const uint32_t *uses, size_t n_uses)
{
	const char *q = fn->qualname;
	const char *dot = strrchr(q, '.');
	const char *cls_end = dot;
	if (!dot || dot == q)
		return false;
	const char *cls = cls_end;
	while (cls > q && cls[-1] != '.')
		cls--;
	if ((size_t)(cls - q) <= strlen(fn->module))
		return false; /* a module-level function: its own name is the export */
	uint32_t h = aa_sum_export_hash(cls, (size_t)(cls_end - cls));
	return bsearch(&h, uses, n_uses, sizeof(*uses), cmp_u32) != NULL;
}

/* An await between two functions of the index. */
struct edge {
	uint32_t from, to;
};

static int cmp_edge(const void *a, const void *b)
{
	const struct edge *p = a, *q = b;
	return (p->from > q->from) - (p->from < q->from);
}

/* The index's awaits between its functions (sorted by caller; *n_edges of them; owned)
 * and the marks of the functions some candidate awaits (awaited) or a fresh loop
 * starts (root); an await whose callee does not resolve appends its name's hash to
 * *uses (grown with AA_GROW). */
static struct edge *link_awaits(struct aa_index *x, bool *awaited, bool *root, uint32_t **uses, size_t *n_uses,
				size_t *uses_cap, size_t *n_edges)
{
	size_t m = 0;
	for (size_t i = 0; i < x->n_sums; i++)
		m += x->sums[i] ? x->sums[i]->n_awaits : 0;
	struct edge *edges = aa_xmalloc((m ? m : 1) * sizeof(*edges));
	size_t k = 0;
	for (size_t i = 0; i < x->n_sums; i++) {
		const struct aa_summary *s = x->sums[i];
		for (size_t j = 0; s && j < s->n_awaits; j++) {
			uint32_t receiver;
			uint32_t to = aa_index_resolve_ref(x, &s->awaits[j].ref, &receiver);
			if (to == NONE) {
				add_hash(uses, n_uses, uses_cap, ref_hash(&s->awaits[j].ref));
				continue;
			}
			awaited[to] = true;
			edges[k++] = (struct edge){ aa_index_func_id(x, i, s->awaits[j].caller), to };
		}
		for (size_t j = 0; s && j < s->n_fresh_runs; j++) {
			uint32_t receiver;
			uint32_t to = aa_index_resolve_ref(x, &s->fresh_runs[j], &receiver);
			if (to != NONE)
				root[to] = true;
		}
	}
	qsort(edges, k, sizeof(*edges), cmp_edge);
	*n_edges = k;
	return edges;
}

static void make_alone(struct aa_index *x)
{
	size_t n = x->n_funcs;
	x->alone = aa_xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < x->n_sums; i++)
		if (x->sums[i] && x->sums[i]->nest_asyncio)
			return;
	size_t n_uses = 0, uses_cap = 0;
	for (size_t i = 0; i < x->n_sums; i++)
		n_uses += x->sums[i] ? x->sums[i]->n_uses : 0;
	uint32_t *uses = NULL;
	AA_GROW(uses, uses_cap, n_uses + 1);
	n_uses = 0;
	for (size_t i = 0; i < x->n_sums; i++) {
		const struct aa_summary *s = x->sums[i];
		if (s && s->n_uses) {
			memcpy(uses + n_uses, s->uses, s->n_uses * sizeof(*uses));
			n_uses += s->n_uses;
		}
	}
	public_api(x, &uses, &n_uses, &uses_cap);
	bool *awaited = aa_xcalloc(n ? n : 1, sizeof(bool));
	bool *root = aa_xcalloc(n ? n : 1, sizeof(bool));
	size_t n_edges;
	struct edge *edges = link_awaits(x, awaited, root, &uses, &n_uses, &uses_cap, &n_edges);
	qsort(uses, n_uses, sizeof(*uses), cmp_u32);
	for (size_t f = 0; f < n; f++) {
		const struct aa_sum_func *fn = x->funcs[f].f;
		uint32_t h = hash_last(fn->qualname);
		x->alone[f] = fn->is_coroutine && !fn->decorated && !fn->spawns && (root[f] || awaited[f]) &&
			      !bsearch(&h, uses, n_uses, sizeof(*uses), cmp_u32) && !public_method(fn, uses, n_uses);
	}
	/* What a function that does not run alone awaits does not either. */
	uint32_t *stack = aa_xmalloc((n ? n : 1) * sizeof(*stack));
	size_t sp = 0;
	for (size_t f = 0; f < n; f++)
		if (!x->alone[f])
			stack[sp++] = (uint32_t)f;
	while (sp) {
		uint32_t g = stack[--sp];
		struct edge key = { g, 0 };
		struct edge *e = bsearch(&key, edges, n_edges, sizeof(*edges), cmp_edge);
		while (e && e > edges && e[-1].from == g)
			e--;
		for (; e && e < edges + n_edges && e->from == g; e++) {
			if (x->alone[e->to]) {
				x->alone[e->to] = false;
				stack[sp++] = e->to;
			}
		}
	}
	free(stack);
	free(edges);
	free(root);
	free(awaited);
	free(uses);
}

bool aa_index_runs_alone(struct aa_index *x, uint32_t f)
{
	if (!x->alone)
		make_alone(x);
	return f < x->n_funcs && x->alone[f];
}
