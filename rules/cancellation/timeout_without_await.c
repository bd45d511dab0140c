/*
 * AA406 timeout-without-await: a timeout or cancel scope (the library table in
 * rules/cancellation/scopes.h) whose body never awaits: cancellation is delivered only at an
 * await, so the timeout can never fire.
 */
#include "rules/cancellation/scopes.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

#include <stdbool.h>
#include <string.h>

extern const struct aa_rule aa_rule_timeout_without_await;

static void check(struct aa_ctx *ctx, TSNode with)
{
	if (!aa_ctx_in_async(ctx))
		return;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	bool is_async = ts_node_child_count(with) > 0 && ts_node_symbol(ts_node_child(with, 0)) == s->kw_async;
	TSNode call = { 0 };
	const struct aa_scope_entry *scope = NULL;
	TSNode value;
	for (struct aa_with_items it = aa_node_with_items(s, with, AA_WITH_CLAUSE_FIRST);
	     aa_node_with_items_next(&it, &value);) {
		const struct aa_scope_entry *e = aa_scope_of_call(ctx, value);
		if (e && !scope) {
			scope = e;
			call = value;
		} else if (!e && scope && is_async) {
			return; /* entering a later async context manager awaits inside the scope */
		}
	}
	if (!scope)
		return;
	/* A CancelScope without a deadline has no timeout that could fail to fire (a
	 * `shield=True` one, say): its deadline is keyword-only. */
	static const char cancel_scope[] = ".CancelScope";
	size_t ql = strlen(scope->qualname), cl = sizeof(cancel_scope) - 1;
	if (ql >= cl && !strcmp(scope->qualname + ql - cl, cancel_scope) &&
	    ts_node_is_null(aa_call_arg(ctx, call, -1, "deadline")))
		return;
	TSNode body = ts_node_child_by_field_id(with, s->f.body);
	if (ts_node_is_null(body) || aa_scope_reaches_await(ctx, body, AA_REACH_YIELD))
		return;
	aa_ctx_report(ctx, &aa_rule_timeout_without_await, call,
		      "%s() scope has no await in its body: cancellation is delivered only at an await, so this "
		      "timeout never fires; put the awaits it should bound inside it, or remove it",
		      aa_ctx_callee_text(ctx, call));
}

static const char *const equivalents[] = { "ASYNC100", NULL };
static const char *const kinds[] = { "with_statement", NULL };

const struct aa_rule aa_rule_timeout_without_await = {
	.code = "AA406",
	.name = "timeout-without-await",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "A timeout or cancel scope whose body never awaits, so it can never fire",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds, in async context, a timeout or cancel scope whose body has no `await`, `async for`, "
			"`async with` or `yield`. The scopes, in either `with` form: `asyncio.timeout()`, "
			"`asyncio.timeout_at()`; `trio.move_on_after()`, `trio.move_on_at()`, `trio.fail_after()`, "
			"`trio.fail_at()`, `trio.CancelScope(deadline=...)`; `anyio.move_on_after()`, `anyio.fail_after()`, "
			"`anyio.CancelScope(deadline=...)` (a `CancelScope` without a deadline, `shield=True` say, is "
			"no timeout). asyncio's timeouts are async context managers, trio's and anyio's "
			"cancel scopes sync ones.",
		.why = "A timeout cancels the task, and a task can only be cancelled where it awaits. A scope "
		       "around code that never awaits cannot interrupt it: the deadline passes unnoticed. "
		       "Usually the await it should bound was left outside the block.",
		.example = "import trio\n\nasync def fetch(stream):\n    with trio.move_on_after(5):\n"
			   "        request = b\"GET / HTTP/1.0\\r\\n\\r\\n\"\n    await stream.send_all(request)\n",
		.use_instead = "import trio\n\nasync def fetch(stream):\n    with trio.move_on_after(5):\n"
			       "        request = b\"GET / HTTP/1.0\\r\\n\\r\\n\"\n        await stream.send_all(request)\n",
		.anchor = "The call that creates the scope (`trio.move_on_after(5)`).",
		.exceptions = "A `yield` in the body counts as an await (in an async generator or "
			      "`@asynccontextmanager` the caller's code runs inside the scope). In an `async with` "
			      "that enters further context managers after the scope, entering them awaits. Awaits "
			      "inside a nested `def` or `lambda` do not count.",
		.references = "- [trio: Cancellation and timeouts](https://trio.readthedocs.io/en/stable/reference-core.html#cancellation-and-timeouts)\n"
			      "- [asyncio: Timeouts](https://docs.python.org/3/library/asyncio-task.html#timeouts)\n",
	},
};
