/*
 * project.h: a project's per-file results, kept between analyses so that only what
 * changed is analyzed again (the language server's warm index; `check` runs it once).
 *
 * A project is a fixed list of files (discovery's, with the engine's module map). Each
 * file's local findings, summary and suppression comments are kept; aa_project_run
 * analyzes the files that changed since the last run (all of them the first time) with
 * `jobs` threads, then reads on demand the unparsed modules the cross-file analyses need
 * (a file read so once is always analyzed whole afterwards), links every summary into a
 * new index and returns the cross-file findings. A file's text may come from the editor
 * instead of the disk (aa_project_set_text). Output does not depend on `jobs`.
 *
 * Not thread-safe: one thread calls these functions (the run starts and joins its own
 * workers). Allocation failure exits (analyzer/base/xalloc.h).
 */
#ifndef AA_PROJECT_H
#define AA_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/check/diag.h"
#include "analyzer/check/findings.h"
#include "analyzer/engine/analyze.h"
#include "analyzer/engine/run.h"
#include "analyzer/input/discover.h"

struct aa_project;

/* What one aa_project_run did. */
struct aa_project_stats {
	size_t analyzed;       /* files analyzed in the first round (the changed ones) */
	size_t on_demand;      /* files parsed only because the index needed them */
	size_t parsed;         /* files parsed, on_demand included */
	unsigned rounds;       /* on-demand rounds that read files */
	int internal_errors;   /* files the analyzer failed on (exit 2) */
	struct aa_foreign_count foreign; /* C files the cross-file rules read (AA112) */
	/* Wall-clock seconds: the changed files; the on-demand rounds; linking, cross-file
	 * rules and freeing the index. */
	double per_file_secs, on_demand_secs, link_secs;
};

/* A project of files[0..n) (borrowed: they must outlive the project; their module names
 * come from engine's module map, which must be the map of exactly these files, or NULL),
 * analyzed with engine (borrowed, outliving the project) and `jobs` threads (at least 1).
 * Nothing is analyzed yet. Free with aa_project_free. */
struct aa_project *aa_project_new(const struct aa_engine *engine, const struct aa_discovered_file *files, size_t n,
				  unsigned jobs);
void aa_project_free(struct aa_project *p);

/* The index of the file whose display path is path, or (size_t)-1. O(log n): files are
 * sorted by path, as discovery lists them. */
size_t aa_project_find(const struct aa_project *p, const char *path);

/* The file's text is now text[0..len) (malloc'd, taken over) instead of the file on disk,
 * or, with text NULL, the file on disk again. Either way the file is analyzed again at
 * the next run. */
void aa_project_set_text(struct aa_project *p, size_t file, char *text, size_t len);

/* The file changed on disk: analyze it again at the next run. */
void aa_project_changed(struct aa_project *p, size_t file);

/* Analyzes what changed and links the project, then runs the audit hooks (rules that
 * judge suppression comments, engine/audit.h) on every file. Appends the cross-file and
 * audit findings (those of every file, sorted) to cross (initialised by the caller);
 * fills stats. progress (may be NULL; borrowed for the call) counts the changed files
 * done, atomically, for a progress line another thread reads. */
void aa_project_run(struct aa_project *p, struct aa_diag_list *cross, struct aa_project_stats *stats,
		    struct aa_run_progress *progress);

/* Appends copies of the local findings of file from the last run to out (initialised;
 * the copies are out's). The project keeps them frozen (diag.h's aa_diag_freeze), a few
 * dozen bytes a short finding. */
void aa_project_copy_local(const struct aa_project *p, size_t file, struct aa_diag_list *out);

/* Before the first run: p runs once, then aa_project_free_into frees it. Each thread
 * keeps the frozen findings of the files it analyzes in an arena of its own, many files'
 * blocks to an allocation, instead of a malloc'd block each: their heap has no gaps
 * (100,000 files named one by one kept 25 MB of heap for 19 MB of blocks). */
void aa_project_once(struct aa_project *p);

/* Frees p (not NULL; made once, aa_project_once) and moves every file's local findings
 * from its run, frozen, to out (initialised, holding no file yet; findings.h), but those
 * of context files (input/context.h), which are not reported: for `check`. */
void aa_project_free_into(struct aa_project *p, struct aa_findings *out);

#endif
