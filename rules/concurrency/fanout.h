/*
 * fanout.h: fan-out of unknown size: the analysis behind AA301 unbounded-gather,
 * AA302 unbounded-task-spawn and the fan-out form of AA306 client-per-request
 * (docs/rules/AA301.md, AA302.md, AA306.md).
 *
 * A fan-out site is reported when all three conditions of those pages hold:
 *  (a) the items come from outside the program: a parameter of the function, data it
 *      received (`await resp.json()`, rows of a query, lines of a file, a request's
 *      fields, `async for` over a stream), directly or through comprehensions, `map`,
 *      `list(...)`, `.items()`, subscripts and lists filled in a loop (fanout_input.c);
 *  (b) the coroutine spawned per item makes network or database calls: a library call
 *      (fanout_net.c) spawned directly, or a project coroutine that makes one, itself or
 *      through the coroutines it awaits (decided by the project index, fanout_link.c,
 *      from the facts summarize.c records with the functions below);
 *  (c) nothing limits the work: no limiter acquired around the site, before it in the
 *      same function, in the spawned coroutine or what it awaits, or passed to it; no
 *      batch (a slice with an upper bound, also one the callers of a private or nested
 *      coroutine cut for its parameter, fanout_input.c); no fixed pool of workers (the
 *      item is not used, or the spawned coroutine reads a queue).
 * Every question here is answered from the current file's model: pure functions of the
 * context, safe on worker threads.
 */
#ifndef AA_FANOUT_H
#define AA_FANOUT_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "analyzer/base/buf.h"
#include "analyzer/check/context.h"

enum aa_fanout_form {
	AA_FANOUT_GATHER, /* asyncio.gather(*X), asyncio.wait(X), asyncio.as_completed(X) */
	AA_FANOUT_SPAWN,  /* create_task / ensure_future / start_soon in a `for` loop's body */
};

/* Checks call as a fan-out site of form and reports rule's finding: at once when the
 * spawned work is a library network call, else through the project index (deferred).
 * Does nothing when call is not such a site, when (a) or (c) rule it out, or in test
 * functions (their inputs are the test's own). */
void aa_fanout_check(struct aa_ctx *ctx, TSNode call, enum aa_fanout_form form, const struct aa_rule *rule);

/* --- facts about the function a call is in (summarize.c) ------------------------- */

/* True when call is a network or database call of a known async library, used in async
 * form (awaited, or entered with `async with`): a method of a known client, connection
 * or pool (`aiohttp.ClientSession.get`, `asyncpg.Connection.fetch`), a module function
 * (`asyncio.open_connection`, `asyncpg.connect`), or a request/query verb on a receiver
 * of unknown type whose name says it is one (`session`, `client`, `conn`, `pool`, `db`,
 * `cursor`, `redis`, ...). */
bool aa_fanout_net_call(struct aa_ctx *ctx, TSNode call);

/* As aa_fanout_net_call, whatever the call's use (a call spawned per item is awaited by
 * whatever gathers it). */
bool aa_fanout_net_callee(struct aa_ctx *ctx, TSNode call);

/* True when call is awaited, or is the value of an `async with` item. */
bool aa_fanout_async_use(struct aa_ctx *ctx, TSNode call);

/* True when call makes an AA306 client (`aiohttp.ClientSession()`, `httpx.AsyncClient()`)
 * for this use only: entered with `async with`, or assigned to a local name. */
bool aa_fanout_client_call(struct aa_ctx *ctx, TSNode call);

/* True when the object call makes is kept beyond this use: stored in an attribute,
 * subscript or container, passed as an argument, returned or yielded. */
bool aa_fanout_client_kept(struct aa_ctx *ctx, TSNode call);

/* True when call acquires a limiter by hand: `await x.acquire()`. */
bool aa_fanout_acquire_call(struct aa_ctx *ctx, TSNode call);

/* True when call takes an item off a queue or channel: `await q.get()` (no argument),
 * `q.get_nowait()`, `await channel.receive()`. */
bool aa_fanout_queue_read(struct aa_ctx *ctx, TSNode call);

/* True when value, entered with `async with value:`, limits concurrency: an object that
 * is not a known non-limiter (a semaphore, lock, capacity or rate limiter, `self._sem`,
 * `locks[key]`), or a call whose name says it acquires (`limiter.acquire()`,
 * `self.rate_limit()`, `throttle(...)`). */
bool aa_fanout_limiter_value(struct aa_ctx *ctx, TSNode value);

/* True when with_stmt is an `async with` one of whose items enters a limiter
 * (aa_fanout_limiter_value). */
bool aa_fanout_with_limits(struct aa_ctx *ctx, TSNode with_stmt);

/* True when arg (an argument, or a keyword_argument) hands a limiter to the spawned
 * coroutine: an instance of a limiter class (asyncio/anyio/trio semaphores, locks and
 * capacity limiters, aiolimiter.AsyncLimiter) or a name that says so (`sem`,
 * `self._limiter`, `rate_limit=`). */
bool aa_fanout_limiter_arg(struct aa_ctx *ctx, TSNode arg);

/* True when arg hands a queue or channel to the spawned coroutine (a worker of a pool):
 * an instance of a Queue class or a name that says so (`queue`, `q`, `work_queue`). */
bool aa_fanout_queue_arg(struct aa_ctx *ctx, TSNode arg);

/* True when s[0..len) is one of the strings of list (NULL-terminated; its strings
 * NUL-terminated). The word tables of fanout*.c are asked this way. */
bool aa_fanout_in_list(const char *const *list, const char *s, size_t len);

/* The items of expr come from outside the program ((a) above): appends where from to
 * why, an initialised buffer ("'urls' is a parameter of 'crawl'"), and returns true. fn
 * is the function_definition expr is evaluated in. Bounded: unknown is false. */
bool aa_fanout_external(struct aa_ctx *ctx, TSNode fn, TSNode expr, struct aa_buf *why);

/* The fan-out rules' cross-file analysis (fanout_link.c): what async functions await,
 * their network calls, limiters, queue reads and per-call clients; linked, the deferred
 * fan-out sites whose spawned coroutine makes network calls without a limiter. */
extern const struct aa_crossfile aa_crossfile_fanout;

/* Records a fan-out site of rule at site (gather, create_task) for the spawned callee
 * ref (aa_ctx_ref / aa_ctx_ref_fn), reported when the index finds that ref is a project
 * coroutine function that makes network or database calls (itself or through what it
 * awaits) and acquires no limiter there: with head, the evidence and tail as the
 * message. Takes head and tail; frees them when no summary is being built or the site's
 * line vouches for rule (aa_ctx_vouched). */
void aa_fanout_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode site, const struct aa_ref *ref, char *head,
		     char *tail);

#endif
