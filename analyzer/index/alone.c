/*
 * alone.c: which coroutine functions run alone on an event loop of their own (index.h's
 * aa_index_runs_alone), from what the summaries say of how files start and await
 * coroutines (analyzer/facts/loop_uses.h).
 *
 * A candidate is an undecorated coroutine function that starts nothing beside itself,
 * whose name no summary uses but an await, started on a fresh loop or awaited by a
 * candidate; and a start-up or shut-down hook (lifecycle.h) whose name nothing else uses,
 * whatever it starts. The answer is the greatest set of candidates closed under "every function
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
	return n_uses && bsearch(&h, uses, n_uses, sizeof(*uses), aa_sum_cmp_hash) != NULL;
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

/* Overrides a method await may land on, at most (more: the method's name counts as used). */
#define MAX_OVERRIDES 64

static void add_edge(struct edge **edges, size_t *n, size_t *cap, uint32_t from, uint32_t to)
{
	AA_GROW(*edges, *cap, *n + 1);
	(*edges)[(*n)++] = (struct edge){ from, to };
}

/* The index's awaits between its functions (*n_edges of them, sorted by caller; owned),
 * also to the project subclasses' overrides of an awaited method (`self.step()` in a base
 * class runs a subclass's step); the marks of the functions a fresh loop starts (root)
 * and of those registered by name as start-up or shut-down hooks (hook).
 * An await whose callee does not resolve, or whose overrides cannot all be known, adds
 * its name's hash to *uses (grown with AA_GROW). */
static struct edge *link_awaits(struct aa_index *x, bool *root, bool *hook, uint32_t **uses, size_t *n_uses, size_t *uses_cap,
				size_t *n_edges)
{
	struct edge *edges = NULL;
	size_t k = 0, cap = 0;
	for (size_t i = 0; i < x->n_sums; i++) {
		const struct aa_summary *s = x->sums[i];
		for (size_t j = 0; s && j < s->n_awaits; j++) {
			const struct aa_ref *ref = &s->awaits[j].ref;
			uint32_t receiver;
			uint32_t to = aa_index_resolve_ref(x, ref, &receiver);
			if (to == NONE) {
				add_hash(uses, n_uses, uses_cap, aa_sum_ref_hash(ref));
				continue;
			}
			uint32_t from = aa_index_func_id(x, i, s->awaits[j].caller);
			add_edge(&edges, &k, &cap, from, to);
			if (receiver == NONE || ref->kind == AA_REF_NAME)
				continue;
			uint32_t defs[MAX_OVERRIDES];
			size_t nd = aa_index_subclass_defs(x, receiver, ref->method, defs, MAX_OVERRIDES);
			if (nd == SIZE_MAX)
				add_hash(uses, n_uses, uses_cap, aa_sum_ref_hash(ref));
			for (size_t d = 0; nd != SIZE_MAX && d < nd; d++)
				add_edge(&edges, &k, &cap, from, defs[d]);
		}
		for (size_t j = 0; s && j < s->n_fresh_runs + s->n_hooks; j++) {
			uint32_t receiver;
			bool is_hook = j >= s->n_fresh_runs;
			uint32_t to = aa_index_resolve_ref(x, is_hook ? &s->hooks[j - s->n_fresh_runs] : &s->fresh_runs[j],
							   &receiver);
			if (to != NONE && is_hook)
				hook[to] = true; /* a root when hooks count (make_alone) */
			else if (to != NONE)
				root[to] = true;
		}
	}
	if (k)
		qsort(edges, k, sizeof(*edges), cmp_edge);
	*n_edges = k;
	return edges;
}

/* first[f]..first[f + 1]: the edges from f (edges sorted by caller), for n functions. */
static uint32_t *edge_index(const struct edge *edges, size_t n_edges, size_t n)
{
	uint32_t *first = aa_xcalloc(n + 1, sizeof(*first));
	for (size_t e = 0; e < n_edges; e++)
		first[edges[e].from + 1]++;
	for (size_t f = 0; f < n; f++)
		first[f + 1] += first[f];
	return first;
}

/* Marks, through the reverse edges, every function that awaits (at any depth) one that
 * spawns: after that await, work it started runs beside the caller. */
static void spread_spawns(const struct edge *edges, size_t n_edges, size_t n, bool *spawns)
{
	struct edge *rev = aa_xmalloc((n_edges ? n_edges : 1) * sizeof(*rev));
	for (size_t e = 0; e < n_edges; e++)
		rev[e] = (struct edge){ edges[e].to, edges[e].from };
	if (n_edges)
		qsort(rev, n_edges, sizeof(*rev), cmp_edge);
	uint32_t *first = edge_index(rev, n_edges, n);
	uint32_t *stack = aa_xmalloc((n ? n : 1) * sizeof(*stack));
	size_t sp = 0;
	for (size_t f = 0; f < n; f++)
		if (spawns[f])
			stack[sp++] = (uint32_t)f;
	while (sp) {
		uint32_t g = stack[--sp];
		for (uint32_t e = first[g]; e < first[g + 1]; e++)
			if (!spawns[rev[e].to]) {
				spawns[rev[e].to] = true;
				stack[sp++] = rev[e].to;
			}
	}
	free(stack);
	free(first);
	free(rev);
}

/* Drops from alone what a function that is not alone awaits, at any depth: stack[0..sp)
 * holds functions just found not alone (room for n). */
static void drop_awaited(const struct edge *edges, const uint32_t *first, bool *alone, uint32_t *stack, size_t sp)
{
	while (sp) {
		uint32_t g = stack[--sp];
		for (uint32_t e = first[g]; e < first[g + 1]; e++)
			if (alone[edges[e].to]) {
				alone[edges[e].to] = false;
				stack[sp++] = edges[e].to;
			}
	}
}

static void make_alone(struct aa_index *x)
{
	size_t n = x->n_funcs;
	bool *alone = x->alone = aa_xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < x->n_sums; i++)
		if (x->sums[i] && x->sums[i]->nest_asyncio)
			return;
	size_t n_uses = 0, uses_cap = 0;
	uint32_t *uses = NULL;
	for (size_t i = 0; i < x->n_sums; i++) {
		const struct aa_summary *s = x->sums[i];
		for (size_t j = 0; s && j < s->n_uses; j++)
			add_hash(&uses, &n_uses, &uses_cap, s->uses[j]);
		/* A file not parsed may use what it imports any way: register it, schedule it. */
		for (size_t j = 0; s && s->imports_only && j < s->n_imports; j++)
			add_hash(&uses, &n_uses, &uses_cap, aa_sum_last_hash(s->imports[j].name));
	}
	public_api(x, &uses, &n_uses, &uses_cap);
	bool *root = aa_xcalloc(n ? n : 1, sizeof(bool));
	bool *spawns = aa_xcalloc(n ? n : 1, sizeof(bool));
	size_t n_edges;
	bool *hook = aa_xcalloc(n ? n : 1, sizeof(bool));
	struct edge *edges = link_awaits(x, root, hook, &uses, &n_uses, &uses_cap, &n_edges);
	/* A server run inside a coroutine may serve beside other work: its hooks too. */
	bool hooks_alone = true;
	for (size_t i = 0; i < x->n_sums; i++)
		hooks_alone &= !(x->sums[i] && x->sums[i]->serves_inline);
	uint32_t *first = edge_index(edges, n_edges, n);
	if (n_uses)
		qsort(uses, n_uses, sizeof(*uses), aa_sum_cmp_hash);
	for (size_t f = 0; f < n; f++)
		spawns[f] = x->funcs[f].f->spawns;
	spread_spawns(edges, n_edges, n, spawns);
	for (size_t f = 0; f < n; f++) {
		const struct aa_sum_func *fn = x->funcs[f].f;
		uint32_t h = aa_sum_last_hash(fn->qualname);
		/* A hook runs before its service serves or after it stops: what it starts beside
		 * itself waits for the start-up too, and a lifespan is an async generator. */
		hook[f] = hooks_alone && fn->is_async && (hook[f] || fn->hook);
		root[f] = root[f] || hook[f];
		alone[f] = (hook[f] || (fn->is_coroutine && !spawns[f])) && !fn->decorated &&
			   !(n_uses && bsearch(&h, uses, n_uses, sizeof(*uses), aa_sum_cmp_hash)) && !public_method(fn, uses, n_uses);
	}
	/* What a function that is not alone awaits is not either. */
	uint32_t *stack = aa_xmalloc((n ? n : 1) * sizeof(*stack));
	size_t sp = 0;
	for (size_t f = 0; f < n; f++)
		if (!alone[f])
			stack[sp++] = (uint32_t)f;
	drop_awaited(edges, first, alone, stack, sp);
	/* That leaves the cycles nothing starts (a recursive crawler): alone are only the
	 * functions reached from a fresh loop's root through alone ones. What is dropped
	 * here drops what it awaits; what that leaves was reached only through it. */
	bool *reached = aa_xcalloc(n ? n : 1, sizeof(bool));
	sp = 0;
	for (size_t f = 0; f < n; f++)
		if (alone[f] && root[f]) {
			reached[f] = true;
			stack[sp++] = (uint32_t)f;
		}
	while (sp) {
		uint32_t g = stack[--sp];
		for (uint32_t e = first[g]; e < first[g + 1]; e++)
			if (alone[edges[e].to] && !reached[edges[e].to]) {
				reached[edges[e].to] = true;
				stack[sp++] = edges[e].to;
			}
	}
	for (size_t f = 0; f < n; f++)
		if (alone[f] && !reached[f]) {
			alone[f] = false;
			stack[sp++] = (uint32_t)f;
		}
	drop_awaited(edges, first, alone, stack, sp);
	free(reached);
	free(stack);
	free(first);
	free(edges);
	free(spawns);
	free(hook);
	free(root);
	free(uses);
}

bool aa_index_runs_alone(struct aa_index *x, uint32_t f)
{
	if (!x->alone)
		make_alone(x);
	return f < x->n_funcs && x->alone[f];
}
