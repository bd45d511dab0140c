/*
 * subtree.h: a bounded preorder walk over one node's subtree, for rules that look
 * around the node they check (the body of the enclosing function, a `with` block). A
 * TSTreeCursor and no recursion, whatever the depth; the visitor decides, per node,
 * whether to look inside it, skip it, or stop.
 */
#ifndef AA_SUBTREE_H
#define AA_SUBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

enum aa_visit {
	AA_VISIT_DESCEND, /* visit this node's children next */
	AA_VISIT_SKIP,    /* do not look inside this node */
	AA_VISIT_STOP,    /* end the walk */
};

/* Visits root (not a null node) and its descendants in preorder, anonymous nodes
 * included, calling visit (not NULL) with ud. Returns false when the walk ended early:
 * the visitor said STOP, or more than max_nodes nodes were visited (a file too large to
 * scan; callers treat it as "unknown"). Returns true when every node was seen. The
 * cursor's memory comes from tree-sitter's allocator (xalloc.h: exits when memory runs
 * out). */
bool aa_subtree_walk(TSNode root, size_t max_nodes, enum aa_visit (*visit)(void *ud, TSNode node), void *ud);

/* Visits root (not a null node) and every node below it in preorder, anonymous nodes
 * included, with no bound and no early end: visit(ud, node, parent), parent a null node
 * for root. For a rule that judges each identifier by its parent: ts_node_parent descends
 * from the tree's root at every call (quadratic over a long block). The parents are kept
 * on a heap stack (xalloc: exits when memory runs out). */
void aa_subtree_walk_parents(TSNode root, void (*visit)(void *ud, TSNode node, TSNode parent), void *ud);

#endif
