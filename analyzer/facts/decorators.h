/*
 * decorators.h: which decorators keep a function what it was. A decorator the model
 * cannot resolve, or one that is not in the table, may turn a def into anything (a
 * task launcher, a context manager, a cached wrapper of another kind): the function is
 * then opaque to the rules that reason about its calls (a coroutine function for
 * AA201/AA202, a blocking helper for AA109). A decorator that is a method of an object
 * the model types (`@router.get("/")`, router an APIRouter) is named "<class>.<method>"
 * ("fastapi.APIRouter.get"). Immutable table; thread-safe.
 */
#ifndef AA_DECORATORS_H
#define AA_DECORATORS_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/facts/model.h"
#include "parsers/python/syms.h"

/* True when a decorator naming qualname (as the model resolves it: "builtins.staticmethod",
 * "functools.lru_cache") keeps the def it decorates what it was (an async def a coroutine
 * function, a sync def a plain function): staticmethod, classmethod, abc.abstractmethod,
 * typing(_extensions).override, functools.cache, functools.lru_cache (bare or called with
 * arguments) and functools.wraps(...). called: the decorator is a call
 * (`@functools.lru_cache(maxsize=8)`, `@functools.wraps(f)`), and qualname names the called
 * function. Anything else (textual's `@work`, `@contextlib.asynccontextmanager`, a project
 * decorator) is unknown: false. The configuration's transparent-decorators
 * (aa_model_set_transparent) count as transparent too, in aa_decorators_transparent*. */
bool aa_decorator_transparent(const char *qualname, bool called);

/* True when the function_definition def has no decorator, or every decorator is
 * transparent (above), each resolved with model from scope, the scope the def statement
 * is evaluated in (its enclosing scope, not the def's own). def is a node of the tree
 * model was built from, and syms the grammar it was built with. Evaluating writes the
 * model's memo: one thread per model. */
bool aa_decorators_transparent(struct aa_model *model, const struct aa_syms *syms, uint32_t scope, TSNode def);

/* The same for the def whose parent node is parent (its decorated_definition when it
 * has decorators): ts_node_parent searches down from the root, and a walker knows the
 * parent. */
bool aa_decorators_transparent_under(struct aa_model *model, const struct aa_syms *syms, uint32_t scope,
				     TSNode parent);

/* True when one of the decorators of the def whose parent node is parent memoises it
 * (functools.cache, functools.lru_cache, functools.cached_property): its body runs on the
 * first call for given arguments only. */
bool aa_decorators_memoise_under(struct aa_model *model, const struct aa_syms *syms, uint32_t scope, TSNode parent);

/* True when one of the decorators of the def whose parent node is parent is
 * typing.overload (or typing_extensions'): a signature stub, not the function. */
bool aa_decorators_overload_under(struct aa_model *model, const struct aa_syms *syms, uint32_t scope, TSNode parent);

/* True when one of the decorators of the def whose parent node is parent makes it a
 * pytest fixture (pytest.fixture, pytest_asyncio.fixture; bare or called). */
bool aa_decorators_fixture_under(struct aa_model *model, const struct aa_syms *syms, uint32_t scope, TSNode parent);

#endif
