#include "analyzer/report/emit.h"
#include "analyzer/report/fingerprint.h"
#include "analyzer/report/json_out.h"
#include "analyzer/report/report.h"
#include "analyzer/check/rule.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* GitLab's severities are info, minor, major, critical and blocker. An error is certain
 * to block, hang or lose work: critical; a warning is conditional: major; a note is
 * style: minor. Blocker is left to what stops a pipeline by itself. */
static const char *gitlab_severity(enum aa_severity severity)
{
	switch (severity) {
	case AA_SEVERITY_WARNING: return "major";
	case AA_SEVERITY_NOTE: return "minor";
	case AA_SEVERITY_ERROR: break;
	}
	return "critical";
}

static bool add_issue(cJSON *array, const struct aa_diag *d, const struct aa_emit_opts *opts)
{
	char fp[AA_FINGERPRINT_SIZE] = "";
	if (d->has_fingerprint)
		aa_fingerprint_format(d->fingerprint, fp);
	cJSON *o = aa_json_obj(array, NULL);
	if (!o || !aa_json_str(o, "description", d->message) || !aa_json_str(o, "check_name", d->rule->code) ||
	    !aa_json_str(o, "fingerprint", fp) ||
	    !aa_json_str(o, "severity", gitlab_severity(d->rule->severity)))
		return false;
	cJSON *loc = aa_json_obj(o, "location");
	/* GitLab resolves the path against the repository root. */
	char *rel;
	aa_emit_srcroot_path(opts, d->path, &rel);
	bool ok = loc && aa_json_str(loc, "path", rel);
	free(rel);
	cJSON *lines = ok ? aa_json_obj(loc, "lines") : NULL;
	return lines && aa_json_num(lines, "begin", d->span.line);
}

struct gitlab_report {
	struct aa_report_cursor cursor;
	const struct aa_emit_opts *opts;
};

static enum aa_json_made make_issue(void *ud, cJSON *holder)
{
	struct gitlab_report *r = ud;
	const struct aa_diag *d = aa_report_next(&r->cursor);
	if (!d)
		return AA_JSON_END;
	return add_issue(holder, d, r->opts) ? AA_JSON_ITEM : AA_JSON_FAILED;
}

int aa_emit_gitlab(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	/* One issue at a time, as the JSON writer does: the same bytes as a whole tree. */
	struct gitlab_report r = { .opts = opts };
	aa_report_open(&r.cursor, report, opts);
	int rc = aa_json_write_array(out, make_issue, &r);
	aa_report_close(&r.cursor);
	return rc;
}
