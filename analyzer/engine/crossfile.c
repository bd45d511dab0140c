#include "analyzer/engine/crossfile.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/check/link.h"

#include <stdlib.h>

struct aa_link {
	const struct aa_engine *engine;
	struct aa_index *x;
	struct aa_summary *const *sums;
	struct aa_noqa *const *noqas;
	size_t n;
	size_t slot; /* the linking analysis's record slot */
	struct aa_diag_list *out;
	unsigned jobs;
	struct aa_foreign_count *foreign; /* borrowed */
};

unsigned aa_link_jobs(const struct aa_link *lk)
{
	return lk->jobs;
}

void aa_link_foreign_files(struct aa_link *lk, size_t read, size_t partial)
{
	lk->foreign->read += read;
	lk->foreign->partial += partial;
}

struct aa_index *aa_link_index(const struct aa_link *lk)
{
	return lk->x;
}

size_t aa_link_count(const struct aa_link *lk)
{
	return lk->n;
}

const struct aa_summary *aa_link_summary(const struct aa_link *lk, size_t file)
{
	return lk->sums[file];
}

void *aa_link_record(const struct aa_link *lk, size_t file)
{
	const struct aa_summary *s = lk->sums[file];
	return s && lk->slot < s->n_records ? s->records[lk->slot].data : NULL;
}

bool aa_link_rule_enabled(const struct aa_link *lk, const struct aa_rule *rule)
{
	return aa_engine_enabled(lk->engine, rule);
}

struct aa_diag aa_link_finding(const struct aa_link *lk, size_t file, const struct aa_rule *rule, struct aa_span span,
			       char *message, const struct aa_excerpt *line)
{
	struct aa_diag d = { 0 };
	d.rule = rule;
	d.path = aa_xstrdup(lk->sums[file]->path);
	d.span = span;
	d.message = message;
	struct aa_excerpt copy = aa_excerpt_copy(line);
	aa_diag_take_line(&d, &copy);
	return d;
}

void aa_link_report(struct aa_link *lk, size_t file, struct aa_diag *d)
{
	if (lk->sums[file] && lk->sums[file]->spare_tests && aa_rule_spares_tests(d->rule)) {
		aa_diag_release(d);
		return;
	}
	aa_noqa_push(lk->noqas[file], lk->out, d);
}

static void report_deferred(struct aa_link *lk, size_t file, const struct aa_sum_defer *df)
{
	struct aa_diag d = aa_link_finding(lk, file, df->rule, df->span, aa_xstrdup(df->message), &df->line);
	d.fix = aa_fix_copy(df->fix);
	aa_link_report(lk, file, &d);
}

/* Deferred findings: reported when the callee is a project coroutine function, unless a
 * project subclass overrides the method with another async-ness; or, deferred for the
 * coroutine function they are in, unless it runs alone. */
static void deferred(struct aa_link *lk)
{
	for (size_t i = 0; i < lk->n; i++) {
		const struct aa_summary *s = lk->sums[i];
		for (size_t k = 0; s && k < s->n_defers; k++) {
			const struct aa_sum_defer *df = &s->defers[k];
			if (df->alone_func != UINT32_MAX) {
				if (!aa_index_runs_alone(lk->x, aa_index_func_id(lk->x, i, df->alone_func)))
					report_deferred(lk, i, df);
				continue;
			}
			uint32_t receiver;
			uint32_t f = aa_index_resolve_ref(lk->x, &df->ref, &receiver);
			if (f == AA_INDEX_NONE || !aa_index_func(lk->x, f)->is_coroutine || aa_index_func(lk->x, f)->opaque)
				continue;
			if (receiver != AA_INDEX_NONE &&
			    aa_index_overridden_differently(lk->x, receiver, df->ref.method, true))
				continue;
			report_deferred(lk, i, df);
		}
	}
}

void aa_crossfile_run(const struct aa_engine *engine, struct aa_index *x, struct aa_summary *const *sums,
		      struct aa_noqa *const *noqas, size_t n, unsigned jobs, struct aa_diag_list *out,
		      struct aa_foreign_count *foreign)
{
	struct aa_link lk = { engine, x, sums, noqas, n, 0, out, jobs ? jobs : 1, foreign };
	deferred(&lk);
	for (size_t c = 0; c < engine->n_crossfiles; c++) {
		lk.slot = c;
		engine->crossfiles[c]->link(&lk);
	}
}
