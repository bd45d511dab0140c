/* Unit tests of analyzer/check/noqa.c: line directives, the whole-file directive and the
 * file-wide codes of `# async-analyzer: noqa: CODES`. Exit 0 = pass (tests/check.h). */
#include "analyzer/check/noqa.h"
#include "analyzer/check/rule.h"
#include "tests/check.h"

#include <string.h>

/* Reads each line of text that holds a '#' as a comment from there, as the per-file stage
 * does (own_line when only blanks precede it). */
static void read_comments(struct aa_noqa *noqa, const char *text)
{
	uint32_t line = 1;
	for (const char *p = text; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *hash = memchr(p, '#', len);
		if (hash) {
			bool own_line = true;
			for (const char *q = p; q < hash; q++)
				own_line &= *q == ' ' || *q == '\t';
			aa_noqa_add_comment(noqa, hash, (uint32_t)(p + len - hash), line, own_line);
		}
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
	return check_done(&t);
}
