#include "rules/blocking/local_queue.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"

/* Bound on the nodes the walk of one function visits (beyond it: unknown, reported). */
#define MAX_WALK_NODES 1000000u

/* The methods of a queue that only touch the queue itself. */
static const char *const queue_methods[] = { "put",   "get",  "put_nowait", "get_nowait", "qsize",
					     "empty", "full", "task_done",  "join",       NULL };

struct walk {
	struct aa_ctx *ctx;
	struct aa_name_records *x; /* records of struct aa_owned_use */
	TSNode body;
	uint32_t def; /* the def's start byte: the records' namespace */
	bool complete;
	TSNode called; /* aa_owned_use_count's state */
};

static struct aa_owned_use *use_of(void *ud, TSNode ident)
{
	struct walk *w = ud;
	uint32_t len;
	const char *name = aa_ctx_text(w->ctx, ident, &len);
	return aa_name_records_add(w->x, name, len, w->def);
}

/* In a nested def or lambda every mention of a name is one the function does not own. */
static enum aa_visit nested_visit(void *ud, TSNode n)
{
	struct walk *w = ud;
	aa_owned_use_count(w->ctx, n, true, queue_methods, &w->called, use_of, w);
	return AA_VISIT_DESCEND;
}

static enum aa_visit body_visit(void *ud, TSNode n)
{
	struct walk *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (!ts_node_eq(n, w->body) && (aa_kind_is_definition(s, k, true) || k == s->lambda)) {
		w->complete &= aa_subtree_walk(n, MAX_WALK_NODES, nested_visit, w);
		return AA_VISIT_SKIP;
	}
	aa_owned_use_count(w->ctx, n, false, queue_methods, &w->called, use_of, w);
	return AA_VISIT_DESCEND;
}

/* Levels an origin's def is looked for above it (ts_node_parent descends from the root:
 * a long climb of it is quadratic). */
#define MAX_ORIGIN_DEPTH 64

/* The function definition node is in, or a null node at module level (and, for a node
 * that is no ancestor of the walker's node, more than MAX_ORIGIN_DEPTH levels up). */
static TSNode enclosing_def(struct aa_ctx *ctx, TSNode node, bool walker_ancestor)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	int levels = 0;
	for (TSNode p = walker_ancestor ? aa_ctx_parent(ctx, node) : ts_node_parent(node);
	     !ts_node_is_null(p) && (walker_ancestor || levels++ < MAX_ORIGIN_DEPTH);
	     p = walker_ancestor ? aa_ctx_parent(ctx, p) : ts_node_parent(p)) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->function_definition || k == s->lambda || k == s->class_definition)
			return k == s->function_definition ? p : (TSNode){ 0 };
	}
	return (TSNode){ 0 };
}

bool aa_blocking_local_queue(struct aa_ctx *ctx, struct aa_name_records **index, TSNode call, TSNode recv,
			     TSNode origin)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(origin) || ts_node_is_null(recv) || ts_node_symbol(recv) != s->identifier)
		return false;
	TSNode def = enclosing_def(ctx, call, true);
	/* origin is no ancestor of call: its parents are found by ts_node_parent */
	if (ts_node_is_null(def) || !ts_node_eq(enclosing_def(ctx, origin, false), def))
		return false;
	if (!*index)
		*index = aa_name_records_new(sizeof(struct aa_owned_use));
	struct aa_name_records *x = *index;
	uint32_t ns = ts_node_start_byte(def);
	uint32_t complete = aa_name_records_body(x, ns);
	if (complete == AA_MAP_NONE) {
		struct walk w = { .ctx = ctx, .x = x, .body = ts_node_child_by_field_id(def, s->f.body), .def = ns,
				  .complete = true };
		if (!ts_node_is_null(w.body))
			w.complete &= aa_subtree_walk(w.body, MAX_WALK_NODES, body_visit, &w);
		complete = w.complete;
		aa_name_records_set_body(x, ns, complete);
	}
	uint32_t len;
	const char *name = aa_ctx_text(ctx, recv, &len);
	const struct aa_owned_use *u = complete ? aa_name_records_find(x, name, len, ns) : NULL;
	return u && u->all == u->owned;
}
