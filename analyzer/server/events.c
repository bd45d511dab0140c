#include "analyzer/server/events.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void aa_event_free(struct aa_event *ev)
{
	if (!ev)
		return;
	free(ev->body);
	free(ev->uri);
	aa_diag_list_release(&ev->diags);
	for (size_t i = 0; i < ev->n_errors; i++)
		free(ev->errors[i]);
	free(ev->errors);
	free(ev);
}

void aa_event_queue_init(struct aa_event_queue *q)
{
	pthread_mutex_init(&q->lock, NULL);
	/* Deadlines are on the monotonic clock, which a change of the wall clock does not move. */
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&q->ready, &attr);
	pthread_condattr_destroy(&attr);
	q->head = q->tail = NULL;
}

void aa_event_queue_release(struct aa_event_queue *q)
{
	while (q->head) {
		struct aa_event *ev = q->head;
		q->head = ev->next;
		aa_event_free(ev);
	}
	q->tail = NULL;
	pthread_cond_destroy(&q->ready);
	pthread_mutex_destroy(&q->lock);
}

void aa_event_queue_push(struct aa_event_queue *q, struct aa_event *ev)
{
	ev->next = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = ev;
	else
		q->head = ev;
	q->tail = ev;
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->lock);
}

struct aa_event *aa_event_queue_pop(struct aa_event_queue *q, double deadline)
{
	struct timespec until = { 0 };
	if (deadline > 0) {
		until.tv_sec = (time_t)deadline; /* positive: truncation is the floor */
		until.tv_nsec = (long)((deadline - (double)until.tv_sec) * 1e9);
	}
	pthread_mutex_lock(&q->lock);
	while (!q->head) {
		int rc = deadline > 0 ? pthread_cond_timedwait(&q->ready, &q->lock, &until)
				      : pthread_cond_wait(&q->ready, &q->lock);
		if (rc != 0 && !q->head)
			break; /* the deadline passed */
	}
	struct aa_event *ev = q->head;
	if (ev) {
		q->head = ev->next;
		if (!q->head)
			q->tail = NULL;
		ev->next = NULL;
	}
	pthread_mutex_unlock(&q->lock);
	return ev;
}
