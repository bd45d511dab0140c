/*
 * modmap.h: which module each analyzed file is, and which file a module name is.
 *
 * A file's module name follows the packages above it: walking up while the directory
 * holds an __init__.py, `src/app/db.py` with `src/app/__init__.py` is "app.db" (so `src/`
 * layouts need nothing special) and `app/__init__.py` is the package "app". A file
 * also answers to its name relative to the command-line root that found it, so
 * namespace packages (no __init__.py) resolve too: `check .` over `ns/db.py` makes
 * "ns.db" findable. A name two files claim is ambiguous and resolves to nothing: what
 * cannot be known is not guessed.
 *
 * Built once, on the main thread, after discovery; then read-only and shared.
 */
#ifndef AA_MODMAP_H
#define AA_MODMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/input/discover.h"

struct aa_modmap;

/* Builds the map of files[0..n) (borrowed: they must outlive the map), found from the
 * command-line roots[0..n_roots) (borrowed for the call). src[0..n_src) (borrowed for
 * the call; in the form of the files' paths, no trailing '/') are the configured package
 * roots: a file under one is named from it ("src/pkg/db.py" is "pkg.db" even when src/
 * holds an __init__.py), the first that holds it winning. Stats __init__.py once per
 * directory; a stat that fails counts as no __init__.py. Caller frees with
 * aa_modmap_free. Allocation failure exits (xalloc.h). */
struct aa_modmap *aa_modmap_build(const struct aa_discovered_file *files, size_t n, const char *const *roots,
				  size_t n_roots, const char *const *src, size_t n_src);
/* Frees the map and its names (NULL is a no-op). */
void aa_modmap_free(struct aa_modmap *map);

/* The module name of file (below n; "pkg.db"; owned by the map) and, in *is_package
 * (not NULL), whether it is a package's __init__. */
const char *aa_modmap_module(const struct aa_modmap *map, size_t file, bool *is_package);

/* Where file's path (as discovery shows it) continues below the command-line directory
 * that found it: "scripts/job.py" of "/ws/scripts/job.py" found under "/ws", 0 under ".";
 * SIZE_MAX when no directory named on the command line holds it (a file named itself). */
size_t aa_modmap_below_root(const struct aa_modmap *map, size_t file);

/* The file whose module is name[0..len) (no terminator needed), or -1 when none or
 * ambiguous. */
long aa_modmap_find(const struct aa_modmap *map, const char *name, size_t len);

/* True when some analyzed module's first component is name[0..len) ("pkg" for
 * "pkg.db") and it is not a standard library module (analyzed or not, the standard
 * library is never project code): only names under those can be project code. */
bool aa_modmap_has_project_top(const struct aa_modmap *map, const char *name, size_t len);

#endif
