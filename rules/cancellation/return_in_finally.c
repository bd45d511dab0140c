/*
 * AA402 return-in-finally: `return`, or a `break`/`continue` that leaves the `try`, in
 * a `finally` block of an async function: it discards the exception in flight,
 * CancelledError included.
 */
#include "rules/cancellation/scopes.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_return_in_finally;

struct walk {
	struct aa_ctx *ctx;
	TSNode root;
	/* loops entered inside the finally block, by their end byte: a break/continue
	 * inside one of them stays in the block */
	uint32_t loop_end[64];
	size_t n_loops;
	bool overflow;
};

static enum aa_visit visit(void *ud, TSNode n)
{
	struct walk *w = ud;
	struct aa_ctx *ctx = w->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t start = ts_node_start_byte(n);
	while (w->n_loops && start >= w->loop_end[w->n_loops - 1])
		w->n_loops--;
	TSSymbol k = ts_node_symbol(n);
	if (aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	/* A finally block nested in this one is checked on its own: what it holds is
	 * reported once, for the innermost finally it leaves. */
	if (k == s->finally_clause && !ts_node_eq(n, w->root))
		return AA_VISIT_SKIP;
	if (k == s->for_statement || k == s->while_statement) {
		if (w->n_loops == sizeof(w->loop_end) / sizeof(w->loop_end[0])) {
			w->overflow = true;
			return AA_VISIT_SKIP; /* too deep to track: say nothing inside */
		}
		/* only the body is inside the loop; `else:` is not, but a break there is
		 * rare enough to treat alike */
		w->loop_end[w->n_loops++] = ts_node_end_byte(n);
		return AA_VISIT_DESCEND;
	}
	if (k == s->return_statement) {
		aa_ctx_report(ctx, &aa_rule_return_in_finally, n,
			      "'return' in 'finally' discards the exception in flight, CancelledError included: "
			      "a cancelled task returns normally instead, and its canceller never learns (Python "
			      "3.14 warns: PEP 765); move the return after the try statement");
		return AA_VISIT_SKIP;
	}
	if ((k == s->break_statement || k == s->continue_statement) && w->n_loops == 0) {
		aa_ctx_report(ctx, &aa_rule_return_in_finally, n,
			      "'%s' in 'finally' leaves the try and discards the exception in flight, "
			      "CancelledError included; move it after the try statement",
			      k == s->break_statement ? "break" : "continue");
		return AA_VISIT_SKIP;
	}
	return AA_VISIT_DESCEND;
}

/* The caught expression of an except clause (past an `as`), or the clause's block for a
 * bare `except:`; a null node when it has none. */
static TSNode caught_of(const struct aa_syms *s, TSNode clause)
{
	TSNode caught = aa_node_first_code_child(s, clause); /* `except:  # noqa` */
	if (!ts_node_is_null(caught) && ts_node_symbol(caught) == s->as_pattern)
		caught = ts_node_named_child(caught, 0);
	return caught;
}

/* Can clause catch cancellation: a bare `except:`, or a name of BaseException or
 * CancelledError in what it catches (a tuple included)? */
static bool may_catch_cancellation(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode caught = caught_of(s, clause);
	if (ts_node_is_null(caught) || ts_node_symbol(caught) == s->block)
		return true;
	uint32_t len;
	const char *t = aa_ctx_text(ctx, caught, &len);
	for (uint32_t i = 0; i + 13 <= len; i++)
		if (!memcmp(t + i, "BaseException", 13))
			return true;
	for (uint32_t i = 0; i + 9 <= len; i++)
		if (!memcmp(t + i, "Cancelled", 9)) /* CancelledError, trio.Cancelled */
			return true;
	return false;
}

/* A statement an absorbing handler may hold: `pass`, a docstring, or a logging call
 * (`log.exception(...)`, `logger.error(...)`, `print(...)`): nothing that raises again
 * (`six.reraise(*sys.exc_info())`, `conn.fail(e)`). */
static bool only_notes(struct aa_ctx *ctx, TSNode st)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	static const char *const loggers[] = { "debug",	    "info", "warning", "warn",  "error",
					       "exception", "critical", "log",	   "print", "print_exc", NULL };
	TSSymbol k = ts_node_symbol(st);
	if (k == s->pass_statement || k == s->comment)
		return true;
	if (k != s->expression_statement || ts_node_named_child_count(st) != 1)
		return false;
	TSNode e = ts_node_named_child(st, 0);
	if (ts_node_symbol(e) == s->string)
		return true;
	if (ts_node_symbol(e) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(e, s->f.function);
	if (!ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute)
		fn = ts_node_child_by_field_id(fn, s->f.attribute);
	for (const char *const *l = loggers; *l; l++)
		if (aa_ctx_text_is(ctx, fn, *l))
			return true;
	return false;
}

/* Is clause, the first clause of its try that can catch cancellation, an `except:` or
 * `except BaseException:` whose body only passes or logs (only_notes)? It absorbs
 * whatever its try's body raised, cancellation included: nothing from the body is in
 * flight when the finally runs (the handler's own swallowing is AA401's and AA408's
 * business). */
static bool absorbs_all(struct aa_ctx *ctx, TSNode clause)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t n = ts_node_named_child_count(clause);
	if (ts_node_symbol(clause) != s->except_clause || !n)
		return false;
	TSNode body = ts_node_named_child(clause, n - 1);
	TSNode caught = caught_of(s, clause);
	if (ts_node_symbol(body) != s->block || ts_node_is_null(caught))
		return false;
	if (!ts_node_eq(caught, body) && !aa_ctx_text_is(ctx, caught, "BaseException") &&
	    !aa_ctx_text_is(ctx, caught, "builtins.BaseException"))
		return false;
	for (TSNode p = ts_node_prev_named_sibling(clause); !ts_node_is_null(p); p = ts_node_prev_named_sibling(p))
		if (ts_node_symbol(p) == s->except_clause && may_catch_cancellation(ctx, p))
			return false; /* an earlier clause sees cancellation first */
	uint32_t m = ts_node_named_child_count(body);
	for (uint32_t i = 0; i < m; i++)
		if (!only_notes(ctx, ts_node_named_child(body, i)))
			return false;
	return true;
}

/* Does a clause of try other than skip (its body, except, else or finally clauses) reach a
 * suspension point whose cancellation reaches the finally: the body's not when a clause
 * absorbs all it raises (absorbs_all)? */
static bool try_suspends(struct aa_ctx *ctx, TSNode try, TSNode skip)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t n = ts_node_named_child_count(try);
	bool absorbed = false;
	for (uint32_t i = 0; i < n && !absorbed; i++)
		absorbed = absorbs_all(ctx, ts_node_named_child(try, i));
	TSNode body = ts_node_child_by_field_id(try, s->f.body);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(try, i);
		if (ts_node_eq(c, skip) || (absorbed && ts_node_eq(c, body)))
			continue;
		if (aa_scope_reaches_await(ctx, c, AA_REACH_YIELD))
			return true;
	}
	return false;
}

/* Can a cancellation be in flight when fin runs: does the rest of its try statement
 * reach a suspension point, or that of a try whose finally holds it (in the same
 * function: a return there discards that one's exception too), or that of a try whose
 * except clause holds it when fin's own try raises (a bare `raise` there puts the
 * handled exception in flight again)? Otherwise the exception a handler caught is being
 * handled, not in flight, and a return that ends the handler swallows it as the
 * handler's own (AA401's business). */
static bool cancellation_may_fly(struct aa_ctx *ctx, TSNode fin)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode own = aa_ctx_parent(ctx, fin); /* the try fin is the finally of */
	int reraises = -1; /* does own hold a raise (found once, when asked)? */
	TSNode cur = fin;
	for (int g = 0; g < 4096; g++) {
		TSNode p = aa_ctx_parent(ctx, cur);
		if (ts_node_is_null(p) || aa_kind_is_definition(s, ts_node_symbol(p), true))
			return false;
		TSSymbol ck = ts_node_symbol(cur);
		if (ts_node_symbol(p) == s->try_statement && ck == s->except_clause && reraises < 0) {
			reraises = aa_node_holds_kind(s, own, &s->raise_statement, 1, 200000);
		}
		if (ts_node_symbol(p) == s->try_statement &&
		    (ck == s->finally_clause || (ck == s->except_clause && reraises > 0)) && try_suspends(ctx, p, cur))
			return true;
		cur = p;
	}
	return true;
}

static void check(struct aa_ctx *ctx, TSNode fin)
{
	/* A try that never suspends has no cancellation to discard: what its finally's return
	 * discards is any exception, flake8-bugbear's B012, not this rule's. */
	if (!aa_ctx_in_async(ctx) || !cancellation_may_fly(ctx, fin))
		return;
	struct walk w = { .ctx = ctx, .root = fin };
	aa_subtree_walk(fin, 200000, visit, &w);
}

static const char *const equivalents[] = { "B012", NULL };
static const char *const kinds[] = { "finally_clause", NULL };

const struct aa_rule aa_rule_return_in_finally = {
	.code = "AA402",
	.name = "return-in-finally",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_WARNING,
	.default_on = true,
	.summary = "return, break or continue in a finally block swallows the exception in flight, cancellation included",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds, in async context, a `return` in a `finally` block, and a `break` or `continue` "
			"there that leaves the `try` (one not inside a loop that is itself inside the block).",
		.why = "Leaving a `finally` block with `return`, `break` or `continue` discards whatever exception "
		       "was propagating: a `CancelledError` vanishes, so the task ignores its cancellation and "
		       "`asyncio.timeout()`, TaskGroup and `wait_for()` cannot stop it. Python 3.14 warns about it "
		       "(PEP 765).",
		.example = "import asyncio\n\nasync def fetch(conn):\n    try:\n        return await conn.read()\n"
			   "    finally:\n        conn.close()\n        return None\n",
		.use_instead = "import asyncio\n\nasync def fetch(conn):\n    try:\n        return await conn.read()\n"
			       "    finally:\n        conn.close()\n",
		.anchor = "The `return`, `break` or `continue` statement.",
		.exceptions = "A `return` inside a nested `def` or `lambda`, and a `break`/`continue` of a loop that "
			      "is inside the `finally` block, are fine. A `finally` whose `try` cannot be cancelled "
			      "(its body, `except` and `else` clauses reach no `await`, `async for`, `async with` or "
			      "`yield`, nor those of a `try` whose `finally` holds it) has no cancellation to "
			      "discard: the exception it discards is Ruff's and flake8-bugbear's B012 business, as in "
			      "sync functions. Neither has one whose `try` body is covered by an `except:` or `except "
			      "BaseException:` that is the first clause able to catch cancellation and only passes "
			      "or logs (`pass`, `log.exception(...)`, `print(...)`: it took whatever the body raised, "
			      "cancellation included; that swallowing is AA401's and AA408's business). The `try` "
			      "whose `except` clause holds the `finally` counts only when the `finally`'s own `try` "
			      "raises (a bare `raise` puts the handled exception in flight again): otherwise the "
			      "exception the handler caught is being handled, not in flight.",
		.references = "- [PEP 765: Disallow return/break/continue that exit a finally block](https://peps.python.org/pep-0765/)\n",
	},
};
