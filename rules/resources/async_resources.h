/*
 * async_resources.h: the async-only resources of the AA5xx rules (docs/rules/AA501.md to AA503.md):
 * objects that must be entered with `async with` (or iterated with `async for`), closed
 * with an awaited close, and, for task groups and nurseries, that form a scope a
 * `yield` must not cross. One table, shared by AA501 sync-with-async-resource, AA502
 * unclosed-async-resource and AA503 yield-in-scope. Timeouts and cancel scopes of the
 * library table are rules/cancellation/scopes.h's; only asyncio's timeouts, which are async-only
 * context managers, are repeated here for AA501.
 *
 * Read-only tables and functions of the tree and the model; thread-safe.
 */
#ifndef AA_ASYNC_RESOURCES_H
#define AA_ASYNC_RESOURCES_H

#include <stdbool.h>
#include <tree_sitter/api.h>

struct aa_ctx;

enum aa_resource_flags {
	AA_RESOURCE_ASYNC_CM = 1u << 0,   /* no __enter__: a plain `with` fails (AA501) */
	AA_RESOURCE_ASYNC_ITER = 1u << 1, /* no __iter__: a plain `for` fails (AA501) */
	AA_RESOURCE_CLOSE = 1u << 2,      /* holds an OS resource until closed (AA502) */
	AA_RESOURCE_SCOPE = 1u << 3,      /* a task group or nursery: a scope for AA503 */
};

struct aa_resource {
	const char *qualname; /* as the model names the object's class or factory: "asyncio.Lock" */
	const char *shown;    /* how messages name it: "asyncio.Lock" */
	unsigned flags;       /* enum aa_resource_flags */
};

/* The table entry naming qualname (a class or factory qualified name as the model
 * forms it; NUL-terminated, not NULL), or NULL. Static storage. */
const struct aa_resource *aa_resource_find(const char *qualname);

/* The resource expr evaluates to, seen from the current scope: a call of a table
 * entry (`asyncio.Lock()`, `aiofiles.open(p)`) or a tracked object bound to one
 * (`self.lock` after `self.lock = asyncio.Lock()`, a parameter annotated
 * `asyncio.Lock`, `async with aiofiles.open(p) as f`), looking through parentheses.
 * NULL when unknown or not in the table. expr may be null. */
const struct aa_resource *aa_resource_of_expr(struct aa_ctx *ctx, TSNode expr);

#endif
