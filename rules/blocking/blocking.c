#include "rules/blocking/blocking.h"
#include "analyzer/base/buf.h"

#include <stdio.h>
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

void aa_blocking_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			const char *fix)
{
	aa_blocking_report_as(ctx, rule, call, target, fix, "blocks the event loop");
}

void aa_blocking_report_as(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			   const char *fix, const char *what)
{
	if (!fix)
		fix = target && target->fix ? target->fix : AA_FIX_TO_THREAD;
	char buf[200];
	struct aa_buf msg = AA_BUF_INIT;
	add_callee(ctx, &msg, call);
	aa_buf_addf(&msg, " %s in async function '%s'; use ", what, aa_ctx_function_name(ctx));
	add_fix(&msg, library_fix(ctx, fix, buf, sizeof(buf)));
	aa_ctx_report(ctx, rule, call, "%s", msg.data);
	aa_buf_release(&msg);
}
