/*
 * AA204 nested-event-loop: starting an event loop (asyncio.run, loop.run_until_complete,
 * loop.run_forever) from async context, where one is already running: RuntimeError.
 */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_nested_event_loop;

#include <string.h>

#define M AA_TARGET_METHOD

static const struct aa_target targets[] = {
	{ "asyncio.run", 0, "await coro", NULL },
	{ "asyncio.runners.run", 0, "await coro", NULL },
	{ "asyncio.Runner.run", M, "await coro", NULL },
	{ "asyncio.AbstractEventLoop.run_until_complete", M, "await future", NULL },
	{ "asyncio.AbstractEventLoop.run_forever", M, "await stop_event.wait()", NULL },
};

/* The longest argument quoted in the suggested fix ("use 'await main()'"). */
#define MAX_QUOTED 60

static void check(struct aa_ctx *ctx, TSNode call)
{
	/* aa_blocking_match: in async context, not awaited, one of the targets. */
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_nested_event_loop, call, NULL);
	if (!t)
		return;
	/* nest_asyncio patches asyncio to allow exactly this; under trio no asyncio loop
	 * is running, so asyncio.run() does not raise there. */
	if (aa_ctx_imports(ctx, "nest_asyncio") || aa_ctx_imports(ctx, "trio"))
		return;
	/* The fix names what was handed over: asyncio.run(main()) -> 'await main()'. */
	const char *fix = t->fix;
	uint32_t fix_len = (uint32_t)strlen(fix);
	TSNode arg = aa_call_arg(ctx, call, 0, NULL);
	char buf[MAX_QUOTED + 7];
	if (!ts_node_is_null(arg)) {
		uint32_t len;
		const char *text = aa_ctx_text(ctx, arg, &len);
		if (len <= MAX_QUOTED && !memchr(text, '\n', len)) {
			memcpy(buf, "await ", 6);
			memcpy(buf + 6, text, len);
			fix = buf;
			fix_len = len + 6;
		}
	}
	aa_ctx_report(ctx, &aa_rule_nested_event_loop, call,
		      "%s() in async function '%s' raises RuntimeError: an event loop is already running "
		      "in this thread; use '%.*s'",
		      aa_ctx_callee_text(ctx, call), aa_ctx_function_name(ctx), (int)fix_len, fix);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_nested_event_loop = {
	.code = "AA204",
	.name = "nested-event-loop",
	.family = &aa_family_coroutines,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "An event loop is started inside async code, where one is already running",
	.equivalents = NULL,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `asyncio.run()`, `asyncio.Runner().run()`, and `run_until_complete()` / "
			"`run_forever()` on an object known to be an event loop, called in async context: "
			"the body of an `async def`, outside nested `def`s and lambdas. A receiver is known to "
			"be an event loop when it comes from `asyncio.get_running_loop()`, "
			"`asyncio.get_event_loop()` or `asyncio.new_event_loop()`, or is annotated "
			"`asyncio.AbstractEventLoop` / `asyncio.BaseEventLoop`.",
		.why = "Code in an `async def` runs inside a running event loop, and asyncio allows one running "
		       "loop per thread: `asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called "
		       "from a running event loop`, and `run_until_complete()` / `run_forever()` raise "
		       "`RuntimeError: This event loop is already running` (or `Cannot run the event loop "
		       "while another loop is running` for a new loop). The coroutine handed over is never "
		       "awaited. Inside a coroutine, `await` it instead.",
		.example = "import asyncio\n\nasync def refresh(cache):\n    data = asyncio.run(cache.load())\n"
			   "    return data\n",
		.use_instead = "import asyncio\n\nasync def refresh(cache):\n    data = await cache.load()\n"
			       "    return data\n",
		.anchor = "The call; its start is the start of the callee (`asyncio.run`, `loop.run_until_complete`).",
		.exceptions = "A nested `def` or `lambda` is not async context: "
			      "`await loop.run_in_executor(None, lambda: asyncio.run(job()))` starts a loop in a "
			      "worker thread, which is allowed. So is passing `asyncio.run` as a reference. A local "
			      "name that shadows the import (a parameter called `asyncio`) is not the library call, "
			      "and `run_until_complete` on an object not known to be an event loop is not reported. "
			      "Nothing is reported in a module that imports `nest_asyncio` (which patches asyncio "
			      "to allow nested loops) or `trio` (a trio task runs no asyncio loop).",
		.equivalents_note = "Neither Ruff nor flake8-async has a rule for this pattern; the error "
				    "shows only at run time.",
		.references = "- [asyncio.run](https://docs.python.org/3/library/asyncio-runner.html#asyncio.run)\n"
			      "- [loop.run_until_complete](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_until_complete)\n",
	},
};
