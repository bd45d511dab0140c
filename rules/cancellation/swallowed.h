/*
 * swallowed.h: the judgement of handlers that catch cancellation, shared by the three
 * rules that report it: AA401 (a handler naming cancellation, after which the coroutine
 * keeps running), AA408 (the same for a catch-all: `except BaseException:`, bare
 * `except:`) and AA407 (the coroutine returns normally, or raises something else, so its
 * canceller never sees the cancellation). One judgement decides which form a handler
 * takes; each finding goes to its form's rule, when that rule is enabled.
 */
#ifndef AA_SWALLOWED_H
#define AA_SWALLOWED_H

#include <tree_sitter/api.h>

struct aa_ctx;

/* Judges node (an except_clause or a with_statement, as the walker hands them) in async
 * context and reports its finding, if any, under AA401, AA408 or AA407, whichever is
 * enabled for its form. The check of AA401; AA407's check calls it only when AA401 is off,
 * AA408's only when both are off (the first enabled one reports every form). No state outside ctx: thread-safe per context. */
void aa_swallowed_cancellation_check(struct aa_ctx *ctx, TSNode node);

#endif
