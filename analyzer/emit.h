/*
 * emit.h: the report writers, one file per format (emit_text.c, emit_json.c,
 * emit_sarif.c, emit_github.c). They run once, on the main thread, after the findings
 * are sorted; they never read source files (findings carry their source line).
 *
 * Every writer returns 0 on success and -1 when writing to `out` failed (checked with
 * ferror); the caller turns -1 into exit status 2.
 */
#ifndef AA_EMIT_H
#define AA_EMIT_H

#include <stdbool.h>
#include <stdio.h>

#include "analyzer/diag.h"

enum aa_format { AA_FORMAT_TEXT, AA_FORMAT_JSON, AA_FORMAT_SARIF, AA_FORMAT_GITHUB };

struct aa_emit_opts {
	enum aa_format format;
	bool color;              /* text only: ANSI colour (already resolved from --color/TTY/NO_COLOR) */
	const char *cwd;         /* absolute current directory; finding paths are relative to it unless absolute */
	const char *srcroot;     /* absolute directory for SARIF %SRCROOT% (git top level, else cwd) */
	bool execution_successful; /* SARIF invocation: false exactly when the exit status is 2 */
	const char *const *notifications; /* SARIF: NULL-terminated tool error messages, or NULL */
};

/* Writes every finding of diags in the requested format. diags must be sorted. */
int aa_emit(FILE *out, const struct aa_diag_list *diags, const struct aa_emit_opts *opts);

int aa_emit_text(FILE *out, const struct aa_diag_list *diags, const struct aa_emit_opts *opts);
int aa_emit_json(FILE *out, const struct aa_diag_list *diags, const struct aa_emit_opts *opts);
int aa_emit_sarif(FILE *out, const struct aa_diag_list *diags, const struct aa_emit_opts *opts);
int aa_emit_github(FILE *out, const struct aa_diag_list *diags, const struct aa_emit_opts *opts);

/* --statistics: one line per code with its count, most frequent first, ties by code. */
int aa_emit_statistics(FILE *out, const struct aa_diag_list *diags);

#endif
