/*
 * names.h: small facts about Python's dotted names, shared by the model, the module
 * map and the import scanner.
 */
#ifndef AA_NAMES_H
#define AA_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/base/buf.h"

/* The absolute module a relative import names, as importlib resolves it: rel[0..len)
 * is ".x", "..pkg.y" or "." (leading dots, then a dotted name, blanks allowed after the
 * dots) written in module `module` (a package's __init__ when is_package). Writes it to
 * out (an initialised buffer, reset first) and returns true; false when it climbs above
 * the top package (out then holds nothing useful). A name without leading dots is
 * copied as is. module is NUL-terminated; rel needs no terminator. Allocation failure
 * exits (xalloc.h). */
bool aa_names_resolve_relative(const char *module, bool is_package, const char *rel, size_t len, struct aa_buf *out);

/* Binary search of name[0..len) (no terminator needed) in names[0..n), NUL-terminated
 * strings sorted by strcmp. */
bool aa_names_sorted_contains(const char *const *names, size_t n, const char *name, size_t len);

#endif
