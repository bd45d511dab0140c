/*
 * events.h: what the language server's main thread waits for, from its two helper
 * threads: the reader (a client message, the end of the input) and the analyst (the
 * findings of one document's text).
 *
 * The server's state belongs to the main thread alone; the helpers hand it events
 * through this queue and never touch that state, so a request is answered while an
 * analysis is in flight. The analyst analyzes one document at a time; a newer text of a
 * document replaces an older one that has not started.
 */
#ifndef AA_EVENTS_H
#define AA_EVENTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/check/diag.h"
#include "analyzer/engine/analyze.h"

enum aa_event_kind {
	AA_EVENT_MESSAGE, /* body: a client message's JSON text */
	AA_EVENT_END,     /* the input ended; body: NULL, or why it ended badly */
	AA_EVENT_RESULT,  /* uri, version, diags: an analysis */
};

struct aa_event {
	enum aa_event_kind kind;
	char *body;                /* owned, or NULL */
	char *uri;                 /* owned; AA_EVENT_RESULT */
	int64_t version;           /* AA_EVENT_RESULT: the document version analyzed */
	struct aa_diag_list diags; /* owned; AA_EVENT_RESULT */
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

/* One document's text to analyze. */
struct aa_analysis_job {
	char *uri;       /* owned */
	char *path;      /* owned; the display path the findings carry */
	char *text;      /* owned; malloc'd, taken by the engine */
	size_t len;
	int64_t version;
};

struct aa_analyst {
	const struct aa_engine *engine;  /* borrowed; outlives the analyst */
	struct aa_event_queue *results;  /* borrowed; where findings go */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct aa_analysis_job *jobs;    /* owned; waiting, oldest first, at most one per uri */
	size_t n_jobs, jobs_cap;
	bool stop;
	pthread_t thread;
};

/* Starts the analyst's thread. Returns 0, or -1 when the thread cannot start. */
int aa_analyst_start(struct aa_analyst *a, const struct aa_engine *engine, struct aa_event_queue *results);
/* Queues job (its members taken); a waiting job of the same uri is replaced. */
void aa_analyst_submit(struct aa_analyst *a, struct aa_analysis_job job);
/* Stops the thread after the analysis in flight, drops waiting jobs, joins. */
void aa_analyst_stop(struct aa_analyst *a);

#endif
