/*
 * crossfile.h: the cross-file stage, after every file is summarised and the on-demand
 * rounds are done: the deferred findings (aa_ctx_defer) are decided, then each
 * cross-file analysis of the run links (rule.h's struct aa_crossfile), reporting through
 * the one suppression point. Implements analyzer/check/link.h for the link hooks.
 */
#ifndef AA_CROSSFILE_H
#define AA_CROSSFILE_H

#include <stddef.h>

#include "analyzer/check/diag.h"
#include "analyzer/check/noqa.h"
#include "analyzer/engine/analyze.h"
#include "analyzer/facts/summary.h"
#include "analyzer/index/index.h"

/* Files in other languages the link hooks read (aa_link_foreign_files). */
struct aa_foreign_count {
	size_t read;    /* C files of extensions read */
	size_t partial; /* of those, the ones not read fully */
};

/* Appends the cross-file findings of sums[0..n) (NULL entries are skipped) to out, and
 * adds what the hooks read besides to *foreign. noqas[i] holds file i's suppression
 * comments, or NULL. x is the index of exactly those summaries (aa_index_new). jobs: the
 * threads a hook may use. Everything is borrowed. Main thread; allocation failure
 * exits. */
void aa_crossfile_run(const struct aa_engine *engine, struct aa_index *x, struct aa_summary *const *sums,
		      struct aa_noqa *const *noqas, size_t n, unsigned jobs, struct aa_diag_list *out,
		      struct aa_foreign_count *foreign);

#endif
