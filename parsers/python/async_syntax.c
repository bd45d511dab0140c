#include "parsers/python/async_syntax.h"

#include <stdbool.h>

/* `async` is the first token of the statement or clause it makes asynchronous. */
static bool starts_with_async(const struct aa_syms *s, TSNode node)
{
	return ts_node_child_count(node) > 0 && ts_node_symbol(ts_node_child(node, 0)) == s->kw_async;
}

enum aa_async_syntax aa_async_syntax_of(const struct aa_syms *s, TSNode node)
{
	if (ts_node_is_null(node))
		return AA_ASYNC_SYNTAX_NONE;
	TSSymbol k = ts_node_symbol(node);
	if (k == s->await)
		return AA_ASYNC_SYNTAX_AWAIT;
	if (k == s->for_statement)
		return starts_with_async(s, node) ? AA_ASYNC_SYNTAX_FOR : AA_ASYNC_SYNTAX_NONE;
	if (k == s->with_statement)
		return starts_with_async(s, node) ? AA_ASYNC_SYNTAX_WITH : AA_ASYNC_SYNTAX_NONE;
	if (k == s->for_in_clause)
		return starts_with_async(s, node) ? AA_ASYNC_SYNTAX_COMPREHENSION : AA_ASYNC_SYNTAX_NONE;
	return AA_ASYNC_SYNTAX_NONE;
}

const char *aa_async_syntax_name(enum aa_async_syntax kind)
{
	switch (kind) {
	case AA_ASYNC_SYNTAX_AWAIT:
		return "'await'";
	case AA_ASYNC_SYNTAX_FOR:
		return "'async for'";
	case AA_ASYNC_SYNTAX_WITH:
		return "'async with'";
	case AA_ASYNC_SYNTAX_COMPREHENSION:
		return "'async for' comprehension";
	case AA_ASYNC_SYNTAX_NONE:
		break;
	}
	return "";
}
