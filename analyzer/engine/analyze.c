#include "analyzer/engine/analyze.h"
#include "analyzer/check/ctx_impl.h"
#include "analyzer/facts/import_scan.h"
#include "analyzer/facts/model.h"
#include "parsers/python/parse.h"
#include "analyzer/input/source.h"
#include "analyzer/engine/summarize.h"
#include "parsers/python/walk.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

static bool travels(const struct aa_rule *r)
{
	return r->travels;
}

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

int aa_engine_init(struct aa_engine *e, const bool *enabled, const char *const *blocking_calls,
		   const char **error)
{
	memset(e, 0, sizeof(*e));
	const TSLanguage *lang = tree_sitter_python();
	if (aa_syms_init(&e->syms, lang, error) < 0)
		return -1;
	e->blocking_calls = blocking_calls;
	aa_target_index_build(&e->travelling, travels);
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
	for (size_t i = 0; i < aa_rules_count; i++) {
		if (enabled[i] && aa_rules[i]->uses_index != AA_INDEX_NONE)
			e->uses_index = true;
		if (enabled[i] && aa_rules[i]->uses_index == AA_INDEX_COROUTINES)
			e->scan_imports = true;
		if (enabled[i] && aa_rules[i]->uses_index == AA_INDEX_FANOUT)
			e->fanout_facts = true;
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
	aa_target_index_release(&e->travelling);
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

static bool is_ident_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       (unsigned char)c >= 0x80;
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
		if (p > text && is_ident_byte(p[-1]))
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
		if (end - q >= 3 && !memcmp(q, "def", 3) && (end - q == 3 || !is_ident_byte(q[3])))
			return true;
	}
	return false;
}

static bool has_await(const char *text, size_t len)
{
	const char *end = text + len;
	for (const char *p = text; (p = memmem(p, (size_t)(end - p), "await", 5)); p += 5)
		if ((p == text || !is_ident_byte(p[-1])) && (p + 5 == end || !is_ident_byte(p[5])))
			return true;
	return false;
}

/* Async context exists only inside `async def`, and an `await` elsewhere is an error:
 * a file with neither, and without any word an enabled rule asks for, has nothing the
 * rules look at and is not parsed (design note 4; on the pyenv tree this skips 16,800 of
 * 17,200 files). */
static bool worth_parsing(const struct aa_engine *e, const struct aa_source *src)
{
	if (has_async(e, src->text, src->len) || has_await(src->text, src->len))
		return true;
	for (size_t i = 0; i < e->n_prefilter_words; i++)
		if (memmem(src->text, src->len, e->prefilter_words[i], strlen(e->prefilter_words[i])))
			return true;
	return false;
}

static void on_enter(void *ud, TSNode node, uint32_t scope, uint32_t inner, const struct aa_walk_state *ws)
{
	struct aa_ctx *ctx = ud;
	ctx->walk = ws;
	const struct aa_engine *e = ctx->engine;
	TSSymbol k = ts_node_symbol(node);
	if (k < e->n_symbols) {
		uint32_t from = e->sym_start[k], to = e->sym_start[k + 1];
		ctx->scope = scope;
		for (uint32_t i = from; i < to; i++) {
			/* A file read on demand has nothing the other rules look at (the
			 * prefilter skipped it); only the coroutine rules can report there,
			 * through the index (sync code discarding a project coroutine). */
			if (ctx->on_demand && e->dispatch[i]->uses_index != AA_INDEX_COROUTINES)
				continue;
			e->dispatch[i]->check(ctx, node);
		}
	}
	aa_summarize_enter(ctx, node, scope, inner);
}

static void collect_noqa(struct aa_ctx *ctx)
{
	const struct aa_source *src = ctx->src;
	size_t n = aa_model_comment_count(ctx->model);
	for (size_t i = 0; i < n; i++) {
		TSNode c = aa_model_comment(ctx->model, i);
		uint32_t start = ts_node_start_byte(c), end = ts_node_end_byte(c);
		uint32_t line = aa_source_line_of(src, start);
		bool own_line = true;
		for (uint32_t p = src->line_starts[line]; p < start; p++)
			if (src->text[p] != ' ' && src->text[p] != '\t' && src->text[p] != '\f')
				own_line = false;
		aa_noqa_add_comment(&ctx->noqa, src->text + start, end - start, line + 1, own_line);
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

static void report_syntax_error(struct aa_ctx *ctx, TSNode err)
{
	TSNode tok = error_anchor(err);
	while (ts_node_child_count(tok) > 0)
		tok = ts_node_child(tok, 0);
	uint32_t start = ts_node_start_byte(tok), end = ts_node_end_byte(tok);
	char *message;
	if (ts_node_is_missing(tok)) {
		message = aa_xasprintf("syntax error: missing '%s'", ts_node_type(tok));
	} else {
		uint32_t len = end - start;
		const char *t = ctx->src->text + start;
		const char *nl = memchr(t, '\n', len);
		if (nl)
			len = (uint32_t)(nl - t);
		if (len > 40)
			len = 40;
		if (len == 0)
			message = aa_xstrdup("syntax error");
		else
			message = aa_xasprintf("syntax error: unexpected '%.*s'", (int)len, t);
	}
	aa_ctx_emit(ctx, ctx->engine->syntax_error, start, end, message);
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
		struct aa_summary *sum = aa_summary_new(job->display, job->module ? job->module : own, job->is_package);
		free(own);
		sum->imports_only = true;
		aa_import_scan(sum, src->text, src->len, project_import, (void *)w->engine);
		if (sum->n_imports)
			return sum;
		aa_summary_free(sum);
		return NULL;
	}
	struct aa_parsed parsed;
	if (aa_parse(w->parser, src, &parsed) < 0) {
		w->internal_errors++;
		return NULL;
	}
	w->parsed++;
	char *own_module = job->module ? NULL : fallback_module(job->display);
	const char *module = job->module ? job->module : own_module;
	struct aa_ctx ctx = { 0 };
	ctx.engine = w->engine;
	ctx.src = src;
	ctx.display = job->display;
	ctx.out = &w->diags;
	ctx.on_demand = job->force;
	aa_buf_init(&ctx.scratch);
	aa_noqa_init(&ctx.noqa);
	ctx.model = aa_model_build(src, &w->engine->syms, &parsed, module, job->is_package);
	collect_noqa(&ctx);
	if (!ctx.noqa.whole_file) {
		if (w->engine->uses_index)
			ctx.summary = aa_summary_new(job->display, module, job->is_package);
		if (parsed.has_error && w->engine->syntax_error)
			report_syntax_error(&ctx, parsed.first_error);
		struct aa_walk_visitor v = { .ud = &ctx, .enter = on_enter };
		aa_walk(&parsed, &w->engine->syms, &v);
		aa_summarize_finish(&ctx);
	}
	aa_model_free(ctx.model);
	aa_noqa_release(&ctx.noqa);
	aa_buf_release(&ctx.scratch);
	free(ctx.scope_func);
	free(ctx.self_names);
	aa_parsed_release(&parsed);
	free(own_module);
	return ctx.summary;
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
	if (job->dangling) {
		report_unreadable(w, job->display, "dangling symbolic link: its target does not exist", 1, 1);
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
