/*
 * call_args.h: a call's arguments, found from the syntax tree alone (no name
 * resolution), for the rule API (analyzer/check/context.h's aa_call_arg) and for facts
 * computed next to the model (analyzer/facts/bindings.h). Pure; thread-safe.
 */
#ifndef AA_CALL_ARGS_H
#define AA_CALL_ARGS_H

#include <tree_sitter/api.h>

#include "parsers/python/syms.h"

/* The argument of call (a `call` node) at position index (0-based, positional only; -1
 * to skip) or named keyword (NUL-terminated, NULL to skip); a null node when absent or
 * when the call's arguments are a bare generator (`f(x for x in y)`). Positional
 * arguments after a *splat are not counted (their positions are unknown). s: the
 * interned grammar; text: the source text the tree was parsed from, read only to compare
 * keyword names (may be NULL when keyword is). The node is valid while the tree is. */
TSNode aa_call_args_find(const struct aa_syms *s, const char *text, TSNode call, int index, const char *keyword);

#endif
