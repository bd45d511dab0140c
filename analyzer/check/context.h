/*
 * context.h: what a rule's check() may ask and do. Rules ask questions; they do not
 * resolve names themselves (the model does, analyzer/facts/model.h, and the questions
 * below ask it). A context is per file and per worker thread; everything it returns is
 * owned by it (or by the model, the source, the tree) and valid until the check returns
 * unless stated otherwise. Nodes passed are nodes of the current file's trees and not
 * null, and strings NUL-terminated, unless stated otherwise; rules passed are the
 * registry's. Allocation failure exits (analyzer/base/xalloc.h): no function here fails
 * otherwise.
 */
#ifndef AA_CONTEXT_H
#define AA_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/facts/callee.h"
#include "analyzer/facts/model.h"
#include "analyzer/facts/summary.h"
#include "analyzer/check/rule.h"
#include "analyzer/input/source.h"
#include "parsers/python/syms.h"

struct aa_ctx;

/* --- where we are ---------------------------------------------------------------- */

const struct aa_syms *aa_ctx_syms(const struct aa_ctx *ctx);
const struct aa_source *aa_ctx_source(const struct aa_ctx *ctx);
struct aa_model *aa_ctx_model(const struct aa_ctx *ctx);

/* The path of the file being checked, as reported (its display path: as reachable from
 * the working directory, or the --stdin-filename). Owned by the context. */
const char *aa_ctx_path(const struct aa_ctx *ctx);

/* The scope the current node is evaluated in (see walk.h). */
uint32_t aa_ctx_scope(const struct aa_ctx *ctx);

/* True when the current node runs in async context: the body of an `async def`
 * (including class bodies, comprehensions, and the decorators and defaults of nested
 * defs there), not the body of a nested `def` or `lambda`. */
bool aa_ctx_in_async(const struct aa_ctx *ctx);

/* False when rule spares test code (aa_rule_spares_tests), the current node is test code
 * (the file is, analyzer/input/test_code.h, or a def around the node is a pytest fixture:
 * `@pytest.fixture`, `@pytest_asyncio.fixture`, whose plugin modules run in tests too) and the file's configuration does not say report-in-tests: its
 * findings here are dropped. Checks may ask first to skip work. */
bool aa_ctx_reports_here(struct aa_ctx *ctx, const struct aa_rule *rule);

/* Name of the `async def` whose context the current node is in ("fetch"), as a
 * NUL-terminated string owned by the model; "<module>" outside any function. */
const char *aa_ctx_function_name(struct aa_ctx *ctx);

/* --- text ---------------------------------------------------------------------- */

/* The node's source text (not NUL-terminated) and its length. */
const char *aa_ctx_text(const struct aa_ctx *ctx, TSNode node, uint32_t *len);
/* True when the node's text is exactly s. */
bool aa_ctx_text_is(const struct aa_ctx *ctx, TSNode node, const char *s);

/* --- resolution ------------------------------------------------------------------ */

/* Resolves what a `call` node calls. Memoised for the current node, so several rules
 * asking about the same call cost one resolution. Never NULL (AA_CALLEE_UNKNOWN when
 * the file cannot say); valid until the next aa_ctx_callee. */
const struct aa_callee *aa_ctx_callee(struct aa_ctx *ctx, TSNode call);

/* The qualified name of the module-level function call (a `call` node) calls
 * ("asyncio.Queue": an AA_CALLEE_FUNCTION of aa_ctx_callee), when its function is
 * written as a name or an attribute (`Queue()`, `asyncio.Queue()`; not `(Queue)()` nor
 * `make()()`); else NULL. Owned by the model. */
const char *aa_ctx_function_called(struct aa_ctx *ctx, TSNode call);

/* What calling fn (a name or attribute: the `fetch` of `map(fetch, urls)`) would call,
 * resolved as aa_ctx_callee resolves a call's function (analyzer/facts/callee.h), into
 * *out (its strings and nodes borrowed from the model and the tree). Not memoised. */
void aa_ctx_callee_of(struct aa_ctx *ctx, TSNode fn, struct aa_callee *out);

/* True when rule is enabled in this run. */
bool aa_ctx_rule_enabled(const struct aa_ctx *ctx, const struct aa_rule *rule);

/* Meaning of any expression from the current scope (model.h). */
struct aa_meaning aa_ctx_eval(struct aa_ctx *ctx, TSNode expr);

/* Matches a call against rule's target table: a FUNCTION callee against non-method
 * targets, a METHOD callee against method targets ("requests.Session.get"). Returns the
 * target or NULL; *callee_out (optional) receives the resolution. */
const struct aa_target *aa_ctx_match_call(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee_out);

/* The file imports this module (or one under it) anywhere. */
bool aa_ctx_imports(const struct aa_ctx *ctx, const char *module);

/* Additional blocking calls configured by the user (--blocking-call), NULL-terminated,
 * or NULL when there are none; borrowed from the run's configuration. */
const char *const *aa_ctx_configured_blocking(const struct aa_ctx *ctx);

/* The oldest Python version the file's configuration says the code runs on, as 3xx
 * (311 for 3.11: target-version), or 0 when unknown. */
unsigned aa_ctx_target_version(const struct aa_ctx *ctx);

/* node's parent, like ts_node_parent but from the walker's stack when node is the node
 * being checked or one of its ancestors (tree-sitter's ts_node_parent descends from the
 * root every time): climbing from the checked node to the root this way costs
 * O(depth log depth). */
TSNode aa_ctx_parent(const struct aa_ctx *ctx, TSNode node);

/* node's nearest ancestor that is neither a parenthesized_expression nor of a kind in
 * also[0 .. n_also), and (child, optional) the node below it: aa_node_parent_unparen
 * (parsers/python/node.h), its parents found as aa_ctx_parent finds them. */
TSNode aa_ctx_parent_unparen(const struct aa_ctx *ctx, TSNode node, const TSSymbol *also, size_t n_also,
			     TSNode *child);

/* The nearest try_statement whose body holds node, in node's function (and class, when
 * classes is true): aa_node_try_around (parsers/python/node.h), its parents found as
 * aa_ctx_parent finds them. A null node when there is none. */
TSNode aa_ctx_try_around(const struct aa_ctx *ctx, TSNode node, bool classes);

/* The innermost `for` statement between node and fn_def whose body holds node
 * (analyzer/facts/bindings.h's aa_bindings_enclosing_for), found from the walker's
 * stack: node is the node being checked or one of its ancestors. */
TSNode aa_ctx_enclosing_for(const struct aa_ctx *ctx, TSNode fn_def, TSNode node);

/* True when call is the operand of `await` (through parentheses). */
bool aa_call_is_awaited(const struct aa_ctx *ctx, TSNode call);

/* --- a rule's memo for the file --------------------------------------------------- */

/* Where rule keeps what it computes once per file for its later checks of the same file
 * (an index of the file's text, say): the slot holds NULL on the rule's first call in a
 * file, and whatever the rule stores there is freed with free_fn (the same on every
 * call) when the file's checks are done. Per file and worker thread, like the context.
 * A check that would otherwise search the whole file each time it runs keeps the file
 * linear this way. */
void **aa_ctx_file_memo(struct aa_ctx *ctx, const struct aa_rule *rule, void (*free_fn)(void *));

/* --- arguments ------------------------------------------------------------------- */

/* The argument of `call` at position `index` (0-based, positional only; -1 to skip) or
 * named `keyword` (NULL to skip); a null node when absent. Positional arguments after a
 * *splat are not counted (unknown). */
TSNode aa_call_arg(const struct aa_ctx *ctx, TSNode call, int index, const char *keyword);
/* Number of positional arguments, or -1 when a *splat or **splat makes it unknown. */
int aa_call_positional_count(const struct aa_ctx *ctx, TSNode call);

/* --- reporting ------------------------------------------------------------------- */

/* Reports a finding of rule anchored at node (its start is the anchor, its span the
 * underline), unless rule is disabled or a noqa comment on the anchor's line
 * suppresses it (aa_noqa_push, the one suppression point). The message is formatted
 * with printf syntax into a copy the finding owns. */
void aa_ctx_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* --- fixes (the edits: analyzer/base/edit.h) ---------------------------------------- */

/* Reports as aa_ctx_report does, the finding carrying fix (NULL for none), which it
 * takes over even when the finding is dropped; the edits' spans are filled in here. A
 * fix whose kind is not the descriptor's (rule->fix.kind) is dropped: the rule page
 * never promises other than what --fix does. */
void aa_ctx_report_fix(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node, struct aa_fix *fix,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* True when `await` (or `async with`) written at node would run in the async function
 * node is in: node is in the body of an `async def` itself, not in a nested def, lambda
 * or class, nor in a comprehension or generator expression (where `await` changes what
 * the expression is), nor in a def's defaults, annotations or decorators. */
bool aa_ctx_await_allowed(const struct aa_ctx *ctx, TSNode node);

/* Adds to fix the edit that replaces the bytes [start of expr, upto) with replacement
 * (which starts with "await "), wrapping the awaited expression in parentheses when
 * expr's parent would otherwise bind tighter than `await` (expr is the object of an
 * attribute, the value of a subscript, the function of a call). upto lies in expr.
 * False when the edits cannot be added (aa_fix_add). */
bool aa_ctx_fix_await(struct aa_ctx *ctx, struct aa_fix *fix, TSNode expr, uint32_t upto, const char *replacement);

/* Makes the top-level module (NUL-terminated, "asyncio") reachable under its own name at
 * the current node: true when the name already refers to it there, or when nothing
 * binds the name there and no star import may (then the edit adding `import module`
 * after the module's docstring and `from __future__` imports, in the file's line ends,
 * is added to fix; also when the only `import module` is under a module-level
 * `if TYPE_CHECKING:`, which binds nothing at run time). False when the name means
 * something else: no fix can say it. */
bool aa_ctx_fix_import(struct aa_ctx *ctx, struct aa_fix *fix, const char *module);

/* The file's line end ("\n", "\r\n" or "\r"), for edits that add lines. Static. */
const char *aa_ctx_newline(const struct aa_ctx *ctx);

/* --- cross-file findings ----------------------------------------------------------- */

/* What a deferred finding waits for (decided when every file is summarised). */
enum aa_defer_cond {
	/* the callee resolves to a project coroutine function (an `async def` whose
	 * decorators are all known to keep it one, not overridden in a project subclass
	 * with a different async-ness) */
	AA_DEFER_IF_COROUTINE = 1,
};

/* Deferred findings are recorded in two steps, so that a message is built only for a
 * call that can be deferred. aa_ctx_defer_begin() is true when a finding of rule at call
 * can be recorded: a summary is being built, rule is enabled, the call's line does not
 * vouch for it (aa_ctx_vouched: then nothing is recorded, so the index reads no module
 * for it), and the callee can be named (not a call through an unknown object); it then
 * fills *ref (strings owned by the summary). */
bool aa_ctx_defer_begin(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, struct aa_ref *ref);

/* Records the finding of rule at call that aa_ctx_defer_begin() accepted with *ref, to
 * be reported when the call's callee, resolved across the project, satisfies cond. Used
 * for callees the file alone cannot decide (imported project functions, methods through
 * `self`, `cls`, `super()` and receivers whose class is known). message is the complete
 * message (malloc'd, taken over), fix its fix or NULL (taken over, as aa_ctx_report_fix
 * takes it). Call it only after aa_ctx_defer_begin() said true. */
void aa_ctx_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, enum aa_defer_cond cond,
		  const struct aa_ref *ref, char *message, struct aa_fix *fix);

/* Defers the finding of rule at call until the project index knows whether the
 * coroutine function the call is in runs alone on an event loop of its own (index.h's
 * aa_index_runs_alone; analyzer/facts/loop_uses.h): it is reported unless it does,
 * through the same suppression point. True when deferred, message (malloc'd) and fix
 * (NULL for none) taken over as aa_ctx_defer takes them; false, taking nothing, when it
 * is not: no summary is built, the rule is off, the line vouches for it (the caller's
 * report then uses the suppression), the call is not in the body of an undecorated
 * coroutine function (a lambda, a sync def, module level), or nothing in the file can
 * run alone. The caller then reports it at once. */
bool aa_ctx_defer_unless_alone(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, char *message,
			       struct aa_fix *fix);

/* The coroutine function the current node is in, as an index into the summary's funcs[],
 * when the project index may find that it runs alone (aa_ctx_defer_unless_alone's
 * conditions on the function: the body of an undecorated `async def`, in a file where
 * something may run alone); UINT32_MAX otherwise, and when no summary is built. For a
 * cross-file analysis that holds findings of its own and asks the index at its link
 * (index.h's aa_index_runs_alone, with aa_index_func_id). */
uint32_t aa_ctx_alone_function(struct aa_ctx *ctx);

/* --- what cross-file analyses record (rule.h's struct aa_crossfile) ----------------- */

/* The record of analysis cf in the summary being built, made with cf->new_record on
 * first use; NULL when no summary is being built or no enabled rule runs cf. Owned by
 * the summary (cf->free_record frees it with it). */
void *aa_ctx_record(struct aa_ctx *ctx, const struct aa_crossfile *cf);

/* The summary being built (its arena interns a record's strings, summary.h), or NULL. */
struct aa_summary *aa_ctx_summary(struct aa_ctx *ctx);

/* The index in the summary's funcs[] of the function the current node is in, or
 * UINT32_MAX (module level, a class body, no summary); *in_lambda: in a lambda. */
uint32_t aa_ctx_summary_function(const struct aa_ctx *ctx, bool *in_lambda);

/* How the index will name call's callee (or the callable fn), when it may be project
 * code (analyzer/facts/summarize.h): true and *out filled (strings owned by the
 * summary), else false (also without a summary) and *out untouched. */
bool aa_ctx_ref(struct aa_ctx *ctx, TSNode call, struct aa_ref *out);
bool aa_ctx_ref_fn(struct aa_ctx *ctx, TSNode fn, struct aa_ref *out);

/* The identifier ident is the current method's first parameter (`self`, `cls`). */
bool aa_ctx_is_self(const struct aa_ctx *ctx, TSNode ident);

/* `self.name()` in the current method that the project index could not resolve to
 * project code: neither its class nor a base class of it that this file defines binds
 * name, and its other bases are library classes (analyzer/facts/summarize.h). */
bool aa_ctx_self_method_unbound(struct aa_ctx *ctx, const char *name, uint32_t len);

/* `receiver.name()` is such a call: receiver is an identifier, the method's `self`. */
bool aa_ctx_self_call_unbound(struct aa_ctx *ctx, TSNode receiver, const char *name, uint32_t len);

/* node's span, and the excerpt of its first line a finding anchored at node keeps
 * (analyzer/input/excerpt.h; caller releases it with aa_excerpt_release). */
struct aa_span aa_ctx_span(const struct aa_ctx *ctx, TSNode node);
struct aa_excerpt aa_ctx_line(const struct aa_ctx *ctx, TSNode node);

/* The target of a rule whose targets travel through helpers (rule.h's .travels) that
 * call is, or NULL; *target_out (optional) receives it. */
const struct aa_rule *aa_ctx_travelling_target(struct aa_ctx *ctx, TSNode call, const struct aa_target **target_out);

/* True when a noqa comment on node's line names rule: the user vouched for that line.
 * Analyses that follow calls across files treat a vouched call as no evidence (a
 * blocking call vouched for starts no helper chain); findings themselves are
 * suppressed where they are reported, not here. */
bool aa_ctx_vouched(const struct aa_ctx *ctx, const struct aa_rule *rule, TSNode node);

/* The call's callee text for messages: "time.sleep" for `time.sleep(1)`, shortened to
 * 60 bytes. Owned by the context, valid until the next call of this function. */
const char *aa_ctx_callee_text(struct aa_ctx *ctx, TSNode call);

#endif
