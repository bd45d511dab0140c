#include "analyzer/engine/project.h"
#include "analyzer/engine/audit.h"
#include "analyzer/engine/crossfile.h"
#include "analyzer/engine/run.h"
#include "analyzer/index/index.h"
#include "analyzer/input/source.h"
#include "analyzer/base/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct thread_state {
	struct aa_project *project;
	struct aa_worker worker;
	pthread_t thread;
	bool started;
	/* owned; with once, the frozen findings of the files this thread analyzed */
	struct aa_arena frozen;
};

/* The editor's text of a file, or NULL text: the file on disk. */
struct editor_text {
	char *text; /* owned */
	size_t len;
};

struct aa_project {
	const struct aa_engine *engine;           /* borrowed */
	const struct aa_discovered_file *files;   /* borrowed */
	size_t n;
	/* Per file (n entries each, owned). summaries and noqas are arrays because the index
	 * and the cross-file stage read them as such. */
	struct aa_summary **summaries;  /* owned summaries */
	struct aa_noqa **noqas;         /* owned; its suppression comments, beside its summary */
	/* its local findings, frozen (aa_diag_freeze), or NULL: owned, or with once in a
	 * thread's frozen arena */
	unsigned char **local;
	/* owned; n entries once the editor first set a text (the language server), else NULL:
	 * `check` (maybe 100,000 files) reads every file from disk */
	struct editor_text *texts;
	size_t *bytes;                  /* its length as read */
	bool *skipped;                  /* not parsed by the prefilter (may be wanted later) */
	bool *forced;                   /* the index wanted it once: always parsed */
	bool *stale;                    /* to analyze at the next run */
	/* The round being run: file indices to analyze, taken by the threads in turn. */
	const size_t *todo;
	size_t n_todo;
	size_t next;                    /* atomic */
	struct aa_run_progress *progress; /* borrowed during a run's first round, else NULL */
	unsigned jobs;
	struct thread_state *threads;   /* owned; jobs entries, each with its worker */
	bool once;                      /* aa_project_once */
};

struct aa_project *aa_project_new(const struct aa_engine *engine, const struct aa_discovered_file *files, size_t n,
				  unsigned jobs)
{
	struct aa_project *p = aa_xcalloc(1, sizeof(*p));
	size_t m = n ? n : 1;
	p->engine = engine;
	p->files = files;
	p->n = n;
	p->summaries = aa_xcalloc(m, sizeof(*p->summaries));
	p->noqas = aa_xcalloc(m, sizeof(*p->noqas));
	p->local = aa_xcalloc(m, sizeof(*p->local));
	p->bytes = aa_xcalloc(m, sizeof(*p->bytes));
	p->skipped = aa_xcalloc(m, sizeof(bool));
	p->forced = aa_xcalloc(m, sizeof(bool));
	p->stale = aa_xcalloc(m, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		p->stale[i] = true;
	p->jobs = jobs < 1 ? 1 : jobs;
	if (p->jobs > n)
		p->jobs = n ? (unsigned)n : 1;
	p->threads = aa_xcalloc(p->jobs, sizeof(*p->threads));
	for (unsigned i = 0; i < p->jobs; i++) {
		p->threads[i].project = p;
		/* Blocks of 64 KB: a few hundred for 100,000 short findings. */
		p->threads[i].frozen = (struct aa_arena)AA_ARENA_INIT(4096, 1 << 16);
		aa_worker_init(&p->threads[i].worker, engine);
	}
	return p;
}

static const struct editor_text *editor_text(const struct aa_project *p, size_t file)
{
	return p->texts && p->texts[file].text ? &p->texts[file] : NULL;
}

static void drop_results(struct aa_project *p, size_t i)
{
	aa_summary_free(p->summaries[i]);
	p->summaries[i] = NULL;
	if (p->noqas[i])
		aa_noqa_release(p->noqas[i]);
	free(p->noqas[i]);
	p->noqas[i] = NULL;
	if (p->local) {
		if (!p->once)
			free(p->local[i]);
		p->local[i] = NULL;
	}
}

void aa_project_free(struct aa_project *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->jobs; i++) {
		aa_worker_release(&p->threads[i].worker);
		aa_arena_release(&p->threads[i].frozen);
	}
	free(p->threads);
	for (size_t i = 0; i < p->n; i++) {
		drop_results(p, i);
		free(p->texts ? p->texts[i].text : NULL);
	}
	free(p->summaries);
	free(p->noqas);
	free(p->local);
	free(p->texts);
	free(p->bytes);
	free(p->skipped);
	free(p->forced);
	free(p->stale);
	free(p);
}

size_t aa_project_find(const struct aa_project *p, const char *path)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->files[mid].path, path);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

void aa_project_set_text(struct aa_project *p, size_t file, char *text, size_t len)
{
	if (!p->texts)
		p->texts = aa_xcalloc(p->n, sizeof(*p->texts));
	free(p->texts[file].text);
	p->texts[file] = (struct editor_text){ text, text ? len : 0 };
	p->stale[file] = true;
}

void aa_project_changed(struct aa_project *p, size_t file)
{
	p->stale[file] = true;
}

void aa_project_once(struct aa_project *p)
{
	p->once = true;
}

void aa_project_copy_local(const struct aa_project *p, size_t file, struct aa_diag_list *out)
{
	aa_diag_thaw(p->local[file], p->files[file].path, out);
}

void aa_project_free_into(struct aa_project *p, struct aa_findings *out)
{
	/* The blocks outlive the project, whose summaries and per-file state are freed
	 * before the report reads them. */
	for (unsigned i = 0; i < p->jobs; i++)
		aa_findings_take_arena(out, &p->threads[i].frozen);
	unsigned char **local = p->local;
	const struct aa_discovered_file *files = p->files;
	size_t n_files = p->n;
	p->local = NULL;
	aa_project_free(p);
	/* A context file's findings are not reported (input/context.h); its block stays
	 * in the arena until the store is released. */
	for (size_t i = 0; i < n_files; i++)
		if (!files[i].context)
			aa_findings_add_block(out, files[i].path, local[i]);
	free(local);
}

static void analyze_one(struct aa_project *p, struct thread_state *t, size_t i)
{
	struct aa_worker *w = &t->worker;
	const struct aa_discovered_file *f = &p->files[i];
	struct aa_file_job job = { .path = f->path, .display = f->path, .unreadable = f->unreadable, .force = p->forced[i] };
	job.settings = p->engine->file_settings ? p->engine->file_settings[i] : NULL;
	if (p->engine->modmap) {
		job.module = aa_modmap_module(p->engine->modmap, i, &job.is_package);
		size_t below = aa_modmap_below_root(p->engine->modmap, i);
		job.below_root = below == SIZE_MAX ? NULL : f->path + below;
	}
	size_t before = w->diags.len;
	struct aa_summary *sum;
	const struct editor_text *et = editor_text(p, i);
	if (et) {
		/* The engine takes the bytes it analyzes: it gets a copy, the editor's text stays. */
		char *copy = aa_xmalloc(et->len + 1);
		memcpy(copy, et->text, et->len);
		copy[et->len] = '\0';
		job.unreadable = NULL;
		sum = aa_analyze_bytes(w, copy, et->len, &job);
	} else {
		sum = aa_analyze_path(w, &job);
	}
	/* A file read on demand had its import-only summary set aside (read_on_demand). */
	p->summaries[i] = sum;
	p->noqas[i] = job.noqa;
	if (job.noqa)
		aa_noqa_keep_marks(job.noqa);
	p->skipped[i] = job.prefiltered;
	p->bytes[i] = job.bytes;
	p->stale[i] = false;
	/* Kept to the end of the run, for each of maybe 100,000 files named one by one. */
	struct aa_diag_list mine;
	aa_diag_list_init(&mine);
	aa_diag_list_take_tail(&mine, &w->diags, before);
	p->local[i] = aa_diag_freeze(&mine, f->path, p->once ? &t->frozen : NULL);
	if (p->progress)
		__atomic_fetch_add(&p->progress->done, 1, __ATOMIC_RELAXED);
}

static void *work(void *arg)
{
	struct thread_state *t = arg;
	struct aa_project *p = t->project;
	for (;;) {
		size_t k = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
		if (k >= p->n_todo)
			break;
		analyze_one(p, t, p->todo[k]);
	}
	return NULL;
}

/* Analyzes p->todo[0..n_todo) with the project's threads (the calling thread is one of
 * them, so the round completes even when no extra thread can be started). */
static void run_round(struct aa_project *p)
{
	unsigned jobs = p->jobs;
	if (jobs > p->n_todo)
		jobs = p->n_todo ? (unsigned)p->n_todo : 1;
	p->next = 0;
	for (unsigned i = 1; i < jobs; i++)
		/* A thread that cannot start leaves its share to the others. */
		p->threads[i].started = pthread_create(&p->threads[i].thread, NULL, work, &p->threads[i]) == 0;
	work(&p->threads[0]);
	for (unsigned i = 1; i < jobs; i++)
		if (p->threads[i].started)
			pthread_join(p->threads[i].thread, NULL);
}

/* Does the file's text contain one of the needles? A skipped file is read again (from
 * the page cache) only when its imports name a project coroutine. */
static bool file_mentions(void *ud, size_t file, const char *const *needles, size_t n)
{
	const struct aa_project *p = ud;
	struct aa_source src = { 0 };
	struct aa_source_error err;
	const struct editor_text *et = editor_text(p, file);
	const char *text = et ? et->text : NULL;
	size_t len = et ? et->len : 0;
	if (!text) {
		if (aa_source_load(&src, p->files[file].path, &err) != AA_SOURCE_OK)
			return false;
		text = src.text;
		len = src.len;
	}
	bool found = false;
	for (size_t i = 0; i < n && !found; i++)
		found = memmem(text, len, needles[i], strlen(needles[i])) != NULL;
	if (!et)
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

/* The on-demand rounds: each asks the index which skipped files it needs, reads them
 * (largest first), and adds their summaries to the index, until it needs none. The
 * summaries the files read replace go to *retired (grown; caller frees them and it,
 * after the index).
 * Each round follows one more level of imports from sync code, as deep as the chains go:
 * the files bound the rounds, since a round reads only files not read before (the index
 * wants no analyzed file), and one that reads nothing ends them, or leads to one last
 * importers' pass. */
static void read_on_demand(struct aa_project *p, struct aa_index *index, struct aa_summary ***retired,
			   size_t *n_retired, struct aa_project_stats *stats)
{
	size_t n = p->n;
	bool *parsed = aa_xcalloc(n ? n : 1, sizeof(bool));
	size_t *wanted = NULL, wanted_cap = 0, *order = NULL, order_cap = 0, retired_cap = 0;
	/* Looking for the skipped files that import a project coroutine is the costly part
	 * of a round: it is done in the first round, then again only when the chains want
	 * nothing more, until it finds nothing new. */
	bool importers = true;
	const struct aa_engine *engine = p->engine;
	struct aa_demand_hook *hooks = aa_xcalloc(engine->n_crossfiles + 1, sizeof(*hooks));
	size_t n_hooks = 0;
	for (size_t c = 0; c < engine->n_crossfiles; c++)
		if (engine->crossfiles[c]->demand)
			hooks[n_hooks++] = (struct aa_demand_hook){ engine->crossfiles[c]->demand, c };
	for (;;) {
		/* Files that failed to read count as done: their AA002 is reported. */
		for (size_t i = 0; i < n; i++)
			parsed[i] = !p->skipped[i];
		struct aa_index_text_check check = { file_mentions, p };
		size_t k = aa_index_wanted_files(index, engine->modmap, parsed, n, importers, hooks, n_hooks, &wanted,
						 &wanted_cap, &check);
		if (!k && importers)
			break;
		importers = !k;
		if (!k)
			continue;
		AA_GROW(*retired, retired_cap, *n_retired + k);
		for (size_t j = 0; j < k; j++) {
			p->skipped[wanted[j]] = false;
			p->forced[wanted[j]] = true;
			if (p->summaries[wanted[j]])
				(*retired)[(*n_retired)++] = p->summaries[wanted[j]];
			p->summaries[wanted[j]] = NULL;
			if (p->noqas[wanted[j]])
				aa_noqa_release(p->noqas[wanted[j]]);
			free(p->noqas[wanted[j]]);
			p->noqas[wanted[j]] = NULL;
		}
		/* Largest first: a round of a few dozen files ends with the threads evenly
		 * loaded (the index still adds them in file order). */
		AA_GROW(order, order_cap, k);
		memcpy(order, wanted, k * sizeof(*order));
		sort_by_size(order, k, p->bytes);
		p->todo = order;
		p->n_todo = k;
		stats->on_demand += k;
		stats->rounds++;
		run_round(p);
		aa_index_add(index, wanted, k);
	}
	p->todo = NULL; /* order is freed below */
	p->n_todo = 0;
	free(hooks);
	free(wanted);
	free(order);
	free(parsed);
}

void aa_project_run(struct aa_project *p, struct aa_diag_list *cross, struct aa_project_stats *stats,
		    struct aa_run_progress *progress)
{
	memset(stats, 0, sizeof(*stats));
	double t0 = aa_run_now();
	int errors_before = 0;
	size_t parsed_before = 0;
	for (unsigned i = 0; i < p->jobs; i++) {
		errors_before += p->threads[i].worker.internal_errors;
		parsed_before += p->threads[i].worker.parsed;
	}
	size_t *todo = aa_xmalloc((p->n ? p->n : 1) * sizeof(size_t));
	size_t n_todo = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (!p->stale[i])
			continue;
		drop_results(p, i);
		todo[n_todo++] = i;
	}
	p->todo = todo;
	p->n_todo = n_todo;
	stats->analyzed = n_todo;
	if (progress) {
		__atomic_store_n(&progress->done, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&progress->total, n_todo, __ATOMIC_RELAXED);
	}
	p->progress = progress;
	run_round(p);
	p->progress = NULL;
	p->todo = NULL;
	p->n_todo = 0;
	free(todo);
	double t1 = aa_run_now();

	/* Modules the analyzed code calls into: read on demand, even without async code.
	 * The import-only summaries those files had stay alive beside the index, which
	 * borrows their strings (retired). */
	struct aa_summary **retired = NULL;
	size_t n_retired = 0;
	struct aa_index *index = p->engine->uses_index ? aa_index_new(p->summaries, p->n) : NULL;
	if (index && p->engine->modmap) {
		aa_index_use_modmap(index, p->engine->modmap);
		read_on_demand(p, index, &retired, &n_retired, stats);
	}
	double t2 = aa_run_now();

	/* An unchanged file's noqa holds the uses of the last run's link: they may not hold. */
	for (size_t i = 0; i < p->n; i++)
		if (p->noqas[i])
			aa_noqa_restore_marks(p->noqas[i]);
	/* The rounds' index has every summary by now: it decides the cross-file rules. */
	if (index)
		aa_crossfile_run(p->engine, index, p->summaries, p->noqas, p->n, p->jobs, cross, &stats->foreign);
	aa_index_free(index);
	if (p->engine->n_audits) {
		struct aa_audit_file *af = aa_xcalloc(p->n ? p->n : 1, sizeof(*af));
		for (size_t i = 0; i < p->n; i++)
			af[i] = (struct aa_audit_file){ p->files[i].path, p->noqas[i], p->forced[i] };
		aa_audit_run(p->engine, af, p->n, cross);
		free(af);
	}
	for (size_t i = 0; i < n_retired; i++)
		aa_summary_free(retired[i]);
	free(retired);
	aa_diag_list_sort(cross);
	for (unsigned i = 0; i < p->jobs; i++) {
		stats->internal_errors += p->threads[i].worker.internal_errors;
		stats->parsed += p->threads[i].worker.parsed;
	}
	stats->internal_errors -= errors_before;
	stats->parsed -= parsed_before;
	stats->per_file_secs = t1 - t0;
	stats->on_demand_secs = t2 - t1;
	stats->link_secs = aa_run_now() - t2;
}
