/*
 * main: the only place that exits. Parses the command line, runs the pipeline
 * (discover -> analyze in parallel -> sort -> emit) and maps the outcome to the exit
 * status: 0 nothing reported, 1 findings, 2 usage/configuration/internal error.
 */
#include "analyzer/engine/analyze.h"
#include "analyzer/app/cli.h"
#include "analyzer/input/discover.h"
#include "analyzer/input/context.h"
#include "analyzer/report/emit.h"
#include "analyzer/index/index.h"
#include "analyzer/index/modmap.h"
#include "analyzer/check/rule.h"
#include "analyzer/report/ruledoc.h"
#include "analyzer/engine/run.h"
#include "analyzer/app/select.h"
#include "analyzer/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

static void error(const char *fmt, const char *arg)
{
	fputs("async-analyzer: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* Prints r's page, after a separator unless it is the first. */
static void print_page(const struct aa_rule *r, bool *first)
{
	char *doc = aa_ruledoc_markdown(r);
	if (!*first)
		fputs("\n---\n\n", stdout);
	*first = false;
	fputs(doc, stdout);
	free(doc);
}

/* Prints the pages of the rules that honour a peer's code as their equivalent
 * (`rule ASYNC251` is AA101's page); false when none does. */
static bool print_equivalents(const char *peer, bool *first)
{
	bool found = false;
	for (size_t i = 0; i < aa_rules_count; i++)
		for (const char *const *e = aa_rules[i]->equivalents; e && *e; e++)
			if (!strcasecmp(*e, peer)) {
				print_page(aa_rules[i], first);
				found = true;
				break;
			}
	return found;
}

static int cmd_rule(const struct aa_cli *cli)
{
	int status = EXIT_CLEAN;
	bool first = true;
	size_t n = cli->rule_all ? aa_rules_count : cli->rule_args.len;
	for (size_t i = 0; i < n; i++) {
		const struct aa_rule *r = cli->rule_all ? aa_rules[i] : aa_rule_find(cli->rule_args.items[i]);
		if (r)
			print_page(r, &first);
		else if (!print_equivalents(cli->rule_args.items[i], &first)) {
			error("unknown rule '%s' (see `async-analyzer rule --all`)", cli->rule_args.items[i]);
			status = EXIT_ERROR;
		}
	}
	return status;
}

/* The git top level above cwd (a directory holding .git), else cwd. Caller frees. */
static char *find_srcroot(const char *cwd)
{
	char *dir = aa_xstrdup(cwd);
	for (;;) {
		char *probe = aa_xasprintf("%s/.git", strcmp(dir, "/") ? dir : "");
		struct stat st;
		int found = stat(probe, &st) == 0;
		free(probe);
		if (found)
			return dir;
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
	return aa_xstrdup(cwd);
}

static bool want_color(const struct aa_cli *cli)
{
	if (cli->color == AA_COLOR_ALWAYS)
		return true;
	if (cli->color == AA_COLOR_NEVER || cli->output)
		return false;
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if ((no_color && *no_color) || (term && !strcmp(term, "dumb")))
		return false;
	return isatty(STDOUT_FILENO);
}

static int read_stdin(char **data, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = aa_xmalloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = aa_xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
}

static void error_errno(const char *what, const char *path, int errnum)
{
	fprintf(stderr, "async-analyzer: error: %s '%s': %s\n", what, path, strerror(errnum));
}

/* Writes the report to f; returns 0, or -1 with errno saying why when a write failed.
 * Closes f either way. */
static int write_report(FILE *f, const struct aa_diag_list *diags, const struct aa_emit_opts *opts, bool statistics)
{
	int rc = statistics ? aa_emit_statistics(f, diags, opts->format) : aa_emit(f, diags, opts);
	int err = errno;
	if (fflush(f) != 0 || ferror(f)) {
		rc = -1;
		err = errno;
	}
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	errno = err;
	return rc;
}

/*
 * Writes the report to path. A regular file (or none yet) is replaced atomically: a
 * temporary file beside it, then rename, so a reader sees the old report or the new
 * one, never half of one. Anything else at path (a symbolic link, a FIFO, a character
 * device such as /dev/null or /dev/stdout) is opened and written through, as a shell
 * redirection does: a rename would swap it for a regular file (as root, replacing the
 * system's /dev/null). Failures say why (strerror).
 */
static int emit_to_file(const char *path, const struct aa_diag_list *diags, const struct aa_emit_opts *opts,
			bool statistics)
{
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC, 0666);
		FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f) {
			int err = errno;
			if (fd >= 0)
				close(fd);
			error_errno("cannot write", path, err);
			return -1;
		}
		if (write_report(f, diags, opts, statistics) != 0) {
			error_errno("cannot write", path, errno);
			return -1;
		}
		return 0;
	}
	char *tmp = aa_xasprintf("%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		int err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		error_errno("cannot write", path, err);
		return -1;
	}
	int rc = write_report(f, diags, opts, statistics);
	if (rc == 0) {
		/* mkstemp creates 0600; a report is an ordinary file. */
		mode_t mask = umask(0);
		umask(mask);
		if (chmod(tmp, 0666 & ~mask) != 0 || rename(tmp, path) != 0)
			rc = -1;
	}
	if (rc != 0) {
		int err = errno;
		unlink(tmp);
		error_errno("cannot write", path, err);
	}
	free(tmp);
	return rc;
}

/* --timings: where the wall-clock time went, on stderr (stdout keeps the report). The
 * per-file phase is reading, parsing, local rules and summaries; the cross-file phase is
 * the module map, the on-demand rounds and linking. */
static void print_timings(const struct aa_run_result *r, size_t n_files, double discovery, double modmap,
			  double output, double total)
{
	double cross = modmap + r->on_demand_secs + r->link_secs;
	fprintf(stderr,
		"timings: discovery %.3f s; per-file phase %.3f s (%zu file%s, %zu parsed); cross-file phase %.3f s "
		"(module map %.3f s, on-demand %.3f s: %u round%s, %zu file%s; linking %.3f s); output %.3f s; "
		"total %.3f s\n",
		discovery, r->per_file_secs, n_files, n_files == 1 ? "" : "s", r->parsed - r->on_demand, cross, modmap, r->on_demand_secs,
		r->rounds, r->rounds == 1 ? "" : "s", r->on_demand, r->on_demand == 1 ? "" : "s", r->link_secs, output,
		total);
}

static void print_summary(const struct aa_diag_list *diags, size_t n_files)
{
	if (!diags->len) {
		fprintf(stderr, "No findings in %zu file%s.\n", n_files, n_files == 1 ? "" : "s");
		return;
	}
	size_t files_with = 0;
	for (size_t i = 0; i < diags->len; i++)
		if (i == 0 || strcmp(diags->items[i].path, diags->items[i - 1].path))
			files_with++;
	fprintf(stderr, "Found %zu finding%s in %zu of %zu file%s.\n", diags->len, diags->len == 1 ? "" : "s",
		files_with, n_files, n_files == 1 ? "" : "s");
}

static int cmd_check(const struct aa_cli *cli)
{
	int status = EXIT_CLEAN;
	bool *enabled = aa_xcalloc(aa_rules_count, sizeof(bool));
	/* Invoked under a family's program name: the selection is preset to that family. */
	const struct aa_family *preset = aa_family_of_program(cli->program);
	struct aa_selection sel = {
		.select = cli->have_select ? cli->select.items : NULL,
		.n_select = cli->select.len,
		.extend_select = cli->extend_select.items,
		.n_extend_select = cli->extend_select.len,
		.ignore = cli->ignore.items,
		.n_ignore = cli->ignore.len,
		.preset = preset ? &preset->prefix : NULL,
		.n_preset = preset ? 1 : 0,
	};
	char *sel_error = NULL;
	if (aa_select_resolve(&sel, enabled, &sel_error) < 0) {
		error("%s", sel_error);
		free(sel_error);
		free(enabled);
		return EXIT_ERROR;
	}
	struct aa_engine engine;
	const char *engine_error = NULL;
	static const char *const no_calls[] = { NULL };
	if (aa_engine_init(&engine, enabled, cli->blocking_calls.len ? cli->blocking_calls.items : no_calls,
			   &engine_error) < 0) {
		error("the pinned grammar lacks the node kind '%s' (build/pin mismatch)", engine_error);
		free(enabled);
		return EXIT_ERROR;
	}

	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		error("cannot determine the current directory: %s", strerror(errno));
		aa_engine_release(&engine);
		free(enabled);
		return EXIT_ERROR;
	}

	struct aa_run_result result = { 0 };
	size_t n_files = 0;
	double t_start = aa_run_now(), discovery_secs = 0, modmap_secs = 0;
	bool use_stdin = cli->stdin_filename || (cli->paths.len == 1 && !strcmp(cli->paths.items[0], "-"));
	if (use_stdin) {
		const char *name = cli->stdin_filename ? cli->stdin_filename : "-";
		char *data;
		size_t len = 0;
		if (read_stdin(&data, &len) < 0) {
			error("cannot read standard input%s", "");
			status = EXIT_ERROR;
			data = NULL;
		} else if (aa_path_excluded(name, cli->exclude.items, cli->exclude.len)) {
			free(data);
			data = NULL;
		} else {
			n_files = 1;
		}
		aa_run_bytes(&engine, name, data, len, &result);
	} else {
		static const char *const dot[] = { ".", NULL };
		const char *const *paths = cli->paths.len ? cli->paths.items : dot;
		size_t n_paths = cli->paths.len ? cli->paths.len : 1;
		struct aa_discovery disc;
		aa_discover(paths, n_paths, cli->exclude.items, cli->exclude.len, &disc);
		if (cli->context.len)
			aa_discovery_add_context(&disc, cli->context.items, cli->context.len, cli->exclude.items,
						 cli->exclude.len);
		discovery_secs = aa_run_now() - t_start;
		for (size_t i = 0; i < disc.n_errors; i++)
			error("%s", disc.errors[i]);
		if (disc.n_errors)
			status = EXIT_ERROR;
		unsigned jobs = cli->jobs;
		if (!jobs) {
			long n = sysconf(_SC_NPROCESSORS_ONLN);
			jobs = n > 0 ? (unsigned)(n > 64 ? 64 : n) : 1;
		}
		/* Module names matter only to the project index. */
		double t_modmap = aa_run_now();
		/* The context paths are roots too: their files' module names are as a run
		 * over them would give. */
		const char **roots = aa_xmalloc((n_paths + cli->context.len) * sizeof(*roots));
		memcpy(roots, paths, n_paths * sizeof(*roots));
		if (cli->context.len)
			memcpy(roots + n_paths, cli->context.items, cli->context.len * sizeof(*roots));
		struct aa_modmap *modmap = engine.uses_index ? aa_modmap_build(disc.files, disc.len, roots,
										 n_paths + cli->context.len)
							     : NULL;
		free(roots);
		modmap_secs = aa_run_now() - t_modmap;
		aa_engine_set_modmap(&engine, modmap);
		aa_run_files(&engine, disc.files, disc.len, jobs, &result);
		engine.modmap = NULL;
		aa_modmap_free(modmap);
		for (size_t i = 0; i < disc.len; i++)
			n_files += !disc.files[i].context;
		aa_discovery_release(&disc);
	}
	if (result.internal_errors) {
		fprintf(stderr, "async-analyzer: error: internal error on %d file%s\n", result.internal_errors,
			result.internal_errors == 1 ? "" : "s");
		status = EXIT_ERROR;
	}

	double t_output = aa_run_now();
	char *srcroot = find_srcroot(cwd);
	struct aa_emit_opts opts = {
		.format = cli->format,
		.color = want_color(cli),
		.cwd = cwd,
		.srcroot = srcroot,
		.execution_successful = status != EXIT_ERROR,
		.rules_selected = enabled,
	};
	int emit_rc;
	if (cli->output)
		emit_rc = emit_to_file(cli->output, &result.diags, &opts, cli->statistics);
	else
		emit_rc = cli->statistics ? aa_emit_statistics(stdout, &result.diags, opts.format)
					  : aa_emit(stdout, &result.diags, &opts);
	if (emit_rc != 0)
		status = EXIT_ERROR;
	/* No summary of a report that was not written. */
	if (cli->format == AA_FORMAT_TEXT && !cli->statistics && emit_rc == 0)
		print_summary(&result.diags, n_files);
	if (cli->timings)
		print_timings(&result, n_files, discovery_secs, modmap_secs, aa_run_now() - t_output,
			      aa_run_now() - t_start);
	if (status != EXIT_ERROR && result.diags.len && !cli->exit_zero)
		status = EXIT_FINDINGS;
	free(srcroot);
	free(enabled);
	aa_diag_list_release(&result.diags);
	aa_engine_release(&engine);
	return status;
}

/* Every parsed file allocates and frees a syntax tree, a model and buffers of up to a few
 * MB. glibc's defaults hand the freed top of each heap back to the kernel and fault it in
 * again for the next file; with the summaries kept between files this cost about 0.3 s
 * of CPU on the pyenv tree (3.3 s). Memory freed is kept for reuse instead; peak RSS is
 * unchanged (it is set by the largest files). Setting these also fixes the mmap threshold
 * at its dynamic maximum, so large buffers come from the heaps too. */
static void tune_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

int main(int argc, char **argv)
{
	tune_malloc();
	aa_xalloc_install_tree_sitter();
	/* A closed pipe must be a write error (exit 2), not a silent death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	struct aa_cli cli;
	char *cli_error = NULL;
	int status;
	if (aa_cli_parse(&cli, argc, argv, &cli_error) < 0) {
		error("%s", cli_error);
		fputs("Run 'async-analyzer --help' for usage.\n", stderr);
		free(cli_error);
		aa_cli_release(&cli);
		return EXIT_ERROR;
	}
	switch (cli.command) {
	case AA_CMD_HELP:
		fputs(aa_cli_help, stdout);
		status = EXIT_CLEAN;
		break;
	case AA_CMD_VERSION:
		printf("async-analyzer %s\n", AA_VERSION);
		status = EXIT_CLEAN;
		break;
	case AA_CMD_RULE:
		status = cmd_rule(&cli);
		break;
	default:
		status = cmd_check(&cli);
		break;
	}
	aa_cli_release(&cli);
	/* A report that did not reach its reader is a failure (jq's check). */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("async-analyzer: error: cannot write the report to standard output\n", stderr);
		status = EXIT_ERROR;
	}
	if (fclose(stdout) != 0 && status != EXIT_ERROR) {
		fputs("async-analyzer: error: cannot write the report to standard output\n", stderr);
		status = EXIT_ERROR;
	}
	return status;
}
