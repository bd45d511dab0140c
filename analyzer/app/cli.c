#include "analyzer/app/cli.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char aa_cli_help[] =
	"async-analyzer: find blocking calls, missing awaits and other async bugs in Python code\n"
	"\n"
	"Usage:\n"
	"  async-analyzer check [OPTIONS] [PATH...]   analyze files and directories (default: .)\n"
	"  async-analyzer rule CODE|NAME...           print a rule's documentation\n"
	"  async-analyzer rule --all                  print every rule's documentation\n"
	"  async-analyzer --version | --help\n"
	"  concurrency-checker [OPTIONS] [PATH...]    the same program, preset to the AA3xx rules\n"
	"\n"
	"Selecting rules:\n"
	"  --select LIST          only these rules: codes (AA101), names (blocking-sleep), prefixes\n"
	"                         (AA1: default-on rules under it), or ALL; comma-separated, repeatable;\n"
	"                         an empty list is an error\n"
	"  --extend-select LIST   add rules to the selection (opt-in rules need their exact code)\n"
	"  --ignore LIST          drop rules; the most specific selector wins whatever the order\n"
	"  --blocking-call NAME   treat module.func (or module.Class.method, for tracked objects of\n"
	"                         that class) as blocking (AA110); repeatable\n"
	"\n"
	"Choosing files:\n"
	"  --exclude GLOB         skip matching paths (relative to the current directory; * stops at\n"
	"                         '/', ** crosses it, a pattern without '/' matches any component);\n"
	"                         applies to files named on the command line too; repeatable\n"
	"  --stdin-filename PATH  read the source from standard input and report it as PATH (no\n"
	"                         other path, or '-')\n"
	"  --context PATH         also read the Python files under PATH where the cross-file rules\n"
	"                         need them (a helper an analyzed file calls, a caller of its\n"
	"                         coroutines) and report nothing in them: checking a few files of\n"
	"                         a project with --context . finds what checking it whole finds\n"
	"                         in them (the pre-commit hook does); repeatable\n"
	"  Symbolic links: one named here is followed; met while walking, a link to a file is\n"
	"  listed, a link to a directory is followed only when it stays inside the root it was\n"
	"  met under; a dangling link, a link loop or an unreadable directory is an AA002\n"
	"  (docs/files.md).\n"
	"\n"
	"Output:\n"
	"  --format FORMAT        text (default), json, sarif or github\n"
	"  -o, --output FILE      write the report to FILE (a regular file is replaced atomically:\n"
	"                         whole or not at all; a symlink, FIFO or device is written through)\n"
	"  --color WHEN           auto (default: only on a terminal, and not when NO_COLOR is set),\n"
	"                         always or never\n"
	"  --statistics           print the number of findings per rule instead of the findings\n"
	"                         (with --format json, as a JSON array)\n"
	"  --exit-zero            exit 0 even when findings are reported (errors still exit 2)\n"
	"\n"
	"Running:\n"
	"  -j, --jobs N           analyze with N threads (default: the number of online CPUs);\n"
	"                         output is identical for any N; -j1 works as -j 1 (and -oFILE as\n"
	"                         -o FILE)\n"
	"  --timings              print the wall-clock time of each phase to standard error\n"
	"  -h, --help             this help\n"
	"  -V, --version          print the version\n"
	"\n"
	"Suppressing: `# noqa`, `# noqa: AA101, blocking-sleep` (peers' equivalent codes such as\n"
	"ASYNC251 work too) on the finding's line; alone on a line, `# async-analyzer: noqa: AA101`\n"
	"suppresses those codes in the whole file and `# async-analyzer: noqa` skips the file.\n"
	"\n"
	"Exit status: 0 nothing reported, 1 findings reported, 2 usage, configuration or internal\n"
	"error.\n";

static void push(struct aa_strlist *l, const char *s)
{
	AA_GROW(l->items, l->cap, l->len + 2);
	l->items[l->len++] = s;
	l->items[l->len] = NULL;
}

/* Splits "a,b , c" into the list; empty items are dropped. Returns how many items it
 * added. */
static size_t push_split(struct aa_cli *cli, struct aa_strlist *l, const char *value)
{
	size_t added = 0;
	const char *p = value;
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ',' && *p != ' ')
			p++;
		if (p > start) {
			char *item = aa_xstrndup(start, (size_t)(p - start));
			AA_GROW(cli->owned, cli->owned_cap, cli->n_owned + 1);
			cli->owned[cli->n_owned++] = item;
			push(l, item);
			added++;
		}
	}
	return added;
}

/* Matches "--name VALUE" and "--name=VALUE"; a short option ("-j") also "-jVALUE", as
 * getopt allows ("-j=VALUE" stays VALUE). Returns 1 when matched (value set), 0 when not
 * this option, -1 when the value is missing. */
static int option_value(const char *name, int argc, char **argv, int *i, const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n))
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (arg[n] != '\0' && n == 2) {
		*value = arg + n;
		return 1;
	}
	if (arg[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

static const char *const value_options[] = {
	"--select", "--extend-select", "--ignore", "--exclude", "--stdin-filename", "--jobs", "-j",
	"--format", "--output", "-o", "--color", "--blocking-call", "--context", NULL,
};

static int parse_jobs(const char *v, unsigned *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > 1024)
		return -1;
	*out = (unsigned)n;
	return 0;
}

int aa_cli_parse(struct aa_cli *cli, int argc, char **argv, char **error)
{
	memset(cli, 0, sizeof(*cli));
	cli->format = AA_FORMAT_TEXT;
	const char *prog = argc > 0 ? strrchr(argv[0], '/') : NULL;
	prog = prog ? prog + 1 : (argc > 0 ? argv[0] : "async-analyzer");
	cli->program = prog;

	int i = 1;
	cli->command = AA_CMD_CHECK;
	if (i < argc) {
		if (!strcmp(argv[i], "check")) {
			i++;
		} else if (!strcmp(argv[i], "rule")) {
			cli->command = AA_CMD_RULE;
			i++;
		} else if (!strcmp(argv[i], "help")) {
			cli->command = AA_CMD_HELP;
			return 0;
		} else if (!strcmp(argv[i], "version")) {
			cli->command = AA_CMD_VERSION;
			return 0;
		}
	}
	bool only_paths = false;
	for (; i < argc; i++) {
		const char *arg = argv[i];
		const char *v = NULL;
		if (only_paths || arg[0] != '-' || !strcmp(arg, "-")) {
			push(cli->command == AA_CMD_RULE ? &cli->rule_args : &cli->paths, arg);
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_paths = true;
			continue;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			cli->command = AA_CMD_HELP;
			return 0;
		}
		if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
			cli->command = AA_CMD_VERSION;
			return 0;
		}
		if (!strcmp(arg, "--all") && cli->command == AA_CMD_RULE) {
			cli->rule_all = true;
			continue;
		}
		if (!strcmp(arg, "--exit-zero")) {
			cli->exit_zero = true;
			continue;
		}
		if (!strcmp(arg, "--statistics")) {
			cli->statistics = true;
			continue;
		}
		if (!strcmp(arg, "--timings")) {
			cli->timings = true;
			continue;
		}
		int matched = 0;
		const char *name = NULL;
		for (const char *const *o = value_options; *o && !matched; o++) {
			matched = option_value(*o, argc, argv, &i, &v);
			name = *o;
		}
		if (matched < 0) {
			*error = aa_xasprintf("option '%s' needs a value", name);
			return -1;
		}
		if (!matched) {
			*error = aa_xasprintf("unknown option '%s' (see --help)", arg);
			return -1;
		}
		if (!strcmp(name, "--select")) {
			cli->have_select = true;
			/* An empty selection is almost surely a mistake (an unset variable). */
			if (!push_split(cli, &cli->select, v)) {
				*error = aa_xasprintf("--select '%s': expected a rule code, name, prefix or ALL", v);
				return -1;
			}
		} else if (!strcmp(name, "--extend-select")) {
			push_split(cli, &cli->extend_select, v);
		} else if (!strcmp(name, "--ignore")) {
			push_split(cli, &cli->ignore, v);
		} else if (!strcmp(name, "--exclude")) {
			push(&cli->exclude, v);
		} else if (!strcmp(name, "--context")) {
			push(&cli->context, v);
		} else if (!strcmp(name, "--blocking-call")) {
			if (!strchr(v, '.') || v[0] == '.' || v[strlen(v) - 1] == '.') {
				*error = aa_xasprintf("--blocking-call '%s': expected a qualified name such as "
						      "'mylib.fetch_sync' or 'mylib.Client.get'", v);
				return -1;
			}
			push(&cli->blocking_calls, v);
		} else if (!strcmp(name, "--stdin-filename")) {
			cli->stdin_filename = v;
		} else if (!strcmp(name, "--jobs") || !strcmp(name, "-j")) {
			if (parse_jobs(v, &cli->jobs) < 0) {
				*error = aa_xasprintf("--jobs '%s': expected a number from 1 to 1024", v);
				return -1;
			}
		} else if (!strcmp(name, "--format")) {
			if (!strcmp(v, "text"))
				cli->format = AA_FORMAT_TEXT;
			else if (!strcmp(v, "json"))
				cli->format = AA_FORMAT_JSON;
			else if (!strcmp(v, "sarif"))
				cli->format = AA_FORMAT_SARIF;
			else if (!strcmp(v, "github"))
				cli->format = AA_FORMAT_GITHUB;
			else {
				*error = aa_xasprintf("--format '%s': expected text, json, sarif or github", v);
				return -1;
			}
		} else if (!strcmp(name, "--output") || !strcmp(name, "-o")) {
			if (!*v) {
				*error = aa_xstrdup("--output needs a file name");
				return -1;
			}
			cli->output = v;
		} else if (!strcmp(name, "--color")) {
			if (!strcmp(v, "auto"))
				cli->color = AA_COLOR_AUTO;
			else if (!strcmp(v, "always"))
				cli->color = AA_COLOR_ALWAYS;
			else if (!strcmp(v, "never"))
				cli->color = AA_COLOR_NEVER;
			else {
				*error = aa_xasprintf("--color '%s': expected auto, always or never", v);
				return -1;
			}
		}
	}
	/* Paths would be dropped silently; "-" alone names standard input too. */
	if (cli->command == AA_CMD_CHECK && cli->stdin_filename && cli->paths.len &&
	    !(cli->paths.len == 1 && !strcmp(cli->paths.items[0], "-"))) {
		*error = aa_xstrdup("--stdin-filename reads standard input: remove the paths");
		return -1;
	}
	if (cli->command == AA_CMD_CHECK && cli->context.len &&
	    (cli->stdin_filename || (cli->paths.len == 1 && !strcmp(cli->paths.items[0], "-")))) {
		*error = aa_xstrdup("--context reads files beside the paths named: not with standard input");
		return -1;
	}
	if (cli->command == AA_CMD_RULE && !cli->rule_all && cli->rule_args.len == 0) {
		*error = aa_xstrdup("rule: name a rule (AA101 or blocking-sleep) or use --all");
		return -1;
	}
	return 0;
}

void aa_cli_release(struct aa_cli *cli)
{
	struct aa_strlist *lists[] = { &cli->paths, &cli->select, &cli->extend_select, &cli->ignore,
				       &cli->exclude, &cli->blocking_calls, &cli->rule_args, &cli->context };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		free(lists[i]->items);
	for (size_t i = 0; i < cli->n_owned; i++)
		free(cli->owned[i]);
	free(cli->owned);
	memset(cli, 0, sizeof(*cli));
}
