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
#include "analyzer/facts/summarize.h"
#include "analyzer/facts/summary.h"
#include "parsers/python/parse.h"
#include "parsers/python/walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct summaries {
	struct aa_engine engine;
	struct aa_worker worker;
	struct aa_summary **sums; /* owned, each owned */
	char **texts;             /* owned, each owned: the source of sums[i] */
	bool *packages;           /* owned: sums[i] is a package's __init__ */
	size_t n, cap, texts_cap, packages_cap;
	/* owned, each owned: the scratch summaries whose arenas hold summaries_call_ref's
	 * references */
	struct aa_summary **scratch;
	size_t n_scratch, scratch_cap;
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
	if (job.noqa)
		aa_noqa_release(job.noqa);
	free(job.noqa);
	bool syntax_error = false;
	for (size_t i = diags; i < s->worker.diags.len; i++)
		syntax_error |= !strcmp(s->worker.diags.items[i].rule->code, "AA001");
	if (!sum || s->worker.internal_errors != errors || syntax_error) {
		fprintf(stderr, "module %s does not parse or gave no summary:\n%s\n", module, text);
		exit(2);
	}
	free(display);
	AA_GROW(s->sums, s->cap, s->n + 1);
	AA_GROW(s->texts, s->texts_cap, s->n + 1);
	AA_GROW(s->packages, s->packages_cap, s->n + 1);
	s->texts[s->n] = aa_xstrdup(text);
	s->packages[s->n] = is_package;
	s->sums[s->n++] = sum;
	return sum;
}

/* What summaries_call_ref's walk looks for, and found. */
struct call_probe {
	struct aa_summarizer z;
	const char *func;  /* the qualified name of the function whose call is wanted */
	bool found;
	struct aa_ref ref;
};

static inline void call_probe_enter(void *ud, TSNode node, uint32_t scope, uint32_t inner,
				    const struct aa_walk_state *ws)
{
	struct call_probe *p = ud;
	aa_summarizer_at(&p->z, scope, ws);
	aa_summarizer_enter(&p->z, node, inner);
	bool in_lambda;
	uint32_t f = aa_summarizer_function(&p->z, &in_lambda);
	if (!p->found && ts_node_symbol(node) == p->z.syms->call && f != UINT32_MAX &&
	    !strcmp(p->z.summary->funcs[f].qualname, p->func))
		p->found = aa_summarizer_ref(&p->z, node, &p->ref);
}

/* How the summarizer names (aa_summarizer_ref, as the cross-file analyses record it)
 * the first call the function func (a qualified name) of sum's module makes, when that
 * call may be project code; sum is one of s's. Strings are owned by s. No such call is a
 * setup failure (exit 2). */
static inline struct aa_ref summaries_call_ref(struct summaries *s, const struct aa_summary *sum, const char *func)
{
	size_t i = 0;
	while (i < s->n && s->sums[i] != sum)
		i++;
	if (i == s->n) {
		fprintf(stderr, "summaries_call_ref: not a summary of this set\n");
		exit(2);
	}
	const char *module = sum->module, *text = s->texts[i];
	bool is_package = s->packages[i];
	struct aa_source src;
	struct aa_source_error err;
	size_t len = strlen(text);
	char *data = aa_xmalloc(len + 1);
	memcpy(data, text, len + 1);
	struct aa_parsed parsed;
	if (aa_source_from_bytes(&src, data, len, &err) != AA_SOURCE_OK || aa_parse(s->worker.parser, &src, &parsed) < 0) {
		fprintf(stderr, "module %s does not parse\n", module);
		exit(2);
	}
	struct aa_summary *scratch = aa_summary_new("scratch.py", module, is_package, 0);
	AA_GROW(s->scratch, s->scratch_cap, s->n_scratch + 1);
	s->scratch[s->n_scratch++] = scratch;
	struct aa_model *model = aa_model_build(&src, &s->engine.syms, &parsed, module, is_package);
	struct call_probe p = { .func = func };
	aa_summarizer_init(&p.z, &s->engine.syms, &src, model, NULL, scratch, false);
	struct aa_walk_visitor v = { .ud = &p, .enter = call_probe_enter };
	aa_walk(&parsed, &s->engine.syms, &v);
	aa_summarizer_release(&p.z);
	aa_model_free(model);
	aa_parsed_release(&parsed);
	aa_source_release(&src);
	if (!p.found) {
		fprintf(stderr, "%s makes no call the summarizer names\n", func);
		exit(2);
	}
	return p.ref;
}

static inline void summaries_release(struct summaries *s)
{
	for (size_t i = 0; i < s->n_scratch; i++)
		aa_summary_free(s->scratch[i]);
	free(s->scratch);
	for (size_t i = 0; i < s->n; i++) {
		aa_summary_free(s->sums[i]);
		free(s->texts[i]);
	}
	free(s->sums);
	free(s->texts);
	free(s->packages);
	aa_worker_release(&s->worker);
	aa_engine_release(&s->engine);
}

#endif
