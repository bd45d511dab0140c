#include "analyzer/report/baseline.h"
#include "analyzer/report/fingerprint.h"
#include "analyzer/report/json_out.h"
#include "analyzer/report/report.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void aa_baseline_release(struct aa_baseline *bl)
{
	for (size_t i = 0; i < bl->len; i++) {
		free(bl->items[i].path);
		free(bl->items[i].code);
		free(bl->items[i].fingerprint);
	}
	free(bl->items);
	memset(bl, 0, sizeof(*bl));
}

static int cmp_triple(const char *pa, const char *ca, const char *fa, const char *pb, const char *cb, const char *fb)
{
	int c = strcmp(pa, pb);
	if (!c)
		c = strcmp(ca, cb);
	if (!c)
		c = strcmp(fa, fb);
	return c;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct aa_baseline_entry *x = a, *y = b;
	return cmp_triple(x->path, x->code, x->fingerprint, y->path, y->code, y->fingerprint);
}

/* The whole file, NUL-terminated; -1 with errno on failure. */
static int slurp(const char *path, struct aa_buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		aa_buf_add(out, chunk, got);
	int err = ferror(f) ? EIO : 0;
	if (fclose(f) != 0 && !err)
		err = errno;
	errno = err;
	return err ? -1 : 0;
}

/* 1-based line and column (bytes) of offset in text. */
static void position(const char *text, size_t offset, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static bool is_fingerprint(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 16;
}

/* One entry of "findings"; NULL, or what is wrong with it (caller frees). */
static char *read_entry(struct aa_baseline *bl, const cJSON *item)
{
	static const char *const members[] = { "path", "code", "fingerprint" };
	if (!cJSON_IsObject(item))
		return aa_xstrdup("is not an object");
	const char *v[3] = { NULL, NULL, NULL };
	for (const cJSON *m = item->child; m; m = m->next) {
		size_t k = 0;
		while (k < 3 && strcmp(m->string, members[k]))
			k++;
		if (k == 3)
			return aa_xasprintf("has an unknown member '%s' (expected path, code and fingerprint)", m->string);
		if (!cJSON_IsString(m) || !*m->valuestring)
			return aa_xasprintf("'%s' is not a non-empty string", members[k]);
		v[k] = m->valuestring;
	}
	for (size_t k = 0; k < 3; k++)
		if (!v[k])
			return aa_xasprintf("lacks '%s'", members[k]);
	if (!is_fingerprint(v[2]))
		return aa_xasprintf("'fingerprint' \"%s\" is not 16 lowercase hex digits", v[2]);
	AA_GROW(bl->items, bl->cap, bl->len + 1);
	bl->items[bl->len++] = (struct aa_baseline_entry){ aa_xstrdup(v[0]), aa_xstrdup(v[1]), aa_xstrdup(v[2]), false };
	return NULL;
}

/* The document's meaning; NULL, or what is wrong (caller frees). */
static char *read_document(struct aa_baseline *bl, const cJSON *root)
{
	if (!cJSON_IsObject(root))
		return aa_xstrdup("expected an object with \"version\" and \"findings\"");
	const cJSON *version = NULL, *findings = NULL;
	for (const cJSON *m = root->child; m; m = m->next) {
		if (!strcmp(m->string, "version"))
			version = m;
		else if (!strcmp(m->string, "findings"))
			findings = m;
		else
			return aa_xasprintf("unknown member '%s' (expected \"version\" and \"findings\")", m->string);
	}
	if (!cJSON_IsNumber(version) || version->valuedouble != AA_BASELINE_VERSION)
		return aa_xasprintf("\"version\" must be %d (written by --write-baseline of this version)",
				    AA_BASELINE_VERSION);
	if (!cJSON_IsArray(findings))
		return aa_xstrdup("\"findings\" must be an array");
	size_t i = 0;
	for (const cJSON *item = findings->child; item; item = item->next, i++) {
		char *what = read_entry(bl, item);
		if (what) {
			char *msg = aa_xasprintf("findings[%zu] %s", i, what);
			free(what);
			return msg;
		}
	}
	return NULL;
}

int aa_baseline_read(struct aa_baseline *bl, const char *path, char **error)
{
	memset(bl, 0, sizeof(*bl));
	struct aa_buf text = AA_BUF_INIT;
	if (slurp(path, &text) < 0) {
		*error = aa_xasprintf("cannot read the baseline '%s': %s", path, strerror(errno));
		aa_buf_release(&text);
		return -1;
	}
	const char *end = NULL;
	/* return_parse_end says where parsing stopped (cJSON_GetErrorPtr is global state);
	 * the length covers the terminating NUL, which require_null_terminated looks for,
	 * so a NUL byte inside the file ends it with an error. */
	const char *base = text.data;
	cJSON *root = cJSON_ParseWithLengthOpts(base, text.len + 1, &end, true);
	char *what = NULL;
	bool parsed = root != NULL;
	if (!parsed) {
		size_t line, col;
		position(base, end && end >= base ? (size_t)(end - base) : 0, &line, &col);
		what = aa_xasprintf(":%zu:%zu: not valid JSON (write a baseline with --write-baseline)", line, col);
	} else {
		what = read_document(bl, root);
	}
	cJSON_Delete(root);
	aa_buf_release(&text);
	if (what) {
		*error = aa_xasprintf("baseline %s%s%s", path, parsed ? ": " : "", what);
		free(what);
		aa_baseline_release(bl);
		return -1;
	}
	if (bl->len > 1)
		qsort(bl->items, bl->len, sizeof(*bl->items), cmp_entry);
	return 0;
}

/* The path an entry names d's file by (caller frees). */
static char *entry_path(const struct aa_emit_opts *opts, const struct aa_diag *d)
{
	char *p;
	aa_emit_srcroot_path(opts, d->path, &p);
	return p;
}

void aa_baseline_reset(struct aa_baseline *bl)
{
	for (size_t k = 0; k < bl->len; k++)
		bl->items[k].matched = false;
}

size_t aa_baseline_stale(const struct aa_baseline *bl)
{
	size_t stale = 0;
	for (size_t k = 0; k < bl->len; k++)
		stale += !bl->items[k].matched;
	return stale;
}

/* d's fingerprint as an entry writes it ("" without one). */
static void fingerprint_of(const struct aa_diag *d, char fp[AA_FINGERPRINT_SIZE])
{
	if (d->has_fingerprint)
		aa_fingerprint_format(d->fingerprint, fp);
	else
		fp[0] = '\0';
}

void aa_baseline_apply(struct aa_baseline *bl, struct aa_diag_list *diags, const struct aa_emit_opts *opts)
{
	size_t kept = 0;
	for (size_t i = 0; i < diags->len; i++) {
		struct aa_diag *d = &diags->items[i];
		char *p = entry_path(opts, d);
		char fp[AA_FINGERPRINT_SIZE];
		fingerprint_of(d, fp);
		/* The first entry not below the finding's key, then the first unmatched equal one. */
		size_t lo = 0, hi = bl->len;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct aa_baseline_entry *e = &bl->items[mid];
			if (cmp_triple(e->path, e->code, e->fingerprint, p, d->rule->code, fp) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		bool dropped = false;
		for (size_t k = lo; k < bl->len && !dropped; k++) {
			struct aa_baseline_entry *e = &bl->items[k];
			if (cmp_triple(e->path, e->code, e->fingerprint, p, d->rule->code, fp))
				break;
			if (!e->matched)
				dropped = e->matched = true;
		}
		free(p);
		if (dropped)
			aa_diag_release(d);
		else
			diags->items[kept++] = *d;
	}
	diags->len = kept;
}

int aa_baseline_write(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	struct aa_baseline bl = { 0 };
	struct aa_report_cursor c;
	aa_report_open(&c, report, opts);
	for (const struct aa_diag *d; (d = aa_report_next(&c));) {
		char fp[AA_FINGERPRINT_SIZE];
		fingerprint_of(d, fp);
		AA_GROW(bl.items, bl.cap, bl.len + 1);
		bl.items[bl.len++] = (struct aa_baseline_entry){ entry_path(opts, d), aa_xstrdup(d->rule->code),
								  aa_xstrdup(fp), false };
	}
	aa_report_close(&c);
	if (bl.len > 1)
		qsort(bl.items, bl.len, sizeof(*bl.items), cmp_entry);
	cJSON *root = cJSON_CreateObject();
	cJSON *findings = NULL;
	if (!aa_json_num(root, "version", AA_BASELINE_VERSION) || !(findings = aa_json_arr(root, "findings"))) {
		cJSON_Delete(root);
		root = NULL;
	}
	for (size_t k = 0; root && k < bl.len; k++) {
		cJSON *e = aa_json_obj(findings, NULL);
		if (!aa_json_str(e, "path", bl.items[k].path) || !aa_json_str(e, "code", bl.items[k].code) ||
		    !aa_json_str(e, "fingerprint", bl.items[k].fingerprint)) {
			cJSON_Delete(root);
			root = NULL;
		}
	}
	aa_baseline_release(&bl);
	return aa_json_finish(out, root);
}
