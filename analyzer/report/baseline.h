/*
 * baseline.h: adopting the analyzer on a code base with existing findings. A baseline
 * file records findings; a run given it reports only the findings it does not record.
 *
 * The file is JSON (written with cJSON, two-space indentation, one final newline):
 *
 *   {
 *     "version": 1,
 *     "findings": [
 *       { "path": "src/app.py", "code": "AA101", "fingerprint": "0123456789abcdef" }
 *     ]
 *   }
 *
 * Entries are sorted by (path, code, fingerprint), so the same findings always give the
 * same bytes. "path" is '/'-separated and relative to the project root (the emitters'
 * srcroot: the git top level, else the current directory), so the file works from
 * another checkout; a file outside the root is recorded by its absolute path.
 * "fingerprint" is the finding's aa_fingerprint_assign value (fingerprint.h), the one
 * SARIF's partialFingerprints carries: it leaves out line numbers, so lines added or
 * removed above a finding keep it matched. A finding matches an entry with the same
 * path, code and fingerprint; each entry matches at most one finding.
 */
#ifndef AA_BASELINE_H
#define AA_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analyzer/check/diag.h"
#include "analyzer/report/emit.h"

struct aa_report;

/* The version this build reads and writes. */
#define AA_BASELINE_VERSION 1

struct aa_baseline_entry {
	char *path, *code, *fingerprint; /* owned */
	bool matched;                    /* set by aa_baseline_apply */
};

struct aa_baseline {
	struct aa_baseline_entry *items; /* owned; sorted by (path, code, fingerprint) */
	size_t len, cap;
};

/* Reads the baseline file at path into bl (need not be initialised). Returns 0, or -1
 * with *error set (caller frees) saying what is wrong and where: the file cannot be
 * read, it is not JSON (line and column of the first error), its version is not
 * AA_BASELINE_VERSION, or an entry lacks a member or has one of the wrong type or an
 * unknown one; bl is then empty. Release with aa_baseline_release either way.
 * Allocation failure exits (xalloc.h). */
int aa_baseline_read(struct aa_baseline *bl, const char *path, char **error);
void aa_baseline_release(struct aa_baseline *bl);

/* Drops from diags (fingerprints assigned) every finding an unmatched entry of bl
 * records, marking those entries matched; opts->cwd and srcroot place the findings'
 * paths (borrowed for the call). The order of the findings left is kept. The report
 * (report.h) calls it on each path's findings in sorted order, after aa_baseline_reset. */
void aa_baseline_apply(struct aa_baseline *bl, struct aa_diag_list *diags, const struct aa_emit_opts *opts);
/* Marks every entry of bl unmatched. */
void aa_baseline_reset(struct aa_baseline *bl);
/* How many entries matched no finding since the last reset (stale: the finding was
 * fixed, its line edited, or its file not analyzed in this run). */
size_t aa_baseline_stale(const struct aa_baseline *bl);

/* Writes every finding report gives (report.h: filtered, fingerprinted, and without
 * those its baseline records) as a baseline file to out. Returns 0, or -1 when writing
 * failed or cJSON ran out of memory (as emit.h's writers). */
int aa_baseline_write(FILE *out, struct aa_report *report, const struct aa_emit_opts *opts);

#endif
