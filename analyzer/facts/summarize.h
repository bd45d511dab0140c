/*
 * summarize.h: one file's facts while its tree is alive: the callee of a call (memoised),
 * how the project index will name a callee (struct aa_ref), and the generic part of the
 * file's summary (summary.h): functions, classes and their bases, module-level names,
 * typed class attributes. Cross-file analyses add their own records through the rule
 * API (analyzer/check/context.h), which asks here.
 *
 * One summarizer per file and worker thread, driven by the per-file stage during the
 * rules' pass: aa_summarizer_at() before each node, aa_summarizer_enter() after the
 * checks of that node, aa_summarizer_finish() after the walk. Without a summary (no
 * enabled rule needs the index) the summary functions do nothing and the naming
 * functions answer false; callee resolution works either way.
 */
#ifndef AA_SUMMARIZE_H
#define AA_SUMMARIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/base/buf.h"
#include "analyzer/base/map.h"
#include "analyzer/facts/callee.h"
#include "analyzer/facts/model.h"
#include "analyzer/facts/summary.h"
#include "analyzer/input/source.h"
#include "parsers/python/syms.h"
#include "parsers/python/walk.h"

/* Which top-level modules are the project's (the index's module map knows; the facts
 * layer only asks). is_project_top(ud, name, len): name[0..len) is the top-level
 * component of a dotted name. */
struct aa_project_names {
	bool (*is_project_top)(const void *ud, const char *name, size_t len);
	const void *ud;
};

struct aa_bound_name {
	const char *name; /* into the source */
	uint32_t len;
};

struct aa_summarizer {
	const struct aa_syms *syms;      /* borrowed */
	const struct aa_source *src;     /* borrowed */
	struct aa_model *model;          /* borrowed */
	const struct aa_project_names *project; /* borrowed; NULL: only the file's own package */
	struct aa_summary *summary;      /* borrowed (the caller owns it); NULL: no summary */
	struct aa_summary_caps caps;     /* of summary's arrays */
	uint32_t scope;                  /* the scope of the current node */
	const struct aa_walk_state *walk; /* the walker's position, or NULL */
	/* aa_summarizer_callee's memo */
	TSNode callee_call;
	struct aa_callee callee;
	/* aa_summarizer_ref's memo: a rule and the summary ask for the same call in turn */
	TSNode ref_call;
	bool ref_found;
	struct aa_ref ref;               /* strings owned by the summary */
	uint32_t *scope_func;            /* owned; scope id -> index into summary->funcs */
	size_t scope_func_cap;
	/* aa_summarizer_self_method_unbound's memo, for the class scope self_scope: the names
	 * its hierarchy's classes in this file bind (sorted), or self_any when they may bind
	 * any name or the hierarchy reaches other code */
	bool self_valid, self_any;
	uint32_t self_scope;
	struct aa_bound_name *self_names; /* owned array */
	size_t n_self_names, self_names_cap;
	struct aa_buf scratch;           /* owned; aa_summarizer_callee_text */
	/* loop_uses.c's: hashes of the names used so far (unsorted; owned), whether the
	 * file schedules work on a loop from sync code, whether any of its coroutine
	 * functions may run alone */
	uint32_t *uses;
	size_t n_uses, uses_cap;
	bool schedules, alone_possible;
	uint32_t recent_uses[64]; /* hashes added lately, by their low bits: repeats are skipped */
	TSNode fresh_arg;         /* the argument of the last fresh run visited */
	TSNode hook_names;        /* the names the last hook registration visited registers */
	TSNode hook_call;         /* the last registering call visited (lifecycle.h) */
	struct aa_map loop_runs;  /* ("", a scope body's start) -> its run_until_complete calls */
	/* The file is test code (not example code: analyzer/input/test_code.h), whose
	 * runs, awaits and uses say how a test drives the project's coroutines, not how the
	 * program runs them. */
	bool tests;
};

/* Prepares z (need not be initialised) for one file. Everything is borrowed and must
 * outlive z; project and summary may be NULL (see the struct); summary is not frozen and
 * its arrays are empty (z keeps their capacities); tests: the file is test code (the
 * struct's tests). Allocates nothing. */
void aa_summarizer_init(struct aa_summarizer *z, const struct aa_syms *syms, const struct aa_source *src,
			struct aa_model *model, const struct aa_project_names *project, struct aa_summary *summary,
			bool tests);
/* Frees what z owns (not the summary) and leaves it zeroed. */
void aa_summarizer_release(struct aa_summarizer *z);

/* The walker is at a node evaluated in scope (walk.h); walk, its position, is kept
 * until the next call (NULL: parents are found with ts_node_parent). */
void aa_summarizer_at(struct aa_summarizer *z, uint32_t scope, const struct aa_walk_state *walk);

/* After the checks of node: a def or class opening scope inner is added to the
 * summary (nothing without one, or when inner is AA_NO_SCOPE). */
void aa_summarizer_enter(struct aa_summarizer *z, TSNode node, uint32_t inner);

/* After the walk: module-level names (imports, aliases) become exports, typed class
 * attributes attrs. */
void aa_summarizer_finish(struct aa_summarizer *z);

/* --- questions, from the current scope --------------------------------------------- */

/* What the call (a `call` node) calls (callee.h); memoised for the last call asked.
 * Never NULL; owned by z, valid until the next call of this function. */
const struct aa_callee *aa_summarizer_callee(struct aa_summarizer *z, TSNode call);

/* node's (not null) parent, from the walker's stack when node is the current node or one
 * of its ancestors (aa_walk_parent; ts_node_parent descends from the root every time). */
TSNode aa_summarizer_parent(const struct aa_summarizer *z, TSNode node);

/* The call's callee text for messages (callee.h's aa_callee_text). Owned by z, valid
 * until the next call. */
const char *aa_summarizer_callee_text(struct aa_summarizer *z, TSNode call);

/* The name of the function the current node is in ("fetch"), "<lambda>", or "<module>";
 * owned by the model. */
const char *aa_summarizer_function_name(struct aa_summarizer *z);

/* The span of node, and the excerpt of its first line a finding anchored at node keeps
 * (analyzer/input/excerpt.h; caller releases it with aa_excerpt_release). */
struct aa_span aa_summarizer_span(const struct aa_summarizer *z, TSNode node);
struct aa_excerpt aa_summarizer_line(const struct aa_summarizer *z, TSNode node);

/* --- naming callees for the index (only while a summary is built) ------------------- */

/* Can the qualified name q (NUL-terminated) be project code (under an analyzed
 * top-level module that is not the standard library)? False without a summary. */
bool aa_summarizer_project_name(const struct aa_summarizer *z, const char *q);

/* How the index will name call's callee, when it may be project code (a name under an
 * analyzed top-level module, a method of such a class, super().m(), an attribute chain
 * from a typed object): true and *out filled (strings in the summary's arena), else
 * false and *out untouched. Memoised for the last call. */
bool aa_summarizer_ref(struct aa_summarizer *z, TSNode call, struct aa_ref *out);

/* As aa_summarizer_ref, for the function expression fn a call would call (`fetch` in
 * `map(fetch, urls)`). Not memoised. */
bool aa_summarizer_ref_fn(struct aa_summarizer *z, TSNode fn, struct aa_ref *out);

/* True when the identifier ident is the first parameter (`self`, `cls`) of the method
 * the current node is in (lambdas and nested defs in a method still see it). */
bool aa_summarizer_is_self(const struct aa_summarizer *z, TSNode ident);

/* For `self.name()` in the method the current node is in: true when neither its class
 * nor any base class of it that this file defines binds name, while its other bases are
 * library classes (`unittest.TestCase`): the project index could not resolve the call to
 * project code. False outside a method, when a class body holds a statement that may
 * bind any name (a compound statement, an unpacking target), or past 16 classes. The
 * hierarchy's names are collected once per class (memo in z). */
bool aa_summarizer_self_method_unbound(struct aa_summarizer *z, const char *name, uint32_t len);

/* The index in summary->funcs of the function whose body the current node is in, or
 * UINT32_MAX (module level, a class body, or no summary); *in_lambda is set when the
 * node is in a lambda, whose calls are not the function's. */
uint32_t aa_summarizer_function(const struct aa_summarizer *z, bool *in_lambda);
/* The index in summary->funcs of the def that opens scope (a FUNCTION scope of the
 * model), or UINT32_MAX (not summarised, no summary). */
uint32_t aa_summarizer_scope_function(const struct aa_summarizer *z, uint32_t scope);

/* Records a deferred finding of rule at call (summary.h's aa_sum_defer) for ref (from
 * aa_summarizer_ref, copied), or, with ref NULL, for the coroutine function alone_func
 * (an index into the summary's funcs[]: reported unless it runs alone). Takes message
 * (malloc'd; the summary frees it) and fix (NULL for none; its spans filled in). Only
 * while a summary is built (z->summary not NULL). */
void aa_summarizer_defer(struct aa_summarizer *z, const struct aa_rule *rule, TSNode call, const struct aa_ref *ref,
			 uint32_t alone_func, char *message, struct aa_fix *fix);

#endif
