/*
 * analyze.h: the per-file stage of the pipeline: read -> decode -> (prefilter) -> parse
 * -> model (pass 1) -> rules (pass 2) -> findings. Trees never leave this stage.
 *
 * struct aa_engine is the immutable, shared configuration of a run (interned grammar,
 * enabled rules, node-kind -> rules dispatch), read by every worker once built;
 * struct aa_worker is one thread's state. Allocation failure exits
 * (analyzer/base/xalloc.h); a file that cannot be read, decoded or parsed is a finding
 * (AA001, AA002), not a failure.
 */
#ifndef AA_ANALYZE_H
#define AA_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analyzer/check/diag.h"
#include "analyzer/check/noqa.h"
#include "analyzer/check/rule.h"
#include "analyzer/check/settings.h"
#include "analyzer/check/target_index.h"
#include "analyzer/facts/summarize.h"
#include "analyzer/facts/summary.h"
#include "analyzer/index/modmap.h"
#include "parsers/python/syms.h"

struct aa_engine {
	struct aa_syms syms;
	bool *enabled;            /* owned; indexed like aa_rules[] */
	/* dispatch[sym_start[k] .. sym_start[k+1]) are the enabled rules with a check for
	 * node symbol k. */
	uint32_t *sym_start;      /* owned; symbol count + 1 entries */
	const struct aa_rule **dispatch; /* owned */
	uint32_t n_symbols;
	const char *const *blocking_calls; /* borrowed; NULL-terminated qualified names (AA110) */
	/* The union of the enabled rules' prefilter_words, each once (owned arrays;
	 * strings borrowed from descriptors): those starting with "async", checked in
	 * the scan for `async def`, and the others. */
	const char **async_words;
	size_t n_async_words, async_words_cap;
	const char **prefilter_words;
	size_t n_prefilter_words, prefilter_cap;
	const struct aa_modmap *modmap; /* borrowed; the analyzed files' module names, or NULL */
	/* borrowed; per file of the run (indexed like aa_run_files' files; one for
	 * aa_run_bytes), what its configuration says; NULL: every file has the defaults */
	const struct aa_file_settings *const *file_settings;
	struct aa_project_names project; /* asks modmap which top-level modules are the project's */
	bool uses_index;          /* some enabled rule needs the project index */
	bool scan_imports;        /* ... and the imports of the files it does not parse */
	/* The cross-file analyses of the enabled rules, each once, in registry order: a
	 * summary's records[k] is crossfiles[k]'s (owned array; borrowed descriptors). */
	const struct aa_crossfile **crossfiles;
	size_t n_crossfiles;
	/* cf_dispatch[cf_start[k] .. cf_start[k+1]) are the analyses whose summarize hook
	 * wants node symbol k (owned). */
	uint32_t *cf_start;
	const struct aa_crossfile **cf_dispatch;
	struct aa_target_index travelling; /* owned; the targets of the rules that travel, by name */
	struct aa_rule_functions functions; /* owned; every rule's module-level targets, by rule and name */
	/* The rules holding the pipeline's roles (registry), or NULL: a parse error and an
	 * unreadable file are reported under them. */
	const struct aa_rule *syntax_error, *unreadable;
	/* The enabled rules with an audit hook, in registry order (owned array; borrowed
	 * descriptors): when there are any, each parsed file's noqa is kept for them. */
	const struct aa_rule **audits;
	size_t n_audits;
};

/* Sets the module map the engine asks which names are the project's (borrowed; NULL
 * for none). Before any worker runs. */
void aa_engine_set_modmap(struct aa_engine *engine, const struct aa_modmap *modmap);

/* Sets what each file's configuration says (borrowed; NULL for the defaults: the
 * engine's blocking_calls, nothing else). Before any worker runs. */
void aa_engine_set_file_settings(struct aa_engine *engine, const struct aa_file_settings *const *settings);

/* Prepares engine (need not be initialised) for the rules enabled[] selects (one entry
 * per aa_rules[]; borrowed for the call, copied); blocking_calls is kept (borrowed, must
 * outlive the engine; NULL-terminated, or NULL). Returns 0, or -1 with *error set (a
 * string of the grammar's name tables or of a descriptor: static) when the pinned
 * grammar lacks a name the analyzer or a rule needs; after -1 the engine holds nothing
 * (releasing it is still safe). Release with aa_engine_release. */
int aa_engine_init(struct aa_engine *engine, const bool *enabled, const char *const *blocking_calls,
		   const char **error);
/* Frees what engine owns and leaves it zeroed. */
void aa_engine_release(struct aa_engine *engine);
/* True when rule (the registry's) is enabled in the run. */
bool aa_engine_enabled(const struct aa_engine *engine, const struct aa_rule *rule);

struct aa_worker {
	const struct aa_engine *engine; /* borrowed */
	TSParser *parser;               /* owned */
	struct aa_diag_list diags;      /* owned; this worker's findings */
	int internal_errors;            /* files that hit an internal error (exit 2) */
	size_t parsed;                  /* files this worker parsed */
};

/* Prepares w (need not be initialised) for engine (borrowed: it must outlive w), with
 * its own parser and an empty finding list. Release with aa_worker_release, which
 * frees the parser and the findings still in w->diags. One thread per worker. */
void aa_worker_init(struct aa_worker *w, const struct aa_engine *engine);
void aa_worker_release(struct aa_worker *w);

/* What the per-file stage is told about a file. */
struct aa_file_job {
	const char *path;     /* to open */
	const char *display;  /* to report */
	const char *unreadable; /* NULL, or why discovery could not read it (reported as AA002) */
	const char *module;   /* dotted module name, or NULL (then derived from display) */
	/* display below the command-line directory that found the file ("scripts/job.py" of
	 * "/ws/scripts/job.py" found under "/ws"), or NULL when a file was named itself: its
	 * directories say whether it is test or example code (test_code.h) */
	const char *below_root;
	bool is_package;
	bool force;           /* parse even without async code (a module the index needs) */
	const struct aa_file_settings *settings; /* its configuration, or NULL for the engine's defaults */
	bool prefiltered;     /* out: not parsed, having nothing the rules look at */
	size_t bytes;         /* out: the decoded source's length (0 when unreadable) */
	/* out: the file's suppression comments when a summary is returned or the engine has
	 * audits (owned by the caller: aa_noqa_release and free), for the findings the
	 * index reports and the audits; else NULL */
	struct aa_noqa *noqa;
};

/* Analyzes one file, appending findings to w->diags (an unreadable or undecodable file
 * is an AA002 finding, a parse error an AA001 one; an internal error counts in
 * w->internal_errors). job's strings are borrowed for the call; its out fields are set.
 * Returns the file's summary for the project index (caller frees with
 * aa_summary_free), or NULL when none is built: no enabled rule needs the index, the
 * file says `# async-analyzer: noqa`, it hit an internal error, or it was not parsed
 * and its imports name no project module. */
struct aa_summary *aa_analyze_path(struct aa_worker *w, struct aa_file_job *job);

/* The same for source bytes already in memory (stdin); takes ownership of data
 * (malloc'd, len bytes), even when the bytes cannot be decoded. */
struct aa_summary *aa_analyze_bytes(struct aa_worker *w, char *data, size_t len, struct aa_file_job *job);

#endif
