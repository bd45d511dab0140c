/*
 * context.h: the files a run reads without reporting them (`check --context PATH`).
 *
 * Checking a few files of a project (a pre-commit hook passes the staged ones) must give
 * the findings a whole-project run gives for them: a blocking call behind a helper in an
 * unchanged module (AA109), a coroutine of another module called without `await`
 * (AA201). The context paths are walked as the command line's are (same noise list,
 * same excludes); their files join the run, so the project index and the on-demand
 * rounds see them, and the engine drops every finding located in them.
 */
#ifndef AA_CONTEXT_H
#define AA_CONTEXT_H
#include <stddef.h>
#include "analyzer/input/discover.h"

/* Walks paths[0..n_paths) with excludes[0..n_excludes) (as aa_discover; borrowed for the
 * call) and adds to d each readable file that d does not list already, with context set.
 * A file is the same as one of d's by identity (device and inode), whatever its path, so
 * a file both named and under a context path is reported. An entry the walk cannot read
 * (a dangling link, an unreadable directory) is left out: it would be reported nowhere.
 * A context path that does not exist is added to d->errors (exit 2, as for a named one).
 * d stays sorted by path. Allocation failure exits (xalloc.h). */
void aa_discovery_add_context(struct aa_discovery *d, const char *const *paths, size_t n_paths,
			      const char *const *excludes, size_t n_excludes);

/* The order of struct aa_discovery's files (strcmp of paths), for qsort and bsearch over
 * struct aa_discovered_file: a finding's file is found by its path. */
int aa_discovered_file_cmp(const void *a, const void *b);

#endif
