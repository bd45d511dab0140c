/*
 * main: the only place that exits. Parses the command line, runs the pipeline
 * (discover -> analyze in parallel -> sort -> emit) and maps the outcome to the exit
 * status: 0 nothing reported, 1 findings, 2 usage/configuration/internal error.
 */
#include "analyzer/engine/analyze.h"
#include "analyzer/fix/fixer.h"
#include "analyzer/app/cli.h"
#include "analyzer/app/config.h"
#include "analyzer/app/progress.h"
#include "analyzer/app/server_config.h"
#include "analyzer/input/context.h"
#include "analyzer/input/discover.h"
#include "analyzer/report/baseline.h"
#include "analyzer/report/emit.h"
#include "analyzer/report/report.h"
#include "analyzer/index/index.h"
#include "analyzer/index/modmap.h"
#include "analyzer/check/rule.h"
#include "analyzer/report/ruledoc.h"
#include "analyzer/engine/run.h"
#include "analyzer/app/select.h"
#include "analyzer/server/server.h"
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

/* What an output file receives. */
enum output_kind { OUTPUT_REPORT, OUTPUT_STATISTICS, OUTPUT_BASELINE };

static int write_output(FILE *f, struct aa_report *report, const struct aa_emit_opts *opts, enum output_kind kind)
{
	switch (kind) {
	case OUTPUT_STATISTICS: return aa_emit_statistics(f, report, opts);
	case OUTPUT_BASELINE: return aa_baseline_write(f, report, opts);
	case OUTPUT_REPORT: break;
	}
	return aa_emit(f, report, opts);
}

/* Writes the output to f; returns 0, or -1 with errno saying why when a write failed.
 * Closes f either way. */
static int write_report(FILE *f, struct aa_report *report, const struct aa_emit_opts *opts, enum output_kind kind)
{
	int rc = write_output(f, report, opts, kind);
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
static int emit_to_file(const char *path, struct aa_report *report, const struct aa_emit_opts *opts,
			enum output_kind kind)
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
		if (write_report(f, report, opts, kind) != 0) {
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
	int rc = write_report(f, report, opts, kind);
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
	/* Said only when a tree has C extensions that async code reaches. */
	if (r->foreign.read)
		fprintf(stderr, "timings: C extension files read: %zu, not read fully: %zu\n", r->foreign.read,
			r->foreign.partial);
}

/* The text format's last line, on stderr, from the counts of report's last complete
 * pass; with a baseline, it says how many findings the baseline kept out. */
static void print_summary(const struct aa_report *report, size_t n_files)
{
	size_t baselined = report->baseline ? report->found - report->shown : 0;
	char *also = baselined ? aa_xasprintf(" (%zu more in the baseline)", baselined) : aa_xstrdup("");
	if (!report->shown) {
		fprintf(stderr, "No findings in %zu file%s%s.\n", n_files, n_files == 1 ? "" : "s", also);
		free(also);
		return;
	}
	fprintf(stderr, "Found %zu finding%s in %zu of %zu file%s%s.\n", report->shown, report->shown == 1 ? "" : "s",
		report->files_shown, n_files, n_files == 1 ? "" : "s", also);
	free(also);
}

/* The report's filter (report.h): the configuration's selection and severities. */
static void apply_configs(void *configs, struct aa_diag_list *group)
{
	aa_configs_apply(configs, group);
}

static int config_errors(struct aa_configs *configs)
{
	for (size_t i = 0; i < configs->n_errors; i++)
		error("%s", configs->errors[i]);
	return configs->n_errors ? EXIT_ERROR : EXIT_CLEAN;
}

/* The language server, under the configuration files as `check` reads them. The command
 * line's own settings are checked first: they are the server's fallback. */
static int cmd_server(const struct aa_cli *cli)
{
	struct aa_wsconfig_ops ops;
	aa_server_config_ops(&ops, cli);
	struct aa_wsconfig *defaults = ops.load(ops.ud, true);
	const char *const *errors;
	size_t n = ops.errors(defaults, &errors);
	for (size_t i = 0; i < n; i++)
		error("%s", errors[i]);
	ops.free_reading(defaults);
	return n ? EXIT_ERROR : aa_server_run(&ops, STDIN_FILENO, STDOUT_FILENO);
}

/* Each file's resolved settings (files[i] -> *resolved[i]) and the union of their
 * rules in enabled. */
static void resolve_files(struct aa_configs *configs, const struct aa_discovered_file *files, size_t n,
			  const struct aa_resolved **resolved, bool *enabled)
{
	for (size_t i = 0; i < n; i++) {
		resolved[i] = aa_configs_resolve(configs, aa_configs_for(configs, files[i].path));
		for (size_t k = 0; k < aa_rules_count; k++)
			enabled[k] |= resolved[i]->enabled[k];
	}
}

/*
 * --fix, --diff, --add-noqa over the run's findings (analyzer/fix/fixer.h). With
 * *stdin_bytes (standard input's bytes, NULL for files), --fix replaces them by the fixed
 * bytes and writes those to stdout. Prints what was done to stderr. Returns how many
 * fixes were applied (would be, with --diff; noqa comments added); *failed is set when
 * a file could not be fixed or written (the others are).
 */
static size_t apply_fixes(const struct aa_cli *cli, const struct aa_engine *engine, const struct aa_diag_list *diags,
			  char **stdin_bytes, size_t *stdin_len, bool *failed)
{
	struct aa_fixer_opts opts = { .unsafe = cli->unsafe_fixes, .diff = cli->diff ? stdout : NULL };
	struct aa_fixer_stats stats;
	if (cli->add_noqa) {
		aa_fixer_add_noqa(engine, diags, &stats);
		fprintf(stderr, "Added %zu noqa directive%s to %zu file%s.\n", stats.fixes, stats.fixes == 1 ? "" : "s",
			stats.files, stats.files == 1 ? "" : "s");
	} else if (stdin_bytes) {
		char *out = NULL;
		size_t out_len = 0;
		const char *name = cli->stdin_filename ? cli->stdin_filename : "-";
		if (*stdin_bytes)
			aa_fixer_bytes(engine, name, *stdin_bytes, *stdin_len, diags, &opts, &out, &out_len, &stats);
		else
			memset(&stats, 0, sizeof(stats));
		if (out && !cli->diff && fwrite(out, 1, out_len, stdout) != out_len)
			stats.errors++;
		if (out) {
			free(*stdin_bytes);
			*stdin_bytes = out;
			*stdin_len = out_len;
		}
	} else {
		aa_fixer_files(engine, diags, &opts, &stats);
	}
	if (!cli->add_noqa && (stats.fixes || cli->diff))
		fprintf(stderr, "%s %zu finding%s in %zu file%s.\n", cli->diff ? "Would fix" : "Fixed", stats.fixes,
			stats.fixes == 1 ? "" : "s", stats.files, stats.files == 1 ? "" : "s");
	*failed = stats.errors > 0;
	return stats.fixes;
}

static int cmd_check(const struct aa_cli *cli)
{
	struct aa_configs configs;
	if (aa_configs_init(&configs, cli) < 0) {
		config_errors(&configs);
		aa_configs_release(&configs);
		return EXIT_ERROR;
	}
	if (cli->show_settings) {
		const struct aa_resolved *r = aa_configs_resolve(&configs, aa_configs_for(&configs, cli->show_settings));
		int rc = config_errors(&configs);
		if (rc == EXIT_CLEAN)
			aa_resolved_print(&configs, r, cli->show_settings, stdout);
		aa_configs_release(&configs);
		return rc;
	}
	/* A baseline that cannot be used stops the run before it starts. */
	struct aa_baseline baseline = { 0 };
	char *baseline_error = NULL;
	if (cli->baseline && aa_baseline_read(&baseline, cli->baseline, &baseline_error) < 0) {
		error("%s", baseline_error);
		free(baseline_error);
		aa_baseline_release(&baseline);
		aa_configs_release(&configs);
		return EXIT_ERROR;
	}
	/* Run-wide keys: the command line's, else the current directory's configuration's. */
	const struct aa_config *root = aa_configs_for_dir(&configs, ".");
	const struct aa_config *v = aa_configs_source(&configs, root, AA_OPT_FORMAT);
	enum aa_format format = v ? (enum aa_format)v->format : AA_FORMAT_TEXT;
	v = aa_configs_source(&configs, root, AA_OPT_JOBS);
	unsigned jobs = v ? v->jobs : 0;
	bool respect_gitignore = aa_configs_respect_gitignore(&configs, ".");
	/* The command line's --exclude and --extend-exclude, relative to the current
	 * directory; the files' are the filter's. */
	const char **excludes;
	size_t n_excludes = aa_configs_cli_excludes(&configs, &excludes);

	int status = EXIT_CLEAN;
	bool *enabled = aa_xcalloc(aa_rules_count, sizeof(bool));
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		error("cannot determine the current directory: %s", strerror(errno));
		free(enabled);
		free(excludes);
		aa_baseline_release(&baseline);
		aa_configs_release(&configs);
		return EXIT_ERROR;
	}

	struct aa_run_result result = { 0 };
	size_t n_files = 0;
	double t_start = aa_run_now(), discovery_secs = 0, modmap_secs = 0;
	bool use_stdin = cli->stdin_filename || (cli->paths.len == 1 && !strcmp(cli->paths.items[0], "-"));
	struct aa_discovery disc = { 0 };
	const struct aa_resolved **resolved = NULL;
	const struct aa_file_settings **settings = NULL;
	static const char *const dot[] = { ".", NULL };
	const char *const *paths = cli->paths.len ? cli->paths.items : dot;
	size_t n_paths = cli->paths.len ? cli->paths.len : 1;
	const char *stdin_name = cli->stdin_filename ? cli->stdin_filename : "-";
	/* --fix analyzes twice: the report is of what remains. The stdin bytes are kept
	 * for it (owned; NULL when unread or excluded). */
	char *stdin_bytes = NULL;
	size_t stdin_len = 0;
	bool rerun = false;
	if (use_stdin) {
		if (!aa_path_excluded(stdin_name, excludes, n_excludes) && !aa_configs_excluded(&configs, stdin_name)) {
			AA_GROW(disc.files, disc.cap, 1);
			disc.files[0] = (struct aa_discovered_file){ .path = aa_xstrdup(stdin_name) };
			disc.len = 1;
		}
	} else {
		struct aa_discover_opts opts = aa_configs_discover_opts(&configs, respect_gitignore);
		aa_discover_with(paths, n_paths, excludes, n_excludes, &opts, &disc);
		if (cli->context.len)
			aa_discovery_add_context(&disc, cli->context.items, cli->context.len, excludes, n_excludes);
		for (size_t i = 0; i < disc.n_errors; i++)
			error("%s", disc.errors[i]);
		if (disc.n_errors)
			status = EXIT_ERROR;
	}
	resolved = aa_xcalloc(disc.len ? disc.len : 1, sizeof(*resolved));
	settings = aa_xcalloc(disc.len ? disc.len : 1, sizeof(*settings));
	resolve_files(&configs, disc.files, disc.len, resolved, enabled);
	if (!disc.len) /* nothing to analyze: the command line's selection is still checked */
		memcpy(enabled, aa_configs_resolve(&configs, NULL)->enabled, aa_rules_count * sizeof(bool));
	for (size_t i = 0; i < disc.len; i++)
		settings[i] = &resolved[i]->settings;
	/* Finding each file's configuration is part of choosing the files. */
	if (!use_stdin)
		discovery_secs = aa_run_now() - t_start;
	if (configs.n_errors) {
		status = config_errors(&configs);
		goto out;
	}
	if (cli->show_files) {
		for (size_t i = 0; i < disc.len; i++) {
			const struct aa_config *cfg = resolved[i]->file;
			printf("%s\t%s\n", disc.files[i].path, cfg && cfg->path ? cfg->path : "-");
		}
		goto out;
	}

	struct aa_engine engine;
	const char *engine_error = NULL;
	static const char *const no_calls[] = { NULL };
	if (aa_engine_init(&engine, enabled, cli->blocking_calls.len ? cli->blocking_calls.items : no_calls,
			   &engine_error) < 0) {
		error("the pinned grammar lacks the node kind '%s' (build/pin mismatch)", engine_error);
		status = EXIT_ERROR;
		goto out;
	}
	aa_engine_set_file_settings(&engine, settings);
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (unsigned)(n > 64 ? 64 : n) : 1;
	}
	/* Module names matter only to the project index; a file under a src package root is
	 * named from it. */
	struct aa_modmap *modmap = NULL;
	if (!use_stdin && engine.uses_index) {
		double t_modmap = aa_run_now();
		char **src = NULL;
		size_t n_src = 0;
		aa_configs_src(&configs, &src, &n_src);
		/* The context paths are roots too: their files' module names are as a run over
		 * them would give. */
		const char **roots = aa_xmalloc((n_paths + cli->context.len) * sizeof(*roots));
		memcpy(roots, paths, n_paths * sizeof(*roots));
		if (cli->context.len)
			memcpy(roots + n_paths, cli->context.items, cli->context.len * sizeof(*roots));
		modmap = aa_modmap_build(disc.files, disc.len, roots, n_paths + cli->context.len,
					 (const char *const *)src, n_src);
		free(roots);
		for (size_t i = 0; i < n_src; i++)
			free(src[i]);
		free(src);
		modmap_secs = aa_run_now() - t_modmap;
	}
	aa_engine_set_modmap(&engine, modmap);
	if (use_stdin && read_stdin(&stdin_bytes, &stdin_len) < 0) {
		error("cannot read standard input%s", "");
		status = EXIT_ERROR;
	}
	if (use_stdin && !disc.len) {
		free(stdin_bytes);
		stdin_bytes = NULL;
	}
again:
	if (use_stdin) {
		char *data = NULL;
		if (stdin_bytes) {
			n_files = 1;
			data = aa_xmalloc(stdin_len + 1);
			memcpy(data, stdin_bytes, stdin_len);
		}
		aa_run_bytes(&engine, stdin_name, data, data ? stdin_len : 0, &result);
		aa_findings_take_list(&result.findings, &result.diags);
	} else {
		struct aa_run_progress counter = { 0, disc.len };
		struct aa_progress_line line;
		if (!cli->quiet && !rerun)
			aa_progress_start(&line, &counter);
		aa_run_files(&engine, disc.files, disc.len, jobs, &counter, &result);
		if (!cli->quiet && !rerun)
			aa_progress_stop(&line);
		n_files = 0;
		for (size_t i = 0; i < disc.len; i++)
			n_files += !disc.files[i].context;
	}
	if (result.internal_errors) {
		fprintf(stderr, "async-analyzer: error: internal error on %d file%s\n", result.internal_errors,
			result.internal_errors == 1 ? "" : "s");
		status = EXIT_ERROR;
	}
	if (!rerun && (cli->fix || cli->diff || cli->add_noqa)) {
		/* The fixer takes a plain list, as the configuration leaves it. */
		struct aa_diag_list all;
		aa_diag_list_init(&all);
		aa_findings_copy_all(&result.findings, &all);
		aa_configs_apply(&configs, &all);
		aa_diag_list_sort(&all);
		bool failed = false;
		size_t fixed = apply_fixes(cli, &engine, &all, use_stdin ? &stdin_bytes : NULL, &stdin_len, &failed);
		aa_diag_list_release(&all);
		if (failed)
			status = EXIT_ERROR;
		if (cli->diff || cli->add_noqa) {
			status = status == EXIT_ERROR ? EXIT_ERROR : cli->diff && fixed ? EXIT_FINDINGS : EXIT_CLEAN;
			aa_findings_release(&result.findings);
			engine.modmap = NULL;
			aa_modmap_free(modmap);
			aa_engine_release(&engine);
			goto out;
		}
		if (fixed) {
			aa_findings_release(&result.findings);
			rerun = true;
			goto again;
		}
	}
	engine.modmap = NULL;
	aa_modmap_free(modmap);
	aa_engine_release(&engine);
	/* Findings own their paths: the files and their settings are done with before the
	 * report's peak (80 bytes a file: 100,000 files named one by one hold 8 MB). */
	free(resolved);
	resolved = NULL;
	free(settings);
	settings = NULL;
	aa_discovery_release(&disc);

	double t_output = aa_run_now();
	char *srcroot = find_srcroot(cwd);
	struct aa_emit_opts opts = {
		.format = format,
		.color = want_color(cli),
		.cwd = cwd,
		.srcroot = srcroot,
		.execution_successful = status != EXIT_ERROR,
		.rules_selected = enabled,
		.c_files_read = result.foreign.read,
		.c_files_partial = result.foreign.partial,
	};
	/* The writers read the findings through the report, one path at a time: filtered by
	 * the configuration, fingerprinted, then those the baseline records dropped. */
	struct aa_report report;
	aa_report_init(&report, &result.findings);
	report.filter = apply_configs;
	report.filter_ud = &configs;
	report.baseline = cli->baseline ? &baseline : NULL;
	enum output_kind kind = cli->write_baseline ? OUTPUT_BASELINE : cli->statistics ? OUTPUT_STATISTICS : OUTPUT_REPORT;
	const char *out_path = cli->write_baseline ? cli->write_baseline : cli->output;
	/* Fixing standard input: stdout holds the fixed source, the report goes to stderr. */
	FILE *to = use_stdin && cli->fix ? stderr : stdout;
	int emit_rc = out_path ? emit_to_file(out_path, &report, &opts, kind) : write_output(to, &report, &opts, kind);
	if (emit_rc != 0)
		status = EXIT_ERROR;
	/* No summary of a report that was not written (its counts are those of the pass
	 * that wrote it). */
	if (!cli->quiet && emit_rc == 0 && kind == OUTPUT_BASELINE)
		fprintf(stderr, "Wrote %zu finding%s to the baseline %s.\n", report.shown, report.shown == 1 ? "" : "s",
			cli->write_baseline);
	else if (!cli->quiet && format == AA_FORMAT_TEXT && kind == OUTPUT_REPORT && emit_rc == 0)
		print_summary(&report, n_files);
	if (cli->timings)
		print_timings(&result, n_files, discovery_secs, modmap_secs, aa_run_now() - t_output,
			      aa_run_now() - t_start);
	/* The findings a baseline records are reported nowhere: it is their record. */
	if (status != EXIT_ERROR && kind != OUTPUT_BASELINE && report.shown && !cli->exit_zero)
		status = EXIT_FINDINGS;
	free(srcroot);
	aa_findings_release(&result.findings);
out:
	free(stdin_bytes);
	free(resolved);
	free(settings);
	aa_discovery_release(&disc);
	free(enabled);
	free(excludes);
	aa_baseline_release(&baseline);
	aa_configs_release(&configs);
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
		aa_cli_print_help(stdout);
		status = EXIT_CLEAN;
		break;
	case AA_CMD_HELP_CONFIG:
		aa_cli_print_config_doc(stdout);
		status = EXIT_CLEAN;
		break;
	case AA_CMD_VERSION:
		printf("async-analyzer %s\n", AA_VERSION);
		status = EXIT_CLEAN;
		break;
	case AA_CMD_RULE:
		status = cmd_rule(&cli);
		break;
	case AA_CMD_SERVER:
		status = cmd_server(&cli);
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
