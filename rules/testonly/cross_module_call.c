/*
 * AA901 test-cross-module-call: a test-only cross-file rule, compiled only into the test
 * build (async-analyzer-testrules, rules/testonly/registry.h). It proves that a rule
 * with all three hooks is added by its own file and one line of the test registry: it
 * reports a call in async context of a sync project function defined in another module,
 * reading that module on demand when the prefilter skipped it (no async code).
 */
#include "analyzer/base/xalloc.h"
#include "analyzer/check/link.h"
#include "analyzer/index/index.h"
#include "rules/testonly/registry.h"

#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_test_cross_module_call;
extern const struct aa_crossfile aa_crossfile_test_cross_module_call;

struct site {
	struct aa_ref ref;
	struct aa_span span;
	char *callee;      /* owned */
	struct aa_excerpt line; /* owned */
};

struct record {
	struct site *sites; /* owned */
	size_t n_sites, sites_cap;
};

static void *new_record(void)
{
	return aa_xcalloc(1, sizeof(struct record));
}

static void free_record(void *p)
{
	struct record *r = p;
	for (size_t i = 0; i < r->n_sites; i++) {
		free(r->sites[i].callee);
		aa_excerpt_release(&r->sites[i].line);
	}
	free(r->sites);
	free(r);
}

static void summarize(struct aa_ctx *ctx, TSNode call)
{
	struct record *r = aa_ctx_record(ctx, &aa_crossfile_test_cross_module_call);
	struct aa_ref ref;
	if (!r || !aa_ctx_in_async(ctx) || aa_call_is_awaited(ctx, call) || !aa_ctx_ref(ctx, call, &ref))
		return;
	AA_GROW(r->sites, r->sites_cap, r->n_sites + 1);
	r->sites[r->n_sites++] = (struct site){ ref, aa_ctx_span(ctx, call), aa_xstrdup(aa_ctx_callee_text(ctx, call)),
						aa_ctx_line(ctx, call) };
}

static void demand(struct aa_demand *d)
{
	struct aa_index *x = aa_demand_index(d);
	for (size_t i = 0; i < aa_demand_count(d); i++) {
		const struct record *r = aa_demand_record(d, i);
		for (size_t k = 0; r && k < r->n_sites; k++) {
			uint32_t receiver;
			if (aa_index_resolve_ref(x, &r->sites[k].ref, &receiver) == AA_INDEX_NONE)
				aa_demand_ref(d, &r->sites[k].ref, false);
		}
	}
}

static void link(struct aa_link *lk)
{
	struct aa_index *x = aa_link_index(lk);
	for (size_t i = 0; i < aa_link_count(lk); i++) {
		const struct record *r = aa_link_record(lk, i);
		for (size_t k = 0; r && k < r->n_sites; k++) {
			const struct site *s = &r->sites[k];
			uint32_t receiver;
			uint32_t f = aa_index_resolve_ref(x, &s->ref, &receiver);
			if (f == AA_INDEX_NONE || aa_index_func(x, f)->is_async || aa_index_func_file(x, f) == i)
				continue;
			char *message = aa_xasprintf("%s() calls sync '%s' of module '%s'", s->callee,
						     aa_index_func_name(x, f), aa_index_func(x, f)->module);
			struct aa_diag d = aa_link_finding(lk, i, &aa_rule_test_cross_module_call, s->span, message,
							   &s->line);
			aa_link_report(lk, i, &d);
		}
	}
}

static const char *const kinds[] = { "call", NULL };

const struct aa_crossfile aa_crossfile_test_cross_module_call = {
	.name = "test-cross-module-call",
	.node_kinds = kinds,
	.summarize = summarize,
	.new_record = new_record,
	.free_record = free_record,
	.demand = demand,
	.link = link,
};

const struct aa_rule aa_rule_test_cross_module_call = {
	.code = "AA901",
	.name = "test-cross-module-call",
	.family = &aa_family_testonly,
	.severity = AA_SEVERITY_NOTE,
	.default_on = false,
	.summary = "Test-only: an async function calls a sync function of another project module",
	.crossfile = &aa_crossfile_test_cross_module_call,
	.doc = {
		.what = "A rule of the test build only: it exercises the cross-file hooks.",
		.why = "It is not a finding about your code.",
		.example = "from shop.stock import count\n\n\nasync def handler():\n    count()\n",
		.use_instead = "async def handler():\n    pass\n",
		.anchor = "The call.",
		.exceptions = "None: it is never compiled into the product.",
	},
};
