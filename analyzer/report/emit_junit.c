#include "analyzer/report/emit.h"
#include "analyzer/report/report.h"
#include "analyzer/check/rule.h"

#include <stdbool.h>
#include <stdlib.h>

/* XML text or an attribute value: the markup characters as entities (quotes only in
 * attributes); controls
 * XML 1.0 cannot carry at all (even as references) made visible as \xHH first, with
 * invalid UTF-8 (aa_emit_add_printable); tab and line ends kept, and in attributes
 * written as references, which attribute normalisation would otherwise turn into
 * spaces. buf is scratch space. */
static void put_xml(FILE *out, struct aa_buf *buf, const char *s, bool attribute)
{
	aa_buf_reset(buf);
	aa_emit_add_printable(buf, s, "\t\n\r");
	for (s = buf->data; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs(attribute ? "&quot;" : "\"", out); break;
		case '\'': fputs(attribute ? "&apos;" : "'", out); break;
		case '\t': fputs(attribute ? "&#9;" : "\t", out); break;
		case '\n': fputs(attribute ? "&#10;" : "\n", out); break;
		case '\r': fputs("&#13;", out); break; /* a parser turns a raw CR into LF */
		default: fputc(*s, out); break;
		}
	}
}

int aa_emit_junit(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	struct aa_buf buf = AA_BUF_INIT;
	/* The counts come first: a pass that only counts, then the one that writes. */
	aa_report_count(report, opts);
	size_t n = report->shown;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"async-analyzer\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n ? n : 1, n);
	fprintf(out, "  <testsuite name=\"async-analyzer\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
		n ? n : 1, n);
	/* A clean run is one passing test case (as Ruff writes it): CI shows it passed,
	 * not that nothing ran. */
	if (!n)
		fputs("    <testcase name=\"No findings\" classname=\"async-analyzer\"/>\n", out);
	struct aa_report_cursor c;
	aa_report_open(&c, report, opts);
	for (const struct aa_diag *d; (d = aa_report_next(&c));) {
		/* One test case per finding, named by rule and position within its file (the
		 * class, as CI servers group test cases by it). */
		char *rel;
		aa_emit_srcroot_path(opts, d->path, &rel);
		fputs("    <testcase name=\"", out);
		put_xml(out, &buf, d->rule->code, true);
		fputc(' ', out);
		put_xml(out, &buf, d->rule->name, true);
		fprintf(out, " at %u:%u\" classname=\"", (unsigned)d->span.line, (unsigned)d->span.col);
		put_xml(out, &buf, rel, true);
		fputs("\" file=\"", out);
		put_xml(out, &buf, rel, true);
		fprintf(out, "\" line=\"%u\">\n      <failure message=\"", (unsigned)d->span.line);
		put_xml(out, &buf, d->message, true);
		fprintf(out, "\" type=\"%s\">", aa_severity_name(d->rule->severity));
		put_xml(out, &buf, rel, false);
		fprintf(out, ":%u:%u: %s ", (unsigned)d->span.line, (unsigned)d->span.col, d->rule->code);
		put_xml(out, &buf, d->message, false);
		fputs("</failure>\n    </testcase>\n", out);
		free(rel);
	}
	aa_report_close(&c);
	fputs("  </testsuite>\n</testsuites>\n", out);
	aa_buf_release(&buf);
	return fflush(out) || ferror(out) ? -1 : 0;
}
