/*
 * audit.h: what a rule's audit hook (rule.h's aa_rule.audit) may ask and do. An audit
 * judges the outcome of the run on one file rather than its syntax: it runs once per
 * parsed file (but those `# async-analyzer: noqa` skips), after every other finding of
 * the run is made (the cross-file stage included), so that the comments' use is final.
 * The engine makes one audit context per file and calls each enabled audit hook on it,
 * on the main thread, in file order. Everything returned is valid until the hook
 * returns.
 */
#ifndef AA_AUDIT_H
#define AA_AUDIT_H

#include <stdbool.h>

#include "analyzer/base/span.h"
#include "analyzer/check/noqa.h"
#include "analyzer/check/rule.h"

struct aa_audit;

/* The file's suppression comments, with which of them were used in this run (noqa.h).
 * Owned by the engine: read it, do not change it. */
const struct aa_noqa *aa_audit_noqa(const struct aa_audit *audit);

/* True when rule ran on this file: it is enabled, and the file was analyzed for it (a
 * file read only because the project index needed it runs only the rules that fire on
 * sync callers of project coroutines). */
bool aa_audit_rule_ran(const struct aa_audit *audit, const struct aa_rule *rule);

/* Reports a finding of rule in this file at span, with message (malloc'd, taken over)
 * and source_line[0..line_len) as its source line (source_line may be NULL; a long one
 * is cut around span's start, as analyzer/input/excerpt.h says).
 * It passes the one suppression point as aa_noqa_push_verdict: a blanket `# noqa` on
 * its line does not hide it. Allocation failure exits. */
void aa_audit_report(struct aa_audit *audit, const struct aa_rule *rule, struct aa_span span, char *message,
		     const char *source_line, size_t line_len);

#endif
