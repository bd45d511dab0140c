#include "analyzer/analyze.h"
#include "analyzer/ctx_impl.h"
#include "analyzer/model.h"
#include "analyzer/parse.h"
#include "analyzer/source.h"
#include "analyzer/walk.h"
#include "analyzer/xalloc.h"

#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_syntax_error;
extern const struct aa_rule aa_rule_unreadable_file;

int aa_engine_init(struct aa_engine *e, const bool *enabled, const char *const *blocking_calls,
		   const char **error)
{
	memset(e, 0, sizeof(*e));
	const TSLanguage *lang = tree_sitter_python();
	if (aa_syms_init(&e->syms, lang, error) < 0)
		return -1;
	e->blocking_calls = blocking_calls;
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
		if (!enabled[i] || !aa_rules[i]->prefilter_words)
			continue;
		for (const char *const *w = aa_rules[i]->prefilter_words; *w; w++) {
			AA_GROW(e->prefilter_words, e->prefilter_cap, e->n_prefilter_words + 1);
			e->prefilter_words[e->n_prefilter_words++] = *w;
		}
	}
	return 0;
}

void aa_engine_release(struct aa_engine *e)
{
	free(e->enabled);
	free(e->sym_start);
	free(e->dispatch);
	free(e->prefilter_words);
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
	if (!aa_engine_enabled(w->engine, &aa_rule_unreadable_file))
		return;
	struct aa_diag d = { 0 };
	d.rule = &aa_rule_unreadable_file;
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

/* Does `word` occur in text as a whole word, and (when then_def) followed by `def`
 * after blanks or line continuations? A byte scan, no tokenizer: strings and comments
 * may match too, which only costs a parse. */
static bool has_word(const char *text, size_t len, const char *word, bool then_def)
{
	size_t wlen = strlen(word);
	const char *end = text + len;
	for (const char *p = text; (p = memmem(p, (size_t)(end - p), word, wlen)); p += wlen) {
		if (p > text && is_ident_byte(p[-1]))
			continue;
		const char *q = p + wlen;
		if (!then_def)
			return q == end || !is_ident_byte(*q);
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\f' || *q == '\\' || *q == '\r' || *q == '\n'))
			q++;
		if (end - q >= 3 && !memcmp(q, "def", 3) && (end - q == 3 || !is_ident_byte(q[3])))
			return true;
	}
	return false;
}

/* Async context exists only inside `async def`, and an `await` elsewhere is an error:
 * a file with neither, and without any word an enabled rule asks for, has nothing the
 * rules look at and is not parsed (design note 4; on the pyenv tree this skips 16,800 of
 * 17,200 files). */
static bool worth_parsing(const struct aa_engine *e, const struct aa_source *src)
{
	if (has_word(src->text, src->len, "async", true) || has_word(src->text, src->len, "await", false))
		return true;
	for (size_t i = 0; i < e->n_prefilter_words; i++)
		if (memmem(src->text, src->len, e->prefilter_words[i], strlen(e->prefilter_words[i])))
			return true;
	return false;
}

static void on_enter(void *ud, TSNode node, uint32_t scope, uint32_t inner)
{
	(void)inner;
	struct aa_ctx *ctx = ud;
	const struct aa_engine *e = ctx->engine;
	TSSymbol k = ts_node_symbol(node);
	if (k >= e->n_symbols)
		return;
	uint32_t from = e->sym_start[k], to = e->sym_start[k + 1];
	if (from == to)
		return;
	ctx->scope = scope;
	for (uint32_t i = from; i < to; i++)
		e->dispatch[i]->check(ctx, node);
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
	aa_ctx_emit(ctx, &aa_rule_syntax_error, start, end, message);
}

static void analyze_source(struct aa_worker *w, struct aa_source *src, const char *display)
{
	if (!worth_parsing(w->engine, src))
		return;
	struct aa_parsed parsed;
	if (aa_parse(w->parser, src, &parsed) < 0) {
		w->internal_errors++;
		return;
	}
	struct aa_ctx ctx = { 0 };
	ctx.engine = w->engine;
	ctx.src = src;
	ctx.display = display;
	ctx.out = &w->diags;
	aa_buf_init(&ctx.scratch);
	aa_noqa_init(&ctx.noqa);
	ctx.model = aa_model_build(src, &w->engine->syms, &parsed);
	collect_noqa(&ctx);
	if (!ctx.noqa.whole_file) {
		if (parsed.has_error)
			report_syntax_error(&ctx, parsed.first_error);
		struct aa_walk_visitor v = { .ud = &ctx, .enter = on_enter };
		aa_walk(&parsed, &w->engine->syms, &v);
	}
	aa_model_free(ctx.model);
	aa_noqa_release(&ctx.noqa);
	aa_buf_release(&ctx.scratch);
	aa_parsed_release(&parsed);
}

static void analyze_loaded(struct aa_worker *w, struct aa_source *src, enum aa_source_status st,
			   const struct aa_source_error *err, const char *display)
{
	if (st != AA_SOURCE_OK) {
		report_unreadable(w, display, err->message, err->line ? err->line : 1, err->col ? err->col : 1);
		return;
	}
	analyze_source(w, src, display);
	aa_source_release(src);
}

void aa_analyze_path(struct aa_worker *w, const char *path, const char *display, bool dangling)
{
	if (dangling) {
		report_unreadable(w, display, "dangling symbolic link: its target does not exist", 1, 1);
		return;
	}
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = aa_source_load(&src, path, &err);
	analyze_loaded(w, &src, st, &err, display);
}

void aa_analyze_bytes(struct aa_worker *w, char *data, size_t len, const char *display)
{
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = aa_source_from_bytes(&src, data, len, &err);
	analyze_loaded(w, &src, st, &err, display);
}
