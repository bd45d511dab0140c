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
