#include "analyzer/report/emit.h"
#include "analyzer/report/report.h"
#include "analyzer/base/buf.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define TAB_STOP 4
#define CUT "..."

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define RESET "\033[0m"
#define YELLOW "\033[1;33m"
#define CYAN "\033[1;36m"

static int is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Renders the source line for display and finds where the span starts and ends on
 * screen. Columns count code points (as aa_source_col does: the bytes of one UTF-8
 * sequence count once), each one display column wide, except a tab, which moves to
 * the next multiple of TAB_STOP. Control characters (C0, DEL and C1) are shown as
 * spaces so that a source line can never drive the terminal. The window a finding keeps
 * of a long line (analyzer/input/excerpt.h) is shown between "..." where it was cut. */
static void render_line(struct aa_buf *shown, const struct aa_diag *d, size_t *caret_start, size_t *caret_len)
{
	const char *line = d->source_line;
	const struct aa_span *span = &d->span;
	size_t col = span->col ? span->col - 1 : 0; /* 0-based code point index */
	size_t end;
	if (span->end_line > span->line)
		end = SIZE_MAX; /* multi-line: underline to the end of the line */
	else if (span->end_line == span->line && span->end_col)
		end = span->end_col - 1;
	else
		end = 0;

	size_t cp = d->source_from, disp = 0;
	size_t dstart = SIZE_MAX, dend = SIZE_MAX;
	if (d->source_from) {
		aa_buf_adds(shown, CUT);
		disp = sizeof(CUT) - 1;
	}
	const unsigned char *p = (const unsigned char *)line;
	while (*p) {
		if (cp == col)
			dstart = disp;
		if (cp == end)
			dend = disp;
		if (*p == '\t') {
			size_t w = TAB_STOP - disp % TAB_STOP;
			for (size_t k = 0; k < w; k++)
				aa_buf_addc(shown, ' ');
			disp += w;
			p++;
		} else {
			const unsigned char *q = p + 1;
			while (*q && is_continuation(*q))
				q++;
			if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0))
				aa_buf_addc(shown, ' ');
			else
				aa_buf_add(shown, (const char *)p, (size_t)(q - p));
			disp++;
			p = q;
		}
		cp++;
	}
	/* A span past the end of the line is clipped to it. */
	if (dstart == SIZE_MAX)
		dstart = disp;
	if (dend == SIZE_MAX || dend > disp)
		dend = disp;
	if (d->source_cut)
		aa_buf_adds(shown, CUT);
	*caret_start = dstart;
	*caret_len = dend > dstart ? dend - dstart : 1;
}

static const char *severity_color(enum aa_severity severity)
{
	switch (severity) {
	case AA_SEVERITY_WARNING: return YELLOW;
	case AA_SEVERITY_NOTE: return CYAN;
	case AA_SEVERITY_ERROR: break;
	}
	return RED;
}

int aa_emit_text(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts)
{
	struct aa_buf shown = AA_BUF_INIT, path = AA_BUF_INIT, message = AA_BUF_INIT;
	struct aa_report_cursor c;
	aa_report_open(&c, report, opts);
	bool first = true;
	for (const struct aa_diag *d; (d = aa_report_next(&c)); first = false) {
		if (!first)
			fputc('\n', out);
		/* File names are arbitrary bytes: an escape sequence must not reach the
		 * terminal, nor a newline forge a finding line. */
		aa_buf_reset(&path);
		aa_emit_add_printable(&path, d->path, "");
		aa_buf_reset(&message);
		aa_emit_add_printable(&message, d->message, "");
		/* "file:line:col: severity: ..." as compilers print it, so that editors' and
		 * CI's gcc-style problem matchers read the severity too. */
		enum aa_severity severity = (enum aa_severity)aa_diag_severity(d);
		const char *sev = aa_severity_name(severity);
		if (opts->color)
			fprintf(out, BOLD "%s:%u:%u:" RESET " %s%s:" RESET " " BOLD "%s" RESET " [%s] %s\n", path.data,
				(unsigned)d->span.line, (unsigned)d->span.col, severity_color(severity), sev,
				d->rule->code, d->rule->name, message.data);
		else
			fprintf(out, "%s:%u:%u: %s: %s [%s] %s\n", path.data, (unsigned)d->span.line,
				(unsigned)d->span.col, sev, d->rule->code, d->rule->name, message.data);
		if (!d->source_line)
			continue;

		size_t start, len;
		aa_buf_reset(&shown);
		render_line(&shown, d, &start, &len);
		fprintf(out, "%s\n", shown.data);
		aa_buf_reset(&shown);
		for (size_t k = 0; k < start; k++)
			aa_buf_addc(&shown, ' ');
		if (opts->color)
			aa_buf_adds(&shown, RED);
		for (size_t k = 0; k < len; k++)
			aa_buf_addc(&shown, '^');
		if (opts->color)
			aa_buf_adds(&shown, RESET);
		fprintf(out, "%s\n", shown.data);
	}
	aa_report_close(&c);
	aa_buf_release(&shown);
	aa_buf_release(&path);
	aa_buf_release(&message);
	return fflush(out) || ferror(out) ? -1 : 0;
}
