#include "analyzer/report/emit.h"
#include "analyzer/report/fingerprint.h"
#include "analyzer/report/json_out.h"
#include "analyzer/report/report.h"
#include "analyzer/base/buf.h"
#include "analyzer/check/rule.h"
#include "analyzer/report/ruledoc.h"
#include "analyzer/base/xalloc.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_URI "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"

/* SARIF asks for plain-text messages that are complete sentences (Multitool rule
 * SARIF2001): our messages are phrased without the final period. */
static char *sentence(const char *s)
{
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	if (len && (s[len - 1] == '.' || s[len - 1] == '!' || s[len - 1] == '?'))
		return aa_xstrndup(s, len);
	return aa_xasprintf("%.*s.", (int)len, s);
}

/* {"text": ...} (and "markdown" when given). */
static cJSON *add_message(cJSON *parent, const char *key, const char *text, const char *markdown)
{
	cJSON *m = aa_json_obj(parent, key);
	char *t = sentence(text);
	bool ok = m && aa_json_str(m, "text", t) && (!markdown || aa_json_str(m, "markdown", markdown));
	free(t);
	return ok ? m : NULL;
}

/* file:// URI of an absolute directory, with the trailing slash SARIF requires of
 * a base URI. */
static char *dir_uri(const char *dir)
{
	struct aa_emit_opts o = { .cwd = "/", .srcroot = "/" };
	char *rel;
	struct aa_buf b = AA_BUF_INIT;
	aa_buf_adds(&b, "file:///");
	/* Relative to "/", dir comes back normalised without its leading '/'; only "/"
	 * itself is not inside "/". */
	if (aa_emit_srcroot_path(&o, dir, &rel)) {
		aa_emit_add_uri_path(&b, rel);
		aa_buf_addc(&b, '/');
	}
	free(rel);
	return aa_buf_detach(&b);
}

struct place {
	const char *uri; /* borrowed from the artifact; relative to %SRCROOT%, or an absolute file:// URI */
	bool relative;
	size_t artifact; /* index into run.artifacts */
};

struct sarif {
	const struct aa_emit_opts *opts;
	struct aa_report *report;
	/* run.artifacts: owned places (each owns its uri), sorted, one per URI */
	struct place *artifacts;
	size_t n_artifacts;
	/* per aa_rules index: its index in driver.rules, or SIZE_MAX when not listed */
	size_t *rule_index;
	/* The finding being written: places[0] is its location, then one per related. */
	struct place *places;
	size_t places_cap;
};

static int cmp_place(const void *pa, const void *pb)
{
	const struct place *a = pa, *b = pb;
	return strcmp(a->uri, b->uri);
}

/* Appends path's place to *v (grown; its uri owned). */
static void push_place(struct place **v, size_t *n, size_t *cap, const struct aa_emit_opts *opts, const char *path)
{
	AA_GROW(*v, *cap, *n + 1);
	struct place *pl = &(*v)[(*n)++];
	pl->uri = aa_emit_artifact_uri(opts, path, &pl->relative);
	pl->artifact = 0;
}

/* The first pass over the findings: the artifacts and the rules they name. */
static void prepare(struct sarif *S, struct aa_report *report, const struct aa_emit_opts *opts)
{
	memset(S, 0, sizeof(*S));
	S->opts = opts;
	S->report = report;
	/* driver.rules: the rules that ran and the rules findings name (a report that names
	 * a rule embeds its documentation), not every rule of the analyzer. */
	bool *listed = aa_xcalloc(aa_rules_count ? aa_rules_count : 1, sizeof(bool));
	for (size_t r = 0; r < aa_rules_count; r++)
		listed[r] = !opts->rules_selected || opts->rules_selected[r];
	struct place *all = NULL;
	size_t n = 0, cap = 0;
	struct aa_report_cursor c;
	aa_report_open(&c, report, opts);
	for (const struct aa_diag *d; (d = aa_report_next(&c));) {
		push_place(&all, &n, &cap, opts, d->path);
		for (size_t j = 0; j < d->n_related; j++)
			push_place(&all, &n, &cap, opts, d->related[j].path);
		size_t r = aa_rule_index(d->rule);
		if (r < aa_rules_count)
			listed[r] = true;
	}
	aa_report_close(&c);

	/* run.artifacts lists each file once, sorted by URI (relative URIs never contain
	 * ':', absolute ones start with "file:", so the URI alone is the key). */
	if (n > 1)
		qsort(all, n, sizeof(*all), cmp_place);
	size_t u = 0;
	for (size_t k = 0; k < n; k++) {
		if (u && !strcmp(all[u - 1].uri, all[k].uri)) {
			free((char *)all[k].uri);
			continue;
		}
		all[u] = all[k];
		all[u].artifact = u;
		u++;
	}
	S->artifacts = all;
	S->n_artifacts = u;

	S->rule_index = aa_xmalloc((aa_rules_count ? aa_rules_count : 1) * sizeof(*S->rule_index));
	for (size_t r = 0, k = 0; r < aa_rules_count; r++)
		S->rule_index[r] = listed[r] ? k++ : SIZE_MAX;
	free(listed);
}

/* Sets S->places to d's places, found among the artifacts. */
static void locate(struct sarif *S, const struct aa_diag *d)
{
	AA_GROW(S->places, S->places_cap, 1 + d->n_related);
	for (size_t j = 0; j <= d->n_related; j++) {
		struct place key;
		key.uri = aa_emit_artifact_uri(S->opts, j ? d->related[j - 1].path : d->path, &key.relative);
		const struct place *hit = bsearch(&key, S->artifacts, S->n_artifacts, sizeof(*S->artifacts), cmp_place);
		free((char *)key.uri);
		/* The first pass saw the same findings: every place is an artifact. */
		S->places[j] = *hit;
	}
}

static void release(struct sarif *S)
{
	for (size_t k = 0; k < S->n_artifacts; k++)
		free((char *)S->artifacts[k].uri);
	free(S->artifacts);
	free(S->places);
	free(S->rule_index);
}

static cJSON *add_artifact_location(cJSON *parent, const struct place *pl, bool with_index)
{
	cJSON *al = aa_json_obj(parent, "artifactLocation");
	if (!al || !aa_json_str(al, "uri", pl->uri))
		return NULL;
	if (pl->relative && !aa_json_str(al, "uriBaseId", SRCROOT))
		return NULL;
	if (with_index && !aa_json_num(al, "index", (double)pl->artifact))
		return NULL;
	return al;
}

/* The snippet is the region's own text, so only a span that lies within its line (within
 * the window kept of a long line, whose first code point is column from + 1) gets one. */
static char *region_snippet(const struct aa_span *s, const char *line, uint32_t from)
{
	if (!line || s->end_line != s->line || s->end_col <= s->col)
		return NULL;
	const char *p = line, *start = NULL;
	uint32_t cp = from + 1;
	while (*p) {
		if (cp == s->col)
			start = p;
		if (cp == s->end_col)
			break;
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		cp++;
	}
	if (!start || cp != s->end_col)
		return NULL;
	return aa_xstrndup(start, (size_t)(p - start));
}

static cJSON *add_physical(cJSON *parent, const struct place *pl, const struct aa_span *span,
			   const char *line, uint32_t line_from)
{
	cJSON *phys = aa_json_obj(parent, "physicalLocation");
	if (!phys || !add_artifact_location(phys, pl, true))
		return NULL;
	/* Keep the region well formed even if a span is not (SARIF 3.30). */
	uint32_t sl = span->line ? span->line : 1, sc = span->col ? span->col : 1;
	uint32_t el = span->end_line < sl ? sl : span->end_line;
	uint32_t ec = span->end_col ? span->end_col : 1;
	if (el == sl && ec < sc)
		ec = sc;
	cJSON *region = aa_json_obj(phys, "region");
	if (!region || !aa_json_num(region, "startLine", sl) || !aa_json_num(region, "startColumn", sc) ||
	    !aa_json_num(region, "endLine", el) || !aa_json_num(region, "endColumn", ec))
		return NULL;
	char *snip = region_snippet(span, line, line_from);
	bool ok = true;
	if (snip) {
		cJSON *snippet = aa_json_obj(region, "snippet");
		ok = snippet && aa_json_str(snippet, "text", snip);
		free(snip);
	}
	return ok ? phys : NULL;
}

static bool add_rule(cJSON *rules, const struct aa_rule *r)
{
	cJSON *o = aa_json_obj(rules, NULL);
	if (!o || !aa_json_str(o, "id", r->code) || !aa_json_str(o, "name", r->name) ||
	    !add_message(o, "shortDescription", r->summary, NULL))
		return false;
	const char *what = r->doc.what ? r->doc.what : r->summary;
	char *full_md = sentence(what);
	bool ok = add_message(o, "fullDescription", what, full_md) != NULL;
	free(full_md);
	if (!ok)
		return false;
	char *text = aa_ruledoc_text(r), *md = aa_ruledoc_markdown(r);
	cJSON *help = aa_json_obj(o, "help");
	ok = help && aa_json_str(help, "text", text) && aa_json_str(help, "markdown", md);
	free(text);
	free(md);
	if (!ok)
		return false;
	char *uri = aa_ruledoc_url(r);
	ok = aa_json_str(o, "helpUri", uri) != NULL;
	free(uri);
	if (!ok)
		return false;
	cJSON *conf = aa_json_obj(o, "defaultConfiguration");
	if (!conf || !aa_json_str(conf, "level", aa_severity_name(r->severity)))
		return false;
	/* Opt-in rules say so; the SARIF default for "enabled" is true. */
	if (!r->default_on && !aa_json_bool(conf, "enabled", false))
		return false;
	cJSON *props = aa_json_obj(o, "properties");
	cJSON *tags = aa_json_arr(props, "tags");
	return tags && aa_json_str(tags, NULL, "async") && aa_json_str(tags, NULL, r->family->tag);
}

static bool add_driver(cJSON *run, const struct sarif *S)
{
	cJSON *tool = aa_json_obj(run, "tool");
	cJSON *driver = aa_json_obj(tool, "driver");
	if (!driver || !aa_json_str(driver, "name", "async-analyzer") || !aa_json_str(driver, "version", AA_VERSION) ||
	    !aa_json_str(driver, "semanticVersion", AA_VERSION) ||
	    !aa_json_str(driver, "informationUri", AA_RULEDOC_HOME))
		return false;
	cJSON *rules = aa_json_arr(driver, "rules");
	if (!rules)
		return false;
	for (size_t i = 0; i < aa_rules_count; i++)
		if (S->rule_index[i] != SIZE_MAX && !add_rule(rules, aa_rules[i]))
			return false;
	return true;
}

static bool add_invocation(cJSON *run, const struct aa_emit_opts *opts)
{
	cJSON *invs = aa_json_arr(run, "invocations");
	cJSON *inv = aa_json_obj(invs, NULL);
	if (!inv || !aa_json_bool(inv, "executionSuccessful", opts->execution_successful))
		return false;
	if (opts->notifications && opts->notifications[0]) {
		cJSON *notes = aa_json_arr(inv, "toolExecutionNotifications");
		if (!notes)
			return false;
		for (size_t i = 0; opts->notifications[i]; i++) {
			cJSON *n = aa_json_obj(notes, NULL);
			if (!n || !add_message(n, "message", opts->notifications[i], NULL) ||
			    !aa_json_str(n, "level", "error"))
				return false;
		}
	}
	char *cwd = dir_uri(opts->cwd);
	cJSON *wd = aa_json_obj(inv, "workingDirectory");
	bool ok = wd && aa_json_str(wd, "uri", cwd);
	free(cwd);
	return ok;
}

static bool add_base_ids(cJSON *run, const struct aa_emit_opts *opts)
{
	cJSON *bases = aa_json_obj(run, "originalUriBaseIds");
	cJSON *root = aa_json_obj(bases, SRCROOT);
	char *uri = dir_uri(opts->srcroot);
	bool ok = root && aa_json_str(root, "uri", uri);
	free(uri);
	return ok;
}

static bool add_artifacts(cJSON *run, const struct sarif *S)
{
	cJSON *arts = aa_json_arr(run, "artifacts");
	if (!arts)
		return false;
	for (size_t k = 0; k < S->n_artifacts; k++) {
		cJSON *a = aa_json_obj(arts, NULL);
		cJSON *loc = aa_json_obj(a, "location");
		if (!loc || !aa_json_str(loc, "uri", S->artifacts[k].uri))
			return false;
		if (S->artifacts[k].relative && !aa_json_str(loc, "uriBaseId", SRCROOT))
			return false;
		/* More than its location, or the array says nothing (Multitool SARIF2004). */
		if (!aa_json_str(a, "sourceLanguage", "python"))
			return false;
	}
	return true;
}

static bool add_code_flow(cJSON *result, const struct sarif *S, const struct aa_diag *d)
{
	cJSON *flows = aa_json_arr(result, "codeFlows");
	cJSON *flow = aa_json_obj(flows, NULL);
	cJSON *threads = aa_json_arr(flow, "threadFlows");
	cJSON *thread = aa_json_obj(threads, NULL);
	cJSON *locs = aa_json_arr(thread, "locations");
	if (!locs)
		return false;
	/* The finding itself (the call in async code) starts the chain; then one hop per
	 * related location, down to the blocking call. */
	for (size_t j = 0; j <= d->n_related; j++) {
		bool self = j == 0;
		const struct place *pl = &S->places[j];
		cJSON *tfl = aa_json_obj(locs, NULL);
		cJSON *loc = aa_json_obj(tfl, "location");
		if (!loc ||
		    !add_physical(loc, pl, self ? &d->span : &d->related[j - 1].span, self ? d->source_line : NULL,
				  d->source_from) ||
		    !add_message(loc, "message", self ? d->message : d->related[j - 1].message, NULL))
			return false;
	}
	return true;
}

/* SARIF 3.55 fixes: one fix whose artifactChange replaces each edit's region (an empty
 * region where it inserts) in the result's file; whether it is safe is a property. */
static bool add_fixes(cJSON *res, const struct sarif *S, const struct aa_diag *d)
{
	cJSON *fixes = aa_json_arr(res, "fixes");
	cJSON *fix = aa_json_obj(fixes, NULL);
	if (!fix || !add_message(fix, "description", d->rule->fix.title ? d->rule->fix.title : "Apply the fix", NULL))
		return false;
	cJSON *changes = aa_json_arr(fix, "artifactChanges");
	cJSON *change = aa_json_obj(changes, NULL);
	if (!change || !add_artifact_location(change, &S->places[0], true))
		return false;
	cJSON *reps = aa_json_arr(change, "replacements");
	for (size_t k = 0; reps && k < d->fix->n_edits; k++) {
		const struct aa_edit *e = &d->fix->edits[k];
		cJSON *rep = aa_json_obj(reps, NULL);
		cJSON *region = aa_json_obj(rep, "deletedRegion");
		if (!region || !aa_json_num(region, "startLine", e->span.line) ||
		    !aa_json_num(region, "startColumn", e->span.col) || !aa_json_num(region, "endLine", e->span.end_line) ||
		    !aa_json_num(region, "endColumn", e->span.end_col))
			return false;
		cJSON *ins = aa_json_obj(rep, "insertedContent");
		if (!ins || !aa_json_str(ins, "text", e->content))
			return false;
	}
	cJSON *props = aa_json_obj(fix, "properties");
	return reps && props && aa_json_str(props, "applicability", d->fix->kind == AA_FIX_SAFE ? "safe" : "unsafe");
}

static bool add_result(cJSON *results, const struct sarif *S, const struct aa_diag *d)
{
	cJSON *res = aa_json_obj(results, NULL);
	if (!res || !aa_json_str(res, "ruleId", d->rule->code))
		return false;
	size_t index = aa_rule_index(d->rule);
	if (index < aa_rules_count && !aa_json_num(res, "ruleIndex", (double)S->rule_index[index]))
		return false;
	if (!aa_json_str(res, "level", aa_severity_name((enum aa_severity)aa_diag_severity(d))) || !add_message(res, "message", d->message, NULL))
		return false;
	cJSON *locs = aa_json_arr(res, "locations");
	cJSON *loc = aa_json_obj(locs, NULL);
	if (!loc || !add_physical(loc, &S->places[0], &d->span, d->source_line, d->source_from))
		return false;
	if (d->n_related) {
		cJSON *rel = aa_json_arr(res, "relatedLocations");
		if (!rel)
			return false;
		for (size_t j = 0; j < d->n_related; j++) {
			cJSON *r = aa_json_obj(rel, NULL);
			if (!r || !aa_json_num(r, "id", (double)(j + 1)) ||
			    !add_physical(r, &S->places[1 + j], &d->related[j].span, NULL, 0) ||
			    !add_message(r, "message", d->related[j].message, NULL))
				return false;
		}
		if (d->related_is_chain && !add_code_flow(res, S, d))
			return false;
	}
	if (d->fix && !add_fixes(res, S, d))
		return false;
	if (!d->has_fingerprint)
		return true;
	char fp[AA_FINGERPRINT_SIZE];
	aa_fingerprint_format(d->fingerprint, fp);
	cJSON *fps = aa_json_obj(res, "partialFingerprints");
	return fps && aa_json_str(fps, AA_FINGERPRINT_KEY, fp);
}

static cJSON *build(struct sarif *S)
{
	cJSON *root = cJSON_CreateObject();
	if (!aa_json_str(root, "$schema", SCHEMA_URI) || !aa_json_str(root, "version", "2.1.0"))
		goto fail;
	cJSON *runs = aa_json_arr(root, "runs");
	cJSON *run = aa_json_obj(runs, NULL);
	if (!run || !add_driver(run, S) || !add_invocation(run, S->opts) || !add_base_ids(run, S->opts) ||
	    !add_artifacts(run, S))
		goto fail;
	cJSON *results = aa_json_arr(run, "results");
	if (!results)
		goto fail;
	/* The second pass: the results. */
	struct aa_report_cursor c;
	aa_report_open(&c, S->report, S->opts);
	bool ok = true;
	for (const struct aa_diag *d; ok && (d = aa_report_next(&c));) {
		locate(S, d);
		ok = add_result(results, S, d);
	}
	aa_report_close(&c);
	if (!ok)
		goto fail;
	if (!aa_json_str(run, "columnKind", "unicodeCodePoints"))
		goto fail;
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

int aa_emit_sarif(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	struct sarif S;
	prepare(&S, report, opts);
	cJSON *root = build(&S);
	release(&S);
	return aa_json_finish(out, root);
}
