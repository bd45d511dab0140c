/*
 * blocking.h: the shared check of the AA1xx blocking-call rules. A rule file holds its
 * target table and calls these; the message format is the same for the whole family:
 *
 *   time.sleep() blocks the event loop in async function 'fetch'; use 'await asyncio.sleep()'
 */
#ifndef AA_BLOCKING_H
#define AA_BLOCKING_H

#include "analyzer/check/context.h"

/* The fix suggested when a target names none. */
#define AA_FIX_TO_THREAD "await asyncio.to_thread(...)"

/* In async context, the target of rule's table that `call` matches (static storage), or
 * NULL: also for an awaited call (a sync target cannot be awaited), and for a call whose
 * result is the receiver of another certainly blocking call (the chain is one finding, at
 * its outermost blocking call). *callee (callee may be NULL) receives call's resolution
 * when the call was resolved (in async context, not awaited); else it is left untouched. */
const struct aa_target *aa_blocking_match(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee);

/* Reports `call` with the family's message; fix NULL uses the target's fix (target may
 * be NULL), or AA_FIX_TO_THREAD when it has none. In modules that import trio or anyio, asyncio-only
 * fixes (asyncio.to_thread, aiofiles, create_subprocess_*) are said in that library's
 * vocabulary (to_thread.run_sync, open_file, run_process). */
void aa_blocking_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			const char *fix);

/* The same with what the call does in place of "blocks the event loop" ("waits for a
 * child process, blocking the event loop"); what is borrowed for the call.
 *
 * Both attach the unsafe fix `await asyncio.to_thread(f, args...)` when rule's
 * descriptor has an unsafe fix, the target is certain and its suggested fix is that
 * form, and the call is a plain call (positional and keyword arguments only) where
 * `await` may be written (aa_ctx_await_allowed) in a module that does not use trio or
 * anyio. */
void aa_blocking_report_as(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			   const char *fix, const char *what);

/* aa_blocking_report with the finding's fix (analyzer/base/edit.h; taken over, NULL for
 * none) made by the rule. */
void aa_blocking_report_fix(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			    const char *fix, struct aa_fix *edits);

/* True when call's arguments are only positional and keyword arguments: no *splat,
 * **splat or bare generator expression (which a moved argument list would break). */
bool aa_blocking_plain_args(struct aa_ctx *ctx, TSNode call);

/* The text of a plain string literal (`"subprocess.run"`) without its quotes, borrowed
 * from the source, or NULL (an f-string, a concatenation, escapes, not a string).
 * *len receives its length. */
const char *aa_blocking_literal_text(struct aa_ctx *ctx, TSNode str, uint32_t *len);

/* AA109's cross-file analysis (helper_chains.c): sync project functions that reach a
 * certain blocking call, and the calls from async code that reach them. */
extern const struct aa_crossfile aa_crossfile_helper_chains;

#endif
