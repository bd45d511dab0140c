/*
 * Building a file's summary during pass 2: definitions, classes and their bases,
 * module-level names, and the calls the project index needs (sync-to-project edges,
 * certain blocking calls in sync functions, calls in async context to project code).
 */
#include "analyzer/engine/summarize.h"
#include "analyzer/base/buf.h"
#include "rules/coroutines/coroutine.h"
#include "rules/concurrency/fanout.h"
#include "analyzer/check/ctx_impl.h"
#include "analyzer/index/modmap.h"
#include "analyzer/facts/stdlib_modules.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_blocking_call_via_helper;
extern const struct aa_rule aa_rule_client_per_request;

static struct aa_span span_of(const struct aa_ctx *ctx, TSNode node)
{
	const struct aa_source *src = ctx->src;
	uint32_t sb = ts_node_start_byte(node), eb = ts_node_end_byte(node);
	uint32_t l = aa_source_line_of(src, sb), el = aa_source_line_of(src, eb);
	return (struct aa_span){ l + 1, aa_source_col(src, l, sb), el + 1, aa_source_col(src, el, eb) };
}

/* Can a qualified name be project code? Only names under an analyzed top-level module
 * that is not the standard library. */
static bool project_name(const struct aa_ctx *ctx, const char *q)
{
	if (!q || !strncmp(q, "builtins.", 9) || q[0] == '.')
		return false;
	size_t top = strcspn(q, ".");
	if (ctx->engine->modmap)
		return aa_modmap_has_project_top(ctx->engine->modmap, q, top);
	if (aa_stdlib_module(q, top))
		return false;
	const char *mod = ctx->summary->module;
	return strlen(mod) >= top && !strncmp(mod, q, top) && (mod[top] == '.' || mod[top] == '\0');
}

bool aa_summarize_project_name(const struct aa_ctx *ctx, const char *q)
{
	return ctx->summary && project_name(ctx, q);
}

/* ---- which names a class hierarchy of this file binds (self.m() calls) ---------------- */

/* Appends to the memo the names class_def's body binds (def, class, `name = ...`); false
 * when it holds a statement that might bind others (a compound statement, an unpacking
 * or attribute target). */
static bool collect_class_names(struct aa_ctx *ctx, TSNode class_def)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode body = ts_node_child_by_field_id(class_def, s->f.body);
	uint32_t n = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(body, i);
		TSSymbol k = ts_node_symbol(st);
		if (k == s->decorated_definition) {
			st = ts_node_child_by_field_id(st, s->f.definition);
			k = ts_node_symbol(st);
		}
		TSNode target = { 0 };
		if (k == s->function_definition || k == s->class_definition) {
			target = ts_node_child_by_field_id(st, s->f.name);
		} else if (k == s->expression_statement) {
			TSNode e = ts_node_named_child(st, 0);
			if (ts_node_is_null(e) || ts_node_symbol(e) != s->assignment)
				continue; /* a docstring, a call */
			target = ts_node_child_by_field_id(e, s->f.left);
			if (ts_node_is_null(target) || ts_node_symbol(target) != s->identifier)
				return false; /* `a, m = ...`, `x.m = ...`: not worth following */
		} else if (k == s->pass_statement || k == s->comment) {
			continue;
		} else {
			return false;
		}
		if (ts_node_is_null(target))
			continue;
		AA_GROW(ctx->self_names, ctx->self_names_cap, ctx->n_self_names + 1);
		struct aa_bound_name *b = &ctx->self_names[ctx->n_self_names++];
		b->name = aa_ctx_text(ctx, target, &b->len);
	}
	return true;
}

/* What a base class expression names, evaluated in scope (where the class statement
 * runs): a library class (nothing to look at), a class of this file (*class_scope: its
 * body and bases are looked at), or something that may be project code (false). */
static bool base_is_known(struct aa_ctx *ctx, uint32_t scope, TSNode base, uint32_t *class_scope)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	*class_scope = AA_NO_SCOPE;
	if (ts_node_symbol(base) == s->keyword_argument || ts_node_symbol(base) == s->comment)
		return true; /* metaclass=...: its methods are the class's, not the instances' */
	if (ts_node_symbol(base) == s->subscript) /* Generic[T] */
		base = ts_node_child_by_field_id(base, s->f.value);
	if (ts_node_is_null(base))
		return false;
	struct aa_meaning m = aa_model_eval(ctx->model, scope, base);
	if (m.kind == AA_MEANING_CLASS && !ts_node_is_null(m.node)) {
		uint32_t n = aa_model_scope_count(ctx->model);
		for (uint32_t i = 1; i < n; i++) {
			const struct aa_scope_info *sc = aa_model_scope(ctx->model, i);
			if (sc->kind == AA_SCOPE_CLASS && ts_node_eq(sc->node, m.node)) {
				*class_scope = i;
				return true;
			}
		}
		return false;
	}
	return m.kind == AA_MEANING_NAME && !aa_summarize_project_name(ctx, m.qualname);
}

static int cmp_bound(const void *a, const void *b)
{
	const struct aa_bound_name *x = a, *y = b;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* At most this many classes of the file are looked at for one class's hierarchy:
 * deeper or wider ones are left to the index. */
#define MAX_SELF_CLASSES 16

static void fill_self_memo(struct aa_ctx *ctx, uint32_t class_scope)
{
	ctx->self_valid = true;
	ctx->self_scope = class_scope;
	ctx->self_any = true;
	ctx->n_self_names = 0;
	uint32_t classes[MAX_SELF_CLASSES];
	size_t n_classes = 1;
	classes[0] = class_scope;
	for (size_t c = 0; c < n_classes; c++) {
		const struct aa_scope_info *sc = aa_model_scope(ctx->model, classes[c]);
		if (!collect_class_names(ctx, sc->node))
			return;
		const struct aa_syms *s = aa_ctx_syms(ctx);
		TSNode supers = ts_node_child_by_field_id(sc->node, s->f.superclasses);
		uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t base;
			if (!base_is_known(ctx, sc->parent, ts_node_named_child(supers, i), &base))
				return;
			bool seen = base == AA_NO_SCOPE;
			for (size_t j = 0; j < n_classes && !seen; j++)
				seen = classes[j] == base;
			if (seen)
				continue;
			if (n_classes == MAX_SELF_CLASSES)
				return;
			classes[n_classes++] = base;
		}
	}
	ctx->self_any = false;
	if (ctx->n_self_names > 1)
		qsort(ctx->self_names, ctx->n_self_names, sizeof(*ctx->self_names), cmp_bound);
}

bool aa_summarize_self_method_unbound(struct aa_ctx *ctx, uint32_t class_scope, const char *name, uint32_t len)
{
	if (class_scope == AA_NO_SCOPE)
		return false;
	if (!ctx->self_valid || ctx->self_scope != class_scope)
		fill_self_memo(ctx, class_scope);
	if (ctx->self_any)
		return false;
	if (!ctx->n_self_names) /* bsearch wants an array, not NULL */
		return true;
	struct aa_bound_name key = { name, len };
	return !bsearch(&key, ctx->self_names, ctx->n_self_names, sizeof(key), cmp_bound);
}

/* The class whose method the current scope is in, or NULL. */
static const char *enclosing_class(struct aa_ctx *ctx)
{
	uint32_t fn = aa_model_scope(ctx->model, ctx->scope)->function;
	while (fn != AA_NO_SCOPE) {
		const struct aa_scope_info *sc = aa_model_scope(ctx->model, fn);
		if (sc->class_scope != AA_NO_SCOPE)
			return aa_model_scope(ctx->model, sc->class_scope)->qualname;
		fn = sc->parent == AA_NO_SCOPE ? AA_NO_SCOPE : aa_model_scope(ctx->model, sc->parent)->function;
	}
	return NULL;
}

static bool is_super_call(struct aa_ctx *ctx, TSNode expr)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(expr) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(expr, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->identifier)
		return false;
	struct aa_meaning m = aa_ctx_eval(ctx, fn);
	return m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "builtins.super");
}

/* `coresys.core.set_state()`: the receiver's type is not known in this file, but it
 * starts from an object that is (`coresys: CoreSys`), through attributes whose types the
 * index knows (class attributes, `self.x = ...`, properties' return annotations). */
#define MAX_CHAIN 4
static bool chain_ref(struct aa_ctx *ctx, TSNode fn, struct aa_ref *out)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode attrs[MAX_CHAIN];
	size_t n = 0;
	TSNode method = ts_node_child_by_field_id(fn, s->f.attribute);
	TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
	struct aa_meaning base = { 0 };
	while (!ts_node_is_null(obj)) {
		base = aa_ctx_eval(ctx, obj);
		if (base.kind != AA_MEANING_UNKNOWN || ts_node_symbol(obj) != s->attribute || n == MAX_CHAIN)
			break;
		attrs[n++] = ts_node_child_by_field_id(obj, s->f.attribute);
		obj = ts_node_child_by_field_id(obj, s->f.object);
	}
	if (!n || ts_node_is_null(method) || base.kind != AA_MEANING_INSTANCE || !project_name(ctx, base.qualname))
		return false;
	struct aa_buf path = AA_BUF_INIT;
	for (size_t i = n; i-- > 0;) {
		uint32_t len;
		const char *t = aa_ctx_text(ctx, attrs[i], &len);
		if (path.len)
			aa_buf_addc(&path, '.');
		aa_buf_add(&path, t, len);
	}
	struct aa_summary *sum = ctx->summary;
	uint32_t mlen;
	const char *m = aa_ctx_text(ctx, method, &mlen);
	*out = (struct aa_ref){ AA_REF_CHAIN, aa_summary_intern(sum, base.qualname, strlen(base.qualname)),
				aa_summary_intern(sum, m, mlen), aa_summary_intern(sum, path.data, path.len) };
	aa_buf_release(&path);
	return true;
}

static bool ref_of(struct aa_ctx *ctx, TSNode fn, const struct aa_callee *c, struct aa_ref *out)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_summary *sum = ctx->summary;
	if (ts_node_is_null(fn))
		return false;
	if (ts_node_symbol(fn) == s->attribute) {
		TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		if (!ts_node_is_null(obj) && !ts_node_is_null(attr) && is_super_call(ctx, obj)) {
			const char *cls = enclosing_class(ctx);
			if (!cls)
				return false;
			uint32_t len;
			const char *m = aa_ctx_text(ctx, attr, &len);
			*out = (struct aa_ref){ AA_REF_SUPER, aa_summary_intern(sum, cls, strlen(cls)),
						aa_summary_intern(sum, m, len), NULL };
			return true;
		}
	}
	if (c->kind == AA_CALLEE_UNKNOWN && ts_node_symbol(fn) == s->attribute) {
		/* `Fetcher.fetch()` on a class of this file: named as when the class is
		 * imported (`pkg.core.Fetcher.fetch`); the index finds inherited members. */
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		struct aa_meaning om = aa_ctx_eval(ctx, ts_node_child_by_field_id(fn, s->f.object));
		if (om.kind == AA_MEANING_CLASS && !ts_node_is_null(attr) && project_name(ctx, om.qualname)) {
			uint32_t len;
			const char *m = aa_ctx_text(ctx, attr, &len);
			struct aa_buf q = AA_BUF_INIT;
			aa_buf_addf(&q, "%s.%.*s", om.qualname, (int)len, m);
			*out = (struct aa_ref){ AA_REF_NAME, aa_summary_intern(sum, q.data, q.len), NULL, NULL };
			aa_buf_release(&q);
			return true;
		}
		return chain_ref(ctx, fn, out);
	}
	switch (c->kind) {
	case AA_CALLEE_FUNCTION:
	case AA_CALLEE_LOCAL:
		if (!project_name(ctx, c->qualname))
			return false;
		*out = (struct aa_ref){ AA_REF_NAME, aa_summary_intern(sum, c->qualname, strlen(c->qualname)), NULL, NULL };
		return true;
	case AA_CALLEE_METHOD:
		if (!project_name(ctx, c->qualname))
			return false;
		*out = (struct aa_ref){ AA_REF_METHOD, aa_summary_intern(sum, c->qualname, strlen(c->qualname)),
					aa_summary_intern(sum, c->method, c->method_len), NULL };
		return true;
	default:
		return false;
	}
}

bool aa_summarize_ref(struct aa_ctx *ctx, TSNode call, struct aa_ref *out)
{
	if (!ctx->summary)
		return false;
	if (!ts_node_eq(call, ctx->ref_memo_call)) {
		TSNode fn = ts_node_child_by_field_id(call, aa_ctx_syms(ctx)->f.function);
		ctx->ref_memo_found = ref_of(ctx, fn, aa_ctx_callee(ctx, call), &ctx->ref_memo);
		ctx->ref_memo_call = call;
	}
	if (ctx->ref_memo_found)
		*out = ctx->ref_memo;
	return ctx->ref_memo_found;
}

bool aa_summarize_ref_fn(struct aa_ctx *ctx, TSNode fn, struct aa_ref *out)
{
	if (!ctx->summary)
		return false;
	struct aa_callee c;
	aa_ctx_callee_of(ctx, fn, &c);
	return ref_of(ctx, fn, &c, out);
}

static void set_scope_func(struct aa_ctx *ctx, uint32_t scope, uint32_t func)
{
	if (scope >= ctx->scope_func_cap) {
		size_t old = ctx->scope_func_cap;
		AA_GROW(ctx->scope_func, ctx->scope_func_cap, (size_t)scope + 1);
		for (size_t i = old; i < ctx->scope_func_cap; i++)
			ctx->scope_func[i] = UINT32_MAX;
	}
	ctx->scope_func[scope] = func;
}

static uint32_t scope_func(const struct aa_ctx *ctx, uint32_t scope)
{
	return scope < ctx->scope_func_cap ? ctx->scope_func[scope] : UINT32_MAX;
}

static void add_function(struct aa_ctx *ctx, TSNode node, uint32_t inner)
{
	struct aa_summary *sum = ctx->summary;
	const struct aa_scope_info *sc = aa_model_scope(ctx->model, inner);
	TSNode name = ts_node_child_by_field_id(node, aa_ctx_syms(ctx)->f.name);
	AA_GROW(sum->funcs, sum->funcs_cap, sum->n_funcs + 1);
	struct aa_sum_func *f = &sum->funcs[sum->n_funcs];
	memset(f, 0, sizeof(*f));
	f->qualname = aa_summary_intern(sum, sc->qualname, strlen(sc->qualname));
	f->module = sum->module;
	f->is_async = sc->is_async;
	f->is_coroutine = sc->is_async && !sc->has_yield; /* aa_coroutine_def_is_async, by scope */
	/* The decorator rule of coroutines serves helpers too: staticmethod, classmethod,
	 * abstractmethod, override and functools' caches leave a function what it was. */
	f->opaque = !aa_coroutine_decorators_transparent_under(ctx->model, aa_ctx_syms(ctx), ctx->scope,
							       aa_ctx_parent(ctx, node));
	TSNode rt = ts_node_child_by_field_id(node, aa_ctx_syms(ctx)->f.return_type);
	if (!ts_node_is_null(rt)) {
		struct aa_meaning r = aa_model_eval_annotation(ctx->model, ctx->scope, rt);
		if (r.kind == AA_MEANING_INSTANCE && project_name(ctx, r.qualname))
			f->returns = aa_summary_intern(sum, r.qualname, strlen(r.qualname));
	}
	f->span = span_of(ctx, ts_node_is_null(name) ? node : name);
	set_scope_func(ctx, inner, (uint32_t)sum->n_funcs);
	sum->n_funcs++;
}

static void add_class(struct aa_ctx *ctx, TSNode node, uint32_t inner)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_summary *sum = ctx->summary;
	const struct aa_scope_info *sc = aa_model_scope(ctx->model, inner);
	AA_GROW(sum->classes, sum->classes_cap, sum->n_classes + 1);
	struct aa_sum_class *c = &sum->classes[sum->n_classes++];
	c->qualname = aa_summary_intern(sum, sc->qualname, strlen(sc->qualname));
	c->first_base = (uint32_t)sum->n_bases;
	c->n_bases = 0;
	TSNode supers = ts_node_child_by_field_id(node, s->f.superclasses);
	uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
	for (uint32_t i = 0; i < n; i++) {
		TSNode b = ts_node_named_child(supers, i);
		if (ts_node_symbol(b) == s->keyword_argument || ts_node_symbol(b) == s->comment)
			continue;
		struct aa_meaning m = aa_ctx_eval(ctx, b);
		const char *q = (m.kind == AA_MEANING_NAME || m.kind == AA_MEANING_CLASS) ? m.qualname : NULL;
		AA_GROW(sum->bases, sum->bases_cap, sum->n_bases + 1);
		sum->bases[sum->n_bases++] = q ? aa_summary_intern(sum, q, strlen(q)) : NULL;
		c->n_bases++;
	}
}

/* The summary function whose body the current scope is (not lambdas), or UINT32_MAX. */
static uint32_t current_function(struct aa_ctx *ctx, bool *is_lambda)
{
	uint32_t fn = aa_model_scope(ctx->model, ctx->scope)->function;
	*is_lambda = fn != AA_NO_SCOPE && aa_model_scope(ctx->model, fn)->kind == AA_SCOPE_LAMBDA;
	return fn == AA_NO_SCOPE ? UINT32_MAX : scope_func(ctx, fn);
}

static bool matches_configured(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	for (const char *const *b = ctx->engine->blocking_calls; b && *b; b++) {
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
	extern const struct aa_rule aa_rule_configured_blocking_call;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	const struct aa_target_hit *hit = NULL;
	if (c->kind == AA_CALLEE_FUNCTION)
		hit = aa_target_index_function(&ctx->engine->travelling, c->qualname);
	else if (c->kind == AA_CALLEE_METHOD)
		hit = aa_target_index_method(&ctx->engine->travelling, c->qualname, c->method, c->method_len);
	if (hit) {
		*certain = !(hit->target->flags & AA_TARGET_CONDITIONAL);
		return hit->rule;
	}
	if (ctx->engine->blocking_calls && *ctx->engine->blocking_calls && matches_configured(ctx, call)) {
		*certain = true;
		return &aa_rule_configured_blocking_call;
	}
	return NULL;
}

/* A certain blocking call in a sync function: recorded unless suppressed on its line
 * (a noqa there cuts AA109's chain too). */
static bool record_block(struct aa_ctx *ctx, uint32_t func, TSNode call)
{
	uint32_t line = aa_source_line_of(ctx->src, ts_node_start_byte(call)) + 1;
	/* Whether the direct-call rule is selected does not matter: `--select AA109` alone
	 * must still see chains. AA110's names are the user's, so they travel when given. */
	bool certain = false;
	const struct aa_rule *hit = direct_target(ctx, call, &certain);
	if (hit && !certain)
		return true; /* a conditional target: not an edge, and it does not travel */
	if (!hit || aa_noqa_suppresses(&ctx->noqa, line, hit) ||
	    aa_noqa_suppresses(&ctx->noqa, line, &aa_rule_blocking_call_via_helper))
		return hit != NULL;
	struct aa_summary *sum = ctx->summary;
	AA_GROW(sum->blocks, sum->blocks_cap, sum->n_blocks + 1);
	const char *text = aa_ctx_callee_text(ctx, call);
	sum->blocks[sum->n_blocks++] =
		(struct aa_sum_block){ func, hit, aa_summary_intern(sum, text, strlen(text)), span_of(ctx, call) };
	return true;
}

static void add_site(struct aa_ctx *ctx, enum aa_site_kind kind, const struct aa_rule *rule, const struct aa_ref *ref,
		     TSNode call, char *message)
{
	struct aa_summary *sum = ctx->summary;
	AA_GROW(sum->sites, sum->sites_cap, sum->n_sites + 1);
	struct aa_sum_site *site = &sum->sites[sum->n_sites++];
	const char *fn = aa_ctx_function_name(ctx);
	const char *callee = aa_ctx_callee_text(ctx, call);
	uint32_t line = aa_source_line_of(ctx->src, ts_node_start_byte(call));
	*site = (struct aa_sum_site){
		.kind = kind,
		.rule = rule,
		.ref = *ref,
		.span = span_of(ctx, call),
		.function = aa_summary_intern(sum, fn, strlen(fn)),
		.callee = aa_summary_intern(sum, callee, strlen(callee)),
		.message = message,
		.source_line = aa_xstrndup(ctx->src->text + ctx->src->line_starts[line], aa_source_line_len(ctx->src, line)),
	};
}

bool aa_summarize_defer_begin(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, struct aa_ref *ref)
{
	uint32_t line = aa_source_line_of(ctx->src, ts_node_start_byte(call)) + 1;
	return ctx->summary && aa_engine_enabled(ctx->engine, rule) && !aa_noqa_suppresses(&ctx->noqa, line, rule) &&
	       aa_summarize_ref(ctx, call, ref);
}

void aa_summarize_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_ref *ref,
			char *message)
{
	add_site(ctx, AA_SITE_IF_COROUTINE, rule, ref, call, message);
}

/* What an async function does that the fan-out rules ask about (fanout.h). */
static void fanout_facts(struct aa_ctx *ctx, uint32_t f, TSNode call)
{
	struct aa_summary *sum = ctx->summary;
	struct aa_sum_func *fn = &sum->funcs[f];
	if (!fn->net_callee && aa_fanout_net_call(ctx, call)) {
		const char *text = aa_ctx_callee_text(ctx, call);
		fn->net_callee = aa_summary_intern(sum, text, strlen(text));
		fn->net_span = span_of(ctx, call);
	}
	fn->limits |= aa_fanout_acquire_call(ctx, call);
	fn->reads_queue |= aa_fanout_queue_read(ctx, call);
	uint32_t line = aa_source_line_of(ctx->src, ts_node_start_byte(call));
	if (aa_engine_enabled(ctx->engine, &aa_rule_client_per_request) && aa_fanout_client_call(ctx, call) &&
	    !aa_noqa_suppresses(&ctx->noqa, line + 1, &aa_rule_client_per_request)) {
		const char *text = aa_ctx_callee_text(ctx, call);
		AA_GROW(sum->clients, sum->clients_cap, sum->n_clients + 1);
		sum->clients[sum->n_clients++] = (struct aa_sum_client){
			f, aa_summary_intern(sum, text, strlen(text)), span_of(ctx, call),
			aa_xstrndup(ctx->src->text + ctx->src->line_starts[line], aa_source_line_len(ctx->src, line)) };
	}
	struct aa_ref ref;
	if (aa_fanout_async_use(ctx, call) && aa_summarize_ref(ctx, call, &ref)) {
		AA_GROW(sum->awaits, sum->awaits_cap, sum->n_awaits + 1);
		sum->awaits[sum->n_awaits++] = (struct aa_sum_await){ f, ref, span_of(ctx, call) };
	}
}

/* `async with sem:` in an async function: it acquires a limiter. */
static void fanout_with(struct aa_ctx *ctx, TSNode with)
{
	bool in_lambda;
	uint32_t f = current_function(ctx, &in_lambda);
	if (f != UINT32_MAX && !in_lambda && ctx->summary->funcs[f].is_async && aa_fanout_with_limits(ctx, with))
		ctx->summary->funcs[f].limits = true;
}

void aa_summarize_defer_fanout(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode site, const struct aa_ref *ref,
			       char *head, char *tail)
{
	uint32_t line = aa_source_line_of(ctx->src, ts_node_start_byte(site)) + 1;
	if (!ctx->summary || aa_noqa_suppresses(&ctx->noqa, line, rule)) {
		free(head);
		free(tail);
		return;
	}
	add_site(ctx, AA_SITE_FANOUT, rule, ref, site, head);
	ctx->summary->sites[ctx->summary->n_sites - 1].tail = tail;
}

/* `self.m()` that the index could not resolve to project code (coroutine.h): no edge,
 * no helper site. Most sync calls of test suites are `self.assert*()`. */
static bool unresolvable_self_call(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	return c->kind == AA_CALLEE_METHOD && aa_coroutine_self_call_unbound(ctx, c->receiver, c->method, c->method_len);
}

static void on_call(struct aa_ctx *ctx, TSNode call)
{
	bool in_lambda;
	uint32_t f = current_function(ctx, &in_lambda);
	struct aa_summary *sum = ctx->summary;
	if (aa_ctx_in_async(ctx)) {
		if (ctx->engine->fanout_facts && f != UINT32_MAX && !in_lambda && sum->funcs[f].is_async)
			fanout_facts(ctx, f, call);
		if (!aa_engine_enabled(ctx->engine, &aa_rule_blocking_call_via_helper))
			return;
		uint32_t line = aa_source_line_of(ctx->src, ts_node_start_byte(call)) + 1;
		struct aa_ref ref;
		bool certain;
		/* A direct target is its own rule's finding, not a helper's. */
		if (!aa_noqa_suppresses(&ctx->noqa, line, &aa_rule_blocking_call_via_helper) &&
		    !aa_call_is_awaited(ctx, call) && !direct_target(ctx, call, &certain) &&
		    !unresolvable_self_call(ctx, call) && aa_summarize_ref(ctx, call, &ref))
			add_site(ctx, AA_SITE_HELPER_CALL, &aa_rule_blocking_call_via_helper, &ref, call, NULL);
		return;
	}
	/* Sync code: only bodies of sync defs make edges (a lambda is not called by name). */
	if (f == UINT32_MAX || in_lambda || sum->funcs[f].is_async)
		return;
	if (record_block(ctx, f, call))
		return;
	struct aa_ref ref;
	if (unresolvable_self_call(ctx, call) || !aa_summarize_ref(ctx, call, &ref))
		return;
	AA_GROW(sum->calls, sum->calls_cap, sum->n_calls + 1);
	sum->calls[sum->n_calls++] = (struct aa_sum_call){ f, ref, span_of(ctx, call) };
}

void aa_summarize_enter(struct aa_ctx *ctx, TSNode node, uint32_t scope, uint32_t inner)
{
	if (!ctx->summary)
		return;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(node);
	ctx->scope = scope;
	if (k == s->function_definition && inner != AA_NO_SCOPE)
		add_function(ctx, node, inner);
	else if (k == s->class_definition && inner != AA_NO_SCOPE)
		add_class(ctx, node, inner);
	else if (k == s->call)
		on_call(ctx, node);
	else if (k == s->with_statement && ctx->engine->fanout_facts)
		fanout_with(ctx, node);
}

static void add_export(void *ud, const char *name, uint32_t len, struct aa_meaning m)
{
	struct aa_ctx *ctx = ud;
	struct aa_summary *sum = ctx->summary;
	if (m.kind != AA_MEANING_NAME && m.kind != AA_MEANING_FUNCTION && m.kind != AA_MEANING_CLASS)
		return;
	size_t ml = strlen(sum->module);
	/* A def or class under its own name is already known by its qualified name. */
	if (m.kind != AA_MEANING_NAME && !strncmp(m.qualname, sum->module, ml) && m.qualname[ml] == '.' &&
	    strlen(m.qualname + ml + 1) == len && !memcmp(m.qualname + ml + 1, name, len))
		return;
	char *full = aa_xasprintf("%s.%.*s", sum->module, (int)len, name);
	AA_GROW(sum->exports, sum->exports_cap, sum->n_exports + 1);
	sum->exports[sum->n_exports++] = (struct aa_sum_export){ aa_summary_intern(sum, full, strlen(full)),
								 aa_summary_intern(sum, m.qualname, strlen(m.qualname)) };
	free(full);
}

static void add_attr(void *ud, const char *cls, const char *name, uint32_t len, struct aa_meaning m)
{
	struct aa_ctx *ctx = ud;
	struct aa_summary *sum = ctx->summary;
	if (!project_name(ctx, m.qualname))
		return;
	char *full = aa_xasprintf("%s.%.*s", cls, (int)len, name);
	AA_GROW(sum->attrs, sum->attrs_cap, sum->n_attrs + 1);
	sum->attrs[sum->n_attrs++] = (struct aa_sum_attr){ aa_summary_intern(sum, full, strlen(full)),
							   aa_summary_intern(sum, m.qualname, strlen(m.qualname)) };
	free(full);
}

void aa_summarize_finish(struct aa_ctx *ctx)
{
	if (!ctx->summary)
		return;
	aa_model_each_module_name(ctx->model, add_export, ctx);
	aa_model_each_class_attr(ctx->model, add_attr, ctx);
}
