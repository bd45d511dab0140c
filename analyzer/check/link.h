/*
 * link.h: what a cross-file analysis's link hook (rule.h's struct aa_crossfile) may ask
 * and do once every file is summarised: the project index (analyzer/index/index.h
 * answers questions about it), the summaries, its own records, and reporting. The
 * engine makes one link context per analysis and calls the hook once, on the main
 * thread. Everything returned is valid until the hook returns.
 */
#ifndef AA_LINK_H
#define AA_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/check/diag.h"
#include "analyzer/check/rule.h"
#include "analyzer/facts/summary.h"

struct aa_index;
struct aa_link;

/* The project index of the run (borrowed). */
struct aa_index *aa_link_index(const struct aa_link *link);

/* The summaries, by file (file below aa_link_count; aa_link_summary may be NULL: a
 * file not parsed). Owned by the engine. */
size_t aa_link_count(const struct aa_link *link);
const struct aa_summary *aa_link_summary(const struct aa_link *link, size_t file);

/* The analysis's own record of file's summary (what its summarize hook recorded), or
 * NULL when it recorded nothing there. Owned by the summary: read it, do not free it. */
void *aa_link_record(const struct aa_link *link, size_t file);

/* True when rule is enabled in this run (an analysis may serve several rules). */
bool aa_link_rule_enabled(const struct aa_link *link, const struct aa_rule *rule);

/* The number of threads the run analyzes files with (at least 1): a link hook that reads
 * more files (C extensions) may use as many. */
unsigned aa_link_jobs(const struct aa_link *link);

/* Counts files in another language that the hook read (read) and, of those, the ones it
 * could not read fully (partial): --timings reports them. */
void aa_link_foreign_files(struct aa_link *link, size_t read, size_t partial);

/* A finding of rule anchored at span in file, with message (malloc'd, taken over) and
 * a copy of line (borrowed; its text may be NULL); add related locations (diag.h), then
 * aa_link_report it, which takes what it owns. Allocation failure exits. */
struct aa_diag aa_link_finding(const struct aa_link *link, size_t file, const struct aa_rule *rule,
			       struct aa_span span, char *message, const struct aa_excerpt *line);

/* Reports *d, anchored in file (the list takes over d's members). Suppression comments
 * of that file apply here (aa_noqa_push), as they do to local findings; a rule that
 * spares test code (rule.h) reports nothing in a test file (the summary's spare_tests). */
void aa_link_report(struct aa_link *link, size_t file, struct aa_diag *d);

#endif
