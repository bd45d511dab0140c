#include "analyzer/report/report.h"
#include "analyzer/report/fingerprint.h"

#include <string.h>

void aa_report_init(struct aa_report *r, const struct aa_findings *findings)
{
	memset(r, 0, sizeof(*r));
	r->findings = findings;
}

void aa_report_open(struct aa_report_cursor *c, struct aa_report *r, const struct aa_emit_opts *opts)
{
	memset(c, 0, sizeof(*c));
	c->report = r;
	c->opts = opts;
	aa_findings_read(&c->reader, r->findings);
	aa_diag_list_init(&c->group);
	if (r->baseline)
		aa_baseline_reset(r->baseline);
}

/* Releases group's findings but keeps its array for the next group. */
static void empty_group(struct aa_diag_list *group)
{
	for (size_t i = 0; i < group->len; i++)
		aa_diag_release(&group->items[i]);
	group->len = 0;
}

const struct aa_diag *aa_report_next(struct aa_report_cursor *c)
{
	struct aa_report *r = c->report;
	while (!c->done && c->at == c->group.len) {
		empty_group(&c->group);
		c->at = 0;
		if (!aa_findings_next_group(&c->reader, &c->group)) {
			c->done = true;
			r->found = c->found;
			r->shown = c->shown;
			r->files_shown = c->files;
			r->stale = r->baseline ? aa_baseline_stale(r->baseline) : 0;
			break;
		}
		if (r->filter)
			r->filter(r->filter_ud, &c->group);
		aa_diag_list_sort(&c->group);
		aa_fingerprint_assign(&c->group, c->opts);
		c->found += c->group.len;
		if (r->baseline)
			aa_baseline_apply(r->baseline, &c->group, c->opts);
		c->shown += c->group.len;
		c->files += c->group.len != 0;
	}
	return c->done ? NULL : &c->group.items[c->at++];
}

void aa_report_close(struct aa_report_cursor *c)
{
	aa_diag_list_release(&c->group);
}

void aa_report_count(struct aa_report *r, const struct aa_emit_opts *opts)
{
	struct aa_report_cursor c;
	aa_report_open(&c, r, opts);
	while (aa_report_next(&c))
		;
	aa_report_close(&c);
}
