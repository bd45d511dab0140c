/*
 * AA401 swallowed-cancellation: in async context, an `except` that catches cancellation
 * (asyncio.CancelledError, trio.Cancelled, anyio.get_cancelled_exc_class(), BaseException,
 * bare `except:`) whose body can complete without re-raising it; also
 * `contextlib.suppress(CancelledError)`. A try body whose awaits are all of project
 * coroutines, or of tasks a project helper may have cancelled, is judged by the project
 * index (suspension.h).
 */
#include "rules/cancellation/scopes.h"
#include "rules/cancellation/swallowed.h"
#include "rules/shared/name_words.h"
#include "rules/shared/suspension.h"
#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"
#include "rules/testing/pytest_config.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"
#include "rules/rules.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_swallowed_cancellation;
extern const struct aa_rule aa_rule_cancelled_coroutine_returns;
extern const struct aa_rule aa_rule_catch_all_cancellation;

enum catch_kind {
	CATCH_NONE = 0,
	CATCH_NAMED, /* a cancellation class by name: only its own re-raise counts */
	CATCH_BROAD, /* BaseException or bare except: any raise counts */
};

/* Exactly these names are cancellation. concurrent.futures.CancelledError is an
 * Exception subclass distinct from asyncio's since Python 3.8: not cancellation. */
static bool is_cancel_qualname(const char *q)
{
	static const char *const names[] = { "asyncio.CancelledError", "asyncio.exceptions.CancelledError",
					     "asyncio.futures.CancelledError", "trio.Cancelled", NULL };
	for (const char *const *n = names; *n; n++)
		if (!strcmp(q, *n))
			return true;
	return false;
}

static enum catch_kind classify_one(struct aa_ctx *ctx, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	e = aa_node_unparen_at_most(s, e, AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(e))
		return CATCH_NONE;
	if (ts_node_symbol(e) == s->call) {
		const struct aa_callee *c = aa_ctx_callee(ctx, e);
		if (c && c->kind == AA_CALLEE_FUNCTION && c->qualname &&
		    !strcmp(c->qualname, "anyio.get_cancelled_exc_class"))
			return CATCH_NAMED;
		return CATCH_NONE;
	}
	if (ts_node_symbol(e) != s->identifier && ts_node_symbol(e) != s->attribute)
		return CATCH_NONE;
	struct aa_meaning m = aa_ctx_eval(ctx, e);
	if (m.kind != AA_MEANING_NAME || !m.qualname)
		return CATCH_NONE;
	if (is_cancel_qualname(m.qualname))
		return CATCH_NAMED;
	if (!strcmp(m.qualname, "builtins.BaseException"))
		return CATCH_BROAD;
	return CATCH_NONE;
}

/* What an exception expression (a class, a tuple of classes) catches. */
static enum catch_kind classify(struct aa_ctx *ctx, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	e = aa_node_unparen_at_most(s, e, AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(e))
		return CATCH_NONE;
	if (ts_node_symbol(e) != s->tuple && ts_node_symbol(e) != s->expression_list)
		return classify_one(ctx, e);
	enum catch_kind best = CATCH_NONE;
	uint32_t n = ts_node_named_child_count(e);
	for (uint32_t i = 0; i < n; i++) {
		enum catch_kind k = classify_one(ctx, ts_node_named_child(e, i));
		if (k > best)
			best = k;
	}
	return best;
}

/* Does an except clause name a cancellation class, alone or in a tuple (`except
 * (CancelledError, BaseException)` names it: the handler is about cancellation)? */
static bool clause_names_cancellation(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode v = ts_node_child_by_field_id(clause, s->f.value);
	if (!ts_node_is_null(v) && ts_node_symbol(v) == s->as_pattern)
		v = ts_node_named_child(v, 0);
	v = ts_node_is_null(v) ? v : aa_node_unparen_at_most(s, v, AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(v))
		return false;
	if (ts_node_symbol(v) != s->tuple && ts_node_symbol(v) != s->expression_list)
		return classify_one(ctx, v) == CATCH_NAMED;
	uint32_t n = ts_node_named_child_count(v);
	for (uint32_t i = 0; i < n; i++)
		if (classify_one(ctx, ts_node_named_child(v, i)) == CATCH_NAMED)
			return true;
	return false;
}

/* What an except clause catches: bare `except:` is BROAD. */
static enum catch_kind clause_catches(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode v = ts_node_child_by_field_id(clause, s->f.value);
	if (ts_node_is_null(v))
		return CATCH_BROAD;
	if (ts_node_symbol(v) == s->as_pattern) /* `except X as e` parses as an as_pattern */
		v = ts_node_named_child(v, 0);
	return classify(ctx, v);
}

/* The name the clause binds the caught exception to (`as e`), or a null node. */
static TSNode clause_alias(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode a = ts_node_child_by_field_id(clause, s->f.alias);
	if (!ts_node_is_null(a))
		return a;
	TSNode v = ts_node_child_by_field_id(clause, s->f.value);
	if (ts_node_is_null(v) || ts_node_symbol(v) != s->as_pattern)
		return (TSNode){ 0 };
	uint32_t n = ts_node_named_child_count(v);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(v, i);
		if (ts_node_symbol(c) == s->as_pattern_target)
			return ts_node_named_child_count(c) == 1 ? ts_node_named_child(c, 0) : c;
	}
	return (TSNode){ 0 };
}

static TSNode last_block(const struct aa_syms *s, TSNode n)
{
	uint32_t c = ts_node_named_child_count(n);
	for (uint32_t i = c; i > 0; i--) {
		TSNode b = ts_node_named_child(n, i - 1);
		if (ts_node_symbol(b) == s->block)
			return b;
	}
	return (TSNode){ 0 };
}

/* --- does the handler always re-raise? ------------------------------------------- */

/* How a handler can end: completes normally, returns, breaks out of or continues the loop
 * around its `try`, or raises something that is not the cancellation. */
enum { FLOW_FALL = 1, FLOW_RET = 2, FLOW_BRK = 4, FLOW_CONT = 8, FLOW_RAISE = 16 };
enum { FLOW_ESC = FLOW_RET | FLOW_BRK | FLOW_CONT | FLOW_RAISE }; /* leaves the handler early */
enum { MAX_FLOW_DEPTH = 24 };         /* deeper handlers are "unknown": treated as re-raising */

struct handler {
	struct aa_ctx *ctx;
	enum catch_kind kind;
	TSNode alias; /* `as e`: the caught object's name, or null */
};

/* Does this raise propagate the cancellation? BROAD: any raise. NAMED: a bare `raise`,
 * the caught object (`raise e`, with or without a cause), or a cancellation class. */
static bool raise_ok(const struct handler *h, TSNode st)
{
	struct aa_ctx *ctx = h->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (h->kind == CATCH_BROAD)
		return true;
	TSNode e = ts_node_named_child(st, 0);
	if (ts_node_is_null(e) || ts_node_eq(e, ts_node_child_by_field_id(st, s->f.cause)))
		return true; /* bare raise */
	e = aa_node_unparen_at_most(s, e, AA_UNPAREN_SOLE, 64);
	if (!ts_node_is_null(h->alias) && ts_node_symbol(e) == s->identifier &&
	    aa_node_same_text(aa_ctx_source(ctx)->text, e, h->alias))
		return true;
	if (ts_node_symbol(e) == s->call)
		e = ts_node_child_by_field_id(e, s->f.function);
	return classify_one(ctx, e) == CATCH_NAMED;
}

static unsigned flow_block(const struct handler *h, TSNode block, bool in_loop, int depth);

/* A statement that never completes: `sys.exit()`, `os._exit()`, `pytest.fail()`,
 * `pytest.skip()`, unittest's `self.fail()`. */
static bool never_returns(const struct handler *h, TSNode st)
{
	struct aa_ctx *ctx = h->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(st) != s->expression_statement || ts_node_named_child_count(st) != 1)
		return false;
	TSNode call = ts_node_named_child(st, 0);
	if (ts_node_symbol(call) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_symbol(fn) == s->attribute && aa_ctx_text_is(ctx, ts_node_child_by_field_id(fn, s->f.object), "self") &&
	    aa_ctx_text_is(ctx, ts_node_child_by_field_id(fn, s->f.attribute), "fail"))
		return true;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (!c || c->kind != AA_CALLEE_FUNCTION || !c->qualname)
		return false;
	static const char *const names[] = { "sys.exit", "os._exit", "pytest.fail", "pytest.skip", "pytest.exit", NULL };
	for (const char *const *n = names; *n; n++)
		if (!strcmp(c->qualname, *n))
			return true;
	return false;
}

static unsigned flow_stmt(const struct handler *h, TSNode st, bool in_loop, int depth)
{
	const struct aa_syms *s = aa_ctx_syms(h->ctx);
	TSSymbol k = ts_node_symbol(st);
	if (k == s->raise_statement)
		return raise_ok(h, st) ? 0 : FLOW_RAISE;
	if (k == s->return_statement)
		return FLOW_RET;
	if (never_returns(h, st))
		return 0;
	if (k == s->break_statement)
		return in_loop ? FLOW_FALL : FLOW_BRK;
	if (k == s->continue_statement)
		return in_loop ? FLOW_FALL : FLOW_CONT;
	if (k == s->if_statement) {
		unsigned r = flow_block(h, ts_node_child_by_field_id(st, s->f.consequence), in_loop, depth + 1);
		bool has_else = false;
		uint32_t n = ts_node_named_child_count(st);
		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(st, i);
			if (ts_node_symbol(c) == s->elif_clause)
				r |= flow_block(h, ts_node_child_by_field_id(c, s->f.consequence), in_loop, depth + 1);
			else if (ts_node_symbol(c) == s->else_clause) {
				has_else = true;
				r |= flow_block(h, ts_node_child_by_field_id(c, s->f.body), in_loop, depth + 1);
			}
		}
		return has_else ? r : (r | FLOW_FALL);
	}
	if (k == s->try_statement) {
		unsigned r = flow_block(h, ts_node_child_by_field_id(st, s->f.body), in_loop, depth + 1);
		TSNode fin = (TSNode){ 0 };
		uint32_t n = ts_node_named_child_count(st);
		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(st, i);
			TSSymbol ck = ts_node_symbol(c);
			if (ck == s->except_clause)
				r |= flow_block(h, last_block(s, c), in_loop, depth + 1);
			else if (ck == s->else_clause && (r & FLOW_FALL))
				r = (r & ~(unsigned)FLOW_FALL) |
				    flow_block(h, ts_node_child_by_field_id(c, s->f.body), in_loop, depth + 1);
			else if (ck == s->finally_clause)
				fin = c;
		}
		if (!ts_node_is_null(fin)) {
			unsigned f = flow_block(h, last_block(s, fin), in_loop, depth + 1);
			if (!(f & FLOW_FALL))
				return f; /* the finally always leaves: it decides */
			r |= f & FLOW_ESC;
		}
		return r;
	}
	if (k == s->with_statement)
		return flow_block(h, ts_node_child_by_field_id(st, s->f.body), in_loop, depth + 1);
	if (k == s->for_statement || k == s->while_statement) {
		unsigned r = flow_block(h, ts_node_child_by_field_id(st, s->f.body), true, depth + 1);
		return FLOW_FALL | (r & FLOW_ESC);
	}
	if (k == s->match_statement) {
		/* case bodies: look for escapes only; a match may fall through */
		unsigned r = FLOW_FALL;
		TSNode body = ts_node_child_by_field_id(st, s->f.body);
		uint32_t n = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(body, i);
			if (ts_node_symbol(c) == s->case_clause)
				r |= flow_block(h, ts_node_child_by_field_id(c, s->f.consequence), in_loop, depth + 1);
		}
		return r;
	}
	return FLOW_FALL;
}

/* Recursion is bounded by MAX_FLOW_DEPTH, not by the file's nesting. */
static unsigned flow_block(const struct handler *h, TSNode block, bool in_loop, int depth)
{
	if (ts_node_is_null(block) || depth > MAX_FLOW_DEPTH)
		return 0;
	const struct aa_syms *s = aa_ctx_syms(h->ctx);
	unsigned acc = 0;
	uint32_t n = ts_node_named_child_count(block);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(block, i);
		if (ts_node_symbol(st) == s->comment)
			continue;
		unsigned r = flow_stmt(h, st, in_loop, depth);
		acc |= r & FLOW_ESC;
		if (!(r & FLOW_FALL))
			return acc;
	}
	return acc | FLOW_FALL;
}

/* --- deliberate handling ------------------------------------------------------------ */

struct scan {
	struct aa_ctx *ctx;
	bool found;
};

static bool attr_call_named(struct aa_ctx *ctx, TSNode call, const char *name)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	return !ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute &&
	       aa_ctx_text_is(ctx, ts_node_child_by_field_id(fn, s->f.attribute), name);
}

/* Does an `if` condition (its text) ask about cancellation or the program's end: a name
 * with one of these words as a part (name_words.h: `_cancellation_count() > before`, `not
 * SHUTTING_DOWN.is_set()`, `self.isClosing`)? `shutil` and `disclosure` are no such
 * names. */
static bool asks_about_ending(const char *t, uint32_t len)
{
	static const char *const words[] = { "cancel",      "cancelled", "canceled",  "cancelling", "canceling",
					     "cancellation", "shut",     "shutdown",  "shutting",   "stop",
					     "stopped",     "stopping",  "close",     "closed",     "closing",
					     "exit",        "exiting",   "terminate", "terminated", "terminating",
					     "termination", "running",   NULL };
	return aa_name_words_any(t, len, words);
}

/* `task.uncancel()` / `task.cancelling()` in the handler, an isinstance() test that
 * re-raises (`if isinstance(e, CancelledError): raise`), or an `if` that asks about
 * cancellation or the program's end (asks_about_ending) and then always re-raises with
 * a bare `raise` (`if _cancel_count() > before: raise`, `if not SHUTTING_DOWN.is_set():
 * raise`): the handler decides about cancellation on purpose, swallowing it only where
 * its author chose to. A condition about anything else (`if queue.empty(): raise`)
 * swallows at random: still a finding. */
static enum aa_visit deliberate_visit(void *ud, TSNode n)
{
	struct scan *sc = ud;
	const struct aa_syms *s = aa_ctx_syms(sc->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	if (k == s->call && (attr_call_named(sc->ctx, n, "uncancel") || attr_call_named(sc->ctx, n, "cancelling"))) {
		sc->found = true;
		return AA_VISIT_STOP;
	}
	if (k == s->if_statement || k == s->elif_clause) {
		uint32_t len;
		TSNode cond = ts_node_child_by_field_id(n, s->f.condition);
		const char *t = aa_ctx_text(sc->ctx, cond, &len);
		bool isinst = false, names_exc = false;
		for (uint32_t i = 0; i + 10 <= len; i++)
			if (!memcmp(t + i, "isinstance", 10))
				isinst = true;
		for (uint32_t i = 0; i + 6 <= len; i++)
			if (!memcmp(t + i, "Cancel", 6) || (i + 9 <= len && !memcmp(t + i, "Exception", 9)))
				names_exc = true;
		/* NAMED without an alias: only a bare `raise` re-raises. */
		struct handler h = { .ctx = sc->ctx, .kind = isinst && names_exc ? CATCH_BROAD : CATCH_NAMED };
		bool decides = (isinst && names_exc) || asks_about_ending(t, len);
		unsigned flow = decides ? flow_block(&h, ts_node_child_by_field_id(n, s->f.consequence), false, 0) : FLOW_FALL;
		if (!(flow & FLOW_FALL) && (h.kind == CATCH_BROAD || !(flow & (FLOW_RET | FLOW_BRK | FLOW_CONT | FLOW_RAISE)))) {
			sc->found = true;
			return AA_VISIT_STOP;
		}
	}
	return AA_VISIT_DESCEND;
}

/* Does a comment say the swallowing is meant (`# Don't raise the exception here`,
 * `# deliberately swallowed`)? Lower-case phrases; a comment is matched without case. */
static bool comment_says_deliberate(struct aa_ctx *ctx, TSNode comment)
{
	static const char *const phrases[] = { "intentional", "deliberate", "on purpose", "don't raise",
					       "do not raise", "don't re-raise", "do not re-raise", "don't reraise",
					       "do not reraise", "don't propagate", "do not propagate",
					       "must not propagate", "swallow", NULL };
	uint32_t len;
	const char *t = aa_ctx_text(ctx, comment, &len);
	char low[256];
	uint32_t n = 0;
	for (uint32_t i = 0; i < len && n < sizeof(low) - 1; i++) {
		if (i + 2 < len && !memcmp(t + i, "\xe2\x80\x99", 3)) { /* a typographic apostrophe */
			low[n++] = '\'';
			i += 2;
		} else
			low[n++] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] - 'A' + 'a' : t[i]);
	}
	low[n] = 0;
	for (const char *const *p = phrases; *p; p++)
		if (strstr(low, *p))
			return true;
	return false;
}

static enum aa_visit comment_visit(void *ud, TSNode n)
{
	struct scan *sc = ud;
	const struct aa_syms *s = aa_ctx_syms(sc->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	if (k == s->comment && comment_says_deliberate(sc->ctx, n)) {
		sc->found = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* A comment in the clause (its line included) that says the handler swallows on purpose. */
static bool documented_deliberate(struct aa_ctx *ctx, TSNode clause)
{
	struct scan sc = { ctx, false };
	aa_subtree_walk(clause, 100000, comment_visit, &sc);
	return sc.found;
}

static bool handles_deliberately(struct aa_ctx *ctx, TSNode body)
{
	struct scan sc = { ctx, false };
	aa_subtree_walk(body, 100000, deliberate_visit, &sc);
	return sc.found;
}

/* --- the caught exception handed on ------------------------------------------------ */

/* The callee's last name is one of names (NULL-terminated). */
static bool callee_named(struct aa_ctx *ctx, TSNode call, const char *const *names)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (!ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute)
		fn = ts_node_child_by_field_id(fn, s->f.attribute);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->identifier)
		return false;
	for (const char *const *n = names; *n; n++)
		if (aa_ctx_text_is(ctx, fn, *n))
			return true;
	return false;
}

/* Calls that only report an exception: the alias passed to them does not hand it on. */
static bool is_report_call(struct aa_ctx *ctx, TSNode call)
{
	static const char *const names[] = { "print", "debug", "info", "warning", "warn", "error", "exception",
					     "critical", "fatal", "log", "print_exc", "format_exc", NULL };
	return callee_named(ctx, call, names);
}

/* Calls that look at the object and hand on only what the enclosing expression does
 * with their result (`type(e) is X`, `str(e)`). */
static bool is_view_call(struct aa_ctx *ctx, TSNode call)
{
	static const char *const names[] = { "str", "repr", "type", "format", "len", "id", "isinstance", NULL };
	return callee_named(ctx, call, names);
}

struct handoff {
	struct aa_ctx *ctx;
	TSNode alias;
	TSNode body;
	bool found;
};

/* Does this use of the caught object hand it on: stored (`errors.append(e)`,
 * `x = e`), returned, passed to a call that is not a report (`fut.set_exception(e)`,
 * `Error(e)`), compared (`if e is not value`, `type(e) is KeyError`) or asserted on? */
static bool use_hands_on(struct aa_ctx *ctx, TSNode id, TSNode body)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode child = id;
	TSNode p = ts_node_parent(id);
	bool viewed = false; /* seen through str()/type()...: only a comparison or assert counts */
	for (int g = 0; g < 64 && !ts_node_is_null(p) && !ts_node_eq(p, body); g++) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->call) {
			if (!ts_node_eq(child, ts_node_child_by_field_id(p, s->f.function))) {
				if (!is_view_call(ctx, p))
					return !viewed && !is_report_call(ctx, p);
				viewed = true;
			}
		} else if (k == s->assignment || k == s->augmented_assignment) {
			return !viewed && !ts_node_eq(child, ts_node_child_by_field_id(p, s->f.left));
		} else if (k == s->return_statement || k == s->yield) {
			return !viewed;
		} else if (k == s->comparison_operator || k == s->assert_statement) {
			return true;
		} else if (k == s->expression_statement || k == s->block || k == s->raise_statement) {
			return false;
		}
		child = p;
		p = ts_node_parent(p);
	}
	return false;
}

static enum aa_visit handoff_visit(void *ud, TSNode n)
{
	struct handoff *h = ud;
	const struct aa_syms *s = aa_ctx_syms(h->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	if (k == s->call) {
		const struct aa_callee *c = aa_ctx_callee(h->ctx, n);
		if (c && c->kind == AA_CALLEE_FUNCTION && c->qualname && !strcmp(c->qualname, "sys.exc_info")) {
			h->found = true;
			return AA_VISIT_STOP;
		}
	}
	if (k == s->identifier && !ts_node_is_null(h->alias) &&
	    aa_node_same_text(aa_ctx_source(h->ctx)->text, n, h->alias) &&
	    use_hands_on(h->ctx, n, h->body)) {
		h->found = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* The handler captures the exception to deliver it elsewhere (outcome's capture,
 * staggered races, cleanup loops that collect errors and raise them later). */
static bool hands_on(struct aa_ctx *ctx, TSNode body, TSNode alias)
{
	struct handoff h = { ctx, alias, body, false };
	aa_subtree_walk(body, 100000, handoff_visit, &h);
	return h.found;
}

/* --- the cancelled-task idiom ------------------------------------------------------ */

enum { MAX_CANCELLED = 32 };

/* What of a cancelled name is cancelled: the object itself (a receiver of `.cancel()`),
 * every element of an iterable (`for t in tasks: t.cancel()`), or, k >= 0, item k of
 * each element (`for name, t in items: t.cancel()` cancels item 1 of each of `items`). */
enum { ELEM_SELF = -2, ELEM_WHOLE = -1 };

struct cancelled_name {
	TSNode node; /* as written: compared by text */
	int elem;    /* ELEM_SELF, ELEM_WHOLE or an item number */
};

struct cancelled {
	struct aa_ctx *ctx;
	TSNode fn_body;
	struct cancelled_name names[MAX_CANCELLED];
	size_t n;
};

static void add_cancelled(struct cancelled *c, TSNode n, int elem)
{
	if (c->n < MAX_CANCELLED)
		c->names[c->n++] = (struct cancelled_name){ n, elem };
}

/* The iterable of a `for` loop around n, inside fn_body, that binds var (`for t in
 * tasks:` around `t.cancel()` gives `tasks`), or a null node; *elem says what var is of
 * each element: ELEM_WHOLE, or its position in a tuple target (`for name, t in items`). */
static TSNode loop_iterable(struct aa_ctx *ctx, TSNode fn_body, TSNode n, TSNode var, int *elem)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *src = aa_ctx_source(ctx)->text;
	TSNode p = ts_node_parent(n);
	for (int g = 0; g < 64 && !ts_node_is_null(p) && !ts_node_eq(p, fn_body); g++, p = ts_node_parent(p)) {
		if (ts_node_symbol(p) != s->for_statement)
			continue;
		TSNode left = ts_node_child_by_field_id(p, s->f.left);
		*elem = ELEM_WHOLE;
		if (aa_node_same_text(src, left, var))
			return ts_node_child_by_field_id(p, s->f.right);
		if (ts_node_symbol(left) != s->pattern_list && ts_node_symbol(left) != s->tuple_pattern)
			continue;
		uint32_t items = ts_node_named_child_count(left);
		for (uint32_t i = 0; i < items && i < 16; i++)
			if (aa_node_same_text(src, ts_node_named_child(left, i), var)) {
				*elem = (int)i;
				return ts_node_child_by_field_id(p, s->f.right);
			}
	}
	return (TSNode){ 0 };
}

/* Is e, awaited at node at, a task the function cancelled above: a cancelled name (or a
 * cancelled iterable, `gather(*tasks)`), or the variable of a loop over the same
 * iterable that takes the same item (`for name, t in items: t.cancel()`, then `for n2,
 * t2 in items: await t2`)? */
static bool is_cancelled(const struct cancelled *c, TSNode e, TSNode at)
{
	const char *src = aa_ctx_source(c->ctx)->text;
	for (size_t i = 0; i < c->n; i++)
		if (c->names[i].elem < 0 && aa_node_same_text(src, c->names[i].node, e))
			return true;
	if (ts_node_symbol(e) != aa_ctx_syms(c->ctx)->identifier)
		return false;
	int elem;
	TSNode iter = loop_iterable(c->ctx, c->fn_body, at, e, &elem);
	if (ts_node_is_null(iter))
		return false;
	for (size_t i = 0; i < c->n; i++)
		if (c->names[i].elem == elem && aa_node_same_text(src, c->names[i].node, iter))
			return true;
	return false;
}

/* --- can cancellation reach the try body? ------------------------------------------- */

/* What the awaits of a try body say: no await can be cancelled (each awaits a task the
 * function cancelled above), one can, or the project index decides (suspension.h). */
enum reach_verdict { REACH_NONE, REACH_YES, REACH_LINK };

struct awaits {
	struct cancelled *c;
	TSNode root;
	bool reached;              /* an await that nothing here or in the index can clear */
	struct aa_susp_cond *cond; /* the awaits the index may clear, one clause each */
	/* Per clause: the awaited task a helper called before the handler may cancel (a name
	 * or attribute), or a null node. */
	TSNode task[AA_SUSP_MAX_CLAUSES];
};

/* asyncio's waiters, whose arguments are the tasks awaited. */
static bool is_waiter(struct aa_ctx *ctx, TSNode call)
{
	static const char *const waiters[] = { "asyncio.gather", "asyncio.wait",        "asyncio.wait_for",
					       "asyncio.shield", "asyncio.wrap_future", NULL };
	const struct aa_callee *callee = aa_ctx_callee(ctx, call);
	if (!callee || callee->kind != AA_CALLEE_FUNCTION || !callee->qualname)
		return false;
	for (const char *const *w = waiters; *w; w++)
		if (!strcmp(callee->qualname, *w))
			return true;
	return false;
}

/* An await the file cannot clear: a clause saying what may (the awaited call never
 * suspends: never, when not NULL; a helper cancels the task: task, a name or attribute),
 * or reached when there is nothing to follow or no room. */
static void add_clause(struct awaits *w, const struct aa_ref *never, TSNode task)
{
	const struct aa_syms *s = aa_ctx_syms(w->c->ctx);
	if (!ts_node_is_null(task) && ts_node_symbol(task) != s->identifier && ts_node_symbol(task) != s->attribute)
		task = (TSNode){ 0 };
	if ((!never && ts_node_is_null(task)) || w->cond->n_clauses == AA_SUSP_MAX_CLAUSES) {
		w->reached = true;
		return;
	}
	struct aa_susp_clause *cl = &w->cond->clauses[w->cond->n_clauses];
	cl->n_alts = 0;
	if (never)
		cl->alts[cl->n_alts++] = (struct aa_susp_alt){ *never, AA_SUSP_NEVER };
	w->task[w->cond->n_clauses++] = task;
}

/* The tasks a waiter call awaits (its positional arguments, `*tasks`, a one-task list):
 * each cancelled above is harmless, a waiter inside is judged by its own arguments
 * (`wait_for(shield(task))`, to depth 4), the rest become clauses. */
static void judge_waiter(struct awaits *w, TSNode call, TSNode at, int depth)
{
	struct aa_ctx *ctx = w->c->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	uint32_t n = ts_node_named_child_count(args);
	bool some = false;
	for (uint32_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (ts_node_symbol(a) == s->keyword_argument || ts_node_symbol(a) == s->comment)
			continue;
		some = true;
		if (ts_node_symbol(a) == s->list_splat)
			a = ts_node_named_child(a, 0);
		/* asyncio.wait([t]) */
		if ((ts_node_symbol(a) == s->list || ts_node_symbol(a) == s->tuple || ts_node_symbol(a) == s->set) &&
		    ts_node_named_child_count(a) == 1)
			a = ts_node_named_child(a, 0);
		if (ts_node_symbol(a) == s->call && depth < 4 && is_waiter(ctx, a))
			judge_waiter(w, a, at, depth + 1);
		else if (!is_cancelled(w->c, a, at))
			add_clause(w, NULL, a);
	}
	if (!some)
		w->reached = true;
}

/* Is `e.done()` the condition of an `if` (alone, or an operand of `and`) whose body holds
 * at, in the same function? Awaiting a finished task or future returns at once: it never
 * suspends, so nothing can be cancelled there (`if task.done(): await task`). */
static bool known_done(struct aa_ctx *ctx, TSNode fn_body, TSNode at, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *src = aa_ctx_source(ctx)->text;
	TSNode child = at;
	TSNode p = ts_node_parent(at);
	for (int g = 0; g < 64 && !ts_node_is_null(p) && !ts_node_eq(p, fn_body); g++, child = p, p = ts_node_parent(p)) {
		if (ts_node_symbol(p) != s->if_statement ||
		    !ts_node_eq(child, ts_node_child_by_field_id(p, s->f.consequence)))
			continue;
		TSNode cond = aa_node_unparen_at_most(s, ts_node_child_by_field_id(p, s->f.condition), AA_UNPAREN_SOLE, 64);
		TSNode tests[2];
		tests[0] = cond;
		tests[1] = (TSNode){ 0 };
		if (!ts_node_is_null(cond) && ts_node_symbol(cond) == s->boolean_operator &&
		    aa_ctx_text_is(ctx, ts_node_child_by_field_id(cond, s->f.operator), "and")) {
			tests[0] = ts_node_child_by_field_id(cond, s->f.left);
			tests[1] = ts_node_child_by_field_id(cond, s->f.right);
		}
		for (int i = 0; i < 2; i++) {
			TSNode t = tests[i];
			if (ts_node_is_null(t) || ts_node_symbol(t) != s->call || !attr_call_named(ctx, t, "done"))
				continue;
			TSNode fn = ts_node_child_by_field_id(t, s->f.function);
			if (aa_node_same_text(src, ts_node_child_by_field_id(fn, s->f.object), e))
				return true;
		}
	}
	return false;
}

/* One awaited expression, awaited at node at: a task cancelled above (or
 * gather/wait/wait_for/shield over them) is harmless; the rest become clauses. */
static void judge_await(struct awaits *w, TSNode e, TSNode at)
{
	struct cancelled *c = w->c;
	struct aa_ctx *ctx = c->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	e = aa_node_unparen_at_most(s, e, AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(e)) {
		w->reached = true;
		return;
	}
	if (ts_node_symbol(e) != s->call) {
		if (!is_cancelled(c, e, at) && !known_done(ctx, c->fn_body, at, e))
			add_clause(w, NULL, e);
		return;
	}
	if (is_waiter(ctx, e)) {
		judge_waiter(w, e, at, 0);
		return;
	}
	struct aa_ref ref;
	if (aa_ctx_ref(ctx, e, &ref))
		add_clause(w, &ref, (TSNode){ 0 });
	else
		w->reached = true;
}

static enum aa_visit awaits_visit(void *ud, TSNode n)
{
	struct awaits *w = ud;
	struct aa_ctx *ctx = w->c->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(n);
	if (!ts_node_eq(n, w->root) && aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	if (k == s->with_statement && aa_scope_is_shielded(ctx, n))
		return AA_VISIT_SKIP; /* as aa_scope_reaches_await: nothing outside cancels it */
	if (k == s->await)
		judge_await(w, ts_node_named_child(n, 0), n);
	else if ((k == s->with_statement || k == s->for_statement || k == s->for_in_clause) &&
		 aa_node_has_async_keyword(s, n))
		w->reached = true;
	return w->reached ? AA_VISIT_STOP : AA_VISIT_DESCEND;
}

/* --- what a function cancels, and hands to helpers, found once ------------------------- */

/* A `.cancel` of recv (called, or handed to call_soon/call_later) at pos; iter is the
 * iterable of a loop around it that binds recv (elem: what recv is of each element), or
 * a null node. */
struct cancel_site {
	uint32_t pos;
	TSNode recv, iter;
	int elem;
};

/* A positional argument (number arg) of call at pos, by the text it is compared with: the
 * argument as written, or the iterable of a loop that binds it whole (`for t in tasks:
 * stop(t)` is listed under `tasks` too). */
struct helper_arg {
	uint32_t pos;
	const char *text; /* borrowed from the source */
	uint32_t len;
	TSNode call;
	int arg;
};

/* One function's sites, from one walk of its body (nested defs aside), in source order;
 * args sorted by text, then position. A handler asks for those before it. */
struct fn_sites {
	TSNode body;
	uint32_t self_cancel; /* position of the first `asyncio.current_task().cancel`, or UINT32_MAX */
	struct cancel_site *cancels; /* owned (AA_GROW) */
	size_t n_cancels, cap_cancels;
	struct helper_arg *args; /* owned (AA_GROW) */
	size_t n_args, cap_args;
};

/* Per file: whether the file is one the project's tests are collected from. */
struct test_file {
	struct aa_pytest_config cfg;
	bool collected; /* pytest's python_files, or unittest's default discovery `test*.py` */
};

enum { FN_SITES_KEPT = 8 }; /* functions remembered: nested defs interleave their handlers */

/* The rule's memo for a file (aa_ctx_file_memo): the test-file facts, the last
 * functions' sites, and after()'s answers: what the statements from one on do
 * (scan_from), and whether a loop awaits more than clean-up (loop_works). A file of n
 * handlers one after another in one block, or in one loop, asks about the same
 * statements n times: each is scanned once. Those keys are start bytes (ns; empty data):
 * a statement of a block and a loop start where no other such statement does. */
struct file_memo {
	struct test_file *tests; /* owned, made on first use */
	struct fn_sites fns[FN_SITES_KEPT];
	size_t next; /* the slot the next function replaces */
	struct aa_map from;  /* a block's statement -> its enum rest + 1 */
	struct aa_map loops; /* a for/while statement -> 1 awaits more than clean-up, 0 not */
	TSNode *walk;        /* owned; scan_from's statements waiting for their answer */
	size_t walk_cap;
};

struct sites_walk {
	struct aa_ctx *ctx;
	struct fn_sites *fs;
};

static void add_arg(struct fn_sites *fs, const char *src, uint32_t pos, TSNode key, TSNode call, int arg)
{
	AA_GROW(fs->args, fs->cap_args, fs->n_args + 1);
	fs->args[fs->n_args++] = (struct helper_arg){ pos, src + ts_node_start_byte(key),
						      ts_node_end_byte(key) - ts_node_start_byte(key), call, arg };
}

static enum aa_visit sites_visit(void *ud, TSNode n)
{
	struct sites_walk *sw = ud;
	struct aa_ctx *ctx = sw->ctx;
	struct fn_sites *fs = sw->fs;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *src = aa_ctx_source(ctx)->text;
	TSSymbol k = ts_node_symbol(n);
	if (!ts_node_eq(n, fs->body) && aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	uint32_t pos = ts_node_start_byte(n);
	if (k == s->attribute && aa_ctx_text_is(ctx, ts_node_child_by_field_id(n, s->f.attribute), "cancel")) {
		TSNode recv = ts_node_child_by_field_id(n, s->f.object);
		if (ts_node_symbol(recv) == s->call && fs->self_cancel == UINT32_MAX) {
			const struct aa_callee *cc = aa_ctx_callee(ctx, recv);
			if (cc && cc->kind == AA_CALLEE_FUNCTION && cc->qualname &&
			    !strcmp(cc->qualname, "asyncio.current_task"))
				fs->self_cancel = pos;
		}
		struct cancel_site site = { .pos = pos, .recv = recv, .elem = ELEM_WHOLE };
		site.iter = loop_iterable(ctx, fs->body, n, recv, &site.elem);
		AA_GROW(fs->cancels, fs->cap_cancels, fs->n_cancels + 1);
		fs->cancels[fs->n_cancels++] = site;
	} else if (k == s->call) {
		TSNode args = ts_node_child_by_field_id(n, s->f.arguments);
		if (ts_node_symbol(args) != s->argument_list)
			return AA_VISIT_DESCEND;
		uint32_t na = ts_node_named_child_count(args);
		int arg = 0;
		for (uint32_t i = 0; i < na && arg < 16; i++) {
			TSNode a = ts_node_named_child(args, i);
			TSSymbol ak = ts_node_symbol(a);
			if (ak == s->list_splat || ak == s->dictionary_splat)
				break; /* later positions are unknown */
			if (ak == s->keyword_argument || ak == s->comment)
				continue;
			if (ak == s->identifier || ak == s->attribute)
				add_arg(fs, src, pos, a, n, arg);
			if (ak == s->identifier) {
				int elem;
				TSNode tasks = loop_iterable(ctx, fs->body, n, a, &elem);
				if (!ts_node_is_null(tasks) && elem == ELEM_WHOLE) /* not an item of each element */
					add_arg(fs, src, pos, tasks, n, arg);
			}
			arg++;
		}
	}
	return AA_VISIT_DESCEND;
}

static int compare_args(const void *a, const void *b)
{
	const struct helper_arg *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->text, y->text, n);
	if (r)
		return r;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static void release_sites(struct fn_sites *fs)
{
	free(fs->cancels);
	free(fs->args);
	*fs = (struct fn_sites){ 0 };
}

static void free_file_memo(void *p)
{
	struct file_memo *m = p;
	if (m->tests) {
		aa_pytest_config_release(&m->tests->cfg);
		free(m->tests);
	}
	for (size_t i = 0; i < FN_SITES_KEPT; i++)
		release_sites(&m->fns[i]);
	aa_map_release(&m->from);
	aa_map_release(&m->loops);
	free(m->walk);
	free(m);
}

static struct file_memo *file_memo(struct aa_ctx *ctx)
{
	void **slot = aa_ctx_file_memo(ctx, &aa_rule_swallowed_cancellation, free_file_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct file_memo));
	return *slot;
}

/* The sites of the function whose body is body: remembered, or found by one walk. */
static const struct fn_sites *function_sites(struct aa_ctx *ctx, TSNode body)
{
	struct file_memo *m = file_memo(ctx);
	for (size_t i = 0; i < FN_SITES_KEPT; i++)
		if (!ts_node_is_null(m->fns[i].body) && ts_node_eq(m->fns[i].body, body))
			return &m->fns[i];
	struct fn_sites *fs = &m->fns[m->next];
	m->next = (m->next + 1) % FN_SITES_KEPT;
	release_sites(fs);
	fs->body = body;
	fs->self_cancel = UINT32_MAX;
	struct sites_walk sw = { ctx, fs };
	aa_subtree_walk(body, 200000, sites_visit, &sw); /* past the bound: what was found */
	if (fs->n_args) /* qsort's array may not be NULL, even empty */
		qsort(fs->args, fs->n_args, sizeof(*fs->args), compare_args);
	return fs;
}

/* The calls before the handler that may cancel the awaited tasks of w's clauses: a call
 * that may be project code, with the task (or the loop variable over it, `for t in
 * tasks: stop(t)`) as a positional argument, adds that alternative to the clause. */
static void add_helpers(struct awaits *w, const struct fn_sites *fs, uint32_t before)
{
	struct aa_ctx *ctx = w->c->ctx;
	const char *src = aa_ctx_source(ctx)->text;
	for (size_t cl = 0; cl < w->cond->n_clauses; cl++) {
		TSNode task = w->task[cl];
		if (ts_node_is_null(task))
			continue;
		struct helper_arg key = { .text = src + ts_node_start_byte(task),
					  .len = ts_node_end_byte(task) - ts_node_start_byte(task) };
		size_t lo = 0, hi = fs->n_args; /* the first entry not before (text, 0) */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (compare_args(&fs->args[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		struct aa_susp_clause *c = &w->cond->clauses[cl];
		for (size_t i = lo; i < fs->n_args && c->n_alts < AA_SUSP_MAX_ALTS; i++) {
			const struct helper_arg *e = &fs->args[i];
			if (e->len != key.len || memcmp(e->text, key.text, key.len) || e->pos >= before)
				break;
			struct aa_ref ref;
			if (aa_ctx_ref(ctx, e->call, &ref))
				c->alts[c->n_alts++] = (struct aa_susp_alt){ ref, e->arg };
		}
	}
}

/* Can cancellation reach body, the try body of the handler at anchor (or the body of a
 * `with suppress(...)`), whose handler starts at byte before? REACH_NONE when it awaits
 * only tasks the enclosing function cancelled before that byte (`asyncio.current_task()
 * .cancel()` cancels them all); REACH_LINK when the rest are awaits the project index
 * may clear (*cond says how); else REACH_YES. */
static enum reach_verdict reaches_body(struct aa_ctx *ctx, TSNode anchor, TSNode body, uint32_t before,
				       struct aa_susp_cond *cond)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = aa_ctx_parent(ctx, anchor);
	for (int g = 0; g < 4096 && !ts_node_is_null(fn) && ts_node_symbol(fn) != s->function_definition; g++)
		fn = aa_ctx_parent(ctx, fn);
	if (ts_node_is_null(fn))
		return REACH_YES;
	struct cancelled c = { .ctx = ctx };
	c.fn_body = ts_node_child_by_field_id(fn, s->f.body);
	const struct fn_sites *fs = function_sites(ctx, c.fn_body);
	if (fs->self_cancel < before)
		return REACH_NONE;
	for (size_t i = 0; i < fs->n_cancels && fs->cancels[i].pos < before; i++) {
		add_cancelled(&c, fs->cancels[i].recv, ELEM_SELF);
		if (!ts_node_is_null(fs->cancels[i].iter))
			add_cancelled(&c, fs->cancels[i].iter, fs->cancels[i].elem);
	}
	cond->n_clauses = 0;
	struct awaits w = { .c = &c, .root = body, .cond = cond };
	if (!aa_subtree_walk(body, 200000, awaits_visit, &w) && !w.reached)
		return REACH_YES; /* too large to judge */
	if (w.reached)
		return REACH_YES;
	if (!cond->n_clauses)
		return REACH_NONE;
	bool tasks = false;
	for (size_t i = 0; i < cond->n_clauses; i++)
		tasks |= !ts_node_is_null(w.task[i]);
	if (tasks)
		add_helpers(&w, fs, before);
	for (size_t i = 0; i < cond->n_clauses; i++)
		if (!cond->clauses[i].n_alts)
			return REACH_YES;
	return REACH_LINK;
}

/* --- what the coroutine does after the handler ----------------------------------------- */

enum { MAX_CLIMB = 4096 };

enum next_step {
	NEXT_ENDS = 0, /* it reaches its end or a `return`, with no await on the way */
	NEXT_RAISES,   /* it reaches a `raise`, with no await on the way */
	NEXT_AWAITS,   /* it goes on to another await (or yield) */
	NEXT_LOOPS,    /* it runs the body of a loop around it again, which awaited */
};

/* The loop a `break` or `continue` at stmt's level leaves or repeats (the innermost
 * for/while around stmt in its function), or a null node. */
static TSNode loop_around(struct aa_ctx *ctx, TSNode stmt)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode cur = stmt;
	for (int g = 0; g < MAX_CLIMB; g++) {
		TSNode p = aa_ctx_parent(ctx, cur);
		if (ts_node_is_null(p) || aa_kind_is_definition(s, ts_node_symbol(p), true))
			break;
		if ((ts_node_symbol(p) == s->for_statement || ts_node_symbol(p) == s->while_statement) &&
		    ts_node_symbol(cur) != s->else_clause)
			return p;
		cur = p;
	}
	return (TSNode){ 0 };
}

/* What the statements of a block from n on (n itself included) do first. */
enum rest { REST_FALLS = 0, REST_AWAITS, REST_ENDS, REST_RAISES, REST_BREAKS, REST_CONTINUES };

static enum rest scan_from(struct aa_ctx *ctx, TSNode n)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct file_memo *m = file_memo(ctx);
	size_t n_walk = 0;
	enum rest r = REST_FALLS;
	for (; !ts_node_is_null(n); n = ts_node_next_named_sibling(n)) {
		struct aa_map_key key = aa_map_key("", 0, ts_node_start_byte(n));
		uint32_t known = aa_map_get(&m->from, &key);
		if (known != AA_MAP_NONE) {
			r = (enum rest)(known - 1);
			break;
		}
		AA_GROW(m->walk, m->walk_cap, n_walk + 1);
		m->walk[n_walk++] = n;
		TSSymbol nk = ts_node_symbol(n);
		if (nk == s->comment || nk == s->decorated_definition || aa_kind_is_definition(s, nk, true))
			continue;
		if (aa_scope_reaches_await(ctx, n, AA_REACH_YIELD | AA_REACH_WORK)) {
			r = REST_AWAITS;
			break;
		}
		if (nk == s->return_statement) {
			r = REST_ENDS;
			break;
		}
		if (nk == s->raise_statement) {
			r = REST_RAISES;
			break;
		}
		if (nk == s->break_statement || nk == s->continue_statement) {
			r = nk == s->break_statement ? REST_BREAKS : REST_CONTINUES;
			break;
		}
	}
	for (size_t i = 0; i < n_walk; i++) {
		struct aa_map_key key = aa_map_key("", 0, ts_node_start_byte(m->walk[i]));
		aa_map_put(&m->from, &key, (uint32_t)r + 1, NULL);
	}
	return r;
}

/* Is loop `while not t.done():` with every await in its body one of t (`await t`,
 * `await asyncio.shield(t)`, `await asyncio.wait({t}, timeout=...)`)? Such a loop waits
 * out a task through cancellation on purpose (a clean-up the coroutine must not abandon
 * half-way) and ends when t does: what follows it decides whether the coroutine runs on. */
static bool waits_out_task(struct aa_ctx *ctx, TSNode loop)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	/* A loop with an `else` runs it when the task is done: judged as it was. */
	if (ts_node_symbol(loop) != s->while_statement ||
	    !ts_node_is_null(ts_node_child_by_field_id(loop, s->f.alternative)))
		return false;
	TSNode cond = aa_node_unparen_at_most(s, ts_node_child_by_field_id(loop, s->f.condition), AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(cond) || ts_node_symbol(cond) != s->not_operator)
		return false;
	TSNode done = aa_node_unparen_at_most(s, ts_node_child_by_field_id(cond, s->f.argument), AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(done) || ts_node_symbol(done) != s->call || !attr_call_named(ctx, done, "done") ||
	    ts_node_named_child_count(ts_node_child_by_field_id(done, s->f.arguments)) != 0)
		return false;
	TSNode body = ts_node_child_by_field_id(loop, s->f.body);
	struct cancelled c = { .ctx = ctx, .fn_body = loop };
	add_cancelled(&c, ts_node_child_by_field_id(ts_node_child_by_field_id(done, s->f.function), s->f.object),
		      ELEM_SELF);
	struct aa_susp_cond waits = { 0 };
	struct awaits w = { .c = &c, .root = body, .cond = &waits };
	return !ts_node_is_null(body) && aa_subtree_walk(body, 200000, awaits_visit, &w) && !w.reached &&
	       waits.n_clauses == 0;
}

/* Does the loop (a for or while statement) await anything but clean-up (its body, its
 * condition, `async for`, its `else`), or a task it waits out (waits_out_task)? */
static bool loop_works(struct aa_ctx *ctx, TSNode loop)
{
	struct file_memo *m = file_memo(ctx);
	struct aa_map_key key = aa_map_key("", 0, ts_node_start_byte(loop));
	uint32_t known = aa_map_get(&m->loops, &key);
	if (known == AA_MAP_NONE) {
		known = aa_scope_reaches_await(ctx, loop, AA_REACH_YIELD | AA_REACH_WORK) && !waits_out_task(ctx, loop);
		aa_map_put(&m->loops, &key, known, NULL);
	}
	return known;
}

/* Control leaves stmt (a statement of the coroutine, at any depth) normally: what does
 * the coroutine do next? Climbs the enclosing statements of the same function: a later
 * statement that awaits, a `try`'s `else` that awaits (when stmt ends that try's body)
 * or an enclosing loop that awaits says it runs on (awaits that only end something, `await
 * conn.close()`, are the coroutine cleaning up before it ends: they do not count); a later `return` or `raise` with no await
 * in it ends the climb; a later `break` goes on after the loop, a `continue` into its
 * next turn. Nested definitions are not run. A climb past the bound answers
 * NEXT_AWAITS, the form that stays reported. */
static enum next_step after(struct aa_ctx *ctx, TSNode stmt)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode cur = stmt;
	for (int g = 0; g < MAX_CLIMB; g++) {
		TSNode p = aa_ctx_parent(ctx, cur);
		if (ts_node_is_null(p) || ts_node_symbol(p) == s->module || aa_kind_is_definition(s, ts_node_symbol(p), true))
			return NEXT_ENDS;
		TSSymbol k = ts_node_symbol(p);
		if (k == s->block) {
			enum rest later = scan_from(ctx, ts_node_next_named_sibling(cur));
			if (later == REST_AWAITS)
				return NEXT_AWAITS;
			if (later == REST_ENDS)
				return NEXT_ENDS;
			if (later == REST_RAISES)
				return NEXT_RAISES;
			if (later == REST_BREAKS || later == REST_CONTINUES) {
				/* Out of the loop (its `else` skipped), or into its next turn. */
				TSNode loop = loop_around(ctx, cur);
				if (ts_node_is_null(loop))
					return NEXT_AWAITS;
				if (later == REST_CONTINUES && loop_works(ctx, loop))
					return NEXT_LOOPS;
				cur = loop;
				continue;
			}
		} else if ((k == s->for_statement || k == s->while_statement) && ts_node_symbol(cur) != s->else_clause) {
			/* The body runs again: running on, unless all the loop awaits is clean-up
			 * (`for vc in clients: try: await vc.disconnect() except
			 * CancelledError: ...`), after which what follows the loop decides. */
			if (loop_works(ctx, p))
				return NEXT_LOOPS;
		} else if (k == s->try_statement && ts_node_eq(cur, ts_node_child_by_field_id(p, s->f.body))) {
			uint32_t n = ts_node_named_child_count(p);
			for (uint32_t i = 0; i < n; i++) {
				TSNode c = ts_node_named_child(p, i);
				if (ts_node_symbol(c) == s->else_clause &&
				    aa_scope_reaches_await(ctx, c, AA_REACH_YIELD | AA_REACH_WORK))
					return NEXT_AWAITS;
			}
		}
		cur = p;
	}
	return NEXT_AWAITS;
}

/* What the coroutine does after a handler of try that ends as flow says (FLOW_* bits):
 * running on wins over ending (it loops again, or awaits), and returning normally over
 * raising something else (the canceller then sees nothing at all). */
static enum next_step after_handler(struct aa_ctx *ctx, TSNode try, unsigned flow)
{
	enum next_step way[2] = { NEXT_RAISES, NEXT_RAISES }; /* after falling through; after the loop */
	if (flow & FLOW_FALL)
		way[0] = after(ctx, try);
	if (flow & (FLOW_BRK | FLOW_CONT)) {
		TSNode loop = loop_around(ctx, try);
		if (!ts_node_is_null(loop))
			way[1] = flow & FLOW_CONT && loop_works(ctx, loop) ? NEXT_LOOPS : after(ctx, loop);
	}
	enum next_step runs = way[0] > way[1] ? way[0] : way[1];
	if (runs >= NEXT_AWAITS)
		return runs;
	return (flow & FLOW_RET) || way[0] == NEXT_ENDS || way[1] == NEXT_ENDS ? NEXT_ENDS : NEXT_RAISES;
}

/* Does statement st (of a handler's body, at its top level) make cond, the condition of
 * the while loop around the handler, false: `T = False/None/0` for `while T:`,
 * `T = True` for `while not T:`, `T.set()` for `while not T.is_set():`? */
static bool stops_condition(struct aa_ctx *ctx, TSNode st, TSNode cond)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *src = aa_ctx_source(ctx)->text;
	if (ts_node_symbol(st) != s->expression_statement || ts_node_named_child_count(st) != 1)
		return false;
	TSNode e = ts_node_named_child(st, 0);
	bool negated = ts_node_symbol(cond) == s->not_operator;
	TSNode tested = negated ? aa_node_unparen_at_most(s, ts_node_child_by_field_id(cond, s->f.argument),
							     AA_UNPAREN_SOLE, 64)
				: cond;
	if (ts_node_is_null(tested))
		return false;
	if (ts_node_symbol(e) == s->call) {
		/* while not ev.is_set(): ... ev.set() */
		if (!negated || ts_node_symbol(tested) != s->call || !attr_call_named(ctx, tested, "is_set") ||
		    !attr_call_named(ctx, e, "set"))
			return false;
		TSNode a = ts_node_child_by_field_id(ts_node_child_by_field_id(tested, s->f.function), s->f.object);
		TSNode b = ts_node_child_by_field_id(ts_node_child_by_field_id(e, s->f.function), s->f.object);
		return aa_node_same_text(src, a, b);
	}
	if (ts_node_symbol(e) != s->assignment || (ts_node_symbol(tested) != s->identifier && ts_node_symbol(tested) != s->attribute))
		return false;
	TSNode left = ts_node_child_by_field_id(e, s->f.left);
	TSNode right = ts_node_child_by_field_id(e, s->f.right);
	if (ts_node_is_null(right) || !aa_node_same_text(src, left, tested))
		return false;
	TSSymbol rk = ts_node_symbol(right);
	if (negated)
		return rk == s->true_;
	return rk == s->false_ || rk == s->none || aa_ctx_text_is(ctx, right, "0");
}

/* Does statement st (after one that stopped cond) name what cond tests: the flag, or the
 * event (`self.running = True`, `ev.clear()`)? Then it may undo the stop. */
static bool touches_condition(struct aa_ctx *ctx, TSNode st, TSNode cond)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode tested = ts_node_symbol(cond) == s->not_operator
				? aa_node_unparen_at_most(s, ts_node_child_by_field_id(cond, s->f.argument), AA_UNPAREN_SOLE, 64)
				: cond;
	if (!ts_node_is_null(tested) && ts_node_symbol(tested) == s->call) /* ev.is_set(): ev */
		tested = ts_node_child_by_field_id(ts_node_child_by_field_id(tested, s->f.function), s->f.object);
	if (ts_node_is_null(tested))
		return true;
	uint32_t tlen, len;
	const char *t = aa_ctx_text(ctx, tested, &tlen);
	const char *x = aa_ctx_text(ctx, st, &len);
	for (uint32_t i = 0; tlen && i + tlen <= len; i++)
		if (!memcmp(x + i, t, tlen))
			return true;
	return false;
}

/* The while loop the handler's try ends the body of (directly, or inside `with` blocks
 * that end the body), when the handler (falling through) makes its condition false
 * (stops_condition), with nothing that awaits or leaves between the try and the loop's
 * test: the loop ends, and what follows it decides. A null node otherwise. */
static TSNode loop_the_handler_ends(struct aa_ctx *ctx, TSNode try, TSNode hbody)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	/* The try may sit in `with` / `async with` blocks of the loop's body (`while not
	 * stop: async with client: try: ...`): leaving them is falling through, when what
	 * follows each falls through too. */
	TSNode stmt = try, loop = { 0 };
	for (int depth = 0; depth < 8; depth++) {
		if (scan_from(ctx, ts_node_next_named_sibling(stmt)) != REST_FALLS)
			return (TSNode){ 0 };
		TSNode block = aa_ctx_parent(ctx, stmt);
		TSNode up = ts_node_is_null(block) ? block : aa_ctx_parent(ctx, block);
		if (ts_node_is_null(up) || ts_node_symbol(block) != s->block)
			return (TSNode){ 0 };
		if (ts_node_symbol(up) == s->while_statement) {
			loop = up;
			break;
		}
		if (ts_node_symbol(up) != s->with_statement)
			return (TSNode){ 0 };
		stmt = up;
	}
	if (ts_node_is_null(loop) || !ts_node_is_null(ts_node_child_by_field_id(loop, s->f.alternative)))
		return (TSNode){ 0 };
	TSNode cond = aa_node_unparen_at_most(s, ts_node_child_by_field_id(loop, s->f.condition), AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(cond))
		return (TSNode){ 0 };
	/* The last statement that names what the condition tests decides: a later
	 * `self.running = True` undoes an earlier `self.running = False`. */
	bool stopped = false;
	uint32_t n = ts_node_named_child_count(hbody);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(hbody, i);
		if (stops_condition(ctx, st, cond))
			stopped = true;
		else if (stopped && touches_condition(ctx, st, cond))
			stopped = false;
	}
	return stopped ? loop : (TSNode){ 0 };
}

/* --- clean-up code --------------------------------------------------------------------- */

static bool handles_deliberately(struct aa_ctx *ctx, TSNode body);
static bool hands_on(struct aa_ctx *ctx, TSNode body, TSNode alias);

/* How an except clause ends what it caught. */
enum carry {
	CARRY_NONE = 0, /* it may go on as if nothing happened */
	CARRY_RAISES,   /* it always raises (what it caught may be another exception) */
	CARRY_KEEPS,    /* it catches cancellation by name and always re-raises it, keeps it to
			   raise or deliver later, or decides about it on purpose */
};

static enum carry clause_carry(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode body = last_block(s, clause);
	if (ts_node_is_null(body))
		return CARRY_NONE;
	struct handler any = { .ctx = ctx, .kind = CATCH_BROAD };
	bool raises = flow_block(&any, body, false, 0) == 0;
	if (clause_catches(ctx, clause) == CATCH_NAMED &&
	    (raises || hands_on(ctx, body, clause_alias(ctx, clause)) || handles_deliberately(ctx, body)))
		return CARRY_KEEPS;
	return raises ? CARRY_RAISES : CARRY_NONE;
}

/* The outermost clean-up clause around node in its function: a `finally` clause, or an
 * except clause that always raises; a null node when there is none. A cancellation
 * caught in there arrived while the coroutine was cleaning up after another outcome,
 * which goes on when the clean-up ends (the first cancellation included): what counts
 * is what the coroutine does after the clause, not inside it. *kept is set when an
 * except clause on the way keeps its exception to raise later (CARRY_KEEPS): the
 * cancellation that counts is that one, and nothing here swallows it. */
static TSNode cleanup_clause(struct aa_ctx *ctx, TSNode node, bool *kept)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode found = { 0 };
	TSNode cur = node;
	*kept = false;
	for (int g = 0; g < MAX_CLIMB; g++) {
		TSNode p = aa_ctx_parent(ctx, cur);
		if (ts_node_is_null(p) || aa_kind_is_definition(s, ts_node_symbol(p), true))
			break;
		if (ts_node_symbol(p) == s->finally_clause)
			found = p;
		else if (ts_node_symbol(p) == s->except_clause) {
			enum carry carry = clause_carry(ctx, p);
			if (carry == CARRY_KEEPS) {
				*kept = true;
				return (TSNode){ 0 };
			}
			if (carry == CARRY_RAISES)
				found = p;
		}
		cur = p;
	}
	return found;
}

/* What the coroutine does after the clean-up clause ends: after a `finally`, what follows
 * its try statement (a finally entered by an exception re-raises it instead); an except
 * clause raises. */
static enum next_step after_cleanup(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode try = aa_ctx_parent(ctx, clause);
	if (ts_node_symbol(clause) == s->finally_clause)
		return after(ctx, try);
	return NEXT_RAISES; /* an except clause found by cleanup_clause always raises */
}

/* --- tests that cause the cancellation themselves --------------------------------------- */

static const struct test_file *test_file(struct aa_ctx *ctx)
{
	struct file_memo *m = file_memo(ctx);
	if (!m->tests) {
		struct test_file *t = aa_xcalloc(1, sizeof(*t));
		const char *path = aa_ctx_path(ctx);
		aa_pytest_config_load(&t->cfg, path);
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		size_t len = strlen(base);
		t->collected = aa_pytest_collects_file(&t->cfg, path) ||
			       (len >= 7 && !strncmp(base, "test", 4) && !strcmp(base + len - 3, ".py"));
		m->tests = t;
	}
	return m->tests;
}

/* The outermost def around node that the project's test naming makes a test function
 * (pytest's python_functions; in a class also unittest's `test` prefix), in a test
 * file; a null node when there is none. */
static TSNode enclosing_test(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode test = { 0 };
	const struct test_file *tf = NULL;
	for (int g = 0; g < MAX_CLIMB; g++) {
		node = aa_ctx_parent(ctx, node);
		if (ts_node_is_null(node))
			break;
		if (ts_node_symbol(node) != s->function_definition)
			continue;
		if (!tf && !(tf = test_file(ctx))->collected)
			return test;
		uint32_t len;
		const char *name = aa_ctx_text(ctx, ts_node_child_by_field_id(node, s->f.name), &len);
		TSNode up = aa_ctx_parent(ctx, node);
		if (!ts_node_is_null(up) && ts_node_symbol(up) == s->decorated_definition)
			up = aa_ctx_parent(ctx, up);
		bool in_class = !ts_node_is_null(up) && ts_node_symbol(up) == s->block &&
				ts_node_symbol(aa_ctx_parent(ctx, up)) == s->class_definition;
		if (aa_pytest_matches_function(&tf->cfg, name, len) || (in_class && len >= 4 && !memcmp(name, "test", 4)))
			test = node;
	}
	return test;
}

struct injection {
	struct aa_ctx *ctx;
	TSNode test;   /* the test function */
	TSNode clause; /* the handler judged: its own raises are not injections */
	TSNode target; /* bound_visit: the receiver looked for */
	bool found;
};

static enum aa_visit names_cancel_visit(void *ud, TSNode n)
{
	struct injection *in = ud;
	const struct aa_syms *s = aa_ctx_syms(in->ctx);
	if ((ts_node_symbol(n) == s->identifier || ts_node_symbol(n) == s->attribute) &&
	    classify_one(in->ctx, n) == CATCH_NAMED) {
		in->found = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* Does expr name a cancellation class anywhere (`[ValueError(), CancelledError()]`)? */
static bool names_cancellation(struct aa_ctx *ctx, TSNode expr)
{
	struct injection in = { .ctx = ctx };
	if (!ts_node_is_null(expr))
		aa_subtree_walk(expr, 10000, names_cancel_visit, &in);
	return in.found;
}

/* Is n a binding of in->target: the left of an assignment, a `with ... as` target or a
 * `for` target? */
static enum aa_visit bound_visit(void *ud, TSNode n)
{
	struct injection *in = ud;
	const struct aa_syms *s = aa_ctx_syms(in->ctx);
	TSSymbol k = ts_node_symbol(n);
	TSNode t = { 0 };
	if (k == s->assignment || k == s->for_statement)
		t = ts_node_child_by_field_id(n, s->f.left);
	else if (k == s->as_pattern_target)
		t = ts_node_named_child(n, 0);
	if (!ts_node_is_null(t) && aa_node_same_text(aa_ctx_source(in->ctx)->text, t, in->target)) {
		in->found = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* Is the receiver of a `.cancel` something the test made (a call, or a name or attribute
 * the test binds)? */
static bool made_by_test(struct aa_ctx *ctx, TSNode test, TSNode recv)
{
	recv = aa_node_unparen_at_most(aa_ctx_syms(ctx), recv, AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(recv))
		return false;
	if (ts_node_symbol(recv) == aa_ctx_syms(ctx)->call)
		return true;
	struct injection in = { .ctx = ctx, .target = recv };
	aa_subtree_walk(test, 200000, bound_visit, &in);
	return in.found;
}

/* A mock's `side_effect` naming cancellation (keyword or assignment), `.cancel` of a
 * task the test made (called or handed on), a `raise` of cancellation outside the
 * handler (in a stub the test defines, or its own body). */
static enum aa_visit injection_visit(void *ud, TSNode n)
{
	struct injection *in = ud;
	struct aa_ctx *ctx = in->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(n);
	bool hit = false;
	if (k == s->keyword_argument)
		hit = aa_ctx_text_is(ctx, ts_node_child_by_field_id(n, s->f.name), "side_effect") &&
		      names_cancellation(ctx, ts_node_child_by_field_id(n, s->f.value));
	else if (k == s->assignment) {
		TSNode left = ts_node_child_by_field_id(n, s->f.left);
		hit = ts_node_symbol(left) == s->attribute &&
		      aa_ctx_text_is(ctx, ts_node_child_by_field_id(left, s->f.attribute), "side_effect") &&
		      names_cancellation(ctx, ts_node_child_by_field_id(n, s->f.right));
	} else if (k == s->attribute && aa_ctx_text_is(ctx, ts_node_child_by_field_id(n, s->f.attribute), "cancel"))
		hit = made_by_test(ctx, in->test, ts_node_child_by_field_id(n, s->f.object));
	else if (k == s->raise_statement && (ts_node_start_byte(n) < ts_node_start_byte(in->clause) ||
					     ts_node_start_byte(n) >= ts_node_end_byte(in->clause))) {
		TSNode e = ts_node_named_child(n, 0);
		if (!ts_node_is_null(e) && ts_node_symbol(e) == s->call)
			e = ts_node_child_by_field_id(e, s->f.function);
		hit = !ts_node_is_null(e) && classify_one(ctx, e) == CATCH_NAMED;
	}
	if (hit) {
		in->found = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* A handler in a test function for a cancellation the test causes itself: the test
 * checks how the code under test stops, and its handler is the test's own harness. */
static bool test_causes_cancellation(struct aa_ctx *ctx, TSNode clause)
{
	TSNode test = enclosing_test(ctx, clause);
	if (ts_node_is_null(test))
		return false;
	struct injection in = { .ctx = ctx, .test = test, .clause = clause };
	aa_subtree_walk(test, 200000, injection_visit, &in);
	return in.found;
}

/* --- the checks ----------------------------------------------------------------------- */

/* A broad handler (any raise counts) that can only complete, in a `try` without
 * `finally`, whose next statement is a raise: control falls into that raise, so the
 * cancellation is re-raised all the same (`except BaseException: log(...)` right before
 * `raise cancellation`). */
static bool falls_into_raise(const struct handler *h, TSNode try)
{
	const struct aa_syms *s = aa_ctx_syms(h->ctx);
	if (h->kind != CATCH_BROAD)
		return false;
	uint32_t n = ts_node_named_child_count(try);
	for (uint32_t i = 0; i < n; i++)
		if (ts_node_symbol(ts_node_named_child(try, i)) == s->finally_clause)
			return false;
	TSNode next = ts_node_next_named_sibling(try);
	while (!ts_node_is_null(next) && ts_node_symbol(next) == s->comment)
		next = ts_node_next_named_sibling(next);
	return !ts_node_is_null(next) && ts_node_symbol(next) == s->raise_statement && raise_ok(h, next);
}

/* Which rule a swallowing handler's finding belongs to (a handler that catches kind and
 * then does next), or NULL when that rule is off or the handler is a test's own (then
 * nothing is reported). */
static const struct aa_rule *form_rule(struct aa_ctx *ctx, TSNode clause, enum catch_kind kind, enum next_step next)
{
	const struct aa_rule *rule = next < NEXT_AWAITS   ? &aa_rule_cancelled_coroutine_returns
				     : kind == CATCH_BROAD ? &aa_rule_catch_all_cancellation
							   : &aa_rule_swallowed_cancellation;
	if (!aa_ctx_rule_enabled(ctx, rule) || test_causes_cancellation(ctx, clause))
		return NULL;
	return rule;
}

static const char *next_words(enum next_step next)
{
	return next == NEXT_LOOPS ? "it loops again" : "it goes on to another await";
}

/* Reports message (malloc'd, taken over) at node, or defers it to the project index when
 * reach says the index decides whether anything in the try body can be cancelled
 * (suspension.h). */
static void report_or_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, enum reach_verdict reach,
			    const struct aa_susp_cond *cond, char *message)
{
	if (reach == REACH_LINK) {
		aa_susp_report_or_defer(ctx, rule, node, cond, message);
		return;
	}
	aa_ctx_report(ctx, rule, node, "%s", message);
	free(message);
}

static void check_except(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	enum catch_kind kind = clause_catches(ctx, clause);
	if (kind == CATCH_NONE)
		return;
	TSNode try = aa_ctx_parent(ctx, clause);
	if (ts_node_is_null(try) || ts_node_symbol(try) != s->try_statement)
		return;
	/* An earlier clause that catches cancellation sees it first (it is judged itself). */
	for (TSNode p = ts_node_prev_named_sibling(clause); !ts_node_is_null(p); p = ts_node_prev_named_sibling(p))
		if (ts_node_symbol(p) == s->except_clause && clause_catches(ctx, p) != CATCH_NONE)
			return;
	TSNode body = ts_node_child_by_field_id(try, s->f.body);
	if (ts_node_is_null(body) || !aa_scope_reaches_await(ctx, body, AA_REACH_UNSHIELDED))
		return; /* nothing in the try body can be cancelled */
	TSNode hbody = last_block(s, clause);
	if (ts_node_is_null(hbody))
		return;
	struct handler h = { ctx, kind, clause_alias(ctx, clause) };
	unsigned flow = flow_block(&h, hbody, false, 0);
	if (!(flow & (FLOW_FALL | FLOW_ESC)) || (flow == FLOW_FALL && falls_into_raise(&h, try)))
		return;
	if (handles_deliberately(ctx, hbody) || hands_on(ctx, hbody, h.alias) || documented_deliberate(ctx, clause))
		return;
	/* cancels inside the try body count too (`asyncio.current_task().cancel()` then an await) */
	struct aa_susp_cond cond;
	enum reach_verdict reach = reaches_body(ctx, clause, body, ts_node_start_byte(clause), &cond);
	if (reach == REACH_NONE)
		return;
	bool kept;
	TSNode cleanup = cleanup_clause(ctx, try, &kept);
	if (kept)
		return;
	TSNode ended = flow == FLOW_FALL && ts_node_is_null(cleanup) ? loop_the_handler_ends(ctx, try, hbody)
								     : (TSNode){ 0 };
	enum next_step next = !ts_node_is_null(ended)	 ? after(ctx, ended)
			      : ts_node_is_null(cleanup) ? after_handler(ctx, try, flow)
							 : after_cleanup(ctx, cleanup);
	const struct aa_rule *rule =
		form_rule(ctx, clause, clause_names_cancellation(ctx, clause) ? CATCH_NAMED : kind, next);
	if (!rule)
		return;
	TSNode kw = ts_node_child(clause, 0);
	TSNode v = ts_node_child_by_field_id(clause, s->f.value);
	const char *what = kind == CATCH_NAMED ? "this handler" : ts_node_is_null(v) ? "'except:'" : "'except BaseException'";
	const char *fix = kind == CATCH_NAMED ? "end the handler with a bare 'raise'"
					      : "re-raise it (a bare 'raise') or catch Exception";
	char *message;
	if (next >= NEXT_AWAITS)
		message = aa_xasprintf("%s catches cancellation and the coroutine keeps running after it was "
				       "cancelled (%s): asyncio.timeout(), TaskGroup and shutdown cannot stop it; %s",
				       what, next_words(next), fix);
	else if (next == NEXT_ENDS)
		message = aa_xasprintf("%s catches cancellation and the coroutine then returns normally: whoever "
				       "cancelled it (asyncio.timeout(), a TaskGroup, 'await task') sees a normal "
				       "return, not the cancellation; %s",
				       what, fix);
	else
		message = aa_xasprintf("%s turns cancellation into another exception: asyncio.timeout() and TaskGroup "
				       "recognise their cancellation only as CancelledError; %s",
				       what, fix);
	report_or_defer(ctx, rule, kw, reach, &cond, message);
}

static void check_with(struct aa_ctx *ctx, TSNode with)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode v;
	for (struct aa_with_items it = aa_node_with_items(s, with, AA_WITH_CLAUSE_FIRST);
	     aa_node_with_items_next(&it, &v);) {
		if (ts_node_symbol(v) != s->call)
			continue;
		const struct aa_callee *c = aa_ctx_callee(ctx, v);
		if (!c || c->kind != AA_CALLEE_FUNCTION || !c->qualname || strcmp(c->qualname, "contextlib.suppress"))
			continue;
		TSNode args = ts_node_child_by_field_id(v, s->f.arguments);
		uint32_t na = ts_node_named_child_count(args);
		enum catch_kind kind = CATCH_NONE; /* NAMED wins: suppress(CancelledError, Exception) names it */
		for (uint32_t j = 0; j < na; j++) {
			enum catch_kind k = classify_one(ctx, ts_node_named_child(args, j));
			if (k != CATCH_NONE && (kind == CATCH_NONE || k == CATCH_NAMED))
				kind = k;
		}
		if (kind == CATCH_NONE)
			continue;
		TSNode body = ts_node_child_by_field_id(with, s->f.body);
		if (ts_node_is_null(body) || !aa_scope_reaches_await(ctx, body, AA_REACH_UNSHIELDED))
			return;
		struct aa_susp_cond cond;
		enum reach_verdict reach = reaches_body(ctx, with, body, ts_node_start_byte(with), &cond);
		if (reach == REACH_NONE)
			return;
		bool kept;
		TSNode cleanup = cleanup_clause(ctx, with, &kept);
		if (kept)
			return;
		enum next_step next = ts_node_is_null(cleanup) ? after(ctx, with) : after_cleanup(ctx, cleanup);
		const struct aa_rule *rule = form_rule(ctx, with, kind, next);
		if (!rule)
			return;
		char *message;
		if (next >= NEXT_AWAITS)
			message = aa_xasprintf("contextlib.suppress() of cancellation around an await: the coroutine "
					       "keeps running after it was cancelled (%s)",
					       next_words(next));
		else
			message = aa_xasprintf("contextlib.suppress() of cancellation around an await: the coroutine "
					       "then %s, and whoever cancelled it never sees the cancellation",
					       next == NEXT_ENDS ? "returns normally" : "raises another exception");
		report_or_defer(ctx, rule, v, reach, &cond, message);
		return;
	}
}

void aa_swallowed_cancellation_check(struct aa_ctx *ctx, TSNode node)
{
	if (!aa_ctx_in_async(ctx))
		return;
	if (ts_node_symbol(node) == aa_ctx_syms(ctx)->except_clause)
		check_except(ctx, node);
	else
		check_with(ctx, node);
}

static const char *const equivalents[] = { "ASYNC103", "ASYNC104", NULL };
static const char *const kinds[] = { "except_clause", "with_statement", NULL };

const struct aa_rule aa_rule_swallowed_cancellation = {
	.code = "AA401",
	.name = "swallowed-cancellation",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "An except handler in async code catches cancellation by name and the coroutine keeps running "
		   "after it",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = aa_swallowed_cancellation_check,
	.crossfile = &aa_crossfile_suspension,
	.doc = {
		.what = "Finds, in async context, `except` handlers that name cancellation, can complete without "
			"re-raising it, and after which the coroutine keeps running: the handler falls through to "
			"code that awaits (or yields) again, or the loop around the `try` runs again (the handler "
			"ends, `continue`s or `break`s into more awaits). Also `with contextlib.suppress(CancelledError):` "
			"around an await followed by more awaits.\n\n"
			"Cancellation is named by: `asyncio.CancelledError` (also `asyncio.exceptions.CancelledError`), "
			"`trio.Cancelled` and `anyio.get_cancelled_exc_class()`, alone or in a tuple. `BaseException` "
			"and a bare `except:` catch it too, with everything else: such a catch-all is AA408 "
			"(catch-all-swallows-cancellation, opt-in), which says why. `except Exception` does not catch "
			"it (Python >= 3.8), and neither does `concurrent.futures.CancelledError`, a different "
			"class.\n\n"
			"A handler after which the coroutine ends (it returns, falls off the end of the function, "
			"breaks out of its loop into no further await, or raises another exception) is the other "
			"form, AA407 (cancelled-coroutine-returns, opt-in): see there for why the two differ.",
		.why = "Cancellation is how `asyncio.timeout()`, `TaskGroup`, `wait_for()`, trio and anyio stop a "
		       "task. A coroutine that catches it and carries on ignores the request: the timeout does not "
		       "end the operation it bounds, a task group waits for a task that never stops, and shutdown "
		       "hangs. Since Python 3.11 the task also stays marked as cancelling (`Task.cancelling()`), so "
		       "the next `asyncio.timeout()` in it misbehaves; asyncio's documentation says a coroutine "
		       "that really means to suppress cancellation must call `Task.uncancel()`.",
		.example = "import asyncio\n\nasync def poll(fetch, log):\n    while True:\n        try:\n"
			   "            await fetch()\n        except asyncio.CancelledError:\n"
			   "            log(\"fetch cancelled\")\n        await asyncio.sleep(10)\n",
		.use_instead = "import asyncio\n\nasync def poll(fetch, log):\n    while True:\n        try:\n"
			       "            await fetch()\n        except asyncio.CancelledError:\n"
			       "            log(\"fetch cancelled\")\n            raise\n        await asyncio.sleep(10)\n",
		.anchor = "The `except` keyword of the handler; for `contextlib.suppress(...)`, the call.",
		.exceptions = "Re-raising on every path is correct: a `raise` at the end of the handler, or in each "
			      "branch of an `if`/`else`. When cancellation is caught by name, only a bare `raise`, "
			      "the caught object (`raise e`) or a cancellation class counts; for `BaseException` and a "
			      "bare `except:` any raise counts, also the statement right after a `try` without "
			      "`finally` that such a handler can only fall into (`except BaseException: log(e)` "
			      "followed by `raise cancellation`). A `BaseException`/bare handler after an earlier clause "
			      "of the same `try` that catches cancellation is not judged (the earlier clause is). "
			      "Not findings: a `try` body with no point where cancellation can be delivered: no "
			      "`async for`, no `async with`, and no `await` other than of project coroutine functions "
			      "that never suspend, an `async def` of any module of the project (followed through "
			      "imports, class names, `self` and attributes of a known class) whose body has no `await`, "
			      "`async for` or `async with`, or awaits only such coroutines, up to 8 calls deep (a library "
			      "or unknown callee, a cycle, a decorator not known to keep the function, an override in a "
			      "project subclass that may suspend, or one that a module not read (no async code) which "
			      "imports the class's module may define, counts as suspending); a `try` body that awaits only "
			      "tasks this function cancelled before the handler (`t.cancel()` then `try: await t` / "
			      "`except CancelledError: pass`, also through `asyncio.gather/wait/wait_for/shield/wrap_future`, one "
			      "inside another (`wait_for(shield(t))`), `for t in tasks: t.cancel()`, and a later loop "
			      "over the same items that takes the same one (`for name, t in items: t.cancel()`, then "
			      "`for n, t2 in items: await t2`)), also when a project function it called with the task as a "
			      "positional argument calls `.cancel()` on that parameter (`cancel_task_safe(t)`, "
			      "`self._cancel(t)`, `for t in tasks: cancel_task_safe(t)`); a "
			      "handler that ends in `sys.exit()`, `os._exit()`, `pytest.fail()`/`skip()`/`exit()` or "
			      "unittest's `self.fail()` (it never completes); a handler that calls `uncancel()` or "
			      "`cancelling()`, or tests "
			      "`isinstance(e, CancelledError)` and re-raises, or re-raises with a bare `raise` under a "
			      "condition about cancellation or the program's end (a name with a word such as `cancel`, "
			      "`cancelling`, `cancellation`, `shutdown`, `shutting`, `stop`, `closing`, `exit`, "
			      "`terminate` or `running`, words split at `_` and at capitals, strings aside: "
			      "`if _cancel_count() > before: raise`, "
			      "`if not SHUTTING_DOWN.is_set(): raise`): it decides on purpose, swallowing only where "
			      "its author chose to (a condition about anything else, `if queue.empty(): raise`, "
			      "swallows at random and is reported); a handler with a "
			      "comment (in it, or on its `except` line) saying the swallowing is meant: one that says "
			      "`intentional`, `deliberate`, `on purpose`, `swallow`, `don't raise`/`re-raise`/`propagate` "
			      "(`do not`, any case): the author decided, and a maintainer does not act on it; a handler that "
			      "hands the caught object on (stores it, returns it, passes it to a call that is not "
			      "logging or printing, compares it) or captures `sys.exc_info()`: it delivers the "
			      "exception elsewhere; an await of a task or future inside `if t.done():` (alone or "
			      "joined by `and`: a finished one returns at once); a `try` whose awaits all run in a shielded scope "
			      "(`CancelScope(shield=True)`). Handlers nested "
			      "more than 24 statements deep are assumed to re-raise.\n\n"
			      "Tests that cancel on purpose: a handler in a test function (a function the project's "
			      "pytest configuration names a test, `python_functions`, default `test*`, or a `test*` "
			      "method of a class, in a file pytest collects or `test*.py`) is not a finding when the "
			      "test causes the cancellation itself: a mock's `side_effect` names a cancellation class "
			      "(`AsyncMock(side_effect=asyncio.CancelledError)`, `m.side_effect = [ValueError(), "
			      "asyncio.CancelledError()]`), the test calls or hands on `.cancel` of something it made "
			      "(`task = asyncio.create_task(...)` then `task.cancel()`), or it raises cancellation "
			      "outside the handler (in a stub it defines). The test is checking how code stops; its "
			      "handler is the harness, not the code under test.\n\n"
			      "What comes after the handler is judged in the same function: a later statement that "
			      "can await or yield, the `else` of an enclosing `try`, or an enclosing loop that awaits "
			      "(its body runs again; a loop that awaits only clean-up, `for c in clients: try: await "
			      "c.disconnect() except CancelledError: ...`, and a loop that waits out a task through "
			      "cancellation, `while not t.done():` whose every await is of `t`, `asyncio.shield(t)` or "
			      "`asyncio.wait({t}, ...)`, which ends when the task does, are judged by what follows "
			      "them, and so is a `while` loop whose condition the handler makes false before "
			      "anything else in the loop's body runs: `self.running = False` under `while "
			      "self.running:`, `stopped = True` under `while not stopped:`, `ev.set()` under `while not "
			      "ev.is_set():`, at the handler's top level, with no later statement of the handler "
			      "naming it again, the `try` in the loop's body or in `with` / `async with` blocks that "
			      "end it; neither when the loop has an `else`, which runs then); a later `break` "
			      "at the handler's level goes on after the loop, a `continue` into its next turn; a later "
			      "`return` or `raise` with no await in it, or the end "
			      "of the function, ends the coroutine (AA407's form). An await of a call named as "
			      "something that ends or releases (`close`, `aclose`, `wait_closed`, `stop`, `shutdown`, "
			      "`cleanup`, `teardown`, `cancel`, `disconnect`, `terminate`, `kill`, `release`, "
			      "`unsubscribe`, `dispose`, alone or as the first word: `stop_workers()`) is the coroutine "
			      "cleaning up before it ends, not running on: a handler followed only by such awaits is "
			      "AA407's form. Nested definitions are not run; a `finally` runs on both forms and is not "
			      "counted.\n\n"
			      "Clean-up code: a handler inside a `finally` clause, or inside an `except` clause that "
			      "always raises, catches a cancellation that arrives while the coroutine cleans up after "
			      "another outcome, which goes on when the clean-up ends (a first cancellation included): "
			      "what counts is what the coroutine does after that clause (after the `finally`'s `try`, "
			      "or the raise), not the rest of the clean-up. A `finally` whose `try` is followed by more "
			      "awaits, or sits in a loop that runs again, is still AA401; one at the end of the "
			      "coroutine is AA407's form. A handler inside an `except` clause that keeps its own "
			      "exception to raise later (`pending = exc` ... `raise pending`) is not a finding: the "
			      "cancellation that counts is that one.",
		.references = "- [asyncio: Task cancellation](https://docs.python.org/3/library/asyncio-task.html#task-cancellation)\n"
			      "- [asyncio: Task.uncancel()](https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.uncancel)\n"
			      "- [trio: Cancellation semantics](https://trio.readthedocs.io/en/stable/reference-core.html#cancellation-semantics)\n",
	},
};
