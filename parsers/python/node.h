/*
 * node.h: small questions about one syntax node that the model, the engine and the
 * rules all ask: whether its kind is a definition or a comprehension, its text, its
 * first child that is code, its `async` keyword, a with_item's context manager, a with
 * statement's items, the expression inside its parentheses, whether it sits in a nested
 * def, the try whose body holds it, and its nearest ancestor that is not a parenthesis.
 *
 * Every function is a pure function of its arguments (aa_node_with_items_next only
 * advances the iteration it is given): the node (and the tree it is in), the interned
 * kinds (syms.h) and the file's source text. None allocates; nodes and pointers
 * returned borrow from the tree or from the source text and live as long as they do.
 * Nodes passed must not be null (tree-sitter dereferences them) unless the function
 * says it accepts one. Thread-safe.
 */
#ifndef AA_NODE_H
#define AA_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "parsers/python/syms.h"

struct aa_walk_state; /* walk.h */

/* --- kinds ----------------------------------------------------------------------- */

/* True when k is a function_definition or a lambda and, when classes is true, a
 * class_definition: a definition whose body is a scope of its own (a def's or lambda's
 * runs when it is called, not where it stands). */
bool aa_kind_is_definition(const struct aa_syms *s, TSSymbol k, bool classes);

/* True when k is a list, tuple or set display, or a bare tuple (`a, b`: expression_list):
 * a value made of its elements. */
bool aa_kind_is_display(const struct aa_syms *s, TSSymbol k);

/* True when k is a list, set or dictionary comprehension or a generator expression, all
 * of which is a scope of its own (walk.h). */
bool aa_kind_is_comprehension(const struct aa_syms *s, TSSymbol k);

/* --- text ------------------------------------------------------------------------ */

/* n's source text (not NUL-terminated; borrowed from src) and its length in *len. src is
 * the whole file's text, the one n's tree was parsed from (positions are the file's,
 * in every segment: parse.h). */
const char *aa_node_text(const char *src, TSNode n, uint32_t *len);

/* True when n's text is exactly the len bytes at text. */
bool aa_node_text_is(const char *src, TSNode n, const char *text, uint32_t len);

/* True when the len bytes at t are exactly one of words (NULL-terminated). */
bool aa_text_in(const char *t, size_t len, const char *const *words);

/* True when a and b have the same text (`x` here and `x` there). */
bool aa_node_same_text(const char *src, TSNode a, TSNode b);

/* --- children -------------------------------------------------------------------- */

/* True when child is parent's child in field: aa_node_field_is(assign, s->f.right, v) is
 * true when v is the assignment's right-hand side. */
bool aa_node_field_is(TSNode parent, TSFieldId field, TSNode child);

/* n's first named child that is not a comment, or a null node. */
TSNode aa_node_first_code_child(const struct aa_syms *s, TSNode n);

/* Does root's subtree (root included) hold a node whose kind is one of kinds[0..n_kinds)?
 * Nested definitions and lambdas below root are not looked into (a kind among kinds is
 * still matched on them first). A subtree of more than max_nodes nodes answers true: the
 * callers' "may". Syntax only; never fails. */
bool aa_node_holds_kind(const struct aa_syms *s, TSNode root, const TSSymbol *kinds, size_t n_kinds,
			size_t max_nodes);

/* Does root's subtree, nested definitions and lambdas aside, hold a suspension point: an
 * await, `async for`, `async with` or async comprehension clause (async_syntax.h)? More
 * than 200,000 nodes answers true. Syntax only; never fails. */
bool aa_node_holds_async(const struct aa_syms *s, TSNode root);

/* True when one of n's first two children is the `async` keyword: n is an `async def`,
 * `async with`, `async for` or a comprehension's `async for` clause. */
bool aa_node_has_async_keyword(const struct aa_syms *s, TSNode n);

/* The context manager of a with_item: its value without the `as` target (`open(p)` of
 * `with open(p) as f:`), or a null node when it has none. */
TSNode aa_node_with_item_value(const struct aa_syms *s, TSNode item);

/* --- the items of a with statement ----------------------------------------------- */

/* Where aa_node_with_items() looks for a with_statement's with_clause (the grammar gives
 * a statement exactly one). The two differ only when a line continuation stands before
 * the clause (`with \` and the items on the next line): the line_continuation is then
 * the statement's first named child. Both are kept because rules written with each
 * answer differently there, and their findings must not change. */
enum aa_with_clause {
	AA_WITH_CLAUSE_FIRST, /* the first named child, when it is the clause (none after `with \`) */
	AA_WITH_CLAUSE_ANY,   /* the clause, wherever it stands among the named children */
};

/* An iteration over a with_statement's items, made by aa_node_with_items(). A value on
 * the stack; it allocates nothing and borrows the tree. */
struct aa_with_items {
	const struct aa_syms *s; /* borrowed */
	TSNode clause;           /* a null node when there is no clause where asked */
	uint32_t next, count;    /* the clause's next named child to look at, and how many it has */
};

/* Starts an iteration over the with_items of with (a with_statement), its clause found
 * as how says: `for (it = aa_node_with_items(s, w, how); aa_node_with_items_next(&it,
 * &value);)`. */
struct aa_with_items aa_node_with_items(const struct aa_syms *s, TSNode with, enum aa_with_clause how);

/* The context manager (aa_node_with_item_value) of the next with_item in *value, in
 * source order; false when there is none left. Comments and line continuations among
 * the items, and an item without a value, are passed over. */
bool aa_node_with_items_next(struct aa_with_items *it, TSNode *value);

/* --- down through parentheses ---------------------------------------------------- */

/* Which child of a parenthesized_expression aa_node_unparen() steps into. The
 * kinds differ only when a comment stands inside the parentheses, `(  # why\n  x)`. */
enum aa_unparen {
	AA_UNPAREN_FIRST,  /* the first named child, even a comment */
	AA_UNPAREN_CODE,   /* the first named child that is not a comment */
	AA_UNPAREN_SOLE,   /* the only named child; a parenthesis holding a comment too is kept */
};

/* The expression inside n's parentheses, however many: n itself unless it is a
 * parenthesized_expression, else the same of the child `how` says. Loops, one level a
 * step, so it ends at a leaf at the latest. n may be null (then so is the result). */
TSNode aa_node_unparen(const struct aa_syms *s, TSNode n, enum aa_unparen how);

/* As aa_node_unparen, but at most max_levels parentheses deep (the result may then
 * still be a parenthesized_expression). */
TSNode aa_node_unparen_at_most(const struct aa_syms *s, TSNode n, enum aa_unparen how, unsigned max_levels);

/* --- ancestors ------------------------------------------------------------------- */

/* True when a function_definition or lambda (and, when classes is true, a
 * class_definition) stands between n and its ancestor stop, both excluded (up to the
 * root when stop is not an ancestor): n runs in a nested scope. Climbs with
 * ts_node_parent. */
bool aa_node_in_nested_def(const struct aa_syms *s, TSNode n, TSNode stop, bool classes);

/* The nearest try_statement above n whose body (not a handler, `else` or `finally`)
 * holds n, or a null node. The climb stays in n's function: it stops at a
 * function_definition or lambda and, when classes is true, at a class_definition. Pass
 * the try found as n to look further out. ws as for aa_node_parent_unparen below. */
TSNode aa_node_try_around(const struct aa_syms *s, const struct aa_walk_state *ws, TSNode n, bool classes);

/* --- up through parentheses ------------------------------------------------------ */

/* n's nearest ancestor that is neither a parenthesized_expression nor of a kind in
 * also[0 .. n_also) (also may be NULL when n_also is 0), or a null node above the root.
 * *child (when child is not NULL) receives the node below that ancestor on the way up:
 * n itself, or the outermost node passed. ws, when not NULL, is the walker's position
 * (walk.h); it only makes the parents cheaper to find (aa_walk_parent), never different. */
TSNode aa_node_parent_unparen(const struct aa_syms *s, const struct aa_walk_state *ws, TSNode n,
			      const TSSymbol *also, size_t n_also, TSNode *child);

#endif
