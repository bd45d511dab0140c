#include <stdlib.h>

#include "analyzer/base/xalloc.h"
#include "parsers/python/subtree.h"

bool aa_subtree_walk(TSNode root, size_t max_nodes, enum aa_visit (*visit)(void *ud, TSNode node), void *ud)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	size_t visited = 0;
	bool complete = true;
	for (;;) {
		if (++visited > max_nodes) {
			complete = false;
			break;
		}
		enum aa_visit v = visit(ud, ts_tree_cursor_current_node(&cur));
		if (v == AA_VISIT_STOP) {
			complete = false;
			break;
		}
		if (v == AA_VISIT_DESCEND && ts_tree_cursor_goto_first_child(&cur))
			continue;
		/* Next sibling, or the next sibling of the nearest ancestor that has one; the
		 * cursor cannot climb above root. */
		bool moved = false;
		while (!moved && !(moved = ts_tree_cursor_goto_next_sibling(&cur)))
			if (!ts_tree_cursor_goto_parent(&cur))
				break;
		if (!moved)
			break;
	}
	ts_tree_cursor_delete(&cur);
	return complete;
}

void aa_subtree_walk_parents(TSNode root, void (*visit)(void *ud, TSNode node, TSNode parent), void *ud)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	TSNode *up = NULL; /* owned; up[depth - 1] is the current node's parent */
	size_t depth = 0, cap = 0;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		visit(ud, n, depth ? up[depth - 1] : (TSNode){ 0 });
		if (ts_tree_cursor_goto_first_child(&cur)) {
			AA_GROW(up, cap, depth + 1);
			up[depth++] = n;
			continue;
		}
		bool moved = false;
		while (!moved && !(moved = ts_tree_cursor_goto_next_sibling(&cur))) {
			if (!ts_tree_cursor_goto_parent(&cur))
				break;
			depth--;
		}
		if (!moved)
			break;
	}
	free(up);
	ts_tree_cursor_delete(&cur);
}
