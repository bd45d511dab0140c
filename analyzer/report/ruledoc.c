#include "analyzer/report/ruledoc.h"
#include "analyzer/check/peer_names.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <stdbool.h>
#include <string.h>

/* The Exceptions paragraph of every rule that spares test code (rule.h's spares_tests). */
#define TEST_CODE_EXCEPTION \
	"Test and example code is not checked unless the configuration says `report-in-tests = true` " \
	"(or `--report-in-tests`): what this rule finds matters in a running service, and a test's " \
	"event loop runs only the test, an example's or a script's one task. Test code is a file pytest " \
	"collects by default (`test_*.py`, `*_test.py`), a `conftest.py`, a file under a directory called " \
	"`tests`, `test` or `testing` (on its path relative to the working directory or to the directory " \
	"named on the command line, or in its module name), and the body of a function decorated " \
	"`@pytest.fixture` or `@pytest_asyncio.fixture` anywhere. Example code is a file under a directory " \
	"called `examples`, `example`, `samples`, `sample`, `demos`, `demo`, `docs`, `doc` or `scripts`, a " \
	"database migration one under `migrations` or `alembic`, a benchmark or evaluation harness one under " \
	"`benchmarks`, `benchmark` or `evals`: one-shot programs; a file under `vendor`, `_vendor`, `vendored` or " \
	"`third_party`: third-party code copied in, whose fixes belong upstream; and a file under a directory whose name has " \
	"`deprecated`, `obsolete` or `archived` in it (code kept but no longer run), below the directory named " \
	"on the command line (`check examples/` reports there: that is what was asked). A test that runs the service " \
	"under test on its own loop (an aiohttp or httpx test client) can still deadlock on a blocking " \
	"call: turn the setting on to see those."

/* One renderer for both variants, so Markdown and plain text can never disagree on
 * the section order or on what a section says. */
struct doc {
	struct aa_buf out;
	bool md;
};

static void heading(struct doc *d, const char *title)
{
	if (d->md)
		aa_buf_addf(&d->out, "\n## %s\n\n", title);
	else
		aa_buf_addf(&d->out, "\n%s:\n\n", title);
}

/* Prose is stored as Markdown; plain text keeps it as is (backticks read fine there). */
static void paragraph(struct doc *d, const char *text)
{
	size_t len = strlen(text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	aa_buf_add(&d->out, text, len);
	aa_buf_addc(&d->out, '\n');
}

static void code_block(struct doc *d, const char *src)
{
	if (d->md) {
		aa_buf_adds(&d->out, "```python\n");
		aa_buf_adds(&d->out, src);
		if (!*src || src[strlen(src) - 1] != '\n')
			aa_buf_addc(&d->out, '\n');
		aa_buf_adds(&d->out, "```\n");
		return;
	}
	/* Plain text: indent each line by four spaces; empty lines stay empty. */
	const char *p = src;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			aa_buf_adds(&d->out, "    ");
		aa_buf_add(&d->out, p, n);
		aa_buf_addc(&d->out, '\n');
		p += n + (nl != NULL);
	}
}

/* A table cell: a '|' would end the cell and a line end would end the row. */
static void cell(struct doc *d, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			aa_buf_adds(&d->out, "\\|");
		else if (*s == '\n' || *s == '\r')
			aa_buf_addc(&d->out, ' ');
		else
			aa_buf_addc(&d->out, *s);
	}
}

/* Fixes are usually bare code ("await asyncio.sleep()"); one that already carries
 * backticks is Markdown prose and is kept as written. */
static void fix_text(struct doc *d, const char *fix)
{
	bool code = d->md && !strchr(fix, '`');
	if (code)
		aa_buf_addc(&d->out, '`');
	if (d->md)
		cell(d, fix);
	else
		aa_buf_adds(&d->out, fix);
	if (code)
		aa_buf_addc(&d->out, '`');
}

static void targets(struct doc *d, const struct aa_rule *rule)
{
	if (d->md)
		aa_buf_adds(&d->out, "| Target | Kind | When | Fix |\n|---|---|---|---|\n");
	for (size_t i = 0; i < rule->n_targets; i++) {
		const struct aa_target *t = &rule->targets[i];
		const char *kind = (t->flags & AA_TARGET_ANY_METHOD) ? "any public method"
				   : (t->flags & AA_TARGET_METHOD)   ? "method"
								     : "function";
		bool cond = t->flags & AA_TARGET_CONDITIONAL;
		/* An exempt entry is listed to say it is not a target (rule.h). */
		bool exempt = t->flags & AA_TARGET_EXEMPT;
		if (d->md) {
			aa_buf_adds(&d->out, "| `");
			cell(d, t->name);
			aa_buf_addf(&d->out, "` | %s | ", kind);
			if (exempt) {
				aa_buf_adds(&d->out, "never: ");
				cell(d, t->condition);
			} else if (cond) {
				aa_buf_adds(&d->out, "conditional");
				if (t->condition) {
					aa_buf_adds(&d->out, ": ");
					cell(d, t->condition);
				}
			} else {
				aa_buf_adds(&d->out, "always");
			}
			aa_buf_adds(&d->out, " | ");
			if (t->fix)
				fix_text(d, t->fix);
			aa_buf_adds(&d->out, " |\n");
		} else {
			aa_buf_addf(&d->out, "- %s (%s; ", t->name, kind);
			if (exempt)
				aa_buf_addf(&d->out, "never: %s", t->condition);
			else if (cond && t->condition)
				aa_buf_addf(&d->out, "conditional: %s", t->condition);
			else
				aa_buf_adds(&d->out, cond ? "conditional" : "always");
			if (t->fix) {
				aa_buf_adds(&d->out, "; fix: ");
				fix_text(d, t->fix);
			}
			aa_buf_adds(&d->out, ")\n");
		}
	}
}

static void code_list(struct aa_buf *out, const char *const *codes)
{
	for (size_t i = 0; codes[i]; i++)
		aa_buf_addf(out, "%s`%s`", i ? ", " : "", codes[i]);
}

static void suppression(struct doc *d, const struct aa_rule *rule)
{
	struct aa_buf *o = &d->out;
	aa_buf_addf(o, "\nTo suppress a finding, end the line where it is anchored with `# noqa: %s` "
		    "or `# noqa: %s`", rule->code, rule->name);
	if (rule->equivalents && rule->equivalents[0]) {
		aa_buf_adds(o, ", or with an equivalent code (");
		code_list(o, rule->equivalents);
		aa_buf_addc(o, ')');
	}
	const char *ruff_name = NULL;
	for (const char *const *e = rule->equivalents; e && *e && !ruff_name; e++)
		ruff_name = aa_peer_ruff_name(*e);
	if (ruff_name)
		aa_buf_addf(o, ". Ruff's own comments count too: `# ruff: ignore[%s]` at the end of the line "
			    "or alone above the statement, `# ruff: file-ignore[%s]`, and `# ruff: disable[%s]` "
			    "... `# ruff: enable[%s]` around lines",
			    ruff_name, ruff_name, ruff_name, ruff_name);
	aa_buf_addf(o, ". A bare `# noqa` suppresses every finding on its line; on a line of its own, "
		    "`# async-analyzer: noqa: %s` suppresses the rule in the whole file and "
		    "`# async-analyzer: noqa` every rule. ", rule->code);
	aa_buf_addf(o, "flake8 reads `# noqa: %s` as a blanket `# noqa` (its codes are letters "
		    "followed by digits), hiding its own findings on that line too: prefer `# noqa: %s` "
		    "where flake8 also runs. Ruff's RUF100 (unused noqa) removes codes it does not know, "
		    "`%s` included, unless its configuration sets `lint.external = [\"AA\"]`.\n",
		    rule->name, rule->code, rule->code);
}

static char *render(const struct aa_rule *rule, bool md)
{
	struct doc d = { AA_BUF_INIT, md };
	const struct aa_rule_doc *doc = &rule->doc;

	if (md)
		aa_buf_addf(&d.out, "# %s %s\n\n%s.\n", rule->code, rule->name, rule->summary);
	else
		aa_buf_addf(&d.out, "%s %s: %s.\n", rule->code, rule->name, rule->summary);

	if (doc->what) {
		heading(&d, "What it does");
		paragraph(&d, doc->what);
	}
	if (doc->why) {
		heading(&d, "Why is this bad");
		paragraph(&d, doc->why);
	}
	if (doc->example) {
		heading(&d, "Example");
		code_block(&d, doc->example);
	}
	if (doc->use_instead) {
		heading(&d, "Use instead");
		code_block(&d, doc->use_instead);
	}
	if (doc->anchor) {
		heading(&d, "Anchor");
		paragraph(&d, doc->anchor);
	}
	if (rule->targets && rule->n_targets) {
		heading(&d, "Targets");
		targets(&d, rule);
	}
	/* Always present: whether --fix can repair a finding is the first thing users ask. */
	heading(&d, "Fix");
	if (rule->fix.kind == AA_FIX_NONE)
		paragraph(&d, "None: the change is for the author to decide.");
	else {
		aa_buf_addf(&d.out, "%s (%s): %s.", rule->fix.kind == AA_FIX_SAFE ? "Safe" : "Unsafe",
			    rule->fix.kind == AA_FIX_SAFE ? "applied by `--fix`" : "applied by `--fix --unsafe-fixes` only",
			    rule->fix.title);
		if (rule->fix.doc) {
			aa_buf_addc(&d.out, ' ');
			paragraph(&d, rule->fix.doc);
		} else
			aa_buf_addc(&d.out, '\n');
	}
	/* Always present: every page must say how to suppress the rule. */
	heading(&d, "Exceptions");
	if (aa_rule_spares_tests(rule)) {
		paragraph(&d, TEST_CODE_EXCEPTION);
		aa_buf_addc(&d.out, '\n');
	}
	if (doc->exceptions)
		paragraph(&d, doc->exceptions);
	suppression(&d, rule);
	bool former = rule->former_equivalents && rule->former_equivalents[0];
	if ((rule->equivalents && rule->equivalents[0]) || former || doc->equivalents_note) {
		heading(&d, "Equivalents");
		if (rule->equivalents && rule->equivalents[0]) {
			aa_buf_adds(&d.out, "`# noqa` honours these codes of other tools as equivalents of ");
			aa_buf_addf(&d.out, "%s: ", rule->code);
			code_list(&d.out, rule->equivalents);
			aa_buf_adds(&d.out, ".\n");
		}
		if (former) {
			aa_buf_adds(&d.out, "\nIt also honours the codes flake8-async (before its 2024 merge with flake8-trio) "
					     "and Ruff (before 0.5) gave this check before they renumbered it: ");
			code_list(&d.out, rule->former_equivalents);
			aa_buf_adds(&d.out, ", in a `# noqa` on the line only (today they name other rules).\n");
		}
		if (doc->equivalents_note) {
			if ((rule->equivalents && rule->equivalents[0]) || former)
				aa_buf_addc(&d.out, '\n');
			paragraph(&d, doc->equivalents_note);
		}
	}
	if (doc->references) {
		heading(&d, "References");
		paragraph(&d, doc->references);
	}
	heading(&d, "Default");
	if (rule->default_on)
		aa_buf_addf(&d.out, "On: %s runs unless it is ignored.\n", rule->code);
	else
		aa_buf_addf(&d.out, "Opt-in: %s runs only when selected by its exact code (`--select %s`), "
			    "its name (`%s`) or `ALL`; a prefix such as `%.3s` does not enable it.\n",
			    rule->code, rule->code, rule->name, rule->code);
	aa_buf_addf(&d.out, "\nSeverity: %s (%s). Text output, JSON `severity`, SARIF `level` and GitHub "
		    "annotations carry it.\n", aa_severity_name(rule->severity), aa_severity_meaning(rule->severity));
	return aa_buf_detach(&d.out);
}

char *aa_ruledoc_markdown(const struct aa_rule *rule)
{
	return render(rule, true);
}

char *aa_ruledoc_text(const struct aa_rule *rule)
{
	return render(rule, false);
}

char *aa_ruledoc_url(const struct aa_rule *rule)
{
	return aa_xasprintf(AA_RULEDOC_HOME "/blob/main/docs/rules/%s.md", rule->code);
}
