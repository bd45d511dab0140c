#include "analyzer/report/emit.h"
#include "analyzer/report/json_out.h"
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
	cJSON *o = aa_json_obj(array, NULL);
	if (!o || !aa_json_str(o, "description", d->message) || !aa_json_str(o, "check_name", d->rule->code) ||
	    !aa_json_str(o, "fingerprint", d->fingerprint ? d->fingerprint : "") ||
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

int aa_emit_gitlab(FILE *out, const struct aa_diag_list *diags, const struct aa_emit_opts *opts)
{
	cJSON *root = cJSON_CreateArray();
	for (size_t i = 0; root && i < diags->len; i++) {
		if (!add_issue(root, &diags->items[i], opts)) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	return aa_json_finish(out, root);
}
