/*
 * AA407 cancelled-coroutine-returns: a handler that catches cancellation after which the
 * coroutine ends normally (or raises something else). Judged with AA401 (swallowed.h):
 * this file is the descriptor, and the check for runs where AA401 is off.
 */
#include "rules/shared/suspension.h"
#include "rules/cancellation/swallowed.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_swallowed_cancellation;

static void check(struct aa_ctx *ctx, TSNode node)
{
	/* AA401's check judges each handler once and reports every enabled form when it runs. */
	if (!aa_ctx_rule_enabled(ctx, &aa_rule_swallowed_cancellation))
		aa_swallowed_cancellation_check(ctx, node);
}

static const char *const equivalents[] = { "ASYNC103", "ASYNC104", NULL };
static const char *const kinds[] = { "except_clause", "with_statement", NULL };

const struct aa_rule aa_rule_cancelled_coroutine_returns = {
	.code = "AA407",
	.name = "cancelled-coroutine-returns",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "An except handler in async code catches cancellation and the coroutine then returns normally "
		   "or raises another exception",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.crossfile = &aa_crossfile_suspension,
	.doc = {
		.what = "Finds, in async context, `except` handlers that catch cancellation (the classes of AA401) "
			"and can complete without re-raising it, after which the coroutine ends: the handler "
			"returns, falls off the end of the function, breaks out of its loop with no await after it, "
			"or raises another exception (`raise ConnectionClosed() from e`). Also `with "
			"contextlib.suppress(CancelledError):` around an await with no await after it. Handlers after "
			"which the coroutine keeps running are AA401's.",
		.why = "The coroutine stops, so the cancel request is obeyed; what is lost is the report. "
		       "Whoever cancelled it sees a normal return (or another exception): `asyncio.timeout()` "
		       "raises no `TimeoutError` and the code after the `async with` runs as if the operation "
		       "had finished; `asyncio.wait_for()` returns instead of raising `TimeoutError`; a task awaiting this one that was "
		       "itself cancelled has the cancellation forwarded here, swallowed, and goes on running; a "
		       "TaskGroup sees the other exception as a failure. asyncio's documentation says a caught "
		       "`CancelledError` \"should generally be propagated when clean-up is complete\", and that "
		       "suppressing it needs `Task.uncancel()` as well.\n\n"
		       "Why it is a warning and opt-in: whether the lost report matters depends on who cancels "
		       "the coroutine, which one file does not show. The common case, a worker task whose "
		       "owner cancels it at shutdown and awaits it (`task.cancel(); await task`), loses "
		       "nothing: the owner wanted it to stop, and it stopped. The harmful cases (the coroutine "
		       "awaited under `asyncio.timeout()`, `wait_for()` or by a task that is itself cancelled) "
		       "need the callers, so the analyzer cannot know; default-on rules say nothing then. "
		       "AA401, where the coroutine keeps running, is wrong whoever cancels it: an error, on by "
		       "default.",
		.example = "import asyncio\n\nasync def worker(queue, handle):\n    while True:\n        try:\n"
			   "            item = await queue.get()\n        except asyncio.CancelledError:\n"
			   "            break\n        handle(item)\n",
		.use_instead = "import asyncio\n\nasync def worker(queue, handle):\n    while True:\n        try:\n"
			       "            item = await queue.get()\n        except asyncio.CancelledError:\n"
			       "            raise\n        handle(item)\n",
		.anchor = "The `except` keyword of the handler; for `contextlib.suppress(...)`, the call.",
		.exceptions = "Everything AA401 does not report is not reported here either (re-raising on every "
			      "path, `uncancel()`, handing the exception on, awaiting only tasks the function "
			      "cancelled itself or through a helper, or only project coroutines that never suspend, tests that cause the cancellation themselves: see AA401's page). "
			      "For a worker that is only ever cancelled by its owner at shutdown the finding is "
			      "harmless: suppress it with `# noqa: AA407`, or re-raise (the owner's "
			      "`await task` then raises CancelledError, which `task.cancel()` callers expect).",
		.references = "- [asyncio: Task cancellation](https://docs.python.org/3/library/asyncio-task.html#task-cancellation)\n"
			      "- [asyncio: Task.cancel()](https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.cancel)\n"
			      "- [asyncio: Timeouts](https://docs.python.org/3/library/asyncio-task.html#timeouts)\n",
	},
};
