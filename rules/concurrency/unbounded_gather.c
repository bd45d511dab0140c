/* AA301 unbounded-gather: asyncio.gather/wait/as_completed over items from outside the
 * program, each a network or database call, with nothing bounding them (fanout.h). */
#include "rules/concurrency/fanout.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_unbounded_gather;

static void check(struct aa_ctx *ctx, TSNode call)
{
	aa_fanout_check(ctx, call, AA_FANOUT_GATHER, &aa_rule_unbounded_gather);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_unbounded_gather = {
	.code = "AA301",
	.name = "unbounded-gather",
	.family = &aa_family_concurrency,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "asyncio.gather/wait/as_completed runs one network or database call per item of external "
		   "input, all at once, with no limit",
	.node_kinds = kinds,
	.check = check,
	.crossfile = &aa_crossfile_fanout,
	.doc = {
		.what = "Finds `asyncio.gather(*X)`, `asyncio.wait(X)` and `asyncio.as_completed(X)` in an "
			"`async def` when all three hold:\n\n"
			"1. **the items come from outside the program**: `X` is built (through a comprehension, a "
			"generator, `map()`, or a list filled by `append` in a `for` loop) over a parameter of "
			"the function, data it received (`await resp.json()`, `await conn.fetch(...)`, "
			"`async for` over a stream, `json.loads(...)`, the lines of `open(...)` (also as "
			"`with open(...) as f`), `cursor.fetchall()`, `sys.argv`), or a field, subscript, "
			"`.items()`/`.values()`/`.getall()`, "
			"`list()`/`sorted()`/`range(len(...))` of those;\n"
			"2. **each item costs a connection**: the coroutine made per item is a network or "
			"database call of a known async library (aiohttp, httpx, asyncpg, SQLAlchemy's asyncio "
			"sessions, aiomysql, aiosqlite, redis.asyncio, motor, websockets, "
			"`asyncio.open_connection`; on a receiver of unknown type, a request or query verb on a "
			"name such as `session`, `client`, `conn`, `pool`, `db`, `cursor`), or a project "
			"coroutine that makes one itself or through the coroutines it awaits, in any module "
			"(found by the project index);\n"
			"3. **nothing bounds them**: no limiter (`asyncio.Semaphore`/`BoundedSemaphore`/`Lock`, "
			"`anyio.CapacityLimiter`, `aiolimiter.AsyncLimiter`, any object entered with "
			"`async with x:` (a connection pool's `async with pool.acquire()` too), `await x.acquire()`) is acquired in the spawned coroutine or anything "
			"it awaits, around the call, or before it in the same function, and none is passed to "
			"the spawned coroutine; the items are not a batch (`urls[i:i + 10]`), nor the "
			"parameter of a private (`_name`) or nested coroutine that every call in the file "
			"awaits on its own with a batch (`await _send_group(rows[i:i + 50])`: the callers cut "
			"the batches); the spawned "
			"coroutine is not a worker of a fixed pool (it is handed a queue, or takes items off "
			"one).\n\n"
			"The message says what is spawned per item, over which items, where they come from, "
			"which call makes the network traffic (with the chain of awaits when it is not direct; "
			"SARIF and JSON give its location), and how to bound it.",
		.why = "`gather` starts everything at once. Over a list whose length someone else decides "
		       "(a request, a file, a query result), that is thousands of simultaneous connections: "
		       "the client runs out of sockets or file descriptors, the server rate-limits or falls "
		       "over, timeouts fire in bulk, and memory grows with the list. The same code with ten "
		       "items in a test is fine, which is why it ships."
		       "\n\nWhy it is opt-in: whether a list is long is what one file does not show. In the "
		       "applications we read (docs/precision.md) most lists were short by nature (the "
		       "attachments of one chat message, a handful of configured hosts, one user's items): 1 "
		       "of 15 findings was worth changing. Turn it on (`--extend-select AA301`) where inputs "
		       "from outside are long.",
		.example = "import asyncio\n\nasync def fetch(session, url):\n    async with session.get(url) as resp:\n"
			   "        return await resp.text()\n\nasync def crawl(session, urls):\n"
			   "    return await asyncio.gather(*(fetch(session, url) for url in urls))\n",
		.use_instead = "import asyncio\n\nLIMIT = asyncio.Semaphore(10)\n\nasync def fetch(session, url):\n"
			       "    async with LIMIT:\n        async with session.get(url) as resp:\n"
			       "            return await resp.text()\n\nasync def crawl(session, urls):\n"
			       "    return await asyncio.gather(*(fetch(session, url) for url in urls))\n",
		.anchor = "The `gather`/`wait`/`as_completed` call; its start is the start of the callee "
			  "(`asyncio.gather`).",
		.exceptions = "Not reported: fan-out over the program's own data (`self._platforms.values()`, a "
			      "module constant, a literal list or tuple, `range(<literal>)`); a spawned coroutine "
			      "that makes no network or database call the analyzer can see, or that cannot be "
			      "resolved (an unknown object's method, a decorated coroutine: a decorator may limit "
			      "it); any limiter, batch (also one cut by the callers) or worker pool as listed above; tasks created in a `for` "
			      "loop or in a comprehension outside the call and gathered afterwards (AA302 reports "
			      "those, once); test functions (their "
			      "inputs are the test's own); sync functions. Suppress a line with `# noqa: AA301`.",
		.equivalents_note = "No flake8-async or Ruff rule covers unbounded fan-out.",
		.references = "- [asyncio: Semaphore](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore)\n"
			      "- [aiohttp: limiting connections](https://docs.aiohttp.org/en/stable/client_advanced.html#limiting-connection-pool-size)\n",
	},
};
