/*
 * emit.h: the report writers, one file per format (emit_text.c, emit_json.c,
 * emit_sarif.c, emit_github.c, emit_gitlab.c, emit_junit.c). They run once, on the main thread, after the findings
 * are sorted; they never read source files (findings carry their source line).
 *
 * Every writer returns 0 on success and -1 when writing to `out` failed (checked with
 * ferror) or, for JSON and SARIF, when cJSON ran out of memory (then the writer has
 * printed "async-analyzer: error: out of memory" on stderr); the caller turns -1 into
 * exit status 2. Output may be partial after -1.
 */
#ifndef AA_EMIT_H
#define AA_EMIT_H

#include <stdbool.h>
#include <stdio.h>

#include "analyzer/base/buf.h"
#include "analyzer/check/diag.h"

struct aa_report;

enum aa_format { AA_FORMAT_TEXT, AA_FORMAT_JSON, AA_FORMAT_SARIF, AA_FORMAT_GITHUB, AA_FORMAT_GITLAB, AA_FORMAT_JUNIT };

struct aa_emit_opts {
	enum aa_format format;
	bool color;              /* text only: ANSI colour (already resolved from --color/TTY/NO_COLOR) */
	const char *cwd;         /* absolute current directory; finding paths are relative to it unless absolute */
	const char *srcroot;     /* absolute directory for SARIF %SRCROOT% (git top level, else cwd) */
	bool execution_successful; /* SARIF invocation: false exactly when the exit status is 2 */
	const char *const *notifications; /* SARIF: NULL-terminated tool error messages, or NULL */
	/* SARIF: which rules ran, indexed like aa_rules (borrowed), or NULL for every rule:
	 * driver.rules lists these and any other rule a finding names, in registry order */
	const bool *rules_selected;
	/* JSON: the C files of extensions the run read (AA112), and of those the ones not
	 * read fully; when c_files_read is not 0, the array ends with an object saying both */
	size_t c_files_read, c_files_partial;
};

/* Writes every finding report gives (report.h: sorted, filtered, fingerprinted, the
 * baselined ones left out) in the requested format, reading them in one pass or two
 * (report.h: each complete pass sets the report's counts). report and opts are borrowed
 * for the call (opts->cwd, srcroot and notifications may be NULL). Returns 0 or -1 as
 * above. The writers below are the same for one format. */
int aa_emit(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);

int aa_emit_text(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);
int aa_emit_json(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);
int aa_emit_sarif(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);
int aa_emit_github(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);
/* GitLab Code Quality: a JSON array of issues (description, check_name, fingerprint,
 * severity, location.path relative to srcroot, location.lines.begin). */
int aa_emit_gitlab(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);
/* JUnit XML: one testsuite, one testcase per finding (a failure), as Ruff writes it. */
int aa_emit_junit(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);

/* --statistics: one line per code with its count, most frequent first, ties by code,
 * then the total, then (with report->baseline) the stale baseline entries; with
 * format AA_FORMAT_JSON, the same counts in the same order as a JSON array of {"code",
 * "name", "count"} objects (no total: it is their sum), and the stale entries as a
 * last object {"baseline_stale": N}. Other formats get the text. Returns 0 or -1 as
 * above. */
int aa_emit_statistics(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);

/* Helpers shared by the writers (emit.c; the cJSON ones are json_out.h); not meant for
 * other callers. */

/* A copy of s that is valid UTF-8: every byte that is not part of a well-formed
 * sequence becomes U+FFFD. JSON and SARIF must carry valid UTF-8, and paths from the
 * command line are arbitrary bytes. s is NUL-terminated (so is the copy). Caller frees
 * with free(); allocation failure exits (xalloc.h). */
char *aa_emit_utf8_clean(const char *s);
/* True when s (NUL-terminated) is valid UTF-8 already: aa_emit_utf8_clean would copy it
 * as it is. */
bool aa_emit_utf8_valid(const char *s);

/* Appends s (a file name or a message) to out with every control character made visible
 * as \xHH, byte by byte, so that it can neither drive a terminal nor start a line of its
 * own: the C0 controls (U+0000-U+001F) but those in keep (borrowed; "" for none), DEL,
 * the C1 controls (U+0080-U+009F, two bytes in UTF-8) and every byte that is not part of
 * a well-formed UTF-8 sequence (a C1 control to a terminal that reads bytes). The text
 * and GitHub writers use it; JSON and SARIF escape control characters as JSON does. */
void aa_emit_add_printable(struct aa_buf *out, const char *s, const char *keep);

/* Where a finding's path lies relative to opts->srcroot. path is resolved against
 * opts->cwd unless absolute, then normalised lexically ("." and ".." segments and
 * repeated '/' removed; symbolic links are not followed). Returns true with the
 * '/'-separated path relative to srcroot in *out when it lies inside srcroot, else
 * false with the normalised absolute path in *out (or, when cwd or srcroot is NULL,
 * false with a copy of path). Caller frees *out with free(); allocation failure exits. */
bool aa_emit_srcroot_path(const struct aa_emit_opts *opts, const char *path, char **out);

/* Appends path to b as a URI path (RFC 3986): every byte but the unreserved characters
 * and '/' is percent-encoded, so non-ASCII names come out as UTF-8 %XX, and ':' too, so
 * that a relative reference never reads as a scheme. */
void aa_emit_add_uri_path(struct aa_buf *b, const char *path);

/* The URI SARIF names a finding's file by: relative to opts->srcroot when the file lies
 * inside it (*relative set), else an absolute file:// URI (*relative cleared). Caller
 * frees; allocation failure exits. */
char *aa_emit_artifact_uri(const struct aa_emit_opts *opts, const char *path, bool *relative);

#endif
