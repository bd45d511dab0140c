/*
 * cli.h: the command line, parsed into options. Parsing never exits: usage errors come
 * back as a message for main to print (exit 2).
 *
 * Every flag and every configuration-file key is one row of the option table
 * (aa_options[], cli.c): the parser matches flags by it, `--help` and the Markdown page
 * docs/configuration.md (`async-analyzer help configuration`, written by
 * tools/gen-docs.sh and checked by tests/t_docs.py) are printed from it, and the
 * configuration reader (config.h) takes its keys and their types from it.
 */
#ifndef AA_CLI_H
#define AA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analyzer/report/emit.h"

enum aa_command { AA_CMD_CHECK, AA_CMD_RULE, AA_CMD_SERVER, AA_CMD_HELP, AA_CMD_HELP_CONFIG, AA_CMD_VERSION };
enum aa_color_mode { AA_COLOR_AUTO, AA_COLOR_ALWAYS, AA_COLOR_NEVER };

/* One row per flag or key. The order of the rows is the order of --help and of the
 * page. */
enum aa_opt {
	AA_OPT_SELECT,
	AA_OPT_EXTEND_SELECT,
	AA_OPT_IGNORE,
	AA_OPT_PER_FILE_IGNORES,
	AA_OPT_EXTEND_PER_FILE_IGNORES,
	AA_OPT_SEVERITY,
	AA_OPT_BLOCKING_CALLS,
	AA_OPT_TRANSPARENT_DECORATORS,
	AA_OPT_TARGET_VERSION,
	AA_OPT_REPORT_IN_TESTS,
	AA_OPT_EXCLUDE,
	AA_OPT_EXTEND_EXCLUDE,
	AA_OPT_RESPECT_GITIGNORE,
	AA_OPT_NO_RESPECT_GITIGNORE,
	AA_OPT_RESPECT_RUFF_IGNORES,
	AA_OPT_NO_RESPECT_RUFF_IGNORES,
	AA_OPT_SRC,
	AA_OPT_STDIN_FILENAME,
	AA_OPT_CONTEXT,
	AA_OPT_SHOW_FILES,
	AA_OPT_CONFIG,
	AA_OPT_ISOLATED,
	AA_OPT_SHOW_SETTINGS,
	AA_OPT_FORMAT,
	AA_OPT_OUTPUT,
	AA_OPT_COLOR,
	AA_OPT_STATISTICS,
	AA_OPT_EXIT_ZERO,
	AA_OPT_QUIET,
	AA_OPT_WRITE_BASELINE,
	AA_OPT_BASELINE,
	AA_OPT_FIX,
	AA_OPT_DIFF,
	AA_OPT_UNSAFE_FIXES,
	AA_OPT_ADD_NOQA,
	AA_OPT_JOBS,
	AA_OPT_TIMINGS,
	AA_OPT_HELP,
	AA_OPT_VERSION,
	AA_OPT_COUNT
};

/* What a key's value is in a configuration file (and how a flag's value is checked). */
enum aa_opt_type {
	AA_TYPE_SWITCH,    /* a flag without a value; no key */
	AA_TYPE_BOOL,      /* key: true or false */
	AA_TYPE_SELECTORS, /* list of rule codes, names, prefixes, ALL */
	AA_TYPE_GLOBS,     /* list of glob patterns */
	AA_TYPE_NAMES,     /* list of qualified names (module.func) */
	AA_TYPE_PATHS,     /* list of directories */
	AA_TYPE_GLOB_CODES, /* table: glob -> list of rule selectors */
	AA_TYPE_SEVERITIES, /* table: rule code or name -> "error", "warning" or "note" */
	AA_TYPE_VERSION,   /* "py38" ... "py314" */
	AA_TYPE_JOBS,      /* integer 1 .. 1024 */
	AA_TYPE_FORMAT,    /* "text", "json", "sarif", "github", "gitlab", "junit" */
	AA_TYPE_WORD,      /* a flag's free-form value (a path, a mode) */
};

struct aa_option {
	enum aa_opt id;
	const char *flag;       /* "--select", or NULL for a key the files only set */
	const char *short_flag; /* "-j", or NULL */
	const char *metavar;    /* the value's name in --help ("LIST"), NULL for a switch */
	const char *key;        /* the configuration key, or NULL for a command-line-only flag */
	enum aa_opt_type type;
	const char *section;    /* the --help heading it is listed under */
	const char *help;       /* one paragraph; printed wrapped */
};

/* The table: aa_options[i].id == i. Static. */
extern const struct aa_option aa_options[AA_OPT_COUNT];

/* A growable list of borrowed strings (pointing into argv or into `owned`). */
struct aa_strlist {
	const char **items; /* owned array; NULL-terminated when len > 0 */
	size_t len, cap;
};

struct aa_cli {
	enum aa_command command;
	/* argv[0]'s last component (borrowed from argv): a family's program name presets
	 * the selection to that family (concurrency-checker: AA3xx) */
	const char *program;
	struct aa_strlist paths;
	struct aa_strlist select, extend_select, ignore, exclude, extend_exclude, blocking_calls, rule_args;
	/* "GLOB:CODES" items, as given (config.c splits them) */
	struct aa_strlist per_file_ignores, extend_per_file_ignores;
	struct aa_strlist transparent_decorators, src;
	struct aa_strlist context; /* --context: read for the cross-file rules, not reported */
	bool have_select;
	bool rule_all;
	const char *stdin_filename;
	unsigned jobs;             /* 0 = not given */
	bool have_format;
	enum aa_format format;
	const char *output;
	enum aa_color_mode color;
	bool exit_zero, statistics;
	bool timings;              /* print where the time went to stderr */
	bool quiet;                /* no progress line, summary or other chatter on stderr */
	const char *baseline;       /* --baseline FILE: findings it records are not reported */
	const char *write_baseline; /* --write-baseline FILE: record the findings instead */
	/* --fix, --diff, --unsafe-fixes, --add-noqa (analyzer/fix/fixer.h) */
	bool fix, diff, unsafe_fixes, add_noqa;
	unsigned target_version;   /* 0 = not given; else 3xx as in 311 */
	int respect_gitignore;     /* -1 not given, 0 --no-respect-gitignore, 1 --respect-gitignore */
	bool report_in_tests;    /* --report-in-tests */
	int respect_ruff_ignores; /* -1 not given, 0 --no-respect-ruff-ignores, 1 --respect-ruff-ignores */
	const char *config_file;   /* --config FILE, or NULL */
	bool isolated;             /* --isolated: no configuration file at all */
	const char *show_settings; /* --show-settings FILE, or NULL */
	bool show_files;
	char **owned;              /* strings split out of comma lists; owned */
	size_t n_owned, owned_cap;
};

/* Parses argv (borrowed: must outlive cli) into cli, which need not be initialised.
 * Returns 0, or -1 with *error (a message; caller frees). Release cli with
 * aa_cli_release either way. Allocation failure exits (xalloc.h). */
int aa_cli_parse(struct aa_cli *cli, int argc, char **argv, char **error);
/* Frees the lists and owned strings (argv is the caller's). */
void aa_cli_release(struct aa_cli *cli);

/* Prints the --help text / the Markdown page of every flag and key (docs/configuration.md)
 * to out, from aa_options[]. Output errors are the caller's to check (ferror). */
void aa_cli_print_help(FILE *out);
void aa_cli_print_config_doc(FILE *out);

/* Value checks shared by the command line and the configuration files. Each returns 0,
 * or -1 with *error (a message without position; caller frees). */
int aa_cli_check_qualname(const char *what, const char *v, char **error);
int aa_cli_parse_jobs(const char *v, unsigned *out);
int aa_cli_parse_format(const char *v, enum aa_format *out);
/* "py38" .. "py314" -> 308 .. 314; -1 otherwise. */
int aa_cli_parse_version(const char *v, unsigned *out);

#endif
