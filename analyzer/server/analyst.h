/*
 * analyst.h: the language server's analysis thread and the project it keeps warm.
 *
 * The main thread hands the analyst operations: a document's new text, a document
 * closed, files changed on disk, the workspace root. The analyst takes every operation
 * waiting, applies them all, then analyzes once: the workspace is a project
 * (analyzer/engine/project.h) whose open documents' texts replace their files, so only
 * what changed is analyzed again and the cross-file findings are relinked each time; a
 * helper module's edit reaches the findings of its open callers. For every open document
 * it posts an AA_EVENT_RESULT (uri, version, findings) to the main thread's queue. A
 * document outside the workspace is analyzed alone (aa_run_bytes).
 *
 * Every file is analyzed with the settings its configuration file gives it, as `check`
 * would (wsconfig.h): the engine runs the union of the files' rules, each file's findings
 * are then filtered and given their severities. The configuration is read again when the
 * workspace is (a change on disk, the client's didChangeConfiguration). A reading with
 * errors is not used: its errors go to the main thread (AA_EVENT_CONFIG) and the last
 * reading without any stays in force, or, when there never was one, the defaults.
 *
 * The analyst owns the configuration's reading, the engine, the project, its files and
 * module map. Allocation failure exits.
 */
#ifndef AA_ANALYST_H
#define AA_ANALYST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/engine/analyze.h"
#include "analyzer/server/events.h"
#include "analyzer/server/wsconfig.h"

enum aa_analyst_op_kind {
	AA_OP_ROOT,    /* path: the workspace root (discover it; a project of its files) */
	AA_OP_TEXT,    /* uri, path, version, text: an open document's current text */
	AA_OP_CLOSE,   /* uri, path: closed; its file is read from disk again */
	AA_OP_CHANGED, /* path: a file changed on disk */
	/* files were created or deleted, or the configuration changed: read the configuration
	 * and discover the workspace again */
	AA_OP_RESCAN,
};

struct aa_analyst_op {
	enum aa_analyst_op_kind kind;
	char *uri;       /* owned, or NULL */
	char *path;      /* owned, or NULL */
	char *text;      /* owned, or NULL */
	size_t len;
	int64_t version;
};

struct aa_analyst_doc; /* an open document as the analyst knows it (analyst.c) */

struct aa_analyst {
	const struct aa_wsconfig_ops *config; /* borrowed; the workspace's configuration */
	struct aa_event_queue *results;  /* borrowed; where findings go */
	unsigned jobs;                   /* threads of a project run */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct aa_analyst_op *ops;       /* owned; waiting, oldest first */
	size_t n_ops, ops_cap;
	bool stop;
	pthread_t thread;
	/* The analyst thread's own (nothing below is touched by another thread). */
	char *root;                      /* owned; the workspace root, or NULL */
	/* owned; the configuration's reading in use: the last one without errors, else the
	 * defaults' (fallback); NULL before the first */
	struct aa_wsconfig *settings;
	bool fallback;
	size_t errors_posted;            /* how many of its errors were posted */
	struct aa_engine engine;         /* the union of the files' rules, when have_engine */
	bool have_engine;
	/* owned array of settings borrowed from the reading: per file of disc */
	const struct aa_file_settings **file_settings;
	struct aa_discovery *disc;       /* owned; the root's files, or NULL */
	struct aa_modmap *modmap;        /* owned */
	struct aa_project *project;      /* owned */
	struct aa_analyst_doc *docs;     /* owned; the open documents */
	size_t n_docs, docs_cap;
};

/* Starts the analyst's thread with jobs (>= 1) threads for project runs; config is
 * borrowed (outliving aa_analyst_stop). Returns 0, or -1 when the thread cannot start. */
int aa_analyst_start(struct aa_analyst *a, const struct aa_wsconfig_ops *config, struct aa_event_queue *results,
		     unsigned jobs);
/* Queues op (its members taken). Any thread but the analyst's. */
void aa_analyst_submit(struct aa_analyst *a, struct aa_analyst_op op);
/* Stops the thread after the analysis in flight, drops waiting operations, joins, frees
 * the project, the engine and the configuration's reading. */
void aa_analyst_stop(struct aa_analyst *a);

#endif
