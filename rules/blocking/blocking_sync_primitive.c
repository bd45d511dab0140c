/*
 * AA108 blocking-sync-primitive: waiting on a thread or process synchronisation
 * primitive in async context, and a threading lock held across an await.
 */
#include "rules/blocking/blocking.h"
#include "rules/blocking/local_queue.h"
#include "rules/blocking/operator_only.h"
#include "rules/blocking/polled.h"
#include "rules/shared/suspension.h"
#include "analyzer/base/xalloc.h"
#include "rules/rules.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"
#include "analyzer/base/buf.h"
#include "analyzer/facts/callee.h"

/* Bound on the nodes a scan of one function visits (beyond it: unknown, quiet). */
#define MAX_SCAN_NODES 1000000u

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_blocking_sync_primitive;

#define M AA_TARGET_METHOD
#define MC (AA_TARGET_METHOD | AA_TARGET_CONDITIONAL)

#define FIX_EVENT "asyncio.Event: await event.wait()"
#define FIX_THREAD "await asyncio.to_thread(thread.join)"
#define FIX_QUEUE_GET "asyncio.Queue (await q.get()), or await asyncio.to_thread(q.get)"
#define FIX_QUEUE_PUT "asyncio.Queue (await q.put(item)), or await asyncio.to_thread(q.put, item)"
#define FIX_QUEUE_JOIN "asyncio.Queue (await q.join()), or await asyncio.to_thread(q.join)"
#define FIX_FUTURE "await asyncio.wrap_future(future)"
#define FIX_POOL "await loop.run_in_executor(pool, ...)"
#define FIX_ASYNC_RESULT "await asyncio.to_thread(result.get)"
#define FIX_CONDITION "asyncio.Condition: await cond.wait()"
#define FIX_BARRIER "asyncio.Barrier: await barrier.wait()"

#define GET_FORM "in its blocking form: not get(False) or get(block=False), and not a literal timeout of 0"
#define PUT_FORM \
	"on a bounded queue (a literal maxsize > 0 where it was made), in its blocking form: " \
	"not put(x, False) or put(x, block=False), and not a literal timeout of 0"

static const struct aa_target targets[] = {
	{ "threading.Event.wait", M, FIX_EVENT, NULL },
	{ "threading.Thread.join", M, FIX_THREAD, NULL },
	{ "threading.Timer.join", M, FIX_THREAD, NULL },
	{ "threading.Condition.wait", M, FIX_CONDITION, NULL },
	{ "threading.Condition.wait_for", M, FIX_CONDITION, NULL },
	{ "threading.Barrier.wait", M, FIX_BARRIER, NULL },
	{ "queue.Queue.get", MC, FIX_QUEUE_GET, GET_FORM },
	{ "queue.Queue.put", MC, FIX_QUEUE_PUT, PUT_FORM },
	{ "queue.Queue.join", M, FIX_QUEUE_JOIN, NULL },
	{ "queue.SimpleQueue.get", MC, FIX_QUEUE_GET, GET_FORM },
	{ "multiprocessing.Queue.get", MC, FIX_QUEUE_GET, GET_FORM },
	{ "multiprocessing.Queue.put", MC, FIX_QUEUE_PUT, PUT_FORM },
	{ "concurrent.futures.Future.result", M, FIX_FUTURE, NULL },
	{ "concurrent.futures.Future.exception", M, FIX_FUTURE, NULL },
	{ "concurrent.futures.wait", 0, "await asyncio.wait([asyncio.wrap_future(f) for f in fs])", NULL },
	{ "multiprocessing.pool.Pool.map", M, FIX_POOL, NULL },
	{ "multiprocessing.pool.Pool.starmap", M, FIX_POOL, NULL },
	{ "multiprocessing.pool.Pool.apply", M, FIX_POOL, NULL },
	{ "multiprocessing.pool.Pool.join", M, FIX_POOL, NULL },
	{ "multiprocessing.pool.AsyncResult.get", M, FIX_ASYNC_RESULT, NULL },
	{ "multiprocessing.pool.AsyncResult.wait", M, FIX_ASYNC_RESULT, NULL },
	{ "multiprocessing.Process.join", M, "await asyncio.to_thread(process.join)", NULL },
};

#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

/* Per target: the positional index of its timeout parameter (-1: none). A literal
 * timeout of 0 polls and returns at once. */
static const signed char timeout_pos[] = {
	0, 0, 0, 0, 1, 0,	/* Event.wait, Thread/Timer.join, Condition.wait/wait_for, Barrier.wait */
	1, 2, -1, 1, 1, 2,	/* Queue.get/put/join, SimpleQueue.get, multiprocessing.Queue.get/put */
	0, 0, 1,		/* Future.result/exception, concurrent.futures.wait */
	-1, -1, -1, -1, 0, 0,	/* Pool.map/starmap/apply/join, AsyncResult.get/wait */
	0,			/* Process.join */
};
_Static_assert(sizeof(timeout_pos) == N_TARGETS, "one timeout position per target");

/* Calls on the same receiver earlier in the function that mean the wait is over or
 * is only a poll: `if fut.done(): fut.result()`, `while not q.empty(): q.get()`. */
static const char *const guard_methods[] = { "done", "ready", "is_alive", "is_set", "empty", "qsize", NULL };

/* ---- small syntax helpers ------------------------------------------------------------ */

static bool is_kind(TSNode n, TSSymbol k)
{
	return !ts_node_is_null(n) && ts_node_symbol(n) == k;
}

/* A numeric literal's text without its '_' separators, NUL-terminated in buf (cut at
 * size - 1 bytes). */
static void literal_digits(const struct aa_ctx *ctx, TSNode n, char *buf, size_t size)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, n, &len);
	size_t j = 0;
	for (uint32_t i = 0; i < len && j + 1 < size; i++)
		if (t[i] != '_')
			buf[j++] = t[i];
	buf[j] = '\0';
}

static bool is_zero_literal(const struct aa_ctx *ctx, TSNode n)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!is_kind(n, s->integer) && !is_kind(n, s->float_))
		return false;
	char buf[64];
	literal_digits(ctx, n, buf, sizeof(buf));
	char *end;
	double v = strtod(buf, &end);
	return *end == '\0' && v == 0.0;
}

/* A literal integer > 0 (decimal, hex, octal or binary; underscores allowed). */
static bool is_positive_int_literal(const struct aa_ctx *ctx, TSNode n)
{
	if (!is_kind(n, aa_ctx_syms(ctx)->integer))
		return false;
	char buf[64];
	literal_digits(ctx, n, buf, sizeof(buf));
	int base = 10;
	const char *digits = buf;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		base = 16, digits = buf + 2;
	else if (buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
		base = 8, digits = buf + 2;
	else if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		base = 2, digits = buf + 2;
	char *end;
	unsigned long long v = strtoull(digits, &end, base);
	return *digits && *end == '\0' && v > 0;
}

/* ---- call targets ---------------------------------------------------------------------- */

/* The blocking form of get/put: `block` absent or literally True. */
static bool blocking_form(const struct aa_ctx *ctx, TSNode call, int block_pos)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode block = aa_call_arg(ctx, call, block_pos, "block");
	if (ts_node_is_null(block))
		return aa_call_positional_count(ctx, call) >= 0; /* a *splat may hide it */
	return is_kind(block, s->true_);
}

/* The receiver was made by queue.Queue(...) (or a subclass alias) with a literal
 * maxsize > 0. The origin is checked to be a queue constructor: an annotated
 * `q: queue.Queue = make_queue(5)` has make_queue's call as its origin. */
static bool bounded_queue(struct aa_ctx *ctx, TSNode origin)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!is_kind(origin, s->call))
		return false;
	struct aa_meaning fm = aa_ctx_eval(ctx, ts_node_child_by_field_id(origin, s->f.function));
	if (fm.kind != AA_MEANING_NAME)
		return false;
	static const char *const ctors[] = { "queue.Queue", "queue.LifoQueue", "queue.PriorityQueue",
					     "multiprocessing.Queue", NULL };
	bool ctor = false;
	for (const char *const *c = ctors; *c; c++)
		ctor |= !strcmp(fm.qualname, *c);
	return ctor && is_positive_int_literal(ctx, aa_call_arg(ctx, origin, 0, "maxsize"));
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* The Future came from asyncio.run_coroutine_threadsafe(): waiting for it on the loop's
 * own thread can never end, since the loop that would run the coroutine is the one
 * waiting. */
static bool from_run_coroutine_threadsafe(struct aa_ctx *ctx, TSNode origin)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!is_kind(origin, s->call))
		return false;
	struct aa_meaning fm = aa_ctx_eval(ctx, ts_node_child_by_field_id(origin, s->f.function));
	return fm.kind == AA_MEANING_NAME && !strcmp(fm.qualname, "asyncio.run_coroutine_threadsafe");
}

/* AA108's memo for the file (aa_ctx_file_memo): what one walk of each function found. */
struct primitive_memo {
	void *polled;                   /* owned: polled.h's index */
	struct aa_name_records *local;  /* owned: local_queue.h's index */
};

static void free_primitive_memo(void *p)
{
	struct primitive_memo *m = p;
	if (!m)
		return;
	aa_blocking_polled_free(m->polled);
	aa_name_records_free(m->local);
	free(m);
}

static struct primitive_memo *primitive_memo(struct aa_ctx *ctx)
{
	void **slot = aa_ctx_file_memo(ctx, &aa_rule_blocking_sync_primitive, free_primitive_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct primitive_memo));
	return *slot;
}

static bool is_queue(const struct aa_target *t)
{
	return !strncmp(t->name, "queue.", 6) || !strncmp(t->name, "multiprocessing.Queue.", 22);
}

static void check_call_target(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c;
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_sync_primitive, call, &c);
	if (!t)
		return;
	size_t i = (size_t)(t - targets);
	if (timeout_pos[i] >= 0 && is_zero_literal(ctx, aa_call_arg(ctx, call, timeout_pos[i], "timeout")))
		return;
	if (t->flags & AA_TARGET_CONDITIONAL) {
		bool put = ends_with(t->name, ".put");
		if (!blocking_form(ctx, call, put ? 1 : 0))
			return;
		if (put && !bounded_queue(ctx, c->origin))
			return;
	}
	if (c->kind == AA_CALLEE_METHOD &&
	    (aa_blocking_polled_before(ctx, &primitive_memo(ctx)->polled, call, c->receiver, guard_methods) ||
	     (is_queue(t) && aa_blocking_local_queue(ctx, &primitive_memo(ctx)->local, call, c->receiver, c->origin))))
		return;
	const char *fix = NULL;
	if (c->kind == AA_CALLEE_METHOD && !strcmp(c->qualname, "concurrent.futures.Future") &&
	    from_run_coroutine_threadsafe(ctx, c->origin))
		fix = "await asyncio.wrap_future(future), or await the coroutine itself if it targets this loop";
	aa_blocking_report(ctx, &aa_rule_blocking_sync_primitive, call, t, fix);
}

/* ---- threading locks held across an await ---------------------------------------------- */

struct lock_kind {
	const char *cls, *fix, *consequence;
};

#define BLOCKS_NEXT "the next coroutine that needs it blocks the event loop"

static const struct lock_kind lock_kinds[] = {
	{ "threading.Lock", "async with an asyncio.Lock", BLOCKS_NEXT },
	/* Reentrant: every coroutine runs on the loop's thread, so all of them get in. */
	{ "threading.RLock", "async with an asyncio.Lock",
	  "every coroutine on the loop's thread re-enters it, so it excludes none of them" },
	{ "threading.Semaphore", "async with an asyncio.Semaphore", BLOCKS_NEXT },
	{ "threading.Condition", "async with an asyncio.Condition", BLOCKS_NEXT },
};

static const struct lock_kind *lock_kind_of(struct aa_ctx *ctx, TSNode expr)
{
	struct aa_meaning m = aa_ctx_eval(ctx, expr);
	if (m.kind != AA_MEANING_INSTANCE)
		return NULL;
	for (size_t i = 0; i < sizeof(lock_kinds) / sizeof(lock_kinds[0]); i++)
		if (!strcmp(m.qualname, lock_kinds[i].cls))
			return &lock_kinds[i];
	return NULL;
}

/* Preorder (source order) over root's subtree, skipping nested defs, lambdas and
 * classes, from byte `from`, up to the first `release_of.release()` call when release_of
 * is not null: the suspension points (await, async for, async with, async
 * comprehension). An await of a call the project index may resolve becomes a clause of
 * cond (it is harmless when that call never suspends, suspension.h); any other point
 * sets reached and ends the scan. first is the first point met. */
struct suspend_scan {
	struct aa_ctx *ctx;
	TSNode root, release_of;
	uint32_t from;
	TSNode first;
	bool released, reached;
	struct aa_susp_cond cond;
};

/* `await q.put(x)` on an asyncio.Queue made here without a bound (`asyncio.Queue()`,
 * `maxsize=0`): put() on an unbounded queue returns at once, never suspending. */
static bool unbounded_async_put(struct aa_ctx *ctx, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!is_kind(e, s->call))
		return false;
	const struct aa_callee *c = aa_ctx_callee(ctx, e);
	if (c->kind != AA_CALLEE_METHOD || strcmp(c->qualname, "asyncio.Queue") || c->method_len != 3 ||
	    memcmp(c->method, "put", 3) || !is_kind(c->origin, s->call))
		return false;
	TSNode ctor = ts_node_child_by_field_id(c->origin, s->f.function);
	if (is_kind(ctor, s->subscript)) /* asyncio.Queue[Event]() */
		ctor = ts_node_child_by_field_id(ctor, s->f.value);
	struct aa_meaning fm = aa_ctx_eval(ctx, ctor);
	if (fm.kind != AA_MEANING_NAME || (strcmp(fm.qualname, "asyncio.Queue") && strcmp(fm.qualname, "asyncio.queues.Queue")))
		return false;
	TSNode bound = aa_call_arg(ctx, c->origin, 0, "maxsize");
	return ts_node_is_null(bound) || (is_kind(bound, s->integer) && !is_positive_int_literal(ctx, bound));
}

static enum aa_visit visit_suspend(void *ud, TSNode n)
{
	struct suspend_scan *sc = ud;
	const struct aa_syms *s = aa_ctx_syms(sc->ctx);
	bool descend = ts_node_end_byte(n) > sc->from;
	if (descend && ts_node_is_named(n) && ts_node_start_byte(n) >= sc->from) {
		TSSymbol k = ts_node_symbol(n);
		bool is_await = k == s->await;
		TSNode e = is_await ? aa_node_unparen_at_most(s, ts_node_named_child(n, 0), AA_UNPAREN_SOLE, 64)
				    : (TSNode){ 0 };
		if (is_await && unbounded_async_put(sc->ctx, e))
			return AA_VISIT_DESCEND; /* no suspension point; its arguments may hold one */
		if (is_await || ((k == s->for_statement || k == s->with_statement || k == s->for_in_clause) &&
				 aa_node_has_async_keyword(s, n))) {
			if (ts_node_is_null(sc->first))
				sc->first = n;
			struct aa_susp_clause *cl = &sc->cond.clauses[sc->cond.n_clauses];
			if (!ts_node_is_null(e) && ts_node_symbol(e) == s->call &&
			    sc->cond.n_clauses < AA_SUSP_MAX_CLAUSES && aa_ctx_ref(sc->ctx, e, &cl->alts[0].ref)) {
				cl->alts[0].arg = AA_SUSP_NEVER;
				cl->n_alts = 1;
				sc->cond.n_clauses++;
			} else {
				sc->reached = true;
				return AA_VISIT_STOP;
			}
		}
		if (!ts_node_is_null(sc->release_of) && aa_blocking_method_call_on(sc->ctx, n, sc->release_of, "release")) {
			sc->released = true;
			return AA_VISIT_STOP;
		}
	}
	if (ts_node_is_named(n) && aa_kind_is_definition(s, ts_node_symbol(n), true) && !ts_node_eq(n, sc->root))
		descend = false;
	return descend ? AA_VISIT_DESCEND : AA_VISIT_SKIP;
}

/* Scans root from byte from into sc (see struct suspend_scan); a subtree too large to
 * scan whole counts as reached, the form that stays reported. */
static void scan(struct aa_ctx *ctx, TSNode root, uint32_t from, TSNode release_of, struct suspend_scan *sc)
{
	sc->ctx = ctx;
	sc->root = root;
	sc->release_of = release_of;
	sc->from = from;
	if (!aa_subtree_walk(root, MAX_SCAN_NODES, visit_suspend, sc) && !sc->reached && !sc->released)
		sc->reached = !ts_node_is_null(sc->first);
}

static const char *suspension_word(struct aa_ctx *ctx, TSNode n)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(n);
	if (k == s->with_statement)
		return "async with";
	if (k == s->for_statement || k == s->for_in_clause)
		return "async for";
	return "await";
}

/* Reports the lock held across sc's suspension points at anchor, or defers it to the
 * project index when every point is an await of a call that may be project code: it is
 * then reported unless each of those never suspends (suspension.h). */
static void report_lock(struct aa_ctx *ctx, TSNode anchor, TSNode lock_expr, const struct lock_kind *lk,
			const struct suspend_scan *sc, const char *how)
{
	if (aa_blocking_operator_only(ctx))
		return;
	struct aa_buf shown = AA_BUF_INIT;
	aa_source_quote(aa_ctx_source(ctx), lock_expr, &shown);
	uint32_t line = aa_source_line_of(aa_ctx_source(ctx), ts_node_start_byte(sc->first)) + 1;
	char *message = aa_xasprintf("%s '%s' %s is held across the %s on line %u in async function '%s'; %s; use '%s'",
				     lk->cls, shown.data, how, suspension_word(ctx, sc->first), line,
				     aa_ctx_function_name(ctx), lk->consequence, lk->fix);
	aa_buf_release(&shown);
	if (sc->reached) {
		aa_ctx_report(ctx, &aa_rule_blocking_sync_primitive, anchor, "%s", message);
		free(message);
	} else
		aa_susp_report_or_defer(ctx, &aa_rule_blocking_sync_primitive, anchor, &sc->cond, message);
}

static void check_with(struct aa_ctx *ctx, TSNode with)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!aa_ctx_in_async(ctx) || aa_node_has_async_keyword(s, with))
		return;
	TSNode body = ts_node_child_by_field_id(with, s->f.body);
	if (ts_node_is_null(body))
		return;
	TSNode value;
	for (struct aa_with_items it = aa_node_with_items(s, with, AA_WITH_CLAUSE_ANY);
	     aa_node_with_items_next(&it, &value);) {
		const struct lock_kind *lk = lock_kind_of(ctx, value);
		if (!lk)
			continue;
		struct suspend_scan sc = { 0 };
		scan(ctx, body, ts_node_start_byte(body), (TSNode){ 0 }, &sc);
		if (!ts_node_is_null(sc.first))
			report_lock(ctx, with, value, lk, &sc, "acquired by this 'with'");
		return;
	}
}

/* `lock.acquire()` followed, in its statement or the statements after it in the same
 * block, by a suspension point before `lock.release()`. */
static void check_acquire(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (c->kind != AA_CALLEE_METHOD || c->method_len != 7 || memcmp(c->method, "acquire", 7))
		return;
	const struct lock_kind *lk = NULL;
	for (size_t i = 0; i < sizeof(lock_kinds) / sizeof(lock_kinds[0]); i++)
		if (!strcmp(c->qualname, lock_kinds[i].cls))
			lk = &lock_kinds[i];
	if (!lk)
		return;
	/* acquire(False) / acquire(blocking=False) never waits: whoever fails skips. */
	TSNode blocking = aa_call_arg(ctx, call, 0, "blocking");
	if (!ts_node_is_null(blocking) && !is_kind(blocking, s->true_))
		return;
	TSNode stmt = call;
	for (;;) {
		TSNode p = aa_ctx_parent(ctx, stmt);
		if (ts_node_is_null(p))
			return;
		TSSymbol k = ts_node_symbol(p);
		if (k == s->block || k == s->module)
			break;
		if (aa_kind_is_definition(s, k, true))
			return;
		stmt = p;
	}
	uint32_t from = ts_node_end_byte(call);
	TSNode lock = c->receiver; /* c is the context's: the scan's own callee lookups replace it */
	struct suspend_scan sc = { 0 };
	for (TSNode st = stmt; !ts_node_is_null(st) && !sc.released && !sc.reached; st = ts_node_next_named_sibling(st))
		scan(ctx, st, from, lock, &sc);
	if (!ts_node_is_null(sc.first))
		report_lock(ctx, call, lock, lk, &sc, "acquired here");
}

static void check(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(node) == s->with_statement) {
		check_with(ctx, node);
		return;
	}
	if (!aa_ctx_in_async(ctx))
		return;
	check_call_target(ctx, node);
	check_acquire(ctx, node);
}

static const char *const kinds[] = { "call", "with_statement", NULL };

const struct aa_rule aa_rule_blocking_sync_primitive = {
	.code = "AA108",
	.name = "blocking-sync-primitive",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_WARNING,
	.travels = true,
	.default_on = true,
	.crossfile = &aa_crossfile_suspension,
	.summary = "A thread or process synchronisation primitive waits inside an async function, or a "
		   "threading lock is held across an await",
	.equivalents = NULL,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds, in async context (the body of an `async def`, outside nested `def`s and lambdas), "
			"calls that wait for another thread or process: `threading.Event().wait()`, "
			"`Thread.join()`, `Condition.wait()`, `Barrier.wait()`, `queue.Queue.get()` in its "
			"blocking form, `put()` on a bounded queue, `Queue.join()`, `concurrent.futures.Future` "
			"`result()`/`exception()` (futures from `executor.submit()` and "
			"`asyncio.run_coroutine_threadsafe()`), `concurrent.futures.wait()`, `multiprocessing.Pool` "
			"`map/starmap/apply/join` and `AsyncResult.get/wait`, `Process.join()`.\n\n"
			"Also finds a `threading.Lock`, `RLock`, `Semaphore`/`BoundedSemaphore` or `Condition` "
			"held across a suspension point (`await`, `async for`, `async with`): `with lock:` whose "
			"body suspends, or `lock.acquire()` followed in its block by a suspension point before "
			"`lock.release()` (the `acquire(); try: await ... finally: release()` form included).",
		.why = "These calls park the calling thread until another thread or process acts; in a coroutine "
		       "that thread runs the event loop, so every other task stops with it. When the other side "
		       "is itself waiting for the loop (a coroutine sent with `run_coroutine_threadsafe()` and "
		       "waited for on the loop's thread, a queue that only a coroutine drains) the program "
		       "deadlocks.\n\nA threading lock held across an await is a deadlock waiting to happen: while "
		       "the coroutine is suspended, the next coroutine to reach `with lock:` blocks the loop's "
		       "thread in `acquire()`, and the holder can never resume to release it. (An `RLock` does "
		       "not block its own thread: it lets the second coroutine in, so it excludes nothing.)",
		.example = "import threading\n\nlock = threading.Lock()\n\nasync def update(cache, client, key):\n"
			   "    with lock:\n        cache[key] = await client.fetch(key)\n",
		.use_instead = "import asyncio\n\nlock = asyncio.Lock()\n\nasync def update(cache, client, key):\n"
			       "    async with lock:\n        cache[key] = await client.fetch(key)\n",
		.anchor = "For a blocking call, the call (its start is the start of the callee). For a lock held "
			  "across an await, the `with` statement, or the `acquire()` call; the message names the "
			  "lock and the line of the await.",
		.exceptions = "Not findings: the non-blocking forms (`q.get(False)`, `q.get(block=False)`, "
			      "`get_nowait()`, `put_nowait()`, `lock.acquire(blocking=False)`), a literal timeout of "
			      "0 (`event.wait(0)`, `thread.join(timeout=0)`: a poll); `put()` on a queue made without a "
			      "literal `maxsize > 0` (unbounded, or not known to be bounded); a call on a receiver "
			      "polled earlier in the function (`if fut.done(): fut.result()`, `while not q.empty(): "
			      "q.get()`) or that appeared in an earlier await (`await asyncio.wrap_future(fut)`); "
			      "a short critical section with no await inside (`with lock: counter += 1`), or whose "
			      "awaits are all of project coroutines that never suspend (no `await`, `async for` or "
			      "`async with` in their bodies, or awaits only of such coroutines, overrides in project "
			      "subclasses included: AA401's analysis, across modules), or of `put()` on an "
			      "`asyncio.Queue()` made without a bound (no `maxsize`, or `0`), which never waits: no "
			      "other coroutine can run while the lock is held; an "
			      "`asyncio.Lock` with `async with` (the fix); anything passed as a reference to "
			      "`asyncio.to_thread()` or `run_in_executor()`; code in nested `def`s and lambdas. A "
			      "`get()` with a timeout still blocks for up to that long and is reported. Nor is a "
			      "wait on a queue no other thread can reach: made in the same function, whose name "
			      "there is only assigned, deleted and used as the receiver of the queue methods it "
			      "calls or the attributes it reads (`q.get()`, `q.queue`; never passed, `target=q.put` "
			      "neither, returned, stored, declared global, or seen by a nested `def` or lambda): nobody "
			      "else can fill or drain it, so the wait returns at once or never (a ring buffer of "
			      "a fixed size) and does not hold the loop while another thread works. Receivers "
			      "must be tracked: instances of project subclasses of `Thread` are not (a missed "
			      "alarm)."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC " A lock held across an `await` is reported there too: another thread may wait for it.",
		.equivalents_note = "flake8-async and Ruff have no rule for thread primitives or locks held "
				    "across an await.",
		.references = "- [asyncio: Synchronization primitives](https://docs.python.org/3/library/asyncio-sync.html)\n"
			      "- [asyncio.wrap_future](https://docs.python.org/3/library/asyncio-future.html#asyncio.wrap_future)\n"
			      "- [asyncio.run_coroutine_threadsafe](https://docs.python.org/3/library/asyncio-task.html#asyncio.run_coroutine_threadsafe)\n",
	},
};
