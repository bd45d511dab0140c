/* AA304 manual-acquire: `await x.acquire()` on an asyncio lock or semaphore whose release
 * is not guaranteed by the `try`/`finally` that follows at once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"

#include "rules/concurrency/concurrency.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"
#include "rules/shared/name_records.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_manual_acquire;

static const struct aa_target targets[] = {
	{ "asyncio.Lock.acquire", AA_TARGET_METHOD, "async with lock:", NULL },
	{ "asyncio.Semaphore.acquire", AA_TARGET_METHOD, "async with sem:", NULL },
	{ "asyncio.BoundedSemaphore.acquire", AA_TARGET_METHOD, "async with sem:", NULL },
	{ "asyncio.Condition.acquire", AA_TARGET_METHOD, "async with cond:", NULL },
};

/* Beyond this many nodes a function is not scanned (unknown: quiet). */
#define MAX_SCAN_NODES 500000u

struct release_scan {
	struct aa_ctx *ctx;
	const char *recv; /* receiver text, "self._lock" */
	uint32_t recv_len;
	bool released;    /* `recv.release()` called somewhere */
	bool callback;    /* `recv.release` used as a reference, or called in a lambda */
};

/* The attribute `recv.release`: its object's text is recv. */
static bool is_release_of(struct aa_ctx *ctx, TSNode attr, const char *recv, uint32_t recv_len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode name = ts_node_child_by_field_id(attr, s->f.attribute);
	TSNode obj = ts_node_child_by_field_id(attr, s->f.object);
	if (ts_node_is_null(name) || ts_node_is_null(obj) || !aa_ctx_text_is(ctx, name, "release"))
		return false;
	return aa_node_text_is(aa_ctx_source(ctx)->text, obj, recv, recv_len);
}

struct scan_root {
	struct release_scan *r;
	TSNode root;
};

static enum aa_visit visit_release(void *ud, TSNode n)
{
	struct scan_root *sr = ud;
	struct release_scan *r = sr->r;
	const struct aa_syms *s = aa_ctx_syms(r->ctx);
	if (ts_node_symbol(n) != s->attribute || !is_release_of(r->ctx, n, r->recv, r->recv_len))
		return AA_VISIT_DESCEND;
	TSNode parent = ts_node_parent(n);
	bool called = !ts_node_is_null(parent) && ts_node_symbol(parent) == s->call &&
		      ts_node_eq(ts_node_child_by_field_id(parent, s->f.function), n);
	if (!called || aa_node_in_nested_def(s, n, sr->root, false)) {
		/* `stack.callback(lock.release)`, `fut.add_done_callback(lambda _: lock.release())`,
		 * a nested def releasing it: released elsewhere, when the work ends. */
		r->callback = true;
		return AA_VISIT_STOP;
	}
	r->released = true;
	return AA_VISIT_SKIP;
}

/* Does node (a clause or block) call recv.release() somewhere outside nested defs? */
static bool calls_release(struct aa_ctx *ctx, TSNode node, const char *recv, uint32_t recv_len)
{
	struct release_scan r = { ctx, recv, recv_len, false, false };
	struct scan_root sr = { &r, node };
	aa_subtree_walk(node, MAX_SCAN_NODES, visit_release, &sr);
	return r.released;
}

/* `try:` whose `finally:` calls recv.release() (at any depth outside nested defs). */
static bool try_finally_releases(struct aa_ctx *ctx, TSNode stmt, const char *recv, uint32_t recv_len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->try_statement)
		return false;
	uint32_t n = ts_node_named_child_count(stmt);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(stmt, i);
		if (ts_node_symbol(c) == s->finally_clause)
			return calls_release(ctx, c, recv, recv_len);
	}
	return false;
}

/* The last statement of block, or a null node. */
static TSNode last_statement(const struct aa_syms *s, TSNode block)
{
	TSNode last = { 0 };
	uint32_t n = ts_node_named_child_count(block);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(block, i);
		if (ts_node_symbol(c) != s->comment)
			last = c;
	}
	return last;
}

/* `try:` with an `except:` / `except BaseException:` clause that calls recv.release() and
 * ends with a bare `raise`: every failure, cancellation included, releases it, and on
 * success the caller keeps it (a hand-off: another method releases it later). */
static bool try_except_releases(struct aa_ctx *ctx, TSNode stmt, const char *recv, uint32_t recv_len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->try_statement)
		return false;
	uint32_t n = ts_node_named_child_count(stmt);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(stmt, i);
		if (ts_node_symbol(c) != s->except_clause)
			continue;
		TSNode block = { 0 }, type = { 0 };
		uint32_t m = ts_node_named_child_count(c);
		for (uint32_t k = 0; k < m; k++) {
			TSNode part = ts_node_named_child(c, k);
			if (ts_node_symbol(part) == s->block)
				block = part;
			else if (ts_node_symbol(part) != s->comment && ts_node_is_null(type))
				type = part;
		}
		if (ts_node_is_null(block) || (!ts_node_is_null(type) && !aa_ctx_text_is(ctx, type, "BaseException")))
			continue;
		TSNode last = last_statement(s, block);
		if (ts_node_is_null(last) || ts_node_symbol(last) != s->raise_statement ||
		    ts_node_named_child_count(last) != 0)
			continue;
		if (calls_release(ctx, block, recv, recv_len))
			return true;
	}
	return false;
}

/* What a function's body does with `X.release`, per receiver text X: the walk each
 * acquire made of its body (visit_release), made once per body for every receiver
 * (rules/shared/name_records.h; a body's value: its nodes): a function of N acquires was
 * N walks. */
struct release_use {
	bool released;    /* `X.release()` called outside nested defs */
	bool callback;    /* `X.release` otherwise: a reference, or in a nested def or lambda */
	uint32_t skipped; /* nodes the per-receiver walk did not enter: below the released attributes */
	/* For a name X: whether X is the body's own lock (local_lock: every use its own) */
	struct aa_owned_use own;
};

/* The methods of a lock that only touch the lock itself. */
static const char *const lock_methods[] = { "acquire", "release", "locked", NULL };

struct body_walk {
	struct aa_ctx *ctx;
	struct aa_name_records *memo;
	uint32_t ns;
	TSNode called;         /* the function attribute of the call visited last (aa_owned_use_count) */
	uint32_t *def_ends;    /* owned; the end bytes of the nested defs around the node visited */
	size_t n_defs, cap_defs;
};

static struct aa_owned_use *own_of(void *ud, TSNode ident)
{
	struct body_walk *w = ud;
	uint32_t len;
	const char *text = aa_ctx_text(w->ctx, ident, &len);
	return &((struct release_use *)aa_name_records_add(w->memo, text, len, w->ns))->own;
}

static enum aa_visit index_release(void *ud, TSNode n)
{
	struct body_walk *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	TSSymbol k = ts_node_symbol(n);
	uint32_t at = ts_node_start_byte(n);
	/* Preorder: the defs left behind end at or before this node's start. */
	while (w->n_defs && w->def_ends[w->n_defs - 1] <= at)
		w->n_defs--;
	if (aa_kind_is_definition(s, k, false)) {
		AA_GROW(w->def_ends, w->cap_defs, w->n_defs + 1);
		w->def_ends[w->n_defs++] = ts_node_end_byte(n);
		return AA_VISIT_DESCEND;
	}
	/* A call's function is its first child, visited next: the count keeps it. */
	aa_owned_use_count(w->ctx, n, w->n_defs > 0, lock_methods, &w->called, own_of, w);
	if (k != s->attribute)
		return AA_VISIT_DESCEND;
	TSNode name = ts_node_child_by_field_id(n, s->f.attribute);
	TSNode obj = ts_node_child_by_field_id(n, s->f.object);
	if (ts_node_is_null(name) || ts_node_is_null(obj) || !aa_ctx_text_is(w->ctx, name, "release"))
		return AA_VISIT_DESCEND;
	uint32_t len;
	const char *text = aa_ctx_text(w->ctx, obj, &len);
	struct release_use *u = aa_name_records_add(w->memo, text, len, w->ns);
	if (ts_node_eq(n, w->called) && !w->n_defs) {
		u->released = true;
		u->skipped += ts_node_descendant_count(n) - 1;
	} else {
		u->callback = true;
	}
	/* Descend: another receiver's `.release` may be inside this one's object. */
	return AA_VISIT_DESCEND;
}

/* What body does with recv.release (released / callback); false when body is too large
 * to scan (unknown), as the walk that stops at MAX_SCAN_NODES nodes said. */
static bool body_releases(struct aa_ctx *ctx, TSNode body, const char *recv, uint32_t recv_len,
			  struct release_use *out)
{
	struct aa_name_records *m = aa_name_records_of(ctx, &aa_rule_manual_acquire, sizeof(struct release_use));
	uint32_t ns = ts_node_start_byte(body);
	uint32_t nodes = aa_name_records_body(m, ns);
	if (nodes == AA_MAP_NONE) {
		nodes = ts_node_descendant_count(body);
		struct body_walk w = { .ctx = ctx, .memo = m, .ns = ns };
		aa_subtree_walk(body, SIZE_MAX, index_release, &w);
		free(w.def_ends);
		aa_name_records_set_body(m, ns, nodes);
	}
	const struct release_use *u = aa_name_records_find(m, recv, recv_len, ns);
	*out = u ? *u : (struct release_use){ 0 };
	/* The walk stopped at the first callback; else it was cut past MAX_SCAN_NODES nodes. */
	return out->callback || nodes - out->skipped <= MAX_SCAN_NODES;
}

static bool is_named_stmt(const struct aa_syms *s, TSNode n)
{
	return ts_node_is_named(n) && ts_node_symbol(n) != s->comment;
}

/* The statement after stmt in its block (comments skipped), or a null node. */
static TSNode next_statement(const struct aa_syms *s, TSNode stmt)
{
	TSNode next = ts_node_next_named_sibling(stmt);
	while (!ts_node_is_null(next) && !is_named_stmt(s, next))
		next = ts_node_next_named_sibling(next);
	return next;
}

/* Is stmt the statement `recv.release()`? Right after the acquire it is the
 * wait-until-free idiom (`await lock.acquire(); lock.release()`): nothing runs while the
 * lock is held. */
static bool releases_at_once(struct aa_ctx *ctx, TSNode stmt, const char *recv, uint32_t recv_len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->expression_statement ||
	    ts_node_named_child_count(stmt) != 1)
		return false;
	TSNode call = ts_node_named_child(stmt, 0);
	if (ts_node_symbol(call) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	return ts_node_symbol(fn) == s->attribute && is_release_of(ctx, fn, recv, recv_len);
}

/* A statement between the acquire and its `try` that cannot end the hold unguarded: no
 * await, `async for` or `async with` (no cancellation can arrive there), and every
 * `return`, `raise`, `break` or `continue` in it right after a `recv.release()`
 * statement (`if ready: lock.release(); return`). A sync call may still raise there: a
 * smaller matter than the rule's, left to review. */
struct guarded_scan {
	struct aa_ctx *ctx;
	const char *recv;
	uint32_t recv_len;
	bool ok;
	uint32_t budget; /* nodes left to look at for this acquire */
};

/* The nodes one acquire's look ahead for its `try` may visit: each acquire of a block
 * looks ahead once, so more would be quadratic in a block of many acquires. */
#define MAX_GUARD_NODES 4096u

static TSNode previous_statement(const struct aa_syms *s, TSNode stmt)
{
	TSNode prev = ts_node_prev_named_sibling(stmt);
	while (!ts_node_is_null(prev) && !is_named_stmt(s, prev))
		prev = ts_node_prev_named_sibling(prev);
	return prev;
}

static enum aa_visit guarded_visit(void *ud, TSNode n)
{
	struct guarded_scan *g = ud;
	const struct aa_syms *s = aa_ctx_syms(g->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (!g->budget--) {
		g->ok = false;
		return AA_VISIT_STOP;
	}
	if (aa_kind_is_definition(s, k, true) || k == s->lambda)
		return AA_VISIT_SKIP;
	if (k == s->await || ((k == s->for_statement || k == s->with_statement) && aa_node_has_async_keyword(s, n)) ||
	    ((k == s->return_statement || k == s->raise_statement || k == s->break_statement ||
	      k == s->continue_statement) &&
	     !releases_at_once(g->ctx, previous_statement(s, n), g->recv, g->recv_len))) {
		g->ok = false;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* The statement after stmt, stepping out of the `if` branch whose block stmt ends (the
 * statement after the whole `if`: its other branches are skipped), or a null node. */
static TSNode next_statement_out_of_if(struct aa_ctx *ctx, TSNode stmt)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode next = next_statement(s, stmt);
	for (int depth = 0; ts_node_is_null(next) && depth < 8; depth++) {
		TSNode block = aa_ctx_parent(ctx, stmt);
		TSNode branch = ts_node_is_null(block) ? block : aa_ctx_parent(ctx, block);
		if (!ts_node_is_null(branch) &&
		    (ts_node_symbol(branch) == s->elif_clause || ts_node_symbol(branch) == s->else_clause))
			branch = aa_ctx_parent(ctx, branch);
		if (ts_node_is_null(block) || ts_node_symbol(block) != s->block || ts_node_is_null(branch) ||
		    ts_node_symbol(branch) != s->if_statement)
			break;
		stmt = branch;
		next = next_statement(s, stmt);
	}
	return next;
}

/* The `try` after stmt whose `finally` releases recv, reached over statements that cannot
 * end the hold unguarded (guarded_visit), out of the end of an `if` branch too, or a null
 * node. */
static TSNode later_guard(struct aa_ctx *ctx, TSNode stmt, const char *recv, uint32_t recv_len)
{
	struct guarded_scan g = { ctx, recv, recv_len, true, MAX_GUARD_NODES };
	for (TSNode st = next_statement_out_of_if(ctx, stmt); !ts_node_is_null(st) && g.budget;
	     st = next_statement_out_of_if(ctx, st)) {
		if (try_finally_releases(ctx, st, recv, recv_len))
			return st;
		if (!aa_subtree_walk(st, MAX_SCAN_NODES, guarded_visit, &g) || !g.ok)
			break;
	}
	return (TSNode){ 0 };
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return;
	TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
	if (ts_node_is_null(attr) || !aa_ctx_text_is(ctx, attr, "acquire") || !aa_call_is_awaited(ctx, call))
		return;
	/* An awaited acquire() is an async lock or semaphore whatever the tracker knows of
	 * x: the pattern (acquire, then a release the code does not guarantee) is the same. A
	 * receiver the tracker types as something else is left alone, though. */
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (c->kind == AA_CALLEE_METHOD && !aa_ctx_match_call(ctx, &aa_rule_manual_acquire, call, NULL))
		return;
	const struct aa_model *m = aa_ctx_model(ctx);
	const struct aa_scope_info *scope = aa_model_scope(m, aa_ctx_scope(ctx));
	if (scope->kind != AA_SCOPE_FUNCTION || !scope->is_async)
		return;
	if (aa_concurrency_in_test(m, aa_ctx_scope(ctx)))
		return; /* tests exercise the primitive by hand */
	/* `__aenter__` acquires, `__aexit__` releases: the context manager protocol itself. */
	if (scope->name && scope->name_len == 10 && !memcmp(scope->name, "__aenter__", 10))
		return;
	TSNode recv_node = ts_node_child_by_field_id(fn, s->f.object);
	uint32_t recv_len;
	const char *recv = aa_ctx_text(ctx, recv_node, &recv_len);

	/* How often, and how, the function releases it. */
	TSNode body = ts_node_child_by_field_id(scope->node, s->f.body);
	if (ts_node_is_null(body))
		return;
	struct release_use r;
	if (!body_releases(ctx, body, recv, recv_len, &r))
		return; /* too large: unknown */
	if (r.callback || !r.released)
		return; /* released by a callback, or in another method (a lock/unlock API pair) */
	/* `lock = asyncio.Lock()` in this function, used only here: no other task can wait
	 * for it, so one left held blocks nobody. */
	if (c->kind == AA_CALLEE_METHOD && ts_node_symbol(recv_node) == s->identifier && r.own.all &&
	    r.own.all == r.own.owned &&
	    !ts_node_is_null(c->origin) && ts_node_start_byte(c->origin) >= ts_node_start_byte(body) &&
	    ts_node_end_byte(c->origin) <= ts_node_end_byte(body))
		return;

	/* The statement holding the await: `await x.acquire()`, `ok = await x.acquire()`. */
	TSNode stmt = aa_ctx_parent_unparen(ctx, call, NULL, 0, NULL);
	stmt = ts_node_is_null(stmt) ? stmt : aa_ctx_parent(ctx, stmt); /* above the await */
	if (!ts_node_is_null(stmt) && ts_node_symbol(stmt) == s->assignment) {
		/* `conn = await pool.acquire()` on an untyped receiver is a pool handing out a
		 * resource (asyncpg), not a lock: its fix is not `async with pool:`. */
		if (c->kind != AA_CALLEE_METHOD)
			return;
		stmt = aa_ctx_parent(ctx, stmt);
	}
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->expression_statement)
		return; /* `if await x.acquire():`, an argument, a condition: not followed */
	TSNode next = next_statement(s, stmt);
	/* `if limit is not None: await limit.acquire()` as the branch's last statement: the
	 * statement after the `if` is the one that follows the acquire. */
	TSNode block = aa_ctx_parent(ctx, stmt);
	TSNode branch = ts_node_is_null(block) ? block : aa_ctx_parent(ctx, block);
	if (ts_node_is_null(next) && !ts_node_is_null(branch) && ts_node_symbol(branch) == s->if_statement &&
	    ts_node_eq(ts_node_child_by_field_id(branch, s->f.consequence), block))
		next = next_statement(s, branch);
	if (try_finally_releases(ctx, next, recv, recv_len) || try_except_releases(ctx, next, recv, recv_len) ||
	    releases_at_once(ctx, next, recv, recv_len))
		return;
	/* `await lock.acquire()`, then `if done: lock.release(); return`, then the `try`:
	 * nothing between can be cancelled, and every way out releases. */
	if (!ts_node_is_null(later_guard(ctx, stmt, recv, recv_len)))
		return;
	/* Acquired inside a `try` whose `finally` releases it (first thing in it, or on a
	 * branch: `if cond: await x.acquire()` with `finally: if cond: x.release()`): the
	 * release is guaranteed too. (If the acquire itself is cancelled, the release runs
	 * unheld, which asyncio.Lock reports as RuntimeError: rare, not this rule.) */
	TSNode child = stmt;
	for (TSNode p = aa_ctx_parent(ctx, stmt); !ts_node_is_null(p); child = p, p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (aa_kind_is_definition(s, k, true))
			break;
		if (k == s->try_statement && ts_node_eq(ts_node_child_by_field_id(p, s->f.body), child) &&
		    try_finally_releases(ctx, p, recv, recv_len))
			return;
	}
	aa_ctx_report(ctx, &aa_rule_manual_acquire, call,
		      "'await %.*s.acquire()' is not followed by 'try: ... finally: %.*s.release()': an exception "
		      "or cancellation before the release leaves it held forever; use 'async with %.*s:' instead of "
		      "acquire()/release()",
		      (int)(recv_len > 40 ? 40 : recv_len), recv, (int)(recv_len > 40 ? 40 : recv_len), recv,
		      (int)(recv_len > 40 ? 40 : recv_len), recv);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_manual_acquire = {
	.code = "AA304",
	.name = "manual-acquire",
	.family = &aa_family_concurrency,
	.severity = AA_SEVERITY_WARNING,
	.default_on = true,
	.summary = "An asyncio lock or semaphore is acquired with 'await x.acquire()' without a try/finally "
		   "that releases it",
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `await x.acquire()` (an awaited acquire is an async lock or semaphore: an asyncio "
			"`Lock`, `Semaphore`, `BoundedSemaphore` or `Condition`, or anything the object tracker "
			"cannot type, when its result is not kept: `conn = await pool.acquire()` on an untyped "
			"pool hands out a resource; a receiver the tracker types as another class is left alone) in "
			"an `async def` that releases it with `x.release()` but where the statement right after "
			"the acquire is not a `try` whose `finally` calls `x.release()`.",
		.why = "Between the acquire and the release any await can raise, and any await can be "
		       "cancelled. The release is then skipped and the lock stays held forever: every other task "
		       "waiting on it hangs, and a semaphore loses one slot for good. `async with x:` releases "
		       "on every path, exceptions and cancellation included.",
		.example = "import asyncio\n\nlock = asyncio.Lock()\n\nasync def update(db, row):\n"
			   "    await lock.acquire()\n    await db.write(row)\n    lock.release()\n",
		.use_instead = "import asyncio\n\nlock = asyncio.Lock()\n\nasync def update(db, row):\n"
			       "    async with lock:\n        await db.write(row)\n",
		.anchor = "The `acquire` call; its start is the start of the receiver (`lock.acquire`).",
		.exceptions = "Not reported: `await x.acquire()` followed at once by `try: ... finally: "
			      "x.release()`, or by `x.release()` itself (waiting until the lock is free: nothing runs "
			      "while it is held), or made inside the body of a `try` whose `finally` releases it; "
			      "followed at once by a `try` whose `except:` or `except BaseException:` releases it "
			      "and ends with a bare `raise` (every failure and cancellation releases it; on success "
			      "the lock is handed on to be released elsewhere, as a command framework's "
			      "concurrency limit does); an acquire that is the last statement of an `if` branch "
			      "(`if limit: await limit.acquire()`) is followed by the statement after the `if`; "
			      "a `try` whose `finally` releases it after statements that cannot be cancelled (no "
			      "`await`, `async for` or `async with`) and leave only after a release (`if ready: "
			      "x.release(); return`), also when the acquire is in an `if` branch whose rest is such "
			      "statements and the `try` follows the `if`: a sync call there may still raise, which is "
			      "left to review; "
			      "a lock made in the function (`lock = asyncio.Lock()`) whose name there is only "
			      "assigned, deleted and the receiver of the methods it calls or attributes it reads "
			      "(never passed, `callback=lock.release` neither, returned, stored or seen by a nested "
			      "def): no other task can wait for it, so one left held blocks nobody; "
			      "in `__aenter__` (released in `__aexit__`); when the function never calls "
			      "`x.release()` itself (the release is in another method: an explicit lock/unlock API "
			      "pair); when the release is registered as a callback (`stack.callback(x.release)`, "
			      "`fut.add_done_callback(lambda _: x.release())`, a nested function that releases it); "
			      "when the result of the acquire is used as a condition or value other than a plain "
			      "statement or assignment. Objects whose class is unknown (a trio or anyio lock, a "
			      "parameter without annotation) are not reported. Suppress a line with "
			      "`# noqa: AA304`.",
		.equivalents_note = "No flake8-async or Ruff rule checks manual acquire/release of asyncio locks.",
		.references = "- [asyncio: Synchronization Primitives](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock)\n",
	},
};
