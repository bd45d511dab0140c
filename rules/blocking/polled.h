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

/* True when, before call in its function (the module, outside any def), recv is the
 * receiver of a call of one of polls (NULL-terminated method names) or appears inside an
 * await (`await asyncio.wrap_future(fut)`). A linear scan of the function up to call,
 * bounded in nodes (past the bound: false, the call stays reported). */
bool aa_blocking_polled_before(struct aa_ctx *ctx, TSNode call, TSNode recv, const char *const *polls);

#endif
