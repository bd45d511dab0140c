/*
 * events.h: what the language server's main thread waits for, from its two helper
 * threads: the reader (a client message, the end of the input) and the analyst
 * (analyst.h: the findings of a document's text, the configuration's errors).
 *
 * The server's state belongs to the main thread alone; the helpers hand it events
 * through this queue and never touch that state, so a request is answered while an
 * analysis is in flight.
 */
#ifndef AA_EVENTS_H
#define AA_EVENTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/check/diag.h"

enum aa_event_kind {
	AA_EVENT_MESSAGE, /* body: a client message's JSON text */
	AA_EVENT_END,     /* the input ended; body: NULL, or why it ended badly */
	AA_EVENT_RESULT,  /* uri, version, diags: the findings of a document's text */
	/* errors: the configuration's errors ("FILE:LINE:COL: message"), none when it was
	 * read without any; defaults: the server has fallen back to the default settings,
	 * having never read the configuration without errors (else it keeps the last good) */
	AA_EVENT_CONFIG,
};

struct aa_event {
	enum aa_event_kind kind;
	char *body;                /* owned, or NULL */
	char *uri;                 /* owned; AA_EVENT_RESULT */
	int64_t version;           /* AA_EVENT_RESULT: the document version analyzed */
	struct aa_diag_list diags; /* owned; AA_EVENT_RESULT */
	char **errors;             /* owned strings; AA_EVENT_CONFIG */
	size_t n_errors;
	bool defaults;             /* AA_EVENT_CONFIG */
	struct aa_event *next;     /* the queue's link */
};

/* Frees an event and what it owns. */
void aa_event_free(struct aa_event *ev);

struct aa_event_queue {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct aa_event *head, *tail; /* owned */
};

void aa_event_queue_init(struct aa_event_queue *q);
/* Frees the events left and the synchronisation objects. */
void aa_event_queue_release(struct aa_event_queue *q);
/* Appends ev (taken) and wakes the waiter. Any thread. */
void aa_event_queue_push(struct aa_event_queue *q, struct aa_event *ev);
/* The oldest event (caller owns it), waiting at most until the monotonic time deadline
 * (seconds, aa_run_now's clock; a deadline <= 0 waits without end). NULL when the
 * deadline passed first. */
struct aa_event *aa_event_queue_pop(struct aa_event_queue *q, double deadline);

#endif
