/*
 * pipeline_fuzz.c: the libFuzzer target of the per-file pipeline. Each input is one
 * Python file's bytes, analyzed as `async-analyzer check --select ALL` analyzes standard
 * input (analyzer/engine/run.h's aa_run_bytes: decode, prefilter, parse, model, every
 * rule's check, the summary, then the cross-file stage on the one file), and the
 * findings are written as text and JSON to /dev/null. A crash, a sanitizer report, a
 * leak, an input slower than -timeout or a run past -rss_limit_mb is a finding of the
 * fuzzer. Built only with -DAA_FUZZ=ON (CMakeLists.txt); run by bench/fuzz.sh.
 *
 * The file is named test_fuzz.py in a temporary directory that holds only `.git` (made
 * at start-up, removed at exit): a project root without a pytest configuration, so the
 * pytest rules (AA601, AA602) read their configuration as they do on a real project,
 * and find pytest's strict default.
 */
#include "analyzer/base/xalloc.h"
#include "analyzer/check/diag.h"
#include "analyzer/check/rule.h"
#include "analyzer/engine/analyze.h"
#include "analyzer/engine/run.h"
#include "analyzer/report/emit.h"
#include "analyzer/report/report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's entry points take no context, so what start-up prepares lives here: set
 * once by LLVMFuzzerInitialize, read-only afterwards (libFuzzer runs inputs on one
 * thread). It lives until the process exits and is not released (still reachable, so no
 * leak report); only the temporary directory is removed, at exit. */
static struct fuzz_state {
	struct aa_engine engine; /* owned; every rule enabled */
	char dir[64];     /* the temporary project root */
	char *name;       /* owned; dir/test_fuzz.py */
	FILE *sink;       /* owned; /dev/null, where the emitters write */
} state;

static void remove_project(void)
{
	char git[sizeof state.dir + 8];
	snprintf(git, sizeof git, "%s/.git", state.dir);
	rmdir(git);
	rmdir(state.dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	aa_xalloc_install_tree_sitter();
	bool *enabled = aa_xcalloc(aa_rules_count, sizeof(bool));
	for (size_t i = 0; i < aa_rules_count; i++)
		enabled[i] = true;
	/* A configured blocking call of each form (AA110): a function and a method. */
	static const char *const blocking_calls[] = { "slowlib.fetch", "slowlib.Client.get", NULL };
	const char *error = NULL;
	if (aa_engine_init(&state.engine, enabled, blocking_calls, &error) < 0) {
		fprintf(stderr, "pipeline_fuzz: the grammar lacks the node kind '%s'\n", error);
		exit(2);
	}
	free(enabled);
	const char *tmp = getenv("TMPDIR");
	if (!tmp || strlen(tmp) > sizeof state.dir - 24)
		tmp = "/tmp";
	snprintf(state.dir, sizeof state.dir, "%s/aa-fuzz-XXXXXX", tmp);
	char git[sizeof state.dir + 8];
	if (!mkdtemp(state.dir) || snprintf(git, sizeof git, "%s/.git", state.dir) < 0 || mkdir(git, 0700) != 0) {
		perror("pipeline_fuzz: cannot make the temporary project");
		exit(2);
	}
	atexit(remove_project);
	state.name = aa_xasprintf("%s/test_fuzz.py", state.dir);
	state.sink = fopen("/dev/null", "w");
	if (!state.sink) {
		perror("pipeline_fuzz: /dev/null");
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* aa_run_bytes takes the bytes over; an exact-size copy keeps ASan's bounds tight. */
	char *copy = aa_xmalloc(size ? size : 1);
	memcpy(copy, data, size);
	struct aa_run_result result;
	aa_run_bytes(&state.engine, state.name, copy, size, &result);
	struct aa_emit_opts opts = { .format = AA_FORMAT_TEXT, .cwd = state.dir, .srcroot = state.dir };
	aa_findings_take_list(&result.findings, &result.diags);
	struct aa_report report;
	aa_report_init(&report, &result.findings);
	/* Writing to /dev/null cannot fail: a writer's -1 (out of memory) is a finding. */
	if (aa_emit_text(state.sink, &report, &opts) < 0 || aa_emit_json(state.sink, &report, &opts) < 0) {
		fprintf(stderr, "pipeline_fuzz: a writer failed\n");
		abort();
	}
	if (result.internal_errors) {
		/* The analyzer's own "internal error" (exit 2) is a bug like a crash. */
		fprintf(stderr, "pipeline_fuzz: internal error on the input\n");
		abort();
	}
	aa_findings_release(&result.findings);
	return 0;
}
