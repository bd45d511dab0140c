/*
 * gitignore.h: what git ignores, with git's own semantics, by libgit2 (Debian's
 * libgit2-dev): every .gitignore from the work tree's top down to the path (negation
 * `!`, directory-only `foo/`, anchored `/foo`, `**`), .git/info/exclude and the global
 * excludes file (core.excludesFile, or $XDG_CONFIG_HOME/git/ignore). No hand-written
 * approximation: libgit2 reads the files and matches them.
 *
 * One aa_gitignore per discovery run, on one thread. A directory outside any git work
 * tree (or a bare repository) has no repository: nothing is ignored there, and finding
 * that out costs a stat per directory level above it (libgit2 is not even started).
 */
#ifndef AA_GITIGNORE_H
#define AA_GITIGNORE_H

#include <stdbool.h>

struct aa_gitignore;

/* Opens the repository whose work tree holds dir (an existing directory; its real path,
 * as realpath gives it), or returns NULL when there is none or libgit2 cannot open it.
 * Free with aa_gitignore_free. */
struct aa_gitignore *aa_gitignore_open(const char *dir);
/* True when git ignores abs (an absolute path under the work tree, symbolic links
 * resolved; is_dir: a directory). False on any libgit2 failure and for paths outside the
 * work tree. */
bool aa_gitignore_ignored(struct aa_gitignore *g, const char *abs, bool is_dir);
/* Frees g (NULL is a no-op). */
void aa_gitignore_free(struct aa_gitignore *g);

#endif
