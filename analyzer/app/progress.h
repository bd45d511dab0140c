/*
 * progress.h: the progress line of a long run, on standard error: "async-analyzer:
 * 1234/5678 files", rewritten in place (carriage return) at most ten times a second,
 * erased when the run ends. Shown only when standard error is a terminal and the run
 * has lasted longer than a delay (1 s; the environment variable
 * ASYNC_ANALYZER_PROGRESS_DELAY sets it in seconds, as git's GIT_PROGRESS_DELAY does),
 * so a quick run, a pipe, a log file or CI output never sees it. It writes to the
 * terminal only: never to standard output or an output file. A thread of its own reads
 * the run's counter (run.h's struct aa_run_progress), so the workers never wait for it.
 */
#ifndef AA_PROGRESS_H
#define AA_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>

#include "analyzer/engine/run.h"

struct aa_progress_line {
	const struct aa_run_progress *counter; /* borrowed */
	double delay;                          /* seconds before the first line */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool started; /* the thread runs */
	bool stop;    /* under lock: the run is over */
};

/* Starts the progress line of counter (borrowed: it must outlive the line) when
 * standard error is a terminal; does nothing otherwise, or when no thread can start.
 * Stop it with aa_progress_stop either way. */
void aa_progress_start(struct aa_progress_line *line, const struct aa_run_progress *counter);

/* Stops the line and erases what it printed, before anything else is written to
 * standard error. */
void aa_progress_stop(struct aa_progress_line *line);

#endif
