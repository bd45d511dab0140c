#include "analyzer/facts/lifecycle.h"
#include "parsers/python/call_args.h"
#include "parsers/python/node.h"

#include <string.h>

static bool text_in(const char *text, TSNode n, const char *const *words)
{
	uint32_t len;
	const char *t = aa_node_text(text, n, &len);
	return aa_text_in(t, len, words);
}

/* The last name of an attribute `X.name` (never a bare name: a framework's hook is
 * registered on its application object), or a null node. */
static TSNode attribute_name(const struct aa_syms *s, TSNode n)
{
	TSNode none = { 0 };
	if (ts_node_is_null(n) || ts_node_symbol(n) != s->attribute)
		return none;
	TSNode a = ts_node_child_by_field_id(n, s->f.attribute);
	return !ts_node_is_null(a) && ts_node_symbol(a) == s->identifier ? a : none;
}

/* Is n a string literal without interpolation whose content is one of words? */
static bool string_in(const struct aa_syms *s, const char *text, TSNode n, const char *const *words)
{
	if (ts_node_is_null(n) || ts_node_symbol(n) != s->string)
		return false;
	uint32_t nc = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (ts_node_symbol(c) == s->string_content)
			return text_in(text, c, words);
	}
	return false;
}

/* v when it only names functions (a name, an attribute, a list or tuple of them). */
static TSNode names_only(const struct aa_syms *s, TSNode v)
{
	TSNode none = { 0 };
	if (ts_node_is_null(v))
		return none;
	TSSymbol k = ts_node_symbol(v);
	if (k == s->identifier || k == s->attribute)
		return v;
	if (k != s->list && k != s->tuple)
		return none;
	uint32_t n = ts_node_named_child_count(v);
	for (uint32_t i = 0; i < n; i++) {
		TSSymbol e = ts_node_symbol(ts_node_named_child(v, i));
		if (e != s->identifier && e != s->attribute)
			return none;
	}
	return n ? v : none;
}

static const char *const hook_keywords[] = { "lifespan", "on_startup", "on_shutdown", NULL };
/* aiohttp's signals; not on_shutdown, which runs while handlers still finish */
static const char *const signal_lists[] = { "on_startup", "on_cleanup", "cleanup_ctx", NULL };
static const char *const observers[] = { "startup", "shutdown", NULL };

TSNode aa_lifecycle_registered(const struct aa_syms *s, const char *text, TSNode node)
{
	TSNode none = { 0 };
	TSSymbol k = ts_node_symbol(node);
	if (k == s->keyword_argument) {
		TSNode name = ts_node_child_by_field_id(node, s->f.name);
		if (ts_node_is_null(name) || !text_in(text, name, hook_keywords))
			return none;
		return names_only(s, ts_node_child_by_field_id(node, s->f.value));
	}
	if (k != s->call)
		return none;
	TSNode fn = ts_node_child_by_field_id(node, s->f.function);
	TSNode last = attribute_name(s, fn);
	if (ts_node_is_null(last))
		return none;
	TSNode owner = attribute_name(s, ts_node_child_by_field_id(fn, s->f.object));
	uint32_t len;
	const char *name = aa_node_text(text, last, &len);
	TSNode arg = none;
	if (len == 6 && !memcmp(name, "append", 6) && !ts_node_is_null(owner) && text_in(text, owner, signal_lists))
		arg = aa_call_args_find(s, text, node, 0, NULL);
	else if (len == 17 && !memcmp(name, "add_event_handler", 17) &&
		 string_in(s, text, aa_call_args_find(s, text, node, 0, NULL), observers))
		arg = aa_call_args_find(s, text, node, 1, NULL);
	if (!ts_node_is_null(arg) && ts_node_symbol(arg) != s->identifier && ts_node_symbol(arg) != s->attribute)
		return none; /* one function, not a list */
	return arg;
}

static const char *const hook_decorators[] = {
	"before_serving", "after_serving", "before_server_start", "after_server_stop", NULL,
};
static const char *const sanic_events[] = { "before_server_start", "after_server_stop", NULL };

/* Does the decorator expression expr (a decorator's first child) register a hook? */
static bool registers_hook(const struct aa_syms *s, const char *text, TSNode expr)
{
	bool called = ts_node_symbol(expr) == s->call;
	TSNode last = attribute_name(s, called ? ts_node_child_by_field_id(expr, s->f.function) : expr);
	if (ts_node_is_null(last))
		return false;
	if (text_in(text, last, hook_decorators))
		return true;
	if (!called)
		return false;
	TSNode first = aa_call_args_find(s, text, expr, 0, NULL);
	static const char *const on_event[] = { "on_event", NULL };
	static const char *const listener[] = { "listener", NULL };
	return (text_in(text, last, on_event) && string_in(s, text, first, observers)) ||
	       (text_in(text, last, listener) && string_in(s, text, first, sanic_events));
}

/* Is expr `asynccontextmanager` (bare or as an attribute: `contextlib.asynccontextmanager`)? */
static bool context_manager(const struct aa_syms *s, const char *text, TSNode expr)
{
	static const char *const acm[] = { "asynccontextmanager", NULL };
	if (ts_node_symbol(expr) == s->attribute)
		expr = ts_node_child_by_field_id(expr, s->f.attribute);
	return !ts_node_is_null(expr) && ts_node_symbol(expr) == s->identifier && text_in(text, expr, acm);
}

void aa_lifecycle_decorators(const struct aa_syms *s, const char *text, TSNode parent, bool *hook, bool *other)
{
	*hook = *other = false;
	if (ts_node_is_null(parent) || ts_node_symbol(parent) != s->decorated_definition)
		return;
	uint32_t n = ts_node_named_child_count(parent);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(parent, i);
		if (ts_node_symbol(d) != s->decorator)
			continue;
		TSNode expr = aa_node_first_code_child(s, d);
		if (ts_node_is_null(expr))
			*other = true;
		else if (registers_hook(s, text, expr))
			*hook = true;
		else if (!context_manager(s, text, expr))
			*other = true;
	}
}


bool aa_lifecycle_serves_inline(const char *text, size_t len)
{
	static const char *const servers[] = { ".serve(", "AppRunner", "hypercorn", NULL };
	for (const char *const *w = servers; *w; w++)
		if (memmem(text, len, *w, strlen(*w)))
			return true;
	return false;
}
