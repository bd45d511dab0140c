#include "rules/cancellation/scopes.h"

#include "parsers/python/async_syntax.h"
#include "analyzer/check/context.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"
#include "rules/shared/call_name.h"

#include <string.h>

static const struct aa_scope_entry table[] = {
	{ "asyncio.timeout", true },
	{ "asyncio.timeout_at", true },
	{ "asyncio.timeouts.timeout", true },
	{ "asyncio.timeouts.timeout_at", true },
	{ "trio.move_on_after", false },
	{ "trio.move_on_at", false },
	{ "trio.fail_after", false },
	{ "trio.fail_at", false },
	{ "trio.CancelScope", false },
	{ "anyio.move_on_after", false },
	{ "anyio.fail_after", false },
	{ "anyio.CancelScope", false },
};

const struct aa_scope_entry *aa_scope_of_call(struct aa_ctx *ctx, TSNode call)
{
	if (ts_node_is_null(call) || ts_node_symbol(call) != aa_ctx_syms(ctx)->call)
		return NULL;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (!c || c->kind != AA_CALLEE_FUNCTION || !c->qualname)
		return NULL;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(c->qualname, table[i].qualname))
			return &table[i];
	return NULL;
}

struct reach {
	struct aa_ctx *ctx;
	const struct aa_syms *s;
	TSNode root;
	unsigned flags;
	bool found;
};

bool aa_scope_is_shielded(struct aa_ctx *ctx, TSNode with)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode v;
	for (struct aa_with_items it = aa_node_with_items(s, with, AA_WITH_CLAUSE_FIRST);
	     aa_node_with_items_next(&it, &v);) {
		/* any call with a literal `shield=True`: trio's and anyio's scopes, also when
		 * reached through a path the resolver does not follow (trio's own `_core`) */
		if (ts_node_symbol(v) != s->call)
			continue;
		TSNode sh = aa_call_arg(ctx, v, -1, "shield");
		if (!ts_node_is_null(sh) && ts_node_symbol(sh) == s->true_)
			return true;
	}
	return false;
}

bool aa_scope_is_teardown(struct aa_ctx *ctx, TSNode call)
{
	static const char *const verbs[] = { "close",    "aclose", "stop",        "shutdown", "cleanup",
					     "teardown", "cancel", "disconnect",  "terminate", "kill",
					     "release",  "unsubscribe", "dispose", NULL };
	static const char *const whole[] = { "wait_closed", "clean_up", NULL };
	return aa_call_named(ctx, call, verbs, whole);
}

static enum aa_visit reach_visit(void *ud, TSNode n)
{
	struct reach *r = ud;
	const struct aa_syms *s = r->s;
	TSSymbol k = ts_node_symbol(n);
	if (!ts_node_eq(n, r->root) && aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP; /* decorators and defaults are rare enough to ignore here */
	if (k == s->with_statement && (r->flags & AA_REACH_UNSHIELDED) && aa_scope_is_shielded(r->ctx, n))
		return AA_VISIT_SKIP; /* nothing outside can cancel what runs in a shielded scope */
	if (k == s->await && (r->flags & AA_REACH_WORK) &&
	    aa_scope_is_teardown(r->ctx, aa_node_unparen_at_most(s, ts_node_named_child(n, 0), AA_UNPAREN_SOLE, 64)))
		return AA_VISIT_SKIP;
	if (aa_async_syntax_of(s, n) != AA_ASYNC_SYNTAX_NONE || ((r->flags & AA_REACH_YIELD) && k == s->yield)) {
		r->found = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

bool aa_scope_reaches_await(struct aa_ctx *ctx, TSNode node, unsigned flags)
{
	struct reach r = { ctx, aa_ctx_syms(ctx), node, flags, false };
	if (!aa_subtree_walk(node, 200000, reach_visit, &r) && !r.found)
		return true;
	return r.found;
}

bool aa_scope_encloses(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode prev = node;
	TSNode n = aa_ctx_parent(ctx, node);
	for (int guard = 0; !ts_node_is_null(n) && guard < 512; guard++) {
		TSSymbol k = ts_node_symbol(n);
		if (aa_kind_is_definition(s, k, true))
			return false;
		if (k == s->with_statement && ts_node_eq(ts_node_child_by_field_id(n, s->f.body), prev)) {
			TSNode v;
			for (struct aa_with_items it = aa_node_with_items(s, n, AA_WITH_CLAUSE_FIRST);
			     aa_node_with_items_next(&it, &v);)
				if (aa_scope_of_call(ctx, v))
					return true;
		}
		prev = n;
		n = aa_ctx_parent(ctx, n);
	}
	return false;
}
