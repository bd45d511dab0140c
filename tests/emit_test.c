/*
 * emit_test: the report writers (text, JSON, SARIF, GitHub), --statistics and the rule
 * documentation renderer, on findings built by hand from real registry rules.
 *
 *   emit_test                     run the checks; exit 0 when all pass (tests/check.h)
 *   emit_test --write-sarif FILE  write the SARIF log of the sample findings to FILE
 *                                 (tests/t_sarif_validate.sh validates it)
 */
#include "analyzer/check/diag.h"
#include "analyzer/check/findings.h"
#include "analyzer/report/emit.h"
#include "analyzer/report/baseline.h"
#include "analyzer/report/fingerprint.h"
#include "analyzer/report/report.h"
#include "analyzer/check/rule.h"
#include "analyzer/report/ruledoc.h"
#include "analyzer/base/xalloc.h"
#include "tests/check.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- building findings ------------------------------------------------------------ */

struct rel_spec {
	const char *path;
	uint32_t line, col, end_line, end_col;
	const char *message;
};

static void add(struct aa_diag_list *list, const struct aa_rule *rule, const char *path,
		uint32_t line, uint32_t col, uint32_t end_line, uint32_t end_col, const char *message,
		const char *source_line, const struct rel_spec *rel, size_t n_rel, int chain,
		uint32_t shift)
{
	struct aa_diag d = { 0 };
	d.rule = rule;
	d.path = aa_xstrdup(path);
	d.span = (struct aa_span){ line + shift, col, end_line + shift, end_col };
	d.message = aa_xstrdup(message);
	d.source_line = source_line ? aa_xstrdup(source_line) : NULL;
	if (n_rel) {
		d.related = aa_xcalloc(n_rel, sizeof(*d.related));
		for (size_t i = 0; i < n_rel; i++) {
			d.related[i].path = aa_xstrdup(rel[i].path);
			d.related[i].span = (struct aa_span){ rel[i].line + shift, rel[i].col,
							      rel[i].end_line + shift, rel[i].end_col };
			d.related[i].message = aa_xstrdup(rel[i].message);
		}
		d.n_related = n_rel;
	}
	d.related_is_chain = chain;
	aa_diag_list_push(list, &d);
}

#define PKG_PATH "pkg/caf\xC3\xA9/\xC3\xBCn\xC3\xAF.py" /* pkg/café/ünï.py */
#define PKG_URI "src/pkg/caf%C3%A9/%C3%BCn%C3%AF.py"
#define HASH_PATH "dir with space/a#b.py"
#define HASH_URI "src/dir%20with%20space/a%23b.py"
#define CWD "/home/u/proj \xC3\xBC/src" /* /home/u/proj ü/src */
#define SRCROOT_URI "file:///home/u/proj%20%C3%BC/"

static const struct rel_spec chain_hops[] = {
	{ "lib/helper.py", 4, 1, 4, 20, "`handler` calls `helper`" },
	{ "../../other/util.py", 9, 5, 9, 18, "`helper` calls `time.sleep`" },
};
static const struct rel_spec plain_related[] = {
	{ "/home/u/proj \xC3\xBC/src/lib/helper.py", 2, 1, 2, 7, "declared here" },
};

/* Every kind of finding the writers must handle; lines shifted by `shift` model an
 * unrelated edit above all of them. */
static void sample(struct aa_diag_list *list, uint32_t shift)
{
	const struct aa_rule *r0 = aa_rules[0], *r1 = aa_rules[1];
	aa_diag_list_init(list);
	/* Non-ASCII text and a tab before the span. */
	add(list, r0, PKG_PATH, 3, 17, 3, 30, "blocking call", "\tname = 'caf\xC3\xA9'; time.sleep(1)",
	    NULL, 0, 0, shift);
	/* The same text twice (indentation differs): fingerprints must still differ. */
	add(list, r0, PKG_PATH, 12, 5, 12, 11, "same text", "    foo(1)", NULL, 0, 0, shift);
	add(list, r0, PKG_PATH, 20, 9, 20, 15, "same text", "        foo(1)", NULL, 0, 0, shift);
	/* A chain through two other files, one outside the source root. */
	add(list, r0, PKG_PATH, 30, 5, 30, 13, "handler blocks", "    handler()", chain_hops, 2, 1, shift);
	add(list, r1, HASH_PATH, 1, 1, 1, 1, "cannot decode", NULL, plain_related, 1, 0, shift);
	add(list, r0, HASH_PATH, 5, 3, 7, 2, "spans lines", "x = (1 +", NULL, 0, 0, shift);
	aa_diag_list_sort(list);
}

static const char *const notes[] = { "cannot read 'gone.py': No such file or directory", NULL };

static struct aa_emit_opts sample_opts(enum aa_format format)
{
	return (struct aa_emit_opts){
		.format = format,
		.cwd = CWD,
		.srcroot = "/home/u/proj \xC3\xBC/",
		.execution_successful = false,
		.notifications = notes,
	};
}

typedef int (*writer_fn)(FILE *, struct aa_report *, const struct aa_emit_opts *);

/* A report (report.h) over copies of list's findings, kept as a plain list: `check`
 * reads its findings so, fingerprinted as they are read. */
struct list_report {
	struct aa_findings findings;
	struct aa_report report;
};

static struct aa_report *report_of(struct list_report *lr, const struct aa_diag_list *list)
{
	struct aa_diag_list copy;
	aa_diag_list_init(&copy);
	for (size_t i = 0; i < list->len; i++)
		aa_diag_list_copy(&copy, &list->items[i]);
	aa_findings_init(&lr->findings);
	aa_findings_take_list(&lr->findings, &copy);
	aa_report_init(&lr->report, &lr->findings);
	return &lr->report;
}

static char *capture_report(struct check *t, writer_fn fn, struct aa_report *report, const struct aa_emit_opts *opts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		perror("open_memstream");
		exit(2);
	}
	int rc = fn(f, report, opts);
	if (fclose(f)) {
		perror("fclose");
		exit(2);
	}
	CHECK(t, rc == 0, "writer returned %d", rc);
	return buf;
}

static char *capture(struct check *t, writer_fn fn, const struct aa_diag_list *list, const struct aa_emit_opts *opts)
{
	struct list_report lr;
	char *got = capture_report(t, fn, report_of(&lr, list), opts);
	aa_findings_release(&lr.findings);
	return got;
}

static char *capture_stats(struct check *t, const struct aa_diag_list *list, enum aa_format format)
{
	struct aa_emit_opts opts = { .format = format };
	return capture(t, aa_emit_statistics, list, &opts);
}

/* ---- text -------------------------------------------------------------------------- */

static void test_text(struct check *t)
{
	struct aa_diag_list list;
	aa_diag_list_init(&list);
	add(&list, aa_rules[0], PKG_PATH, 3, 17, 3, 30, "blocking call",
	    "\tname = 'caf\xC3\xA9'; time.sleep(1)", NULL, 0, 0, 0);
	add(&list, aa_rules[1], HASH_PATH, 1, 1, 1, 1, "cannot decode", NULL, NULL, 0, 0, 0);
	add(&list, aa_rules[0], HASH_PATH, 5, 3, 7, 2, "spans lines", "x = (1 +", NULL, 0, 0, 0);
	aa_diag_list_sort(&list);
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_TEXT);

	char *got = capture(t, aa_emit, &list, &opts);
	CHECK_STR(t, "text output",
		  "dir with space/a#b.py:1:1: error: AA002 [unreadable-file] cannot decode\n"
		  "\n"
		  "dir with space/a#b.py:5:3: error: AA001 [syntax-error] spans lines\n"
		  "x = (1 +\n"
		  "  ^^^^^^\n"
		  "\n"
		  "pkg/caf\xC3\xA9/\xC3\xBCn\xC3\xAF.py:3:17: error: AA001 [syntax-error] blocking call\n"
		  "    name = 'caf\xC3\xA9'; time.sleep(1)\n"
		  "                   ^^^^^^^^^^^^^\n", got);
	CHECK(t, !strchr(got, '\033'), "colour off must print no escape sequence");
	free(got);

	opts.color = true;
	got = capture(t, aa_emit_text, &list, &opts);
	CHECK(t, strstr(got, "\033[1mpkg/caf\xC3\xA9/\xC3\xBCn\xC3\xAF.py:3:17:\033[0m \033[1;31merror:\033[0m \033[1mAA001\033[0m "
			  "[syntax-error] blocking call\n"),
	      "colour header missing in:\n%s", got);
	CHECK(t, strstr(got, "\n                   \033[1;31m^^^^^^^^^^^^^\033[0m\n"),
	      "coloured caret line missing in:\n%s", got);
	free(got);
	aa_diag_list_release(&list);

	/* A file name or a message can neither drive the terminal nor forge a finding line:
	 * control characters (C0, DEL, C1) and bytes that are not UTF-8 are shown as \xHH. */
	opts.color = false;
	aa_diag_list_init(&list);
	add(&list, aa_rules[0], "a\x1b]0;owned\x07\nb.py:1:1: AA101 forged.py", 1, 1, 1, 2, "m\r\x7f\xc2\x9b\xff\tz",
	    "x\xc2\x9b[2Jy", NULL, 0, 0, 0);
	got = capture(t, aa_emit_text, &list, &opts);
	CHECK_STR(t, "text escapes control characters",
		  "a\\x1b]0;owned\\x07\\x0ab.py:1:1: AA101 forged.py:1:1: error: AA001 [syntax-error] "
		  "m\\x0d\\x7f\\xc2\\x9b\\xff\\x09z\n"
		  "x [2Jy\n"
		  "^\n", got);
	free(got);
	aa_diag_list_release(&list);

	/* Clipping: a span past the end of its line, an empty span, tabs inside the span,
	 * a control character (shown as a space). */
	aa_diag_list_init(&list);
	add(&list, aa_rules[0], "a.py", 1, 5, 1, 9, "past end", "ab", NULL, 0, 0, 0);
	add(&list, aa_rules[0], "a.py", 2, 2, 2, 2, "empty", "abc", NULL, 0, 0, 0);
	add(&list, aa_rules[0], "a.py", 3, 2, 3, 4, "tabs", "a\t\tb", NULL, 0, 0, 0);
	add(&list, aa_rules[0], "a.py", 4, 3, 4, 4, "ctrl", "\x1b[2Jx", NULL, 0, 0, 0);
	opts.color = false;
	got = capture(t, aa_emit_text, &list, &opts);
	CHECK_STR(t, "clipped text output",
		  "a.py:1:5: error: AA001 [syntax-error] past end\n"
		  "ab\n"
		  "  ^\n"
		  "\n"
		  "a.py:2:2: error: AA001 [syntax-error] empty\n"
		  "abc\n"
		  " ^\n"
		  "\n"
		  "a.py:3:2: error: AA001 [syntax-error] tabs\n"
		  "a       b\n"
		  " ^^^^^^^\n"
		  "\n"
		  "a.py:4:3: error: AA001 [syntax-error] ctrl\n"
		  " [2Jx\n"
		  "  ^\n", got);
	free(got);
	aa_diag_list_release(&list);
}

/* ---- statistics -------------------------------------------------------------------- */

static void test_statistics(struct check *t)
{
	struct aa_diag_list list;
	sample(&list, 0);
	char *got = capture_stats(t, &list, AA_FORMAT_TEXT);
	CHECK_STR(t, "statistics",
		  "  5  AA001  [syntax-error]\n"
		  "  1  AA002  [unreadable-file]\n"
		  "  6  total\n", got);
	free(got);
	aa_diag_list_release(&list);

	/* Most frequent first, whatever the code; ties by code. */
	aa_diag_list_init(&list);
	for (uint32_t i = 0; i < 12; i++)
		add(&list, aa_rules[1], "b.py", i + 1, 1, i + 1, 2, "m", NULL, NULL, 0, 0, 0);
	add(&list, aa_rules[0], "a.py", 1, 1, 1, 2, "m", NULL, NULL, 0, 0, 0);
	got = capture_stats(t, &list, AA_FORMAT_TEXT);
	CHECK_STR(t, "statistics, most frequent first",
		  "  12  AA002  [unreadable-file]\n"
		  "   1  AA001  [syntax-error]\n"
		  "  13  total\n", got);
	free(got);
	/* --format json: the same counts, in the same order, as an array of objects. */
	got = capture_stats(t, &list, AA_FORMAT_JSON);
	CHECK_STR(t, "statistics as JSON",
		  "[\n"
		  "  {\n"
		  "    \"code\": \"AA002\",\n"
		  "    \"name\": \"unreadable-file\",\n"
		  "    \"count\": 12\n"
		  "  },\n"
		  "  {\n"
		  "    \"code\": \"AA001\",\n"
		  "    \"name\": \"syntax-error\",\n"
		  "    \"count\": 1\n"
		  "  }\n"
		  "]\n", got);
	free(got);
	add(&list, aa_rules[1], "c.py", 1, 1, 1, 2, "m", NULL, NULL, 0, 0, 0);
	for (uint32_t i = 0; i < 12; i++)
		add(&list, aa_rules[0], "c.py", i + 2, 1, i + 2, 2, "m", NULL, NULL, 0, 0, 0);
	got = capture_stats(t, &list, AA_FORMAT_TEXT);
	CHECK_STR(t, "statistics, ties by code",
		  "  13  AA001  [syntax-error]\n"
		  "  13  AA002  [unreadable-file]\n"
		  "  26  total\n", got);
	free(got);
	aa_diag_list_release(&list);

	aa_diag_list_init(&list);
	got = capture_stats(t, &list, AA_FORMAT_TEXT);
	CHECK_STR(t, "statistics of nothing", "  0  total\n", got);
	free(got);
	got = capture_stats(t, &list, AA_FORMAT_JSON);
	CHECK_STR(t, "statistics of nothing as JSON", "[]\n", got);
	free(got);
}

/* ---- JSON -------------------------------------------------------------------------- */

static const char *str_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Checks that obj's member key is the string want. */
#define CHECK_MEMBER_STR(t, obj, key, want) \
	check_str_at((t), __FILE__, __LINE__, (key), (want), str_of((obj), (key)))

static double num_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void check_keys(struct check *t, int line, const cJSON *obj, const char *const *keys)
{
	const cJSON *c = obj ? obj->child : NULL;
	size_t i = 0;
	for (; c && keys[i]; c = c->next, i++)
		if (!c->string || strcmp(c->string, keys[i]))
			break;
	if (c || keys[i])
		check_fail_at(t, __FILE__, line, "keys differ at position %zu: expected \"%s\", got \"%s\"", i,
		     keys[i] ? keys[i] : "(end)", c && c->string ? c->string : "(end)");
}

/* A packed finding (aa_diag_pack: its strings and fix in one block) reads as it did:
 * every format prints the same bytes, before and after, and so does an unpacked copy;
 * releasing both frees each block once (the ASan build checks). */
/* The formats a finding's every field shows in, for the tests that compare a list's
 * output before and after it is stored another way. */
static const enum aa_format stored_formats[] = { AA_FORMAT_TEXT, AA_FORMAT_JSON, AA_FORMAT_SARIF };
#define N_STORED (sizeof(stored_formats) / sizeof(*stored_formats))

/* Gives the sample's first finding (at line `line`) a fix of kind: an import at the top
 * and the replacement of [start, end) by content. */
static void sample_fix(struct check *t, struct aa_diag_list *list, enum aa_fix_kind kind, uint32_t line,
		       uint32_t start, uint32_t end, const char *content)
{
	struct aa_fix *fix = aa_fix_new(kind);
	CHECK(t, aa_fix_add(fix, 0, 0, "import asyncio\n", 15) && aa_fix_add(fix, start, end, content, strlen(content)),
	      "the sample fix takes its edits");
	fix->edits[0].span = (struct aa_span){ 1, 1, 1, 1 };
	fix->edits[1].span = (struct aa_span){ line, 17, line, 27 };
	list->items[0].fix = fix;
}

/* list's output in each of stored_formats, to out[] (each freed by the caller). */
static void capture_stored(struct check *t, const struct aa_diag_list *list, char *out[N_STORED])
{
	for (size_t f = 0; f < N_STORED; f++) {
		struct aa_emit_opts opts = sample_opts(stored_formats[f]);
		out[f] = capture(t, aa_emit, list, &opts);
	}
}

static void test_pack(struct check *t)
{
	struct aa_diag_list list, copy;
	sample(&list, 0);
	sample_fix(t, &list, AA_FIX_SAFE, 3, 20, 30, "await asyncio.sleep");
	char *before[N_STORED];
	capture_stored(t, &list, before);
	for (size_t i = 0; i < list.len; i++)
		aa_diag_pack(&list.items[i]);
	CHECK(t, list.items[0].pack && (void *)list.items[0].fix == list.items[0].pack,
	      "a finding with a fix is packed with its fix first");
	aa_diag_list_init(&copy);
	for (size_t i = 0; i < list.len; i++)
		aa_diag_list_copy(&copy, &list.items[i]);
	CHECK(t, !copy.items[0].pack && copy.items[0].fix != list.items[0].fix, "a copy of a packed finding is its own");
	for (size_t f = 0; f < N_STORED; f++) {
		struct aa_emit_opts opts = sample_opts(stored_formats[f]);
		char *got = capture(t, aa_emit, &list, &opts);
		CHECK_STR(t, "packed findings print as before", before[f], got);
		free(got);
		got = capture(t, aa_emit, &copy, &opts);
		CHECK_STR(t, "a packed finding's copy prints as it", before[f], got);
		free(got);
		free(before[f]);
	}
	aa_diag_list_release(&list);
	aa_diag_list_release(&copy);
}

/* A file's findings frozen (aa_diag_freeze) and thawed print as they did, with every
 * field they had: lines past 127 (numbers of more than one byte), a fix, a chain, a
 * configured severity, a window of a long line, a fingerprint, a path not the file's. */
static void test_freeze(struct check *t)
{
	struct aa_diag_list list, thawed, again;
	sample(&list, 300);
	sample_fix(t, &list, AA_FIX_UNSAFE, 303, 20000, 20010, "");
	list.items[1].has_severity = true;
	list.items[1].severity = 1;
	list.items[2].source_from = 1000;
	list.items[2].source_cut = true;
	list.items[3].fingerprint = 0x0123abcdULL;
	list.items[3].has_fingerprint = true;
	char *before[N_STORED];
	capture_stored(t, &list, before);
	struct aa_diag_list copy;
	aa_diag_list_init(&copy);
	for (size_t i = 0; i < list.len; i++)
		aa_diag_list_copy(&copy, &list.items[i]);
	unsigned char *block = aa_diag_freeze(&list, PKG_PATH, NULL);
	CHECK(t, block && !list.len && !list.items, "freezing empties the list");
	aa_diag_list_init(&thawed);
	aa_diag_list_init(&again);
	aa_diag_thaw(block, PKG_PATH, &thawed);
	aa_diag_thaw(block, PKG_PATH, &again);
	CHECK_UINT(t, "findings thawed", copy.len, thawed.len);
	CHECK_UINT(t, "findings thawed twice", copy.len, again.len);
	for (size_t i = 0; i < copy.len && i < thawed.len; i++) {
		const struct aa_diag *a = &copy.items[i], *b = &thawed.items[i];
		CHECK(t, a->rule == b->rule && a->has_severity == b->has_severity && a->severity == b->severity &&
				 a->source_from == b->source_from && a->source_cut == b->source_cut &&
				 a->related_is_chain == b->related_is_chain && !!a->fix == !!b->fix && b->pack,
		      "finding %zu thaws with its fields", i);
		CHECK_STR(t, "a thawed path", a->path, b->path);
		CHECK_STR(t, "a thawed source line", a->source_line, b->source_line);
		CHECK(t, a->has_fingerprint == b->has_fingerprint && a->fingerprint == b->fingerprint,
		      "finding %zu thaws with its fingerprint", i);
	}
	CHECK(t, thawed.items[0].fix && thawed.items[0].fix->kind == AA_FIX_UNSAFE &&
			 thawed.items[0].fix->n_edits == 2 && thawed.items[0].fix->edits[1].start == 20000 &&
			 thawed.items[0].fix->edits[1].end == 20010 && thawed.items[0].fix->edits[1].span.end_col == 27 &&
			 !strcmp(thawed.items[0].fix->edits[1].content, ""),
	      "the fix thaws whole");
	for (size_t f = 0; f < N_STORED; f++) {
		struct aa_emit_opts opts = sample_opts(stored_formats[f]);
		char *got = capture(t, aa_emit, &thawed, &opts);
		CHECK_STR(t, "thawed findings print as before", before[f], got);
		free(got);
		free(before[f]);
	}
	struct aa_diag_list empty;
	aa_diag_list_init(&empty);
	CHECK(t, !aa_diag_freeze(&empty, PKG_PATH, NULL), "no findings freeze to NULL");
	aa_diag_thaw(NULL, PKG_PATH, &empty);
	CHECK_UINT(t, "NULL thaws to nothing", 0, empty.len);
	free(block);
	aa_diag_list_release(&copy);
	aa_diag_list_release(&thawed);
	aa_diag_list_release(&again);
}

/* The report over a store (each file's findings frozen, the others a list: findings.h)
 * writes what it writes over one list of the same findings, in every format: a path's
 * frozen and listed findings merged in order, a listed path with no file before, between
 * and after the files, the occurrence index of equal keys counted across both. */
static void test_streamed(struct check *t)
{
	const struct aa_rule *r0 = aa_rules[0], *r1 = aa_rules[1];
	struct aa_diag_list a, c, rest, all;
	aa_diag_list_init(&a);
	aa_diag_list_init(&c);
	aa_diag_list_init(&rest);
	aa_diag_list_init(&all);
	add(&a, r0, "b.py", 3, 1, 3, 4, "late", "x()", NULL, 0, 0, 0);
	add(&a, r0, "b.py", 1, 1, 1, 4, "early", "  x()", NULL, 0, 0, 0);
	add(&c, r1, "d.py", 2, 1, 2, 2, "d local", "y()", NULL, 0, 0, 0);
	add(&rest, r0, "b.py", 2, 1, 2, 4, "listed", "x()", chain_hops, 2, 1, 0);
	add(&rest, r1, "a.py", 1, 1, 1, 2, "before", NULL, NULL, 0, 0, 0);
	add(&rest, r1, "c.py", 1, 1, 1, 2, "between", NULL, NULL, 0, 0, 0);
	add(&rest, r1, "e.py", 1, 1, 1, 2, "after", "z()", NULL, 0, 0, 0);
	sample_fix(t, &c, AA_FIX_SAFE, 2, 0, 1, "w");
	for (size_t i = 0; i < a.len; i++)
		aa_diag_list_copy(&all, &a.items[i]);
	for (size_t i = 0; i < c.len; i++)
		aa_diag_list_copy(&all, &c.items[i]);
	for (size_t i = 0; i < rest.len; i++)
		aa_diag_list_copy(&all, &rest.items[i]);
	struct aa_findings store;
	aa_findings_init(&store);
	struct aa_arena arena = AA_ARENA_INIT(64, 256);
	const unsigned char *block_b = aa_diag_freeze(&a, "b.py", &arena);
	const unsigned char *block_d = aa_diag_freeze(&c, "d.py", &arena);
	aa_findings_take_arena(&store, &arena);
	aa_findings_add_block(&store, "b.py", block_b);
	aa_findings_add_block(&store, "d.py", block_d);
	aa_findings_take_list(&store, &rest);
	struct aa_report streamed;
	aa_report_init(&streamed, &store);
	static const enum aa_format formats[] = { AA_FORMAT_TEXT,   AA_FORMAT_JSON,   AA_FORMAT_SARIF,
						  AA_FORMAT_GITHUB, AA_FORMAT_GITLAB, AA_FORMAT_JUNIT };
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct aa_emit_opts opts = sample_opts(formats[i]);
		char *want = capture(t, aa_emit, &all, &opts), *got = capture_report(t, aa_emit, &streamed, &opts);
		CHECK_STR(t, "the streamed report", want, got);
		free(want);
		free(got);
	}
	struct aa_emit_opts json = sample_opts(AA_FORMAT_JSON);
	writer_fn others[] = { aa_emit_statistics, aa_baseline_write };
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		char *want = capture(t, others[i], &all, &json), *got = capture_report(t, others[i], &streamed, &json);
		CHECK_STR(t, "the streamed statistics and baseline", want, got);
		free(want);
		free(got);
	}
	CHECK(t, streamed.found == 7 && streamed.shown == 7 && streamed.files_shown == 5 && !streamed.stale,
	      "the counts of a pass: %zu found, %zu shown in %zu files", streamed.found, streamed.shown,
	      streamed.files_shown);
	aa_findings_release(&store);
	aa_diag_list_release(&all);
}

static void test_json(struct check *t)
{
	struct aa_diag_list list;
	sample(&list, 0);
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_JSON);
	char *got = capture(t, aa_emit, &list, &opts);
	size_t len = strlen(got);
	CHECK(t, len > 2 && got[len - 1] == '\n' && got[len - 2] != '\n', "JSON must end with one newline");
	CHECK(t, strchr(got, '\n') < got + len - 1, "JSON must be pretty printed (several lines)");

	cJSON *root = cJSON_Parse(got);
	CHECK(t, cJSON_IsArray(root), "JSON output is not an array:\n%s", got);
	CHECK(t, cJSON_GetArraySize(root) == (int)list.len, "JSON has %d items, expected %zu",
	      cJSON_GetArraySize(root), list.len);
	static const char *const keys[] = { "code", "name", "message", "severity", "path", "line", "column",
					    "end_line", "end_column", "related", "chain", NULL };
	static const char *const rkeys[] = { "path", "line", "column", "end_line", "end_column", "message", NULL };
	int i = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, root) {
		const struct aa_diag *d = &list.items[i++];
		check_keys(t, __LINE__, item, keys);
		CHECK_MEMBER_STR(t, item, "code", d->rule->code);
		CHECK_MEMBER_STR(t, item, "name", d->rule->name);
		CHECK_MEMBER_STR(t, item, "message", d->message);
		CHECK_MEMBER_STR(t, item, "severity", "error");
		CHECK_MEMBER_STR(t, item, "path", d->path);
		CHECK(t, num_of(item, "line") == d->span.line && num_of(item, "column") == d->span.col &&
		      num_of(item, "end_line") == d->span.end_line && num_of(item, "end_column") == d->span.end_col,
		      "span of item %d", i);
		const cJSON *chain = cJSON_GetObjectItemCaseSensitive(item, "chain");
		CHECK(t, cJSON_IsBool(chain) && !!cJSON_IsTrue(chain) == !!d->related_is_chain, "chain of item %d", i);
		const cJSON *rel = cJSON_GetObjectItemCaseSensitive(item, "related");
		CHECK(t, cJSON_IsArray(rel) && cJSON_GetArraySize(rel) == (int)d->n_related, "related of item %d", i);
		int j = 0;
		const cJSON *r;
		cJSON_ArrayForEach(r, rel) {
			const struct aa_related *dr = &d->related[j++];
			check_keys(t, __LINE__, r, rkeys);
			CHECK_MEMBER_STR(t, r, "path", dr->path);
			CHECK_MEMBER_STR(t, r, "message", dr->message);
			CHECK(t, num_of(r, "line") == dr->span.line && num_of(r, "end_column") == dr->span.end_col,
			      "related span of item %d", i);
		}
	}
	cJSON_Delete(root);
	free(got);
	aa_diag_list_release(&list);

	/* The exact layout, with every escape JSON needs. */
	aa_diag_list_init(&list);
	static const struct rel_spec hop = { "b.py", 2, 1, 2, 4, "tab\there" };
	add(&list, aa_rules[0], "a\\b.py", 1, 2, 1, 5, "say \"hi\"\x01\n", "x", &hop, 1, 1, 0);
	got = capture(t, aa_emit_json, &list, &opts);
	CHECK_STR(t, "JSON layout",
		  "[\n"
		  "  {\n"
		  "    \"code\": \"AA001\",\n"
		  "    \"name\": \"syntax-error\",\n"
		  "    \"message\": \"say \\\"hi\\\"\\u0001\\n\",\n"
		  "    \"severity\": \"error\",\n"
		  "    \"path\": \"a\\\\b.py\",\n"
		  "    \"line\": 1,\n"
		  "    \"column\": 2,\n"
		  "    \"end_line\": 1,\n"
		  "    \"end_column\": 5,\n"
		  "    \"related\": [\n"
		  "      {\n"
		  "        \"path\": \"b.py\",\n"
		  "        \"line\": 2,\n"
		  "        \"column\": 1,\n"
		  "        \"end_line\": 2,\n"
		  "        \"end_column\": 4,\n"
		  "        \"message\": \"tab\\there\"\n"
		  "      }\n"
		  "    ],\n"
		  "    \"chain\": true\n"
		  "  }\n"
		  "]\n", got);
	root = cJSON_Parse(got);
	CHECK_MEMBER_STR(t, cJSON_GetArrayItem(root, 0), "message", "say \"hi\"\x01\n");
	cJSON_Delete(root);
	free(got);
	aa_diag_list_release(&list);

	/* An undecodable path still yields valid UTF-8 (U+FFFD), and no findings is []. */
	aa_diag_list_init(&list);
	got = capture(t, aa_emit_json, &list, &opts);
	CHECK_STR(t, "JSON of nothing", "[]\n", got);
	free(got);
	add(&list, aa_rules[1], "bad\xFF\xC3.py", 1, 1, 1, 1, "m", NULL, NULL, 0, 0, 0);
	got = capture(t, aa_emit_json, &list, &opts);
	root = cJSON_Parse(got);
	CHECK_MEMBER_STR(t, cJSON_GetArrayItem(root, 0), "path", "bad\xEF\xBF\xBD\xEF\xBF\xBD.py");
	cJSON_Delete(root);
	free(got);
	aa_diag_list_release(&list);
}

/* ---- GitHub ------------------------------------------------------------------------ */

static void test_github(struct check *t)
{
	struct aa_diag_list list;
	aa_diag_list_init(&list);
	add(&list, aa_rules[0], "d, x:y/a%.py", 3, 5, 3, 9, "100% sure\r\nnext: a,b", NULL, NULL, 0, 0, 0);
	add(&list, aa_rules[0], PKG_PATH, 5, 3, 7, 2, "spans lines", NULL, NULL, 0, 0, 0);
	add(&list, aa_rules[1], "../../../outside.py", 1, 1, 1, 1, "cannot decode", NULL, NULL, 0, 0, 0);
	/* Control characters other than CR and LF (GitHub's own %0D, %0A) are shown as \xHH. */
	add(&list, aa_rules[1], "z\x1b[31m\x7f\xc2\x85.py", 1, 1, 1, 1, "bell\x07\ttab\xff", NULL, NULL, 0, 0, 0);
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_GITHUB);
	/* In path order: the report sorts what it reads. */
	char *got = capture(t, aa_emit, &list, &opts);
	CHECK_STR(t, "GitHub output",
		  "::error file=../../../outside.py,line=1,col=1,endLine=1,endColumn=1,"
		  "title=AA002 unreadable-file::cannot decode\n"
		  "::error file=src/d%2C x%3Ay/a%25.py,line=3,col=5,endLine=3,endColumn=9,"
		  "title=AA001 syntax-error::100%25 sure%0D%0Anext: a,b\n"
		  "::error file=src/" PKG_PATH ",line=5,endLine=7,title=AA001 syntax-error::spans lines\n"
		  "::error file=src/z\\x1b[31m\\x7f\\xc2\\x85.py,line=1,col=1,endLine=1,endColumn=1,"
		  "title=AA002 unreadable-file::bell\\x07\\x09tab\\xff\n", got);
	free(got);
	aa_diag_list_release(&list);
}

/* ---- SARIF ------------------------------------------------------------------------- */

static const cJSON *path_get(const cJSON *v, const char *path)
{
	/* "a.b.0.c": object keys and array indexes. */
	char *copy = aa_xstrdup(path), *save = NULL;
	for (char *tok = strtok_r(copy, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(v))
			v = cJSON_GetArrayItem(v, atoi(tok));
		else
			v = cJSON_GetObjectItemCaseSensitive(v, tok);
	}
	free(copy);
	return v;
}

static const char *path_str(const cJSON *v, const char *path)
{
	v = path_get(v, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Checks that the value at path in v is the string want. */
#define CHECK_PATH_STR(t, v, path, want) \
	check_str_at((t), __FILE__, __LINE__, (path), (want), path_str((v), (path)))

static double path_num(const cJSON *v, const char *path)
{
	v = path_get(v, path);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static cJSON *sarif_of(struct check *t, uint32_t shift)
{
	struct aa_diag_list list;
	sample(&list, shift);
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_SARIF);
	aa_fingerprint_assign(&list, &opts);
	char *got = capture(t, aa_emit, &list, &opts);
	size_t len = strlen(got);
	CHECK(t, len && got[len - 1] == '\n', "SARIF must end with a newline");
	cJSON *root = cJSON_Parse(got);
	CHECK(t, root != NULL, "SARIF does not parse:\n%s", got);
	free(got);
	aa_diag_list_release(&list);
	return root;
}

static void check_location(struct check *t, const cJSON *loc, const cJSON *artifacts, const char *uri, int relative,
			   const struct aa_span *span, const char *what)
{
	CHECK_PATH_STR(t, loc, "physicalLocation.artifactLocation.uri", uri);
	const char *base = path_str(loc, "physicalLocation.artifactLocation.uriBaseId");
	CHECK(t, relative ? base && !strcmp(base, "%SRCROOT%") : !base, "%s: uriBaseId %s", what, base ? base : "-");
	int index = (int)path_num(loc, "physicalLocation.artifactLocation.index");
	CHECK_PATH_STR(t, cJSON_GetArrayItem(artifacts, index), "location.uri", uri);
	CHECK(t, path_num(loc, "physicalLocation.region.startLine") == span->line &&
	      path_num(loc, "physicalLocation.region.startColumn") == span->col &&
	      path_num(loc, "physicalLocation.region.endLine") == span->end_line &&
	      path_num(loc, "physicalLocation.region.endColumn") == span->end_col,
	      "%s: region", what);
}

static void test_sarif(struct check *t)
{
	struct aa_diag_list list;
	sample(&list, 0);
	cJSON *root = sarif_of(t, 0);
	const cJSON *run = path_get(root, "runs.0");

	CHECK_PATH_STR(t, root, "version", "2.1.0");
	CHECK(t, path_str(root, "$schema") != NULL, "$schema missing");
	CHECK_PATH_STR(t, run, "tool.driver.name", "async-analyzer");
	CHECK_PATH_STR(t, run, "tool.driver.version", AA_VERSION);
	CHECK_PATH_STR(t, run, "columnKind", "unicodeCodePoints");
	CHECK_PATH_STR(t, run, "originalUriBaseIds.%SRCROOT%.uri", SRCROOT_URI);
	CHECK(t, cJSON_IsFalse(path_get(run, "invocations.0.executionSuccessful")), "executionSuccessful");
	CHECK_PATH_STR(t, run, "invocations.0.toolExecutionNotifications.0.message.text",
		       "cannot read 'gone.py': No such file or directory.");

	const cJSON *rules = path_get(run, "tool.driver.rules");
	CHECK(t, cJSON_GetArraySize(rules) == (int)aa_rules_count, "driver.rules has %d rules, registry %zu",
	      cJSON_GetArraySize(rules), aa_rules_count);
	for (size_t i = 0; i < aa_rules_count; i++) {
		const cJSON *r = cJSON_GetArrayItem(rules, (int)i);
		const struct aa_rule *rule = aa_rules[i];
		CHECK_PATH_STR(t, r, "id", rule->code);
		CHECK_PATH_STR(t, r, "name", rule->name);
		char *md = aa_ruledoc_markdown(rule), *text = aa_ruledoc_text(rule);
		CHECK_PATH_STR(t, r, "help.markdown", md);
		CHECK_PATH_STR(t, r, "help.text", text);
		free(md);
		free(text);
		char *uri = aa_xasprintf("https://github.com/async-analyzer/async-analyzer/blob/main/docs/rules/%s.md",
					 rule->code);
		CHECK_PATH_STR(t, r, "helpUri", uri);
		free(uri);
		CHECK(t, path_str(r, "shortDescription.text") && path_str(r, "fullDescription.text"),
		      "descriptions of %s", rule->code);
	}

	const cJSON *artifacts = path_get(run, "artifacts");
	const cJSON *results = path_get(run, "results");
	CHECK(t, cJSON_GetArraySize(results) == (int)list.len, "results: %d, expected %zu",
	      cJSON_GetArraySize(results), list.len);
	/* Each file once: the two sample files, lib/helper.py (named two ways) and the
	 * file outside the source root. */
	CHECK(t, cJSON_GetArraySize(artifacts) == 4, "artifacts: %d, expected 4", cJSON_GetArraySize(artifacts));

	for (size_t i = 0; i < list.len; i++) {
		const struct aa_diag *d = &list.items[i];
		const cJSON *res = cJSON_GetArrayItem(results, (int)i);
		CHECK_PATH_STR(t, res, "ruleId", d->rule->code);
		CHECK(t, path_num(res, "ruleIndex") == (double)aa_rule_index(d->rule), "ruleIndex of result %zu", i);
		CHECK_PATH_STR(t, res, "level", "error");
		const char *uri = !strcmp(d->path, PKG_PATH) ? PKG_URI : HASH_URI;
		check_location(t, path_get(res, "locations.0"), artifacts, uri, 1, &d->span, "result");
		const cJSON *rel = path_get(res, "relatedLocations");
		CHECK(t, cJSON_GetArraySize(rel) == (int)d->n_related, "relatedLocations of result %zu", i);
		for (size_t j = 0; j < d->n_related; j++) {
			const cJSON *r = cJSON_GetArrayItem(rel, (int)j);
			int outside = !strcmp(d->related[j].path, "../../other/util.py");
			check_location(t, r, artifacts, outside ? "file:///home/u/other/util.py" : "src/lib/helper.py",
				       !outside, &d->related[j].span, "related");
			CHECK(t, path_num(r, "id") == (double)(j + 1), "related id");
		}
		const cJSON *flows = path_get(res, "codeFlows");
		if (!d->related_is_chain) {
			CHECK(t, flows == NULL, "codeFlows on a result without a chain");
			continue;
		}
		const cJSON *hops = path_get(flows, "0.threadFlows.0.locations");
		CHECK(t, cJSON_GetArraySize(hops) == (int)d->n_related + 1, "chain hops: %d", cJSON_GetArraySize(hops));
		/* The finding (the call in async code) starts the flow; the hops follow. */
		check_location(t, path_get(cJSON_GetArrayItem(hops, 0), "location"), artifacts, uri, 1, &d->span,
			       "first hop");
		for (size_t j = 0; j < d->n_related; j++) {
			const cJSON *hop = path_get(cJSON_GetArrayItem(hops, (int)j + 1), "location");
			int outside = !strcmp(d->related[j].path, "../../other/util.py");
			check_location(t, hop, artifacts,
				       outside ? "file:///home/u/other/util.py" : "src/lib/helper.py", !outside,
				       &d->related[j].span, "hop");
		}
	}
	/* A single-line span carries its own text as the snippet. */
	CHECK_PATH_STR(t, results, "2.locations.0.physicalLocation.region.snippet.text", "time.sleep(1)");
	CHECK_PATH_STR(t, results, "2.message.text", "blocking call.");

	/* Fingerprints: present, unique, different for identical text, stable under a shift. */
	cJSON *shifted = sarif_of(t, 5);
	const cJSON *sresults = path_get(shifted, "runs.0.results");
	for (size_t i = 0; i < list.len; i++) {
		const char *fp = path_str(cJSON_GetArrayItem(results, (int)i), "partialFingerprints.asyncAnalyzer/v1");
		const char *sfp =
			path_str(cJSON_GetArrayItem(sresults, (int)i), "partialFingerprints.asyncAnalyzer/v1");
		CHECK(t, fp && strlen(fp) == 16, "fingerprint of result %zu: %s", i, fp ? fp : "(none)");
		CHECK(t, fp && sfp && !strcmp(fp, sfp), "fingerprint of result %zu moved with its line: %s -> %s", i,
		      fp ? fp : "-", sfp ? sfp : "-");
		CHECK(t,
		      path_num(cJSON_GetArrayItem(sresults, (int)i), "locations.0.physicalLocation.region.startLine") ==
			      list.items[i].span.line + 5,
		      "shifted result %zu", i);
		for (size_t k = 0; k < i; k++) {
			const char *other = path_str(cJSON_GetArrayItem(results, (int)k),
						     "partialFingerprints.asyncAnalyzer/v1");
			CHECK(t, !fp || !other || strcmp(fp, other), "results %zu and %zu share fingerprint %s", k, i,
			      fp);
		}
	}
	cJSON_Delete(shifted);
	cJSON_Delete(root);
	aa_diag_list_release(&list);

	/* Source root "/" and a file in it; a directory URI keeps its trailing slash. */
	aa_diag_list_init(&list);
	add(&list, aa_rules[1], "x y.py", 1, 1, 1, 1, "m.", NULL, NULL, 0, 0, 0);
	struct aa_emit_opts opts = {
		.format = AA_FORMAT_SARIF, .cwd = "/", .srcroot = "/", .execution_successful = true
	};
	char *got = capture(t, aa_emit_sarif, &list, &opts);
	root = cJSON_Parse(got);
	CHECK_PATH_STR(t, root, "runs.0.originalUriBaseIds.%SRCROOT%.uri", "file:///");
	CHECK_PATH_STR(t, root, "runs.0.results.0.locations.0.physicalLocation.artifactLocation.uri", "x%20y.py");
	CHECK_PATH_STR(t, root, "runs.0.results.0.message.text", "m.");
	CHECK(t, path_get(root, "runs.0.invocations.0.toolExecutionNotifications") == NULL, "no notifications");
	cJSON_Delete(root);
	free(got);
	aa_diag_list_release(&list);
}

/* driver.rules lists the selected rules (and any rule a finding names), in registry order;
 * ruleIndex points into that list. */
static void test_sarif_selection(struct check *t)
{
	bool *selected = aa_xcalloc(aa_rules_count, sizeof(bool));
	selected[2] = selected[5] = true;
	struct aa_diag_list list;
	aa_diag_list_init(&list);
	add(&list, aa_rules[5], "a.py", 1, 1, 1, 2, "selected", NULL, NULL, 0, 0, 0);
	add(&list, aa_rules[0], "b.py", 1, 1, 1, 2, "not selected", NULL, NULL, 0, 0, 0);
	aa_diag_list_sort(&list);
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_SARIF);
	opts.rules_selected = selected;
	char *got = capture(t, aa_emit, &list, &opts);
	cJSON *root = cJSON_Parse(got);
	const cJSON *run = path_get(root, "runs.0");
	const cJSON *rules = path_get(run, "tool.driver.rules");
	CHECK(t, cJSON_GetArraySize(rules) == 3, "driver.rules has %d rules, expected 3", cJSON_GetArraySize(rules));
	CHECK_PATH_STR(t, rules, "0.id", aa_rules[0]->code);
	CHECK_PATH_STR(t, rules, "1.id", aa_rules[2]->code);
	CHECK_PATH_STR(t, rules, "2.id", aa_rules[5]->code);
	CHECK_PATH_STR(t, run, "results.0.ruleId", aa_rules[5]->code);
	CHECK(t, path_num(run, "results.0.ruleIndex") == 2, "ruleIndex of a selected rule's result");
	CHECK_PATH_STR(t, run, "results.1.ruleId", aa_rules[0]->code);
	CHECK(t, path_num(run, "results.1.ruleIndex") == 0, "ruleIndex of an unselected rule's result");
	cJSON_Delete(root);
	free(got);
	aa_diag_list_release(&list);
	free(selected);
}

/* The window a finding keeps of a long line (analyzer/input/excerpt.h): its first code
 * point is column source_from + 1. The text report shows it between "..." with the carets
 * under the span; SARIF's snippet is the span's text when it lies within the window, and
 * none when it goes past it. */
static void test_cut_line(struct check *t)
{
	struct aa_diag_list list;
	aa_diag_list_init(&list);
	static const char line[] = "x; \xC3\xA9; time.sleep(1); y";
	add(&list, aa_rules[0], "a.py", 1, 107, 1, 120, "in the window", line, NULL, 0, 0, 0);
	add(&list, aa_rules[0], "b.py", 1, 107, 1, 132, "past the window", line, NULL, 0, 0, 0);
	for (size_t i = 0; i < list.len; i++) {
		list.items[i].source_from = 100;
		list.items[i].source_cut = true;
	}
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_TEXT);
	char *got = capture(t, aa_emit, &list, &opts);
	CHECK_STR(t, "text output of a cut line",
		  "a.py:1:107: error: AA001 [syntax-error] in the window\n"
		  "...x; \xC3\xA9; time.sleep(1); y...\n"
		  "         ^^^^^^^^^^^^^\n"
		  "\n"
		  "b.py:1:107: error: AA001 [syntax-error] past the window\n"
		  "...x; \xC3\xA9; time.sleep(1); y...\n"
		  "         ^^^^^^^^^^^^^^^^\n", got);
	free(got);
	opts = sample_opts(AA_FORMAT_SARIF);
	got = capture(t, aa_emit, &list, &opts);
	cJSON *root = cJSON_Parse(got);
	const cJSON *results = path_get(root, "runs.0.results");
	CHECK_PATH_STR(t, results, "0.locations.0.physicalLocation.region.snippet.text", "time.sleep(1)");
	CHECK(t, results && !path_get(results, "1.locations.0.physicalLocation.region.snippet"),
	      "a span past the window kept of its line has no snippet");
	cJSON_Delete(root);
	free(got);
	aa_diag_list_release(&list);
}

/* ---- rule documentation ------------------------------------------------------------ */

static const struct aa_target fake_targets[] = {
	{ "time.sleep", 0, "await asyncio.sleep()", NULL },
	{ "queue.Queue.put", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "`await asyncio.to_thread(q.put, x)`",
	  "on a bounded queue | when full" },
};
static const char *const fake_equivalents[] = { "ASYNC251", "ASYNC999", NULL };
static const struct aa_rule fake_rule = {
	.code = "AA999",
	.name = "fake-rule",
	.default_on = false,
	.severity = AA_SEVERITY_WARNING,
	.summary = "A rule made up for this test",
	.equivalents = fake_equivalents,
	.targets = fake_targets,
	.n_targets = sizeof(fake_targets) / sizeof(fake_targets[0]),
	.doc = {
		.what = "Reports `time.sleep()`.",
		.example = "import time\n\nasync def f():\n    time.sleep(1)\n",
		.exceptions = "None.",
		.references = "- [asyncio](https://docs.python.org/3/library/asyncio.html)",
	},
};

static void test_ruledoc(struct check *t)
{
	char *md = aa_ruledoc_markdown(&fake_rule);
	CHECK_STR(t, "markdown",
		  "# AA999 fake-rule\n"
		  "\n"
		  "A rule made up for this test.\n"
		  "\n"
		  "## What it does\n"
		  "\n"
		  "Reports `time.sleep()`.\n"
		  "\n"
		  "## Example\n"
		  "\n"
		  "```python\n"
		  "import time\n"
		  "\n"
		  "async def f():\n"
		  "    time.sleep(1)\n"
		  "```\n"
		  "\n"
		  "## Targets\n"
		  "\n"
		  "| Target | Kind | When | Fix |\n"
		  "|---|---|---|---|\n"
		  "| `time.sleep` | function | always | `await asyncio.sleep()` |\n"
		  "| `queue.Queue.put` | method | conditional: on a bounded queue \\| when full | "
		  "`await asyncio.to_thread(q.put, x)` |\n"
		  "\n"
		  "## Fix\n"
		  "\n"
		  "None: the change is for the author to decide.\n"
		  "\n"
		  "## Exceptions\n"
		  "\n"
		  "None.\n"
		  "\n"
		  "To suppress a finding, end the line where it is anchored with `# noqa: AA999` or "
		  "`# noqa: fake-rule`, or with an equivalent code (`ASYNC251`, `ASYNC999`). Ruff's own comments "
		  "count too: `# ruff: ignore[blocking-sleep-in-async-function]` at the end of the line or alone "
		  "above the statement, `# ruff: file-ignore[blocking-sleep-in-async-function]`, and "
		  "`# ruff: disable[blocking-sleep-in-async-function]` ... "
		  "`# ruff: enable[blocking-sleep-in-async-function]` around lines. A bare `# noqa` "
		  "suppresses every finding on its line; on a line of its own, `# async-analyzer: noqa: AA999` "
		  "suppresses the rule in the whole file and `# async-analyzer: noqa` every rule. flake8 reads `# noqa: fake-rule` as a blanket `# noqa` (its codes "
		  "are letters followed by digits), hiding its own findings on that line too: prefer "
		  "`# noqa: AA999` where flake8 also runs. Ruff's RUF100 (unused noqa) removes codes it does not "
		  "know, `AA999` included, unless its configuration sets `lint.external = [\"AA\"]`.\n"
		  "\n"
		  "## Equivalents\n"
		  "\n"
		  "`# noqa` honours these codes of other tools as equivalents of AA999: `ASYNC251`, `ASYNC999`.\n"
		  "\n"
		  "## References\n"
		  "\n"
		  "- [asyncio](https://docs.python.org/3/library/asyncio.html)\n"
		  "\n"
		  "## Default\n"
		  "\n"
		  "Opt-in: AA999 runs only when selected by its exact code (`--select AA999`), its name "
		  "(`fake-rule`) or `ALL`; a prefix such as `AA9` does not enable it.\n"
		  "\n"
		  "Severity: warning (conditional or likely: it stalls, leaks or loses work in the circumstances the "
		  "page describes). Text output, JSON `severity`, SARIF `level` and GitHub annotations carry it.\n", md);
	free(md);

	char *text = aa_ruledoc_text(&fake_rule);
	CHECK_STR(t, "text",
		  "AA999 fake-rule: A rule made up for this test.\n"
		  "\n"
		  "What it does:\n"
		  "\n"
		  "Reports `time.sleep()`.\n"
		  "\n"
		  "Example:\n"
		  "\n"
		  "    import time\n"
		  "\n"
		  "    async def f():\n"
		  "        time.sleep(1)\n"
		  "\n"
		  "Targets:\n"
		  "\n"
		  "- time.sleep (function; always; fix: await asyncio.sleep())\n"
		  "- queue.Queue.put (method; conditional: on a bounded queue | when full; "
		  "fix: `await asyncio.to_thread(q.put, x)`)\n"
		  "\n"
		  "Fix:\n"
		  "\n"
		  "None: the change is for the author to decide.\n"
		  "\n"
		  "Exceptions:\n"
		  "\n"
		  "None.\n"
		  "\n"
		  "To suppress a finding, end the line where it is anchored with `# noqa: AA999` or "
		  "`# noqa: fake-rule`, or with an equivalent code (`ASYNC251`, `ASYNC999`). Ruff's own comments "
		  "count too: `# ruff: ignore[blocking-sleep-in-async-function]` at the end of the line or alone "
		  "above the statement, `# ruff: file-ignore[blocking-sleep-in-async-function]`, and "
		  "`# ruff: disable[blocking-sleep-in-async-function]` ... "
		  "`# ruff: enable[blocking-sleep-in-async-function]` around lines. A bare `# noqa` "
		  "suppresses every finding on its line; on a line of its own, `# async-analyzer: noqa: AA999` "
		  "suppresses the rule in the whole file and `# async-analyzer: noqa` every rule. flake8 reads `# noqa: fake-rule` as a blanket `# noqa` (its codes "
		  "are letters followed by digits), hiding its own findings on that line too: prefer "
		  "`# noqa: AA999` where flake8 also runs. Ruff's RUF100 (unused noqa) removes codes it does not "
		  "know, `AA999` included, unless its configuration sets `lint.external = [\"AA\"]`.\n"
		  "\n"
		  "Equivalents:\n"
		  "\n"
		  "`# noqa` honours these codes of other tools as equivalents of AA999: `ASYNC251`, `ASYNC999`.\n"
		  "\n"
		  "References:\n"
		  "\n"
		  "- [asyncio](https://docs.python.org/3/library/asyncio.html)\n"
		  "\n"
		  "Default:\n"
		  "\n"
		  "Opt-in: AA999 runs only when selected by its exact code (`--select AA999`), its name "
		  "(`fake-rule`) or `ALL`; a prefix such as `AA9` does not enable it.\n"
		  "\n"
		  "Severity: warning (conditional or likely: it stalls, leaks or loses work in the circumstances the "
		  "page describes). Text output, JSON `severity`, SARIF `level` and GitHub annotations carry it.\n", text);
	free(text);

	/* Real rules: the fixed section order; a section is there exactly when its field is. */
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_rule *r = aa_rules[i];
		const struct {
			const char *heading;
			int present;
		} order[] = {
			{ "# ", 1 },
			{ "\n## What it does\n", r->doc.what != NULL },
			{ "\n## Why is this bad\n", r->doc.why != NULL },
			{ "\n## Example\n\n```python\n", r->doc.example != NULL },
			{ "\n## Use instead\n\n```python\n", r->doc.use_instead != NULL },
			{ "\n## Anchor\n", r->doc.anchor != NULL },
			{ "\n## Targets\n\n| Target | Kind | When | Fix |\n", r->n_targets > 0 },
			{ "\n## Fix\n\n", 1 },
			{ "\n## Exceptions\n", 1 },
			{ "\n## Equivalents\n", (r->equivalents && r->equivalents[0]) || r->doc.equivalents_note },
			{ "\n## References\n", r->doc.references != NULL },
			{ r->default_on ? "\n## Default\n\nOn: " : "\n## Default\n\nOpt-in: ", 1 },
		};
		md = aa_ruledoc_markdown(r);
		const char *at = md;
		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			const char *hit = strstr(at, order[k].heading);
			if (!order[k].present) {
				CHECK(t, !strstr(md, order[k].heading), "%s: section \"%s\" without its field", r->code,
				      order[k].heading);
				continue;
			}
			CHECK(t, hit != NULL, "%s: section \"%s\" missing or out of order", r->code, order[k].heading);
			if (hit)
				at = hit + strlen(order[k].heading);
		}
		/* One table row per target. */
		size_t rows = 0;
		for (const char *p = strstr(md, "\n| `"); p; p = strstr(p + 1, "\n| `"))
			rows++;
		CHECK(t, rows == r->n_targets, "%s: %zu target rows, %zu targets", r->code, rows, r->n_targets);
		free(md);
	}
}

/* ---- helpers and failures ------------------------------------------------------------ */

static void test_helpers(struct check *t)
{
	struct aa_emit_opts opts = { .cwd = "/r/sub", .srcroot = "/r" };
	static const struct {
		const char *path, *want;
		int inside;
	} cases[] = {
		{ "a.py", "sub/a.py", 1 },
		{ "./x/../b.py", "sub/b.py", 1 },
		{ "x//y/./c.py", "sub/x/y/c.py", 1 },
		{ "../top.py", "top.py", 1 },
		{ "../../../../etc/e.py", "/etc/e.py", 0 },
		{ "/r/abs.py", "abs.py", 1 },
		{ "/rx/not-inside.py", "/rx/not-inside.py", 0 },
		{ "/elsewhere/z.py", "/elsewhere/z.py", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got;
		int inside = aa_emit_srcroot_path(&opts, cases[i].path, &got);
		CHECK(t, inside == cases[i].inside, "%s: inside %d", cases[i].path, inside);
		check_str_at(t, __FILE__, __LINE__, cases[i].path, cases[i].want, got);
		free(got);
	}

	static const struct {
		const char *in, *want;
	} utf8[] = {
		{ "plain", "plain" },
		{ "caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80" },
		{ "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD" },             /* overlong '/' */
		{ "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" }, /* surrogate */
		{ "\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "a\xE2\x82", "a\xEF\xBF\xBD\xEF\xBF\xBD" },               /* truncated */
	};
	for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		char *got = aa_emit_utf8_clean(utf8[i].in);
		CHECK_STR(t, "aa_emit_utf8_clean", utf8[i].want, got);
		free(got);
	}
}

/* Every writer reports a full disk as -1 (the caller's exit status 2). */
static void test_write_failure(struct check *t)
{
	FILE *full = fopen("/dev/full", "w");
	if (!full) {
		fprintf(stderr, "emit_test: /dev/full is not available; write-failure checks skipped\n");
		return;
	}
	struct aa_diag_list list;
	sample(&list, 0);
	struct list_report lr;
	struct aa_report *report = report_of(&lr, &list);
	static const enum aa_format formats[] = { AA_FORMAT_TEXT,   AA_FORMAT_JSON,   AA_FORMAT_SARIF,
						  AA_FORMAT_GITHUB, AA_FORMAT_GITLAB, AA_FORMAT_JUNIT };
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct aa_emit_opts opts = sample_opts(formats[i]);
		clearerr(full);
		CHECK(t, aa_emit(full, report, &opts) == -1, "format %zu: a failed write must return -1", i);
	}
	struct aa_emit_opts text = { .format = AA_FORMAT_TEXT }, json = { .format = AA_FORMAT_JSON };
	clearerr(full);
	CHECK(t, aa_emit_statistics(full, report, &text) == -1, "statistics: a failed write must return -1");
	clearerr(full);
	CHECK(t, aa_emit_statistics(full, report, &json) == -1, "JSON statistics: a failed write must return -1");
	clearerr(full);
	CHECK(t, aa_baseline_write(full, report, &json) == -1, "baseline: a failed write must return -1");
	fclose(full); /* fails too, by design of /dev/full */
	aa_findings_release(&lr.findings);
	aa_diag_list_release(&list);
}

static int write_sarif(const char *path)
{
	struct aa_diag_list list;
	sample(&list, 0);
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_SARIF);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		aa_diag_list_release(&list);
		return 2;
	}
	struct list_report lr;
	int rc = aa_emit(f, report_of(&lr, &list), &opts);
	if (fclose(f) || rc) {
		fprintf(stderr, "emit_test: writing %s failed\n", path);
		rc = 2;
	}
	aa_findings_release(&lr.findings);
	aa_diag_list_release(&list);
	return rc;
}

/* ---- GitHub kinds, GitLab, JUnit, the baseline ------------------------------------- */

/* The first rule of the registry with this severity (the formats map each severity). */
static const struct aa_rule *rule_with(struct check *t, enum aa_severity severity)
{
	for (size_t i = 0; i < aa_rules_count; i++)
		if (aa_rules[i]->severity == severity)
			return aa_rules[i];
	check_fail_at(t, __FILE__, __LINE__, "no rule of severity %d", (int)severity);
	return aa_rules[0];
}

static void severities(struct check *t, struct aa_diag_list *list)
{
	aa_diag_list_init(list);
	add(list, rule_with(t, AA_SEVERITY_ERROR), "a.py", 1, 1, 1, 2, "e", "x()", NULL, 0, 0, 0);
	add(list, rule_with(t, AA_SEVERITY_WARNING), "b.py", 2, 1, 2, 2, "w", "y()", NULL, 0, 0, 0);
	add(list, rule_with(t, AA_SEVERITY_NOTE), "c&<.py", 3, 4, 3, 9, "n <&>\"' \x01\x7f\r\n\tend\xff",
	    "z()", NULL, 0, 0, 0);
	aa_diag_list_sort(list);
}

static void test_adoption_formats(struct check *t)
{
	struct aa_diag_list list;
	severities(t, &list);
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_GITHUB);
	aa_fingerprint_assign(&list, &opts);
	char *got = capture(t, aa_emit, &list, &opts);
	CHECK(t, !strncmp(got, "::error ", 8) && strstr(got, "\n::warning ") && strstr(got, "\n::notice "),
	      "GitHub kinds follow severity:\n%s", got);
	free(got);

	opts.format = AA_FORMAT_GITLAB;
	got = capture(t, aa_emit, &list, &opts);
	cJSON *root = cJSON_Parse(got);
	CHECK(t, cJSON_GetArraySize(root) == 3, "GitLab: three issues:\n%s", got);
	CHECK_PATH_STR(t, root, "0.severity", "critical");
	CHECK_PATH_STR(t, root, "1.severity", "major");
	CHECK_PATH_STR(t, root, "2.severity", "minor");
	CHECK_PATH_STR(t, root, "0.location.path", "src/a.py");
	CHECK_PATH_STR(t, root, "0.check_name", list.items[0].rule->code);
	CHECK_PATH_STR(t, root, "0.description", "e");
	char fp[AA_FINGERPRINT_SIZE];
	aa_fingerprint_format(list.items[2].fingerprint, fp);
	CHECK_PATH_STR(t, root, "2.fingerprint", fp);
	CHECK(t, path_num(root, "2.location.lines.begin") == 3, "GitLab: lines.begin");
	cJSON_Delete(root);
	free(got);

	opts.format = AA_FORMAT_JUNIT;
	got = capture(t, aa_emit, &list, &opts);
	CHECK(t, strstr(got, "<testsuites name=\"async-analyzer\" tests=\"3\" failures=\"3\"") != NULL,
	      "JUnit counts:\n%s", got);
	CHECK(t, strstr(got, "classname=\"src/c&amp;&lt;.py\"") != NULL, "JUnit: an escaped attribute");
	/* Controls XML cannot carry at all become \xHH; line ends in an attribute are
	 * references; text keeps quotes. */
	CHECK(t, strstr(got, "message=\"n &lt;&amp;&gt;&quot;&apos; \\x01\\x7f&#13;&#10;&#9;end\\xff\"") != NULL,
	      "JUnit: the message attribute:\n%s", got);
	CHECK(t, strstr(got, " n &lt;&amp;&gt;\"' \\x01\\x7f&#13;\n\tend\\xff</failure>") != NULL,
	      "JUnit: the failure text:\n%s", got);
	free(got);
	aa_diag_list_release(&list);

	aa_diag_list_init(&list);
	got = capture(t, aa_emit, &list, &opts);
	CHECK(t, strstr(got, "tests=\"1\" failures=\"0\"") && strstr(got, "<testcase name=\"No findings\""),
	      "JUnit: a clean run is one passing test case:\n%s", got);
	free(got);
}

/* Writes list's baseline to a temporary file; returns its name (caller unlinks, frees). */
static char *baseline_file(struct check *t, const struct aa_diag_list *list, const struct aa_emit_opts *opts)
{
	char *name = aa_xstrdup("/tmp/aa-baseline-XXXXXX");
	int fd = mkstemp(name);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		perror("mkstemp");
		exit(2);
	}
	struct list_report lr;
	CHECK(t, aa_baseline_write(f, report_of(&lr, list), opts) == 0, "baseline written");
	aa_findings_release(&lr.findings);
	CHECK(t, fclose(f) == 0, "baseline closed");
	return name;
}

static void test_baseline(struct check *t)
{
	struct aa_emit_opts opts = sample_opts(AA_FORMAT_JSON);
	struct aa_diag_list list, shifted;
	sample(&list, 0);
	aa_fingerprint_assign(&list, &opts);
	char *name = baseline_file(t, &list, &opts);
	struct aa_baseline bl;
	char *error = NULL;
	CHECK(t, aa_baseline_read(&bl, name, &error) == 0, "baseline read back: %s", error ? error : "");
	CHECK(t, bl.len == list.len, "one entry per finding: %zu", bl.len);
	/* Byte-identical whatever the order the findings come in. */
	struct aa_diag_list reversed;
	aa_diag_list_init(&reversed);
	for (size_t i = list.len; i-- > 0;) {
		const struct aa_diag *d = &list.items[i];
		add(&reversed, d->rule, d->path, d->span.line, d->span.col, d->span.end_line, d->span.end_col, d->message,
		    d->source_line, NULL, 0, 0, 0);

	}
	char *a = capture(t, aa_baseline_write, &list, &opts), *b = capture(t, aa_baseline_write, &reversed, &opts);
	CHECK_STR(t, "baseline bytes", a, b);
	CHECK(t, strstr(a, "\"version\": 1") && strstr(a, "\"path\": \"src/pkg/caf\xC3\xA9/\xC3\xBCn\xC3\xAF.py\""),
	      "version and a path relative to the project root:\n%s", a);
	free(a);
	free(b);
	aa_diag_list_release(&reversed);

	/* Five lines inserted above every finding, and one new finding: only it is left. */
	sample(&shifted, 5);
	add(&shifted, aa_rules[0], PKG_PATH, 50, 1, 50, 2, "new", "    foo(1)", NULL, 0, 0, 0);
	aa_diag_list_sort(&shifted);
	aa_fingerprint_assign(&shifted, &opts);
	aa_baseline_apply(&bl, &shifted, &opts);
	CHECK(t, aa_baseline_stale(&bl) == 0, "no stale entry");
	CHECK(t, shifted.len == 1 && !strcmp(shifted.items[0].message, "new"), "only the new finding is left: %zu",
	      shifted.len);
	aa_diag_list_release(&shifted);
	aa_baseline_release(&bl);

	/* A finding fixed: its entry is stale. */
	CHECK(t, aa_baseline_read(&bl, name, &error) == 0, "read again");
	sample(&shifted, 0);
	aa_diag_release(&shifted.items[0]);
	memmove(shifted.items, shifted.items + 1, (shifted.len - 1) * sizeof(*shifted.items));
	shifted.len--;
	aa_fingerprint_assign(&shifted, &opts);
	aa_baseline_apply(&bl, &shifted, &opts);
	CHECK(t, aa_baseline_stale(&bl) == 1 && shifted.len == 0, "one stale entry, nothing left");
	aa_diag_list_release(&shifted);
	aa_baseline_release(&bl);

	/* Malformed files are errors that say where. */
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "{\"version\": 1,\n \"findings\": [}", ":2:15: not valid JSON" },
		{ "{\"version\": 2, \"findings\": []}", "\"version\" must be 1" },
		{ "{\"version\": 1, \"findings\": [{\"path\": \"a\", \"code\": \"AA101\"}]}", "findings[0] lacks 'fingerprint'" },
		{ "{\"version\": 1, \"findings\": [], \"x\": 1}", "unknown member 'x'" },
		{ "[]", "expected an object" },
		{ "", ":1:1: not valid JSON" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(name, "w");
		CHECK(t, f && fputs(bad[i].text, f) >= 0 && fclose(f) == 0, "write bad baseline %zu", i);
		error = NULL;
		CHECK(t, aa_baseline_read(&bl, name, &error) == -1 && bl.len == 0, "bad baseline %zu is refused", i);
		CHECK(t, error && strstr(error, name) && strstr(error, bad[i].want), "bad baseline %zu: %s", i,
		      error ? error : "(no message)");
		free(error);
		aa_baseline_release(&bl);
	}
	unlink(name);
	free(name);
	aa_diag_list_release(&list);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write-sarif"))
		return write_sarif(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: emit_test [--write-sarif FILE]\n");
		return 2;
	}
	struct check t = CHECK_INIT("emit_test");
	test_text(&t);
	test_statistics(&t);
	test_json(&t);
	test_pack(&t);
	test_freeze(&t);
	test_streamed(&t);
	test_github(&t);
	test_sarif(&t);
	test_sarif_selection(&t);
	test_cut_line(&t);
	test_ruledoc(&t);
	test_helpers(&t);
	test_write_failure(&t);
	test_adoption_formats(&t);
	test_baseline(&t);
	return check_done(&t);
}
