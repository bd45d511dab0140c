/*
 * async_syntax.h: the constructs that only an `async def` may contain (await, `async for`,
 * `async with`, and the `async for` clause of a comprehension), recognised from the
 * syntax tree alone. Shared by AA206 await-outside-async and AA207 unused-async.
 * Pure functions of the node; thread-safe.
 */
#ifndef AA_ASYNC_SYNTAX_H
#define AA_ASYNC_SYNTAX_H

#include <tree_sitter/api.h>

#include "parsers/python/syms.h"

enum aa_async_syntax {
	AA_ASYNC_SYNTAX_NONE = 0,
	AA_ASYNC_SYNTAX_AWAIT,         /* an `await` expression */
	AA_ASYNC_SYNTAX_FOR,           /* an `async for` statement */
	AA_ASYNC_SYNTAX_WITH,          /* an `async with` statement */
	AA_ASYNC_SYNTAX_COMPREHENSION, /* an `async for` clause of a comprehension (for_in_clause) */
};

/* Which async construct node is, or AA_ASYNC_SYNTAX_NONE (also for a plain `for`,
 * `with` or comprehension clause). s: the interned grammar (syms.h); node may be null. */
enum aa_async_syntax aa_async_syntax_of(const struct aa_syms *s, TSNode node);

/* How messages name the construct: "'await'", "'async for'", "'async with'",
 * "'async for' comprehension"; "" for NONE. Static storage. */
const char *aa_async_syntax_name(enum aa_async_syntax kind);

#endif
