#include "analyzer/app/cli.h"
#include "analyzer/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows of --help and of docs/configuration.md. A flag with a key overrides the key
 * of every configuration file; a key without a flag is set in files only. */
const struct aa_option aa_options[AA_OPT_COUNT] = {
	{ AA_OPT_SELECT, "--select", NULL, "LIST", "select", AA_TYPE_SELECTORS, "Selecting rules",
	  "only these rules: codes (AA101), names (blocking-sleep), prefixes (AA1: default-on rules under it), or "
	  "ALL; comma-separated, repeatable; an empty list is an error" },
	{ AA_OPT_EXTEND_SELECT, "--extend-select", NULL, "LIST", "extend-select", AA_TYPE_SELECTORS, "Selecting rules",
	  "add rules to the selection (opt-in rules need their exact code)" },
	{ AA_OPT_IGNORE, "--ignore", NULL, "LIST", "ignore", AA_TYPE_SELECTORS, "Selecting rules",
	  "drop rules; the most specific selector wins whatever the order" },
	{ AA_OPT_PER_FILE_IGNORES, "--per-file-ignores", NULL, "GLOB:LIST", "per-file-ignores", AA_TYPE_GLOB_CODES,
	  "Selecting rules",
	  "drop rules in the files a glob matches (in a file: a table of glob = [codes], globs relative to the "
	  "file's directory); repeatable" },
	{ AA_OPT_EXTEND_PER_FILE_IGNORES, "--extend-per-file-ignores", NULL, "GLOB:LIST", "extend-per-file-ignores",
	  AA_TYPE_GLOB_CODES, "Selecting rules", "add to per-file-ignores instead of replacing them" },
	{ AA_OPT_SEVERITY, NULL, NULL, NULL, "severity", AA_TYPE_SEVERITIES, "Selecting rules",
	  "a table of rule code (or name) = \"error\", \"warning\" or \"note\": the severity the text, JSON, SARIF "
	  "and GitHub outputs give that rule's findings" },
	{ AA_OPT_BLOCKING_CALLS, "--blocking-call", NULL, "NAME", "blocking-calls", AA_TYPE_NAMES, "Selecting rules",
	  "treat module.func (or module.Class.method, for tracked objects of that class) as blocking (AA110); "
	  "repeatable" },
	{ AA_OPT_TRANSPARENT_DECORATORS, "--transparent-decorator", NULL, "NAME", "transparent-decorators",
	  AA_TYPE_NAMES, "Selecting rules",
	  "a decorator (module.name, or module.Class.method for a method of an object of that class) that "
	  "keeps the function it decorates what it was: an async def still a "
	  "coroutine function, a def still a plain function (AA109, AA201); repeatable" },
	{ AA_OPT_TARGET_VERSION, "--target-version", NULL, "VERSION", "target-version", AA_TYPE_VERSION,
	  "Selecting rules",
	  "the oldest Python the code runs on, py38 to py314 (default: unknown): messages suggest only what it has "
	  "(asyncio.timeout and TaskGroup from py311)" },
	{ AA_OPT_REPORT_IN_TESTS, "--report-in-tests", NULL, NULL, "report-in-tests", AA_TYPE_BOOL,
	  "Selecting rules",
	  "report in test code too the rules that spare it (default: not; each rule page says whether it does): "
	  "files pytest collects by default (test_*.py, *_test.py), conftest.py, files under a tests/, test/ or "
	  "testing/ directory or an examples/, example/, samples/, sample/, demos/, demo/, docs/, doc/, scripts/, "
	  "migrations/, alembic/, benchmarks/, benchmark/, evals/, vendor/, _vendor/, vendored/, third_party/ or "
	  "_archive/ one, one whose name ends in -packages, _packages or __pypackages__ (site-packages/, "
	  ".pip_packages/: installed libraries), or one whose name has deprecated, obsolete "
	  "or archived in it, below the "
	  "directory named on the command line, and pytest "
	  "fixtures anywhere" },
	{ AA_OPT_EXCLUDE, "--exclude", NULL, "GLOB", "exclude", AA_TYPE_GLOBS, "Choosing files",
	  "skip matching paths (fnmatch(3) globs: * stops at '/', a ** component crosses directories, a pattern "
	  "without '/' matches any component; on the command line relative to the current directory, in a file to "
	  "the file's directory); applies to files named on the command line too; repeatable" },
	{ AA_OPT_EXTEND_EXCLUDE, "--extend-exclude", NULL, "GLOB", "extend-exclude", AA_TYPE_GLOBS, "Choosing files",
	  "add to exclude instead of replacing it" },
	{ AA_OPT_RESPECT_GITIGNORE, "--respect-gitignore", NULL, NULL, "respect-gitignore", AA_TYPE_BOOL,
	  "Choosing files",
	  "skip what git ignores (.gitignore files, .git/info/exclude, core.excludesFile; read with libgit2) in a "
	  "git work tree: the default" },
	{ AA_OPT_NO_RESPECT_GITIGNORE, "--no-respect-gitignore", NULL, NULL, NULL, AA_TYPE_SWITCH, "Choosing files",
	  "analyze what git ignores too" },
	{ AA_OPT_RESPECT_RUFF_IGNORES, "--respect-ruff-ignores", NULL, NULL, "respect-ruff-ignores", AA_TYPE_BOOL,
	  "Selecting rules",
	  "say nothing where the project's Ruff configuration (the closest .ruff.toml, ruff.toml or pyproject.toml "
	  "[tool.ruff]) ignores every Ruff equivalent of a rule: its ignore, extend-ignore, per-file-ignores and "
	  "extend-per-file-ignores (Ruff's codes, prefixes or rule names). Off by default: projects often turn a "
	  "noisy Ruff rule off wholesale (docs/precision.md)" },
	{ AA_OPT_NO_RESPECT_RUFF_IGNORES, "--no-respect-ruff-ignores", NULL, NULL, NULL, AA_TYPE_SWITCH,
	  "Selecting rules", "report whatever the project's Ruff configuration ignores: the default" },
	{ AA_OPT_SRC, "--src", NULL, "DIR", "src", AA_TYPE_PATHS, "Choosing files",
	  "a package root for the project index: modules under DIR are named from DIR (src/pkg/db.py is pkg.db); "
	  "in a file, relative to the file's directory; repeatable" },
	{ AA_OPT_STDIN_FILENAME, "--stdin-filename", NULL, "PATH", NULL, AA_TYPE_WORD, "Choosing files",
	  "read the source from standard input and report it as PATH (no other path, or '-')" },
	{ AA_OPT_CONTEXT, "--context", NULL, "PATH", NULL, AA_TYPE_WORD, "Choosing files",
	  "also read the Python files under PATH where the cross-file rules need them (a helper an analyzed file "
	  "calls, a caller of its coroutines) and report nothing in them: checking a few files of a project with "
	  "--context . finds what checking it whole finds in them (the pre-commit hook does); repeatable" },
	{ AA_OPT_SHOW_FILES, "--show-files", NULL, NULL, NULL, AA_TYPE_SWITCH, "Choosing files",
	  "print the files that would be analyzed, one a line, each with the configuration file that applies to it, "
	  "and exit" },
	{ AA_OPT_CONFIG, "--config", NULL, "FILE", NULL, AA_TYPE_WORD, "Configuration files",
	  "use FILE (pyproject.toml's [tool.async-analyzer], or async-analyzer.toml's top level) for every file, "
	  "instead of the closest configuration file above each" },
	{ AA_OPT_ISOLATED, "--isolated", NULL, NULL, NULL, AA_TYPE_SWITCH, "Configuration files",
	  "read no configuration file" },
	{ AA_OPT_SHOW_SETTINGS, "--show-settings", NULL, "FILE", NULL, AA_TYPE_WORD, "Configuration files",
	  "print the settings that apply to FILE, each with where it came from (default, a configuration file's "
	  "line, the command line), and exit" },
	{ AA_OPT_FORMAT, "--format", NULL, "FORMAT", "output-format", AA_TYPE_FORMAT, "Output",
	  "text (default), json, sarif, github (Actions annotations), gitlab (Code Quality) or junit" },
	{ AA_OPT_OUTPUT, "--output", "-o", "FILE", NULL, AA_TYPE_WORD, "Output",
	  "write the report to FILE (a regular file is replaced atomically: whole or not at all; a symlink, FIFO or "
	  "device is written through)" },
	{ AA_OPT_COLOR, "--color", NULL, "WHEN", NULL, AA_TYPE_WORD, "Output",
	  "auto (default: only on a terminal, and not when NO_COLOR is set), always or never" },
	{ AA_OPT_STATISTICS, "--statistics", NULL, NULL, NULL, AA_TYPE_SWITCH, "Output",
	  "print the number of findings per rule instead of the findings (with --format json, as a JSON array)" },
	{ AA_OPT_EXIT_ZERO, "--exit-zero", NULL, NULL, NULL, AA_TYPE_SWITCH, "Output",
	  "exit 0 even when findings are reported (errors still exit 2)" },
	{ AA_OPT_QUIET, "--quiet", "-q", NULL, NULL, AA_TYPE_SWITCH, "Output",
	  "print nothing on standard error but errors (no progress line, no summary); the progress line (files "
	  "done/total) shows only on a terminal, after 1 s (ASYNC_ANALYZER_PROGRESS_DELAY=SECONDS)" },
	{ AA_OPT_WRITE_BASELINE, "--write-baseline", NULL, "FILE", NULL, AA_TYPE_WORD, "Adopting on existing code",
	  "record every finding in FILE (JSON) and report nothing (docs/ci.md)" },
	{ AA_OPT_BASELINE, "--baseline", NULL, "FILE", NULL, AA_TYPE_WORD, "Adopting on existing code",
	  "do not report the findings FILE records; they stay matched when lines are added above them; "
	  "--statistics counts stale entries" },
	{ AA_OPT_ADD_NOQA, "--add-noqa", NULL, NULL, NULL, AA_TYPE_SWITCH, "Adopting on existing code",
	  "add `# noqa: CODE` to every line with a finding (docs/fixes.md)" },
	{ AA_OPT_FIX, "--fix", NULL, NULL, NULL, AA_TYPE_SWITCH, "Fixing",
	  "apply the safe fixes, then report what remains; files are rewritten atomically with their encoding, BOM "
	  "and line ends (with --stdin-filename: the fixed source goes to standard output and the report to "
	  "standard error)" },
	{ AA_OPT_DIFF, "--diff", NULL, NULL, NULL, AA_TYPE_SWITCH, "Fixing",
	  "print the fixes as a unified diff instead of writing them (exit 1 when there is something to fix, 0 "
	  "when not)" },
	{ AA_OPT_UNSAFE_FIXES, "--unsafe-fixes", NULL, NULL, NULL, AA_TYPE_SWITCH, "Fixing",
	  "apply unsafe fixes too (those that may change behaviour)" },
	{ AA_OPT_JOBS, "--jobs", "-j", "N", "jobs", AA_TYPE_JOBS, "Running",
	  "analyze with N threads (default: the number of online CPUs); output is identical for any N; -j1 works as "
	  "-j 1 (and -oFILE as -o FILE)" },
	{ AA_OPT_TIMINGS, "--timings", NULL, NULL, NULL, AA_TYPE_SWITCH, "Running",
	  "print the wall-clock time of each phase to standard error" },
	{ AA_OPT_HELP, "--help", "-h", NULL, NULL, AA_TYPE_SWITCH, "Running", "this help" },
	{ AA_OPT_VERSION, "--version", "-V", NULL, NULL, AA_TYPE_SWITCH, "Running", "print the version" },
};

static const char help_head[] =
	"async-analyzer: find blocking calls, missing awaits and other async bugs in Python code\n"
	"\n"
	"Usage:\n"
	"  async-analyzer check [OPTIONS] [PATH...]   analyze files and directories (default: .)\n"
	"  async-analyzer rule CODE|NAME...           print a rule's documentation\n"
	"  async-analyzer rule --all                  print every rule's documentation\n"
	"  async-analyzer help configuration          print every flag and configuration key (Markdown)\n"
	"  async-analyzer server [OPTIONS]            a language server (LSP) on standard input and\n"
	"                                             output, for editors (docs/editors.md); takes the\n"
	"                                             rule selection and configuration options\n"
	"  async-analyzer --version | --help\n"
	"  concurrency-checker [OPTIONS] [PATH...]    the same program, preset to the AA3xx rules\n";

static const char help_files[] =
	"  Configuration: the closest of .async-analyzer.toml, async-analyzer.toml and pyproject.toml\n"
	"  (with [tool.async-analyzer]) above each analyzed file applies to it; flags override it.\n"
	"  Symbolic links: one named here is followed; met while walking, a link to a file is\n"
	"  listed, a link to a directory is followed only when it stays inside the root it was\n"
	"  met under; a dangling link, a link loop or an unreadable directory is an AA002\n"
	"  (docs/files.md).\n";

static const char help_tail[] =
	"Suppressing: `# noqa`, `# noqa: AA101, blocking-sleep` (peers' equivalent codes such as\n"
	"ASYNC251 work too) on the finding's line; alone on a line, `# async-analyzer: noqa: AA101`\n"
	"suppresses those codes in the whole file and `# async-analyzer: noqa` skips the file.\n"
	"\n"
	"Exit status: 0 nothing reported, 1 findings reported, 2 usage, configuration or internal\n"
	"error.\n";

enum { HELP_COL = 25, HELP_WIDTH = 96 };

/* Prints text from column col (the cursor being there already), wrapped at HELP_WIDTH
 * with continuation lines indented to col. */
static void print_wrapped(FILE *out, const char *text, int col)
{
	int at = col;
	for (const char *p = text; *p;) {
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		int w = (int)(e - p);
		if (at > col && at + 1 + w > HELP_WIDTH) {
			fprintf(out, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', out);
			at++;
		}
		fwrite(p, 1, (size_t)w, out);
		at += w;
		p = *e ? e + 1 : e;
	}
	fputc('\n', out);
}

void aa_cli_print_help(FILE *out)
{
	fputs(help_head, out);
	const char *section = NULL;
	for (size_t i = 0; i < AA_OPT_COUNT; i++) {
		const struct aa_option *o = &aa_options[i];
		if (!section || strcmp(section, o->section)) {
			if (section && !strcmp(section, "Choosing files"))
				fputs(help_files, out);
			section = o->section;
			fprintf(out, "\n%s:\n", section);
		}
		char head[64];
		if (o->flag)
			snprintf(head, sizeof head, "  %s%s%s%s%s", o->short_flag ? o->short_flag : "",
				 o->short_flag ? ", " : "", o->flag, o->metavar ? " " : "", o->metavar ? o->metavar : "");
		else
			snprintf(head, sizeof head, "  (file) %s", o->key);
		int n = (int)strlen(head);
		fputs(head, out);
		if (n + 1 >= HELP_COL) {
			fprintf(out, "\n%*s", HELP_COL, "");
		} else {
			fprintf(out, "%*s", HELP_COL - n, "");
		}
		print_wrapped(out, o->help, HELP_COL);
	}
	fputc('\n', out);
	fputs(help_tail, out);
}

static const char *type_doc(enum aa_opt_type t)
{
	switch (t) {
	case AA_TYPE_BOOL: return "boolean";
	case AA_TYPE_SELECTORS: return "list of rule selectors";
	case AA_TYPE_GLOBS: return "list of globs";
	case AA_TYPE_NAMES: return "list of qualified names";
	case AA_TYPE_PATHS: return "list of directories";
	case AA_TYPE_GLOB_CODES: return "table: glob = list of rule selectors";
	case AA_TYPE_SEVERITIES: return "table: rule = \"error\" / \"warning\" / \"note\"";
	case AA_TYPE_VERSION: return "string: \"py38\" ... \"py314\"";
	case AA_TYPE_JOBS: return "integer, 1 to 1024";
	case AA_TYPE_FORMAT: return "string: \"text\", \"json\", \"sarif\", \"github\", \"gitlab\", \"junit\"";
	default: return "";
	}
}

void aa_cli_print_config_doc(FILE *out)
{
	fputs("# Configuration\n\n"
	      "<!-- Generated by `async-analyzer help configuration` (tools/gen-docs.sh) from the option table\n"
	      "     of analyzer/app/cli.c, which also prints --help; tests/t_docs.py checks it is current. -->\n\n"
	      "Settings come from a configuration file and from the command line; a flag overrides the\n"
	      "file's key. A configuration file is `.async-analyzer.toml` or `async-analyzer.toml` (keys at\n"
	      "the top level) or `pyproject.toml` (keys under `[tool.async-analyzer]`; a `pyproject.toml`\n"
	      "without that table is no configuration file). As Ruff does, the closest configuration file\n"
	      "above each analyzed file applies to it, so a monorepo's sub-projects keep their own settings\n"
	      "(in one directory `.async-analyzer.toml` wins over `async-analyzer.toml`, which wins over\n"
	      "`pyproject.toml`); `--config FILE` uses one file for every analyzed file, `--isolated` none.\n"
	      "Globs and directories in a file are relative to the file's directory. Run-wide keys\n"
	      "(`jobs`, `output-format`, `respect-gitignore`) come from the configuration of the current\n"
	      "directory (or `--config`).\n\n"
	      "An unknown key, a value of the wrong type, an unknown rule code and a TOML syntax error are\n"
	      "errors (`file:line:col: message`, exit 2): nothing is ignored silently.\n"
	      "`check --show-settings FILE` prints the settings that apply to FILE and where each came from;\n"
	      "`check --show-files` lists the files that would be analyzed.\n\n"
	      "```toml\n"
	      "[tool.async-analyzer]\n"
	      "extend-select = [\"blocking-path-check\", \"unused-async\"]  # codes work too\n"
	      "ignore = [\"blocking-file-io\"]\n"
	      "extend-exclude = [\"generated/\"]\n"
	      "blocking-calls = [\"mylib.fetch_sync\", \"mylib.Client.get\"]\n"
	      "target-version = \"py311\"\n\n"
	      "[tool.async-analyzer.per-file-ignores]\n"
	      "\"tests/**\" = [\"blocking-sleep\"]\n\n"
	      "[tool.async-analyzer.severity]\n"
	      "unused-async = \"note\"\n"
	      "```\n\n"
	      "| key | flag | type | meaning |\n"
	      "|---|---|---|---|\n",
	      out);
	for (size_t i = 0; i < AA_OPT_COUNT; i++) {
		const struct aa_option *o = &aa_options[i];
		fprintf(out, "| %s%s%s | ", o->key ? "`" : "", o->key ? o->key : "", o->key ? "`" : "");
		if (o->flag)
			fprintf(out, "`%s%s%s%s%s`", o->short_flag ? o->short_flag : "", o->short_flag ? "`, `" : "", o->flag,
				o->metavar ? " " : "", o->metavar ? o->metavar : "");
		fprintf(out, " | %s | ", type_doc(o->type));
		for (const char *p = o->help; *p; p++)
			fputs(*p == '|' ? "\\|" : (char[2]){ *p, 0 }, out);
		fputs(" |\n", out);
	}
}

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

int aa_cli_parse_jobs(const char *v, unsigned *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > 1024)
		return -1;
	*out = (unsigned)n;
	return 0;
}

int aa_cli_parse_format(const char *v, enum aa_format *out)
{
	static const char *const names[] = { "text", "json", "sarif", "github", "gitlab", "junit" };
	static const enum aa_format formats[] = { AA_FORMAT_TEXT,   AA_FORMAT_JSON,   AA_FORMAT_SARIF,
						  AA_FORMAT_GITHUB, AA_FORMAT_GITLAB, AA_FORMAT_JUNIT };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(v, names[i])) {
			*out = formats[i];
			return 0;
		}
	return -1;
}

int aa_cli_parse_version(const char *v, unsigned *out)
{
	char *end;
	if (strncmp(v, "py3", 3) || v[3] < '0' || v[3] > '9')
		return -1;
	long minor = strtol(v + 3, &end, 10);
	if (*end || minor < 8 || minor > 14)
		return -1;
	*out = 300 + (unsigned)minor;
	return 0;
}

int aa_cli_check_qualname(const char *what, const char *v, char **error)
{
	if (!strchr(v, '.') || v[0] == '.' || v[strlen(v) - 1] == '.' || strpbrk(v, " \t,")) {
		*error = aa_xasprintf("%s '%s': expected a qualified name such as 'mylib.fetch_sync' or "
				      "'mylib.Client.get'", what, v);
		return -1;
	}
	return 0;
}

/* "GLOB:CODES" of --per-file-ignores: both halves non-empty. */
static int check_glob_codes(const char *flag, const char *v, char **error)
{
	const char *colon = strrchr(v, ':');
	if (!colon || colon == v || !colon[1]) {
		*error = aa_xasprintf("%s '%s': expected GLOB:CODES such as 'tests/*.py:AA101,AA104'", flag, v);
		return -1;
	}
	return 0;
}

/* Stores the value v of option o (matched as flag). */
static int store(struct aa_cli *cli, const struct aa_option *o, const char *flag, const char *v, char **error)
{
	switch (o->id) {
	case AA_OPT_SELECT:
		cli->have_select = true;
		/* An empty selection is almost surely a mistake (an unset variable). */
		if (!push_split(cli, &cli->select, v)) {
			*error = aa_xasprintf("--select '%s': expected a rule code, name, prefix or ALL", v);
			return -1;
		}
		return 0;
	case AA_OPT_EXTEND_SELECT: push_split(cli, &cli->extend_select, v); return 0;
	case AA_OPT_IGNORE: push_split(cli, &cli->ignore, v); return 0;
	case AA_OPT_EXCLUDE: push(&cli->exclude, v); return 0;
	case AA_OPT_EXTEND_EXCLUDE: push(&cli->extend_exclude, v); return 0;
	case AA_OPT_SRC: push(&cli->src, v); return 0;
	case AA_OPT_PER_FILE_IGNORES:
	case AA_OPT_EXTEND_PER_FILE_IGNORES:
		if (check_glob_codes(flag, v, error) < 0)
			return -1;
		push(o->id == AA_OPT_PER_FILE_IGNORES ? &cli->per_file_ignores : &cli->extend_per_file_ignores, v);
		return 0;
	case AA_OPT_BLOCKING_CALLS:
	case AA_OPT_TRANSPARENT_DECORATORS:
		if (aa_cli_check_qualname(flag, v, error) < 0)
			return -1;
		push(o->id == AA_OPT_BLOCKING_CALLS ? &cli->blocking_calls : &cli->transparent_decorators, v);
		return 0;
	case AA_OPT_TARGET_VERSION:
		if (aa_cli_parse_version(v, &cli->target_version) < 0) {
			*error = aa_xasprintf("--target-version '%s': expected py38 to py314", v);
			return -1;
		}
		return 0;
	case AA_OPT_STDIN_FILENAME: cli->stdin_filename = v; return 0;
	case AA_OPT_CONTEXT: push(&cli->context, v); return 0;
	case AA_OPT_CONFIG: cli->config_file = v; return 0;
	case AA_OPT_SHOW_SETTINGS: cli->show_settings = v; return 0;
	case AA_OPT_JOBS:
		if (aa_cli_parse_jobs(v, &cli->jobs) < 0) {
			*error = aa_xasprintf("--jobs '%s': expected a number from 1 to 1024", v);
			return -1;
		}
		return 0;
	case AA_OPT_FORMAT:
		cli->have_format = true;
		if (aa_cli_parse_format(v, &cli->format) < 0) {
			*error = aa_xasprintf("--format '%s': expected text, json, sarif, github, gitlab or junit", v);
			return -1;
		}
		return 0;
	case AA_OPT_OUTPUT:
		if (!*v) {
			*error = aa_xstrdup("--output needs a file name");
			return -1;
		}
		cli->output = v;
		return 0;
	case AA_OPT_COLOR:
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
		return 0;
	case AA_OPT_EXIT_ZERO: cli->exit_zero = true; return 0;
	case AA_OPT_QUIET: cli->quiet = true; return 0;
	case AA_OPT_BASELINE:
	case AA_OPT_WRITE_BASELINE:
		if (!*v) {
			*error = aa_xasprintf("%s needs a file name", flag);
			return -1;
		}
		*(o->id == AA_OPT_BASELINE ? &cli->baseline : &cli->write_baseline) = v;
		return 0;
	case AA_OPT_FIX: cli->fix = true; return 0;
	case AA_OPT_DIFF: cli->diff = true; return 0;
	case AA_OPT_UNSAFE_FIXES: cli->unsafe_fixes = true; return 0;
	case AA_OPT_ADD_NOQA: cli->add_noqa = true; return 0;
	case AA_OPT_STATISTICS: cli->statistics = true; return 0;
	case AA_OPT_TIMINGS: cli->timings = true; return 0;
	case AA_OPT_ISOLATED: cli->isolated = true; return 0;
	case AA_OPT_SHOW_FILES: cli->show_files = true; return 0;
	case AA_OPT_RESPECT_GITIGNORE: cli->respect_gitignore = 1; return 0;
	case AA_OPT_REPORT_IN_TESTS: cli->report_in_tests = true; return 0;
	case AA_OPT_NO_RESPECT_GITIGNORE: cli->respect_gitignore = 0; return 0;
	case AA_OPT_RESPECT_RUFF_IGNORES: cli->respect_ruff_ignores = 1; return 0;
	case AA_OPT_NO_RESPECT_RUFF_IGNORES: cli->respect_ruff_ignores = 0; return 0;
	case AA_OPT_HELP: cli->command = AA_CMD_HELP; return 0;
	case AA_OPT_VERSION: cli->command = AA_CMD_VERSION; return 0;
	default: return 0; /* a key the files only set: no flag matches it */
	}
}

/* Finds the option arg names and its value. Returns 1 when matched (*o set; *value too
 * unless a switch), 0 when no option matches, -1 when the value is missing. */
static int match_option(int argc, char **argv, int *i, const struct aa_option **o, const char **value)
{
	const char *arg = argv[*i];
	for (size_t k = 0; k < AA_OPT_COUNT; k++) {
		const struct aa_option *opt = &aa_options[k];
		const char *names[] = { opt->flag, opt->short_flag };
		for (size_t n = 0; n < 2; n++) {
			if (!names[n])
				continue;
			*o = opt;
			if (!opt->metavar) {
				if (!strcmp(arg, names[n]))
					return 1;
				continue;
			}
			int m = option_value(names[n], argc, argv, i, value);
			if (m)
				return m;
		}
	}
	return 0;
}

int aa_cli_parse(struct aa_cli *cli, int argc, char **argv, char **error)
{
	memset(cli, 0, sizeof(*cli));
	cli->format = AA_FORMAT_TEXT;
	cli->respect_gitignore = -1;
	cli->respect_ruff_ignores = -1;
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
		} else if (!strcmp(argv[i], "server")) {
			cli->command = AA_CMD_SERVER;
			i++;
		} else if (!strcmp(argv[i], "help")) {
			cli->command = i + 1 < argc && !strcmp(argv[i + 1], "configuration") ? AA_CMD_HELP_CONFIG
											       : AA_CMD_HELP;
			return 0;
		} else if (!strcmp(argv[i], "version")) {
			cli->command = AA_CMD_VERSION;
			return 0;
		}
	}
	bool only_paths = false;
	for (; i < argc; i++) {
		const char *arg = argv[i];
		if (only_paths || arg[0] != '-' || !strcmp(arg, "-")) {
			push(cli->command == AA_CMD_RULE ? &cli->rule_args : &cli->paths, arg);
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_paths = true;
			continue;
		}
		if (!strcmp(arg, "--all") && cli->command == AA_CMD_RULE) {
			cli->rule_all = true;
			continue;
		}
		const struct aa_option *o = NULL;
		const char *v = NULL;
		int matched = match_option(argc, argv, &i, &o, &v);
		if (matched < 0) {
			*error = aa_xasprintf("option '%s' needs a value", arg);
			return -1;
		}
		if (!matched) {
			*error = aa_xasprintf("unknown option '%s' (see --help)", arg);
			return -1;
		}
		if (store(cli, o, o->flag, v, error) < 0)
			return -1;
		if (cli->command == AA_CMD_HELP || cli->command == AA_CMD_VERSION)
			return 0;
	}
	/* Paths would be dropped silently; "-" alone names standard input too. */
	if (cli->command == AA_CMD_CHECK && cli->stdin_filename && cli->paths.len &&
	    !(cli->paths.len == 1 && !strcmp(cli->paths.items[0], "-"))) {
		*error = aa_xstrdup("--stdin-filename reads standard input: remove the paths");
		return -1;
	}
	if (cli->command == AA_CMD_CHECK && cli->config_file && cli->isolated) {
		*error = aa_xstrdup("--config and --isolated contradict each other: use one");
		return -1;
	}
	if (cli->command == AA_CMD_CHECK && cli->context.len &&
	    (cli->stdin_filename || (cli->paths.len == 1 && !strcmp(cli->paths.items[0], "-")))) {
		*error = aa_xstrdup("--context reads files beside the paths named: not with standard input");
		return -1;
	}
	if (cli->command == AA_CMD_SERVER && (cli->paths.len || cli->stdin_filename || cli->output)) {
		*error = aa_xstrdup("server: the editor sends the documents: no paths, --stdin-filename or --output");
		return -1;
	}
	/* Writing a baseline records every finding (one it would filter stays recorded) and
	 * writes no report: what would be dropped is an error, not ignored. */
	if (cli->write_baseline && (cli->baseline || cli->output || cli->statistics)) {
		*error = aa_xasprintf("--write-baseline writes no report: remove %s",
				      cli->baseline ? "--baseline (--write-baseline alone rewrites the file)"
				      : cli->output ? "--output" : "--statistics");
		return -1;
	}
	if (cli->add_noqa && (cli->fix || cli->diff || cli->stdin_filename)) {
		*error = aa_xstrdup(cli->stdin_filename ? "--add-noqa rewrites files: it cannot read standard input"
							: "--add-noqa cannot be combined with --fix or --diff");
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
	struct aa_strlist *lists[] = { &cli->paths,	     &cli->select,	    &cli->extend_select,
				       &cli->ignore,	     &cli->exclude,	    &cli->extend_exclude,
				       &cli->blocking_calls, &cli->rule_args,	    &cli->per_file_ignores,
				       &cli->extend_per_file_ignores, &cli->transparent_decorators, &cli->src,
				       &cli->context };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		free(lists[i]->items);
	for (size_t i = 0; i < cli->n_owned; i++)
		free(cli->owned[i]);
	free(cli->owned);
	memset(cli, 0, sizeof(*cli));
}
