/*
 * coroutine.h: what AA201 unawaited-coroutine and AA202 coroutine-in-boolean-context
 * share, and what the project index reuses for callees defined in other modules.
 *
 * A *coroutine function* is one whose call returns a coroutine that does nothing until
 * it is awaited: an `async def` without `yield` in its own body (with `yield` it is an
 * async generator function, whose call returns an async iterator), whose decorators
 * are all known to keep it one (analyzer/facts/decorators.h), or a library
 * function or method listed in rules/coroutines/coroutine_targets.c.
 *
 * Per file, a call is decided here when its callee is a known library name, a def of
 * this file, or a method written in the body of a class of this file called through
 * the class (`C.m()`). Calls that only the project index can decide (names imported
 * from project modules, methods called through `self`, `cls`, `super()` or an object
 * whose class the model knows) are deferred with aa_ctx_defer.
 *
 * Everything here is read-only over the tree and the model; no function keeps a
 * pointer past its return. Bounded: tree walks use cursors and caps, never recursion.
 */
#ifndef AA_COROUTINE_H
#define AA_COROUTINE_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/check/context.h"

/* True when the function_definition def is an `async def` whose own body (nested defs,
 * lambdas and classes excluded) has no `yield`: calling it returns a coroutine.
 * Decorators are not looked at. False when model has no scope for def. O(log scopes). */
bool aa_coroutine_def_is_async(const struct aa_model *model, TSNode def);

/* The scope a def statement is evaluated in (the parent of the scope it opens), or
 * AA_NO_SCOPE when model has no scope for def. O(log scopes). */
uint32_t aa_coroutine_def_scope(const struct aa_model *model, TSNode def);


/* The prefilter words of AA201 and AA202 (NULL-terminated): a file without async code
 * can discard a library coroutine only through the asyncio names its target table and
 * the tracked asyncio classes (known_types.h) start with, or an import of them. Every
 * word starts with "async", so the scan for `async def` matches them for free. anyio,
 * trio and aiofiles coroutines in sync code are too rare to pay a scan of every file. */
extern const char *const aa_coroutine_sync_words[];

/* The library coroutine functions and methods (coroutine_targets.c): the one target
 * table both AA201 and AA202 point at. A descriptor's n_targets must be a constant
 * expression, so the count is written here; coroutine_targets.c checks it at compile
 * time against the table. */
#define AA_COROUTINE_N_TARGETS 114
extern const struct aa_target aa_coroutine_targets[];

/* What AA201's and AA202's descriptors share, being one analysis with two uses of the
 * value: the family and severity, the callees (one target table, the index's deferred
 * and sync-caller questions), the peer code, the node kind and the prefilter. Used
 * inside a `struct aa_rule` initializer; the includer also includes rules/rules.h. */
extern const char *const aa_coroutine_equivalents[];
extern const char *const aa_coroutine_node_kinds[];
#define AA_COROUTINE_RULE_FIELDS \
	.family = &aa_family_coroutines, \
	.severity = AA_SEVERITY_ERROR, \
	.index_use = AA_INDEX_DEFERS | AA_INDEX_SYNC_CALLERS, \
	.default_on = true, \
	.equivalents = aa_coroutine_equivalents, \
	.targets = aa_coroutine_targets, \
	.n_targets = AA_COROUTINE_N_TARGETS, \
	.node_kinds = aa_coroutine_node_kinds, \
	.prefilter_words = aa_coroutine_sync_words /* library coroutines in sync code */

/* How the value of a call expression is used (looking through parentheses). */
enum aa_coroutine_use {
	AA_COROUTINE_USED = 0,  /* awaited, returned, stored, passed, yielded, ...: not ours */
	AA_COROUTINE_DISCARDED, /* an expression statement, `_ = f()`, or reaching one through
				   the right operand of and/or or a branch of a ternary */
	AA_COROUTINE_CONDITION, /* tested for truth: if/elif/while condition, assert test,
				   operand of `not`, left operand of and/or, ternary test,
				   comprehension filter (and right operands of and/or there) */
};

/* Reports call for rule (AA201 with want = AA_COROUTINE_DISCARDED, AA202 with
 * AA_COROUTINE_CONDITION) when its value is used that way and its callee is a coroutine
 * function: a target of rule's table (rule->targets must be aa_coroutine_targets),
 * or a def of this file that aa_coroutine_def_is_async and
 * aa_decorators_transparent (facts/decorators.h) accept. Defers (aa_ctx_defer, same
 * message) what only the project index can decide. call is a `call` node. */
void aa_coroutine_check(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, enum aa_coroutine_use want);

#endif
