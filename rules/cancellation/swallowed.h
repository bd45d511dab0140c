/*
 * swallowed.h: the judgement of handlers that catch cancellation, shared by the two rules
 * that report it: AA401 (the coroutine keeps running after it was cancelled) and AA407 (it
 * returns normally, or raises something else, so its canceller never sees the
 * cancellation). One judgement decides which form a handler takes; each finding goes to
 * its form's rule, when that rule is enabled.
 */
#ifndef AA_SWALLOWED_H
#define AA_SWALLOWED_H

#include <tree_sitter/api.h>

struct aa_ctx;

/* Judges node (an except_clause or a with_statement, as the walker hands them) in async
 * context and reports its finding, if any, under AA401 or AA407, whichever is enabled for
 * its form. The check of AA401; AA407's check calls it only when AA401 is off (AA401's
 * check already reports both forms). No state outside ctx: thread-safe per context. */
void aa_swallowed_cancellation_check(struct aa_ctx *ctx, TSNode node);

#endif
