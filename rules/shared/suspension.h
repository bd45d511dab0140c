/*
 * suspension.h: which project coroutines never suspend, and where cancellation can reach
 * a coroutine, across the project: the cross-file analysis behind AA401 and AA407
 * (rules/cancellation/swallowed.h) and AA203 (a dropped task whose coroutine never
 * suspends runs to its end in its first step). It lives in rules/shared/ because rules
 * of two families use it. Cancellation is delivered only at a suspension point, and an
 * `await` of a project coroutine function that never suspends (no `await`, `async for`
 * or `async with` in its body, or awaits only of such coroutines, transitively) is none:
 * the try around it cannot be cancelled there. A task handed to a project function that
 * calls `.cancel()` on that parameter is cancelled as surely as by `task.cancel()`.
 *
 * Per file (summarize, worker threads): for each `async def`, whether it suspends other
 * than by awaiting a call the index may resolve to project code, whether it does so
 * other than at a wait the loop holds (aa_susp_held_wait: AA203's "cannot be collected
 * mid-flight"), and those calls; for
 * each def, which of its parameters it calls `.cancel()` on. A finding the file alone
 * cannot clear is deferred here with the conditions that clear it (aa_susp_defer); the
 * link reports it unless they all hold. Unknown callees, opaque decorators, overrides in
 * project subclasses that may differ, cycles and chains deeper than the bound all count
 * as "may suspend" / "does not cancel": the finding is kept.
 */
#ifndef AA_SUSPENSION_H
#define AA_SUSPENSION_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analyzer/facts/summary.h"

struct aa_ctx;
struct aa_rule;

enum {
	AA_SUSP_MAX_CLAUSES = 16, /* suspension points of one try body that need the index */
	AA_SUSP_MAX_ALTS = 8,     /* ways one of them may be harmless */
};

/* What an alternative asks of the project functions a call of its ref may run, when it
 * is not a parameter they cancel (an argument position, >= 0). */
enum {
	AA_SUSP_NEVER = -1, /* they never suspend */
	/* they suspend only where the loop or a worker thread holds the task's wake-up
	 * (aa_susp_held_wait), or never: a task running them cannot be collected mid-flight */
	AA_SUSP_HELD = -2,
};

/* One way a suspension point (of a try body, or the coroutine a dropped task runs) is
 * harmless. */
struct aa_susp_alt {
	struct aa_ref ref; /* a callee as aa_ctx_ref names it (strings in the summary's arena) */
	/* AA_SUSP_NEVER or AA_SUSP_HELD: ref is the awaited call (or the dropped task's
	 * coroutine), and its functions answer that. >= 0: ref is a call before the handler
	 * whose positional argument number arg names the awaited task, and the function it
	 * lands on calls `.cancel()` on the parameter that argument binds. */
	int arg;
};

/* A suspension point: harmless when one of its alternatives holds. */
struct aa_susp_clause {
	struct aa_susp_alt alts[AA_SUSP_MAX_ALTS];
	size_t n_alts;
};

/* A finding's suspension points that the file alone cannot clear: it is no finding when
 * every clause holds. */
struct aa_susp_cond {
	struct aa_susp_clause clauses[AA_SUSP_MAX_CLAUSES];
	size_t n_clauses;
};

/* Defers the finding of rule anchored at node, with message (malloc'd, taken over), to
 * the link: it is reported unless every clause of cond holds. False when nothing can be
 * deferred (no summary is being built): message is then untouched and the caller
 * reports at once. cond is borrowed for the call. */
bool aa_susp_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const struct aa_susp_cond *cond,
		   char *message);

/* How a dropped task's finding depends on whether its coroutine handles its own
 * exceptions: whether the body of every project function a call of the first clause's
 * first alternative (the task's coroutine) may run lets no exception out, only
 * cancellation (a try whose clause catches every error and no handler raises, in loops
 * or not, with only statements that call nothing beside it; suspension.c's
 * handles_errors). */
enum aa_susp_handled {
	AA_SUSP_UNLESS_HANDLED,  /* cleared also when they all handle their exceptions */
	AA_SUSP_ONLY_IF_HANDLED, /* cleared also unless they all do */
};

/* As aa_susp_defer, for a dropped task's finding (cond has at least one clause with an
 * alternative) that also depends on handled. */
bool aa_susp_defer_task(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const struct aa_susp_cond *cond,
			enum aa_susp_handled handled, char *message);

/* Reports message (malloc'd, taken over) of rule at node at once, or defers it with cond
 * as aa_susp_defer does. It is reported at once when it would be dropped here anyway
 * (test code the rule spares, a noqa on its line that vouches for it: the index then has
 * nothing to read for it, and the suppression records its use) or when nothing can be
 * deferred. cond is borrowed for the call. */
void aa_susp_report_or_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node,
			     const struct aa_susp_cond *cond, char *message);

/* Does awaiting e (an expression) leave the awaiting task held by the loop or a worker
 * thread until it resumes: `asyncio.sleep()` (a loop timer, or the ready queue for 0),
 * `asyncio.to_thread()` and `run_in_executor()` (the worker's future calls back into the
 * task), `asyncio.wait_for()` with a timeout (its timer)? Each holds a reference to the
 * task's wake-up, and so to the task. Never fails. */
bool aa_susp_held_wait(struct aa_ctx *ctx, TSNode e);

extern const struct aa_crossfile aa_crossfile_suspension;

#endif
