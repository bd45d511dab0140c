/*
 * AA405 busy-wait: `while <flag>: await asyncio.sleep(...)`, a poll loop whose only work
 * is sleeping until some other task changes the flag.
 */
#include "parsers/python/subtree.h"
#include "rules/rules.h"

#include <stdbool.h>
#include <string.h>

extern const struct aa_rule aa_rule_busy_wait;

static const char *const sleeps[] = { "asyncio.sleep", "trio.sleep", "trio.sleep_until", "anyio.sleep",
				      "anyio.sleep_until", NULL };

/* The statement is `await <library sleep>(...)`: returns the call, else a null node. */
static TSNode awaited_sleep(struct aa_ctx *ctx, TSNode st)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode none = { 0 };
	if (ts_node_symbol(st) != s->expression_statement || ts_node_named_child_count(st) != 1)
		return none;
	TSNode aw = ts_node_named_child(st, 0);
	if (ts_node_symbol(aw) != s->await)
		return none;
	TSNode call = ts_node_named_child(aw, 0);
	if (ts_node_is_null(call) || ts_node_symbol(call) != s->call)
		return none;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (!c || c->kind != AA_CALLEE_FUNCTION || !c->qualname)
		return none;
	for (const char *const *n = sleeps; *n; n++)
		if (!strcmp(c->qualname, *n))
			return call;
	return none;
}

/* `sleep(0)`: a yield to the other tasks, not a timed poll (`while loop_has_work:
 * await asyncio.sleep(0)` drains, and nothing is reacted to late). */
static bool sleeps_zero(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode first = aa_call_arg(ctx, call, 0, "delay"); /* asyncio's and anyio's name */
	if (ts_node_is_null(first))
		first = aa_call_arg(ctx, call, 0, "seconds"); /* trio's */
	if (ts_node_is_null(first) || (ts_node_symbol(first) != s->integer && ts_node_symbol(first) != s->float_))
		return false;
	/* Every digit of the mantissa is 0: 0, 0.0, .0, 0_0, 0x0, 0b0, 0e5. */
	const char *src = aa_ctx_source(ctx)->text;
	uint32_t start = ts_node_start_byte(first), end = ts_node_end_byte(first);
	bool hex = end - start > 2 && (src[start + 1] == 'x' || src[start + 1] == 'X');
	for (uint32_t i = start; i < end; i++) {
		char c = src[i];
		if (!hex && (c == 'e' || c == 'E'))
			break;
		bool prefix = i == start + 1 && strchr("xXoObB", c);
		if (c != '0' && c != '.' && c != '_' && !prefix)
			return false;
	}
	return true;
}

struct cond_scan {
	const struct aa_syms *s;
	bool has_call_or_await;
	bool has_name;
};

static enum aa_visit cond_visit(void *ud, TSNode n)
{
	struct cond_scan *c = ud;
	TSSymbol k = ts_node_symbol(n);
	if (k == c->s->call || k == c->s->await || k == c->s->lambda) {
		c->has_call_or_await = true;
		return AA_VISIT_STOP;
	}
	if (k == c->s->identifier)
		c->has_name = true;
	return AA_VISIT_DESCEND;
}

static void check(struct aa_ctx *ctx, TSNode loop)
{
	if (!aa_ctx_in_async(ctx))
		return;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!ts_node_is_null(ts_node_child_by_field_id(loop, s->f.alternative)))
		return;
	TSNode body = ts_node_child_by_field_id(loop, s->f.body);
	if (ts_node_is_null(body))
		return;
	TSNode only = { 0 };
	uint32_t n = ts_node_named_child_count(body);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(body, i);
		if (ts_node_symbol(st) == s->comment)
			continue;
		if (!ts_node_is_null(only))
			return; /* other work between sleeps: a periodic task */
		only = st;
	}
	TSNode sleep = ts_node_is_null(only) ? only : awaited_sleep(ctx, only);
	if (ts_node_is_null(sleep) || sleeps_zero(ctx, sleep))
		return;
	TSNode cond = ts_node_child_by_field_id(loop, s->f.condition);
	struct cond_scan cs = { s, false, false };
	if (!aa_subtree_walk(cond, 10000, cond_visit, &cs) || cs.has_call_or_await || !cs.has_name)
		return; /* a call may do the work; a constant (`while True`) is a keep-alive loop */
	aa_ctx_report(ctx, &aa_rule_busy_wait, loop,
		      "this loop only sleeps until its condition changes: a poll loop that wakes up for nothing "
		      "and reacts late; wait on an asyncio.Event (or Condition) set by the code that changes it");
}

static const char *const equivalents[] = { "ASYNC110", NULL };
static const char *const kinds[] = { "while_statement", NULL };

const struct aa_rule aa_rule_busy_wait = {
	.code = "AA405",
	.name = "busy-wait",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_WARNING,
	/* Opt-in: of the poll loops read in applications outside tests, one in six was worth
	 * changing (docs/precision.md); the loop works, it only reacts a period late. */
	.default_on = false,
	.summary = "A while loop that only sleeps until its condition changes (a poll loop)",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds, in async context, a `while` loop whose body is a single awaited sleep "
			"(`asyncio.sleep`, `trio.sleep`, `trio.sleep_until`, `anyio.sleep`, `anyio.sleep_until`) "
			"and whose condition reads a name but contains no call and no await.",
		.why = "Such a loop waits for another task to change a flag by waking up again and again: it "
		       "burns wake-ups while nothing changes and reacts up to one sleep late when something "
		       "does. An `asyncio.Event` (`trio.Event`, `anyio.Event`) or `asyncio.Condition` wakes the "
		       "waiter exactly when the state changes.",
		.example = "import asyncio\n\nclass Worker:\n    def __init__(self):\n        self.ready = False\n\n"
			   "    async def wait_ready(self):\n        while not self.ready:\n"
			   "            await asyncio.sleep(0.1)\n",
		.use_instead = "import asyncio\n\nclass Worker:\n    def __init__(self):\n"
			       "        self.ready = asyncio.Event()\n\n    async def wait_ready(self):\n"
			       "        await self.ready.wait()\n",
		.anchor = "The `while` statement.",
		.exceptions = "A loop that does other work between sleeps is a periodic task, not a finding. A "
			      "condition with a call (`while not client.ready():`) or an await may do work itself, "
			      "and a constant condition (`while True:`) is a keep-alive loop: neither is a finding. "
			      "A loop with an `else:` clause is not either. A zero sleep (`await asyncio.sleep(0)`) "
			      "yields to the other tasks and reacts to nothing late: a drain loop, not a poll. "
			      "Opt-in: the loop works, it reacts up to one period late; of the poll loops read in "
			      "applications (outside tests), about one in six was worth changing "
			      "(docs/precision.md).",
		.references = "- [asyncio: Event](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Event)\n",
	},
};
