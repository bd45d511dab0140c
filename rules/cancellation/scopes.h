/*
 * scopes.h: the library table of timeouts and cancel scopes (listed in docs/rules/AA406.md), and
 * "does this code reach an await", shared by the AA4xx rules. asyncio's timeouts are
 * async context managers; trio's and anyio's cancel scopes are sync ones.
 */
#ifndef AA_SCOPES_H
#define AA_SCOPES_H

#include <stdbool.h>
#include <tree_sitter/api.h>

struct aa_ctx;

struct aa_scope_entry {
	const char *qualname; /* "asyncio.timeout", "trio.move_on_after", "anyio.CancelScope" */
	bool is_async;        /* entered with `async with` (asyncio); else plain `with` */
};

/* The table entry a call creates (resolved by import through ctx: `from trio import
 * move_on_after` counts), or NULL; also NULL when call is a null node or not a `call`
 * (a with_item's value may be a name: `with cs:`). Static storage. */
const struct aa_scope_entry *aa_scope_of_call(struct aa_ctx *ctx, TSNode call);

enum aa_reach_flags {
	AA_REACH_YIELD = 1u << 0,    /* a yield counts as an await */
	AA_REACH_UNSHIELDED = 1u << 1, /* awaits inside a shielded trio/anyio scope
					  (`CancelScope(shield=True)`) do not count */
	AA_REACH_WORK = 1u << 2,       /* awaits of calls that end something (aa_scope_is_teardown)
					  do not count */
};

/* True when call's callee is named as something that ends or releases (its last name,
 * without leading underscores, is or starts with `close`, `aclose`, `stop`, `shutdown`,
 * `cleanup`, `teardown`, `cancel`, `disconnect`, `terminate`, `kill`, `release`,
 * `unsubscribe`, `dispose`, followed by `_...`; or is `wait_closed`, `clean_up`):
 * clean-up, not more of the work. A name, not a resolution: what the callee does is
 * unknown. False for anything but a call. */
bool aa_scope_is_teardown(struct aa_ctx *ctx, TSNode call);

/* True when node's subtree holds an await, `async for`, `async with` or an async
 * comprehension (flags: enum aa_reach_flags), outside the bodies of nested defs,
 * lambdas and classes (node itself may be one: its subtree is searched). Bounded walk:
 * a subtree too large to scan answers true ("may await", the quiet answer). */
bool aa_scope_reaches_await(struct aa_ctx *ctx, TSNode node, unsigned flags);

/* True when the with statement enters a scope with a literal `shield=True` (trio/anyio
 * CancelScope, move_on_after, fail_after). */
bool aa_scope_is_shielded(struct aa_ctx *ctx, TSNode with);

/* True when node is inside (the body of) a with statement, in the same function, that
 * enters a timeout or cancel scope of the table. Bounded climb through aa_ctx_parent. */
bool aa_scope_encloses(struct aa_ctx *ctx, TSNode node);

#endif
