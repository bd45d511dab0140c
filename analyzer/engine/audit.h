/*
 * audit.h (engine): the audit stage, last before the sort: each enabled rule's audit
 * hook (rule.h) runs on each file whose suppression comments were kept. Implements
 * analyzer/check/audit.h for the hooks.
 */
#ifndef AA_ENGINE_AUDIT_H
#define AA_ENGINE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/check/diag.h"
#include "analyzer/check/noqa.h"
#include "analyzer/engine/analyze.h"

/* What the audit stage is told about one file. */
struct aa_audit_file {
	const char *path;     /* borrowed; the display path findings carry */
	struct aa_noqa *noqa; /* borrowed; its comments, or NULL (the file is skipped) */
	bool on_demand;       /* analyzed only because the project index needed it */
};

/* Runs the engine's audit hooks (engine->audits) over files[0..n), appending their
 * findings to out. Everything is borrowed. Main thread; allocation failure exits. */
void aa_audit_run(const struct aa_engine *engine, const struct aa_audit_file *files, size_t n,
		  struct aa_diag_list *out);

#endif
