/*
 * local_queue.h: "no other thread can reach the queue" for AA108: a `queue.Queue` made in
 * the function that waits on it, whose name there is only assigned, deleted and used as
 * the receiver of queue methods it calls or attributes it reads (`q.put(x)`, `q.get()`,
 * `q.queue`), never passed (`target=q.put` neither), returned, stored, declared global or
 * seen by a nested def or lambda. Nobody else can then fill or drain
 * it: a wait on it returns at once or never (a ring buffer of a fixed size, a local
 * work list); it does not hold the loop while another thread works.
 */
#ifndef AA_BLOCKING_LOCAL_QUEUE_H
#define AA_BLOCKING_LOCAL_QUEUE_H

#include "analyzer/check/context.h"
#include "rules/shared/name_records.h"

/* True when call, a method call on the receiver recv (an identifier) whose value came from
 * the call origin (callee.h's origin, may be null), waits on such a queue: origin is in
 * the same function as call, and recv's name is used there as above. *index holds what
 * the rule learned of the file's functions, how each name of a function is used there
 * (name_records.h: one walk of a function at its first question; NULL at the file's
 * first question: made then, owned by the caller from then on, freed with
 * aa_name_records_free). A function larger than a bound answers false. */
bool aa_blocking_local_queue(struct aa_ctx *ctx, struct aa_name_records **index, TSNode call, TSNode recv,
			     TSNode origin);

#endif
