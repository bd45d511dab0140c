#include "analyzer/fix/fixer.h"
#include "analyzer/fix/diff.h"
#include "analyzer/fix/rewrite.h"
#include "analyzer/engine/run.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/check/noqa.h"
#include "parsers/python/parse.h"
#include "parsers/python/subtree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool allowed(const struct aa_fix *fix, const struct aa_fixer_opts *opts)
{
	return fix && (fix->kind == AA_FIX_SAFE || (opts->unsafe && fix->kind == AA_FIX_UNSAFE));
}

static void complain(const char *path, const char *why)
{
	fprintf(stderr, "async-analyzer: error: cannot fix '%s': %s\n", path, why);
}

/* Decodes a copy of raw into src; false (and a message) when it does not decode. */
static bool decode_copy(const char *path, const char *raw, size_t len, struct aa_source *src)
{
	struct aa_source_error err;
	char *copy = aa_xmalloc(len + 1);
	memcpy(copy, raw, len);
	if (aa_source_from_bytes(src, copy, len, &err) == AA_SOURCE_OK)
		return true;
	complain(path, err.message);
	return false;
}

/* One round: applies the allowed fixes of d[0..n) that do not overlap to *cur. Returns
 * how many were applied (0 when none could be, or on a failure, counted in *failed). */
static size_t round_apply(const char *path, char **cur, size_t *cur_len, const struct aa_diag *const *d, size_t n,
			  const struct aa_fixer_opts *opts, bool *failed)
{
	struct aa_edit_list list = { 0 };
	size_t taken = 0;
	for (size_t i = 0; i < n; i++)
		if (allowed(d[i]->fix, opts) && aa_edit_list_take(&list, d[i]->fix))
			taken++;
	if (!taken) {
		aa_edit_list_release(&list);
		return 0;
	}
	struct aa_source src;
	char *next = NULL, *error = NULL;
	size_t next_len = 0;
	if (!decode_copy(path, *cur, *cur_len, &src) ||
	    aa_rewrite_bytes(*cur, *cur_len, &src, &list, &next, &next_len, &error) != 0) {
		if (error)
			complain(path, error);
		free(error);
		*failed = true;
		taken = 0;
	} else {
		free(*cur);
		*cur = next;
		*cur_len = next_len;
	}
	aa_source_release(&src);
	aa_edit_list_release(&list);
	return taken;
}

/* The fix loop of one file: *cur (malloc'd bytes) is replaced by the fixed bytes; the
 * first round's findings are d[0..n), later rounds analyze the bytes again. Returns the
 * fixes applied; *failed on a decoding or encoding failure. */
static size_t fix_loop(const struct aa_engine *engine, const char *path, char **cur, size_t *cur_len,
		       const struct aa_diag *const *d, size_t n, const struct aa_fixer_opts *opts, bool *failed)
{
	size_t applied = 0;
	const struct aa_diag **again = NULL;
	struct aa_run_result rerun = { 0 };
	for (unsigned round = 0; round < AA_FIXER_MAX_ROUNDS; round++) {
		size_t k = round_apply(path, cur, cur_len, round ? again : d, round ? rerun.diags.len : n, opts, failed);
		applied += k;
		aa_diag_list_release(&rerun.diags);
		if (!k)
			break;
		char *copy = aa_xmalloc(*cur_len + 1);
		memcpy(copy, *cur, *cur_len);
		aa_run_bytes(engine, path, copy, *cur_len, &rerun);
		again = aa_xrealloc(again, (rerun.diags.len + 1) * sizeof(*again));
		for (size_t i = 0; i < rerun.diags.len; i++)
			again[i] = &rerun.diags.items[i];
	}
	aa_diag_list_release(&rerun.diags);
	free(again);
	return applied;
}

/* Fixes one file's bytes and writes, prints or returns the result. */
static void fix_one(const struct aa_engine *engine, const char *path, char **raw, size_t *len,
		    const struct aa_diag *const *d, size_t n, const struct aa_fixer_opts *opts, bool write,
		    struct aa_fixer_stats *stats)
{
	char *cur = aa_xmalloc(*len + 1);
	memcpy(cur, *raw, *len);
	size_t cur_len = *len;
	bool failed = false;
	size_t applied = fix_loop(engine, path, &cur, &cur_len, d, n, opts, &failed);
	stats->errors += failed;
	bool changed = cur_len != *len || memcmp(cur, *raw, cur_len);
	if (changed) {
		stats->fixes += applied;
		stats->files++;
		char *error = NULL;
		if (opts->diff && aa_diff_write(opts->diff, path, *raw, *len, cur, cur_len) != 0)
			stats->errors++;
		else if (!opts->diff && write && aa_rewrite_file(path, cur, cur_len, &error) != 0) {
			fprintf(stderr, "async-analyzer: error: %s\n", error);
			free(error);
			stats->errors++;
			stats->files--;
			stats->fixes -= applied;
		}
	}
	free(*raw);
	*raw = cur;
	*len = cur_len;
}

/* Calls fn for each run of findings of one path that holds a finding for which keep()
 * holds, with the run's findings (pointers, in order). */
static void each_file(const struct aa_diag_list *diags, bool (*keep)(const struct aa_diag *, const void *),
		      const void *ud, void (*fn)(const char *path, const struct aa_diag *const *d, size_t n, void *arg),
		      void *arg)
{
	const struct aa_diag **run = aa_xmalloc((diags->len + 1) * sizeof(*run));
	for (size_t i = 0; i < diags->len;) {
		size_t j = i, n = 0;
		bool any = false;
		for (; j < diags->len && !strcmp(diags->items[j].path, diags->items[i].path); j++) {
			run[n++] = &diags->items[j];
			any = any || keep(&diags->items[j], ud);
		}
		if (any)
			fn(diags->items[i].path, run, n, arg);
		i = j;
	}
	free(run);
}

static bool fixable(const struct aa_diag *d, const void *opts)
{
	return allowed(d->fix, opts);
}

struct files_job {
	const struct aa_engine *engine;
	const struct aa_fixer_opts *opts;
	struct aa_fixer_stats *stats;
};

static void fix_path(const char *path, const struct aa_diag *const *d, size_t n, void *arg)
{
	struct files_job *job = arg;
	char *raw = NULL;
	size_t len = 0;
	struct aa_source_error err;
	if (aa_source_read(path, &raw, &len, &err) != AA_SOURCE_OK) {
		complain(path, err.message);
		job->stats->errors++;
		return;
	}
	fix_one(job->engine, path, &raw, &len, d, n, job->opts, true, job->stats);
	free(raw);
}

void aa_fixer_files(const struct aa_engine *engine, const struct aa_diag_list *diags, const struct aa_fixer_opts *opts,
		    struct aa_fixer_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct files_job job = { engine, opts, stats };
	each_file(diags, fixable, opts, fix_path, &job);
}

void aa_fixer_bytes(const struct aa_engine *engine, const char *name, const char *raw, size_t len,
		    const struct aa_diag_list *diags, const struct aa_fixer_opts *opts, char **out, size_t *out_len,
		    struct aa_fixer_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	char *cur = aa_xmalloc(len + 1);
	memcpy(cur, raw, len);
	size_t cur_len = len;
	const struct aa_diag **d = aa_xmalloc((diags->len + 1) * sizeof(*d));
	for (size_t i = 0; i < diags->len; i++)
		d[i] = &diags->items[i];
	fix_one(engine, name, &cur, &cur_len, d, diags->len, opts, false, stats);
	free(d);
	*out = cur;
	*out_len = cur_len;
}

/* ---- --add-noqa ------------------------------------------------------------------ */

struct noqa_want {
	uint32_t line; /* 0-based line the comment goes on */
	const char *code;
};

static int cmp_want(const void *pa, const void *pb)
{
	const struct noqa_want *a = pa, *b = pb;
	return a->line != b->line ? (a->line < b->line ? -1 : 1) : strcmp(a->code, b->code);
}

static bool code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* In the comment c[0..len): the offset just past the code list of its `noqa:` directive
 * (read as analyzer/check/noqa.c reads it), with *has_code set when code is already in
 * it; -1 when the comment has no directive with codes. */
static long noqa_list_end(const char *c, size_t len, const char *code, bool *has_code)
{
	*has_code = false;
	for (size_t i = 0; i + 4 <= len; i++) {
		if (c[i] != '#')
			continue;
		size_t p = i + 1;
		while (p < len && (c[p] == ' ' || c[p] == '\t'))
			p++;
		if (p + 4 > len || strncasecmp(c + p, "noqa", 4) || p + 4 >= len || c[p + 4] != ':')
			continue;
		p += 5;
		long end = -1;
		while (p < len) {
			while (p < len && (c[p] == ' ' || c[p] == '\t' || c[p] == ','))
				p++;
			size_t start = p;
			while (p < len && code_char(c[p]))
				p++;
			if (p == start)
				break;
			*has_code = *has_code || (p - start == strlen(code) && !strncasecmp(c + start, code, p - start));
			end = (long)p;
			if (p < len && c[p] != ' ' && c[p] != '\t' && c[p] != ',')
				break;
		}
		return end;
	}
	return -1;
}

/* The comment starting on 0-based line `line`, from comments[] (start offsets, in
 * order), or -1. */
static long comment_on(const struct aa_source *src, const uint32_t *comments, size_t n, uint32_t line)
{
	for (size_t i = 0; i < n; i++)
		if (aa_source_line_of(src, comments[i]) == line)
			return (long)comments[i];
	return -1;
}

struct comment_walk {
	const struct aa_syms *syms;
	const struct aa_segment *seg;
	uint32_t *starts; /* owned */
	size_t n, cap;
};

static enum aa_visit add_comment(void *ud, TSNode node)
{
	struct comment_walk *w = ud;
	uint32_t at = ts_node_start_byte(node);
	if (ts_node_symbol(node) == w->syms->comment && at >= w->seg->start_byte && at < w->seg->end_byte) {
		AA_GROW(w->starts, w->cap, w->n + 1);
		w->starts[w->n++] = at;
	}
	return AA_VISIT_DESCEND;
}

/* Every comment's start offset, in source order (caller frees). */
static uint32_t *collect_comments(const struct aa_syms *syms, const struct aa_parsed *parsed, size_t *n_out)
{
	struct comment_walk w = { .syms = syms };
	for (unsigned sgi = 0; sgi < parsed->n_segs; sgi++) {
		w.seg = &parsed->segs[sgi];
		aa_subtree_walk(ts_tree_root_node(w.seg->tree), SIZE_MAX, add_comment, &w);
	}
	*n_out = w.n;
	return w.starts;
}

/* The edits adding wants[0..n) (sorted by line, then code) to src. */
static struct aa_fix *noqa_edits(const struct aa_source *src, const uint32_t *comments, size_t n_comments,
				 const struct noqa_want *wants, size_t n)
{
	struct aa_fix *fix = aa_fix_new(AA_FIX_SAFE);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && wants[j].line == wants[i].line)
			j++;
		uint32_t line = wants[i].line;
		uint32_t eol = src->line_starts[line] + aa_source_line_len(src, line);
		long c = comment_on(src, comments, n_comments, line);
		struct aa_buf add = AA_BUF_INIT;
		long at = -1;
		for (size_t k = i; k < j; k++) {
			if (k > i && !strcmp(wants[k].code, wants[k - 1].code))
				continue;
			bool has = false;
			long end = c < 0 ? -1 : noqa_list_end(src->text + c, eol - (uint32_t)c, wants[k].code, &has);
			if (has)
				continue;
			at = end >= 0 ? c + end : -1;
			aa_buf_addf(&add, "%s%s", add.len || at >= 0 ? ", " : "", wants[k].code);
		}
		if (add.len) {
			char *text = at >= 0 ? aa_xstrdup(add.data) : aa_xasprintf("  # noqa: %s", add.data);
			uint32_t pos = at >= 0 ? (uint32_t)at : eol;
			aa_fix_add(fix, pos, pos, text, strlen(text));
			free(text);
		}
		aa_buf_release(&add);
		i = j;
	}
	return fix;
}

static bool any(const struct aa_diag *d, const void *ud)
{
	(void)d;
	(void)ud;
	return true;
}

struct noqa_job {
	struct aa_worker worker;
	struct aa_fixer_stats *stats;
};

/* The fix adding the codes of d[0..n) to the comments of src (parsed into parsed): each
 * on the line its suppression reads, the pipeline's own findings left out. */
static struct aa_fix *noqa_fix_of(const struct aa_syms *syms, const struct aa_source *src,
				  const struct aa_parsed *parsed, const struct aa_diag *const *d, size_t n)
{
	struct aa_noqa noqa;
	aa_noqa_init(&noqa);
	aa_noqa_add_line_maps(&noqa, syms, src, parsed);
	struct noqa_want *wants = aa_xmalloc((n + 1) * sizeof(*wants));
	size_t n_wants = 0;
	for (size_t i = 0; i < n; i++) {
		/* A syntax error or an unreadable file is fixed, not silenced (as Ruff does). */
		if (d[i]->rule->role != AA_ROLE_NONE)
			continue;
		uint32_t line = aa_noqa_line_for(&noqa, d[i]->span.line);
		if (line >= 1 && line <= src->n_lines)
			wants[n_wants++] = (struct noqa_want){ line - 1, d[i]->rule->code };
	}
	qsort(wants, n_wants, sizeof(*wants), cmp_want);
	size_t n_comments;
	uint32_t *comments = collect_comments(syms, parsed, &n_comments);
	struct aa_fix *fix = noqa_edits(src, comments, n_comments, wants, n_wants);
	free(comments);
	free(wants);
	aa_noqa_release(&noqa);
	return fix;
}

struct aa_fix *aa_fixer_noqa_fix(const struct aa_syms *syms, TSParser *parser, const char *text, size_t len,
				 const struct aa_diag *d)
{
	struct aa_source src = { 0 };
	struct aa_source_error err;
	char *copy = aa_xmalloc(len + 1);
	memcpy(copy, text, len);
	struct aa_parsed parsed = { 0 };
	struct aa_fix *fix = NULL;
	if (aa_source_from_bytes(&src, copy, len, &err) == AA_SOURCE_OK && aa_parse(parser, &src, &parsed) == 0)
		fix = noqa_fix_of(syms, &src, &parsed, &d, 1);
	for (size_t i = 0; fix && i < fix->n_edits; i++) {
		struct aa_edit *e = &fix->edits[i];
		uint32_t line = aa_source_line_of(&src, e->start);
		uint32_t col = aa_source_col(&src, line, e->start);
		e->span = (struct aa_span){ line + 1, col, line + 1, col };
	}
	if (fix && !fix->n_edits) {
		aa_fix_free(fix);
		fix = NULL;
	}
	aa_parsed_release(&parsed);
	aa_source_release(&src);
	return fix;
}

static void noqa_path(const char *path, const struct aa_diag *const *d, size_t n, void *arg)
{
	struct noqa_job *job = arg;
	const struct aa_syms *syms = &job->worker.engine->syms;
	char *raw = NULL;
	size_t len = 0;
	struct aa_source_error err;
	struct aa_source src = { 0 };
	if (aa_source_read(path, &raw, &len, &err) != AA_SOURCE_OK) {
		complain(path, err.message);
		job->stats->errors++;
		return;
	}
	struct aa_parsed parsed = { 0 };
	if (!decode_copy(path, raw, len, &src) || aa_parse(job->worker.parser, &src, &parsed) != 0) {
		job->stats->errors++;
		aa_parsed_release(&parsed);
		aa_source_release(&src);
		free(raw);
		return;
	}
	struct aa_fix *fix = noqa_fix_of(syms, &src, &parsed, d, n);
	struct aa_edit_list list = { 0 };
	aa_edit_list_take(&list, fix);
	char *out = NULL, *error = NULL;
	size_t out_len = 0;
	if (list.len && (aa_rewrite_bytes(raw, len, &src, &list, &out, &out_len, &error) != 0 ||
			 aa_rewrite_file(path, out, out_len, &error) != 0)) {
		fprintf(stderr, "async-analyzer: error: %s%s\n", out ? "" : "cannot add noqa comments: ", error);
		job->stats->errors++;
	} else if (list.len) {
		job->stats->fixes += list.len;
		job->stats->files++;
	}
	free(error);
	free(out);
	aa_edit_list_release(&list);
	aa_fix_free(fix);
	aa_parsed_release(&parsed);
	aa_source_release(&src);
	free(raw);
}

void aa_fixer_add_noqa(const struct aa_engine *engine, const struct aa_diag_list *diags, struct aa_fixer_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct noqa_job job = { .stats = stats };
	aa_worker_init(&job.worker, engine);
	each_file(diags, any, NULL, noqa_path, &job);
	aa_worker_release(&job.worker);
}
