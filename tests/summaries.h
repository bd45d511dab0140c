/*
 * summaries.h: summaries of small in-memory modules for the C unit tests
 * (tests/summary_test.c, tests/index_test.c), built by the per-file driver
 * (aa_analyze_bytes) as a run builds them, with every rule enabled and no module map
 * (then names under the module's own top-level package are the project's).
 *
 *	struct summaries s;
 *	summaries_init(&s);
 *	struct aa_summary *sum = summaries_add(&s, "pkg.db", false, "async def f(): ...\n");
 *	...
 *	summaries_release(&s);
 *
 * summaries_add parses the source even without async code (a module the index needs)
 * and keeps the summary: s.sums[0..s.n) are in the order added, owned by s until
 * summaries_release. A source that does not decode, has a syntax error or yields no
 * summary is a setup failure: the test exits 2 saying which. Findings are kept in
 * s.worker.diags.
 */
#ifndef AA_TESTS_SUMMARIES_H
#define AA_TESTS_SUMMARIES_H

#include "analyzer/base/xalloc.h"
#include "analyzer/check/rule.h"
#include "analyzer/engine/analyze.h"
#include "analyzer/facts/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct summaries {
	struct aa_engine engine;
	struct aa_worker worker;
	struct aa_summary **sums; /* owned, each owned */
	size_t n, cap;
};

static inline void summaries_init(struct summaries *s)
{
	memset(s, 0, sizeof(*s));
	bool *enabled = aa_xcalloc(aa_rules_count, sizeof(bool));
	for (size_t i = 0; i < aa_rules_count; i++)
		enabled[i] = true;
	const char *error = NULL;
	static const char *const no_calls[] = { NULL };
	int rc = aa_engine_init(&s->engine, enabled, no_calls, &error);
	free(enabled);
	if (rc < 0) {
		fprintf(stderr, "the grammar lacks the node kind '%s'\n", error);
		exit(2);
	}
	aa_worker_init(&s->worker, &s->engine);
}

/* The summary of text (copied) as module (a package's __init__ when is_package), shown
 * as "<module>.py". Borrowed from s. */
static inline struct aa_summary *summaries_add(struct summaries *s, const char *module, bool is_package,
					       const char *text)
{
	size_t len = strlen(text);
	char *data = aa_xmalloc(len + 1);
	memcpy(data, text, len + 1);
	char *display = aa_xasprintf("%s.py", module);
	struct aa_file_job job = {
		.path = display, .display = display, .module = module, .is_package = is_package, .force = true
	};
	int errors = s->worker.internal_errors;
	size_t diags = s->worker.diags.len;
	struct aa_summary *sum = aa_analyze_bytes(&s->worker, data, len, &job);
	bool syntax_error = false;
	for (size_t i = diags; i < s->worker.diags.len; i++)
		syntax_error |= !strcmp(s->worker.diags.items[i].rule->code, "AA001");
	if (!sum || s->worker.internal_errors != errors || syntax_error) {
		fprintf(stderr, "module %s does not parse or gave no summary:\n%s\n", module, text);
		exit(2);
	}
	free(display);
	AA_GROW(s->sums, s->cap, s->n + 1);
	s->sums[s->n++] = sum;
	return sum;
}

static inline void summaries_release(struct summaries *s)
{
	for (size_t i = 0; i < s->n; i++)
		aa_summary_free(s->sums[i]);
	free(s->sums);
	aa_worker_release(&s->worker);
	aa_engine_release(&s->engine);
}

#endif
