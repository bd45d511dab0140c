/*
 * AA109's cross-file analysis. Per file it records the certain blocking calls of sync
 * functions (chain sources), the calls of sync functions that may be project code (chain
 * edges) and the calls in async context that may be project code (candidates). Linked,
 * a candidate whose callee is a sync project function that reaches a source through
 * edges is a finding with the whole chain (shortest; cycles terminate; a helper with a
 * decorator not known to be transparent cuts it).
 *
 * AA112 shares these records: a site or an edge whose callee is no project Python
 * function may name a function of a C extension (native_ext.h); when its C side reaches
 * a certain blocking C call, the helpers that call it are chain sources of their own,
 * linked apart from AA109's.
 */
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/check/link.h"
#include "analyzer/index/index.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"
#include "rules/blocking/blocking.h"
#include "rules/blocking/native_ext.h"
#include "rules/blocking/operator_only.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_blocking_call_via_helper;
extern const struct aa_rule aa_rule_configured_blocking_call;
extern const struct aa_rule aa_rule_blocking_native_call;

/* A certain blocking call in a sync function. */
struct chain_block {
	uint32_t func;              /* the function it is in: index into the summary's funcs[] */
	const struct aa_rule *rule; /* the rule whose target it is */
	const char *callee;         /* source text of the callee, "requests.get"; summary arena */
	const char *target;         /* its resolved dotted name, "subprocess.run",
				       "requests.Session.get"; summary arena, NULL when unresolved */
	struct aa_span span;
};

/* A call from a sync function to a callee that may be project code (an edge). */
struct chain_call {
	uint32_t func;
	struct aa_ref ref;
	struct aa_span span;
};

/* A call in async context whose callee may be a sync project helper. */
struct chain_site {
	struct aa_ref ref;
	struct aa_span span;
	const char *function; /* the async function the call is in; summary arena */
	uint32_t func;        /* that function's index in the summary's funcs[]; UINT32_MAX in a lambda */
	const char *callee;   /* the callee's source text, "self.load"; summary arena */
	struct aa_excerpt line; /* owned */
	/* Dotted names patched for this call (mock.patch, patch.object, monkeypatch.setattr):
	 * owned array of n_patched summary-arena strings. */
	const char **patched;
	size_t n_patched;
};

struct chain_record {
	struct chain_block *blocks; size_t n_blocks, blocks_cap; /* owned */
	struct chain_call *calls;   size_t n_calls, calls_cap;   /* owned */
	struct chain_site *sites;   size_t n_sites, sites_cap;   /* owned */
};

static void *new_record(void)
{
	return aa_xcalloc(1, sizeof(struct chain_record));
}

static void free_record(void *p)
{
	struct chain_record *r = p;
	for (size_t i = 0; i < r->n_sites; i++) {
		aa_excerpt_release(&r->sites[i].line);
		free(r->sites[i].patched);
	}
	free(r->blocks);
	free(r->calls);
	free(r->sites);
	free(r);
}

/* A file without blocking calls in sync code, edges or candidate sites (most) keeps no
 * record; one with some keeps what it holds. */
static void *finish_record(void *p)
{
	struct chain_record *r = p;
	if (!r->n_blocks && !r->n_calls && !r->n_sites) {
		free_record(r);
		return NULL;
	}
	AA_TRIM(r->blocks, r->blocks_cap, r->n_blocks);
	AA_TRIM(r->calls, r->calls_cap, r->n_calls);
	AA_TRIM(r->sites, r->sites_cap, r->n_sites);
	return r;
}

/* ---- per file ---------------------------------------------------------------------- */

static const char *intern(struct aa_ctx *ctx, const char *s)
{
	return aa_summary_intern(aa_ctx_summary(ctx), s, strlen(s));
}

static bool matches_configured(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	for (const char *const *b = aa_ctx_configured_blocking(ctx); b && *b; b++) {
		if ((c->kind == AA_CALLEE_FUNCTION || c->kind == AA_CALLEE_LOCAL) && !strcmp(c->qualname, *b))
			return true;
		if (c->kind == AA_CALLEE_METHOD) {
			size_t cl = strlen(c->qualname);
			if (!strncmp(*b, c->qualname, cl) && (*b)[cl] == '.' && strlen(*b + cl + 1) == c->method_len &&
			    !memcmp(*b + cl + 1, c->method, c->method_len))
				return true;
		}
	}
	return false;
}

/* Does call match a target of a rule whose targets travel (or a configured name)?
 * *certain is set when the target is certain. */
static const struct aa_rule *direct_target(struct aa_ctx *ctx, TSNode call, bool *certain)
{
	const struct aa_target *target;
	const struct aa_rule *rule = aa_ctx_travelling_target(ctx, call, &target);
	if (rule) {
		*certain = !(target->flags & AA_TARGET_CONDITIONAL);
		return rule;
	}
	const char *const *configured = aa_ctx_configured_blocking(ctx);
	if (configured && *configured && matches_configured(ctx, call)) {
		*certain = true;
		return &aa_rule_configured_blocking_call;
	}
	return NULL;
}

/* Is comparison a membership test (`k in X`, `k not in X`)? */
static bool membership(TSNode comparison)
{
	uint32_t n = ts_node_child_count(comparison);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_child(comparison, i);
		if (!ts_node_is_named(c) && (!strcmp(ts_node_type(c), "in") || !strcmp(ts_node_type(c), "not in")))
			return true;
	}
	return false;
}

/* The name or attribute an `if` condition tests: `x`, `not self._cache`, `_DATA is None`,
 * `len(cls.table) == 0`, `key not in _CACHE` (X); a null node for anything else. */
static TSNode guard_target(const struct aa_ctx *ctx, TSNode cond)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode none = { 0 };
	if (!ts_node_is_null(cond) && ts_node_symbol(cond) == s->not_operator)
		cond = ts_node_child_by_field_id(cond, s->f.argument);
	if (!ts_node_is_null(cond) && ts_node_symbol(cond) == s->comparison_operator) {
		uint32_t n = ts_node_named_child_count(cond);
		cond = n == 2 && membership(cond) ? ts_node_named_child(cond, 1) : ts_node_named_child(cond, 0);
	}
	/* `len(X)`: emptiness of X */
	if (!ts_node_is_null(cond) && ts_node_symbol(cond) == s->call &&
	    aa_ctx_text_is(ctx, ts_node_child_by_field_id(cond, s->f.function), "len") &&
	    aa_call_positional_count(ctx, cond) == 1)
		cond = aa_call_arg(ctx, cond, 0, NULL);
	if (ts_node_is_null(cond) || (ts_node_symbol(cond) != s->identifier && ts_node_symbol(cond) != s->attribute))
		return none;
	return cond;
}

/* Does block (an `if`'s consequence) assign target at its top level (`target = ...`), or
 * at the top level of a `with` there (`with open(p) as f: CACHE[p] = f.read()`)? */
static bool block_assigns(struct aa_ctx *ctx, TSNode block, TSNode target, bool in_with)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t n = ts_node_named_child_count(block);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(block, i);
		if (!in_with && ts_node_symbol(st) == s->with_statement) {
			TSNode body = ts_node_child_by_field_id(st, s->f.body);
			if (!ts_node_is_null(body) && block_assigns(ctx, body, target, true))
				return true;
			continue;
		}
		TSNode e = ts_node_symbol(st) == s->expression_statement ? ts_node_named_child(st, 0) : st;
		if (ts_node_is_null(e) || ts_node_symbol(e) != s->assignment)
			continue;
		TSNode left = ts_node_child_by_field_id(e, s->f.left);
		/* `X = ...`, or `X[key] = ...` filling a cache keyed by argument */
		if (!ts_node_is_null(left) && ts_node_symbol(left) == s->subscript)
			left = ts_node_child_by_field_id(left, s->f.value);
		if (!ts_node_is_null(left) && aa_node_same_text(aa_ctx_source(ctx)->text, left, target))
			return true;
	}
	return false;
}

/* Lazy initialisation: call runs in the branch of an `if` that tests a name or attribute
 * the same branch assigns (`if not cls._index: cls._index = scan(...)`), so it blocks on
 * the first call only; such a call starts no chain. */
static bool in_lazy_init(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	for (TSNode p = aa_ctx_parent(ctx, call); !ts_node_is_null(p); p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->function_definition || k == s->lambda || k == s->class_definition)
			return false;
		if (k != s->block)
			continue;
		TSNode owner = aa_ctx_parent(ctx, p);
		if (ts_node_is_null(owner) || ts_node_symbol(owner) != s->if_statement ||
		    !ts_node_eq(ts_node_child_by_field_id(owner, s->f.consequence), p))
			continue;
		TSNode target = guard_target(ctx, ts_node_child_by_field_id(owner, s->f.condition));
		if (!ts_node_is_null(target) && block_assigns(ctx, p, target, false))
			return true;
	}
	return false;
}

/* A certain blocking call in a sync function: recorded unless the user vouched for its
 * line (a noqa there cuts the chain too) or it is a lazy initialisation. True when call
 * is a blocking target at all. */
static bool record_block(struct aa_ctx *ctx, struct chain_record *r, uint32_t func, TSNode call)
{
	/* Whether the direct-call rule is selected does not matter: `--select AA109` alone
	 * must still see chains. AA110's names are the user's, so they travel when given. */
	bool certain = false;
	const struct aa_rule *hit = direct_target(ctx, call, &certain);
	if (hit && !certain)
		return true; /* a conditional target: not an edge, and it does not travel */
	if (!hit || aa_ctx_vouched(ctx, hit, call) || aa_ctx_vouched(ctx, &aa_rule_blocking_call_via_helper, call) ||
	    in_lazy_init(ctx, call))
		return hit != NULL;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	const char *target = NULL;
	if (c->kind == AA_CALLEE_FUNCTION && c->qualname) {
		target = intern(ctx, c->qualname);
	} else if (c->kind == AA_CALLEE_METHOD && c->qualname) {
		char *t = aa_xasprintf("%s.%.*s", c->qualname, (int)c->method_len, c->method);
		target = intern(ctx, t);
		free(t);
	}
	AA_GROW(r->blocks, r->blocks_cap, r->n_blocks + 1);
	r->blocks[r->n_blocks++] = (struct chain_block){ func, hit, intern(ctx, aa_ctx_callee_text(ctx, call)), target,
							 aa_ctx_span(ctx, call) };
	return true;
}

/* Is the class around call a mixin's shape: no base classes but `object`? Its `self.m()`
 * may land on the project's subclasses (link: mixin_def). */
static bool in_mixin(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode p = aa_ctx_parent(ctx, call);
	for (int g = 0; g < 4096 && !ts_node_is_null(p) && ts_node_symbol(p) != s->class_definition; g++)
		p = aa_ctx_parent(ctx, p);
	if (ts_node_is_null(p) || ts_node_symbol(p) != s->class_definition)
		return false;
	TSNode supers = ts_node_child_by_field_id(p, s->f.superclasses);
	uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
	return n == 0 || (n == 1 && aa_ctx_text_is(ctx, ts_node_named_child(supers, 0), "object"));
}

/* `self.m()` that the index could not resolve to project code (context.h): no edge,
 * no candidate, unless its class is a mixin's shape. Most sync calls of test suites are
 * `self.assert*()` in classes with library bases. */
static bool unresolvable_self_call(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	return c->kind == AA_CALLEE_METHOD && aa_ctx_self_call_unbound(ctx, c->receiver, c->method, c->method_len) &&
	       !in_mixin(ctx, call);
}

/* ---- blocking targets patched for a call -------------------------------------------- */

enum patch_form { PATCH_NONE = 0, PATCH_PATH, PATCH_OBJECT, PATCH_EITHER };

/* Which patching call call is: mock.patch("a.b") and mocker.patch("a.b") name a dotted
 * path; patch.object(obj, "attr") and mocker.patch.object an object and an attribute;
 * monkeypatch.setattr either (its first argument a string or not). *lasting is set for
 * pytest's fixtures (monkeypatch, mocker), whose patches last until the test ends; mock's
 * last for their `with` or decorated function. */
static enum patch_form patch_form(struct aa_ctx *ctx, TSNode call, bool *lasting)
{
	*lasting = false;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (c->kind == AA_CALLEE_FUNCTION && c->qualname) {
		if (!strcmp(c->qualname, "unittest.mock.patch") || !strcmp(c->qualname, "mock.patch"))
			return PATCH_PATH;
		if (!strcmp(c->qualname, "unittest.mock.patch.object") || !strcmp(c->qualname, "mock.patch.object"))
			return PATCH_OBJECT;
	}
	/* pytest's fixtures are parameters, known by their conventional names */
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_symbol(fn) != s->attribute)
		return PATCH_NONE;
	TSNode recv = ts_node_child_by_field_id(fn, s->f.object);
	TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
	*lasting = true;
	if (aa_ctx_text_is(ctx, recv, "monkeypatch") && aa_ctx_text_is(ctx, attr, "setattr"))
		return PATCH_EITHER;
	if (aa_ctx_text_is(ctx, recv, "mocker") && aa_ctx_text_is(ctx, attr, "patch"))
		return PATCH_PATH;
	if (aa_ctx_text_is(ctx, recv, "mocker.patch") && aa_ctx_text_is(ctx, attr, "object"))
		return PATCH_OBJECT;
	return PATCH_NONE;
}

/* Adds the dotted name a patching call replaces to site (interned), if call is one (and,
 * when lasting_only, one of pytest's fixtures). */
static void add_patch(struct aa_ctx *ctx, struct chain_site *site, TSNode call, bool lasting_only)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(call) || ts_node_symbol(call) != s->call)
		return;
	bool lasting;
	enum patch_form form = patch_form(ctx, call, &lasting);
	if (form == PATCH_NONE || (lasting_only && !lasting))
		return;
	uint32_t len, alen;
	const char *path = aa_blocking_literal_text(ctx, aa_call_arg(ctx, call, 0, NULL), &len);
	char *name = NULL;
	if (path && form != PATCH_OBJECT) {
		name = aa_xasprintf("%.*s", (int)len, path);
	} else if (!path && form != PATCH_PATH) {
		TSNode obj = aa_call_arg(ctx, call, 0, NULL);
		const char *attr = aa_blocking_literal_text(ctx, aa_call_arg(ctx, call, 1, NULL), &alen);
		if (ts_node_is_null(obj) || !attr)
			return;
		struct aa_meaning m = aa_ctx_eval(ctx, obj);
		if (m.kind == AA_MEANING_NAME && m.qualname) {
			name = aa_xasprintf("%s.%.*s", m.qualname, (int)alen, attr);
		} else {
			const char *t = aa_ctx_text(ctx, obj, &len);
			name = aa_xasprintf("%.*s.%.*s", (int)len, t, (int)alen, attr);
		}
	}
	if (!name)
		return;
	/* a handful per call at most: grown one by one */
	site->patched = aa_xrealloc(site->patched, (site->n_patched + 1) * sizeof(*site->patched));
	site->patched[site->n_patched++] = intern(ctx, name);
	free(name);
}

/* The decorators of the definition def (a function or class definition), if any. */
static void add_decorator_patches(struct aa_ctx *ctx, struct chain_site *site, TSNode def)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode up = aa_ctx_parent(ctx, def);
	if (ts_node_is_null(up) || ts_node_symbol(up) != s->decorated_definition)
		return;
	uint32_t n = ts_node_named_child_count(up);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(up, i);
		if (ts_node_symbol(d) == s->decorator)
			add_patch(ctx, site, ts_node_named_child(d, 0), false);
	}
}

struct earlier_patches {
	struct aa_ctx *ctx;
	struct chain_site *site;
	uint32_t before; /* only calls that start before this byte */
};

static enum aa_visit earlier_visit(void *ud, TSNode n)
{
	struct earlier_patches *e = ud;
	const struct aa_syms *s = aa_ctx_syms(e->ctx);
	if (ts_node_start_byte(n) >= e->before)
		return AA_VISIT_STOP;
	if (aa_kind_is_definition(s, ts_node_symbol(n), true))
		return AA_VISIT_SKIP;
	if (ts_node_symbol(n) == s->call && ts_node_end_byte(n) <= e->before)
		add_patch(e->ctx, e->site, n, true);
	return AA_VISIT_DESCEND;
}

/* Does the file mention patching at all ("patch", "setattr")? Once per file. */
static bool file_patches(struct aa_ctx *ctx)
{
	void **slot = aa_ctx_file_memo(ctx, &aa_rule_blocking_call_via_helper, free);
	if (!*slot) {
		bool *b = aa_xmalloc(sizeof(*b));
		const char *text = aa_ctx_source(ctx)->text;
		*b = strstr(text, "patch") || strstr(text, "setattr");
		*slot = b;
	}
	return *(bool *)*slot;
}

/* Records on site the blocking targets patched for its call: by a `with` around it, by a
 * decorator of its function or of the class around that, or by a patching call earlier
 * in its function (monkeypatch.setattr, mocker.patch: they last until the test ends).
 * Only files that mention "patch" or "setattr" are searched. */
static void record_patches(struct aa_ctx *ctx, struct chain_site *site, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn_def = { 0 };
	for (TSNode p = aa_ctx_parent(ctx, call); !ts_node_is_null(p); p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->with_statement && ts_node_is_null(fn_def)) {
			TSNode v;
			for (struct aa_with_items it = aa_node_with_items(s, p, AA_WITH_CLAUSE_FIRST);
			     aa_node_with_items_next(&it, &v);)
				add_patch(ctx, site, v, false);
		} else if (k == s->function_definition || k == s->class_definition) {
			if (k == s->function_definition && ts_node_is_null(fn_def))
				fn_def = p;
			add_decorator_patches(ctx, site, p);
		}
	}
	if (!ts_node_is_null(fn_def)) {
		struct earlier_patches e = { ctx, site, ts_node_start_byte(call) };
		aa_subtree_walk(ts_node_child_by_field_id(fn_def, s->f.body), 200000, earlier_visit, &e);
	}
}

static void summarize(struct aa_ctx *ctx, TSNode call)
{
	struct chain_record *r = aa_ctx_record(ctx, &aa_crossfile_helper_chains);
	if (!r)
		return;
	bool in_lambda;
	uint32_t f = aa_ctx_summary_function(ctx, &in_lambda);
	struct aa_ref ref;
	bool certain;
	if (aa_ctx_in_async(ctx)) {
		/* A direct target is its own rule's finding, not a helper's; a call vouched
		 * for, or in test code (the rule spares it), is no candidate (nothing is read
		 * on demand for it). */
		if (!aa_ctx_vouched(ctx, &aa_rule_blocking_call_via_helper, call) && !aa_call_is_awaited(ctx, call) &&
		    !direct_target(ctx, call, &certain) && !unresolvable_self_call(ctx, call) &&
		    !aa_blocking_operator_only(ctx) &&
		    aa_ctx_reports_here(ctx, &aa_rule_blocking_call_via_helper) && aa_ctx_ref(ctx, call, &ref)) {
			AA_GROW(r->sites, r->sites_cap, r->n_sites + 1);
			struct chain_site *site = &r->sites[r->n_sites++];
			site->ref = ref;
			site->span = aa_ctx_span(ctx, call);
			site->function = intern(ctx, aa_ctx_function_name(ctx));
			site->func = in_lambda ? UINT32_MAX : f;
			site->callee = intern(ctx, aa_ctx_callee_text(ctx, call));
			site->line = aa_ctx_line(ctx, call);
			site->patched = NULL;
			site->n_patched = 0;
			if (file_patches(ctx))
				record_patches(ctx, site, call);
		}
		return;
	}
	/* Sync code: only bodies of sync defs make edges (a lambda is not called by name). */
	if (f == UINT32_MAX || in_lambda || aa_ctx_summary(ctx)->funcs[f].is_async)
		return;
	if (record_block(ctx, r, f, call))
		return;
	/* A helper called to fill a lazy cache runs once too: no edge. */
	if (unresolvable_self_call(ctx, call) || !aa_ctx_ref(ctx, call, &ref) || in_lazy_init(ctx, call))
		return;
	AA_GROW(r->calls, r->calls_cap, r->n_calls + 1);
	r->calls[r->n_calls++] = (struct chain_call){ f, ref, aa_ctx_span(ctx, call) };
}

/* ---- between on-demand rounds ------------------------------------------------------ */

/* The sync functions the demand walk reached (visited) and those still to look at. */
struct reached {
	bool *visited;   /* owned; one per function of the index */
	uint32_t *stack; /* owned */
	size_t sp, stack_cap;
};

/* Follows ref: a function it resolves to is walked next, else the modules resolving it
 * needs are wanted. */
static void visit(struct reached *w, uint32_t f)
{
	if (!w->visited[f]) {
		w->visited[f] = true;
		AA_GROW(w->stack, w->stack_cap, w->sp + 1);
		w->stack[w->sp++] = f;
	}
}

enum { MAX_MIXIN_DEFS = 16 }; /* definitions of a mixin's method in its subclasses */

static void follow(struct aa_demand *d, struct reached *w, const struct aa_ref *ref)
{
	uint32_t receiver;
	uint32_t f = aa_index_resolve_ref(aa_demand_index(d), ref, &receiver);
	if (f != AA_INDEX_NONE) {
		visit(w, f);
		return;
	}
	aa_demand_ref(d, ref, false);
	/* `self.m()` in a mixin: the subclasses' definitions of m are walked too */
	if (receiver != AA_INDEX_NONE && ref->kind == AA_REF_METHOD) {
		uint32_t defs[MAX_MIXIN_DEFS];
		size_t n = aa_index_subclass_defs(aa_demand_index(d), receiver, ref->method, defs, MAX_MIXIN_DEFS);
		for (size_t i = 0; n != SIZE_MAX && i < n; i++)
			visit(w, defs[i]);
	}
}

/* A candidate needs every module on its way: its callee's resolution, and the calls of
 * the sync functions it reaches (few: those reachable from async code). */
static void demand(struct aa_demand *d)
{
	struct aa_index *x = aa_demand_index(d);
	size_t nf = aa_index_func_count(x);
	struct reached w = { .visited = aa_xcalloc(nf ? nf : 1, sizeof(bool)) };
	for (size_t i = 0; i < aa_demand_count(d); i++) {
		const struct chain_record *r = aa_demand_record(d, i);
		for (size_t k = 0; r && k < r->n_sites; k++)
			follow(d, &w, &r->sites[k].ref);
	}
	while (w.sp) {
		uint32_t f = w.stack[--w.sp];
		const struct aa_sum_func *fn = aa_index_func(x, f);
		if (fn->is_async || fn->opaque)
			continue;
		const struct chain_record *r = aa_demand_record(d, aa_index_func_file(x, f));
		uint32_t local = aa_index_func_local(x, f);
		for (size_t k = 0; r && k < r->n_calls; k++)
			if (r->calls[k].func == local)
				follow(d, &w, &r->calls[k].ref);
	}
	free(w.stack);
	free(w.visited);
}

/* ---- linked ------------------------------------------------------------------------ */

struct edge {
	uint32_t from, to;
	const struct chain_call *call;
};

/* The chains' graph: eligible helpers (sync, no decorator that could change what a call
 * does), each one's first certain blocking call, edges between eligible helpers and their
 * reverse adjacency (CSR), and a multi-source BFS backwards from the blocking calls
 * (dist, and the next hop towards the nearest one). */
struct chains {
	size_t nf;
	bool *eligible;
	const struct chain_block **block;
	struct edge *edges;
	size_t n_edges, edges_cap;
	int32_t *dist;
	uint32_t *next_edge;
	/* AA112: each helper's first call of a blocking extension function, and the call */
	const struct aa_native_chain **native;
	const struct chain_call **native_call;
};

/* A call of a sync helper that the index resolves to no function, on a class it knows
 * (`self.m()` in a mixin): linked once the first distances are known (mixin_def). */
struct pending {
	uint32_t from;
	uint32_t receiver;
	const struct chain_call *call;
};

/* The definition a mixin's `self.m()` stands for: when the index knows every project
 * subclass of the receiver class, some define m, and every one of those definitions is
 * an eligible helper that reaches a blocking call (they agree m is sync and blocks), the
 * one nearest to its blocking call; else AA_INDEX_NONE. */
static uint32_t mixin_def(struct aa_index *x, const struct chains *c, const struct aa_ref *ref, uint32_t receiver)
{
	if (receiver == AA_INDEX_NONE || ref->kind != AA_REF_METHOD)
		return AA_INDEX_NONE;
	uint32_t defs[MAX_MIXIN_DEFS];
	size_t n = aa_index_subclass_defs(x, receiver, ref->method, defs, MAX_MIXIN_DEFS);
	if (n == 0 || n == SIZE_MAX)
		return AA_INDEX_NONE;
	uint32_t best = AA_INDEX_NONE;
	for (size_t i = 0; i < n; i++) {
		if (!c->eligible[defs[i]] || c->dist[defs[i]] < 0)
			return AA_INDEX_NONE;
		if (best == AA_INDEX_NONE || c->dist[defs[i]] < c->dist[best])
			best = defs[i];
	}
	return best;
}

static void add_edge(struct chains *c, uint32_t from, uint32_t to, const struct chain_call *call)
{
	AA_GROW(c->edges, c->edges_cap, c->n_edges + 1);
	c->edges[c->n_edges++] = (struct edge){ from, to, call };
}

/* The source the shortest chain from g (dist[g] >= 0) ends at. */
static uint32_t python_source(const struct chains *c, uint32_t g)
{
	while (c->next_edge[g] != AA_INDEX_NONE)
		g = c->edges[c->next_edge[g]].to;
	return g;
}

static void build_edges(struct aa_link *lk, struct chains *c, struct pending **pend, size_t *n_pend, size_t *pend_cap)
{
	struct aa_index *x = aa_link_index(lk);
	for (size_t i = 0; i < aa_link_count(lk); i++) {
		const struct chain_record *r = aa_link_record(lk, i);
		for (size_t k = 0; r && k < r->n_blocks; k++) {
			uint32_t f = aa_index_func_id(x, i, r->blocks[k].func);
			if (c->eligible[f] && !c->block[f])
				c->block[f] = &r->blocks[k];
		}
		for (size_t k = 0; r && k < r->n_calls; k++) {
			uint32_t from = aa_index_func_id(x, i, r->calls[k].func);
			if (!c->eligible[from])
				continue;
			uint32_t receiver;
			uint32_t to = aa_index_resolve_ref(x, &r->calls[k].ref, &receiver);
			if (to == AA_INDEX_NONE && receiver != AA_INDEX_NONE && r->calls[k].ref.kind == AA_REF_METHOD) {
				AA_GROW(*pend, *pend_cap, *n_pend + 1);
				(*pend)[(*n_pend)++] = (struct pending){ from, receiver, &r->calls[k] };
			}
			if (to == AA_INDEX_NONE || !c->eligible[to] || to == from)
				continue;
			add_edge(c, from, to, &r->calls[k]);
		}
	}
}

/* dist and next_edge from the functions source[] marks. */
static void shortest_paths(struct chains *c, const bool *source)
{
	size_t nf = c->nf;
	uint32_t *rstart = aa_xcalloc(nf + 1, sizeof(uint32_t));
	uint32_t *radj = aa_xcalloc(c->n_edges ? c->n_edges : 1, sizeof(uint32_t));
	for (size_t e = 0; e < c->n_edges; e++)
		rstart[c->edges[e].to + 1]++;
	for (size_t f = 0; f < nf; f++)
		rstart[f + 1] += rstart[f];
	uint32_t *fill = aa_xcalloc(nf, sizeof(uint32_t));
	for (size_t e = 0; e < c->n_edges; e++)
		radj[rstart[c->edges[e].to] + fill[c->edges[e].to]++] = (uint32_t)e;
	uint32_t *queue = aa_xmalloc(nf * sizeof(uint32_t));
	size_t qh = 0, qt = 0;
	for (size_t f = 0; f < nf; f++) {
		c->dist[f] = source[f] ? 0 : -1;
		c->next_edge[f] = AA_INDEX_NONE;
		if (source[f])
			queue[qt++] = (uint32_t)f;
	}
	while (qh < qt) {
		uint32_t v = queue[qh++];
		for (uint32_t r = rstart[v]; r < rstart[v + 1]; r++) {
			const struct edge *e = &c->edges[radj[r]];
			if (c->dist[e->from] >= 0)
				continue;
			c->dist[e->from] = c->dist[v] + 1;
			c->next_edge[e->from] = radj[r];
			queue[qt++] = e->from;
		}
	}
	free(rstart);
	free(radj);
	free(fill);
	free(queue);
}

/* The shortest chain from g to its nearest blocking call (the BFS's answer): its edges
 * into path (room for dist[g] of them). */
static void nearest_chain(const struct chains *c, uint32_t g, uint32_t *path)
{
	size_t n = 0;
	for (uint32_t v = g; c->next_edge[v] != AA_INDEX_NONE; v = c->edges[c->next_edge[v]].to)
		path[n++] = c->next_edge[v];
}

/* The Python steps of a chain from g along the edges path[0..n) (g's call first): the
 * message's " -> g -> ..." (the last function not yet) and a related location for each
 * call, appended to related (room for n more). Returns the chain's last function. */
static uint32_t python_steps(struct aa_index *x, const struct chains *c, uint32_t g, const uint32_t *path, size_t n,
			     struct aa_buf *msg, struct aa_related *related, size_t *n_related)
{
	uint32_t v = g;
	for (size_t i = 0; i < n; i++) {
		const struct edge *e = &c->edges[path[i]];
		aa_buf_addf(msg, " -> %s", aa_index_func_name(x, v));
		related[(*n_related)++] = (struct aa_related){
			aa_xstrdup(aa_index_func_summary(x, v)->path), e->call->span,
			aa_xasprintf("'%s' calls '%s'", aa_index_func_name(x, v), aa_index_func_name(x, e->to)) };
		v = e->to;
	}
	return v;
}

/* Does the coroutine function site of file is in run alone on a loop of its own (index.h)?
 * Then what its helpers block stalls nobody. */
static bool site_alone(struct aa_index *x, size_t file, const struct chain_site *site)
{
	return site->func != UINT32_MAX && aa_index_runs_alone(x, aa_index_func_id(x, file, site->func));
}

/* Reports a chain's finding of rule at site: msg (taken) gets the fix, related[0..n)
 * (taken) is the chain. */
static void report_site(struct aa_link *lk, size_t file, const struct aa_rule *rule, const struct chain_site *site,
			struct aa_buf *msg, struct aa_related *related, size_t n_related)
{
	aa_buf_addf(msg, "; run it in a thread: 'await asyncio.to_thread(%s, ...)'", site->callee);
	struct aa_diag d = aa_link_finding(lk, file, rule, site->span, aa_buf_detach(msg), &site->line);
	d.related_is_chain = true;
	d.related = related;
	d.n_related = n_related;
	aa_link_report(lk, file, &d);
}

/* The finding for a candidate site of file whose callee g reaches the blocking call b
 * through the edges path[0..n) (g's call first; none when g blocks itself). */
static void report_chain(struct aa_link *lk, const struct chains *c, size_t file, const struct chain_site *site,
			 uint32_t g, const uint32_t *path, size_t n, const struct chain_block *b)
{
	struct aa_index *x = aa_link_index(lk);
	struct aa_buf msg = AA_BUF_INIT;
	aa_buf_addf(&msg, "'%s' blocks the event loop: %s", aa_index_func_name(x, g), site->function);
	struct aa_related *related = aa_xcalloc(n + 1, sizeof(*related));
	size_t n_related = 0;
	uint32_t v = python_steps(x, c, g, path, n, &msg, related, &n_related);
	const char *path_name = aa_index_func_summary(x, v)->path;
	aa_buf_addf(&msg, " -> %s -> %s (%s:%u)", aa_index_func_name(x, v), b->callee, path_name, b->span.line);
	related[n_related++] = (struct aa_related){ aa_xstrdup(path_name), b->span,
						    aa_xasprintf("%s() blocks (%s)", b->callee, b->rule->code) };
	report_site(lk, file, &aa_rule_blocking_call_via_helper, site, &msg, related, n_related);
}

/* ---- AA112: chains that end in a C extension ----------------------------------------- */

/* A reference no project function resolves: what aa_native_want is given. */
static bool native_name(const struct aa_ref *ref, const char **name, const char **method)
{
	if (ref->kind != AA_REF_NAME && ref->kind != AA_REF_METHOD)
		return false;
	*name = ref->name;
	*method = ref->kind == AA_REF_METHOD ? ref->method : NULL;
	return true;
}

/* Does ref resolve to no project Python function, or only to a stub's (`_native.pyi`
 * beside the extension describes it, and defines nothing)? */
static bool outside_python(struct aa_index *x, const struct aa_ref *ref)
{
	uint32_t receiver;
	uint32_t f = aa_index_resolve_ref(x, ref, &receiver);
	if (f == AA_INDEX_NONE)
		return true;
	const char *path = aa_index_func_summary(x, f)->path;
	size_t len = strlen(path);
	return len > 4 && !strcmp(path + len - 4, ".pyi");
}

static const struct aa_native_chain *native_of(struct aa_index *x, struct aa_native *nv, const struct aa_ref *ref,
						bool want)
{
	const char *name, *method;
	if (!native_name(ref, &name, &method) || !outside_python(x, ref))
		return NULL;
	/* A method of a project class that defines none by that name: its one base that is
	 * not project code may be an extension type (`class Conn(_native.Connection)`). */
	const char *base = method ? aa_index_foreign_base(x, name) : NULL;
	/* `pkg.fetch` where pkg/__init__.py re-exports the extension's fetch: its real name */
	char *real = aa_index_reexported(x, base ? base : name);
	const char *q = real ? real : base ? base : name;
	const struct aa_native_chain *out = NULL;
	if (want)
		aa_native_want(nv, q, method);
	else
		out = aa_native_find(nv, q, method);
	free(real);
	return out;
}

/* The C end of a chain: the extension function, its implementation, each C call. */
static void native_steps(const struct aa_native_chain *nc, struct aa_buf *msg, struct aa_related *related,
			 size_t *n_related)
{
	aa_buf_addf(msg, " -> %s -> %s (%s:%u)", nc->shown, nc->impl, nc->path, nc->line);
	related[(*n_related)++] = (struct aa_related){ aa_xstrdup(nc->path), { nc->line, 1, nc->line, 1 },
						       aa_xasprintf("'%s' is %s()", nc->shown, nc->impl) };
	for (size_t h = 0; h < nc->n_hops; h++) {
		const struct aa_native_hop *hop = &nc->hops[h];
		bool last = h + 1 == nc->n_hops;
		aa_buf_addf(msg, " -> %s (%s:%u)", hop->callee, hop->path, hop->line);
		related[(*n_related)++] = (struct aa_related){
			aa_xstrdup(hop->path), { hop->line, 1, hop->line, 1 },
			last ? aa_xasprintf("%s() blocks (%s)", hop->callee, aa_rule_blocking_native_call.code)
			     : aa_xasprintf("%s() calls %s()", hop->caller, hop->callee) };
	}
}

/* A site whose chain ends in nc: directly (g is AA_INDEX_NONE) or through helper g. */
static void report_native(struct aa_link *lk, const struct chains *c, size_t file, const struct chain_site *site,
			  uint32_t g, const struct aa_native_chain *nc)
{
	struct aa_index *x = aa_link_index(lk);
	struct aa_buf msg = AA_BUF_INIT;
	aa_buf_addf(&msg, "'%s' blocks the event loop: %s", g == AA_INDEX_NONE ? nc->shown : aa_index_func_name(x, g),
		    site->function);
	struct aa_related *related;
	size_t n_related = 0;
	if (g != AA_INDEX_NONE) {
		size_t n = (size_t)c->dist[g];
		uint32_t *path = aa_xmalloc((n ? n : 1) * sizeof(uint32_t));
		nearest_chain(c, g, path);
		related = aa_xcalloc(n + 2 + nc->n_hops, sizeof(*related));
		uint32_t v = python_steps(x, c, g, path, n, &msg, related, &n_related);
		free(path);
		aa_buf_addf(&msg, " -> %s", aa_index_func_name(x, v));
		related[n_related++] = (struct aa_related){ aa_xstrdup(aa_index_func_summary(x, v)->path),
							    c->native_call[v]->span,
							    aa_xasprintf("'%s' calls '%s'", aa_index_func_name(x, v),
									 nc->shown) };
	} else {
		related = aa_xcalloc(1 + nc->n_hops, sizeof(*related));
	}
	native_steps(nc, &msg, related, &n_related);
	report_site(lk, file, &aa_rule_blocking_native_call, site, &msg, related, n_related);
}

/* Registers with nv what every site and eligible helper calls outside project Python
 * (want), or records which helpers call a blocking extension function (!want). */
static void native_pass(struct aa_link *lk, struct chains *c, struct aa_native *nv, bool want)
{
	struct aa_index *x = aa_link_index(lk);
	for (size_t i = 0; i < aa_link_count(lk); i++) {
		const struct chain_record *r = aa_link_record(lk, i);
		for (size_t k = 0; want && r && k < r->n_sites; k++)
			native_of(x, nv, &r->sites[k].ref, true);
		for (size_t k = 0; r && k < r->n_calls; k++) {
			uint32_t f = aa_index_func_id(x, i, r->calls[k].func);
			if (!c->eligible[f] || (!want && c->native[f]))
				continue;
			const struct aa_native_chain *nc = native_of(x, nv, &r->calls[k].ref, want);
			if (nc) {
				c->native[f] = nc;
				c->native_call[f] = &r->calls[k];
			}
		}
	}
}

static void link_native(struct aa_link *lk, struct chains *c)
{
	struct aa_index *x = aa_link_index(lk);
	struct aa_native *nv = aa_native_new(lk, aa_link_jobs(lk));
	c->native = aa_xcalloc(c->nf, sizeof(*c->native));
	c->native_call = aa_xcalloc(c->nf, sizeof(*c->native_call));
	native_pass(lk, c, nv, true);
	aa_native_read(nv);
	size_t read, partial;
	aa_native_units(nv, &read, &partial);
	aa_link_foreign_files(lk, read, partial);
	if (read) {
		native_pass(lk, c, nv, false);
		bool *source = aa_xcalloc(c->nf, sizeof(bool));
		for (size_t f = 0; f < c->nf; f++)
			source[f] = c->native[f] != NULL;
		shortest_paths(c, source);
		free(source);
		for (size_t i = 0; i < aa_link_count(lk); i++) {
			const struct chain_record *r = aa_link_record(lk, i);
			for (size_t k = 0; r && k < r->n_sites; k++) {
				const struct chain_site *site = &r->sites[k];
				if (site_alone(x, i, site))
					continue;
				uint32_t receiver;
				uint32_t g = aa_index_resolve_ref(x, &site->ref, &receiver);
				const struct aa_native_chain *nc = native_of(x, nv, &site->ref, false);
				if (nc)
					report_native(lk, c, i, site, AA_INDEX_NONE, nc);
				else if (g != AA_INDEX_NONE && c->eligible[g] && c->dist[g] >= 0)
					report_native(lk, c, i, site, g, c->native[python_source(c, g)]);
			}
		}
	}
	aa_native_free(nv);
	free(c->native);
	free(c->native_call);
}

/* Does the patched dotted name p replace target t: the same name, a path that ends with
 * it (`app.jobs.subprocess.run` patches the `run` of the module app.jobs sees), or a
 * path whose tail starts it (`app.jobs.subprocess` replaces that whole module)? Tails
 * are taken at dots. */
static bool patch_covers(const char *p, const char *t)
{
	size_t pl = strlen(p), tl = strlen(t);
	for (size_t i = 0; i < pl; i++) {
		if (i && p[i - 1] != '.')
			continue;
		size_t n = pl - i;
		if (n <= tl && !memcmp(p + i, t, n) && (t[n] == '\0' || t[n] == '.'))
			return true;
	}
	return false;
}

static bool patched_away(const struct chain_site *site, const struct chain_block *b)
{
	for (size_t i = 0; b->target && i < site->n_patched; i++)
		if (patch_covers(site->patched[i], b->target))
			return true;
	return false;
}

/* For sites with patched targets: each function's certain blocking calls (CSR), the
 * edges out of each function (CSR), and a BFS's marks, stamped per search so that no
 * search clears them. Built on the first such site. */
struct patched_search {
	uint32_t *bstart;                  /* nf + 1 */
	const struct chain_block **blocks; /* by function */
	uint32_t *estart;                  /* nf + 1 */
	uint32_t *eout;                    /* edge ids by source function */
	uint32_t *stamp, *parent, *queue;  /* nf each; parent: the edge that reached it */
	uint32_t round;
};

static void patched_search_build(struct aa_link *lk, const struct chains *c, struct patched_search *ps)
{
	struct aa_index *x = aa_link_index(lk);
	size_t nf = c->nf, nb = 0;
	ps->bstart = aa_xcalloc(nf + 1, sizeof(uint32_t));
	for (size_t i = 0; i < aa_link_count(lk); i++) {
		const struct chain_record *r = aa_link_record(lk, i);
		for (size_t k = 0; r && k < r->n_blocks; k++, nb++)
			ps->bstart[aa_index_func_id(x, i, r->blocks[k].func) + 1]++;
	}
	for (size_t f = 0; f < nf; f++)
		ps->bstart[f + 1] += ps->bstart[f];
	ps->blocks = aa_xcalloc(nb ? nb : 1, sizeof(*ps->blocks));
	uint32_t *fill = aa_xcalloc(nf, sizeof(uint32_t));
	for (size_t i = 0; i < aa_link_count(lk); i++) {
		const struct chain_record *r = aa_link_record(lk, i);
		for (size_t k = 0; r && k < r->n_blocks; k++) {
			uint32_t f = aa_index_func_id(x, i, r->blocks[k].func);
			ps->blocks[ps->bstart[f] + fill[f]++] = &r->blocks[k];
		}
	}
	memset(fill, 0, nf * sizeof(uint32_t));
	ps->estart = aa_xcalloc(nf + 1, sizeof(uint32_t));
	ps->eout = aa_xcalloc(c->n_edges ? c->n_edges : 1, sizeof(uint32_t));
	for (size_t e = 0; e < c->n_edges; e++)
		ps->estart[c->edges[e].from + 1]++;
	for (size_t f = 0; f < nf; f++)
		ps->estart[f + 1] += ps->estart[f];
	for (size_t e = 0; e < c->n_edges; e++)
		ps->eout[ps->estart[c->edges[e].from] + fill[c->edges[e].from]++] = (uint32_t)e;
	free(fill);
	ps->stamp = aa_xcalloc(nf, sizeof(uint32_t));
	ps->parent = aa_xmalloc(nf * sizeof(uint32_t));
	ps->queue = aa_xmalloc(nf * sizeof(uint32_t));
}

static void patched_search_release(struct patched_search *ps)
{
	free(ps->bstart);
	free(ps->blocks);
	free(ps->estart);
	free(ps->eout);
	free(ps->stamp);
	free(ps->parent);
	free(ps->queue);
}

/* The nearest blocking call from g that the site's patches leave in place (BFS over the
 * eligible helpers), or NULL; its chain's edges into path (room for nf), *n their count. */
static const struct chain_block *unpatched_chain(const struct chains *c, struct patched_search *ps,
						 const struct chain_site *site, uint32_t g, uint32_t *path, size_t *n)
{
	uint32_t round = ++ps->round;
	size_t qh = 0, qt = 0;
	ps->stamp[g] = round;
	ps->parent[g] = AA_INDEX_NONE;
	ps->queue[qt++] = g;
	while (qh < qt) {
		uint32_t v = ps->queue[qh++];
		for (uint32_t k = ps->bstart[v]; k < ps->bstart[v + 1]; k++) {
			if (patched_away(site, ps->blocks[k]))
				continue;
			size_t len = 0;
			for (uint32_t u = v; ps->parent[u] != AA_INDEX_NONE; u = c->edges[ps->parent[u]].from)
				len++;
			*n = len;
			for (uint32_t u = v; ps->parent[u] != AA_INDEX_NONE; u = c->edges[ps->parent[u]].from)
				path[--len] = ps->parent[u];
			return ps->blocks[k];
		}
		for (uint32_t k = ps->estart[v]; k < ps->estart[v + 1]; k++) {
			const struct edge *e = &c->edges[ps->eout[k]];
			if (ps->stamp[e->to] == round)
				continue;
			ps->stamp[e->to] = round;
			ps->parent[e->to] = ps->eout[k];
			ps->queue[qt++] = e->to;
		}
	}
	return NULL;
}

static void link(struct aa_link *lk)
{
	struct aa_index *x = aa_link_index(lk);
	struct chains c = { .nf = aa_index_func_count(x) };
	if (!c.nf)
		return;
	c.eligible = aa_xcalloc(c.nf, sizeof(bool));
	/* A memoised helper blocks on its first call only (lazy initialisation): not a
	 * chain's step. */
	for (size_t f = 0; f < c.nf; f++) {
		const struct aa_sum_func *fn = aa_index_func(x, (uint32_t)f);
		c.eligible[f] = !fn->is_async && !fn->opaque && !fn->memoised;
	}
	c.block = aa_xcalloc(c.nf, sizeof(*c.block));
	c.dist = aa_xmalloc(c.nf * sizeof(int32_t));
	c.next_edge = aa_xmalloc(c.nf * sizeof(uint32_t));
	struct pending *pend = NULL;
	size_t n_pend = 0, pend_cap = 0;
	build_edges(lk, &c, &pend, &n_pend, &pend_cap);
	if (aa_link_rule_enabled(lk, &aa_rule_blocking_call_via_helper)) {
		bool *source = aa_xcalloc(c.nf, sizeof(bool));
		for (size_t f = 0; f < c.nf; f++)
			source[f] = c.block[f] != NULL;
		shortest_paths(&c, source);
		/* Mixin calls link to a subclass's definition once the distances say which ones
		 * block; one round, so a mixin call that blocks only through another mixin call
		 * is not followed. */
		size_t before = c.n_edges;
		for (size_t i = 0; i < n_pend; i++) {
			uint32_t to = mixin_def(x, &c, &pend[i].call->ref, pend[i].receiver);
			if (to != AA_INDEX_NONE && to != pend[i].from)
				add_edge(&c, pend[i].from, to, pend[i].call);
		}
		if (c.n_edges != before)
			shortest_paths(&c, source);
		free(source);
		uint32_t *path = aa_xmalloc(c.nf * sizeof(uint32_t));
		struct patched_search ps = { 0 };
		for (size_t i = 0; i < aa_link_count(lk); i++) {
			const struct chain_record *r = aa_link_record(lk, i);
			for (size_t k = 0; r && k < r->n_sites; k++) {
				const struct chain_site *site = &r->sites[k];
				if (site_alone(x, i, site))
					continue;
				uint32_t receiver;
				uint32_t g = aa_index_resolve_ref(x, &site->ref, &receiver);
				if (g == AA_INDEX_NONE)
					g = mixin_def(x, &c, &site->ref, receiver);
				if (g == AA_INDEX_NONE || !c.eligible[g] || c.dist[g] < 0)
					continue;
				const struct chain_block *b;
				size_t n = (size_t)c.dist[g];
				if (!site->n_patched) {
					nearest_chain(&c, g, path);
					b = c.block[n ? c.edges[path[n - 1]].to : g];
				} else {
					/* the patches may cut the nearest chain but not a longer one */
					if (!ps.stamp)
						patched_search_build(lk, &c, &ps);
					b = unpatched_chain(&c, &ps, site, g, path, &n);
				}
				if (b)
					report_chain(lk, &c, i, site, g, path, n, b);
			}
		}
		patched_search_release(&ps);
		free(path);
	}
	free(pend);
	if (aa_link_rule_enabled(lk, &aa_rule_blocking_native_call))
		link_native(lk, &c);
	free(c.eligible);
	free(c.block);
	free(c.edges);
	free(c.dist);
	free(c.next_edge);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_crossfile aa_crossfile_helper_chains = {
	.name = "helper-chains",
	.node_kinds = kinds,
	.summarize = summarize,
	.new_record = new_record,
	.finish_record = finish_record,
	.free_record = free_record,
	.demand = demand,
	.link = link,
};
