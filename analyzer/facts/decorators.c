#include "analyzer/facts/decorators.h"
#include "analyzer/base/buf.h"
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
	/* FastAPI's registering decorators hand the function back unchanged. */
#define FASTAPI_REGISTERS(cls)                                                                                      \
	{ cls ".get", false, true }, { cls ".put", false, true }, { cls ".post", false, true },                      \
	{ cls ".delete", false, true }, { cls ".options", false, true }, { cls ".head", false, true },              \
	{ cls ".patch", false, true }, { cls ".trace", false, true }, { cls ".api_route", false, true },            \
	{ cls ".websocket", false, true }, { cls ".on_event", false, true }
	FASTAPI_REGISTERS("fastapi.FastAPI"),
	FASTAPI_REGISTERS("fastapi.APIRouter"),
	FASTAPI_REGISTERS("fastapi.routing.APIRouter"),
#undef FASTAPI_REGISTERS
	{ "fastapi.FastAPI.exception_handler", false, true },
	{ "fastapi.FastAPI.middleware", false, true },
};

bool aa_decorator_transparent(const char *qualname, bool called)
{
	for (size_t i = 0; i < sizeof(transparent) / sizeof(transparent[0]); i++)
		if (!strcmp(transparent[i].qualname, qualname))
			return called ? transparent[i].called : transparent[i].bare;
	return false;
}

bool aa_decorators_transparent(struct aa_model *model, const struct aa_syms *s, uint32_t scope, TSNode def)
{
	return aa_decorators_transparent_under(model, s, scope, ts_node_parent(def));
}

/* The qualified name decorator d names (NULL when the model cannot name it), and
 * whether it is called (`@lru_cache(8)`). */
static const char *decorator_name(struct aa_model *model, const struct aa_syms *s, uint32_t scope, TSNode d,
				  bool *called)
{
	TSNode expr = aa_node_first_code_child(s, d);
	*called = !ts_node_is_null(expr) && ts_node_symbol(expr) == s->call;
	if (*called)
		expr = ts_node_child_by_field_id(expr, s->f.function);
	if (ts_node_is_null(expr))
		return NULL;
	if (ts_node_symbol(expr) == s->attribute) {
		/* A method of an object of a known class (`@router.get("/")` on an APIRouter):
		 * "<class>.<method>". */
		TSNode attr = ts_node_child_by_field_id(expr, s->f.attribute);
		struct aa_meaning om = aa_model_eval(model, scope, ts_node_child_by_field_id(expr, s->f.object));
		if (om.kind == AA_MEANING_INSTANCE && !ts_node_is_null(attr)) {
			uint32_t len;
			const char *name = aa_model_text(model, attr, &len);
			struct aa_buf q = AA_BUF_INIT;
			aa_buf_adds(&q, om.qualname);
			aa_buf_addc(&q, '.');
			aa_buf_add(&q, name, len);
			const char *r = aa_model_intern(model, q.data, q.len);
			aa_buf_release(&q);
			return r;
		}
	}
	struct aa_meaning m = aa_model_eval(model, scope, expr);
	return m.kind == AA_MEANING_NAME ? m.qualname : NULL;
}

/* True when some decorator of the def whose parent node is parent satisfies pred (given
 * the name the model resolves it to, NULL when it cannot, and whether it is called). */
static bool any_decorator(struct aa_model *model, const struct aa_syms *s, uint32_t scope, TSNode parent,
			  bool (*pred)(const struct aa_model *model, const char *qualname, bool called))
{
	if (ts_node_is_null(parent) || ts_node_symbol(parent) != s->decorated_definition)
		return false;
	uint32_t n = ts_node_named_child_count(parent);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(parent, i);
		if (ts_node_symbol(d) != s->decorator)
			continue;
		bool called;
		const char *q = decorator_name(model, s, scope, d, &called);
		if (pred(model, q, called))
			return true;
	}
	return false;
}

/* A configured transparent decorator keeps the def bare or called alike: the user
 * vouches for the name. */
static bool configured(const struct aa_model *model, const char *qualname)
{
	for (const char *const *d = aa_model_transparent(model); d && *d; d++)
		if (!strcmp(*d, qualname))
			return true;
	return false;
}

static bool changes_the_def(const struct aa_model *model, const char *qualname, bool called)
{
	return !qualname || !(aa_decorator_transparent(qualname, called) || configured(model, qualname));
}

static bool memoises(const struct aa_model *model, const char *qualname, bool called)
{
	(void)model;
	(void)called; /* `@lru_cache` and `@lru_cache(maxsize=8)` alike */
	return qualname && (!strcmp(qualname, "functools.cache") || !strcmp(qualname, "functools.lru_cache") ||
			    !strcmp(qualname, "functools.cached_property"));
}

static bool makes_fixture(const struct aa_model *model, const char *qualname, bool called)
{
	(void)model;
	(void)called; /* `@pytest.fixture` and `@pytest.fixture(scope="module")` alike */
	return qualname && (!strcmp(qualname, "pytest.fixture") || !strcmp(qualname, "pytest_asyncio.fixture"));
}

static bool overloads(const struct aa_model *model, const char *qualname, bool called)
{
	(void)model;
	(void)called;
	return qualname && (!strcmp(qualname, "typing.overload") || !strcmp(qualname, "typing_extensions.overload"));
}

bool aa_decorators_overload_under(struct aa_model *model, const struct aa_syms *s, uint32_t scope, TSNode parent)
{
	return any_decorator(model, s, scope, parent, overloads);
}

bool aa_decorators_transparent_under(struct aa_model *model, const struct aa_syms *s, uint32_t scope,
				     TSNode parent)
{
	return !any_decorator(model, s, scope, parent, changes_the_def);
}

bool aa_decorators_memoise_under(struct aa_model *model, const struct aa_syms *s, uint32_t scope, TSNode parent)
{
	return any_decorator(model, s, scope, parent, memoises);
}

bool aa_decorators_fixture_under(struct aa_model *model, const struct aa_syms *s, uint32_t scope, TSNode parent)
{
	return any_decorator(model, s, scope, parent, makes_fixture);
}
