#include "analyzer/report/emit.h"
#include "analyzer/report/report.h"
#include "analyzer/check/rule.h"

#include <stdbool.h>
#include <stdlib.h>

/* The escaping of @actions/core (escapeData / escapeProperty): a workflow command ends
 * at a line end, its properties are split at ',' and each at its first ':'. Other
 * control characters, which the runner would pass to the log, are shown as \xHH first
 * (buf is scratch space). */
static void put_escaped(FILE *out, struct aa_buf *buf, const char *s, bool property)
{
	aa_buf_reset(buf);
	aa_emit_add_printable(buf, s, "\r\n");
	for (s = buf->data; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':': fputs(property ? "%3A" : ":", out); break;
		case ',': fputs(property ? "%2C" : ",", out); break;
		default: fputc(*s, out); break;
		}
	}
}

int aa_emit_github(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	struct aa_buf buf = AA_BUF_INIT;
	struct aa_report_cursor c;
	aa_report_open(&c, report, opts);
	for (const struct aa_diag *d; (d = aa_report_next(&c));) {
		const struct aa_span *s = &d->span;
		/* GitHub resolves annotation paths against the repository root. */
		char *rel;
		bool inside = aa_emit_srcroot_path(opts, d->path, &rel);
		/* GitHub's annotation kinds are error, warning and notice. */
		enum aa_severity sev = (enum aa_severity)aa_diag_severity(d);
		fprintf(out, "::%s file=", sev == AA_SEVERITY_NOTE ? "notice" : aa_severity_name(sev));
		put_escaped(out, &buf, inside ? rel : d->path, true);
		free(rel);
		fprintf(out, ",line=%u", (unsigned)s->line);
		/* Columns are allowed only on single-line annotations. */
		if (s->end_line > s->line)
			fprintf(out, ",endLine=%u", (unsigned)s->end_line);
		else
			fprintf(out, ",col=%u,endLine=%u,endColumn=%u", (unsigned)s->col,
				(unsigned)s->line, (unsigned)s->end_col);
		fputs(",title=", out);
		put_escaped(out, &buf, d->rule->code, true);
		fputc(' ', out);
		put_escaped(out, &buf, d->rule->name, true);
		fputs("::", out);
		put_escaped(out, &buf, d->message, false);
		fputc('\n', out);
	}
	aa_report_close(&c);
	aa_buf_release(&buf);
	return fflush(out) || ferror(out) ? -1 : 0;
}
