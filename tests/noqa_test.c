/* Unit tests of analyzer/check/noqa.c: line directives, the whole-file directive, the
 * file-wide codes of `# async-analyzer: noqa: CODES`, and the peers' directives. Exit 0 = pass (tests/check.h). */
#include "analyzer/check/noqa.h"
#include "analyzer/check/rule.h"
#include "tests/check.h"

#include <string.h>

/* Reads each line of text that holds a '#' as a comment from there, as the per-file stage
 * does. */
static void read_comments(struct aa_noqa *noqa, const char *text)
{
	uint32_t line = 1;
	for (const char *p = text; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *hash = memchr(p, '#', len);
		if (hash)
			aa_noqa_add_comment(noqa, p, (uint32_t)len, (uint32_t)(hash - p), (uint32_t)(p + len - hash), line);
		p += len + (nl != NULL);
	}
}

#define EXPECT(t, text, line, code, want) expect_at((t), __LINE__, (text), (line), (code), (want))
static void expect_at(struct check *t, int at, const char *text, uint32_t line, const char *code, bool want)
{
	const struct aa_rule *rule = aa_rule_find(code);
	if (!rule) {
		check_fail_at(t, __FILE__, at, "no rule %s", code);
		return;
	}
	struct aa_noqa noqa;
	aa_noqa_init(&noqa);
	read_comments(&noqa, text);
	char what[160];
	snprintf(what, sizeof what, "%s on line %u suppressed", code, (unsigned)line);
	check_bool_at(t, __FILE__, at, what, want, aa_noqa_suppresses(&noqa, line, rule));
	aa_noqa_release(&noqa);
}

/* Use is recorded on the directive that suppresses: the line's first, its first code
 * naming the rule; the position of a directive is counted in code points; a verdict
 * (aa_noqa_push_verdict) is not hidden by a blanket noqa. */
static void test_use(struct check *t)
{
	const struct aa_rule *sleep = aa_rule_find("AA101"), *file_io = aa_rule_find("AA104");
	struct aa_noqa noqa;
	aa_noqa_init(&noqa);
	read_comments(&noqa, "# async-analyzer: noqa: AA104\n"
			     "x()  # noqa: AA101, blocking-sleep, AA104\n"
			     "y('\xc3\xa9')  # noqa\n");
	CHECK(t, noqa.n_lines == 2, "two line directives, got %zu", noqa.n_lines);
	CHECK(t, aa_noqa_suppresses(&noqa, 2, sleep), "AA101 on line 2");
	CHECK(t, aa_noqa_suppresses(&noqa, 2, file_io), "AA104 on line 2");
	const struct aa_noqa_line *l = &noqa.lines[0];
	CHECK(t, noqa.codes[l->first_code].used && !noqa.codes[l->first_code + 1].used &&
			 noqa.codes[l->first_code + 2].used,
	      "used: the first code naming each rule, the line before the file");
	CHECK(t, !noqa.codes[noqa.file_codes[0].first_code].used, "the file-wide AA104 got no credit");
	CHECK(t, l->col == 6 && l->end_col == 42, "directive columns %u-%u", (unsigned)l->col, (unsigned)l->end_col);
	CHECK(t, noqa.lines[1].col == 9 && noqa.lines[1].end_col == 15, "blanket columns %u-%u",
	      (unsigned)noqa.lines[1].col, (unsigned)noqa.lines[1].end_col);
	CHECK(t, noqa.lines[1].line_len == 15 && !memcmp(noqa.text + noqa.lines[1].line_start, "y('", 3),
	      "the directive's source line is kept");
	CHECK(t, !noqa.lines[1].used, "blanket unused yet");

	struct aa_diag_list list;
	aa_diag_list_init(&list);
	struct aa_diag d = { .rule = sleep, .span = { 3, 1, 3, 2 } };
	aa_noqa_push_verdict(&noqa, &list, &d);
	CHECK(t, list.len == 1 && !noqa.lines[1].used, "a verdict passes a blanket noqa");
	d = (struct aa_diag){ .rule = sleep, .span = { 3, 1, 3, 2 } };
	aa_noqa_push(&noqa, &list, &d);
	CHECK(t, list.len == 1 && noqa.lines[1].used, "a finding does not, and uses it");
	aa_diag_list_release(&list);
	aa_noqa_release(&noqa);
}

int main(void)
{
	struct check t = CHECK_INIT("noqa_test");
	/* Line directives. */
	EXPECT(&t, "x()  # noqa\n", 1, "AA101", true);
	EXPECT(&t, "x()  # noqa\n", 2, "AA101", false);
	EXPECT(&t, "x()  # noqa: AA101, AA104\n", 1, "AA104", true);
	EXPECT(&t, "x()  # noqa: AA101\n", 1, "AA103", false);
	EXPECT(&t, "x()  # noqa: blocking-sleep\n", 1, "AA101", true);
	/* The whole file. */
	EXPECT(&t, "# async-analyzer: noqa\nx()\n", 2, "AA103", true);
	EXPECT(&t, "x()  # async-analyzer: noqa\n", 1, "AA103", false);
	/* File-wide codes (as `# ruff: noqa: F401`): on its own line, anywhere. */
	static const char codes[] = "import time\n# async-analyzer: noqa: AA101,AA104\nx()\ny()  # noqa: AA103\n";
	EXPECT(&t, codes, 1, "AA101", true);
	EXPECT(&t, codes, 3, "AA101", true);
	EXPECT(&t, codes, 3, "AA104", true);
	EXPECT(&t, codes, 3, "AA103", false);
	EXPECT(&t, codes, 4, "AA103", true);
	EXPECT(&t, codes, 3, "AA102", false);
	EXPECT(&t, "x()\n\t#  Async-Analyzer: NOQA:blocking-sleep  AA104 -- legacy\n", 1, "AA101", true);
	EXPECT(&t, "x()\n# async-analyzer: noqa: AA101 reason\n", 1, "AA104", false);
	/* Not on its own line, or no code: no file-wide effect. */
	EXPECT(&t, "x()\ny()  # async-analyzer: noqa: AA101\n", 1, "AA101", false);
	EXPECT(&t, "x()\n# async-analyzer: noqa:\n", 1, "AA101", false);
	EXPECT(&t, "x()\n# async-analyzer: noqaz: AA101\n", 1, "AA101", false);
	/* The peers' directives that need no tree (the others: fixtures/aa0/peer_*.py). */
	EXPECT(&t, "x()  # ruff: ignore[ASYNC251]\n", 1, "AA101", true);
	EXPECT(&t, "x()  # ruff: ignore[blocking-sleep-in-async-function]\n", 1, "AA101", true);
	EXPECT(&t, "x()  # ruff: ignore[asyncio-dangling-task]\n", 1, "AA203", true);
	EXPECT(&t, "x()  # ruff: ignore[asyncio-dangling-task]\n", 1, "AA101", false);
	EXPECT(&t, "x()  # ruff: ignore[]\n", 1, "AA101", false);
	EXPECT(&t, "x()  # RUFF: ignore[ASYNC251]\n", 1, "AA101", false);
	EXPECT(&t, "# ruff: file-ignore[ASYNC251]\nx()\n", 2, "AA101", true);
	EXPECT(&t, "x()  # ruff: file-ignore[ASYNC251]\n", 1, "AA101", false);
	EXPECT(&t, "# flake8: noqa: ASYNC251\nx()\n", 2, "AA101", true);
	EXPECT(&t, "# ruff: noqa: RUF006\nx()\n", 2, "AA101", false);
	EXPECT(&t, "# ruff: noqa\nx()\n", 2, "AA103", true);
	EXPECT(&t, "# flake8: noqa\nx()\n", 2, "AA103", true);
	EXPECT(&t, "x()  # flake8: noqa\n", 1, "AA103", false);
	EXPECT(&t, "# ruff: noqaz\nx()\n", 2, "AA103", false);
	test_use(&t);
	return check_done(&t);
}
