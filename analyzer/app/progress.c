#include "analyzer/app/progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Ten refreshes a second at most: faster is flicker, and each is a write(2). */
#define TICK_NS 100000000L

static struct timespec deadline_after(long ns)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += ns;
	while (t.tv_nsec >= 1000000000L) {
		t.tv_nsec -= 1000000000L;
		t.tv_sec++;
	}
	return t;
}

/* Overwrites the previous text with spaces: a carriage return and blanks need no
 * terminal capability (TERM=dumb has no erase-line sequence). */
static void erase(int width)
{
	if (width > 0)
		fprintf(stderr, "\r%*s\r", width, "");
}

static void *show(void *arg)
{
	struct aa_progress_line *line = arg;
	double start = aa_run_now();
	int width = 0;
	size_t last_done = (size_t)-1;
	pthread_mutex_lock(&line->lock);
	while (!line->stop) {
		size_t done = __atomic_load_n(&line->counter->done, __ATOMIC_RELAXED);
		size_t total = __atomic_load_n(&line->counter->total, __ATOMIC_RELAXED);
		if (aa_run_now() - start >= line->delay && done != last_done) {
			last_done = done;
			char text[96];
			int n = snprintf(text, sizeof(text), "async-analyzer: %zu/%zu files%s", done, total,
					 done >= total ? ", linking" : "");
			erase(width);
			fputs(text, stderr);
			fflush(stderr);
			width = n;
		}
		struct timespec until = deadline_after(TICK_NS);
		int rc = 0;
		while (!line->stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&line->wake, &line->lock, &until);
	}
	pthread_mutex_unlock(&line->lock);
	erase(width);
	fflush(stderr);
	return NULL;
}

void aa_progress_start(struct aa_progress_line *line, const struct aa_run_progress *counter)
{
	memset(line, 0, sizeof(*line));
	line->counter = counter;
	if (!isatty(STDERR_FILENO))
		return;
	const char *env = getenv("ASYNC_ANALYZER_PROGRESS_DELAY");
	char *end = NULL;
	double delay = env && *env ? strtod(env, &end) : 1.0;
	line->delay = end && (*end || delay < 0) ? 1.0 : delay;
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) != 0)
		return;
	bool ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&line->wake, &attr) == 0;
	pthread_condattr_destroy(&attr);
	if (!ok)
		return;
	if (pthread_mutex_init(&line->lock, NULL) != 0) {
		pthread_cond_destroy(&line->wake);
		return;
	}
	line->started = pthread_create(&line->thread, NULL, show, line) == 0;
	if (!line->started) {
		pthread_mutex_destroy(&line->lock);
		pthread_cond_destroy(&line->wake);
	}
}

void aa_progress_stop(struct aa_progress_line *line)
{
	if (!line->started)
		return;
	pthread_mutex_lock(&line->lock);
	line->stop = true;
	pthread_cond_signal(&line->wake);
	pthread_mutex_unlock(&line->lock);
	pthread_join(line->thread, NULL);
	pthread_mutex_destroy(&line->lock);
	pthread_cond_destroy(&line->wake);
	line->started = false;
}
