#include "analyzer/check/ctx_impl.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/facts/bindings.h"
#include "analyzer/facts/decorators.h"
#include "analyzer/facts/loop_uses.h"
#include "parsers/python/call_args.h"
#include "parsers/python/node.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct aa_syms *aa_ctx_syms(const struct aa_ctx *ctx)
{
	return ctx->syms;
}

const struct aa_source *aa_ctx_source(const struct aa_ctx *ctx)
{
	return ctx->src;
}

struct aa_model *aa_ctx_model(const struct aa_ctx *ctx)
{
	return ctx->model;
}

const char *aa_ctx_path(const struct aa_ctx *ctx)
{
	return ctx->display;
}

uint32_t aa_ctx_scope(const struct aa_ctx *ctx)
{
	return ctx->facts.scope;
}

bool aa_ctx_in_async(const struct aa_ctx *ctx)
{
	return aa_model_scope(ctx->model, ctx->facts.scope)->async_context;
}

/* Is the current node test code (aa_ctx_reports_here)? */
static bool in_test_code(struct aa_ctx *ctx)
{
	if (ctx->test_file)
		return true;
	/* The enclosing defs are the walker's ancestors: their parents cost no search. */
	for (uint32_t id = ctx->facts.scope; id != AA_NO_SCOPE;) {
		const struct aa_scope_info *sc = aa_model_scope(ctx->model, id);
		if (sc->kind == AA_SCOPE_FUNCTION &&
		    aa_decorators_fixture_under(ctx->model, ctx->syms, sc->parent, aa_ctx_parent(ctx, sc->node)))
			return true;
		id = sc->parent;
	}
	return false;
}

bool aa_ctx_reports_here(struct aa_ctx *ctx, const struct aa_rule *rule)
{
	return !aa_rule_spares_tests(rule) || (ctx->settings && ctx->settings->report_in_tests) ||
	       !in_test_code(ctx);
}

const char *aa_ctx_function_name(struct aa_ctx *ctx)
{
	return aa_summarizer_function_name(&ctx->facts);
}

const char *aa_ctx_text(const struct aa_ctx *ctx, TSNode node, uint32_t *len)
{
	return aa_node_text(ctx->src->text, node, len);
}

bool aa_ctx_text_is(const struct aa_ctx *ctx, TSNode node, const char *s)
{
	return aa_node_text_is(ctx->src->text, node, s, (uint32_t)strlen(s));
}

struct aa_meaning aa_ctx_eval(struct aa_ctx *ctx, TSNode expr)
{
	return aa_model_eval(ctx->model, ctx->facts.scope, expr);
}

void aa_ctx_callee_of(struct aa_ctx *ctx, TSNode fn, struct aa_callee *out)
{
	aa_callee_resolve(ctx->model, ctx->syms, ctx->src, ctx->facts.scope, fn, out);
}

const struct aa_callee *aa_ctx_callee(struct aa_ctx *ctx, TSNode call)
{
	return aa_summarizer_callee(&ctx->facts, call);
}

const char *aa_ctx_function_called(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || (ts_node_symbol(fn) != s->identifier && ts_node_symbol(fn) != s->attribute))
		return NULL;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	return c->kind == AA_CALLEE_FUNCTION ? c->qualname : NULL;
}

const struct aa_target *aa_ctx_match_call(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee_out)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (callee_out)
		*callee_out = c;
	if (c->kind == AA_CALLEE_FUNCTION)
		return aa_rule_functions_match(ctx->functions, rule, c->qualname);
	if (c->kind == AA_CALLEE_METHOD)
		return aa_rule_match_method(rule, c->qualname, c->method, c->method_len);
	return NULL;
}

bool aa_ctx_imports(const struct aa_ctx *ctx, const char *module)
{
	return aa_model_imports(ctx->model, module);
}

unsigned aa_ctx_target_version(const struct aa_ctx *ctx)
{
	return ctx->settings ? ctx->settings->target_version : 0;
}

const char *const *aa_ctx_configured_blocking(const struct aa_ctx *ctx)
{
	return ctx->blocking_calls;
}

TSNode aa_ctx_parent(const struct aa_ctx *ctx, TSNode node)
{
	return aa_summarizer_parent(&ctx->facts, node);
}

TSNode aa_ctx_parent_unparen(const struct aa_ctx *ctx, TSNode node, const TSSymbol *also, size_t n_also,
			     TSNode *child)
{
	return aa_node_parent_unparen(aa_ctx_syms(ctx), ctx->facts.walk, node, also, n_also, child);
}

TSNode aa_ctx_try_around(const struct aa_ctx *ctx, TSNode node, bool classes)
{
	return aa_node_try_around(aa_ctx_syms(ctx), ctx->facts.walk, node, classes);
}

TSNode aa_ctx_enclosing_for(const struct aa_ctx *ctx, TSNode fn_def, TSNode node)
{
	return aa_bindings_enclosing_for(ctx->model, ctx->facts.walk, fn_def, node);
}

bool aa_ctx_rule_enabled(const struct aa_ctx *ctx, const struct aa_rule *rule)
{
	size_t i = aa_rule_index(rule);
	return i < aa_rules_count && ctx->enabled[i];
}

bool aa_call_is_awaited(const struct aa_ctx *ctx, TSNode call)
{
	TSNode p = aa_ctx_parent_unparen(ctx, call, NULL, 0, NULL);
	return !ts_node_is_null(p) && ts_node_symbol(p) == aa_ctx_syms(ctx)->await;
}

TSNode aa_call_arg(const struct aa_ctx *ctx, TSNode call, int index, const char *keyword)
{
	return aa_call_args_find(aa_ctx_syms(ctx), ctx->src->text, call, index, keyword);
}

int aa_call_positional_count(const struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	if (ts_node_is_null(args) || ts_node_symbol(args) != s->argument_list)
		return 0;
	uint32_t n = ts_node_named_child_count(args);
	int pos = 0;
	for (uint32_t i = 0; i < n; i++) {
		TSSymbol k = ts_node_symbol(ts_node_named_child(args, i));
		if (k == s->list_splat || k == s->dictionary_splat)
			return -1;
		if (k != s->keyword_argument && k != s->comment)
			pos++;
	}
	return pos;
}

const char *aa_ctx_callee_text(struct aa_ctx *ctx, TSNode call)
{
	return aa_summarizer_callee_text(&ctx->facts, call);
}

/* The fix a finding of rule keeps: fix with its edits' spans filled in, or NULL (fix
 * freed) when it is empty or of another kind than the descriptor says. */
static struct aa_fix *own_fix(const struct aa_ctx *ctx, const struct aa_rule *rule, struct aa_fix *fix)
{
	if (!fix || !fix->n_edits || fix->kind != rule->fix.kind || fix->kind == AA_FIX_NONE) {
		aa_fix_free(fix);
		return NULL;
	}
	const struct aa_source *src = ctx->src;
	for (size_t i = 0; i < fix->n_edits; i++) {
		struct aa_edit *e = &fix->edits[i];
		uint32_t sl = aa_source_line_of(src, e->start), el = aa_source_line_of(src, e->end);
		e->span = (struct aa_span){ sl + 1, aa_source_col(src, sl, e->start), el + 1,
					    aa_source_col(src, el, e->end) };
	}
	/* A finding lives to the end of the run: its edits, one or two, not AA_GROW's eight. */
	AA_TRIM(fix->edits, fix->cap, fix->n_edits);
	return fix;
}

bool aa_ctx_await_allowed(const struct aa_ctx *ctx, TSNode node)
{
	/* The visited node is in the walker's scope, which ends where the climb below stops:
	 * O(1), where the climb costs the node's depth in its def (each call of a deep
	 * expression climbing it made the file quadratic). */
	if (ctx->facts.walk && ts_node_eq(aa_walk_ancestor(ctx->facts.walk, 0), node)) {
		const struct aa_scope_info *sc = aa_model_scope(ctx->model, ctx->facts.scope);
		return sc->kind == AA_SCOPE_FUNCTION && sc->is_async;
	}
	const struct aa_syms *s = ctx->syms;
	TSNode child = node;
	for (TSNode p = aa_ctx_parent(ctx, node); !ts_node_is_null(p); child = p, p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		bool in_body = ts_node_eq(ts_node_child_by_field_id(p, s->f.body), child);
		if (k == s->function_definition && in_body) {
			uint32_t scope = aa_model_scope_of(ctx->model, p);
			return scope != AA_NO_SCOPE && aa_model_scope(ctx->model, scope)->is_async;
		}
		/* A def's defaults, annotations and decorators are evaluated where the def is. */
		if ((k == s->lambda || k == s->class_definition) && in_body)
			return false;
		if (k == s->list_comprehension || k == s->set_comprehension || k == s->dictionary_comprehension ||
		    k == s->generator_expression || k == s->module)
			return false;
	}
	return false;
}

bool aa_ctx_fix_await(struct aa_ctx *ctx, struct aa_fix *fix, TSNode expr, uint32_t upto, const char *replacement)
{
	const struct aa_syms *s = ctx->syms;
	uint32_t start = ts_node_start_byte(expr);
	TSNode p = aa_ctx_parent(ctx, expr);
	TSSymbol k = ts_node_is_null(p) ? 0 : ts_node_symbol(p);
	/* `await f().x` would await the attribute: (await f()).x keeps what was meant. */
	bool tight = (k == s->attribute && ts_node_eq(ts_node_child_by_field_id(p, s->f.object), expr)) ||
		     (k == s->subscript && ts_node_eq(ts_node_child_by_field_id(p, s->f.value), expr)) ||
		     (k == s->call && ts_node_eq(ts_node_child_by_field_id(p, s->f.function), expr));
	if (!tight)
		return aa_fix_add(fix, start, upto, replacement, strlen(replacement));
	char *open = aa_xasprintf("(%s", replacement);
	bool ok = aa_fix_add(fix, start, upto, open, strlen(open)) &&
		  aa_fix_add(fix, ts_node_end_byte(expr), ts_node_end_byte(expr), ")", 1);
	free(open);
	return ok;
}

const char *aa_ctx_newline(const struct aa_ctx *ctx)
{
	return ctx->src->newline ? ctx->src->newline : "\n";
}

/* Where an added import goes: the start of the line after the module docstring and the
 * `from __future__` imports, or of the first statement's line (after a shebang, a
 * coding declaration and other leading comments). */
static uint32_t import_offset(const struct aa_ctx *ctx)
{
	const struct aa_syms *s = ctx->syms;
	const struct aa_source *src = ctx->src;
	TSNode root = aa_model_scope(ctx->model, 0)->node;
	TSNode after = { 0 }, first = { 0 };
	uint32_t n = ts_node_named_child_count(root);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(root, i);
		TSSymbol k = ts_node_symbol(c);
		if (k == s->comment)
			continue;
		if (ts_node_is_null(first))
			first = c;
		bool docstring = ts_node_is_null(after) && ts_node_eq(c, first) && k == s->expression_statement &&
				 ts_node_named_child_count(c) == 1 &&
				 (ts_node_symbol(ts_node_named_child(c, 0)) == s->string ||
				  ts_node_symbol(ts_node_named_child(c, 0)) == s->concatenated_string);
		if (!docstring && k != s->future_import_statement)
			break;
		after = c;
	}
	if (ts_node_is_null(after))
		return ts_node_is_null(first) ? 0 : src->line_starts[aa_source_line_of(src, ts_node_start_byte(first))];
	uint32_t line = aa_source_line_of(src, ts_node_end_byte(after));
	return line + 1 < src->n_lines ? src->line_starts[line + 1] : (uint32_t)src->len;
}

/* Does block's direct `import module` statement (not `import module as x`) bind module? */
static bool block_imports(const struct aa_ctx *ctx, TSNode block, const char *module)
{
	const struct aa_syms *s = ctx->syms;
	uint32_t n = ts_node_named_child_count(block);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(block, i);
		if (ts_node_symbol(st) != s->import_statement)
			continue;
		uint32_t k = ts_node_named_child_count(st);
		for (uint32_t j = 0; j < k; j++) {
			TSNode name = ts_node_named_child(st, j);
			if (ts_node_symbol(name) == s->dotted_name && aa_ctx_text_is(ctx, name, module))
				return true;
		}
	}
	return false;
}

/* `import module` only under a module-level `if TYPE_CHECKING:` (none at the top level):
 * the name is bound for the type checker, not at run time. */
static bool bound_for_type_checking_only(const struct aa_ctx *ctx, const char *module)
{
	const struct aa_syms *s = ctx->syms;
	TSNode root = aa_model_scope(ctx->model, 0)->node;
	if (block_imports(ctx, root, module))
		return false;
	uint32_t n = ts_node_named_child_count(root);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(root, i);
		if (ts_node_symbol(st) != s->if_statement)
			continue;
		TSNode cond = ts_node_child_by_field_id(st, s->f.condition);
		TSNode body = ts_node_child_by_field_id(st, s->f.consequence);
		if (!ts_node_is_null(cond) && !ts_node_is_null(body) &&
		    (aa_ctx_text_is(ctx, cond, "TYPE_CHECKING") || aa_ctx_text_is(ctx, cond, "typing.TYPE_CHECKING")) &&
		    block_imports(ctx, body, module))
			return true;
	}
	return false;
}

bool aa_ctx_fix_import(struct aa_ctx *ctx, struct aa_fix *fix, const char *module)
{
	bool bound;
	uint32_t len = (uint32_t)strlen(module);
	struct aa_meaning m = aa_model_eval_name(ctx->model, ctx->facts.scope, module, len, &bound);
	if (bound && !(m.kind == AA_MEANING_NAME && !strcmp(m.qualname, module)))
		return false; /* the name means something else here */
	if (bound && !bound_for_type_checking_only(ctx, module))
		return true;
	if (aa_model_star_import(ctx->model))
		return false;
	const struct aa_source *src = ctx->src;
	uint32_t at = import_offset(ctx);
	/* A last line without a line end gets one before the import. */
	bool bare_end = at == src->len && src->len && src->text[src->len - 1] != '\n';
	char *text = aa_xasprintf("%simport %s%s", bare_end ? aa_ctx_newline(ctx) : "", module, aa_ctx_newline(ctx));
	bool ok = aa_fix_add(fix, at, at, text, strlen(text));
	free(text);
	return ok;
}

bool aa_ctx_defer_begin(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, struct aa_ref *ref)
{
	/* A call vouched for records nothing: no finding to decide, no module to read. */
	return ctx->facts.summary && aa_ctx_rule_enabled(ctx, rule) && !aa_ctx_vouched(ctx, rule, call) &&
	       aa_summarizer_ref(&ctx->facts, call, ref);
}

void aa_ctx_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, enum aa_defer_cond cond,
		  const struct aa_ref *ref, char *message, struct aa_fix *fix)
{
	(void)cond; /* AA_DEFER_IF_COROUTINE is the only condition */
	aa_summarizer_defer(&ctx->facts, rule, call, ref, UINT32_MAX, message, own_fix(ctx, rule, fix));
}

uint32_t aa_ctx_alone_function(struct aa_ctx *ctx)
{
	struct aa_summary *sum = ctx->facts.summary;
	if (!sum || !aa_loop_uses_possible(&ctx->facts))
		return UINT32_MAX;
	bool in_lambda;
	uint32_t f = aa_summarizer_function(&ctx->facts, &in_lambda);
	/* A decorated coroutine function may be run by whatever the decorator registers it
	 * with: it never runs alone, so its finding is made now (a start-up hook's
	 * registration is no such decorator: summary.h). A lifespan is an async generator. */
	if (f == UINT32_MAX || in_lambda || !sum->funcs[f].is_async || sum->funcs[f].decorated)
		return UINT32_MAX;
	return f;
}

bool aa_ctx_defer_unless_alone(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, char *message,
			       struct aa_fix *fix)
{
	if (!ctx->facts.summary || !aa_ctx_rule_enabled(ctx, rule) || !aa_ctx_reports_here(ctx, rule) ||
	    aa_ctx_vouched(ctx, rule, call))
		return false;
	uint32_t f = aa_ctx_alone_function(ctx);
	if (f == UINT32_MAX)
		return false;
	aa_summarizer_defer(&ctx->facts, rule, call, NULL, f, message, own_fix(ctx, rule, fix));
	return true;
}

void *aa_ctx_record(struct aa_ctx *ctx, const struct aa_crossfile *cf)
{
	struct aa_summary *sum = ctx->facts.summary;
	for (size_t i = 0; sum && i < ctx->n_crossfiles; i++) {
		if (ctx->crossfiles[i] != cf)
			continue;
		struct aa_sum_record *r = &sum->records[i];
		if (!r->data) {
			r->data = cf->new_record();
			r->free_data = cf->free_record;
		}
		return r->data;
	}
	return NULL;
}

void **aa_ctx_file_memo(struct aa_ctx *ctx, const struct aa_rule *rule, void (*free_fn)(void *))
{
	if (!ctx->memos)
		ctx->memos = aa_xcalloc(aa_rules_count, sizeof(*ctx->memos));
	struct aa_ctx_memo *m = &ctx->memos[aa_rule_index(rule)];
	m->free_fn = free_fn;
	return &m->data;
}

void aa_ctx_release_memos(struct aa_ctx *ctx)
{
	for (size_t i = 0; ctx->memos && i < aa_rules_count; i++)
		if (ctx->memos[i].data)
			ctx->memos[i].free_fn(ctx->memos[i].data);
	free(ctx->memos);
	ctx->memos = NULL;
}

void aa_ctx_finish_records(struct aa_ctx *ctx)
{
	struct aa_summary *sum = ctx->facts.summary;
	for (size_t i = 0; sum && i < ctx->n_crossfiles; i++) {
		struct aa_sum_record *r = &sum->records[i];
		if (r->data && ctx->crossfiles[i]->finish_record)
			r->data = ctx->crossfiles[i]->finish_record(r->data);
	}
}

struct aa_summary *aa_ctx_summary(struct aa_ctx *ctx)
{
	return ctx->facts.summary;
}

uint32_t aa_ctx_summary_function(const struct aa_ctx *ctx, bool *in_lambda)
{
	return aa_summarizer_function(&ctx->facts, in_lambda);
}

bool aa_ctx_ref(struct aa_ctx *ctx, TSNode call, struct aa_ref *out)
{
	return aa_summarizer_ref(&ctx->facts, call, out);
}

bool aa_ctx_ref_fn(struct aa_ctx *ctx, TSNode fn, struct aa_ref *out)
{
	return aa_summarizer_ref_fn(&ctx->facts, fn, out);
}

bool aa_ctx_is_self(const struct aa_ctx *ctx, TSNode ident)
{
	return aa_summarizer_is_self(&ctx->facts, ident);
}

bool aa_ctx_self_method_unbound(struct aa_ctx *ctx, const char *name, uint32_t len)
{
	return aa_summarizer_self_method_unbound(&ctx->facts, name, len);
}

bool aa_ctx_self_call_unbound(struct aa_ctx *ctx, TSNode receiver, const char *name, uint32_t len)
{
	return ts_node_symbol(receiver) == ctx->syms->identifier && aa_ctx_is_self(ctx, receiver) &&
	       aa_ctx_self_method_unbound(ctx, name, len);
}

struct aa_span aa_ctx_span(const struct aa_ctx *ctx, TSNode node)
{
	return aa_summarizer_span(&ctx->facts, node);
}

struct aa_excerpt aa_ctx_line(const struct aa_ctx *ctx, TSNode node)
{
	return aa_summarizer_line(&ctx->facts, node);
}

const struct aa_rule *aa_ctx_travelling_target(struct aa_ctx *ctx, TSNode call, const struct aa_target **target_out)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	const struct aa_target_hit *hit = NULL;
	if (c->kind == AA_CALLEE_FUNCTION)
		hit = aa_target_index_function(ctx->travelling, c->qualname);
	else if (c->kind == AA_CALLEE_METHOD)
		hit = aa_target_index_method(ctx->travelling, c->qualname, c->method, c->method_len);
	if (target_out)
		*target_out = hit ? hit->target : NULL;
	return hit ? hit->rule : NULL;
}

bool aa_ctx_vouched(const struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node)
{
	uint32_t line = aa_source_line_of(ctx->src, ts_node_start_byte(node)) + 1;
	return aa_noqa_suppresses(ctx->noqa, line, rule);
}

void aa_ctx_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = aa_xvasprintf(fmt, ap);
	va_end(ap);
	aa_ctx_emit(ctx, rule, ts_node_start_byte(node), ts_node_end_byte(node), message, NULL);
}

void aa_ctx_report_fix(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, struct aa_fix *fix,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = aa_xvasprintf(fmt, ap);
	va_end(ap);
	aa_ctx_emit(ctx, rule, ts_node_start_byte(node), ts_node_end_byte(node), message, fix);
}

void aa_ctx_emit(struct aa_ctx *ctx, const struct aa_rule *rule, uint32_t start_byte, uint32_t end_byte,
		 char *message, struct aa_fix *fix)
{
	const struct aa_source *src = ctx->src;
	uint32_t line = aa_source_line_of(src, start_byte);
	if (!aa_ctx_rule_enabled(ctx, rule) || !aa_ctx_reports_here(ctx, rule)) {
		free(message);
		aa_fix_free(fix);
		return;
	}
	if (end_byte < start_byte)
		end_byte = start_byte;
	uint32_t end_line = aa_source_line_of(src, end_byte);
	struct aa_diag d = { 0 };
	d.rule = rule;
	d.path = aa_xstrdup(ctx->display);
	d.message = message;
	d.span.line = line + 1;
	d.span.col = aa_source_col(src, line, start_byte);
	d.span.end_line = end_line + 1;
	d.span.end_col = aa_source_col(src, end_line, end_byte);
	d.fix = own_fix(ctx, rule, fix);
	struct aa_excerpt excerpt = aa_excerpt_of(src, start_byte);
	aa_diag_take_line(&d, &excerpt);
	aa_noqa_push(ctx->noqa, ctx->out, &d);
}
