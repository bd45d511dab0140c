#include "analyzer/facts/decorators.h"
#include "parsers/python/node.h"

#include <string.h>

struct decorator {
	const char *qualname;
	bool bare, called; /* forms that keep a coroutine function one */
};

/* functools.cache and lru_cache keep the call returning a coroutine (the cached one):
 * discarding it is still a coroutine that never runs. */
static const struct decorator transparent[] = {
	{ "builtins.staticmethod", true, false },
	{ "builtins.classmethod", true, false },
	{ "abc.abstractmethod", true, false },
	{ "typing.override", true, false },
	{ "typing_extensions.override", true, false },
	{ "functools.cache", true, false },
	{ "functools.lru_cache", true, true },
	{ "functools.wraps", false, true },
};

bool aa_decorator_transparent(const char *qualname, bool called)
{
	for (size_t i = 0; i < sizeof(transparent) / sizeof(transparent[0]); i++)
		if (!strcmp(transparent[i].qualname, qualname))
			return called ? transparent[i].called : transparent[i].bare;
	return false;
}

bool aa_decorators_transparent(struct aa_model *model, const struct aa_syms *s, uint32_t scope,
					 TSNode def)
{
	return aa_decorators_transparent_under(model, s, scope, ts_node_parent(def));
}

bool aa_decorators_transparent_under(struct aa_model *model, const struct aa_syms *s, uint32_t scope,
					       TSNode parent)
{
	if (ts_node_is_null(parent) || ts_node_symbol(parent) != s->decorated_definition)
		return true;
	uint32_t n = ts_node_named_child_count(parent);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(parent, i);
		if (ts_node_symbol(d) != s->decorator)
			continue;
		TSNode expr = aa_node_first_code_child(s, d);
		bool called = !ts_node_is_null(expr) && ts_node_symbol(expr) == s->call;
		if (called)
			expr = ts_node_child_by_field_id(expr, s->f.function);
		if (ts_node_is_null(expr))
			return false;
		struct aa_meaning m = aa_model_eval(model, scope, expr);
		if (m.kind != AA_MEANING_NAME || !aa_decorator_transparent(m.qualname, called))
			return false;
	}
	return true;
}
