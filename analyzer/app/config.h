/*
 * config.h: the configuration files (docs/configuration.md): finding the one that
 * applies to a file, reading and checking it, and merging it with the command line.
 *
 * A configuration file is `.async-analyzer.toml` or `async-analyzer.toml` (keys at the
 * top level) or a `pyproject.toml` holding `[tool.async-analyzer]` (keys there; one
 * without that table is passed over). The closest one above a file's directory applies
 * to it (Ruff's hierarchical configuration); in one directory the names win in that
 * order. --config FILE makes one file apply to all, --isolated none. Keys and their types
 * come from the option table (cli.h). Files are read with parsers/toml.
 *
 * Errors (TOML syntax, an unknown key, a wrong type, an unknown rule, a bad value) are
 * collected as "FILE:LINE:COL: message" strings; the run exits 2 when there is one.
 * Not thread-safe: one thread uses a struct aa_configs (`check`'s main thread: discovery's
 * filter and the post-run pass; the language server's analyst thread, through
 * app/server_config.h). Allocation failure exits (xalloc.h).
 */
#ifndef AA_CONFIG_H
#define AA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/app/cli.h"
#include "analyzer/base/map.h"
#include "analyzer/check/diag.h"
#include "analyzer/check/rule.h"
#include "analyzer/check/settings.h"
#include "analyzer/input/discover.h"

/* A glob and the rule selectors it drops (per-file-ignores). */
struct aa_config_pfi {
	char *glob;                /* owned; relative to the configuration's directory */
	const char **codes;        /* owned array of strings owned by the config; n_codes */
	size_t n_codes;
};

/* One configuration file, or the command line's settings (path NULL). */
struct aa_resolved;

struct aa_config {
	char *path;                 /* owned; as found (display), or NULL for the command line */
	char *dir;                  /* owned; absolute directory its globs and paths are relative to */
	bool set[AA_OPT_COUNT];     /* the key is set here */
	uint32_t line[AA_OPT_COUNT], col[AA_OPT_COUNT]; /* where each set key is written */
	/* The list-valued keys, NULL-terminated (owned arrays of owned strings), by option */
	char **lists[AA_OPT_COUNT];
	size_t n_lists[AA_OPT_COUNT];
	struct aa_config_pfi *pfi[AA_OPT_COUNT]; /* per-file-ignores and extend-..., n_pfi */
	size_t n_pfi[AA_OPT_COUNT];
	signed char *severity;      /* owned; per aa_rules[]: -1 unset, else an enum aa_severity */
	unsigned jobs, target_version;
	int format;                 /* an enum aa_format when set */
	bool flags[AA_OPT_COUNT];   /* the boolean keys' values, by option */
	struct aa_resolved *resolved; /* owned; made by aa_configs_resolve on first use */
};

/* What one file is analyzed with: a configuration merged with the command line. */
struct aa_resolved {
	const struct aa_config *file; /* borrowed; the configuration file, or NULL */
	bool *enabled;                /* owned; per aa_rules[] */
	struct aa_file_settings settings; /* its lists borrowed from the configs */
	/* Each option's origin: the file (1), the command line (2) or the default (0). */
	unsigned char origin[AA_OPT_COUNT];
};

struct aa_configs {
	const struct aa_cli *cli;   /* borrowed */
	char *cwd;                  /* owned; absolute */
	struct aa_config cli_config; /* the command line's keys */
	struct aa_config **files;   /* owned; every configuration file read */
	size_t n_files, files_cap;
	struct aa_resolved *none;   /* owned; the settings of files without a configuration */
	/* directory (absolute) -> index into files, or NO_CONFIG (config.c) */
	struct aa_map by_dir;
	char **dirs;                /* owned; the map's keys */
	size_t n_dirs, dirs_cap;
	char *last_dir;             /* owned; the last directory asked, and its answer */
	uint32_t last_answer;
	char *shown_dir;            /* owned; the same for the last path's directory as written */
	size_t shown_dir_len;
	uint32_t shown_answer;
	char *listed_dir;           /* owned; absolute: the directory discovery listed last */
	unsigned listed_found;      /* and the configuration names it holds */
	int forced;                 /* --config's index, -1 when none */
	struct aa_ruff_configs *ruff; /* owned; the Ruff configurations read (made on first use) */
	char **errors;              /* owned; "FILE:LINE:COL: message" */
	size_t n_errors, errors_cap;
};

/* Sets up configs for cli (borrowed: must outlive configs): reads --config's file when
 * given. Returns 0, or -1 when the command line's settings are invalid (errors
 * collected). Release with aa_configs_release either way. */
int aa_configs_init(struct aa_configs *configs, const struct aa_cli *cli);
void aa_configs_release(struct aa_configs *configs);

/* The configuration file that applies to path (a file or directory path as discovery
 * shows it: relative to the current directory, or absolute), or NULL for none. Reads
 * the files it meets (once each); their errors are collected. */
const struct aa_config *aa_configs_for(struct aa_configs *configs, const char *path);

/* The configuration file that applies to the files of dir (a directory, relative to
 * the current directory or absolute), or NULL. */
const struct aa_config *aa_configs_for_dir(struct aa_configs *configs, const char *dir);

/* Where the value of option id comes from for a file under cfg (NULL: none): the
 * command line's settings when the flag was given, else cfg when it sets the key, else
 * NULL (the default). */
/* A boolean key's value when nothing sets it: respect-gitignore is on, the others off. */
bool aa_config_flag_default(enum aa_opt id);

const struct aa_config *aa_configs_source(const struct aa_configs *configs, const struct aa_config *cfg,
					  enum aa_opt id);

/* The settings a file under config (NULL: none) is analyzed with: made on first use,
 * owned by configs. Invalid selections are collected as errors (then NULL). */
const struct aa_resolved *aa_configs_resolve(struct aa_configs *configs, const struct aa_config *config);

/* The names of configuration files, in the order they win within one directory
 * (NULL-terminated; static): discovery reports which a walked directory holds. */
extern const char *const aa_config_names[];

/* Discovery's report that dir (a directory as discovery shows it) holds the names
 * aa_config_names[i] whose bits (1 << i) are set in found: its configuration is then
 * found without a stat. */
void aa_configs_listed(struct aa_configs *configs, const char *dir, unsigned found);

/* Discovery's filter: true when path (a directory when is_dir) is excluded by the
 * exclude and extend-exclude keys of the configuration that applies to it. */
bool aa_configs_excluded(struct aa_configs *configs, const char *path);

/* The run-wide respect-gitignore of a run in dir (a directory, relative to the current
 * directory or absolute): the command line's, else dir's configuration's, else true. */
bool aa_configs_respect_gitignore(struct aa_configs *configs, const char *dir);

/* Discovery's options for a run under configs (borrowed: must outlive the discovery): the
 * exclude and extend-exclude keys of the configuration that applies to each path, the
 * configuration names reported as directories are listed (aa_configs_listed), and git's
 * ignore rules when respect_gitignore. */
struct aa_discover_opts aa_configs_discover_opts(struct aa_configs *configs, bool respect_gitignore);

/* The command line's --exclude and --extend-exclude globs (relative to the current
 * directory; the files' are the filter's), in *out (an owned array of borrowed strings,
 * NULL-terminated; NULL when none). Returns how many. */
size_t aa_configs_cli_excludes(const struct aa_configs *configs, const char ***out);

/* Drops the findings of diags that their file's selection or per-file-ignores leave out
 * (the engine ran the union of every file's rules) and sets the configured severities;
 * the order of those kept is unchanged. `check` and the language server alike. */
void aa_configs_apply(struct aa_configs *configs, struct aa_diag_list *diags);

/* True when one of r's per-file-ignores drops rule in the file at path. */
bool aa_resolved_ignores(const struct aa_configs *configs, const struct aa_resolved *r, const char *path,
			 const struct aa_rule *rule);

/* The package roots (src) of the command line, else of every configuration file read,
 * each resolved against its file's directory, in the forms discovery's paths take
 * (relative to the current directory when under it, and absolute): appended to *out
 * (owned strings; a grown array of *n). */
void aa_configs_src(const struct aa_configs *configs, char ***out, size_t *n);

/* Prints the settings of r (for path) and where each came from (--show-settings). */
void aa_resolved_print(const struct aa_configs *configs, const struct aa_resolved *r, const char *path, FILE *out);

#endif
