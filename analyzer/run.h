/*
 * run.h: the parallel per-file stage. Workers take files from a shared atomic index;
 * each has its own parser and finding list; after the join the lists are concatenated
 * and sorted, so output does not depend on the number of threads or their timing.
 */
#ifndef AA_RUN_H
#define AA_RUN_H

#include <stddef.h>

#include "analyzer/analyze.h"
#include "analyzer/discover.h"

struct aa_run_result {
	struct aa_diag_list diags; /* owned by the caller: release with aa_diag_list_release */
	int internal_errors;       /* files the analyzer failed on (exit 2) */
};

/* Analyzes files[0..n) with `jobs` threads (the calling thread is one of them, so the
 * run completes even when no extra thread can be started). Fills result. */
void aa_run_files(const struct aa_engine *engine, const struct aa_discovered_file *files, size_t n, unsigned jobs,
		 struct aa_run_result *result);

#endif
