/*
 * wsconfig.h: the workspace's configuration files, as the language server asks for them.
 *
 * The configuration code is the command line's (analyzer/app/config.c, a layer above the
 * server), and an open document must be analyzed with exactly the settings `check` gives
 * its file. So the server does not read configuration files itself: app hands it this
 * table of functions (app/server_config.h), which answer with `check`'s own code, as
 * discovery is handed its exclude filter.
 *
 * A reading is one pass over the configuration files, made by load: the files it meets
 * later (while discovering, for a document outside the workspace) are read into it on
 * first use, and their errors join its list. Not thread-safe: the analyst thread alone
 * calls these functions. Allocation failure exits.
 */
#ifndef AA_WSCONFIG_H
#define AA_WSCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/check/diag.h"
#include "analyzer/check/settings.h"
#include "analyzer/input/discover.h"

struct aa_wsconfig; /* a reading: the implementation's */

struct aa_wsconfig_ops {
	void *ud; /* borrowed; passed to load */
	/* A new reading of the configuration files; with defaults, of none: the command
	 * line's settings alone (never erroneous: the server checks them before it starts).
	 * Never NULL. Free with free_reading (NULL: nothing). */
	struct aa_wsconfig *(*load)(void *ud, bool defaults);
	void (*free_reading)(struct aa_wsconfig *c);
	/* The errors found so far, each "FILE:LINE:COL: message" as `check` prints it, in
	 * *out (borrowed: valid until the next call on c); returns how many. */
	size_t (*errors)(const struct aa_wsconfig *c, const char *const **out);
	/* The files of root (an absolute directory) as `check root` chooses them (its
	 * configurations' excludes, git's ignore rules), into out (need not be initialised;
	 * release with aa_discovery_release). */
	void (*discover)(struct aa_wsconfig *c, const char *root, struct aa_discovery *out);
	/* The package roots (src) that name modules, appended to *out (owned strings; a grown
	 * array of *n), as aa_modmap_build takes them. */
	void (*src)(const struct aa_wsconfig *c, char ***out, size_t *n);
	/* What the file at path (absolute) is analyzed with: its settings, and in *enabled its
	 * rules (one entry per aa_rules[]); both borrowed from c. NULL (and *enabled NULL)
	 * when its configuration excludes the file: it gets no findings. */
	const struct aa_file_settings *(*file)(struct aa_wsconfig *c, const char *path, const bool **enabled);
	/* Drops the findings of diags that their file's configuration leaves out (the engine
	 * ran the union of the files' rules) and sets the configured severities. */
	void (*apply)(struct aa_wsconfig *c, struct aa_diag_list *diags);
	/* borrowed; the command line's blocking calls (AA110's engine-wide list),
	 * NULL-terminated */
	const char *const *blocking_calls;
};

#endif
