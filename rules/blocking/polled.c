#include "rules/blocking/polled.h"

#include <stdlib.h>

#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"

#define MAX_SCAN_NODES 1000000u
/* Receivers are names and attributes as written: a longer text is no receiver anyone
 * polls, and keying every link of a long `a.b.c...` chain by its whole text would cost
 * the square of its length. */
#define MAX_KEY_LEN 256u

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

struct aa_polled {
	/* (empty key, ns = a body's start byte) -> 1: walked whole; 0: too large */
	struct aa_map bodies;
	/* (a receiver's text, ns = its body's start byte) -> the first byte where it is
	 * polled or awaited in that body (the smallest: the walk goes in source order) */
	struct aa_map first;
};

void aa_blocking_polled_free(void *index)
{
	struct aa_polled *p = index;
	if (!p)
		return;
	aa_map_release(&p->bodies);
	aa_map_release(&p->first);
	free(p);
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

struct poll_scan {
	const struct aa_ctx *ctx;
	struct aa_polled *index;
	TSNode body;
	const char *const *polls;
	uint32_t await_end; /* the end of the awaits met so far */
};

static void record(struct poll_scan *w, TSNode n, uint32_t at)
{
	uint32_t len;
	const char *text = aa_ctx_text(w->ctx, n, &len);
	if (len > MAX_KEY_LEN)
		return;
	struct aa_map_key key = aa_map_key(text, len, ts_node_start_byte(w->body));
	aa_map_put(&w->index->first, &key, at, NULL);
}

static enum aa_visit visit_poll(void *ud, TSNode n)
{
	struct poll_scan *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	if (!ts_node_is_named(n))
		return AA_VISIT_DESCEND;
	TSSymbol k = ts_node_symbol(n);
	uint32_t start = ts_node_start_byte(n);
	if (k == s->await && ts_node_end_byte(n) > w->await_end)
		w->await_end = ts_node_end_byte(n);
	if ((k == s->identifier || k == s->attribute) && start < w->await_end)
		record(w, n, start);
	if (k == s->call) {
		TSNode fn = ts_node_child_by_field_id(n, s->f.function);
		if (!ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute) {
			TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
			TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
			bool polled = false;
			for (const char *const *p = w->polls; *p && !polled && !ts_node_is_null(attr); p++)
				polled = aa_ctx_text_is(w->ctx, attr, *p);
			if (polled && !ts_node_is_null(obj))
				record(w, obj, start);
		}
	}
	return aa_kind_is_definition(s, k, true) && !ts_node_eq(n, w->body) ? AA_VISIT_SKIP : AA_VISIT_DESCEND;
}

bool aa_blocking_polled_before(struct aa_ctx *ctx, void **index, TSNode call, TSNode recv, const char *const *polls)
{
	TSNode body = enclosing_body(ctx, call);
	if (ts_node_is_null(body) || ts_node_is_null(recv))
		return false;
	if (!*index)
		*index = aa_xcalloc(1, sizeof(struct aa_polled));
	struct aa_polled *p = *index;
	uint32_t ns = ts_node_start_byte(body);
	struct aa_map_key bkey = aa_map_key("", 0, ns);
	uint32_t whole = aa_map_get(&p->bodies, &bkey);
	if (whole == AA_MAP_NONE) {
		struct poll_scan w = { ctx, p, body, polls, 0 };
		whole = aa_subtree_walk(body, MAX_SCAN_NODES, visit_poll, &w) ? 1 : 0;
		aa_map_put(&p->bodies, &bkey, whole, NULL);
	}
	if (!whole)
		return false;
	uint32_t len;
	const char *text = aa_ctx_text(ctx, recv, &len);
	if (len > MAX_KEY_LEN)
		return false;
	struct aa_map_key key = aa_map_key(text, len, ns);
	uint32_t first = aa_map_get(&p->first, &key);
	return first != AA_MAP_NONE && first < ts_node_start_byte(call);
}
