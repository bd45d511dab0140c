/* The cross-file analysis of AA401/AA407 and AA203 (suspension.h): which project
 * coroutines never suspend, which functions cancel a parameter, and the findings that
 * wait for both. */
#include "rules/shared/suspension.h"
#include "rules/shared/name_words.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/base/xalloc.h"
#include "analyzer/check/link.h"
#include "analyzer/facts/bindings.h"
#include "analyzer/index/index.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"

#define NONE AA_INDEX_NONE

/* How a def's first parameter is bound when it is called. */
enum first_param {
	FIRST_FREE = 0, /* a function or staticmethod: the call passes every parameter */
	FIRST_SELF,     /* a method: bound when called through an object (not `Class.m(obj, ...)`) */
	FIRST_CLS,      /* a classmethod: always bound */
};

/* What one def does (by its index in the summary's funcs[]). */
struct susp_func {
	bool seen;       /* an `async def` without syntax errors: its suspension points are below */
	bool suspends;   /* it suspends other than by awaiting a call that may be project code */
	bool exposed;    /* ... and other than at a held wait (aa_susp_held_wait) */
	bool handles;    /* its body handles its own exceptions (handles_errors) */
	uint8_t first;   /* enum first_param */
	uint16_t cancels; /* bit p: it calls `.cancel()` on its parameter p (counting `self`) */
};

/* A call an async function awaits that may be project code. */
struct susp_await {
	uint32_t func;
	struct aa_ref ref;
};

/* A deferred handler: reported unless each of its clauses has an alternative that holds. */
struct susp_pending {
	const struct aa_rule *rule;
	struct aa_span span;
	char *message;          /* owned */
	struct aa_excerpt line; /* owned */
	uint32_t first_clause, n_clauses; /* into clauses[] */
	bool settled;           /* the index needs no more modules for it (on-demand rounds) */
	int8_t handled;         /* -1: not asked; else enum aa_susp_handled */
};

struct susp_clause {
	uint32_t first_alt, n_alts; /* into alts[] */
};

struct susp_record {
	struct susp_func *funcs;       size_t n_funcs, funcs_cap;      /* owned; by the summary's funcs[] */
	struct susp_await *awaits;     size_t n_awaits, awaits_cap;    /* owned */
	struct susp_pending *pending;  size_t n_pending, pending_cap;  /* owned */
	struct susp_clause *clauses;   size_t n_clauses, clauses_cap;  /* owned */
	struct aa_susp_alt *alts;      size_t n_alts, alts_cap;        /* owned */
	/* Where the file's text holds ".cancel(" (byte offsets, ascending), found once at its
	 * first def: only the defs that hold one are searched for cancelled parameters. */
	uint32_t *cancel_at;           size_t n_cancel_at, cancel_at_cap; /* owned */
	bool cancel_scanned;
};

static void *new_record(void)
{
	return aa_xcalloc(1, sizeof(struct susp_record));
}

static void free_record(void *p)
{
	struct susp_record *r = p;
	for (size_t i = 0; i < r->n_pending; i++) {
		free(r->pending[i].message);
		aa_excerpt_release(&r->pending[i].line);
	}
	free(r->funcs);
	free(r->awaits);
	free(r->pending);
	free(r->clauses);
	free(r->alts);
	free(r->cancel_at);
	free(r);
}

/* Orders awaits by function (qsort: the order of one function's awaits changes no
 * verdict, each must hold). */
static int await_cmp(const void *pa, const void *pb)
{
	const struct susp_await *a = pa, *b = pb;
	return a->func < b->func ? -1 : a->func > b->func;
}

/* Do a def's facts say what no facts say (facts_of's no_facts)? A def that is exposed
 * (so suspends), or was not seen, is neither quiet nor held either way, and one that
 * cancels no parameter cancels none either way: its awaits are never read. */
static bool says_nothing(const struct susp_func *fn)
{
	return !fn->cancels && !fn->handles && (!fn->seen || fn->exposed);
}

/* The search's offsets served the file's own defs. Facts that say nothing are dropped (a
 * def's facts are found by its position: only those after the last that says something),
 * with the awaits of defs that say nothing: most async defs suspend, so a file without
 * handlers to judge keeps no record (facts_of reads a missing one as no facts), one with
 * some keeps what it holds. */
static void *finish_record(void *p)
{
	struct susp_record *r = p;
	free(r->cancel_at);
	r->cancel_at = NULL;
	r->n_cancel_at = r->cancel_at_cap = 0;
	while (r->n_funcs && says_nothing(&r->funcs[r->n_funcs - 1]))
		r->n_funcs--;
	size_t kept = 0;
	for (size_t i = 0; i < r->n_awaits; i++)
		if (r->awaits[i].func < r->n_funcs && !says_nothing(&r->funcs[r->awaits[i].func]))
			r->awaits[kept++] = r->awaits[i];
	r->n_awaits = kept;
	if (!r->n_funcs && !r->n_awaits && !r->n_pending) {
		free_record(r);
		return NULL;
	}
	AA_TRIM(r->funcs, r->funcs_cap, r->n_funcs);
	/* By function, for first_await: a nested def's awaits come between its parent's. */
	if (r->n_awaits > 1)
		qsort(r->awaits, r->n_awaits, sizeof(r->awaits[0]), await_cmp);
	AA_TRIM(r->awaits, r->awaits_cap, r->n_awaits);
	AA_TRIM(r->pending, r->pending_cap, r->n_pending);
	AA_TRIM(r->clauses, r->clauses_cap, r->n_clauses);
	AA_TRIM(r->alts, r->alts_cap, r->n_alts);
	return r;
}

/* ---- per file ---------------------------------------------------------------------- */

static const char CANCEL_CALL[] = ".cancel(";

/* The receiver p of the call `p.cancel(...)` whose ".cancel(" starts at byte off of body,
 * found by descending from body (a def's) towards off, or a null node: not such a call
 * (the text was in a string or comment, the receiver is no name), or inside a nested
 * def, lambda or class (whose parameters are others). Depth-bounded. */
static TSNode cancel_receiver_at(const struct aa_syms *s, TSNode body, uint32_t off)
{
	TSNode n = body;
	for (int g = 0; g < 512; g++) {
		TSNode c = ts_node_first_named_child_for_byte(n, off);
		if (ts_node_is_null(c) || ts_node_start_byte(c) > off ||
		    aa_kind_is_definition(s, ts_node_symbol(c), true))
			break;
		if (ts_node_symbol(c) == s->attribute && ts_node_symbol(n) == s->call) {
			TSNode recv = ts_node_child_by_field_id(c, s->f.object);
			if (ts_node_end_byte(recv) == off && ts_node_symbol(recv) == s->identifier &&
			    ts_node_eq(c, ts_node_child_by_field_id(n, s->f.function)))
				return recv;
		}
		n = c;
	}
	return (TSNode){ 0 };
}

/* How def's first parameter is bound: a def directly in a class body is a method unless
 * decorated `staticmethod` (free) or `classmethod`. */
static enum first_param first_param(struct aa_ctx *ctx, TSNode def)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode up = aa_ctx_parent(ctx, def);
	TSNode decorated = { 0 };
	if (!ts_node_is_null(up) && ts_node_symbol(up) == s->decorated_definition) {
		decorated = up;
		up = aa_ctx_parent(ctx, up);
	}
	if (ts_node_is_null(up) || ts_node_symbol(up) != s->block ||
	    ts_node_symbol(aa_ctx_parent(ctx, up)) != s->class_definition)
		return FIRST_FREE;
	uint32_t n = ts_node_is_null(decorated) ? 0 : ts_node_named_child_count(decorated);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(decorated, i);
		if (ts_node_symbol(d) != s->decorator)
			continue;
		TSNode e = ts_node_named_child(d, 0);
		if (aa_ctx_text_is(ctx, e, "staticmethod"))
			return FIRST_FREE;
		if (aa_ctx_text_is(ctx, e, "classmethod"))
			return FIRST_CLS;
	}
	return FIRST_SELF;
}

/* The first of the file's ".cancel(" at or after byte start (an index into r->cancel_at,
 * n_cancel_at when none). The file is searched once, with strstr (the text is
 * NUL-terminated and holds no NUL, source.h; glibc's strstr is vectorised where memmem
 * is not: searching each def with memmem cost 0.3 % of a run). */
static size_t first_cancel(struct aa_ctx *ctx, struct susp_record *r, uint32_t start)
{
	if (!r->cancel_scanned) {
		const char *text = aa_ctx_source(ctx)->text;
		for (const char *p = text; (p = strstr(p, CANCEL_CALL)); p += sizeof(CANCEL_CALL) - 1) {
			AA_GROW(r->cancel_at, r->cancel_at_cap, r->n_cancel_at + 1);
			r->cancel_at[r->n_cancel_at++] = (uint32_t)(p - text);
		}
		r->cancel_scanned = true;
	}
	size_t lo = 0, hi = r->n_cancel_at;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->cancel_at[mid] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- a coroutine that handles its own exceptions ---------------------------------- */

enum { MAX_GUARD_DEPTH = 4 }; /* while loops nested in a guarded body */

/* Does n (a block or clause) hold a `raise` outside nested defs? Too large to walk: yes. */
static bool holds_raise(const struct aa_syms *s, TSNode n)
{
	return aa_node_holds_kind(s, n, &s->raise_statement, 1, 200000);
}

/* Is e, what an except clause names, Exception or BaseException (also as builtins.X), or a
 * tuple holding one? */
static bool names_every_error(struct aa_ctx *ctx, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(e) == s->as_pattern)
		e = ts_node_named_child(e, 0);
	if (ts_node_symbol(e) == s->tuple || ts_node_symbol(e) == s->parenthesized_expression) {
		uint32_t n = ts_node_named_child_count(e);
		for (uint32_t i = 0; i < n && i < 32; i++)
			if (names_every_error(ctx, ts_node_named_child(e, i)))
				return true;
		return false;
	}
	static const char *const names[] = { "Exception", "BaseException", "builtins.Exception",
					     "builtins.BaseException", NULL };
	for (const char *const *nm = names; *nm; nm++)
		if (aa_ctx_text_is(ctx, e, *nm))
			return true;
	return false;
}

/* A `try` that lets no exception out: a clause catches every error (bare `except:`,
 * `except Exception`, `except BaseException`, a tuple with one) and no handler raises or
 * awaits (an awaited call there may raise); no `else` (it runs outside the handlers), no
 * `raise` or await in a `finally`. */
static bool guarded_try(struct aa_ctx *ctx, TSNode try)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	bool catches_all = false;
	uint32_t n = ts_node_named_child_count(try);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(try, i);
		TSSymbol k = ts_node_symbol(c);
		if (k == s->else_clause ||
		    ((k == s->except_clause || k == s->finally_clause) && (holds_raise(s, c) || aa_node_holds_async(s, c))))
			return false;
		if (k == s->except_clause) {
			TSNode first = aa_node_first_code_child(s, c); /* `except:  # noqa` */
			catches_all |= !ts_node_is_null(first) &&
				       (ts_node_symbol(first) == s->block || names_every_error(ctx, first));
		}
	}
	return catches_all;
}

/* A walk of a guarded body: its depth of nested statements, and whether it met a try
 * that catches every error. */
struct guard {
	struct aa_ctx *ctx;
	bool tried;
};

static bool guarded_block(struct guard *g, TSNode block, int depth);

/* Is n (an expression, or a statement of one) free of calls, awaits and yields? Such a
 * statement (`deviceid = name[8:18]`, `if not self.enabled:`) is taken as one that does
 * not fail: readers call a coroutine of such set-up and a try around its work one that
 * handles its own errors. A null node is pure. */
static bool pure(const struct aa_syms *s, TSNode n)
{
	const TSSymbol impure[] = { s->call, s->await, s->yield, s->lambda };
	return ts_node_is_null(n) || !aa_node_holds_kind(s, n, impure, sizeof(impure) / sizeof(impure[0]), 4096);
}

/* Are a logging call's arguments ones that cannot fail: no calls, awaits, yields or
 * lambdas (pure: `len(message.text)` raises on a None text), and no `extra=` (a key
 * a LogRecord has raises KeyError)? */
static bool log_args(struct aa_ctx *ctx, TSNode args)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!pure(s, args))
		return false;
	uint32_t n = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (ts_node_symbol(a) == s->keyword_argument &&
		    aa_ctx_text_is(ctx, ts_node_child_by_field_id(a, s->f.name), "extra"))
			return false;
	}
	return true;
}

/* Is e a call that logs: `print(...)`, or `<x>.debug(...)` (info, warning, warn, error,
 * exception, critical, log) on a receiver whose last name says it logs (`logger`,
 * `self.log`, `logging`, `_LOGGER`), with arguments that cannot fail (log_args)? A
 * logging call does not fail: readers call a coroutine that logs before its try one that
 * handles its own errors. */
static bool log_call(struct aa_ctx *ctx, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	static const char *const levels[] = { "debug", "info", "warning", "warn", "error", "exception",
					      "critical", "log", NULL };
	if (ts_node_symbol(e) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(e, s->f.function);
	TSNode args = ts_node_child_by_field_id(e, s->f.arguments);
	if (ts_node_is_null(fn) || ts_node_is_null(args) || !log_args(ctx, args))
		return false;
	if (ts_node_symbol(fn) == s->identifier)
		return aa_ctx_text_is(ctx, fn, "print");
	if (ts_node_symbol(fn) != s->attribute)
		return false;
	TSNode level = ts_node_child_by_field_id(fn, s->f.attribute);
	TSNode recv = ts_node_child_by_field_id(fn, s->f.object);
	if (ts_node_is_null(level) || ts_node_is_null(recv))
		return false;
	bool is_level = false;
	for (const char *const *l = levels; *l && !is_level; l++)
		is_level = aa_ctx_text_is(ctx, level, *l);
	if (ts_node_symbol(recv) == s->attribute)
		recv = ts_node_child_by_field_id(recv, s->f.attribute);
	if (!is_level || ts_node_is_null(recv) || ts_node_symbol(recv) != s->identifier)
		return false;
	static const char *const loggers[] = { "log", "logger", "logging", NULL };
	uint32_t len;
	const char *name = aa_ctx_text(ctx, recv, &len);
	return aa_name_words_any(name, len, loggers);
}

/* A statement of a coroutine's body that lets no exception out (only cancellation): a
 * guarded try; a while loop with a pure condition, a for loop over a pure iterable, an `if`
 * with pure conditions (no `else` on the loops) whose blocks are guarded; `await
 * asyncio.sleep(n)` with pure arguments (only cancellation ends it); a pure statement (pure), a
 * logging call (log_call), `return` of a pure value, `pass`,
 * `break`, `continue`, `global`, `nonlocal`, a docstring. */
static bool guarded_stmt(struct guard *g, TSNode st, int depth)
{
	struct aa_ctx *ctx = g->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(st);
	if (k == s->comment || k == s->pass_statement || k == s->break_statement || k == s->continue_statement ||
	    k == s->global_statement || k == s->nonlocal_statement)
		return true;
	if (k == s->try_statement) {
		bool ok = guarded_try(ctx, st);
		g->tried |= ok;
		return ok;
	}
	if (k == s->return_statement)
		return pure(s, st);
	if (depth < MAX_GUARD_DEPTH && (k == s->while_statement || k == s->for_statement))
		return !aa_node_has_async_keyword(s, st) &&
		       ts_node_is_null(ts_node_child_by_field_id(st, s->f.alternative)) &&
		       pure(s, ts_node_child_by_field_id(st, k == s->while_statement ? s->f.condition : s->f.right)) &&
		       guarded_block(g, ts_node_child_by_field_id(st, s->f.body), depth + 1);
	if (depth < MAX_GUARD_DEPTH && k == s->if_statement) {
		if (!pure(s, ts_node_child_by_field_id(st, s->f.condition)) ||
		    !guarded_block(g, ts_node_child_by_field_id(st, s->f.consequence), depth + 1))
			return false;
		uint32_t n = ts_node_named_child_count(st);
		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(st, i);
			if (ts_node_symbol(c) == s->elif_clause &&
			    (!pure(s, ts_node_child_by_field_id(c, s->f.condition)) ||
			     !guarded_block(g, ts_node_child_by_field_id(c, s->f.consequence), depth + 1)))
				return false;
			if (ts_node_symbol(c) == s->else_clause &&
			    !guarded_block(g, ts_node_child_by_field_id(c, s->f.body), depth + 1))
				return false;
		}
		return true;
	}
	if (k != s->expression_statement || ts_node_named_child_count(st) != 1)
		return false;
	TSNode e = ts_node_named_child(st, 0);
	if (ts_node_symbol(e) == s->string || pure(s, e) || log_call(ctx, e))
		return true;
	/* `await asyncio.sleep(n)` as written: the walk is at the def, not yet inside its scope,
	 * where names are not resolved (aa_susp_held_wait resolves them) */
	if (ts_node_symbol(e) != s->await)
		return false;
	TSNode call = ts_node_named_child(e, 0);
	return ts_node_symbol(call) == s->call &&
	       aa_ctx_text_is(ctx, ts_node_child_by_field_id(call, s->f.function), "asyncio.sleep") &&
	       pure(s, ts_node_child_by_field_id(call, s->f.arguments));
}

static bool guarded_block(struct guard *g, TSNode block, int depth)
{
	if (ts_node_is_null(block))
		return false;
	uint32_t n = ts_node_named_child_count(block);
	for (uint32_t i = 0; i < n; i++)
		if (!guarded_stmt(g, ts_node_named_child(block, i), depth))
			return false;
	return true;
}

/* Does the body of def (an `async def`) handle its own exceptions: is every statement of
 * it guarded (guarded_stmt), with a try that catches every error among them? Only
 * cancellation can then end it by an exception: whoever drops its task loses no error. */
static bool handles_errors(struct aa_ctx *ctx, TSNode def)
{
	struct guard g = { ctx, false };
	return guarded_block(&g, ts_node_child_by_field_id(def, aa_ctx_syms(ctx)->f.body), 0) && g.tried;
}

/* A def: the summary entry the summarizer has just added for it (the walker opens a
 * scope for every def it enters, and summarize.h adds it before the analyses' hooks run),
 * marked seen when async and free of syntax errors (an await inside an error region
 * reaches no hook); the parameters it calls `.cancel()` on. */
static void def_facts(struct aa_ctx *ctx, struct susp_record *r, TSNode def)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_summary *sum = aa_ctx_summary(ctx);
	TSNode name = ts_node_child_by_field_id(def, s->f.name);
	if (!sum->n_funcs || ts_node_is_null(name))
		return;
	uint32_t f = (uint32_t)sum->n_funcs - 1;
	uint32_t len;
	const char *text = aa_ctx_text(ctx, name, &len);
	const char *q = sum->funcs[f].qualname, *last = strrchr(q, '.');
	last = last ? last + 1 : q;
	if (strlen(last) != len || memcmp(last, text, len))
		return; /* not the entry of this def: no facts, which keeps its findings */
	AA_GROW(r->funcs, r->funcs_cap, (size_t)f + 1);
	while (r->n_funcs <= f)
		r->funcs[r->n_funcs++] = (struct susp_func){ 0 };
	struct susp_func *fn = &r->funcs[f];
	fn->seen = sum->funcs[f].is_async && !ts_node_has_error(def);
	fn->handles = fn->seen && handles_errors(ctx, def);
	TSNode body = { 0 };
	uint32_t end = ts_node_end_byte(def);
	uint16_t mask = 0;
	size_t i = first_cancel(ctx, r, ts_node_start_byte(def));
	for (; i < r->n_cancel_at && r->cancel_at[i] < end; i++) {
		if (ts_node_is_null(body))
			body = ts_node_child_by_field_id(def, s->f.body);
		TSNode recv = cancel_receiver_at(s, body, r->cancel_at[i]);
		if (ts_node_is_null(recv))
			continue;
		const char *p = aa_ctx_text(ctx, recv, &len);
		int pos = aa_bindings_param_position(aa_ctx_model(ctx), def, p, len);
		if (pos >= 0 && pos < 16)
			mask |= (uint16_t)(1u << pos);
	}
	if (mask) {
		fn->cancels = mask;
		fn->first = (uint8_t)first_param(ctx, def);
	}
}

bool aa_susp_held_wait(struct aa_ctx *ctx, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	e = aa_node_unparen_at_most(s, e, AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(e) || ts_node_symbol(e) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(e, s->f.function);
	if (ts_node_symbol(fn) == s->attribute &&
	    aa_ctx_text_is(ctx, ts_node_child_by_field_id(fn, s->f.attribute), "run_in_executor"))
		return true;
	const struct aa_callee *c = aa_ctx_callee(ctx, e);
	if (!c || c->kind != AA_CALLEE_FUNCTION || !c->qualname)
		return false;
	if (!strcmp(c->qualname, "asyncio.sleep") || !strcmp(c->qualname, "asyncio.to_thread"))
		return true;
	if (strcmp(c->qualname, "asyncio.wait_for"))
		return false;
	TSNode timeout = aa_call_arg(ctx, e, 1, "timeout");
	return !ts_node_is_null(timeout) && ts_node_symbol(timeout) != s->none;
}

/* A suspension point of an async function: an await of a call that may be project code
 * is followed at the link; a held wait suspends, but the task stays held; any other
 * await, `async for` or `async with` exposes it. Once a function is exposed, its later
 * points change nothing. */
static void summarize(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(node);
	if (k == s->function_definition) {
		struct susp_record *r = aa_ctx_record(ctx, &aa_crossfile_suspension);
		if (r)
			def_facts(ctx, r, node);
		return;
	}
	if (k != s->await && (!aa_ctx_in_async(ctx) || !aa_node_has_async_keyword(s, node)))
		return;
	bool in_lambda;
	uint32_t f = aa_ctx_summary_function(ctx, &in_lambda);
	struct susp_record *r;
	/* Not seen (no async def, or one with syntax errors) or already exposed: the point
	 * changes nothing. */
	if (f == UINT32_MAX || in_lambda || !(r = aa_ctx_record(ctx, &aa_crossfile_suspension)) || f >= r->n_funcs ||
	    !r->funcs[f].seen || r->funcs[f].exposed)
		return;
	struct susp_func *fn = &r->funcs[f];
	struct aa_ref ref;
	TSNode e = k == s->await ? aa_node_unparen_at_most(s, ts_node_named_child(node, 0), AA_UNPAREN_SOLE, 64)
				 : (TSNode){ 0 };
	/* First: `asyncio.sleep` may name a call aa_ctx_ref follows, to no project code. */
	if (!ts_node_is_null(e) && aa_susp_held_wait(ctx, e)) {
		fn->suspends = true;
		return;
	}
	if (!ts_node_is_null(e) && ts_node_symbol(e) == s->call && aa_ctx_ref(ctx, e, &ref)) {
		AA_GROW(r->awaits, r->awaits_cap, r->n_awaits + 1);
		r->awaits[r->n_awaits++] = (struct susp_await){ f, ref };
		return;
	}
	fn->suspends = fn->exposed = true;
}

static bool defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const struct aa_susp_cond *cond,
		  int8_t handled, char *message)
{
	struct susp_record *r = aa_ctx_record(ctx, &aa_crossfile_suspension);
	if (!r)
		return false;
	AA_GROW(r->pending, r->pending_cap, r->n_pending + 1);
	r->pending[r->n_pending++] = (struct susp_pending){
		.rule = rule,
		.span = aa_ctx_span(ctx, node),
		.message = message,
		.line = aa_ctx_line(ctx, node),
		.first_clause = (uint32_t)r->n_clauses,
		.n_clauses = (uint32_t)cond->n_clauses,
		.handled = handled,
	};
	for (size_t c = 0; c < cond->n_clauses; c++) {
		const struct aa_susp_clause *cl = &cond->clauses[c];
		AA_GROW(r->clauses, r->clauses_cap, r->n_clauses + 1);
		r->clauses[r->n_clauses++] = (struct susp_clause){ (uint32_t)r->n_alts, (uint32_t)cl->n_alts };
		for (size_t a = 0; a < cl->n_alts; a++) {
			AA_GROW(r->alts, r->alts_cap, r->n_alts + 1);
			r->alts[r->n_alts++] = cl->alts[a];
		}
	}
	return true;
}

bool aa_susp_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const struct aa_susp_cond *cond,
		   char *message)
{
	return defer(ctx, rule, node, cond, -1, message);
}

bool aa_susp_defer_task(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const struct aa_susp_cond *cond,
			enum aa_susp_handled handled, char *message)
{
	return cond->n_clauses && cond->clauses[0].n_alts && defer(ctx, rule, node, cond, (int8_t)handled, message);
}

void aa_susp_report_or_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node,
			     const struct aa_susp_cond *cond, char *message)
{
	if (!aa_ctx_reports_here(ctx, rule) || aa_ctx_vouched(ctx, rule, node) ||
	    !aa_susp_defer(ctx, rule, node, cond, message)) {
		aa_ctx_report(ctx, rule, node, "%s", message);
		free(message);
	}
}

/* ---- between on-demand rounds ------------------------------------------------------ */

/* A module the prefilter skipped has no `async def`: for a coroutine that does not
 * resolve, only the packages that may re-export it are read; a helper that may cancel a
 * task is a sync function: its module is read, also the one a package re-exports it
 * from (known once the package is read, a round later). */
static void demand(struct aa_demand *d)
{
	struct aa_index *x = aa_demand_index(d);
	for (size_t i = 0; i < aa_demand_count(d); i++) {
		struct susp_record *r = aa_demand_record(d, i);
		for (size_t k = 0; r && k < r->n_pending; k++) {
			struct susp_pending *p = &r->pending[k];
			/* Settled once every ref resolves: one that does not may need a module that
			 * another finding wanted in this round, read before the next. */
			bool resolved = true;
			for (uint32_t c = p->first_clause; c < p->first_clause + p->n_clauses && !p->settled; c++) {
				const struct susp_clause *cl = &r->clauses[c];
				for (uint32_t a = cl->first_alt; a < cl->first_alt + cl->n_alts; a++) {
					const struct aa_susp_alt *alt = &r->alts[a];
					uint32_t receiver;
					if (aa_index_resolve_ref(x, &alt->ref, &receiver) != NONE)
						continue;
					resolved = false;
					aa_demand_ref(d, &alt->ref, alt->arg < 0);
					/* a helper a package re-exports from a module not read yet */
					char *real = alt->arg >= 0 && alt->ref.kind == AA_REF_NAME
							     ? aa_index_reexported(x, alt->ref.name)
							     : NULL;
					if (real) {
						struct aa_ref there = { AA_REF_NAME, real, NULL, NULL };
						aa_demand_ref(d, &there, false);
						free(real);
					}
				}
			}
			p->settled |= resolved;
		}
	}
}

/* ---- linked ------------------------------------------------------------------------ */

/* How many awaits deep "never suspends" is followed. */
#define MAX_DEPTH 8

enum verdict { UNKNOWN = 0, BUSY, YES, NO };

/* What is asked of a project coroutine function, transitively through the project
 * coroutines it awaits. */
enum question {
	Q_QUIET, /* it never suspends (susp_func.suspends) */
	Q_HELD,  /* it suspends only at held waits, or never (susp_func.exposed) */
	N_QUESTIONS
};

struct judge {
	struct aa_link *lk;
	struct aa_index *x;
	uint8_t *verdicts[N_QUESTIONS]; /* owned; per index function: enum verdict */
};

static const struct susp_func no_facts;

static const struct susp_func *facts_of(const struct judge *j, uint32_t f, const struct susp_record **rec)
{
	*rec = aa_link_record(j->lk, aa_index_func_file(j->x, f));
	uint32_t local = aa_index_func_local(j->x, f);
	return *rec && local < (*rec)->n_funcs ? &(*rec)->funcs[local] : &no_facts;
}

/* The first of r's awaits made by function local (they are sorted by function,
 * finish_record), r->n_awaits when none. */
static size_t first_await(const struct susp_record *r, uint32_t local)
{
	size_t lo = 0, hi = r->n_awaits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->awaits[mid].func < local)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static enum verdict ref_verdict(struct judge *j, const struct aa_ref *ref, enum question q, int depth, bool *cut);

/* The answer to q for index function f, a project coroutine function. *cut: the answer
 * was limited by the depth bound (then it is not kept: from a shallower start it may
 * differ). A function met again on the way (a cycle) answers no. */
static enum verdict func_verdict(struct judge *j, uint32_t f, enum question q, int depth, bool *cut)
{
	uint8_t *memo = j->verdicts[q];
	if (memo[f] == YES || memo[f] == NO)
		return memo[f];
	if (memo[f] == BUSY)
		return NO;
	const struct aa_sum_func *sf = aa_index_func(j->x, f);
	const struct susp_record *r;
	const struct susp_func *fn = facts_of(j, f, &r);
	if (!sf->is_coroutine || sf->opaque || !fn->seen || (q == Q_QUIET ? fn->suspends : fn->exposed))
		return memo[f] = NO;
	if (depth >= MAX_DEPTH) {
		*cut = true;
		return NO;
	}
	memo[f] = BUSY;
	uint32_t local = aa_index_func_local(j->x, f);
	bool my_cut = false;
	enum verdict v = YES;
	for (size_t a = first_await(r, local); a < r->n_awaits && r->awaits[a].func == local && v == YES; a++)
		if (ref_verdict(j, &r->awaits[a].ref, q, depth + 1, &my_cut) != YES)
			v = NO;
	memo[f] = my_cut && v == NO ? UNKNOWN : v;
	*cut |= my_cut;
	return v;
}

/* The project functions a call of ref may run: the one it resolves to and, for a method,
 * the definitions of project subclasses. Written to out[0..max); their count, or 0 when
 * the answer is not certain (no project function, too many or unknown subclasses). */
static size_t ref_targets(struct judge *j, const struct aa_ref *ref, uint32_t *out, size_t max)
{
	uint32_t receiver;
	uint32_t f = aa_index_resolve_ref(j->x, ref, &receiver);
	if (f == NONE)
		return 0;
	out[0] = f;
	if (receiver == NONE || !ref->method)
		return 1;
	size_t n = aa_index_subclass_defs(j->x, receiver, ref->method, out + 1, max - 1);
	return n == SIZE_MAX ? 0 : n + 1;
}

enum { MAX_TARGETS = 16 };

/* Yes when every project function a call of ref may run answers yes to q. */
static enum verdict ref_verdict(struct judge *j, const struct aa_ref *ref, enum question q, int depth, bool *cut)
{
	uint32_t t[MAX_TARGETS];
	size_t n = ref_targets(j, ref, t, MAX_TARGETS);
	if (!n)
		return NO;
	for (size_t i = 0; i < n; i++)
		if (func_verdict(j, t[i], q, depth, cut) != YES)
			return NO;
	return YES;
}

/* Does every function a call of ref may run call `.cancel()` on the parameter its
 * positional argument arg binds? */
static bool ref_cancels(struct judge *j, const struct aa_ref *ref, int arg)
{
	uint32_t t[MAX_TARGETS];
	size_t n = ref_targets(j, ref, t, MAX_TARGETS);
	for (size_t i = 0; i < n; i++) {
		const struct susp_record *r;
		const struct susp_func *fn = facts_of(j, t[i], &r);
		bool bound = fn->first == FIRST_CLS || (fn->first == FIRST_SELF && ref->kind != AA_REF_NAME);
		int p = arg + (bound ? 1 : 0);
		if (p >= 16 || !(fn->cancels & (1u << p)))
			return false;
	}
	return n > 0;
}

/* Does every project function a call of ref may run handle its own exceptions? */
static bool ref_handles(struct judge *j, const struct aa_ref *ref)
{
	uint32_t t[MAX_TARGETS];
	size_t n = ref_targets(j, ref, t, MAX_TARGETS);
	for (size_t i = 0; i < n; i++) {
		const struct susp_record *r;
		const struct susp_func *fn = facts_of(j, t[i], &r);
		if (!fn->handles || aa_index_func(j->x, t[i])->opaque)
			return false;
	}
	return n > 0;
}

static bool pending_cleared(struct judge *j, const struct susp_record *r, const struct susp_pending *p)
{
	if (p->handled >= 0 && p->n_clauses && r->clauses[p->first_clause].n_alts) {
		bool h = ref_handles(j, &r->alts[r->clauses[p->first_clause].first_alt].ref);
		if (h == (p->handled == AA_SUSP_UNLESS_HANDLED))
			return true;
	}
	for (uint32_t c = p->first_clause; c < p->first_clause + p->n_clauses; c++) {
		const struct susp_clause *cl = &r->clauses[c];
		bool holds = false;
		for (uint32_t a = cl->first_alt; a < cl->first_alt + cl->n_alts && !holds; a++) {
			const struct aa_susp_alt *alt = &r->alts[a];
			bool cut = false;
			holds = alt->arg == AA_SUSP_NEVER  ? ref_verdict(j, &alt->ref, Q_QUIET, 0, &cut) == YES
				: alt->arg == AA_SUSP_HELD ? ref_verdict(j, &alt->ref, Q_HELD, 0, &cut) == YES
							   : ref_cancels(j, &alt->ref, alt->arg);
		}
		if (!holds)
			return false;
	}
	return true;
}

static void link(struct aa_link *lk)
{
	struct judge j = { lk, aa_link_index(lk), { NULL } };
	size_t n = aa_link_count(lk), nf = aa_index_func_count(j.x);
	for (size_t i = 0; i < n; i++) {
		const struct susp_record *r = aa_link_record(lk, i);
		for (size_t k = 0; r && k < r->n_pending; k++) {
			const struct susp_pending *p = &r->pending[k];
			for (int q = 0; q < N_QUESTIONS && !j.verdicts[q]; q++)
				j.verdicts[q] = aa_xcalloc(nf ? nf : 1, 1);
			if (pending_cleared(&j, r, p))
				continue;
			struct aa_diag d = aa_link_finding(lk, i, p->rule, p->span, aa_xstrdup(p->message), &p->line);
			aa_link_report(lk, i, &d);
		}
	}
	for (int q = 0; q < N_QUESTIONS; q++)
		free(j.verdicts[q]);
}

static const char *const kinds[] = { "function_definition", "await", "with_statement", "for_statement",
				     "for_in_clause", NULL };

const struct aa_crossfile aa_crossfile_suspension = {
	.name = "suspension",
	.node_kinds = kinds,
	.summarize = summarize,
	.new_record = new_record,
	.finish_record = finish_record,
	.free_record = free_record,
	.demand = demand,
	.link = link,
};
