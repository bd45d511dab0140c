/*
 * AA207 unused-async (opt-in): an `async def` whose own body never awaits, iterates or
 * enters asynchronously, nor yields: it could be a plain def.
 */
#include "parsers/python/async_syntax.h"
#include "parsers/python/node.h"
#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"
#include "rules/rules.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_unused_async;

/* Is qualname in one of the async libraries ("asyncio", "asyncio.Event", "trio.lowlevel...")? */
static bool in_async_library(const char *qualname)
{
	static const char *const libs[] = { "asyncio", "trio", "anyio", "sniffio", NULL };
	for (const char *const *l = libs; *l; l++) {
		size_t n = strlen(*l);
		if (!strncmp(qualname, *l, n) && (qualname[n] == '.' || qualname[n] == 0))
			return true;
	}
	return false;
}

/* Does call use the running event loop: a function of asyncio/trio/anyio
 * (`asyncio.create_task`, `asyncio.get_running_loop`, `trio.current_time`), or a method of
 * one of their objects (a loop, an asyncio.Event)? Being a coroutine guarantees that it
 * runs on the loop's thread, with a loop running: a reason to stay async without any
 * await. fn_scope: the scope of the def's body. */
static bool uses_running_loop(struct aa_ctx *ctx, uint32_t fn_scope, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_model *m = aa_ctx_model(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn))
		return false;
	struct aa_meaning fm = aa_model_eval(m, fn_scope, fn);
	if ((fm.kind == AA_MEANING_NAME || fm.kind == AA_MEANING_INSTANCE) && in_async_library(fm.qualname))
		return true;
	if (ts_node_symbol(fn) != s->attribute)
		return false;
	struct aa_meaning om = aa_model_eval(m, fn_scope, ts_node_child_by_field_id(fn, s->f.object));
	return om.kind == AA_MEANING_INSTANCE && in_async_library(om.qualname);
}

/* Does the def's body need to be async: await, `async for`, `async with`, an async
 * comprehension or yield, or a call that uses the running loop, outside the bodies of
 * nested defs, lambdas and classes (their decorators, defaults and bases run here and
 * are searched)? Cursor walk with a heap stack: no recursion. */
static bool body_needs_async(struct aa_ctx *ctx, TSNode def, TSNode body)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t fn_scope = aa_model_scope_of(aa_ctx_model(ctx), def);
	TSTreeCursor cur = ts_tree_cursor_new(body);
	bool *opens = NULL; /* opens[d]: the node at depth d is a def, lambda or class */
	size_t cap = 0, depth = 0;
	bool found = false;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		bool skip = depth > 0 && opens[depth - 1] && ts_tree_cursor_current_field_id(&cur) == s->f.body;
		if (!skip && (ts_node_symbol(n) == s->yield || aa_async_syntax_of(s, n) != AA_ASYNC_SYNTAX_NONE ||
			      (ts_node_symbol(n) == s->call && fn_scope != AA_NO_SCOPE &&
			       uses_running_loop(ctx, fn_scope, n)))) {
			found = true;
			break;
		}
		if (!skip && ts_node_child_count(n) > 0) {
			AA_GROW(opens, cap, depth + 1);
			opens[depth] = aa_kind_is_definition(s, ts_node_symbol(n), true);
			if (ts_tree_cursor_goto_first_child(&cur)) {
				depth++;
				continue;
			}
		}
		for (;;) {
			if (depth == 0)
				goto done;
			if (ts_tree_cursor_goto_next_sibling(&cur))
				break;
			ts_tree_cursor_goto_parent(&cur);
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&cur);
	free(opens);
	return found;
}

static bool is_stub_statement(const struct aa_ctx *ctx, TSNode st)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(st);
	if (k == s->pass_statement || k == s->comment)
		return true;
	if (k == s->expression_statement && ts_node_named_child_count(st) == 1) {
		TSSymbol e = ts_node_symbol(ts_node_named_child(st, 0));
		return e == s->string || e == s->concatenated_string || e == s->ellipsis;
	}
	if (k == s->raise_statement && ts_node_named_child_count(st) >= 1) {
		TSNode e = ts_node_named_child(st, 0);
		if (ts_node_symbol(e) == s->call)
			e = ts_node_child_by_field_id(e, s->f.function);
		return !ts_node_is_null(e) && aa_ctx_text_is(ctx, e, "NotImplementedError");
	}
	return false;
}

/* A body of only docstrings, `pass`, `...` and `raise NotImplementedError`: an interface
 * to implement, whose async-ness is the contract. */
static bool is_stub(const struct aa_ctx *ctx, TSNode body)
{
	TSTreeCursor cur = ts_tree_cursor_new(body);
	bool stub = true;
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode st = ts_tree_cursor_current_node(&cur);
			if (ts_node_is_named(st) && !is_stub_statement(ctx, st)) {
				stub = false;
				break;
			}
		} while (ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	return stub;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* How the file mentions the function's name, other than in its own def. A text scan:
 * a mention in a string or comment counts as a use as a value, which can only silence
 * a finding. */
struct uses {
	bool as_value;      /* not as `await name(...)` / `await obj.name(...)`: passed as a
			     * callback, its coroutine handed to run_until_complete/gather/
			     * create_task, another def of the same name (a duck-typed interface) */
	bool awaited_attr;  /* as `await obj.name(...)`, e.g. `await self.name(...)` */
};

/* One mention of a name: the bytes p[0..len) of text[0..end), a whole word. */
enum mention { MENTION_VALUE, MENTION_AWAITED, MENTION_AWAITED_ATTR };

static enum mention classify(const char *text, const char *end, const char *p, uint32_t len)
{
	const char *a = p + len;
	while (a < end && is_blank(*a))
		a++;
	if (a == end || *a != '(')
		return MENTION_VALUE;
	/* Back over `obj.attr.`: only before a call, so the chains walked never overlap
	 * (a chain's words are followed by '.', not by a call). */
	const char *q = p;
	while (q > text && q[-1] == '.') {
		q--;
		while (q > text && aa_source_ident_byte(q[-1]))
			q--;
	}
	bool attr = q != p;
	while (q > text && is_blank(q[-1]))
		q--;
	bool awaited = q - text >= 5 && !memcmp(q - 5, "await", 5) && (q - 5 == text || !aa_source_ident_byte(q[-6]));
	if (!awaited)
		return MENTION_VALUE;
	return attr ? MENTION_AWAITED_ATTR : MENTION_AWAITED;
}

/* The mentions of the file's def names, counted in one pass over the text when the
 * rule first needs them (searching the file once per def made a file of n defs cost
 * n times its size). The counts stop at 2: a def asks whether any mention but its own
 * is of a kind. */
struct mentions {
	struct aa_map names;  /* a def's name -> index into counts; keys borrowed from the source */
	struct mention_counts {
		uint8_t values;       /* MENTION_VALUE mentions */
		uint8_t awaited_attrs; /* MENTION_AWAITED_ATTR mentions */
	} *counts;            /* owned */
};

static void free_mentions(void *p)
{
	struct mentions *m = p;
	aa_map_release(&m->names);
	free(m->counts);
	free(m);
}

static struct mentions *count_mentions(const struct aa_ctx *ctx)
{
	const struct aa_model *model = aa_ctx_model(ctx);
	const struct aa_source *src = aa_ctx_source(ctx);
	struct mentions *m = aa_xcalloc(1, sizeof(*m));
	uint32_t n = aa_model_scope_count(model), n_names = 0;
	for (uint32_t id = 1; id < n; id++) {
		const struct aa_scope_info *sc = aa_model_scope(model, id);
		if (sc->kind != AA_SCOPE_FUNCTION || !sc->name)
			continue;
		struct aa_map_key key = aa_map_key(sc->name, sc->name_len, 0);
		bool added;
		aa_map_put(&m->names, &key, n_names, &added);
		n_names += added;
	}
	m->counts = aa_xcalloc(n_names ? n_names : 1, sizeof(*m->counts));
	const char *text = src->text, *end = src->text + src->len;
	/* Every whole word (a run of identifier bytes) is a candidate: the same words a
	 * search for each name, bounded by non-identifier bytes, would find. */
	for (const char *p = text; p < end;) {
		if (!aa_source_ident_byte(*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (p < end && aa_source_ident_byte(*p))
			p++;
		struct aa_map_key key = aa_map_key(w, (size_t)(p - w), 0);
		uint32_t i = aa_map_get(&m->names, &key);
		if (i == AA_MAP_NONE)
			continue;
		enum mention k = classify(text, end, w, (uint32_t)(p - w));
		struct mention_counts *c = &m->counts[i];
		if (k == MENTION_VALUE && c->values < 2)
			c->values++;
		else if (k == MENTION_AWAITED_ATTR && c->awaited_attrs < 2)
			c->awaited_attrs++;
	}
	return m;
}

static struct uses scan_uses(struct aa_ctx *ctx, TSNode name)
{
	void **memo = aa_ctx_file_memo(ctx, &aa_rule_unused_async, free_mentions);
	if (!*memo)
		*memo = count_mentions(ctx);
	const struct mentions *m = *memo;
	const struct aa_source *src = aa_ctx_source(ctx);
	const char *text = src->text, *end = src->text + src->len;
	const char *own = text + ts_node_start_byte(name);
	uint32_t len;
	const char *word = aa_ctx_text(ctx, name, &len);
	struct aa_map_key key = aa_map_key(word, len, 0);
	uint32_t i = aa_map_get(&m->names, &key);
	/* Every def's name is counted; a miss would be a def without a scope. */
	if (i == AA_MAP_NONE)
		return (struct uses){ true, false };
	/* The def's own name is one of the counted mentions when it is a whole word. */
	bool own_counted = (own == text || !aa_source_ident_byte(own[-1])) && (own + len == end || !aa_source_ident_byte(own[len]));
	enum mention own_kind = own_counted ? classify(text, end, own, len) : MENTION_VALUE;
	const struct mention_counts *c = &m->counts[i];
	return (struct uses){
		.as_value = c->values > (own_counted && own_kind == MENTION_VALUE),
		.awaited_attr = c->awaited_attrs > (own_counted && own_kind == MENTION_AWAITED_ATTR),
	};
}

static bool is_dunder(const char *name, uint32_t len)
{
	return len > 4 && !memcmp(name, "__", 2) && !memcmp(name + len - 2, "__", 2);
}

/* The class whose body holds the def (the current scope), or a null node. */
static TSNode enclosing_class(const struct aa_ctx *ctx)
{
	const struct aa_scope_info *sc = aa_model_scope(aa_ctx_model(ctx), aa_ctx_scope(ctx));
	TSNode none = { 0 };
	return sc->kind == AA_SCOPE_CLASS ? sc->node : none;
}

/* A class with any base (or keyword such as metaclass=): its methods may override or
 * implement async methods of that base. */
static bool has_base(const struct aa_ctx *ctx, TSNode cls)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode bases = ts_node_child_by_field_id(cls, s->f.superclasses);
	if (ts_node_is_null(bases))
		return false;
	uint32_t n = ts_node_named_child_count(bases);
	for (uint32_t i = 0; i < n; i++)
		if (ts_node_symbol(ts_node_named_child(bases, i)) != s->comment)
			return true;
	return false;
}

static void check(struct aa_ctx *ctx, TSNode def)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_child_count(def) == 0 || ts_node_symbol(ts_node_child(def, 0)) != s->kw_async)
		return;
	/* Broken code: what is missing might be the await. */
	if (ts_node_has_error(def))
		return;
	TSNode name = ts_node_child_by_field_id(def, s->f.name);
	TSNode body = ts_node_child_by_field_id(def, s->f.body);
	if (ts_node_is_null(name) || ts_node_is_null(body))
		return;
	uint32_t len;
	const char *text = aa_ctx_text(ctx, name, &len);
	TSNode parent = aa_ctx_parent(ctx, def);
	/* pytest collects test* functions; an async one runs inside the plugin's loop. */
	bool test = len >= 4 && !memcmp(text, "test", 4);
	if (test || is_dunder(text, len) || (!ts_node_is_null(parent) && ts_node_symbol(parent) == s->decorated_definition))
		return;
	TSNode cls = enclosing_class(ctx);
	bool method = !ts_node_is_null(cls);
	if ((method && has_base(ctx, cls)) || is_stub(ctx, body))
		return;
	struct uses u = scan_uses(ctx, name);
	/* A method of a base-less class is reported only when this file awaits it through
	 * an object: otherwise its callers are out of sight, and it may implement a
	 * duck-typed interface (a fake resolver, a mocked response's read()). */
	if (u.as_value || (method && !u.awaited_attr) || body_needs_async(ctx, def, body))
		return;
	aa_ctx_report(ctx, &aa_rule_unused_async, def,
		      "async function '%.*s' never awaits (no await, async for, async with or yield); make it "
		      "a plain def and drop the await at its call sites",
		      (int)len, text);
}

static const char *const equivalents[] = { "RUF029", "ASYNC124", NULL };
static const char *const kinds[] = { "function_definition", NULL };

const struct aa_rule aa_rule_unused_async = {
	.code = "AA207",
	.name = "unused-async",
	.family = &aa_family_coroutines,
	.severity = AA_SEVERITY_NOTE,
	.default_on = false,
	.summary = "An async function never awaits and could be a plain function",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `async def` functions whose own body has no `await`, `async for`, `async with` "
			"(statement or comprehension) and no `yield`. Nested `def`s, lambdas and classes do not "
			"count: their bodies run later, elsewhere.",
		.why = "Calling an `async def` only creates a coroutine: every caller must `await` it, it cannot "
		       "be called from sync code, and each call costs a coroutine object and a trip through the "
		       "event loop machinery. A function that never suspends gains nothing from being async, "
		       "and often an `await` was lost in an edit, or the function does blocking work that "
		       "belongs in a thread.",
		.example = "async def total(prices):\n    return sum(prices)\n",
		.use_instead = "def total(prices):\n    return sum(prices)\n",
		.anchor = "The `async def` statement; its start is the `async` keyword.",
		.exceptions = "Functions whose async-ness may be a contract are not reported: any decorated "
			      "function (a framework may require a coroutine function, as `@app.get` or "
			      "`@pytest.fixture` do); every method of a class that has a base class (it may "
			      "override or implement an async method of the base); dunder methods "
			      "(`__aenter__`, `__aexit__`, `__anext__`, `__call__`...); a method of a base-less "
			      "class that this file never awaits as `await obj.name(...)` (its callers are out of "
			      "sight: a fake resolver or a mocked response's `read()` implements a duck-typed "
			      "interface); a function whose name appears in the file other than as "
			      "`await name(...)` (passed as a callback such as an aiohttp handler, its coroutine "
			      "handed to `gather()` or `run_until_complete()`, another def of the same name; "
			      "mentions in strings and comments count too); `test*` functions (a test runner "
			      "runs them inside its loop); async generators (a `yield` makes one; dropping "
			      "`async` changes what it returns); functions that call into asyncio, trio or anyio "
			      "or use their objects (`asyncio.create_task()`, `asyncio.get_running_loop()`, "
			      "`event.set()` on an `asyncio.Event`), which must run on the loop's thread; and "
			      "stubs whose body is only a docstring, `pass`, `...` or `raise NotImplementedError`. "
			      "Callers in other modules are not seen, so a module-level function that another "
			      "module passes as a callback is still reported: this is why the rule is opt-in.",
		.equivalents_note = "Ruff's RUF029 (preview) and flake8-async's ASYNC124 (opt-in) flag the "
				    "same pattern; both skip every method, and ASYNC124 also reports async "
				    "generators.",
		.references = "- [Ruff RUF029 unused-async](https://docs.astral.sh/ruff/rules/unused-async/)\n"
			      "- [flake8-async ASYNC124](https://flake8-async.readthedocs.io/en/latest/rules.html)\n",
	},
};
