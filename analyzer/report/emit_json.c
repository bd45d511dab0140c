#include "analyzer/report/emit.h"
#include "analyzer/report/json_out.h"
#include "analyzer/report/report.h"
#include "analyzer/check/rule.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static int add_span(cJSON *obj, const struct aa_span *s)
{
	return aa_json_num(obj, "line", s->line) && aa_json_num(obj, "column", s->col) &&
	       aa_json_num(obj, "end_line", s->end_line) && aa_json_num(obj, "end_column", s->end_col);
}

/* "fix": {"applicability": "safe"|"unsafe", "message": what it does, "edits": [{"content",
 * "line", "column", "end_line", "end_column"}]}, only on findings that have one. */
static int add_fix(cJSON *obj, const struct aa_diag *d)
{
	if (!d->fix)
		return 1;
	cJSON *fix = aa_json_obj(obj, "fix");
	if (!fix || !aa_json_str(fix, "applicability", d->fix->kind == AA_FIX_SAFE ? "safe" : "unsafe") ||
	    !aa_json_str(fix, "message", d->rule->fix.title ? d->rule->fix.title : ""))
		return 0;
	cJSON *edits = aa_json_arr(fix, "edits");
	for (size_t i = 0; edits && i < d->fix->n_edits; i++) {
		cJSON *e = aa_json_obj(edits, NULL);
		if (!e || !aa_json_str(e, "content", d->fix->edits[i].content) || !add_span(e, &d->fix->edits[i].span))
			return 0;
	}
	return edits != NULL;
}

static int add_diag(cJSON *array, const struct aa_diag *d)
{
	cJSON *obj = aa_json_obj(array, NULL);
	if (!obj || !aa_json_str(obj, "code", d->rule->code) || !aa_json_str(obj, "name", d->rule->name) ||
	    !aa_json_str(obj, "message", d->message) || !aa_json_str(obj, "severity", aa_severity_name((enum aa_severity)aa_diag_severity(d))) ||
	    !aa_json_str(obj, "path", d->path) || !add_span(obj, &d->span))
		return 0;
	cJSON *related = aa_json_arr(obj, "related");
	if (!related)
		return 0;
	for (size_t i = 0; i < d->n_related; i++) {
		const struct aa_related *r = &d->related[i];
		cJSON *ro = aa_json_obj(related, NULL);
		if (!ro || !aa_json_str(ro, "path", r->path) || !add_span(ro, &r->span) ||
		    !aa_json_str(ro, "message", r->message))
			return 0;
	}
	return aa_json_bool(obj, "chain", d->related_is_chain != 0) != NULL && add_fix(obj, d);
}

/* The run's metadata, last in the array and only when there is some (a run that read no
 * C file prints findings only, as before extensions were read): {"c_files_read",
 * "c_files_not_read_fully"}. */
static bool add_metadata(cJSON *array, const struct aa_emit_opts *opts)
{
	cJSON *obj = aa_json_obj(array, NULL);
	return obj && aa_json_num(obj, "c_files_read", (double)opts->c_files_read) &&
	       aa_json_num(obj, "c_files_not_read_fully", (double)opts->c_files_partial);
}

/* What the array is made of: the findings, then the metadata when there is some. */
struct json_report {
	struct aa_report_cursor cursor;
	const struct aa_emit_opts *opts;
	bool metadata_done;
};

static enum aa_json_made make_item(void *ud, cJSON *holder)
{
	struct json_report *r = ud;
	const struct aa_diag *d = aa_report_next(&r->cursor);
	if (d)
		return add_diag(holder, d) ? AA_JSON_ITEM : AA_JSON_FAILED;
	if (r->metadata_done || !r->opts->c_files_read)
		return AA_JSON_END;
	r->metadata_done = true;
	return add_metadata(holder, r->opts) ? AA_JSON_ITEM : AA_JSON_FAILED;
}

int aa_emit_json(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	struct json_report r = { .opts = opts };
	aa_report_open(&r.cursor, report, opts);
	int rc = aa_json_write_array(out, make_item, &r);
	aa_report_close(&r.cursor);
	return rc;
}
