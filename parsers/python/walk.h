/*
 * walk.h: the one traversal of a parsed file, shared by the model builder (pass 1) and
 * the rule dispatcher (pass 2), so both see the same nodes with the same scopes.
 *
 * Preorder over every segment (see parse.h), with a TSTreeCursor and a heap stack: no C
 * recursion, whatever the nesting depth. Skipped, with their subtrees: ERROR and MISSING
 * nodes, and nodes outside their segment. Scopes follow Python: a `def` opens a scope
 * for its body only (decorators, defaults and annotations belong to the enclosing
 * scope), a `lambda` for its body, a class for its body, a comprehension for all of it.
 * Scope ids are assigned in preorder, so two walks of the same file agree.
 */
#ifndef AA_WALK_H
#define AA_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "parsers/python/parse.h"
#include "parsers/python/syms.h"

#define AA_NO_SCOPE UINT32_MAX

enum aa_scope_kind {
	AA_SCOPE_MODULE,
	AA_SCOPE_CLASS,
	AA_SCOPE_FUNCTION, /* def and async def */
	AA_SCOPE_LAMBDA,
	AA_SCOPE_COMPREHENSION,
};

/* The walker's position, valid during an enter() call: the ancestors of the node being
 * visited, nearest last. Lets visitors find parents without ts_node_parent, which
 * tree-sitter computes by descending from the root. */
struct aa_walk_state;

/* The ancestor `up` levels above the visited node (0 = the node, 1 = its parent), or
 * a null node above the segment's root. ws is valid (during the enter() call that was
 * given it). */
TSNode aa_walk_ancestor(const struct aa_walk_state *ws, unsigned up);

/* node's parent, as ts_node_parent gives it, but read from the walker's stack when node
 * is the visited node or one of its ancestors, in O(log depth) (ts_node_parent descends
 * from the root every time: a climb through n levels with it costs n^2). ws is NULL
 * (then it is ts_node_parent) or valid (during the enter() call that was given it). */
TSNode aa_walk_parent(const struct aa_walk_state *ws, TSNode node);

/* Finds the nearest ancestor of node that opens a scope (a def, lambda, class or
 * comprehension) or is a `for` or `while` statement: *block receives it (a null node when
 * there is none) and *below its child on the way down to node (null likewise). O(1)
 * for the visited node and its parent, O(log depth) for its other ancestors. Returns
 * false, and sets nothing, when node is not the visited node nor one of its ancestors. */
bool aa_walk_enclosing_block(const struct aa_walk_state *ws, TSNode node, TSNode *block, TSNode *below);

struct aa_walk_visitor {
	void *ud;
	/* A scope-opening node was reached. Returns nothing; ids are implicit (preorder
	 * count: module = 0). Called before enter() for that node. May be NULL. */
	void (*open_scope)(void *ud, TSNode node, enum aa_scope_kind kind, uint32_t id, uint32_t parent);
	/* Every visited node, in preorder. `scope` is the scope the node is evaluated in;
	 * `inner` is the scope the node opens (AA_NO_SCOPE if none). ws is valid during this
	 * call only. May be NULL. */
	void (*enter)(void *ud, TSNode node, uint32_t scope, uint32_t inner, const struct aa_walk_state *ws);
	/* After a node's subtree. May be NULL. */
	void (*leave)(void *ud, TSNode node, uint32_t scope);
};

/* Walks parsed (at least one segment, as aa_parse makes it) calling v's functions;
 * returns the number of scopes opened (module included). The walker's stack is on the
 * heap (xalloc.h: exits when memory runs out) and freed on return. */
uint32_t aa_walk(const struct aa_parsed *parsed, const struct aa_syms *syms, const struct aa_walk_visitor *v);

/* The scope kind node (not a null node) opens, or -1. */
int aa_walk_scope_kind(const struct aa_syms *syms, TSNode node);

#endif
