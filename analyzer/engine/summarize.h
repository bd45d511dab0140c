/*
 * summarize.h: filling a file's summary (summary.h) during pass 2, from the semantic
 * model, while the tree is alive. Driven by analyze.c; the context's summary may be
 * NULL (then every function here does nothing).
 */
#ifndef AA_SUMMARIZE_H
#define AA_SUMMARIZE_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "analyzer/check/context.h"
#include "analyzer/facts/summary.h"

/* Visits one node of pass 2 (after the rules): defs, classes, calls. */
void aa_summarize_enter(struct aa_ctx *ctx, TSNode node, uint32_t scope, uint32_t inner);

/* After the walk: module-level names (imports, aliases) become exports. */
void aa_summarize_finish(struct aa_ctx *ctx);

/* How the index will name call's callee, when it may be project code (a name under an
 * analyzed top-level module, a method of such a class, super().m()). Strings go to the
 * summary's arena. */
bool aa_summarize_ref(struct aa_ctx *ctx, TSNode call, struct aa_ref *out);

/* As aa_summarize_ref, for the function expression fn a call would call (`fetch` in
 * `map(fetch, urls)`). */
bool aa_summarize_ref_fn(struct aa_ctx *ctx, TSNode fn, struct aa_ref *out);

/* For `self.name()` in a method of the class whose scope is class_scope: true when
 * neither that class nor any base class of it that this file defines binds name, while
 * its other bases are library classes (`unittest.TestCase`): the project index could not
 * resolve the call to project code. False when a class body holds a statement that may
 * bind any name (a compound statement, an unpacking target), or past 16 classes. The
 * hierarchy's names are collected once per class (memo in ctx). */
bool aa_summarize_self_method_unbound(struct aa_ctx *ctx, uint32_t class_scope, const char *name, uint32_t len);

/* Can the qualified name q be project code (under an analyzed top-level module that is
 * not the standard library)? False without a summary being built. */
bool aa_summarize_project_name(const struct aa_ctx *ctx, const char *q);

/* aa_ctx_defer_begin's and aa_ctx_defer's work: the latter records an
 * AA_SITE_IF_COROUTINE site. aa_summarize_defer takes message. */
bool aa_summarize_defer_begin(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, struct aa_ref *ref);
void aa_summarize_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_ref *ref,
			char *message);

/* Records an AA_SITE_FANOUT site of rule anchored at the call site (gather, create_task),
 * for the spawned callee ref (from aa_summarize_ref or aa_summarize_ref_fn). Takes head
 * and tail (summary.h); frees them when noqa suppresses rule on the site's line or no
 * summary is being built. */
void aa_summarize_defer_fanout(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode site, const struct aa_ref *ref,
			       char *head, char *tail);

#endif
