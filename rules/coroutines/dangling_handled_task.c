/* AA208 dangling-handled-task (opt-in): AA203's finding where the task's coroutine
 * handles its own exceptions (dangling.h). */
#include "rules/coroutines/dangling.h"
#include "rules/shared/suspension.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_dangling_handled_task;

static void check(struct aa_ctx *ctx, TSNode call)
{
	aa_dangling_task_check(ctx, call, &aa_rule_dangling_handled_task);
}

const struct aa_rule aa_rule_dangling_handled_task = {
	.code = "AA208",
	.spares_tests = true,
	.name = "dangling-handled-task",
	.family = &aa_family_coroutines,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "A task whose coroutine handles its own exceptions is thrown away: it can be "
		   "garbage-collected before it finishes",
	.equivalents = aa_dangling_task_equivalents,
	.targets = aa_dangling_task_targets,
	.n_targets = AA_DANGLING_TASK_N_TARGETS,
	.node_kinds = aa_dangling_task_kinds,
	.check = check,
	.prefilter_words = aa_dangling_task_prefilter,
	.crossfile = &aa_crossfile_suspension,
	.doc = {
		.what = "Finds what AA203 (dangling-task) finds, the result of `asyncio.create_task()`, "
			"`asyncio.ensure_future()` or a loop's `create_task()` thrown away, where the task's "
			"coroutine is a project coroutine function that handles its own exceptions: its body "
			"holds at least one `try` with a clause that catches every error (a bare `except:`, "
			"`except Exception`, `except BaseException`, or a tuple holding one) whose handlers "
			"neither raise nor await, with no `else` and no `raise` or await in a `finally`, and "
			"every other statement is one that does not fail: a `while` loop whose condition, a "
			"`for` loop whose iterable, or an `if` whose conditions have no calls or awaits, made of "
			"such statements; a statement or `return` without calls, awaits or yields (`deviceid = "
			"name[8:18]`); a logging call (`print(...)`, or `debug`, `info`, `warning`, `warn`, `error`, "
			"`exception`, `critical` or `log` of a receiver named for logging: `log`, `logger`, "
			"`self.logger`, `_LOGGER`), whose arguments have no calls and no `extra=` (either may "
			"raise); `await asyncio.sleep(...)` whose arguments have no calls, `pass`, `break`, `continue`, `global`, `nonlocal` and a "
			"docstring. Every function the call may run must be so "
			"(imported, through `self`, with every override in the project's subclasses, across "
			"modules). AA203 reports the others.",
		.why = "Such a task loses no error: its coroutine sees and handles every exception but "
		       "cancellation. What is left of AA203's case is the weak reference: the event loop keeps "
		       "only a weak reference to a task, so one that waits on something only it refers to can "
		       "be garbage-collected before it finishes, and nothing can cancel or wait for it at "
		       "shutdown. A task waiting on a timer, a socket or a queue that something else holds "
		       "stays reachable through it, which is why readers of real applications judged these "
		       "not worth changing (docs/precision.md): opt-in, for a project that wants every task "
		       "owned, as Ruff's RUF006 and flake8-async's ASYNC300 do.",
		.example = "import asyncio\nimport logging\n\n\nasync def push(event, send):\n    try:\n"
			   "        await send(event)\n    except Exception:\n        logging.exception(\"push failed\")\n\n\n"
			   "def on_event(event, send):\n    asyncio.create_task(push(event, send))\n",
		.use_instead = "import asyncio\nimport logging\n\nbackground_tasks = set()\n\n\n"
			       "async def push(event, send):\n    try:\n        await send(event)\n"
			       "    except Exception:\n        logging.exception(\"push failed\")\n\n\n"
			       "def on_event(event, send):\n    task = asyncio.create_task(push(event, send))\n"
			       "    background_tasks.add(task)\n    task.add_done_callback(background_tasks.discard)\n",
		.anchor = "The `create_task()` / `ensure_future()` call; its start is the start of the callee.",
		.exceptions = "As AA203's: a task whose coroutine cannot suspend, or waits only where the loop "
			      "or a worker thread holds it, is no finding; a task kept in any way AA203 counts is "
			      "none either. A coroutine the index cannot resolve (a callback held in a variable, a "
			      "library coroutine) is AA203's, not this rule's. `# noqa: RUF006` and `# noqa: "
			      "ASYNC300` suppress both rules.",
		.references = "- [asyncio: create_task, \"Save a reference to the result of this function\"](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task)\n"
			      "- [Ruff RUF006 asyncio-dangling-task](https://docs.astral.sh/ruff/rules/asyncio-dangling-task/)\n",
	},
};
