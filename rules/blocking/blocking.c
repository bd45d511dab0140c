#include "rules/blocking/blocking.h"
#include "rules/blocking/operator_only.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The call whose receiver call is (`c.execute(q)` in `c.execute(q).fetchone()`), or a
 * null node. */
static TSNode outer_call(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode none = { 0 };
	TSNode attr = aa_ctx_parent(ctx, call);
	if (ts_node_is_null(attr) || ts_node_symbol(attr) != s->attribute ||
	    !ts_node_eq(ts_node_child_by_field_id(attr, s->f.object), call))
		return none;
	TSNode outer = aa_ctx_parent(ctx, attr);
	if (ts_node_is_null(outer) || ts_node_symbol(outer) != s->call ||
	    !ts_node_eq(ts_node_child_by_field_id(outer, s->f.function), attr))
		return none;
	return outer;
}

/* Does the outer call certainly block too (a certain target of rule, or of any rule whose
 * targets travel)? Then the expression is one finding, at the outer call. */
static bool outer_blocks(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode outer)
{
	if (aa_call_is_awaited(ctx, outer))
		return false;
	const struct aa_target *t = aa_ctx_match_call(ctx, rule, outer, NULL);
	if (!t)
		aa_ctx_travelling_target(ctx, outer, &t);
	return t && !(t->flags & AA_TARGET_CONDITIONAL);
}

const struct aa_target *aa_blocking_match(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee)
{
	/* An awaited call cannot be one of these sync calls: the tracker (or the code) is
	 * wrong, and saying nothing is the safe answer. */
	if (!aa_ctx_in_async(ctx) || aa_call_is_awaited(ctx, call))
		return NULL;
	const struct aa_target *t = aa_ctx_match_call(ctx, rule, call, callee);
	if (!t)
		return NULL;
	/* One finding per blocking expression: `self.conn.execute(q).fetchone()` is one
	 * database call to the reader, reported at its outermost blocking call. */
	TSNode outer = outer_call(ctx, call);
	if (ts_node_is_null(outer))
		return t;
	if (outer_blocks(ctx, rule, outer))
		return NULL;
	/* The memo answered for the outer call: ask again, so *callee is call's. */
	return aa_ctx_match_call(ctx, rule, call, callee);
}

/* The fix in the vocabulary of the async library the module already uses:
 * asyncio.to_thread and aiofiles do not run under trio. */
static const char *library_fix(struct aa_ctx *ctx, const char *fix, char *buf, size_t size)
{
	static const char to_thread[] = "await asyncio.to_thread(";
	static const char open_[] = "async with aiofiles.open(";
	static const char temp[] = "async with aiofiles.tempfile.";
	const char *lib = aa_ctx_imports(ctx, "trio") ? "trio" : aa_ctx_imports(ctx, "anyio") ? "anyio" : NULL;
	if (!lib)
		return fix;
	if (!strncmp(fix, to_thread, sizeof(to_thread) - 1))
		snprintf(buf, size, "await %s.to_thread.run_sync(%s", lib, fix + sizeof(to_thread) - 1);
	else if (!strncmp(fix, open_, sizeof(open_) - 1))
		snprintf(buf, size, "await %s.open_file(%s", lib, fix + sizeof(open_) - 1);
	else if (!strncmp(fix, temp, sizeof(temp) - 1))
		snprintf(buf, size, "await %s.to_thread.run_sync(tempfile.%.*s)", lib,
			 (int)strcspn(fix + sizeof(temp) - 1, "("), fix + sizeof(temp) - 1);
	else if (strstr(fix, "create_subprocess_"))
		snprintf(buf, size, "await %s.run_process()", lib);
	else
		return fix;
	return buf;
}

/* Appends fix to out with its code quoted and its prose not: alternatives ("a or b",
 * "a, or b") are quoted one by one, and a parenthesised remark after the code stays
 * outside the quotes ("'aiosqlite' (the same calls, awaited)"). */
static void add_fix(struct aa_buf *out, const char *fix)
{
	while (*fix) {
		const char *sep = strstr(fix, " or ");
		size_t len = sep ? (size_t)(sep - fix) : strlen(fix);
		size_t code = len;
		const char *remark = memmem(fix, len, " (", 2);
		if (remark)
			code = (size_t)(remark - fix);
		if (code && fix[code - 1] == ',')
			code--; /* "asyncpg, or ...": the comma is the sentence's */
		aa_buf_addf(out, "'%.*s'%.*s", (int)code, fix, (int)(len - code), fix + code);
		if (!sep)
			break;
		aa_buf_adds(out, " or ");
		fix = sep + 4;
	}
}

/* The callee as the message names it: as written, and when an import renamed it
 * (`from time import sleep as zz`), what it is: "time.sleep() (imported as zz)". */
static void add_callee(struct aa_ctx *ctx, struct aa_buf *out, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *text = aa_ctx_callee_text(ctx, call);
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	/* the final name as written (`time . sleep` is written `sleep`) */
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_symbol(fn) == s->attribute)
		fn = ts_node_child_by_field_id(fn, s->f.attribute);
	const char *real = c->kind == AA_CALLEE_FUNCTION ? strrchr(c->qualname, '.') : NULL;
	if (real && !aa_ctx_text_is(ctx, fn, real + 1))
		aa_buf_addf(out, "%s() (imported as %s)", c->qualname, text);
	else
		aa_buf_addf(out, "%s()", text);
}

bool aa_blocking_plain_args(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	if (ts_node_is_null(args) || ts_node_symbol(args) != s->argument_list)
		return false;
	for (uint32_t i = 0, n = ts_node_named_child_count(args); i < n; i++) {
		TSSymbol k = ts_node_symbol(ts_node_named_child(args, i));
		if (k == s->list_splat || k == s->dictionary_splat || k == s->generator_expression)
			return false;
	}
	return true;
}

const char *aa_blocking_literal_text(struct aa_ctx *ctx, TSNode str, uint32_t *len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(str) || ts_node_symbol(str) != s->string || ts_node_named_child_count(str) != 3)
		return NULL;
	TSNode content = ts_node_named_child(str, 1);
	if (ts_node_symbol(content) != s->string_content || ts_node_named_child_count(content) != 0)
		return NULL;
	return aa_ctx_text(ctx, content, len);
}

const char *aa_blocking_method_name(const struct aa_ctx *ctx, TSNode call, uint32_t *len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(call) || ts_node_symbol(call) != s->call)
		return NULL;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return NULL;
	TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
	if (ts_node_is_null(attr))
		return NULL;
	return aa_ctx_text(ctx, attr, len);
}

/* `f(a, k=b)` -> `await asyncio.to_thread(f, a, k=b)`: the callee and the arguments as
 * written; only `f(` is replaced. */
static struct aa_fix *to_thread_fix(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!aa_blocking_plain_args(ctx, call) || !aa_ctx_await_allowed(ctx, call) || aa_ctx_imports(ctx, "trio") ||
	    aa_ctx_imports(ctx, "anyio"))
		return NULL;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	struct aa_fix *fix = aa_fix_new(AA_FIX_UNSAFE);
	uint32_t fn_len;
	const char *fn_text = aa_ctx_text(ctx, fn, &fn_len);
	char *text = aa_xasprintf("await asyncio.to_thread(%.*s%s", (int)fn_len, fn_text,
				  ts_node_named_child_count(args) ? ", " : "");
	bool ok = aa_ctx_fix_import(ctx, fix, "asyncio") &&
		  aa_ctx_fix_await(ctx, fix, call, ts_node_start_byte(args) + 1, text);
	free(text);
	if (!ok) {
		aa_fix_free(fix);
		return NULL;
	}
	return fix;
}

void aa_blocking_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			const char *fix)
{
	aa_blocking_report_as(ctx, rule, call, target, fix, "blocks the event loop");
}

/* What report does with a finding it would report at once (aa_blocking_report_held). */
typedef bool (*hold_fn)(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, char *message, struct aa_fix *fix);

static void report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
		   const char *fix, const char *what, struct aa_fix *edits, bool pause, hold_fn hold)
{
	if (!pause && aa_blocking_operator_only(ctx)) {
		aa_fix_free(edits);
		return;
	}
	if (!fix)
		fix = target && target->fix ? target->fix : AA_FIX_TO_THREAD;
	char buf[200];
	const char *said = library_fix(ctx, fix, buf, sizeof(buf));
	/* The lambda forms iterate a generator in the thread: no call can be moved as is. */
	if (!edits && rule->fix.kind == AA_FIX_UNSAFE && target && !(target->flags & AA_TARGET_CONDITIONAL) &&
	    !strncmp(said, "await asyncio.to_thread(", 24) && !strstr(said, "lambda"))
		edits = to_thread_fix(ctx, call);
	struct aa_buf msg = AA_BUF_INIT;
	add_callee(ctx, &msg, call);
	aa_buf_addf(&msg, " %s in async function '%s'; use ", what, aa_ctx_function_name(ctx));
	add_fix(&msg, said);
	/* In a coroutine that may run alone on a loop of its own, nothing else waits on the
	 * loop: the project index decides (context.h). */
	char *message = aa_buf_detach(&msg);
	if ((hold && hold(ctx, rule, call, message, edits)) || aa_ctx_defer_unless_alone(ctx, rule, call, message, edits))
		return;
	aa_ctx_report_fix(ctx, rule, call, edits, "%s", message);
	free(message);
}

void aa_blocking_report_as(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			   const char *fix, const char *what)
{
	report(ctx, rule, call, target, fix, what, NULL, false, NULL);
}

void aa_blocking_report_pause(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			      const char *fix, struct aa_fix *edits)
{
	report(ctx, rule, call, target, fix, "blocks the event loop", edits, true, NULL);
}

void aa_blocking_report_held(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			     const char *fix, hold_fn hold)
{
	report(ctx, rule, call, target, fix, "blocks the event loop", NULL, false, hold);
}
