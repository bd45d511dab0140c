#include "analyzer/check/ctx_impl.h"
#include "analyzer/engine/summarize.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/node.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct aa_syms *aa_ctx_syms(const struct aa_ctx *ctx)
{
	return &ctx->engine->syms;
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
	return ctx->scope;
}

bool aa_ctx_in_async(const struct aa_ctx *ctx)
{
	return aa_model_scope(ctx->model, ctx->scope)->async_context;
}

const char *aa_ctx_function_name(struct aa_ctx *ctx)
{
	const struct aa_scope_info *sc = aa_model_scope(ctx->model, ctx->scope);
	if (sc->function == AA_NO_SCOPE)
		return "<module>";
	const struct aa_scope_info *fn = aa_model_scope(ctx->model, sc->function);
	if (!fn->name)
		return "<lambda>";
	return aa_model_intern(ctx->model, fn->name, fn->name_len);
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
	return aa_model_eval(ctx->model, ctx->scope, expr);
}

void aa_ctx_callee_of(struct aa_ctx *ctx, TSNode fn, struct aa_callee *out)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_callee c = { 0 };
	if (!ts_node_is_null(fn)) {
		if (ts_node_symbol(fn) == s->attribute) {
			TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
			TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
			struct aa_meaning om = aa_ctx_eval(ctx, obj);
			if (om.kind == AA_MEANING_INSTANCE && !ts_node_is_null(attr)) {
				c.kind = AA_CALLEE_METHOD;
				c.qualname = om.qualname;
				c.method = aa_ctx_text(ctx, attr, &c.method_len);
				c.receiver = obj;
				c.origin = om.node;
			}
		}
		if (c.kind == AA_CALLEE_UNKNOWN) {
			struct aa_meaning fm = aa_ctx_eval(ctx, fn);
			if (fm.kind == AA_MEANING_NAME) {
				c.kind = AA_CALLEE_FUNCTION;
				c.qualname = fm.qualname;
			} else if (fm.kind == AA_MEANING_FUNCTION) {
				c.kind = AA_CALLEE_LOCAL;
				c.qualname = fm.qualname;
				c.node = fm.node;
			}
		}
	}
	*out = c;
}

const struct aa_callee *aa_ctx_callee(struct aa_ctx *ctx, TSNode call)
{
	if (ts_node_eq(call, ctx->memo_call))
		return &ctx->memo;
	aa_ctx_callee_of(ctx, ts_node_child_by_field_id(call, aa_ctx_syms(ctx)->f.function), &ctx->memo);
	ctx->memo_call = call;
	return &ctx->memo;
}

const struct aa_target *aa_ctx_match_call(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee_out)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (callee_out)
		*callee_out = c;
	if (c->kind == AA_CALLEE_FUNCTION)
		return aa_rule_match_function(rule, c->qualname);
	if (c->kind == AA_CALLEE_METHOD)
		return aa_rule_match_method(rule, c->qualname, c->method, c->method_len);
	return NULL;
}

bool aa_ctx_imports(const struct aa_ctx *ctx, const char *module)
{
	return aa_model_imports(ctx->model, module);
}

const char *const *aa_ctx_configured_blocking(const struct aa_ctx *ctx)
{
	return ctx->engine->blocking_calls;
}

TSNode aa_ctx_parent(const struct aa_ctx *ctx, TSNode node)
{
	return aa_walk_parent(ctx->walk, node);
}

TSNode aa_ctx_parent_unparen(const struct aa_ctx *ctx, TSNode node, const TSSymbol *also, size_t n_also,
			     TSNode *child)
{
	return aa_node_parent_unparen(aa_ctx_syms(ctx), ctx->walk, node, also, n_also, child);
}

bool aa_ctx_rule_enabled(const struct aa_ctx *ctx, const struct aa_rule *rule)
{
	return aa_engine_enabled(ctx->engine, rule);
}

bool aa_call_is_awaited(const struct aa_ctx *ctx, TSNode call)
{
	TSNode p = aa_ctx_parent_unparen(ctx, call, NULL, 0, NULL);
	return !ts_node_is_null(p) && ts_node_symbol(p) == aa_ctx_syms(ctx)->await;
}

TSNode aa_call_arg(const struct aa_ctx *ctx, TSNode call, int index, const char *keyword)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	TSNode none = { 0 };
	if (ts_node_is_null(args) || ts_node_symbol(args) != s->argument_list)
		return none;
	uint32_t n = ts_node_named_child_count(args);
	int pos = 0;
	bool splat = false;
	for (uint32_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(args, i);
		TSSymbol k = ts_node_symbol(a);
		if (k == s->comment)
			continue;
		if (k == s->keyword_argument) {
			if (keyword) {
				TSNode name = ts_node_child_by_field_id(a, s->f.name);
				if (!ts_node_is_null(name) && aa_ctx_text_is(ctx, name, keyword))
					return ts_node_child_by_field_id(a, s->f.value);
			}
			continue;
		}
		if (k == s->list_splat || k == s->dictionary_splat) {
			splat = true;
			continue;
		}
		if (!splat && index >= 0 && pos == index)
			return a;
		pos++;
	}
	return none;
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

/* Appends expr's text with blanks and line continuations dropped, and the arguments of
 * calls in it shown as "(...)": `self.conn.execute(...).fetchone`. */
static void add_callee(struct aa_ctx *ctx, TSNode expr, struct aa_buf *out)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	/* Unwind the chain iteratively: outermost attribute/call first, base last. */
	TSNode chain[16];
	size_t n = 0;
	TSNode node = expr;
	while (n < 16) {
		TSSymbol k = ts_node_symbol(node);
		if (k == s->attribute || k == s->call) {
			chain[n++] = node;
			node = ts_node_child_by_field_id(node, k == s->call ? s->f.function : s->f.object);
			if (ts_node_is_null(node))
				break;
		} else {
			break;
		}
	}
	if (!ts_node_is_null(node)) {
		uint32_t len;
		const char *t = aa_ctx_text(ctx, node, &len);
		for (uint32_t i = 0; i < len; i++)
			if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r' && t[i] != '\\')
				aa_buf_addc(out, t[i]);
	}
	while (n-- > 0) {
		if (ts_node_symbol(chain[n]) == s->call) {
			aa_buf_adds(out, "(...)");
		} else {
			uint32_t len;
			const char *t = aa_ctx_text(ctx, ts_node_child_by_field_id(chain[n], s->f.attribute), &len);
			aa_buf_addc(out, '.');
			aa_buf_add(out, t, len);
		}
	}
}

const char *aa_ctx_callee_text(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	aa_buf_reset(&ctx->scratch);
	if (ts_node_is_null(fn))
		return ctx->scratch.data;
	add_callee(ctx, fn, &ctx->scratch);
	/* Messages stay short. */
	if (ctx->scratch.len > 60) {
		ctx->scratch.len = 60;
		ctx->scratch.data[60] = '\0';
		aa_buf_adds(&ctx->scratch, "...");
	}
	return ctx->scratch.data;
}

bool aa_ctx_defer_begin(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, struct aa_ref *ref)
{
	return aa_summarize_defer_begin(ctx, rule, call, ref);
}

void aa_ctx_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, enum aa_defer_cond cond,
		  const struct aa_ref *ref, char *message)
{
	(void)cond; /* AA_DEFER_IF_COROUTINE is the only condition */
	aa_summarize_defer(ctx, rule, call, ref, message);
}

void aa_ctx_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = aa_xvasprintf(fmt, ap);
	va_end(ap);
	aa_ctx_emit(ctx, rule, ts_node_start_byte(node), ts_node_end_byte(node), message);
}

void aa_ctx_emit(struct aa_ctx *ctx, const struct aa_rule *rule, uint32_t start_byte, uint32_t end_byte,
		 char *message)
{
	const struct aa_source *src = ctx->src;
	uint32_t line = aa_source_line_of(src, start_byte);
	if (!aa_engine_enabled(ctx->engine, rule) || aa_noqa_suppresses(&ctx->noqa, line + 1, rule)) {
		free(message);
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
	if (src->text)
		d.source_line = aa_xstrndup(src->text + src->line_starts[line], aa_source_line_len(src, line));
	aa_diag_list_push(ctx->out, &d);
}
