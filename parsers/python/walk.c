#include "parsers/python/walk.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/node.h"

#include <stdbool.h>
#include <stdlib.h>

int aa_walk_scope_kind(const struct aa_syms *s, TSNode node)
{
	TSSymbol k = ts_node_symbol(node);
	if (k == s->function_definition)
		return AA_SCOPE_FUNCTION;
	if (k == s->class_definition)
		return AA_SCOPE_CLASS;
	if (k == s->lambda)
		return AA_SCOPE_LAMBDA;
	if (aa_kind_is_comprehension(s, k))
		return AA_SCOPE_COMPREHENSION;
	return -1;
}

struct frame {
	uint32_t scope; /* scope the node is evaluated in */
	uint32_t inner; /* scope it opens, or AA_NO_SCOPE */
	bool skipped;   /* not visited: broken, or outside its segment */
	TSNode node;
};

/* Which scope a child is evaluated in: the parent's inner scope only for the parts
 * Python runs inside it. */
static uint32_t child_scope(const struct aa_syms *s, const struct frame *parent, TSTreeCursor *cur)
{
	if (parent->inner == AA_NO_SCOPE)
		return parent->scope;
	if (aa_kind_is_comprehension(s, ts_node_symbol(parent->node)))
		return parent->inner;
	return ts_tree_cursor_current_field_id(cur) == s->f.body ? parent->inner : parent->scope;
}

struct aa_walk_state {
	const struct frame *stack;
	size_t depth; /* stack[depth] is the visited node */
};

TSNode aa_walk_ancestor(const struct aa_walk_state *ws, unsigned up)
{
	if (up > ws->depth)
		return (TSNode){ 0 };
	return ws->stack[ws->depth - up].node;
}

TSNode aa_walk_parent(const struct aa_walk_state *ws, TSNode node)
{
	/* Nodes asked about are the visited node or close above it. */
	for (unsigned up = 0; ws && up < 16; up++) {
		TSNode a = aa_walk_ancestor(ws, up);
		if (ts_node_is_null(a))
			break;
		if (ts_node_eq(a, node))
			return aa_walk_ancestor(ws, up + 1);
	}
	return ts_node_parent(node);
}

uint32_t aa_walk(const struct aa_parsed *parsed, const struct aa_syms *syms, const struct aa_walk_visitor *v)
{
	uint32_t n_scopes = 1;
	struct frame *stack = NULL;
	size_t cap = 0;
	struct aa_walk_state ws = { NULL, 0 };
	if (v->open_scope)
		v->open_scope(v->ud, ts_tree_root_node(parsed->segs[0].tree), AA_SCOPE_MODULE, 0, AA_NO_SCOPE);

	for (unsigned si = 0; si < parsed->n_segs; si++) {
		const struct aa_segment *seg = &parsed->segs[si];
		TSNode root = ts_tree_root_node(seg->tree);
		TSTreeCursor cur = ts_tree_cursor_new(root);
		size_t depth = 0;
		AA_GROW(stack, cap, 1);
		/* Every segment's root is the module: scope 0. */
		stack[0] = (struct frame){ 0, 0, false, root };
		ws = (struct aa_walk_state){ stack, 0 };
		if (v->enter)
			v->enter(v->ud, root, 0, AA_NO_SCOPE, &ws);
		bool descend = true;
		for (;;) {
			if (descend && ts_tree_cursor_goto_first_child(&cur)) {
				depth++;
			} else {
				/* Leave nodes until one has a next sibling. */
				for (;;) {
					if (depth == 0)
						goto segment_done;
					if (v->leave && !stack[depth].skipped)
						v->leave(v->ud, stack[depth].node, stack[depth].scope);
					if (ts_tree_cursor_goto_next_sibling(&cur))
						break;
					ts_tree_cursor_goto_parent(&cur);
					depth--;
				}
			}
			TSNode node = ts_tree_cursor_current_node(&cur);
			AA_GROW(stack, cap, depth + 1);
			uint32_t start = ts_node_start_byte(node);
			if (aa_node_is_broken(node) || start >= seg->end_byte ||
			    (start < seg->start_byte && si > 0)) {
				stack[depth] = (struct frame){ 0, AA_NO_SCOPE, true, node };
				descend = false;
				continue;
			}
			struct frame *parent = &stack[depth - 1];
			uint32_t scope = child_scope(syms, parent, &cur);
			uint32_t inner = AA_NO_SCOPE;
			int kind = aa_walk_scope_kind(syms, node);
			if (kind >= 0) {
				inner = n_scopes++;
				if (v->open_scope)
					v->open_scope(v->ud, node, (enum aa_scope_kind)kind, inner, scope);
			}
			stack[depth] = (struct frame){ scope, inner, false, node };
			ws = (struct aa_walk_state){ stack, depth };
			if (v->enter)
				v->enter(v->ud, node, scope, inner, &ws);
			descend = true;
		}
segment_done:
		if (v->leave)
			v->leave(v->ud, root, 0);
		ts_tree_cursor_delete(&cur);
	}
	free(stack);
	return n_scopes;
}
