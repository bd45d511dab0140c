/*
 * discover.h: turn the command line's paths into the list of files to analyze.
 *
 * Directories are walked recursively (iteratively: no C recursion) for *.py and *.pyi,
 * skipping the built-in noise directories (.git .hg .svn .venv venv .tox .nox
 * __pycache__ node_modules build dist *.egg-info site-packages, and any directory that
 * holds a pyvenv.cfg) and honouring --exclude globs. The noise list never filters a path
 * named on the command line; --exclude does, even for files named one by one.
 * Glob syntax: fnmatch(3)'s within a component (`*` and `?` stop at '/', `[...]` classes,
 * backslash escapes), and a component that is exactly `**` matches any number of
 * directories (git's rule; `**` inside a component is `*`); a pattern without '/'
 * matches any single path component; patterns are matched against the path relative to
 * the current directory (a leading "./" ignored) and against each of its parent
 * directories' paths.
 *
 * Symbolic links (docs/files.md): a link named on the command line is followed. While
 * walking, a link to a file is listed under the link's path; a link to a directory is
 * walked, after the real directories, only when its target lies inside the command-line
 * root it was met under (both resolved with realpath): a link that leads out of the root
 * ("up -> ..", "/usr/lib") is not followed. A link whose target does not exist or that
 * cannot be resolved (a loop) is listed with the reason, like a sub-directory that cannot
 * be read: the per-file stage reports them (AA002).
 *
 * No file is listed twice (identity by device + inode; the real path wins over links),
 * directory loops terminate, and the result is sorted by path, so discovery is
 * deterministic.
 */
#ifndef AA_DISCOVER_H
#define AA_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

struct aa_discovered_file {
	char *path; /* owned; display path: as reachable from the command-line argument,
		       '/'-separated, "./" prefix dropped ("src/app/db.py") */
	/* owned; NULL for an entry to read, else why it cannot be read, reported as AA002:
	 * "dangling symbolic link: ...", "symbolic link loop: ...", "cannot read directory:
	 * Permission denied" */
	char *unreadable;
	bool directory; /* a sub-directory that cannot be read (unreadable is set): no module */
	bool context;   /* read for the cross-file rules only, never reported (context.h) */
};

struct aa_discovery {
	struct aa_discovered_file *files; /* owned; sorted by path */
	size_t len, cap;
	char **errors; /* owned; messages for paths named on the command line that do not
			  exist ("path 'x' does not exist") or are directories that cannot be
			  read: the caller exits 2 */
	size_t n_errors, errors_cap;
};

/* Walks paths[0..n_paths) honouring excludes[0..n_excludes) (NUL-terminated strings,
 * borrowed for the call; excludes may be NULL when n_excludes is 0). Always fills out,
 * which need not be initialised (it is overwritten), possibly with errors only; out
 * must be released with aa_discovery_release. Reads the current directory (getcwd) to
 * match absolute excludes: do not change it meanwhile. Allocation failure exits. */
void aa_discover(const char *const *paths, size_t n_paths, const char *const *excludes,
		 size_t n_excludes, struct aa_discovery *out);
/* What else decides which paths are left out, beside the excludes. */
struct aa_discover_opts {
	/* When set: called for each path met while walking (sub-directories, Python files)
	 * and each path named, with its display path; true leaves it out (a directory is not
	 * walked). ud is passed through. */
	bool (*skip)(void *ud, const char *path, bool is_dir);
	void *ud;
	/* When set: called for each directory walked, once its entries are read and before
	 * any of them is passed to skip, with the bits (1 << i) of the names markers[i]
	 * (NULL-terminated, at most 31) it holds: the caller learns what it would otherwise
	 * stat for. */
	void (*listed)(void *ud, const char *dir, unsigned markers_found);
	const char *const *markers;
	/* Leave out what git ignores (.gitignore files, .git/info/exclude, core.excludesFile,
	 * read with libgit2: gitignore.h) under a root that lies in a git work tree, while
	 * walking; paths named on the command line are kept. */
	bool respect_gitignore;
};

/* aa_discover with opts (borrowed for the call; NULL as aa_discover). */
void aa_discover_with(const char *const *paths, size_t n_paths, const char *const *excludes, size_t n_excludes,
		      const struct aa_discover_opts *opts, struct aa_discovery *out);

/* Frees what d owns and leaves it empty (releasing it again is safe). */
void aa_discovery_release(struct aa_discovery *d);

/* Glob match as described above (exposed for tests and for --exclude on stdin paths).
 * pattern and path are NUL-terminated; path is relative, '/'-separated. */
bool aa_glob_match(const char *pattern, const char *path);
/* True when any exclude pattern matches path or one of its parent directories (a
 * leading "./" of path ignored). excludes as for aa_discover. */
bool aa_path_excluded(const char *path, const char *const *excludes, size_t n_excludes);

#endif
