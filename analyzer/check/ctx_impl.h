/*
 * ctx_impl.h: the context's fields, shared by context.c (which answers rules) and the
 * per-file stage (analyzer/engine/analyze.c, which fills them and drives the walk).
 * Rules never include this header.
 */
#ifndef AA_CTX_IMPL_H
#define AA_CTX_IMPL_H

#include "analyzer/check/context.h"
#include "analyzer/check/diag.h"
#include "analyzer/check/noqa.h"
#include "analyzer/check/settings.h"
#include "analyzer/check/target_index.h"
#include "analyzer/facts/summarize.h"

struct aa_ctx {
	/* The run's configuration, borrowed from the engine: */
	const struct aa_syms *syms;
	const bool *enabled;                 /* indexed like aa_rules[] */
	const char *const *blocking_calls;   /* NULL-terminated (AA110's list), or NULL */
	const struct aa_file_settings *settings; /* the file's configuration, or NULL */
	const struct aa_target_index *travelling; /* the targets of the rules that travel */
	const struct aa_rule_functions *functions; /* every rule's module-level targets */
	const struct aa_crossfile *const *crossfiles; /* the run's analyses: summary record slots */
	size_t n_crossfiles;
	/* The file: */
	const struct aa_source *src;         /* borrowed */
	struct aa_model *model;              /* borrowed */
	const char *display;                 /* borrowed; the file's display path */
	struct aa_noqa *noqa;                /* borrowed; the file's suppression comments (records use) */
	struct aa_diag_list *out;            /* borrowed; where findings go (the worker's list) */
	bool on_demand;                      /* read only because the project index needs it */
	bool test_file;                      /* test code by its name (analyzer/input/test_code.h) */
	/* Its facts: the current scope and walker position, the callee and reference memos,
	 * and the summary being built (NULL when none). Owned. */
	struct aa_summarizer facts;
	/* The rules' file memos (aa_ctx_file_memo), indexed like aa_rules[]; NULL until a
	 * rule asks. Owned; freed by aa_ctx_release_memos. */
	struct aa_ctx_memo {
		void *data;
		void (*free_fn)(void *);
	} *memos;
};

/* Frees the rules' file memos; the context may be used for another file afterwards. */
void aa_ctx_release_memos(struct aa_ctx *ctx);

/* Hands each record of the file's summary (when it has one) to its analysis's
 * finish_record hook (rule.h): call once, after the walk, when the summary is complete. */
void aa_ctx_finish_records(struct aa_ctx *ctx);

/* Appends a finding of rule at [start_byte, end_byte) of the file with message
 * (malloc'd, taken over: freed when the finding is dropped) and fix (NULL, or taken over
 * likewise), unless rule is disabled or suppression drops it (aa_noqa_push). Allocation
 * failure exits. */
void aa_ctx_emit(struct aa_ctx *ctx, const struct aa_rule *rule, uint32_t start_byte, uint32_t end_byte,
		 char *message, struct aa_fix *fix);

#endif
