#include "analyzer/server/analyst.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/engine/project.h"
#include "analyzer/engine/run.h"
#include "analyzer/index/modmap.h"

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

static void drop_project(struct aa_analyst *a)
{
	aa_project_free(a->project);
	a->project = NULL;
	a->engine->modmap = NULL;
	aa_modmap_free(a->modmap);
	a->modmap = NULL;
	if (a->disc) {
		aa_discovery_release(a->disc);
		free(a->disc);
		a->disc = NULL;
	}
}

/* The project of the root's files, with the open documents' texts in it. */
static void build_project(struct aa_analyst *a)
{
	drop_project(a);
	for (size_t i = 0; i < a->n_docs; i++)
		a->docs[i].file = (size_t)-1;
	if (!a->root)
		return;
	a->disc = aa_xcalloc(1, sizeof(*a->disc));
	const char *roots[] = { a->root };
	aa_discover(roots, 1, NULL, 0, a->disc);
	a->modmap = aa_modmap_build(a->disc->files, a->disc->len, roots, 1, NULL, 0);
	aa_engine_set_modmap(a->engine, a->modmap);
	a->project = aa_project_new(a->engine, a->disc->files, a->disc->len, a->jobs);
	for (size_t i = 0; i < a->n_docs; i++) {
		struct aa_analyst_doc *d = &a->docs[i];
		d->file = aa_project_find(a->project, d->path);
		if (d->file != (size_t)-1)
			aa_project_set_text(a->project, d->file, copy_text(d->text, d->len), d->len);
	}
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

/* Applies op; returns whether the project has something to analyze again. */
static bool apply(struct aa_analyst *a, struct aa_analyst_op *op)
{
	switch (op->kind) {
	case AA_OP_ROOT:
		free(a->root);
		a->root = op->path;
		op->path = NULL;
		build_project(a);
		return true;
	case AA_OP_RESCAN:
		build_project(a);
		return true;
	case AA_OP_TEXT:
		on_text(a, op);
		return true;
	case AA_OP_CLOSE:
		on_close(a, op);
		return true;
	case AA_OP_CHANGED: {
		size_t f = a->project ? aa_project_find(a->project, op->path) : (size_t)-1;
		if (f == (size_t)-1)
			return false;
		/* An open document's text is the editor's, whatever the disk says. */
		for (size_t i = 0; i < a->n_docs; i++)
			if (a->docs[i].file == f)
				return false;
		aa_project_changed(a->project, f);
		return true;
	}
	}
	return false;
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
		const struct aa_diag_list *local = aa_project_local(a->project, d->file);
		for (size_t k = 0; k < local->len; k++)
			aa_diag_list_copy(&mine, &local->items[k]);
		for (size_t k = 0; k < cross.len; k++)
			if (!strcmp(cross.items[k].path, d->path))
				aa_diag_list_copy(&mine, &cross.items[k]);
		aa_diag_list_sort(&mine);
		post(a, d, &mine);
	}
	aa_diag_list_release(&cross);
}

static void run_alone(struct aa_analyst *a, struct aa_analyst_doc *d)
{
	struct aa_run_result result;
	aa_run_bytes(a->engine, d->path, copy_text(d->text, d->len), d->len, &result);
	d->dirty = false;
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

		bool project_changed = false;
		for (size_t i = 0; i < n; i++) {
			project_changed |= apply(a, &ops[i]);
			free_op(&ops[i]);
		}
		free(ops);
		if (a->project && project_changed)
			run_project(a);
		for (size_t i = 0; i < a->n_docs; i++)
			if (a->docs[i].file == (size_t)-1 && a->docs[i].dirty)
				run_alone(a, &a->docs[i]);
	}
}

int aa_analyst_start(struct aa_analyst *a, struct aa_engine *engine, struct aa_event_queue *results, unsigned jobs)
{
	memset(a, 0, sizeof(*a));
	a->engine = engine;
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
