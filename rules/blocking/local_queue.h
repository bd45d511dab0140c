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

/* What a rule knows of one file's functions for aa_blocking_local_queue: how each name of
 * a function walked is used there, made by one walk of the function at its first
 * question. Opaque; one per rule and file, freed with aa_blocking_local_queue_free. */
struct aa_local_queues;

/* True when call, a method call on the receiver recv (an identifier) whose value came from
 * the call origin (callee.h's origin, may be null), waits on such a queue: origin is in
 * the same function as call, and recv's name is used there as above. *index holds the
 * rule's struct aa_local_queues (NULL at the file's first question: made then, owned by
 * the caller from then on). A function larger than a bound answers false. */
bool aa_blocking_local_queue(struct aa_ctx *ctx, struct aa_local_queues **index, TSNode call, TSNode recv,
			     TSNode origin);

/* Frees an index (NULL is fine). */
void aa_blocking_local_queue_free(struct aa_local_queues *index);

#endif
