/*
 * report.h: the sorted findings a report writes, read one at a time.
 *
 * Every writer (emit.h, the statistics, the baseline file) reads the run's findings
 * through a cursor over a store (analyzer/check/findings.h) instead of a list of them
 * all: the cursor takes the store's findings one path at a time (one file's frozen block
 * thawed, with that path's other findings), then for that group
 *   1. the report's filter drops findings and sets severities (the configuration's
 *      selection and per-file ignores: main's aa_configs_apply);
 *   2. sorts it (aa_diag_list_sort): paths come in order, so the findings come in the
 *      total order a sort of the whole run gives;
 *   3. assigns the fingerprints (fingerprint.h: the occurrence index counts equal
 *      (code, URI, text) keys, and equal keys share a path, so a group counts them all);
 *   4. drops the findings the report's baseline records (baseline.h), in that order.
 * Memory holds one group, not the run's findings (100,000 files named one by one kept
 * 34 MB of thawed findings and their fingerprints at the report's peak).
 *
 * A writer may make more than one pass (SARIF lists the artifacts before the results,
 * JUnit the count before the test cases); each pass gives the same findings. At the end
 * of a complete pass the report's counts are set. One thread; the store and the baseline
 * must not change while a cursor is open. Allocation failure exits (xalloc.h).
 */
#ifndef AA_REPORT_H
#define AA_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/check/diag.h"
#include "analyzer/check/findings.h"
#include "analyzer/report/baseline.h"
#include "analyzer/report/emit.h"

struct aa_report {
	const struct aa_findings *findings; /* borrowed */
	/* NULL, or called on each group (owned by the cursor: the filter may drop and
	 * release findings, and change them) before it is sorted; filter_ud borrowed */
	void (*filter)(void *ud, struct aa_diag_list *group);
	void *filter_ud;
	struct aa_baseline *baseline; /* borrowed; NULL: none (its entries' matched flags are the cursor's) */
	/* Set at the end of each complete pass: findings after the filter (found), those
	 * left after the baseline (shown), the paths these name, and the baseline's entries
	 * that matched none (stale; 0 without a baseline). */
	size_t found, shown, files_shown, stale;
};

/* A report over findings (borrowed: it must outlive the report), with no filter and no
 * baseline. */
void aa_report_init(struct aa_report *r, const struct aa_findings *findings);

struct aa_report_cursor {
	struct aa_report *report;         /* borrowed */
	const struct aa_emit_opts *opts;  /* borrowed; cwd and srcroot place the fingerprints' paths */
	struct aa_findings_reader reader;
	struct aa_diag_list group;        /* owned; the current path's findings, sorted */
	size_t at;                        /* the next finding of group */
	size_t found, shown, files;
	bool done;
};

/* Starts a pass over r (borrowed, with opts, until aa_report_close); every entry of
 * r->baseline is unmatched again. */
void aa_report_open(struct aa_report_cursor *c, struct aa_report *r, const struct aa_emit_opts *opts);
/* The next finding in sorted order, fingerprinted (borrowed: valid until the next call
 * or aa_report_close), or NULL when there is none left; the first NULL sets the
 * report's counts. */
const struct aa_diag *aa_report_next(struct aa_report_cursor *c);
/* Ends the pass (complete or not) and frees what the cursor holds. */
void aa_report_close(struct aa_report_cursor *c);

/* A complete pass that writes nothing: sets r's counts. */
void aa_report_count(struct aa_report *r, const struct aa_emit_opts *opts);

#endif
