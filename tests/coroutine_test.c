/* Unit test for rules/coroutines/coroutine.c: the decorator table, and which defs are coroutine
 * functions (async, no yield of their own). Exit 0 = pass; each failure prints expected
 * vs actual. */
#include "rules/coroutines/coroutine.h"
#include "analyzer/facts/decorators.h"
#include "analyzer/facts/known_types.h"
#include "analyzer/check/rule.h"
#include "analyzer/facts/model.h"
#include "parsers/python/parse.h"
#include "analyzer/input/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;

#define EXPECT_BOOL(what, want, got) do { \
	bool w_ = (want), g_ = (got); \
	if (w_ != g_) { \
		fprintf(stderr, "%s:%d: %s: expected %s, got %s\n", __FILE__, __LINE__, what, \
			w_ ? "true" : "false", g_ ? "true" : "false"); \
		fails++; \
	} \
} while (0)

static void decorators(void)
{
	EXPECT_BOOL("@staticmethod", true, aa_decorator_transparent("builtins.staticmethod", false));
	EXPECT_BOOL("@classmethod", true, aa_decorator_transparent("builtins.classmethod", false));
	EXPECT_BOOL("@abc.abstractmethod", true, aa_decorator_transparent("abc.abstractmethod", false));
	EXPECT_BOOL("@typing.override", true, aa_decorator_transparent("typing.override", false));
	EXPECT_BOOL("@typing_extensions.override", true,
		    aa_decorator_transparent("typing_extensions.override", false));
	EXPECT_BOOL("@functools.cache", true, aa_decorator_transparent("functools.cache", false));
	EXPECT_BOOL("@functools.lru_cache", true, aa_decorator_transparent("functools.lru_cache", false));
	EXPECT_BOOL("@functools.lru_cache(8)", true, aa_decorator_transparent("functools.lru_cache", true));
	EXPECT_BOOL("@functools.wraps(f)", true, aa_decorator_transparent("functools.wraps", true));
	EXPECT_BOOL("@functools.wraps (bare)", false, aa_decorator_transparent("functools.wraps", false));
	EXPECT_BOOL("@staticmethod()", false, aa_decorator_transparent("builtins.staticmethod", true));
	EXPECT_BOOL("@textual.work", false, aa_decorator_transparent("textual.work", false));
	EXPECT_BOOL("@contextlib.asynccontextmanager", false,
		    aa_decorator_transparent("contextlib.asynccontextmanager", false));
	EXPECT_BOOL("@property", false, aa_decorator_transparent("builtins.property", false));
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

static void is_async(const struct aa_syms *s, TSParser *parser, const char *text, bool want)
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
	if (ts_node_is_null(def)) {
		fprintf(stderr, "%s:%d: no def in: %s\n", __FILE__, __LINE__, text);
		fails++;
	} else {
		EXPECT_BOOL(text, want, aa_coroutine_def_is_async(model, def));
	}
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
	(void)ud;
	if (!strncmp(source, "asyncio.", 8) && is_target_class(result) && !covered(source)) {
		fprintf(stderr, "%s:%d: the prefilter words miss %s (makes %s)\n", __FILE__, __LINE__, source, result);
		fails++;
	}
}

/* A sync file can only reach an asyncio target through a name the words match: each
 * target of the table, and each factory or alias of a class with coroutine methods. */
static void sync_words(void)
{
	const struct aa_rule *r = &aa_rule_unawaited_coroutine;
	for (size_t i = 0; i < r->n_targets; i++) {
		const char *name = r->targets[i].name;
		if (!strncmp(name, "asyncio.", 8) && !covered(name)) {
			fprintf(stderr, "%s:%d: the prefilter words miss the target %s\n", __FILE__, __LINE__, name);
			fails++;
		}
	}
	aa_known_each_call(check_factory, NULL);
	for (const char *const *w = aa_coroutine_sync_words; *w; w++)
		EXPECT_BOOL(*w, true, !strncmp(*w, "async", 5));
}

int main(void)
{
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
	decorators();
	sync_words();
	is_async(&s, parser, "async def f():\n    await g()\n", true);
	is_async(&s, parser, "async def f():\n    pass\n", true);
	is_async(&s, parser, "def f():\n    return 1\n", false);
	is_async(&s, parser, "async def f():\n    yield 1\n", false);
	is_async(&s, parser, "async def f():\n    if x:\n        x = (yield)\n", false);
	is_async(&s, parser, "async def f():\n    def g():\n        yield 1\n    return g\n", true);
	is_async(&s, parser, "async def f():\n    g = lambda: (yield)\n    return g\n", true);
	is_async(&s, parser, "async def f():\n    class C:\n        def m(self):\n            yield 1\n", true);
	is_async(&s, parser, "@deco\nasync def f():\n    return 1\n", true);
	is_async(&s, parser, "async def f():\n    async def g():\n        yield 1\n    return g\n", true);
	is_async(&s, parser, "async def f():\n    return [x async for x in g()]\n", true);
	is_async(&s, parser, "async def f():\n    await (yield)\n", false);
	ts_parser_delete(parser);
	if (fails)
		fprintf(stderr, "coroutine_test: %d failure(s)\n", fails);
	return fails ? 1 : 0;
}
