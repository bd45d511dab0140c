/*
 * AA408 catch-all-swallows-cancellation: a catch-all handler (`except BaseException:`, a
 * bare `except:`) in async code that catches cancellation along with everything else,
 * after which the coroutine keeps running. Judged with AA401 (swallowed.h): this file is
 * the descriptor, and the check for runs where AA401 and AA407 are off.
 */
#include "rules/shared/suspension.h"
#include "rules/cancellation/swallowed.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_swallowed_cancellation;
extern const struct aa_rule aa_rule_cancelled_coroutine_returns;

static void check(struct aa_ctx *ctx, TSNode node)
{
	/* The judgement runs once per handler and reports every enabled form. */
	if (!aa_ctx_rule_enabled(ctx, &aa_rule_swallowed_cancellation) &&
	    !aa_ctx_rule_enabled(ctx, &aa_rule_cancelled_coroutine_returns))
		aa_swallowed_cancellation_check(ctx, node);
}

static const char *const equivalents[] = { "ASYNC103", "ASYNC104", NULL };
static const char *const kinds[] = { "except_clause", "with_statement", NULL };

const struct aa_rule aa_rule_catch_all_cancellation = {
	.code = "AA408",
	.name = "catch-all-swallows-cancellation",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "A catch-all handler in async code (`except BaseException:`, a bare `except:`) catches "
		   "cancellation with everything else and the coroutine keeps running after it",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.crossfile = &aa_crossfile_suspension,
	.doc = {
		.what = "Finds, in async context, catch-all handlers (`except BaseException:`, a bare `except:`, "
			"`contextlib.suppress(BaseException)`) around an await, that can complete without "
			"re-raising, after which the coroutine keeps running: AA401's form, for a handler that "
			"does not name cancellation but catches it with everything else. Everything AA401 says "
			"of the handler, the try body and what comes after it holds here too.",
		.why = "A catch-all catches `asyncio.CancelledError` (a `BaseException` since Python 3.8), so a "
		       "task cancelled inside the `try` carries on: `asyncio.timeout()`, a `TaskGroup` or "
		       "shutdown cannot stop it. `except Exception:` catches the same errors and lets "
		       "cancellation through.\n\n"
		       "Why it is a warning and opt-in: a catch-all is written to catch errors, and the "
		       "cancellation it also catches matters only when something cancels that coroutine while "
		       "it waits there, which one file does not show. In the applications we read (studies in "
		       "docs/precision.md) 11 of about 100 such handlers were worth changing: most sit in bot "
		       "commands and event handlers that nothing cancels but the process's own shutdown. A "
		       "handler that names cancellation and keeps running is AA401, on by default: there the "
		       "code decided to ignore a cancel request.",
		.example = "import asyncio\n\nasync def relay(source, sink):\n    while True:\n        try:\n"
			   "            await sink.send(await source.recv())\n        except BaseException:\n"
			   "            continue\n",
		.use_instead = "import asyncio\n\nasync def relay(source, sink):\n    while True:\n        try:\n"
			       "            await sink.send(await source.recv())\n        except Exception:\n"
			       "            continue\n",
		.anchor = "The `except` keyword of the handler; for `contextlib.suppress(...)`, the call.",
		.exceptions = "Everything AA401 does not report is not reported here either (re-raising on every "
			      "path, any raise counting for a catch-all; clean-up code; awaiting only tasks the "
			      "function cancelled, or only project coroutines that never suspend; tests that cause "
			      "the cancellation themselves: see AA401's page). A catch-all after which the coroutine "
			      "ends is AA407's form.",
		.equivalents_note = "flake8-async's `ASYNC103` (no-reraise-cancelled) and `ASYNC104` "
				    "(cancelled-not-raised) cover catch-alls and named cancellation alike, so "
				    "`# noqa: ASYNC103` suppresses AA401, AA407 and this rule. Ruff's `BLE001` "
				    "(blind-except) flags `except BaseException:` whatever the try body holds.",
		.references = "- [asyncio: Task cancellation](https://docs.python.org/3/library/asyncio-task.html#task-cancellation)\n"
			      "- [Python: Exception hierarchy](https://docs.python.org/3/library/exceptions.html#exception-hierarchy)\n",
	},
};
