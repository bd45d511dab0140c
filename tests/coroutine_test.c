/* Unit test for rules/coroutines/coroutine.c: the decorator table, and which defs are coroutine
 * functions (async, no yield of their own). Exit 0 = pass (tests/check.h); each failure
 * prints expected vs actual. */
#include "rules/coroutines/coroutine.h"
#include "analyzer/facts/decorators.h"
#include "analyzer/facts/known_types.h"
#include "analyzer/check/rule.h"
#include "analyzer/facts/model.h"
#include "parsers/python/parse.h"
#include "analyzer/input/source.h"
#include "tests/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void decorators(struct check *t)
{
	CHECK_BOOL(t, "@staticmethod", true, aa_decorator_transparent("builtins.staticmethod", false));
	CHECK_BOOL(t, "@classmethod", true, aa_decorator_transparent("builtins.classmethod", false));
	CHECK_BOOL(t, "@abc.abstractmethod", true, aa_decorator_transparent("abc.abstractmethod", false));
	CHECK_BOOL(t, "@typing.override", true, aa_decorator_transparent("typing.override", false));
	CHECK_BOOL(t, "@typing_extensions.override", true,
		   aa_decorator_transparent("typing_extensions.override", false));
	CHECK_BOOL(t, "@functools.cache", true, aa_decorator_transparent("functools.cache", false));
	CHECK_BOOL(t, "@functools.lru_cache", true, aa_decorator_transparent("functools.lru_cache", false));
	CHECK_BOOL(t, "@functools.lru_cache(8)", true, aa_decorator_transparent("functools.lru_cache", true));
	CHECK_BOOL(t, "@functools.wraps(f)", true, aa_decorator_transparent("functools.wraps", true));
	CHECK_BOOL(t, "@functools.wraps (bare)", false, aa_decorator_transparent("functools.wraps", false));
	CHECK_BOOL(t, "@staticmethod()", false, aa_decorator_transparent("builtins.staticmethod", true));
	CHECK_BOOL(t, "@textual.work", false, aa_decorator_transparent("textual.work", false));
	CHECK_BOOL(t, "@contextlib.asynccontextmanager", false,
		   aa_decorator_transparent("contextlib.asynccontextmanager", false));
	CHECK_BOOL(t, "@property", false, aa_decorator_transparent("builtins.property", false));
}

/* The first function_definition of the model's file, in preorder (scope order). */
static TSNode first_def(const struct aa_model *model)
{
	uint32_t n = aa_model_scope_count(model);
	for (uint32_t i = 1; i < n; i++)
		if (aa_model_scope(model, i)->kind == AA_SCOPE_FUNCTION)
			return aa_model_scope(model, i)->node;
	return (TSNode){ 0 };
}

#define IS_ASYNC(t, s, parser, text, want) is_async((t), __LINE__, (s), (parser), (text), (want))
static void is_async(struct check *t, int line, const struct aa_syms *s, TSParser *parser, const char *text, bool want)
{
	struct aa_source src;
	struct aa_source_error err;
	size_t len = strlen(text);
	char *copy = malloc(len + 1);
	if (!copy)
		exit(2);
	memcpy(copy, text, len + 1);
	struct aa_parsed parsed;
	if (aa_source_from_bytes(&src, copy, len, &err) != AA_SOURCE_OK || aa_parse(parser, &src, &parsed) < 0) {
		fprintf(stderr, "cannot parse: %s\n", text);
		exit(2);
	}
	struct aa_model *model = aa_model_build(&src, s, &parsed, "m", false);
	TSNode def = first_def(model);
	if (ts_node_is_null(def))
		check_fail_at(t, __FILE__, line, "%s: expected a def, got none", text);
	else
		check_bool_at(t, __FILE__, line, text, want, aa_coroutine_def_is_async(model, def));
	aa_model_free(model);
	aa_parsed_release(&parsed);
	aa_source_release(&src);
}

extern const struct aa_rule aa_rule_unawaited_coroutine;

/* Does some prefilter word start `name` (a call or class as written in the source)? */
static bool covered(const char *name)
{
	for (const char *const *w = aa_coroutine_sync_words; *w; w++)
		if (!strncmp(name, *w, strlen(*w)))
			return true;
	return false;
}

/* The class part of a method target "asyncio.Lock.acquire", or the function itself. */
static bool is_target_class(const char *cls)
{
	const struct aa_rule *r = &aa_rule_unawaited_coroutine;
	size_t cl = strlen(cls);
	for (size_t i = 0; i < r->n_targets; i++)
		if ((r->targets[i].flags & AA_TARGET_METHOD) && !strncmp(r->targets[i].name, cls, cl) &&
		    r->targets[i].name[cl] == '.')
			return true;
	return false;
}

static void check_factory(const char *source, const char *result, void *ud)
{
	struct check *t = ud;
	if (!strncmp(source, "asyncio.", 8) && is_target_class(result))
		CHECK(t, covered(source), "the prefilter words miss %s (makes %s)", source, result);
}

/* A sync file can only reach an asyncio target through a name the words match: each
 * target of the table, and each factory or alias of a class with coroutine methods. */
static void sync_words(struct check *t)
{
	const struct aa_rule *r = &aa_rule_unawaited_coroutine;
	for (size_t i = 0; i < r->n_targets; i++) {
		const char *name = r->targets[i].name;
		if (!strncmp(name, "asyncio.", 8))
			CHECK(t, covered(name), "the prefilter words miss the target %s", name);
	}
	aa_known_each_call(check_factory, t);
	for (const char *const *w = aa_coroutine_sync_words; *w; w++)
		CHECK_BOOL(t, *w, true, !strncmp(*w, "async", 5));
}

int main(void)
{
	struct check t = CHECK_INIT("coroutine_test");
	struct aa_syms s;
	const char *missing;
	if (aa_syms_init(&s, tree_sitter_python(), &missing)) {
		fprintf(stderr, "grammar lacks %s\n", missing);
		return 2;
	}
	TSParser *parser = ts_parser_new();
	if (!parser || !ts_parser_set_language(parser, s.lang)) {
		fprintf(stderr, "cannot set up the parser\n");
		return 2;
	}
	decorators(&t);
	sync_words(&t);
	IS_ASYNC(&t, &s, parser, "async def f():\n    await g()\n", true);
	IS_ASYNC(&t, &s, parser, "async def f():\n    pass\n", true);
	IS_ASYNC(&t, &s, parser, "def f():\n    return 1\n", false);
	IS_ASYNC(&t, &s, parser, "async def f():\n    yield 1\n", false);
	IS_ASYNC(&t, &s, parser, "async def f():\n    if x:\n        x = (yield)\n", false);
	IS_ASYNC(&t, &s, parser, "async def f():\n    def g():\n        yield 1\n    return g\n", true);
	IS_ASYNC(&t, &s, parser, "async def f():\n    g = lambda: (yield)\n    return g\n", true);
	IS_ASYNC(&t, &s, parser, "async def f():\n    class C:\n        def m(self):\n            yield 1\n", true);
	IS_ASYNC(&t, &s, parser, "@deco\nasync def f():\n    return 1\n", true);
	IS_ASYNC(&t, &s, parser, "async def f():\n    async def g():\n        yield 1\n    return g\n", true);
	IS_ASYNC(&t, &s, parser, "async def f():\n    return [x async for x in g()]\n", true);
	IS_ASYNC(&t, &s, parser, "async def f():\n    await (yield)\n", false);
	ts_parser_delete(parser);
	return check_done(&t);
}
