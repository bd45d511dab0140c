/* AA003 unused-noqa: a line's `# noqa` that suppressed nothing in this run (Ruff's
 * RUF100). An audit (analyzer/check/audit.h): it judges after every other finding of the
 * run is made, from the use the suppression point recorded. */
#include "rules/rules.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/check/audit.h"

extern const struct aa_rule aa_rule_unused_noqa;

/* Whether code c is the code or name of a rule of ours that ran on this file. A code
 * of another tool (E501), or of a rule the selection left out, is no evidence either
 * way; nor is a peer's equivalent (ASYNC240): it is that tool's code too, and the tool
 * may be what uses it (Ruff's ASYNC240 covers pathlib calls AA111 does not), while
 * Ruff's own RUF100 judges it for Ruff. Its own code is never judged: a `# noqa: AA003`
 * keeps a directive it would report. */
static bool judged(const struct aa_audit *a, const struct aa_noqa *noqa, const struct aa_noqa_code *c)
{
	const struct aa_rule *self = &aa_rule_unused_noqa;
	if (aa_noqa_code_is(noqa, c, self->code) || aa_noqa_code_is(noqa, c, self->name))
		return false;
	for (size_t i = 0; i < aa_rules_count; i++)
		if ((aa_noqa_code_is(noqa, c, aa_rules[i]->code) || aa_noqa_code_is(noqa, c, aa_rules[i]->name)) &&
		    aa_audit_rule_ran(a, aa_rules[i]))
			return true;
	return false;
}

static void audit(struct aa_audit *a)
{
	const struct aa_noqa *noqa = aa_audit_noqa(a);
	struct aa_buf unused = AA_BUF_INIT;
	for (size_t i = 0; i < noqa->n_lines; i++) {
		const struct aa_noqa_line *l = &noqa->lines[i];
		/* A blanket noqa is not judged: this analyzer runs beside other linters, and a
		 * bare `# noqa` is nearly always theirs (on pyenv's tree, 279 of 279 were). */
		if (l->all)
			continue;
		aa_buf_reset(&unused);
		size_t n = 0;
		for (uint32_t k = 0; k < l->n_codes; k++) {
			const struct aa_noqa_code *c = &noqa->codes[l->first_code + k];
			if (c->used || !judged(a, noqa, c))
				continue;
			aa_buf_addf(&unused, "%s'%.*s'", n++ ? ", " : "", (int)c->len, noqa->text + c->start);
		}
		char *message = NULL;
		if (n)
			message = aa_xasprintf("unused noqa code%s %s: no such finding on this line; remove %s",
					       n == 1 ? "" : "s", unused.data, n == 1 ? "it" : "them");
		if (message)
			aa_audit_report(a, &aa_rule_unused_noqa,
					(struct aa_span){ l->line, l->col, l->line, l->end_col }, message,
					noqa->text + l->line_start, l->line_len);
	}
	aa_buf_release(&unused);
}

/* A file is worth parsing for this rule when it may hold a noqa comment. */
static const char *const prefilter[] = { "noqa", "NOQA", "NoQA", "Noqa", NULL };

const struct aa_rule aa_rule_unused_noqa = {
	.code = "AA003",
	.name = "unused-noqa",
	.family = &aa_family_analyzer,
	/* The program is no worse for it: a stale comment, which can only hide a future
	 * finding on its line. Style, as Ruff files RUF100. */
	.severity = AA_SEVERITY_NOTE,
	.default_on = false,
	.summary = "A noqa comment suppresses nothing",
	.prefilter_words = prefilter,
	.audit = audit,
	.doc = {
		.what = "Reports a `# noqa` directive that suppressed no finding of this run on its line: a "
			"code (`# noqa: AA101`, or a rule name) whose rule ran on the file and reported nothing "
			"there. Codes that name no rule of this "
			"analyzer (`E501`, another tool's), codes of rules the selection left out, and peers' "
			"equivalent codes (`ASYNC251`: they are that tool's codes too, which it may be using, "
			"and Ruff's RUF100 judges them) are not judged. The message lists the unused codes of a "
			"directive; the codes it used are fine. Opt-in (`--extend-select AA003`), as Ruff's "
			"RUF100.",
		.why = "A suppression outlives the finding it was written for: once the code is fixed, the "
		       "comment stays and silently hides the next finding on that line, which may be a real "
		       "one. Removing stale ones keeps each `# noqa` a statement that is still true.",
		.example = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)  # noqa: AA101\n",
		.use_instead = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n",
		.anchor = "The directive, from its `#` to the end of its codes.",
		.exceptions = "A code counts as used when it suppressed a finding, and also when it vouched for a "
			      "line that a cross-file analysis follows (a `# noqa: AA101` on a blocking call in a "
			      "sync helper cuts AA109's chain through it, whether or not a chain reached it). A "
			      "blanket `# noqa` is never judged, unlike Ruff's RUF100: this analyzer runs beside "
			      "other linters, and a bare `# noqa` is nearly always there for one of them (all 279 "
			      "unused ones in a Python installation's tree were). Judged in "
			      "files that are parsed: those the rules need, and any file whose text holds the word "
			      "noqa (in one of four common spellings). File-wide directives (`# async-analyzer: "
			      "noqa: AA101` on a line of its own) are not judged. Keep a directive it reports by "
			      "adding `AA003` to its codes (`# noqa: AA101, AA003`).",
		.equivalents_note = "Ruff's RUF100 (unused-noqa) does the same for Ruff's codes (the flake8-async "
				    "`ASYNC` codes this analyzer honours among them); it also reports codes of rules "
				    "that are not enabled, which this rule does not.",
		.references = "- [Ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)\n"
			      "- [Ruff: error suppression](https://docs.astral.sh/ruff/linter/#error-suppression)\n",
	},
};
