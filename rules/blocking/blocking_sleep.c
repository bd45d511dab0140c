/* AA101 blocking-sleep: time.sleep() in async context. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_blocking_sleep;

static const struct aa_target targets[] = {
	{ "time.sleep", 0, "await asyncio.sleep()", NULL },
};

/* `time.sleep(x)` (however it was imported) -> `await asyncio.sleep(x)`: the callee is
 * replaced, the argument kept as written. Only with exactly one positional argument
 * (what time.sleep accepts), where `await` may be written, and when `asyncio` names the
 * module there or can be imported under that name. */
static struct aa_fix *sleep_fix(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (aa_call_positional_count(ctx, call) != 1 || !aa_blocking_plain_args(ctx, call) ||
	    !aa_ctx_await_allowed(ctx, call))
		return NULL;
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	for (uint32_t i = 0, n = ts_node_named_child_count(args); i < n; i++)
		if (ts_node_symbol(ts_node_named_child(args, i)) == s->keyword_argument)
			return NULL;
	struct aa_fix *fix = aa_fix_new(AA_FIX_SAFE);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (!aa_ctx_fix_import(ctx, fix, "asyncio") ||
	    !aa_ctx_fix_await(ctx, fix, call, ts_node_end_byte(fn), "await asyncio.sleep")) {
		aa_fix_free(fix);
		return NULL;
	}
	return fix;
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_sleep, call, NULL);
	if (!t)
		return;
	/* Suggest the sleep of the library the module already uses. */
	const char *fix = aa_ctx_imports(ctx, "trio")	 ? "await trio.sleep()" :
			  aa_ctx_imports(ctx, "anyio") ? "await anyio.sleep()" :
							 t->fix;
	aa_blocking_report_pause(ctx, &aa_rule_blocking_sleep, call, t, fix, fix == t->fix ? sleep_fix(ctx, call) : NULL);
}

static const char *const equivalents[] = { "ASYNC251", NULL };
static const char *const former_equivalents[] = { "ASYNC101", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_sleep = {
	.code = "AA101",
	.name = "blocking-sleep",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.travels = true,
	.fix = {
		AA_FIX_SAFE,
		"Use await asyncio.sleep()",
		"The call becomes `await asyncio.sleep(x)`, its argument kept as written, and `import asyncio` is added "
		"after the module docstring and `from __future__` imports when nothing in the file binds `asyncio`. "
		"No fix is offered when the module imports trio or anyio (the sleep is theirs), when `asyncio` names "
		"something else where the call is, in a comprehension or generator expression, or when the call has "
		"other than one positional argument.",
	},
	.default_on = true,
	.summary = "time.sleep() blocks the event loop inside an async function",
	.equivalents = equivalents,
	.former_equivalents = former_equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds calls to `time.sleep()` in async context: the body of an `async def`, "
			"outside nested `def`s and lambdas.",
		.why = "`time.sleep()` suspends the whole thread, and with it the event loop: no other task "
		       "runs, no timeout fires and no I/O is served until it returns. `await asyncio.sleep()` "
		       "suspends only the current task.",
		.example = "import time\n\nasync def poll(client):\n    while not await client.ready():\n"
			   "        time.sleep(1)\n",
		.use_instead = "import asyncio\n\nasync def poll(client):\n    while not await client.ready():\n"
			       "        await asyncio.sleep(1)\n",
		.anchor = "The call; its start is the start of the callee (`time.sleep`).",
		.exceptions = "Passing the function as a reference is not a call: "
			      "`await asyncio.to_thread(time.sleep, 1)` and "
			      "`loop.run_in_executor(None, time.sleep, 1)` are fine. So is `time.sleep()` in a nested "
			      "`def` or `lambda` (it may run in a worker thread). A local name that shadows the import "
			      "(a parameter called `time`, a local `def sleep`) is not the library call. In a module that "
			      "imports trio or anyio the suggested fix is `trio.sleep()` / `anyio.sleep()`."
			      AA_BLOCKING_ALONE_DOC " A handler only the program's operator can run is checked too, where "
			      "the other blocking rules say nothing: a pause is no work the operator asked for, its fix is "
			      "one word, and it stalls all else the program serves meanwhile (a userbot's AFK replies, "
			      "other chats).",
		.references = "- [asyncio: Developing with asyncio, blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n",
	},
};
