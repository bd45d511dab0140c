#include "analyzer/server/analyst.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/engine/project.h"
#include "analyzer/engine/run.h"
#include "analyzer/index/modmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct aa_analyst_doc {
	char *uri;       /* owned */
	char *path;      /* owned */
	char *text;      /* owned; the editor's text (kept to re-apply after a rescan) */
	size_t len;
	int64_t version;
	size_t file;     /* its file in the project, or (size_t)-1: analyzed alone */
	bool dirty;      /* its text changed since it was last analyzed (alone) */
};

static void free_op(struct aa_analyst_op *op)
{
	free(op->uri);
	free(op->path);
	free(op->text);
}

static char *copy_text(const char *text, size_t len)
{
	char *c = aa_xmalloc(len + 1);
	memcpy(c, text, len);
	c[len] = '\0';
	return c;
}

/* Frees the project and what it was made of; the engine stays (it is built again only
 * when the rules change). */
static void drop_project(struct aa_analyst *a)
{
	aa_project_free(a->project);
	a->project = NULL;
	a->engine.modmap = NULL;
	a->engine.file_settings = NULL;
	aa_modmap_free(a->modmap);
	a->modmap = NULL;
	free(a->file_settings);
	a->file_settings = NULL;
	if (a->disc) {
		aa_discovery_release(a->disc);
		free(a->disc);
		a->disc = NULL;
	}
}

/* The settings of the file at path (NULL: its configuration excludes it), its rules ORed
 * into want (one per aa_rules[]). */
static const struct aa_file_settings *add_rules(struct aa_analyst *a, const char *path, bool *want)
{
	const bool *enabled;
	const struct aa_file_settings *settings = a->config->file(a->settings, path, &enabled);
	for (size_t k = 0; enabled && k < aa_rules_count; k++)
		want[k] |= enabled[k];
	return settings;
}

/* Builds the engine for the rules of want, unless it runs exactly those already. False
 * when it cannot be built (said on stderr: the pinned grammar lacks a name). */
static bool make_engine(struct aa_analyst *a, const bool *want)
{
	if (a->have_engine && !memcmp(a->engine.enabled, want, aa_rules_count * sizeof(bool)))
		return true;
	if (a->have_engine)
		aa_engine_release(&a->engine);
	const char *error = NULL;
	a->have_engine = aa_engine_init(&a->engine, want, a->config->blocking_calls, &error) == 0;
	if (!a->have_engine)
		fprintf(stderr,
			"async-analyzer server: the pinned grammar lacks the node kind '%s' (build/pin mismatch)\n", error);
	return a->have_engine;
}

/* The project of the root's files under the configuration's reading in use, with the
 * open documents' texts in it; every open document is analyzed again. The engine runs
 * the union of the rules of the root's files and the open documents, as `check` runs
 * the union of its files'. */
static void build_project(struct aa_analyst *a)
{
	drop_project(a);
	bool *want = aa_xcalloc(aa_rules_count ? aa_rules_count : 1, sizeof(bool));
	if (a->root) {
		a->disc = aa_xcalloc(1, sizeof(*a->disc));
		a->config->discover(a->settings, a->root, a->disc);
		a->file_settings = aa_xcalloc(a->disc->len ? a->disc->len : 1, sizeof(*a->file_settings));
		for (size_t i = 0; i < a->disc->len; i++)
			a->file_settings[i] = add_rules(a, a->disc->files[i].path, want);
	}
	for (size_t i = 0; i < a->n_docs; i++) {
		a->docs[i].file = (size_t)-1;
		a->docs[i].dirty = true;
		add_rules(a, a->docs[i].path, want);
	}
	bool ok = make_engine(a, want);
	free(want);
	if (!ok || !a->root)
		return;
	aa_engine_set_file_settings(&a->engine, a->file_settings);
	char **src = NULL;
	size_t n_src = 0;
	a->config->src(a->settings, &src, &n_src);
	const char *roots[] = { a->root };
	a->modmap = aa_modmap_build(a->disc->files, a->disc->len, roots, 1, (const char *const *)src, n_src);
	for (size_t i = 0; i < n_src; i++)
		free(src[i]);
	free(src);
	aa_engine_set_modmap(&a->engine, a->modmap);
	a->project = aa_project_new(&a->engine, a->disc->files, a->disc->len, a->jobs);
	for (size_t i = 0; i < a->n_docs; i++) {
		struct aa_analyst_doc *d = &a->docs[i];
		d->file = aa_project_find(a->project, d->path);
		if (d->file != (size_t)-1)
			aa_project_set_text(a->project, d->file, copy_text(d->text, d->len), d->len);
	}
}

/* Tells the main thread the configuration's errors (n may be 0: it is free of them). */
static void post_errors(struct aa_analyst *a, const char *const *errors, size_t n)
{
	struct aa_event *ev = aa_xcalloc(1, sizeof(*ev));
	ev->kind = AA_EVENT_CONFIG;
	ev->errors = aa_xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		ev->errors[i] = aa_xstrdup(errors[i]);
	ev->n_errors = n;
	ev->defaults = a->fallback;
	aa_event_queue_push(a->results, ev);
}

/* Posts the errors of the reading in use when it has met more since they were last
 * posted (a configuration file first read for a new directory or document). */
static void post_new_errors(struct aa_analyst *a)
{
	const char *const *errors;
	size_t n = a->config->errors(a->settings, &errors);
	if (n > a->errors_posted)
		post_errors(a, errors, n);
	a->errors_posted = n;
}

/* Reads the configuration again and builds the project with it. A reading with errors
 * (met anywhere in the workspace: the project's build meets every file's configuration)
 * is dropped for the last one without, or the defaults when there never was one, and its
 * errors are posted; one without errors says so (the main thread forgets what it
 * showed). */
static void reload(struct aa_analyst *a)
{
	struct aa_wsconfig *last = a->settings;
	a->settings = a->config->load(a->config->ud, false);
	build_project(a);
	const char *const *errors;
	size_t n = a->config->errors(a->settings, &errors);
	if (!n) {
		a->config->free_reading(last);
		a->fallback = false;
		a->errors_posted = 0;
		post_errors(a, NULL, 0);
		return;
	}
	if (!last) {
		last = a->config->load(a->config->ud, true);
		a->fallback = true;
		a->errors_posted = 0;
	}
	post_errors(a, errors, n);
	a->config->free_reading(a->settings);
	a->settings = last;
	build_project(a);
}

static struct aa_analyst_doc *find_doc(struct aa_analyst *a, const char *uri)
{
	for (size_t i = 0; i < a->n_docs; i++)
		if (!strcmp(a->docs[i].uri, uri))
			return &a->docs[i];
	return NULL;
}

static void on_text(struct aa_analyst *a, struct aa_analyst_op *op)
{
	struct aa_analyst_doc *d = find_doc(a, op->uri);
	if (!d) {
		AA_GROW(a->docs, a->docs_cap, a->n_docs + 1);
		d = &a->docs[a->n_docs++];
		*d = (struct aa_analyst_doc){ .uri = op->uri, .path = op->path, .file = (size_t)-1 };
		op->uri = op->path = NULL;
		if (a->project)
			d->file = aa_project_find(a->project, d->path);
	}
	free(d->text);
	d->text = op->text;
	d->len = op->len;
	op->text = NULL;
	d->version = op->version;
	d->dirty = true;
	if (d->file != (size_t)-1)
		aa_project_set_text(a->project, d->file, copy_text(d->text, d->len), d->len);
}

static void on_close(struct aa_analyst *a, const struct aa_analyst_op *op)
{
	struct aa_analyst_doc *d = find_doc(a, op->uri);
	if (!d)
		return;
	if (d->file != (size_t)-1)
		aa_project_set_text(a->project, d->file, NULL, 0);
	free(d->uri);
	free(d->path);
	free(d->text);
	size_t i = (size_t)(d - a->docs);
	memmove(a->docs + i, a->docs + i + 1, (a->n_docs - i - 1) * sizeof(*a->docs));
	a->n_docs--;
}

/* What an operation asks for. */
enum { NEEDS_RUN = 1, NEEDS_RELOAD = 2 };

/* Applies op; returns what it asks for: the project has something to analyze again, the
 * configuration and the workspace are to be read again. */
static unsigned apply(struct aa_analyst *a, struct aa_analyst_op *op)
{
	switch (op->kind) {
	case AA_OP_ROOT:
		free(a->root);
		a->root = op->path;
		op->path = NULL;
		return NEEDS_RELOAD;
	case AA_OP_RESCAN:
		return NEEDS_RELOAD;
	case AA_OP_TEXT:
		on_text(a, op);
		return NEEDS_RUN;
	case AA_OP_CLOSE:
		on_close(a, op);
		return NEEDS_RUN;
	case AA_OP_CHANGED: {
		size_t f = a->project ? aa_project_find(a->project, op->path) : (size_t)-1;
		if (f == (size_t)-1)
			return 0;
		/* An open document's text is the editor's, whatever the disk says. */
		for (size_t i = 0; i < a->n_docs; i++)
			if (a->docs[i].file == f)
				return 0;
		aa_project_changed(a->project, f);
		return NEEDS_RUN;
	}
	}
	return 0;
}

/* Whether the engine runs every rule of the documents analyzed alone: one opened under
 * a configuration of its own may enable more. */
static bool alone_covered(struct aa_analyst *a)
{
	for (size_t i = 0; i < a->n_docs; i++) {
		const bool *enabled;
		if (a->docs[i].file != (size_t)-1 || !a->docs[i].dirty ||
		    !a->config->file(a->settings, a->docs[i].path, &enabled))
			continue;
		for (size_t k = 0; k < aa_rules_count; k++)
			if (enabled[k] && (!a->have_engine || !a->engine.enabled[k]))
				return false;
	}
	return true;
}

static void post(struct aa_analyst *a, const struct aa_analyst_doc *d, struct aa_diag_list *diags)
{
	struct aa_event *ev = aa_xcalloc(1, sizeof(*ev));
	ev->kind = AA_EVENT_RESULT;
	ev->uri = aa_xstrdup(d->uri);
	ev->version = d->version;
	ev->diags = *diags;
	aa_diag_list_init(diags);
	aa_event_queue_push(a->results, ev);
}

/* Runs the project and posts the findings of every open document in it. */
static void run_project(struct aa_analyst *a)
{
	struct aa_diag_list cross;
	aa_diag_list_init(&cross);
	struct aa_project_stats stats;
	aa_project_run(a->project, &cross, &stats, NULL);
	for (size_t i = 0; i < a->n_docs; i++) {
		const struct aa_analyst_doc *d = &a->docs[i];
		if (d->file == (size_t)-1)
			continue;
		struct aa_diag_list mine;
		aa_diag_list_init(&mine);
		aa_project_copy_local(a->project, d->file, &mine);
		for (size_t k = 0; k < cross.len; k++)
			if (!strcmp(cross.items[k].path, d->path))
				aa_diag_list_copy(&mine, &cross.items[k]);
		a->config->apply(a->settings, &mine);
		aa_diag_list_sort(&mine);
		post(a, d, &mine);
	}
	aa_diag_list_release(&cross);
}

/* Analyzes d alone, under its file's settings (none when its configuration excludes it). */
static void run_alone(struct aa_analyst *a, struct aa_analyst_doc *d)
{
	d->dirty = false;
	const bool *enabled;
	const struct aa_file_settings *settings[] = { a->config->file(a->settings, d->path, &enabled) };
	struct aa_run_result result = { 0 };
	aa_diag_list_init(&result.diags);
	if (settings[0] && a->have_engine) {
		/* The engine's per-file settings are the project's; for this one run, d's. */
		a->engine.file_settings = settings;
		aa_run_bytes(&a->engine, d->path, copy_text(d->text, d->len), d->len, &result);
		a->engine.file_settings = a->file_settings;
		a->config->apply(a->settings, &result.diags);
	}
	post(a, d, &result.diags);
}

static void *analyst_main(void *arg)
{
	struct aa_analyst *a = arg;
	for (;;) {
		pthread_mutex_lock(&a->lock);
		while (!a->stop && !a->n_ops)
			pthread_cond_wait(&a->wake, &a->lock);
		if (a->stop) {
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
		/* Every operation waiting: one analysis answers them all. */
		struct aa_analyst_op *ops = a->ops;
		size_t n = a->n_ops;
		a->ops = NULL;
		a->n_ops = a->ops_cap = 0;
		pthread_mutex_unlock(&a->lock);

		unsigned asked = 0;
		for (size_t i = 0; i < n; i++) {
			asked |= apply(a, &ops[i]);
			free_op(&ops[i]);
		}
		free(ops);
		if (!a->settings || (asked & NEEDS_RELOAD)) {
			reload(a);
			asked |= NEEDS_RUN;
		}
		if (!alone_covered(a)) {
			build_project(a);
			asked |= NEEDS_RUN;
		}
		if (a->project && (asked & NEEDS_RUN))
			run_project(a);
		for (size_t i = 0; i < a->n_docs; i++)
			if (a->docs[i].file == (size_t)-1 && a->docs[i].dirty)
				run_alone(a, &a->docs[i]);
		post_new_errors(a);
	}
}

int aa_analyst_start(struct aa_analyst *a, const struct aa_wsconfig_ops *config, struct aa_event_queue *results,
		     unsigned jobs)
{
	memset(a, 0, sizeof(*a));
	a->config = config;
	a->results = results;
	a->jobs = jobs < 1 ? 1 : jobs;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->wake, NULL);
	if (pthread_create(&a->thread, NULL, analyst_main, a) != 0) {
		pthread_cond_destroy(&a->wake);
		pthread_mutex_destroy(&a->lock);
		return -1;
	}
	return 0;
}

void aa_analyst_submit(struct aa_analyst *a, struct aa_analyst_op op)
{
	pthread_mutex_lock(&a->lock);
	AA_GROW(a->ops, a->ops_cap, a->n_ops + 1);
	a->ops[a->n_ops++] = op;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
}

void aa_analyst_stop(struct aa_analyst *a)
{
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	for (size_t i = 0; i < a->n_ops; i++)
		free_op(&a->ops[i]);
	free(a->ops);
	a->ops = NULL;
	a->n_ops = a->ops_cap = 0;
	drop_project(a);
	if (a->have_engine)
		aa_engine_release(&a->engine);
	a->have_engine = false;
	a->config->free_reading(a->settings);
	a->settings = NULL;
	free(a->root);
	a->root = NULL;
	for (size_t i = 0; i < a->n_docs; i++) {
		free(a->docs[i].uri);
		free(a->docs[i].path);
		free(a->docs[i].text);
	}
	free(a->docs);
	a->docs = NULL;
	a->n_docs = a->docs_cap = 0;
	pthread_cond_destroy(&a->wake);
	pthread_mutex_destroy(&a->lock);
}
