#include "rules/blocking/polled.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"

#define MAX_SCAN_NODES 1000000u

bool aa_blocking_method_call_on(const struct aa_ctx *ctx, TSNode call, TSNode recv, const char *name)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(call) || ts_node_symbol(call) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return false;
	TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
	TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
	return !ts_node_is_null(obj) && !ts_node_is_null(attr) &&
	       aa_node_same_text(aa_ctx_source(ctx)->text, obj, recv) && aa_ctx_text_is(ctx, attr, name);
}

/* The innermost def's body around node, or the module. */
static TSNode enclosing_body(const struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode last = node;
	for (TSNode p = aa_ctx_parent(ctx, node); !ts_node_is_null(p); p = aa_ctx_parent(ctx, p)) {
		if (ts_node_symbol(p) == s->function_definition)
			return ts_node_child_by_field_id(p, s->f.body);
		last = p;
	}
	return last;
}

struct guard_scan {
	struct aa_ctx *ctx;
	TSNode body, recv;
	const char *const *polls;
	uint32_t limit, await_end;
	bool found;
};

static enum aa_visit visit_guard(void *ud, TSNode n)
{
	struct guard_scan *g = ud;
	const struct aa_syms *s = aa_ctx_syms(g->ctx);
	uint32_t start = ts_node_start_byte(n);
	if (start >= g->limit)
		return AA_VISIT_STOP;
	if (!ts_node_is_named(n))
		return AA_VISIT_DESCEND;
	TSSymbol k = ts_node_symbol(n);
	if (k == s->await && ts_node_end_byte(n) > g->await_end)
		g->await_end = ts_node_end_byte(n);
	bool name = k == s->identifier || k == s->attribute;
	bool polled = false;
	for (const char *const *p = g->polls; *p && !polled; p++)
		polled = aa_blocking_method_call_on(g->ctx, n, g->recv, *p);
	if (polled || (start < g->await_end && name && aa_node_same_text(aa_ctx_source(g->ctx)->text, n, g->recv))) {
		g->found = true;
		return AA_VISIT_STOP;
	}
	return aa_kind_is_definition(s, k, true) && !ts_node_eq(n, g->body) ? AA_VISIT_SKIP : AA_VISIT_DESCEND;
}

bool aa_blocking_polled_before(struct aa_ctx *ctx, TSNode call, TSNode recv, const char *const *polls)
{
	TSNode body = enclosing_body(ctx, call);
	if (ts_node_is_null(body) || ts_node_is_null(recv))
		return false;
	struct guard_scan g = { ctx, body, recv, polls, ts_node_start_byte(call), 0, false };
	aa_subtree_walk(body, MAX_SCAN_NODES, visit_guard, &g);
	return g.found;
}
