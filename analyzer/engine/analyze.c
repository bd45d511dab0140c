#include "analyzer/engine/analyze.h"
#include "analyzer/input/test_code.h"
#include "analyzer/check/ctx_impl.h"
#include "analyzer/facts/import_scan.h"
#include "analyzer/facts/model.h"
#include "parsers/python/parse.h"
#include "analyzer/input/source.h"
#include "parsers/python/walk.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>


/* Words starting with "async" are checked during the one scan for `async def`; the
 * others get one memmem each, so each distinct word is kept once. */
static void add_prefilter_word(struct aa_engine *e, const char *w)
{
	bool is_async = !strncmp(w, "async", 5);
	const char **list = is_async ? e->async_words : e->prefilter_words;
	size_t n = is_async ? e->n_async_words : e->n_prefilter_words;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], w))
			return;
	if (is_async) {
		AA_GROW(e->async_words, e->async_words_cap, e->n_async_words + 1);
		e->async_words[e->n_async_words++] = w;
	} else {
		AA_GROW(e->prefilter_words, e->prefilter_cap, e->n_prefilter_words + 1);
		e->prefilter_words[e->n_prefilter_words++] = w;
	}
}

static bool modmap_has_project_top(const void *ud, const char *name, size_t len)
{
	return aa_modmap_has_project_top(ud, name, len);
}

void aa_engine_set_file_settings(struct aa_engine *e, const struct aa_file_settings *const *settings)
{
	e->file_settings = settings;
}

void aa_engine_set_modmap(struct aa_engine *e, const struct aa_modmap *modmap)
{
	e->modmap = modmap;
	e->project = (struct aa_project_names){ modmap_has_project_top, modmap };
}

/* The distinct cross-file analyses of the enabled rules, in registry order. */
static void collect_crossfiles(struct aa_engine *e, const bool *enabled)
{
	e->crossfiles = aa_xcalloc(aa_rules_count + 1, sizeof(*e->crossfiles));
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_crossfile *cf = aa_rules[i]->crossfile;
		if (!enabled[i] || !cf)
			continue;
		bool seen = false;
		for (size_t k = 0; k < e->n_crossfiles && !seen; k++)
			seen = e->crossfiles[k] == cf;
		if (!seen)
			e->crossfiles[e->n_crossfiles++] = cf;
	}
}

/* The per-symbol table of the analyses' summarize hooks (a CSR table, as for checks).
 * Returns false with *error set to an unknown node kind. */
static bool build_cf_dispatch(struct aa_engine *e, const char **error)
{
	uint32_t *counts = aa_xcalloc(e->n_symbols + 1, sizeof(uint32_t));
	for (size_t c = 0; c < e->n_crossfiles; c++) {
		for (const char *const *k = e->crossfiles[c]->node_kinds; k && *k; k++) {
			TSSymbol sym = aa_syms_lookup(&e->syms, *k);
			if (!sym || sym >= e->n_symbols) {
				*error = *k;
				free(counts);
				return false;
			}
			counts[sym]++;
		}
	}
	e->cf_start = aa_xcalloc(e->n_symbols + 1, sizeof(uint32_t));
	uint32_t total = 0;
	for (uint32_t k = 0; k < e->n_symbols; k++) {
		e->cf_start[k] = total;
		total += counts[k];
		counts[k] = e->cf_start[k];
	}
	e->cf_start[e->n_symbols] = total;
	e->cf_dispatch = aa_xcalloc(total + 1, sizeof(*e->cf_dispatch));
	for (size_t c = 0; c < e->n_crossfiles; c++)
		for (const char *const *k = e->crossfiles[c]->node_kinds; k && *k; k++)
			e->cf_dispatch[counts[aa_syms_lookup(&e->syms, *k)]++] = e->crossfiles[c];
	free(counts);
	return true;
}

int aa_engine_init(struct aa_engine *e, const bool *enabled, const char *const *blocking_calls,
		   const char **error)
{
	memset(e, 0, sizeof(*e));
	const TSLanguage *lang = tree_sitter_python();
	if (aa_syms_init(&e->syms, lang, error) < 0)
		return -1;
	e->blocking_calls = blocking_calls;
	/* A rule's targets travel through helpers when it travels and is on: selected, or on by
	 * default (so that `--select AA109` alone still sees chains); an opt-in rule's targets
	 * (file I/O) make chains only when the user selects it. */
	bool *keep = aa_xcalloc(aa_rules_count, sizeof(bool));
	for (size_t i = 0; i < aa_rules_count; i++)
		keep[i] = aa_rules[i]->travels && (enabled[i] || aa_rules[i]->default_on);
	aa_target_index_build(&e->travelling, keep);
	free(keep);
	aa_rule_functions_build(&e->functions);
	e->syntax_error = aa_rule_with_role(AA_ROLE_SYNTAX_ERROR);
	e->unreadable = aa_rule_with_role(AA_ROLE_UNREADABLE);
	e->enabled = aa_xcalloc(aa_rules_count, sizeof(bool));
	memcpy(e->enabled, enabled, aa_rules_count * sizeof(bool));
	e->n_symbols = ts_language_symbol_count(lang);
	uint32_t *counts = aa_xcalloc(e->n_symbols + 1, sizeof(uint32_t));
	size_t total = 0;
	/* Two passes over the descriptors: count, then fill (a CSR table). */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < aa_rules_count; i++) {
			const struct aa_rule *r = aa_rules[i];
			if (!r->check || !r->node_kinds || !enabled[i])
				continue;
			for (const char *const *k = r->node_kinds; *k; k++) {
				TSSymbol sym = aa_syms_lookup(&e->syms, *k);
				if (!sym || sym >= e->n_symbols) {
					*error = *k;
					free(counts);
					aa_engine_release(e);
					return -1;
				}
				if (pass == 0)
					counts[sym]++;
				else
					e->dispatch[counts[sym]++] = r;
			}
		}
		if (pass == 0) {
			e->sym_start = aa_xcalloc(e->n_symbols + 1, sizeof(uint32_t));
			for (uint32_t k = 0; k < e->n_symbols; k++) {
				e->sym_start[k] = (uint32_t)total;
				total += counts[k];
				counts[k] = e->sym_start[k];
			}
			e->sym_start[e->n_symbols] = (uint32_t)total;
			e->dispatch = aa_xcalloc(total + 1, sizeof(*e->dispatch));
		}
	}
	free(counts);
	collect_crossfiles(e, enabled);
	if (!build_cf_dispatch(e, error)) {
		aa_engine_release(e);
		return -1;
	}
	e->audits = aa_xcalloc(aa_rules_count + 1, sizeof(*e->audits));
	for (size_t i = 0; i < aa_rules_count; i++) {
		if (enabled[i] && aa_rules[i]->audit)
			e->audits[e->n_audits++] = aa_rules[i];
		if (enabled[i] && (aa_rules[i]->index_use || aa_rules[i]->crossfile))
			e->uses_index = true;
		if (enabled[i] && (aa_rules[i]->index_use & (AA_INDEX_SYNC_CALLERS | AA_INDEX_IMPORT_SCAN)))
			e->scan_imports = true;
		if (!enabled[i] || !aa_rules[i]->prefilter_words)
			continue;
		for (const char *const *w = aa_rules[i]->prefilter_words; *w; w++)
			add_prefilter_word(e, *w);
	}
	return 0;
}

void aa_engine_release(struct aa_engine *e)
{
	free(e->enabled);
	free(e->sym_start);
	free(e->dispatch);
	free(e->prefilter_words);
	free(e->async_words);
	free(e->crossfiles);
	free(e->audits);
	free(e->cf_start);
	free(e->cf_dispatch);
	aa_target_index_release(&e->travelling);
	aa_rule_functions_release(&e->functions);
	memset(e, 0, sizeof(*e));
}

bool aa_engine_enabled(const struct aa_engine *e, const struct aa_rule *rule)
{
	size_t i = aa_rule_index(rule);
	return i < aa_rules_count && e->enabled[i];
}

void aa_worker_init(struct aa_worker *w, const struct aa_engine *engine)
{
	memset(w, 0, sizeof(*w));
	w->engine = engine;
	w->parser = ts_parser_new();
	ts_parser_set_language(w->parser, engine->syms.lang);
	aa_diag_list_init(&w->diags);
}

void aa_worker_release(struct aa_worker *w)
{
	ts_parser_delete(w->parser);
	aa_diag_list_release(&w->diags);
}

static void report_unreadable(struct aa_worker *w, const char *display, const char *message, uint32_t line,
			      uint32_t col)
{
	if (!w->engine->unreadable || !aa_engine_enabled(w->engine, w->engine->unreadable))
		return;
	struct aa_diag d = { 0 };
	d.rule = w->engine->unreadable;
	d.path = aa_xstrdup(display);
	d.message = aa_xstrdup(message);
	d.span = (struct aa_span){ line, col, line, col + 1 };
	aa_diag_list_push(&w->diags, &d);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\\' || c == '\r' || c == '\n';
}

/* One pass over the occurrences of "async": `async def` (blanks and line continuations
 * allowed between), or one of the engine's async-prefixed words ("async with",
 * "asyncio"). A byte scan, no tokenizer: strings and comments may match too, which only
 * costs a parse. */
static bool has_async(const struct aa_engine *e, const char *text, size_t len)
{
	const char *end = text + len;
	for (const char *p = text; (p = memmem(p, (size_t)(end - p), "async", 5)); p += 5) {
		if (p > text && aa_source_ident_byte(p[-1]))
			continue;
		const char *after = p + 5;
		for (size_t i = 0; i < e->n_async_words; i++) {
			const char *w = e->async_words[i] + 5; /* what follows "async" in the word */
			const char *q = after;
			if (*w == ' ') { /* "async with": any blanks, then the keyword */
				while (q < end && is_blank(*q))
					q++;
				w++;
			}
			size_t wl = strlen(w);
			if ((size_t)(end - q) >= wl && !memcmp(q, w, wl))
				return true;
		}
		const char *q = after;
		while (q < end && is_blank(*q))
			q++;
		if (end - q >= 3 && !memcmp(q, "def", 3) && (end - q == 3 || !aa_source_ident_byte(q[3])))
			return true;
	}
	return false;
}

static bool has_await(const char *text, size_t len)
{
	const char *end = text + len;
	for (const char *p = text; (p = memmem(p, (size_t)(end - p), "await", 5)); p += 5)
		if ((p == text || !aa_source_ident_byte(p[-1])) && (p + 5 == end || !aa_source_ident_byte(p[5])))
			return true;
	return false;
}

/* Async context exists only inside `async def`, and an `await` elsewhere is an error:
 * a file with neither, and without any word an enabled rule asks for, has nothing the
 * rules look at and is not parsed. Parsing is most of a run's cost (docs/performance.md)
 * and most Python files have no async code: on the pyenv tree this skips 16,800 of
 * 17,200 files. A yes may be wrong (the word in a string or comment), which costs one
 * parse; a no is not, by the premise above. What it gives up is stated in the docs:
 * AA001 checks the syntax of parsed files only, and the sync-code rules see a skipped
 * file only when the project index reads it on demand. */
static bool worth_parsing(const struct aa_engine *e, const struct aa_source *src)
{
	if (has_async(e, src->text, src->len) || has_await(src->text, src->len))
		return true;
	for (size_t i = 0; i < e->n_prefilter_words; i++)
		if (memmem(src->text, src->len, e->prefilter_words[i], strlen(e->prefilter_words[i])))
			return true;
	return false;
}

struct file_walk {
	struct aa_ctx ctx;
	const struct aa_engine *engine;
};

static void on_enter(void *ud, TSNode node, uint32_t scope, uint32_t inner, const struct aa_walk_state *ws)
{
	struct file_walk *fw = ud;
	struct aa_ctx *ctx = &fw->ctx;
	const struct aa_engine *e = fw->engine;
	aa_summarizer_at(&ctx->facts, scope, ws);
	TSSymbol k = ts_node_symbol(node);
	if (k >= e->n_symbols)
		return;
	for (uint32_t i = e->sym_start[k]; i < e->sym_start[k + 1]; i++) {
		/* A file read on demand has nothing the other rules look at (the prefilter
		 * skipped it); only rules that fire on sync callers of project coroutines can
		 * report there, through the index. */
		if (ctx->on_demand && !(e->dispatch[i]->index_use & AA_INDEX_SYNC_CALLERS))
			continue;
		e->dispatch[i]->check(ctx, node);
	}
	if (!ctx->facts.summary)
		return;
	aa_summarizer_enter(&ctx->facts, node, inner);
	for (uint32_t i = e->cf_start[k]; i < e->cf_start[k + 1]; i++)
		e->cf_dispatch[i]->summarize(ctx, node);
}

static void collect_noqa(struct aa_noqa *noqa, const struct aa_source *src, const struct aa_model *model)
{
	size_t n = aa_model_comment_count(model);
	for (size_t i = 0; i < n; i++) {
		TSNode c = aa_model_comment(model, i);
		uint32_t start = ts_node_start_byte(c), end = ts_node_end_byte(c);
		uint32_t line = aa_source_line_of(src, start);
		uint32_t line_start = src->line_starts[line];
		aa_noqa_add_comment(noqa, src->text + line_start, aa_source_line_len(src, line), start - line_start,
				    end - start, line + 1);
	}
}

/* Where to anchor AA001 inside the first broken node. An ERROR node often wraps many
 * complete statements before the token the parser could not place (recovery may wrap the
 * whole file from line 1), so skip complete subtrees and extras and descend into the
 * first child that holds the error, down to a stray token or a MISSING node. */
static TSNode error_anchor(TSNode err)
{
	TSNode node = err;
	for (;;) {
		uint32_t n = ts_node_child_count(node);
		TSNode next = { 0 };
		bool descend = false;
		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_child(node, i);
			if (ts_node_is_missing(c))
				return c;
			if (ts_node_is_extra(c))
				continue;
			if (ts_node_child_count(c) == 0) {
				if (ts_node_is_error(node))
					return c;
				continue;
			}
			if (ts_node_is_error(c) || ts_node_has_error(c)) {
				next = c;
				descend = true;
				break;
			}
		}
		if (!descend)
			return node;
		node = next;
	}
}

/* What a parse error may be besides a syntax error: valid Python the pinned grammar
 * predates or misreads (PEP 696 defaults, some annotations). The analyzer cannot tell
 * (it has no CPython parser), so its message says both. */
#define NOT_PARSED_WHY " (a syntax error, or syntax the pinned tree-sitter-python does not read)"

static void report_syntax_error(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode err)
{
	TSNode tok = error_anchor(err);
	while (ts_node_child_count(tok) > 0)
		tok = ts_node_child(tok, 0);
	uint32_t start = ts_node_start_byte(tok), end = ts_node_end_byte(tok);
	char *message;
	if (ts_node_is_missing(tok)) {
		message = aa_xasprintf("does not parse: missing '%s'" NOT_PARSED_WHY, ts_node_type(tok));
	} else {
		uint32_t len = end - start;
		const char *t = ctx->src->text + start;
		const char *nl = memchr(t, '\n', len);
		if (nl)
			len = (uint32_t)(nl - t);
		if (len > 40)
			len = 40;
		if (len == 0)
			message = aa_xstrdup("does not parse" NOT_PARSED_WHY);
		else
			message = aa_xasprintf("does not parse: unexpected '%.*s'" NOT_PARSED_WHY, (int)len, t);
	}
	aa_ctx_emit(ctx, rule, start, end, message, NULL);
}

/* An import worth keeping for the index: under an analyzed top-level module that is
 * not the standard library. */
static bool project_import(void *ud, const char *name)
{
	const struct aa_engine *e = ud;
	size_t top = strcspn(name, ".");
	return e->modmap && aa_modmap_has_project_top(e->modmap, name, top);
}

/* A module name for a file the module map does not know (stdin): its file name. */
static char *fallback_module(const char *display)
{
	const char *base = strrchr(display, '/');
	base = base ? base + 1 : display;
	size_t len = strcspn(base, ".");
	return len ? aa_xstrndup(base, len) : aa_xstrdup("__main__");
}

static struct aa_summary *analyze_source(struct aa_worker *w, struct aa_source *src, struct aa_file_job *job)
{
	if (!job->force && !worth_parsing(w->engine, src)) {
		job->prefiltered = true;
		if (!w->engine->scan_imports || !memmem(src->text, src->len, "import", 6))
			return NULL;
		/* Not parsed, but its imports may name a project coroutine it calls. */
		char *own = job->module ? NULL : fallback_module(job->display);
		struct aa_summary *sum = aa_summary_new(job->display, job->module ? job->module : own, job->is_package,
							w->engine->n_crossfiles);
		free(own);
		sum->imports_only = true;
		aa_import_scan(sum, src->text, src->len, project_import, (void *)w->engine);
		if (sum->n_imports)
			return aa_summary_freeze(sum);
		aa_summary_free(sum);
		return NULL;
	}
	struct aa_parsed parsed;
	if (aa_parse(w->parser, src, &parsed) < 0) {
		w->internal_errors++;
		aa_parsed_release(&parsed); /* the segments made before the failure */
		return NULL;
	}
	w->parsed++;
	const struct aa_engine *e = w->engine;
	char *own_module = job->module ? NULL : fallback_module(job->display);
	const char *module = job->module ? job->module : own_module;
	struct aa_model *model = aa_model_build(src, &e->syms, &parsed, module, job->is_package);
	if (job->settings)
		aa_model_set_transparent(model, job->settings->transparent_decorators);
	/* Kept with the summary: the index's findings are suppressed when reported. */
	struct aa_noqa *noqa = aa_xmalloc(sizeof(*noqa));
	aa_noqa_init(noqa);
	collect_noqa(noqa, src, model);
	/* The maps lead a line to its directive: a file without line directives (most) has
	 * none to lead to, and its walk for multi-line nodes cost 2.5 % of a small file's
	 * analysis. */
	if (aa_noqa_needs_maps(noqa))
		aa_noqa_add_line_maps(noqa, &e->syms, src, &parsed);
	struct aa_summary *summary = NULL;
	/* A file suppressed whole (`# async-analyzer: noqa`, a peer's `# flake8: noqa` on a
	 * generated package) reports nothing, but what it defines and re-exports still
	 * serves the other files: its summary is made when a cross-file rule runs. */
	if (!noqa->whole_file || e->uses_index) {
		if (e->uses_index)
			summary = aa_summary_new(job->display, module, job->is_package, e->n_crossfiles);
		enum aa_code_kind code_kind = aa_code_kind(job->display, job->below_root, module);
		bool test_code = code_kind != AA_CODE_PROGRAM;
		if (summary)
			summary->spare_tests = test_code && !(job->settings && job->settings->report_in_tests);
		struct file_walk fw = { .engine = e };
		struct aa_ctx *ctx = &fw.ctx;
		*ctx = (struct aa_ctx){
			.syms = &e->syms,
			.enabled = e->enabled,
			.blocking_calls = job->settings ? job->settings->blocking_calls : e->blocking_calls,
			.settings = job->settings,
			.travelling = &e->travelling,
			.functions = &e->functions,
			.crossfiles = e->crossfiles,
			.n_crossfiles = e->n_crossfiles,
			.src = src,
			.model = model,
			.display = job->display,
			.noqa = noqa,
			.out = &w->diags,
			.on_demand = job->force,
			.test_file = test_code,
		};
		aa_summarizer_init(&ctx->facts, &e->syms, src, model, e->modmap ? &e->project : NULL, summary,
				   code_kind == AA_CODE_TEST);
		if (parsed.has_error && e->syntax_error)
			report_syntax_error(ctx, e->syntax_error, parsed.first_error);
		struct aa_walk_visitor v = { .ud = &fw, .enter = on_enter };
		aa_walk(&parsed, &e->syms, &v);
		aa_ctx_release_memos(ctx);
		aa_ctx_finish_records(ctx);
		aa_summarizer_finish(&ctx->facts);
		aa_summarizer_release(&ctx->facts);
		/* Kept to the end of the run, one per file (maybe 100,000 named one by one). */
		if (summary && !aa_summary_needed(summary)) {
			aa_summary_free(summary);
			summary = NULL;
		}
		if (summary)
			summary = aa_summary_freeze(summary);
	}
	aa_model_free(model);
	/* A file without directives (most) keeps none: it suppresses nothing. */
	bool directives = noqa->n_lines || noqa->n_file_codes || noqa->n_ranges || noqa->whole_file;
	if (directives && (summary || (e->n_audits && !noqa->whole_file))) {
		job->noqa = noqa;
	} else {
		aa_noqa_release(noqa);
		free(noqa);
	}
	aa_parsed_release(&parsed);
	free(own_module);
	return summary;
}

static struct aa_summary *analyze_loaded(struct aa_worker *w, struct aa_source *src, enum aa_source_status st,
					 const struct aa_source_error *err, struct aa_file_job *job)
{
	if (st != AA_SOURCE_OK) {
		report_unreadable(w, job->display, err->message, err->line ? err->line : 1, err->col ? err->col : 1);
		return NULL;
	}
	job->bytes = src->len;
	struct aa_summary *sum = analyze_source(w, src, job);
	aa_source_release(src);
	return sum;
}

struct aa_summary *aa_analyze_path(struct aa_worker *w, struct aa_file_job *job)
{
	if (job->unreadable) {
		report_unreadable(w, job->display, job->unreadable, 1, 1);
		return NULL;
	}
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = aa_source_load(&src, job->path, &err);
	return analyze_loaded(w, &src, st, &err, job);
}

struct aa_summary *aa_analyze_bytes(struct aa_worker *w, char *data, size_t len, struct aa_file_job *job)
{
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = aa_source_from_bytes(&src, data, len, &err);
	return analyze_loaded(w, &src, st, &err, job);
}
