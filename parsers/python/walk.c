#include "parsers/python/walk.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/node.h"

#include <stdbool.h>
#include <stdint.h>
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
	bool block;     /* it opens a scope or is a `for` or `while` statement */
	uint32_t outer; /* index of the nearest frame above it with block set, or NO_FRAME
			   (tree-sitter's trees are far shallower than 2^32) */
	TSNode node;
};

#define NO_FRAME UINT32_MAX

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
	/* The walker's; the index of the frame aa_walk_parent returned last: a climb asks
	 * for that frame's parent next. A hint, checked before use. */
	size_t *last;
};

TSNode aa_walk_ancestor(const struct aa_walk_state *ws, unsigned up)
{
	if (up > ws->depth)
		return (TSNode){ 0 };
	return ws->stack[ws->depth - up].node;
}

/* Whether a's byte range lies within [start, end). */
static bool within(TSNode a, uint32_t start, uint32_t end)
{
	return ts_node_start_byte(a) >= start && ts_node_end_byte(a) <= end;
}

/* The index of node's frame on the stack, or SIZE_MAX when node is not the visited node
 * nor one of its ancestors. */
static size_t frame_of(const struct aa_walk_state *ws, TSNode node)
{
	/* Most nodes asked about are the visited node, its parent, or the parent
	 * aa_walk_parent returned last (a climb): one step each. */
	if (*ws->last <= ws->depth && ts_node_eq(ws->stack[*ws->last].node, node))
		return *ws->last;
	for (size_t up = 0; up < 2 && up <= ws->depth; up++)
		if (ts_node_eq(ws->stack[ws->depth - up].node, node))
			return ws->depth - up;
	/* Else a binary search, not a scan of the stack. Each frame's range holds the next
	 * one's, so "within node's range" is false, then true along the stack, and node, if
	 * there, is among the first frames where it is true (those with node's very
	 * range). */
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	size_t lo = 0, hi = ws->depth + 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (within(ws->stack[mid].node, start, end))
			hi = mid;
		else
			lo = mid + 1;
	}
	for (size_t i = lo; i <= ws->depth; i++) {
		TSNode a = ws->stack[i].node;
		if (ts_node_start_byte(a) != start || ts_node_end_byte(a) != end)
			break;
		if (ts_node_eq(a, node))
			return i;
	}
	return SIZE_MAX;
}

TSNode aa_walk_parent(const struct aa_walk_state *ws, TSNode node)
{
	if (!ws || ts_node_is_null(node))
		return ts_node_parent(node);
	size_t at = frame_of(ws, node);
	if (at == SIZE_MAX)
		return ts_node_parent(node);
	if (at == 0)
		return (TSNode){ 0 };
	*ws->last = at - 1;
	return ws->stack[at - 1].node;
}

bool aa_walk_enclosing_block(const struct aa_walk_state *ws, TSNode node, TSNode *block, TSNode *below)
{
	size_t at = ts_node_is_null(node) ? SIZE_MAX : frame_of(ws, node);
	if (at == SIZE_MAX)
		return false;
	uint32_t b = ws->stack[at].outer;
	*block = b == NO_FRAME ? (TSNode){ 0 } : ws->stack[b].node;
	*below = b == NO_FRAME ? (TSNode){ 0 } : ws->stack[b + 1].node;
	return true;
}

uint32_t aa_walk(const struct aa_parsed *parsed, const struct aa_syms *syms, const struct aa_walk_visitor *v)
{
	uint32_t n_scopes = 1;
	struct frame *stack = NULL;
	size_t cap = 0;
	size_t last = 0;
	struct aa_walk_state ws = { NULL, 0, &last };
	if (v->open_scope)
		v->open_scope(v->ud, ts_tree_root_node(parsed->segs[0].tree), AA_SCOPE_MODULE, 0, AA_NO_SCOPE);

	for (unsigned si = 0; si < parsed->n_segs; si++) {
		const struct aa_segment *seg = &parsed->segs[si];
		TSNode root = ts_tree_root_node(seg->tree);
		TSTreeCursor cur = ts_tree_cursor_new(root);
		size_t depth = 0;
		AA_GROW(stack, cap, 1);
		/* Every segment's root is the module: scope 0. */
		stack[0] = (struct frame){ 0, 0, false, false, NO_FRAME, root };
		ws = (struct aa_walk_state){ stack, 0, &last };
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
				stack[depth] = (struct frame){ 0, AA_NO_SCOPE, true, false, NO_FRAME, node };
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
			TSSymbol k = ts_node_symbol(node);
			bool block = kind >= 0 || k == syms->for_statement || k == syms->while_statement;
			uint32_t outer = parent->block ? (uint32_t)(depth - 1) : parent->outer;
			stack[depth] = (struct frame){ scope, inner, false, block, outer, node };
			ws = (struct aa_walk_state){ stack, depth, &last };
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
