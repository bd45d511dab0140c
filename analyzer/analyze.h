/*
 * analyze.h: the per-file stage of the pipeline: read -> decode -> (prefilter) -> parse
 * -> model (pass 1) -> rules (pass 2) -> findings. Trees never leave this stage.
 *
 * struct aa_engine is the immutable, shared configuration of a run (interned grammar,
 * enabled rules, node-kind -> rules dispatch); struct aa_worker is one thread's state.
 */
#ifndef AA_ANALYZE_H
#define AA_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analyzer/diag.h"
#include "analyzer/rule.h"
#include "analyzer/syms.h"

struct aa_engine {
	struct aa_syms syms;
	bool *enabled;            /* owned; indexed like aa_rules[] */
	/* dispatch[sym_start[k] .. sym_start[k+1]) are the enabled rules with a check for
	 * node symbol k. */
	uint32_t *sym_start;      /* owned; symbol count + 1 entries */
	const struct aa_rule **dispatch; /* owned */
	uint32_t n_symbols;
	const char *const *blocking_calls; /* borrowed; NULL-terminated qualified names (AA110) */
	const char **prefilter_words; /* owned array (strings borrowed from descriptors); the
					 union of the enabled rules' prefilter_words */
	size_t n_prefilter_words, prefilter_cap;
};

/* Prepares an engine for the rules enabled[] selects (borrowed for the call; copied).
 * Returns 0, or -1 with *error set (static string) when the pinned grammar lacks a name
 * the analyzer or a rule needs. Release with aa_engine_release. */
int aa_engine_init(struct aa_engine *engine, const bool *enabled, const char *const *blocking_calls,
		   const char **error);
void aa_engine_release(struct aa_engine *engine);
bool aa_engine_enabled(const struct aa_engine *engine, const struct aa_rule *rule);

struct aa_worker {
	const struct aa_engine *engine; /* borrowed */
	TSParser *parser;               /* owned */
	struct aa_diag_list diags;      /* owned; this worker's findings */
	int internal_errors;            /* files that hit an internal error (exit 2) */
};

void aa_worker_init(struct aa_worker *w, const struct aa_engine *engine);
void aa_worker_release(struct aa_worker *w);

/* Analyzes the file at path (display path `display`), appending findings to w->diags.
 * dangling: a symlink whose target is missing (reported as AA002). */
void aa_analyze_path(struct aa_worker *w, const char *path, const char *display, bool dangling);

/* The same for source bytes already in memory (stdin); takes ownership of data. */
void aa_analyze_bytes(struct aa_worker *w, char *data, size_t len, const char *display);

#endif
