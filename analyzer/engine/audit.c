#include "analyzer/engine/audit.h"
#include "analyzer/check/audit.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>

struct aa_audit {
	const struct aa_engine *engine;
	const struct aa_audit_file *file;
	struct aa_diag_list *out;
};

const struct aa_noqa *aa_audit_noqa(const struct aa_audit *a)
{
	return a->file->noqa;
}

bool aa_audit_rule_ran(const struct aa_audit *a, const struct aa_rule *rule)
{
	if (!aa_engine_enabled(a->engine, rule))
		return false;
	return !a->file->on_demand || (rule->index_use & AA_INDEX_SYNC_CALLERS);
}

void aa_audit_report(struct aa_audit *a, const struct aa_rule *rule, struct aa_span span, char *message,
		     const char *source_line, size_t line_len)
{
	struct aa_diag d = { 0 };
	d.rule = rule;
	d.path = aa_xstrdup(a->file->path);
	d.span = span;
	d.message = message;
	if (source_line) {
		/* The anchor's byte: one walk of a line per finding, and a line has one directive. */
		size_t anchor = 0;
		for (uint32_t cp = 1; anchor < line_len && cp < span.col; cp++)
			while (++anchor < line_len && ((unsigned char)source_line[anchor] & 0xC0) == 0x80)
				;
		struct aa_excerpt line = aa_excerpt_make(source_line, line_len, anchor, span.col);
		aa_diag_take_line(&d, &line);
	}
	aa_noqa_push_verdict(a->file->noqa, a->out, &d);
}

void aa_audit_run(const struct aa_engine *engine, const struct aa_audit_file *files, size_t n,
		  struct aa_diag_list *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!files[i].noqa)
			continue;
		struct aa_audit a = { engine, &files[i], out };
		for (size_t k = 0; k < engine->n_audits; k++)
			engine->audits[k]->audit(&a);
	}
}
