/* The warm project (analyzer/engine/project.h) on fixtures/aa1/deep_chain, a handler that
 * reaches time.sleep through nine modules (AA109): a second run with nothing changed
 * analyzes nothing and finds the same; the editor's text of the last module, without the
 * blocking call, removes the handler's finding; back to the file on disk, it is back;
 * one thread or four, the same findings. And a noqa that a cross-file finding used is
 * unused (AA003) once the finding goes. Run from the repository root (suite.sh does). */
#include "tests/check.h"
#include "analyzer/base/buf.h"
#include "analyzer/check/rule.h"
#include "analyzer/engine/analyze.h"
#include "analyzer/engine/project.h"
#include "analyzer/index/modmap.h"
#include "analyzer/input/discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char root[] = "fixtures/aa1/deep_chain";

/* The findings, one "path:line:col CODE" line each, sorted: the run's cross-file ones and
 * every file's local ones. */
static char *findings(struct aa_project *p, size_t n, struct aa_project_stats *st)
{
	struct aa_diag_list cross;
	aa_diag_list_init(&cross);
	aa_project_run(p, &cross, st, NULL);
	struct aa_buf out = AA_BUF_INIT;
	for (size_t i = 0; i < cross.len; i++)
		aa_buf_addf(&out, "%s:%u:%u %s\n", cross.items[i].path, cross.items[i].span.line, cross.items[i].span.col,
			    cross.items[i].rule->code);
	for (size_t f = 0; f < n; f++) {
		struct aa_diag_list l;
		aa_diag_list_init(&l);
		aa_project_copy_local(p, f, &l);
		for (size_t i = 0; i < l.len; i++)
			aa_buf_addf(&out, "%s:%u:%u %s\n", l.items[i].path, l.items[i].span.line, l.items[i].span.col,
				    l.items[i].rule->code);
		aa_diag_list_release(&l);
	}
	aa_diag_list_release(&cross);
	return aa_buf_detach(&out);
}

/* Writes text to dir/name; false when it cannot. */
static bool put(const char *dir, const char *name, const char *text)
{
	char *path = aa_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;
	ok = f && fclose(f) == 0 && ok;
	free(path);
	return ok;
}

/* AA003 (unused-noqa) over the runs of one project: worker.py's `# noqa: AA306`, which
 * the link uses while app.py fans fetch() out, stops being used when app.py no longer
 * does, though worker.py is not analyzed again: the uses one link records do not carry
 * over to the next. */
static void check_noqa_marks(struct check *t)
{
	char dir[] = "/tmp/aa-project-test.XXXXXX";
	static const char worker[] = "import aiohttp\n\n\nasync def fetch(url):\n"
				     "    async with aiohttp.ClientSession() as session:  # noqa: AA306\n"
				     "        return await session.get(url)\n";
	static const char fanout[] = "import asyncio\nimport sys\n\nfrom pkg import worker\n\n\nasync def main():\n"
				     "    await asyncio.gather(*[worker.fetch(u) for u in sys.argv])\n";
	static const char single[] = "import asyncio\nimport sys\n\nfrom pkg import worker\n\n\nasync def main():\n"
				     "    await worker.fetch(sys.argv[0])\n";
	char *pkg = mkdtemp(dir) ? aa_xasprintf("%s/pkg", dir) : NULL;
	if (!pkg || mkdir(pkg, 0700) != 0 || !put(pkg, "__init__.py", "") || !put(pkg, "worker.py", worker) ||
	    !put(pkg, "app.py", fanout)) {
		CHECK(t, false, "cannot write the project under %s", dir);
		free(pkg);
		return;
	}
	bool *enabled = aa_xcalloc(aa_rules_count, sizeof(bool));
	for (size_t i = 0; i < aa_rules_count; i++)
		enabled[i] = aa_rules[i]->default_on || aa_rules[i]->always_on || !strcmp(aa_rules[i]->code, "AA003") ||
			     !strcmp(aa_rules[i]->code, "AA301") || !strcmp(aa_rules[i]->code, "AA306");
	struct aa_engine engine;
	const char *error = NULL;
	static const char *const no_calls[] = { NULL };
	int rc = aa_engine_init(&engine, enabled, no_calls, &error);
	CHECK(t, rc == 0, "the grammar has every name (%s)", rc ? error : "");
	const char *roots[] = { dir };
	struct aa_discovery disc;
	aa_discover(roots, 1, NULL, 0, &disc);
	struct aa_modmap *modmap = aa_modmap_build(disc.files, disc.len, roots, 1, NULL, 0);
	aa_engine_set_modmap(&engine, modmap);
	struct aa_project *p = rc == 0 ? aa_project_new(&engine, disc.files, disc.len, 2) : NULL;
	char *app = aa_xasprintf("%s/app.py", pkg);
	size_t app_file = p ? aa_project_find(p, app) : (size_t)-1;
	CHECK(t, app_file != (size_t)-1, "app.py is in the project");
	if (app_file != (size_t)-1) {
		struct aa_project_stats st;
		char *used = findings(p, disc.len, &st);
		CHECK(t, strstr(used, "app.py:8:11 AA301\n") && !strstr(used, "AA306") && !strstr(used, "AA003"),
		      "the fan-out: AA301, and worker.py's noqa suppresses AA306:\n%s", used);
		aa_project_set_text(p, app_file, aa_xstrdup(single), sizeof(single) - 1);
		char *stale = findings(p, disc.len, &st);
		CHECK(t, strstr(stale, "worker.py:5:53 AA003\n") != NULL,
		      "no fan-out, worker.py not analyzed again: its noqa is unused (AA003):\n%s", stale);
		CHECK_UINT(t, "only app.py analyzed again", 1, st.analyzed);
		aa_project_set_text(p, app_file, NULL, 0);
		char *back = findings(p, disc.len, &st);
		CHECK_STR(t, "the fan-out back: the noqa used again", used, back);
		free(used);
		free(stale);
		free(back);
	}
	aa_project_free(p);
	engine.modmap = NULL;
	aa_modmap_free(modmap);
	aa_discovery_release(&disc);
	if (rc == 0)
		aa_engine_release(&engine);
	free(enabled);
	for (size_t i = 0; i < 3; i++) {
		static const char *const names[] = { "__init__.py", "worker.py", "app.py" };
		char *path = aa_xasprintf("%s/%s", pkg, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(pkg);
	rmdir(dir);
	free(app);
	free(pkg);
}

int main(void)
{
	struct check t = CHECK_INIT("project_test");
	bool *enabled = aa_xcalloc(aa_rules_count, sizeof(bool));
	for (size_t i = 0; i < aa_rules_count; i++)
		enabled[i] = aa_rules[i]->default_on || aa_rules[i]->always_on;
	enabled[aa_rule_index(aa_rule_find("AA109"))] = true; /* the chains this test follows */
	struct aa_engine engine;
	const char *error = NULL;
	static const char *const no_calls[] = { NULL };
	if (aa_engine_init(&engine, enabled, no_calls, &error) < 0) {
		fprintf(stderr, "project_test: the grammar lacks '%s'\n", error);
		return 2;
	}
	const char *roots[] = { root };
	struct aa_discovery disc;
	aa_discover(roots, 1, NULL, 0, &disc);
	if (disc.n_errors || disc.len < 10) {
		fprintf(stderr, "project_test: cannot list %s (run from the repository root)\n", root);
		return 2;
	}
	struct aa_modmap *modmap = aa_modmap_build(disc.files, disc.len, roots, 1, NULL, 0);
	aa_engine_set_modmap(&engine, modmap);

	struct aa_project *p = aa_project_new(&engine, disc.files, disc.len, 2);
	struct aa_project_stats st;
	char *first = findings(p, disc.len, &st);
	CHECK(&t, strstr(first, "deep_chain/app.py:5:5 AA109\n") != NULL, "the chain's finding:\n%s", first);
	CHECK(&t, st.analyzed == disc.len, "the first run analyzes every file (%zu of %zu)", st.analyzed, disc.len);

	char *again = findings(p, disc.len, &st);
	CHECK_STR(&t, "nothing changed: the same findings", first, again);
	CHECK_UINT(&t, "nothing changed: nothing analyzed", 0, st.analyzed);
	free(again);

	size_t last = aa_project_find(p, "fixtures/aa1/deep_chain/chain/step9.py");
	CHECK(&t, last != (size_t)-1, "step9.py is in the project");
	if (last != (size_t)-1) {
		aa_project_set_text(p, last, aa_xstrdup("def run(x):\n    return x\n"), 25);
		char *edited = findings(p, disc.len, &st);
		CHECK(&t, !strstr(edited, "AA109"), "the editor's text without the blocking call: no chain:\n%s", edited);
		CHECK_UINT(&t, "one file analyzed again", 1, st.analyzed);
		free(edited);
		aa_project_set_text(p, last, NULL, 0);
		char *back = findings(p, disc.len, &st);
		CHECK_STR(&t, "back to the file on disk: the chain again", first, back);
		free(back);
	}
	aa_project_free(p);

	p = aa_project_new(&engine, disc.files, disc.len, 4);
	char *four = findings(p, disc.len, &st);
	CHECK_STR(&t, "four threads: the same findings", first, four);
	free(four);
	aa_project_free(p);

	free(first);
	check_noqa_marks(&t);
	engine.modmap = NULL;
	aa_modmap_free(modmap);
	aa_discovery_release(&disc);
	aa_engine_release(&engine);
	free(enabled);
	return check_done(&t);
}
