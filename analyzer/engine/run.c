#include "analyzer/engine/run.h"
#include "analyzer/engine/crossfile.h"
#include "analyzer/index/index.h"
#include "analyzer/input/context.h"
#include "analyzer/input/source.h"
#include "analyzer/base/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct shared {
	const struct aa_engine *engine;
	const struct aa_discovered_file *files;
	const size_t *todo;   /* file indices to analyze */
	size_t n_todo;
	bool force;
	struct aa_summary **summaries; /* per file; each slot written by one thread */
	struct aa_noqa **noqas; /* per file, beside its summary: its suppression comments */
	bool *skipped;        /* per file: not parsed by the prefilter (may be wanted later) */
	size_t *bytes;        /* per file: its length as read */
	size_t next;          /* atomic */
};

struct thread_state {
	struct shared *shared;
	struct aa_worker worker;
	pthread_t thread;
	bool started;
};

double aa_run_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *work(void *arg)
{
	struct thread_state *t = arg;
	struct shared *s = t->shared;
	for (;;) {
		size_t k = __atomic_fetch_add(&s->next, 1, __ATOMIC_RELAXED);
		if (k >= s->n_todo)
			break;
		size_t i = s->todo[k];
		const struct aa_discovered_file *f = &s->files[i];
		struct aa_file_job job = { .path = f->path, .display = f->path, .unreadable = f->unreadable, .force = s->force };
		if (s->engine->modmap)
			job.module = aa_modmap_module(s->engine->modmap, i, &job.is_package);
		/* A file read on demand had its import-only summary set aside (run below). */
		s->summaries[i] = aa_analyze_path(&t->worker, &job);
		s->noqas[i] = job.noqa;
		s->skipped[i] = job.prefiltered;
		s->bytes[i] = job.bytes;
	}
	return NULL;
}

/* Does the file's text contain one of the needles? A skipped file is read again (from
 * the page cache) only when its imports name a project coroutine. */
static bool file_mentions(void *ud, size_t file, const char *const *needles, size_t n)
{
	const struct aa_discovered_file *files = ud;
	struct aa_source src;
	struct aa_source_error err;
	if (aa_source_load(&src, files[file].path, &err) != AA_SOURCE_OK)
		return false;
	bool found = false;
	for (size_t i = 0; i < n && !found; i++)
		found = memmem(src.text, src.len, needles[i], strlen(needles[i])) != NULL;
	aa_source_release(&src);
	return found;
}

struct sized {
	size_t bytes, file;
};

static int cmp_sized(const void *a, const void *b)
{
	const struct sized *x = a, *y = b;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1; /* largest first */
	return x->file < y->file ? -1 : x->file > y->file;
}

/* files[0..n) by size, largest first, ties by file index. */
static void sort_by_size(size_t *files, size_t n, const size_t *bytes)
{
	struct sized *v = aa_xmalloc((n ? n : 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (struct sized){ bytes[files[i]], files[i] };
	qsort(v, n, sizeof(*v), cmp_sized);
	for (size_t i = 0; i < n; i++)
		files[i] = v[i].file;
	free(v);
}

static void run_round(struct shared *s, struct thread_state *ts, unsigned jobs)
{
	s->next = 0;
	for (unsigned i = 1; i < jobs; i++)
		/* A thread that cannot start leaves its share to the others. */
		ts[i].started = pthread_create(&ts[i].thread, NULL, work, &ts[i]) == 0;
	work(&ts[0]);
	for (unsigned i = 1; i < jobs; i++)
		if (ts[i].started)
			pthread_join(ts[i].thread, NULL);
}

/* The on-demand rounds: each asks the index which skipped files it needs, reads them
 * (largest first), and adds their summaries to the index, until it needs none. The
 * summaries the files read replace go to *retired (grown; caller frees them and it,
 * after the index).
 * Each round follows one more level of imports from sync code, as deep as the chains go:
 * the files bound the rounds, since a round reads only files not read before (the index
 * wants no analyzed file), and one that reads nothing ends them, or leads to one last
 * importers' pass. */
static void read_on_demand(struct shared *s, struct thread_state *ts, unsigned jobs, size_t n, struct aa_index *index,
			   struct aa_summary ***retired, size_t *n_retired, struct aa_run_result *result)
{
	bool *parsed = aa_xcalloc(n ? n : 1, sizeof(bool));
	size_t *wanted = NULL, wanted_cap = 0, *order = NULL, order_cap = 0, retired_cap = 0;
	/* Looking for the skipped files that import a project coroutine is the costly part
	 * of a round: it is done in the first round, then again only when the chains want
	 * nothing more, until it finds nothing new. */
	bool importers = true;
	struct aa_demand_hook *hooks = aa_xcalloc(s->engine->n_crossfiles + 1, sizeof(*hooks));
	size_t n_hooks = 0;
	for (size_t c = 0; c < s->engine->n_crossfiles; c++)
		if (s->engine->crossfiles[c]->demand)
			hooks[n_hooks++] = (struct aa_demand_hook){ s->engine->crossfiles[c]->demand, c };
	for (;;) {
		/* Files that failed to read count as done: their AA002 is reported. */
		for (size_t i = 0; i < n; i++)
			parsed[i] = !s->skipped[i];
		struct aa_index_text_check check = { file_mentions, (void *)s->files };
		size_t k = aa_index_wanted_files(index, s->engine->modmap, parsed, n, importers, hooks, n_hooks, &wanted,
						 &wanted_cap, &check);
		if (!k && importers)
			break;
		importers = !k;
		if (!k)
			continue;
		AA_GROW(*retired, retired_cap, *n_retired + k);
		for (size_t j = 0; j < k; j++) {
			s->skipped[wanted[j]] = false;
			if (s->summaries[wanted[j]])
				(*retired)[(*n_retired)++] = s->summaries[wanted[j]];
			s->summaries[wanted[j]] = NULL;
		}
		/* Largest first: a round of a few dozen files ends with the threads evenly
		 * loaded (the index still adds them in file order). */
		AA_GROW(order, order_cap, k);
		memcpy(order, wanted, k * sizeof(*order));
		sort_by_size(order, k, s->bytes);
		s->todo = order;
		s->n_todo = k;
		s->force = true;
		result->on_demand += k;
		result->rounds++;
		run_round(s, ts, jobs);
		aa_index_add(index, wanted, k);
	}
	s->todo = NULL; /* order is freed below */
	s->n_todo = 0;
	free(hooks);
	free(wanted);
	free(order);
	free(parsed);
}

/* A finding located in a context file is not reported (input/context.h). Findings name
 * their file by its display path, and files are sorted by path: each is found by
 * bisection. A finding in a named file that points into a context file (a chain's
 * related location) is kept. */
static void drop_context_findings(struct aa_diag_list *diags, const struct aa_discovered_file *files, size_t n)
{
	size_t kept = 0;
	for (size_t i = 0; i < diags->len; i++) {
		struct aa_discovered_file key = { .path = diags->items[i].path };
		const struct aa_discovered_file *f = bsearch(&key, files, n, sizeof(*files), aa_discovered_file_cmp);
		if (f && f->context)
			aa_diag_release(&diags->items[i]);
		else
			diags->items[kept++] = diags->items[i];
	}
	diags->len = kept;
}

void aa_run_files(const struct aa_engine *engine, const struct aa_discovered_file *files, size_t n, unsigned jobs,
		  struct aa_run_result *result)
{
	aa_diag_list_init(&result->diags);
	result->internal_errors = 0;
	result->on_demand = 0;
	result->parsed = 0;
	result->rounds = 0;
	double t0 = aa_run_now();
	if (jobs < 1)
		jobs = 1;
	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	size_t *todo = aa_xmalloc((n ? n : 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		todo[i] = i;
	struct shared s = { .engine = engine, .files = files, .todo = todo, .n_todo = n };
	s.summaries = aa_xcalloc(n ? n : 1, sizeof(*s.summaries));
	s.noqas = aa_xcalloc(n ? n : 1, sizeof(*s.noqas));
	s.skipped = aa_xcalloc(n ? n : 1, sizeof(bool));
	s.bytes = aa_xcalloc(n ? n : 1, sizeof(size_t));
	struct thread_state *ts = aa_xcalloc(jobs, sizeof(*ts));
	for (unsigned i = 0; i < jobs; i++) {
		ts[i].shared = &s;
		aa_worker_init(&ts[i].worker, engine);
	}
	run_round(&s, ts, jobs);
	double t1 = aa_run_now();

	/* Modules the analyzed code calls into: read on demand, even without async code.
	 * The import-only summaries those files had stay alive beside the index, which
	 * borrows their strings (retired). */
	struct aa_summary **retired = NULL;
	size_t n_retired = 0;
	struct aa_index *index = engine->uses_index ? aa_index_new(s.summaries, n) : NULL;
	if (index && engine->modmap)
		read_on_demand(&s, ts, jobs, n, index, &retired, &n_retired, result);
	double t2 = aa_run_now();

	for (unsigned i = 0; i < jobs; i++) {
		aa_diag_list_take(&result->diags, &ts[i].worker.diags);
		result->internal_errors += ts[i].worker.internal_errors;
		result->parsed += ts[i].worker.parsed;
		aa_worker_release(&ts[i].worker);
	}
	free(ts);
	/* The rounds' index has every summary by now: it decides the cross-file rules. */
	if (index)
		aa_crossfile_run(engine, index, s.summaries, s.noqas, n, &result->diags);
	aa_index_free(index);
	for (size_t i = 0; i < n_retired; i++)
		aa_summary_free(retired[i]);
	free(retired);
	for (size_t i = 0; i < n; i++) {
		aa_summary_free(s.summaries[i]);
		if (s.noqas[i])
			aa_noqa_release(s.noqas[i]);
		free(s.noqas[i]);
	}
	free(s.summaries);
	free(s.noqas);
	free(s.skipped);
	free(s.bytes);
	free(todo);
	drop_context_findings(&result->diags, files, n);
	aa_diag_list_sort(&result->diags);
	result->per_file_secs = t1 - t0;
	result->on_demand_secs = t2 - t1;
	result->link_secs = aa_run_now() - t2;
}

void aa_run_bytes(const struct aa_engine *engine, const char *name, char *data, size_t len,
		  struct aa_run_result *result)
{
	memset(result, 0, sizeof(*result));
	aa_diag_list_init(&result->diags);
	struct aa_worker w;
	aa_worker_init(&w, engine);
	struct aa_summary *sum = NULL;
	struct aa_file_job job = { .path = name, .display = name };
	if (data)
		sum = aa_analyze_bytes(&w, data, len, &job);
	aa_diag_list_take(&result->diags, &w.diags);
	if (sum) {
		struct aa_index *index = aa_index_new(&sum, 1);
		aa_crossfile_run(engine, index, &sum, &job.noqa, 1, &result->diags);
		aa_index_free(index);
	}
	aa_summary_free(sum);
	if (job.noqa)
		aa_noqa_release(job.noqa);
	free(job.noqa);
	aa_diag_list_sort(&result->diags);
	result->internal_errors = w.internal_errors;
	result->parsed = w.parsed;
	aa_worker_release(&w);
}
