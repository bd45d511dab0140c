/* AA302 unbounded-task-spawn: a task started per item of external input in a `for`
 * loop, each a network or database call, with nothing bounding them (fanout.h). */
#include "rules/concurrency/fanout.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_unbounded_task_spawn;

static void check(struct aa_ctx *ctx, TSNode call)
{
	aa_fanout_check(ctx, call, AA_FANOUT_SPAWN, &aa_rule_unbounded_task_spawn);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_unbounded_task_spawn = {
	.code = "AA302",
	.name = "unbounded-task-spawn",
	.family = &aa_family_concurrency,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "A task is started per item of external input in a loop, each making network or database "
		   "calls, with no limit",
	.node_kinds = kinds,
	.check = check,
	.crossfile = &aa_crossfile_fanout,
	.doc = {
		.what = "Finds `asyncio.create_task(...)`, `asyncio.ensure_future(...)`, `loop.create_task(...)`, "
			"`TaskGroup.create_task(...)` and `nursery.start_soon(...)` / anyio's "
			"`TaskGroup.start_soon(...)` in the body of a `for` or `async for` loop of an `async def` "
			"(or as the element of a comprehension, `tasks = [create_task(f(u)) for u in urls]`), "
			"when, as for AA301: the loop's items come from outside the program (a parameter, "
			"data received, `async for` over a stream, and what is derived from them); the task "
			"runs a network or database call, or a project coroutine that makes one (itself or "
			"through what it awaits, across modules); and nothing bounds the tasks (no limiter "
			"acquired in the task's coroutine, around the loop, or by `await sem.acquire()` in the "
			"function, none passed to the task; no fixed pool of workers). Each loop item must flow "
			"into the task: `for _ in range(n): create_task(worker(queue))` is a pool, not a fan-out.",
		.why = "Each iteration starts a task and moves on: the loop finishes in microseconds and every "
		       "task runs at once. With items from a request, a file or a query, their number is "
		       "someone else's choice, and so is the number of simultaneous connections, sockets and "
		       "pending responses in memory."
		       "\n\nWhy it is opt-in: whether the loop is long is what one file does not show; in "
		       "the applications we read (docs/precision.md) the spawning loops ran over short lists "
		       "(one plugin's files, an admin command's items). Turn it on (`--extend-select AA302`) "
		       "where inputs from outside are long.",
		.example = "import asyncio\n\nasync def notify(client, user):\n"
			   "    await client.post(\"/notify\", json={\"user\": user})\n\n"
			   "async def notify_all(client, users):\n    async with asyncio.TaskGroup() as tg:\n"
			   "        for user in users:\n            tg.create_task(notify(client, user))\n",
		.use_instead = "import asyncio\n\nasync def notify(client, user, limit):\n    async with limit:\n"
			       "        await client.post(\"/notify\", json={\"user\": user})\n\n"
			       "async def notify_all(client, users):\n    limit = asyncio.Semaphore(10)\n"
			       "    async with asyncio.TaskGroup() as tg:\n        for user in users:\n"
			       "            tg.create_task(notify(client, user, limit))\n",
		.anchor = "The `create_task`/`start_soon` call; its start is the start of the callee.",
		.exceptions = "Not reported: a `while` loop (an accept loop serves one connection per task by "
			      "design); loops over the program's own data or `range(<literal>)`; a loop item that "
			      "does not reach the task (a pool of workers); a task whose coroutine makes no "
			      "network or database call the analyzer can see, or cannot be resolved, or is "
			      "decorated; any limiter, batch (also one cut by the callers of a private or nested "
			      "coroutine) or worker pool as for AA301; a slot acquired in the loop's function before "
			      "each spawn (`await sem.acquire()`, a `CapacityLimiter`'s `acquire_on_behalf_of()`, "
			      "also inside a coroutine of the same file it awaits, `if await self.take_slot(item):`); "
			      "a comprehension written "
			      "inside the `gather`/`wait` call itself (AA301 reports it, once); test functions; sync functions. Suppress a line with "
			      "`# noqa: AA302`.",
		.equivalents_note = "No flake8-async or Ruff rule covers unbounded task spawning.",
		.references = "- [asyncio: Semaphore](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore)\n"
			      "- [asyncio: Queue, the worker pool example](https://docs.python.org/3/library/asyncio-queue.html#examples)\n",
	},
};
