#include "analyzer/report/emit.h"
#include "analyzer/report/json_out.h"
#include "analyzer/report/report.h"
#include "analyzer/base/buf.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

int aa_emit(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	switch (opts->format) {
	case AA_FORMAT_TEXT:
		return aa_emit_text(out, report, opts);
	case AA_FORMAT_JSON:
		return aa_emit_json(out, report, opts);
	case AA_FORMAT_SARIF:
		return aa_emit_sarif(out, report, opts);
	case AA_FORMAT_GITHUB:
		return aa_emit_github(out, report, opts);
	case AA_FORMAT_GITLAB:
		return aa_emit_gitlab(out, report, opts);
	case AA_FORMAT_JUNIT:
		return aa_emit_junit(out, report, opts);
	}
	return -1;
}

struct code_count {
	const struct aa_rule *rule;
	size_t count;
};

static int cmp_count(const void *pa, const void *pb)
{
	const struct code_count *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->rule->code, b->rule->code);
}

static int digits(size_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* The counts as JSON: [{"code", "name", "count"}, ...] in the text's order. */
static int statistics_json(FILE *out, const struct code_count *counts, size_t n, const size_t *stale)
{
	cJSON *root = cJSON_CreateArray();
	for (size_t j = 0; root && j < n; j++) {
		cJSON *o = aa_json_obj(root, NULL);
		if (!o || !aa_json_str(o, "code", counts[j].rule->code) || !aa_json_str(o, "name", counts[j].rule->name) ||
		    !aa_json_num(o, "count", (double)counts[j].count)) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	cJSON *o = root && stale ? aa_json_obj(root, NULL) : NULL;
	if (root && stale && !aa_json_num(o, "baseline_stale", (double)*stale)) {
		cJSON_Delete(root);
		root = NULL;
	}
	return aa_json_finish(out, root);
}

int aa_emit_statistics(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	/* Rules are few: a linear search per finding is cheaper than a map. Rules are
	 * grouped by code, not by pointer, so a rule outside the registry still counts. */
	struct code_count *counts = NULL;
	size_t n = 0, cap = 0;
	struct aa_report_cursor c;
	aa_report_open(&c, report, opts);
	for (const struct aa_diag *d; (d = aa_report_next(&c));) {
		const struct aa_rule *r = d->rule;
		size_t j = 0;
		while (j < n && strcmp(counts[j].rule->code, r->code))
			j++;
		if (j == n) {
			AA_GROW(counts, cap, n + 1);
			counts[n].rule = r;
			counts[n++].count = 0;
		}
		counts[j].count++;
	}
	aa_report_close(&c);
	/* The pass is complete: the counts are the report's. */
	const size_t *stale = report->baseline ? &report->stale : NULL;
	if (n > 1)
		qsort(counts, n, sizeof(*counts), cmp_count);
	if (opts->format == AA_FORMAT_JSON) {
		int rc = statistics_json(out, counts, n, stale);
		free(counts);
		return rc;
	}

	int width = digits(report->shown);
	int code_width = 0;
	for (size_t j = 0; j < n; j++) {
		int w = (int)strlen(counts[j].rule->code);
		if (w > code_width)
			code_width = w;
	}
	for (size_t j = 0; j < n; j++)
		fprintf(out, "  %*zu  %-*s  [%s]\n", width, counts[j].count, code_width,
			counts[j].rule->code, counts[j].rule->name);
	fprintf(out, "  %*zu  total\n", width, report->shown);
	if (stale)
		fprintf(out, "  %*zu  stale baseline entr%s (no finding matches: rewrite it with --write-baseline)\n",
			width, *stale, *stale == 1 ? "y" : "ies");
	free(counts);
	return fflush(out) || ferror(out) ? -1 : 0;
}

/* Length of the well-formed UTF-8 sequence at s (Unicode Table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

bool aa_emit_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t n; *p && (n = utf8_seq_len(p)) != 0;)
		p += n;
	return !*p;
}

char *aa_emit_utf8_clean(const char *s)
{
	struct aa_buf b = AA_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	/* The NUL terminator fails every continuation test, so reads stop at it. Well-formed
	 * runs (usually the whole string) are copied at once: every string of a JSON or SARIF
	 * report comes through here. */
	while (*p) {
		const unsigned char *run = p;
		for (size_t n; *p && (n = utf8_seq_len(p)) != 0;)
			p += n;
		aa_buf_add(&b, (const char *)run, (size_t)(p - run));
		if (*p) {
			aa_buf_adds(&b, "\xEF\xBF\xBD");
			p++;
		}
	}
	return aa_buf_detach(&b);
}

void aa_emit_add_printable(struct aa_buf *out, const char *s, const char *keep)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = utf8_seq_len(p);
		bool c1 = n == 2 && p[0] == 0xC2 && p[1] < 0xA0;
		bool shown = n > 1 ? !c1 : n == 1 && ((*p >= 0x20 && *p != 0x7F) || strchr(keep, *p));
		if (shown) {
			aa_buf_add(out, (const char *)p, n);
			p += n;
			continue;
		}
		/* A C1 control is both its bytes; anything else one byte. */
		for (size_t k = 0; k < (c1 ? 2 : 1); k++, p++) {
			char esc[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
			aa_buf_add(out, esc, sizeof esc);
		}
	}
}

/* Lexical normalisation of an absolute path: the result starts with '/', has no
 * empty, "." or ".." segment and no trailing '/' (except the root itself). */
static char *normalize(const char *abs)
{
	size_t len = strlen(abs);
	size_t *starts = aa_xmalloc((len / 2 + 1) * sizeof(*starts));
	size_t *lens = aa_xmalloc((len / 2 + 1) * sizeof(*lens));
	size_t n = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && abs[i] == '/')
			i++;
		size_t start = i;
		while (i < len && abs[i] != '/')
			i++;
		size_t seg = i - start;
		if (!seg || (seg == 1 && abs[start] == '.'))
			continue;
		if (seg == 2 && abs[start] == '.' && abs[start + 1] == '.') {
			if (n)
				n--;
			continue;
		}
		starts[n] = start;
		lens[n++] = seg;
	}
	struct aa_buf b = AA_BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		aa_buf_addc(&b, '/');
		aa_buf_add(&b, abs + starts[k], lens[k]);
	}
	if (!n)
		aa_buf_addc(&b, '/');
	free(starts);
	free(lens);
	return aa_buf_detach(&b);
}

bool aa_emit_srcroot_path(const struct aa_emit_opts *opts, const char *path, char **out)
{
	if (!opts->cwd || !opts->srcroot) {
		*out = aa_xstrdup(path);
		return false;
	}
	char *joined = path[0] == '/' ? aa_xstrdup(path) : aa_xasprintf("%s/%s", opts->cwd, path);
	char *abs = normalize(joined);
	free(joined);
	char *root = normalize(opts->srcroot);
	size_t rlen = strlen(root);
	const char *rel = NULL;
	if (rlen == 1)
		rel = abs[1] ? abs + 1 : NULL;
	else if (!strncmp(abs, root, rlen) && abs[rlen] == '/')
		rel = abs + rlen + 1;
	free(root);
	if (!rel) {
		*out = abs;
		return false;
	}
	*out = aa_xstrdup(rel);
	free(abs);
	return true;
}

void aa_emit_add_uri_path(struct aa_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
			aa_buf_addc(b, (char)c);
		else
			aa_buf_addf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

char *aa_emit_artifact_uri(const struct aa_emit_opts *opts, const char *path, bool *relative)
{
	char *p;
	struct aa_buf b = AA_BUF_INIT;
	*relative = aa_emit_srcroot_path(opts, path, &p);
	if (!*relative)
		aa_buf_adds(&b, "file://");
	aa_emit_add_uri_path(&b, p);
	free(p);
	return aa_buf_detach(&b);
}
