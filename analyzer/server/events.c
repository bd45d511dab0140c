#include "analyzer/server/events.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/engine/run.h"

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

static void free_job(struct aa_analysis_job *job)
{
	free(job->uri);
	free(job->path);
	free(job->text);
}

static void *analyst_main(void *arg)
{
	struct aa_analyst *a = arg;
	for (;;) {
		pthread_mutex_lock(&a->lock);
		while (!a->stop && !a->n_jobs)
			pthread_cond_wait(&a->wake, &a->lock);
		if (a->stop) {
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
		struct aa_analysis_job job = a->jobs[0];
		memmove(a->jobs, a->jobs + 1, (a->n_jobs - 1) * sizeof(*a->jobs));
		a->n_jobs--;
		pthread_mutex_unlock(&a->lock);

		struct aa_run_result result;
		aa_run_bytes(a->engine, job.path, job.text, job.len, &result);
		job.text = NULL; /* taken by the engine */
		struct aa_event *ev = aa_xcalloc(1, sizeof(*ev));
		ev->kind = AA_EVENT_RESULT;
		ev->uri = job.uri;
		job.uri = NULL;
		ev->version = job.version;
		ev->diags = result.diags;
		free_job(&job);
		aa_event_queue_push(a->results, ev);
	}
}

int aa_analyst_start(struct aa_analyst *a, const struct aa_engine *engine, struct aa_event_queue *results)
{
	memset(a, 0, sizeof(*a));
	a->engine = engine;
	a->results = results;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->wake, NULL);
	if (pthread_create(&a->thread, NULL, analyst_main, a) != 0) {
		pthread_cond_destroy(&a->wake);
		pthread_mutex_destroy(&a->lock);
		return -1;
	}
	return 0;
}

void aa_analyst_submit(struct aa_analyst *a, struct aa_analysis_job job)
{
	pthread_mutex_lock(&a->lock);
	size_t i = 0;
	while (i < a->n_jobs && strcmp(a->jobs[i].uri, job.uri))
		i++;
	if (i < a->n_jobs) {
		free_job(&a->jobs[i]);
	} else {
		AA_GROW(a->jobs, a->jobs_cap, a->n_jobs + 1);
		a->n_jobs++;
	}
	a->jobs[i] = job;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
}

void aa_analyst_stop(struct aa_analyst *a)
{
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	for (size_t i = 0; i < a->n_jobs; i++)
		free_job(&a->jobs[i]);
	free(a->jobs);
	a->jobs = NULL;
	a->n_jobs = a->jobs_cap = 0;
	pthread_cond_destroy(&a->wake);
	pthread_mutex_destroy(&a->lock);
}
