#include "analyzer/engine/run.h"
#include "analyzer/engine/audit.h"
#include "analyzer/engine/crossfile.h"
#include "analyzer/engine/project.h"
#include "analyzer/index/index.h"
#include "analyzer/input/context.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

double aa_run_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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
		  struct aa_run_progress *progress, struct aa_run_result *result)
{
	aa_diag_list_init(&result->diags);
	aa_findings_init(&result->findings);
	struct aa_project *p = aa_project_new(engine, files, n, jobs);
	aa_project_once(p);
	struct aa_project_stats st;
	struct aa_diag_list cross;
	aa_diag_list_init(&cross);
	aa_project_run(p, &cross, &st, progress);
	aa_project_free_into(p, &result->findings);
	drop_context_findings(&cross, files, n);
	aa_findings_take_list(&result->findings, &cross);
	result->internal_errors = st.internal_errors;
	result->on_demand = st.on_demand;
	result->parsed = st.parsed;
	result->rounds = st.rounds;
	result->per_file_secs = st.per_file_secs;
	result->on_demand_secs = st.on_demand_secs;
	result->link_secs = st.link_secs;
	result->foreign = st.foreign;
}

void aa_run_bytes(const struct aa_engine *engine, const char *name, char *data, size_t len,
		  struct aa_run_result *result)
{
	memset(result, 0, sizeof(*result));
	aa_diag_list_init(&result->diags);
	aa_findings_init(&result->findings);
	struct aa_worker w;
	aa_worker_init(&w, engine);
	struct aa_summary *sum = NULL;
	struct aa_file_job job = { .path = name, .display = name };
	job.settings = engine->file_settings ? engine->file_settings[0] : NULL;
	if (data)
		sum = aa_analyze_bytes(&w, data, len, &job);
	aa_diag_list_take(&result->diags, &w.diags);
	if (sum) {
		struct aa_index *index = aa_index_new(&sum, 1);
		aa_crossfile_run(engine, index, &sum, &job.noqa, 1, 1, &result->diags, &result->foreign);
		aa_index_free(index);
	}
	struct aa_audit_file af = { name, job.noqa, false };
	aa_audit_run(engine, &af, 1, &result->diags);
	aa_summary_free(sum);
	if (job.noqa)
		aa_noqa_release(job.noqa);
	free(job.noqa);
	aa_diag_list_sort(&result->diags);
	result->internal_errors = w.internal_errors;
	result->parsed = w.parsed;
	aa_worker_release(&w);
}
