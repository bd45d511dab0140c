#include "analyzer/run.h"
#include "analyzer/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct shared {
	const struct aa_engine *engine;
	const struct aa_discovered_file *files;
	size_t n;
	size_t next; /* atomic */
};

struct thread_state {
	struct shared *shared;
	struct aa_worker worker;
	pthread_t thread;
	int started;
};

static void *work(void *arg)
{
	struct thread_state *t = arg;
	struct shared *s = t->shared;
	for (;;) {
		size_t i = __atomic_fetch_add(&s->next, 1, __ATOMIC_RELAXED);
		if (i >= s->n)
			break;
		const struct aa_discovered_file *f = &s->files[i];
		aa_analyze_path(&t->worker, f->path, f->path, f->dangling);
	}
	return NULL;
}

void aa_run_files(const struct aa_engine *engine, const struct aa_discovered_file *files, size_t n, unsigned jobs,
		 struct aa_run_result *result)
{
	aa_diag_list_init(&result->diags);
	result->internal_errors = 0;
	if (jobs < 1)
		jobs = 1;
	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	struct shared s = { engine, files, n, 0 };
	struct thread_state *ts = aa_xcalloc(jobs, sizeof(*ts));
	for (unsigned i = 0; i < jobs; i++) {
		ts[i].shared = &s;
		aa_worker_init(&ts[i].worker, engine);
	}
	/* Thread 0 is the calling thread; the others are spawned. */
	for (unsigned i = 1; i < jobs; i++) {
		/* A thread that cannot start leaves its share to the others. */
		ts[i].started = pthread_create(&ts[i].thread, NULL, work, &ts[i]) == 0;
	}
	work(&ts[0]);
	for (unsigned i = 1; i < jobs; i++)
		if (ts[i].started)
			pthread_join(ts[i].thread, NULL);
	for (unsigned i = 0; i < jobs; i++) {
		aa_diag_list_take(&result->diags, &ts[i].worker.diags);
		result->internal_errors += ts[i].worker.internal_errors;
		aa_worker_release(&ts[i].worker);
	}
	free(ts);
	aa_diag_list_sort(&result->diags);
}
