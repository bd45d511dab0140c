/*
 * ctx_impl.h: the context's fields, shared by analyze.c (which drives pass 2) and
 * context.c (which answers rules). Rules never include this header.
 */
#ifndef AA_CTX_IMPL_H
#define AA_CTX_IMPL_H

#include "analyzer/engine/analyze.h"
#include "analyzer/base/buf.h"
#include "analyzer/check/context.h"
#include "analyzer/report/noqa.h"
#include "analyzer/facts/summary.h"
#include "parsers/python/walk.h"

struct aa_ctx {
	const struct aa_engine *engine;
	const struct aa_source *src;
	struct aa_model *model;
	const char *display;          /* the file's display path */
	struct aa_noqa noqa;
	struct aa_diag_list *out;     /* where findings go (the worker's list) */
	uint32_t scope;               /* scope of the node being checked */
	const struct aa_walk_state *walk; /* the walker's position (ancestors), during a check */
	/* aa_ctx_callee memo */
	TSNode memo_call;
	struct aa_callee memo;
	/* aa_summarize_ref memo: AA201/AA202 and the summary ask for the same call in turn */
	TSNode ref_memo_call;
	bool ref_memo_found;
	struct aa_ref ref_memo;       /* strings owned by summary */
	struct aa_buf scratch;        /* aa_ctx_callee_text */
	struct aa_summary *summary;   /* the file's summary being built, or NULL */
	bool on_demand;               /* read only because the project index needs it */
	uint32_t *scope_func;         /* owned; scope id -> index of its function in summary->funcs */
	size_t scope_func_cap;
	/* aa_summarize_self_method_unbound memo, for the class scope self_scope: the names
	 * the classes of its hierarchy in this file bind (sorted; into the source), or
	 * self_any when they may bind any name or the hierarchy reaches other code */
	bool self_valid, self_any;
	uint32_t self_scope;
	struct aa_bound_name { const char *name; uint32_t len; } *self_names; /* owned array */
	size_t n_self_names, self_names_cap;
};

/* Appends a finding at [start_byte, end_byte) unless noqa suppresses it. message is
 * taken over (freed on suppression). */
void aa_ctx_emit(struct aa_ctx *ctx, const struct aa_rule *rule, uint32_t start_byte, uint32_t end_byte,
		 char *message);

#endif
