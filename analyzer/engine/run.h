/*
 * run.h: the parallel per-file stage and the project index after it.
 *
 * Workers take files from a shared atomic index; each has its own parser and finding
 * list, and each file's summary lands in that file's slot, so nothing depends on which
 * thread finished first. Then modules that the analyzed code calls into but that were
 * not parsed (no async code) are analyzed on demand, in rounds, until no new one is
 * needed; then the index links every summary and adds the cross-file findings; then the
 * rules that audit the suppression comments judge each file (engine/audit.h); then
 * all findings are sorted. Output does not depend on the number of threads.
 */
#ifndef AA_RUN_H
#define AA_RUN_H

#include <stddef.h>

#include "analyzer/check/findings.h"
#include "analyzer/engine/analyze.h"
#include "analyzer/engine/crossfile.h"
#include "analyzer/input/discover.h"
#include "analyzer/index/modmap.h"

struct aa_run_result {
	/* owned by the caller: aa_run_bytes' findings, sorted (release with
	 * aa_diag_list_release); aa_run_files leaves it empty */
	struct aa_diag_list diags;
	/* owned by the caller: aa_run_files' findings, each file's kept frozen until the
	 * report reads them (release with aa_findings_release); aa_run_bytes leaves it empty */
	struct aa_findings findings;
	int internal_errors;       /* files the analyzer failed on (exit 2) */
	size_t on_demand;          /* files parsed only because the index needed them */
	size_t parsed;             /* files parsed, on_demand included */
	unsigned rounds;           /* on-demand rounds that read files */
	/* Wall-clock seconds per phase (--timings): reading, parsing, local rules and
	 * summaries of every file; the on-demand rounds (deciding what to read, reading
	 * it); linking the summaries and the cross-file rules, freeing them, sorting. */
	double per_file_secs, on_demand_secs, link_secs;
	struct aa_foreign_count foreign; /* C files the cross-file rules read (AA112) */
};

/* How far a run is, for a progress line that another thread reads while it goes on
 * (with __atomic_load_n): files of the first round analyzed so far, of total. */
struct aa_run_progress {
	size_t done, total;
};

/* Seconds on a monotonic clock, for phase timings. */
double aa_run_now(void);

/* Analyzes files[0..n) (module names from modmap, which must be the engine's modmap)
 * with `jobs` threads (at least 1, at most n; the calling thread is one of them, so the
 * run completes even when no extra thread can be started). Fills result, which need
 * not be initialised; findings located in context files (input/context.h) are left out.
 * progress (may be NULL) is updated atomically as files are done. files (sorted by path,
 * as discovery makes it) and progress are borrowed for the call. Allocation failure
 * exits. */
void aa_run_files(const struct aa_engine *engine, const struct aa_discovered_file *files, size_t n, unsigned jobs,
		  struct aa_run_progress *progress, struct aa_run_result *result);

/* Analyzes one file's bytes (stdin) under the display path name (borrowed for the
 * call): data (malloc'd, taken over) may be NULL for no file. The file is its own
 * project: same-file cross-references still resolve. Fills result as aa_run_files does
 * (its phase timings stay 0). */
void aa_run_bytes(const struct aa_engine *engine, const char *name, char *data, size_t len,
		  struct aa_run_result *result);

#endif
