/*
 * node.h: small questions about one syntax node that the model, the engine and the
 * rules all ask: its text.
 *
 * Every function is a pure function of its arguments: the node (and the tree it is in),
 * the interned kinds (syms.h) and the file's source text. None allocates; nodes and
 * pointers returned borrow from the tree or from the source text and live as long as
 * they do. A null node is accepted wherever a node is, unless stated otherwise.
 */
#ifndef AA_NODE_H
#define AA_NODE_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/* --- text ------------------------------------------------------------------------ */

/* n's source text (not NUL-terminated; borrowed from src) and its length in *len. src is
 * the whole file's text, the one n's tree was parsed from (positions are the file's,
 * in every segment: parse.h). n must not be null. */
const char *aa_node_text(const char *src, TSNode n, uint32_t *len);

/* True when n's text is exactly the len bytes at text. n must not be null. */
bool aa_node_text_is(const char *src, TSNode n, const char *text, uint32_t len);

/* True when a and b have the same text (`x` here and `x` there). Neither may be null. */
bool aa_node_same_text(const char *src, TSNode a, TSNode b);

#endif
