/* AA201 unawaited-coroutine: a coroutine function's call whose result is thrown away. */
#include "rules/coroutines/coroutine.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_unawaited_coroutine;

static void check(struct aa_ctx *ctx, TSNode call)
{
	aa_coroutine_check(ctx, &aa_rule_unawaited_coroutine, call, AA_COROUTINE_DISCARDED);
}

const struct aa_rule aa_rule_unawaited_coroutine = {
	.code = "AA201",
	.name = "unawaited-coroutine",
	AA_COROUTINE_RULE_FIELDS,
	.fix = {
		AA_FIX_SAFE,
		"Add the missing await",
		"The statement `save(item)` becomes `await save(item)`. Only a call that is a whole expression "
		"statement directly in an `async def`'s body is fixed: not `_ = save(item)` or `ready and save(item)` "
		"(which may mean something else), not a discarded `asyncio.gather()`/`asyncio.shield()` (their work is "
		"already scheduled), not in sync code, a nested `def`, a `lambda` or a comprehension.",
	},
	.summary = "A coroutine is created and thrown away without being awaited, so it never runs",
	.check = check,
	.doc = {
		.what = "Finds calls to coroutine functions whose result is thrown away: the call is an "
			"expression statement (`save(item)`), is assigned to `_` (`_ = save(item)`), or reaches a "
			"statement through the right operand of `and`/`or` or a branch of a conditional expression "
			"(`ready and save(item)`), or as an element of a list, tuple or set display or the body of a "
			"list or set comprehension that is thrown away (`[save(i) for i in items]` as a statement). "
			"In async and in sync code.\n\n"
			"Coroutine functions are: the `async def`s of the same module, called by name (the name "
			"bound once in its scope) or through their class (`Repo.load()`); the project's `async def`s "
			"in other modules, and methods called through `self`, `cls`, `super()` or an object whose "
			"class is known by annotation or construction, which the project index resolves across "
			"modules and base classes; and the library functions and methods in the table below, methods "
			"on objects the tracker knows (`lock = asyncio.Lock()`, `writer: asyncio.StreamWriter`, "
			"`loop = asyncio.get_running_loop()`, and `reader, writer = await asyncio.open_connection(...)` "
			"when the function binds the two names only there). An `async def` is one only when its body "
			"has no `yield` (else it is an async generator function) and each of its decorators is known "
			"to keep it one: `staticmethod`, `classmethod`, `abc.abstractmethod`, `typing.override` "
			"(`typing_extensions.override`), `functools.cache`, `functools.lru_cache` and "
			"`functools.wraps(...)`, and FastAPI's decorators that register the function and hand it "
			"back (`get`, `post`, `put`, `delete`, `patch`, `options`, `head`, `trace`, `api_route`, "
			"`websocket`, `on_event` of a `FastAPI` or `APIRouter` object; `exception_handler` and "
			"`middleware` of a `FastAPI`).",
		.why = "Calling a coroutine function only creates a coroutine object: its body runs when the "
		       "coroutine is awaited or wrapped in a task. A coroutine that is thrown away never runs: the "
		       "row is never saved, the buffer never drained, the lock never acquired. Nothing fails at "
		       "the call; Python at most prints `RuntimeWarning: coroutine '...' was never awaited` when "
		       "the object is collected, far from the bug. Sync code cannot await: it must run the "
		       "coroutine on an event loop (`asyncio.run()`, a task). `asyncio.gather()` and "
		       "`asyncio.shield()` return futures instead: their work is scheduled, but a discarded one "
		       "loses its result and its exception, and the caller goes on before the work is done.",
		.example = "import asyncio\n\n\nasync def save(db, item):\n    await db.insert(item)\n\n\n"
			   "async def handle(db, item, writer: asyncio.StreamWriter):\n    save(db, item)\n"
			   "    writer.write(b\"ok\")\n    writer.drain()\n",
		.use_instead = "import asyncio\n\n\nasync def save(db, item):\n    await db.insert(item)\n\n\n"
			       "async def handle(db, item, writer: asyncio.StreamWriter):\n    await save(db, item)\n"
			       "    writer.write(b\"ok\")\n    await writer.drain()\n",
		.anchor = "The call; its start is the start of the callee (`save` in `save(db, item)`).",
		.exceptions = "Not findings: a coroutine that is awaited, returned, yielded, stored "
			      "(`coro = save(item)`, `self.pending.append(save(item))`) or passed as an argument, "
			      "which covers every task API (`asyncio.create_task(save(item))`, `asyncio.run(main())`, "
			      "`loop.run_until_complete(main())`, `asyncio.gather(save(a), save(b))`); one made in a "
			      "`lambda` (`lambda: save(item)` returns it); `x = save(item)` (kept); one in the body of a "
			      "generator expression that is never iterated (it never runs, so no coroutine is made). "
			      "A stored coroutine "
			      "that is never awaited is a missed alarm. A call that is a statement directly in the body "
			      "of `with pytest.raises(...)` or `with self.assertRaises(...)`/`assertRaisesRegex(...)`: "
			      "the test expects the call itself to raise (arguments the function does not take), so "
			      "no coroutine is meant to exist.\n\n"
			      "Callees not known to be coroutine functions are never findings: a name bound twice in "
			      "its scope (`async def f` and a later `def f`), an `async def` with any other decorator "
			      "(textual's `@work` turns the call into a sync launch, "
			      "`@contextlib.asynccontextmanager` returns a context manager), an `async def` with "
			      "`yield` (an async generator), a method that a project subclass overrides with a "
			      "different async-ness, and calls through objects the analyzer cannot type. "
			      "`asyncio.timeout()` is an async context manager and `asyncio.create_task()` schedules "
			      "its coroutine: neither is a target (dropped tasks are AA203).",
		.equivalents_note = "Ruff's and flake8-async's `ASYNC105` (trio-sync-call) flags trio's async "
				    "functions called without `await`, a subset of this rule, so `# noqa: ASYNC105` "
				    "also suppresses it. Pyright's `reportUnusedCoroutine` and mypy's "
				    "`unused-coroutine` error code find discarded coroutines through full type "
				    "inference; they are not `# noqa` codes (`# pyright: ignore[reportUnusedCoroutine]`, "
				    "`# type: ignore[unused-coroutine]`) and suppress nothing here. Pylint has no "
				    "equivalent.",
		.references = "- [asyncio: Detect never-awaited coroutines](https://docs.python.org/3/library/asyncio-dev.html#detect-never-awaited-coroutines)\n"
			      "- [Pyright: reportUnusedCoroutine](https://microsoft.github.io/pyright/#/configuration?id=reportUnusedCoroutine)\n"
			      "- [mypy: Check that coroutine return value is used](https://mypy.readthedocs.io/en/stable/error_code_list.html#check-that-coroutine-return-value-is-used-unused-coroutine)\n"
			      "- [Ruff: trio-sync-call (ASYNC105)](https://docs.astral.sh/ruff/rules/trio-sync-call/)\n",
	},
};
