/*
 * cli.h: the command line, parsed into options. Parsing never exits: usage errors come
 * back as a message for main to print (exit 2).
 */
#ifndef AA_CLI_H
#define AA_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/report/emit.h"

enum aa_command { AA_CMD_CHECK, AA_CMD_RULE, AA_CMD_HELP, AA_CMD_VERSION };
enum aa_color_mode { AA_COLOR_AUTO, AA_COLOR_ALWAYS, AA_COLOR_NEVER };

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
	struct aa_strlist select, extend_select, ignore, exclude, blocking_calls, rule_args;
	struct aa_strlist context; /* --context: read for the cross-file rules, not reported */
	bool have_select;
	bool rule_all;
	const char *stdin_filename;
	unsigned jobs;             /* 0 = number of online CPUs */
	enum aa_format format;
	const char *output;
	enum aa_color_mode color;
	bool exit_zero, statistics;
	bool timings;              /* print where the time went to stderr */
	char **owned;              /* strings split out of comma lists; owned */
	size_t n_owned, owned_cap;
};

/* Parses argv (borrowed: must outlive cli) into cli, which need not be initialised.
 * Returns 0, or -1 with *error (a message; caller frees). Release cli with
 * aa_cli_release either way. Allocation failure exits (xalloc.h). */
int aa_cli_parse(struct aa_cli *cli, int argc, char **argv, char **error);
/* Frees the lists and owned strings (argv is the caller's). */
void aa_cli_release(struct aa_cli *cli);

/* The --help text. */
extern const char aa_cli_help[];

#endif
