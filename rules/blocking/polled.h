/*
 * polled.h: "the wait is already over" for the blocking rules: a blocking wait on an
 * object that the function polled before it (`if fut.done(): fut.result()`, `if
 * proc.poll() is not None: proc.communicate()`) returns at once, or is only a poll.
 */
#ifndef AA_BLOCKING_POLLED_H
#define AA_BLOCKING_POLLED_H

#include "analyzer/check/context.h"

/* True when call is `recv.name(...)`, recv compared by its text as written. Never fails. */
bool aa_blocking_method_call_on(const struct aa_ctx *ctx, TSNode call, TSNode recv, const char *name);

/* What a rule knows of one file's functions for aa_blocking_polled_before: each one's
 * polled receivers, made by one walk of the function at its first question (a walk of
 * the function up to each call was quadratic in a function of many waits). Opaque; one
 * per rule and file, kept in the rule's file memo (aa_ctx_file_memo) and freed there
 * with aa_blocking_polled_free. */
struct aa_polled;

/* True when, before call in its function (the module, outside any def), recv is the
 * receiver of a call of one of polls (NULL-terminated method names, the same at every
 * call with the same *index) or appears inside an await (`await
 * asyncio.wrap_future(fut)`). *index holds the rule's struct aa_polled (NULL at the
 * file's first question: made then, owned by the caller from then on; a void * so that
 * it may be the rule's file memo slot itself). A function larger than a bound, or a
 * receiver longer than one, answers false: the call stays reported. */
bool aa_blocking_polled_before(struct aa_ctx *ctx, void **index, TSNode call, TSNode recv, const char *const *polls);

/* Frees an index (NULL is fine): aa_ctx_file_memo's free_fn. */
void aa_blocking_polled_free(void *index);

#endif
