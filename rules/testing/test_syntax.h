/*
 * test_syntax.h: what a test module's syntax says about how its async tests run
 * (AA601, AA602, AA603): decorators and marks, `pytestmark`, and what a test class
 * derives from. Names resolve through the file's imports (aa_ctx_eval from the scope of
 * the node being checked); what does not resolve is "other" / "unknown", never a guess.
 *
 * The rules that use this run once per file, on the `module` node, and walk module-level
 * statements and class bodies only (a bounded walk: no recursion into function bodies).
 * Everything here is pure: no I/O, no state outside the context.
 */
#ifndef AA_TEST_SYNTAX_H
#define AA_TEST_SYNTAX_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "analyzer/check/context.h"

enum aa_test_deco {
	AA_DECO_OTHER = 0,      /* unknown: it may wrap the coroutine or run it; also other
				   plugins' runner marks (asyncio_cooperative, gen_test, curio, twisted) */
	AA_DECO_ASYNCIO,        /* pytest.mark.asyncio, called or not */
	AA_DECO_ANYIO,          /* pytest.mark.anyio */
	AA_DECO_TRIO,           /* pytest.mark.trio */
	AA_DECO_MARK,           /* any other pytest.mark.<name> (parametrize, skip, usefixtures...) */
	AA_DECO_FIXTURE,        /* pytest.fixture, called or not */
	AA_DECO_ASYNC_FIXTURE,  /* pytest_asyncio.fixture, pytest_trio.trio_fixture */
	AA_DECO_KEEPS,          /* unittest.skip / skipIf / skipUnless / expectedFailure,
				   unittest.mock.patch (and .object / .dict / .multiple), mock.patch:
				   keep a coroutine function a coroutine function and run nothing */
};

/* Classifies a decorator's expression, or one mark expression of `pytestmark`. */
enum aa_test_deco aa_test_deco_of(struct aa_ctx *ctx, TSNode expr);

/* True when a decorator's expression skips the test whatever happens:
 * `pytest.mark.skip` and `unittest.skip`, called or not (not the conditional skipif,
 * skipIf, skipUnless). */
bool aa_test_deco_skips(struct aa_ctx *ctx, TSNode expr);

/* True when module (the root handed to a check on "module") is the whole file and it
 * parsed without error. A file with a syntax error is parsed in segments (parse.h);
 * these rules then report nothing, as a mark may sit in the broken part. */
bool aa_test_whole_module(const struct aa_ctx *ctx, TSNode module);

/* True when one file can tell how pytest's plugins run the tests and fixtures of
 * module: it is the whole file (aa_test_whole_module) and its text never mentions
 * `anyio_backend`. The anyio plugin runs every test and fixture that requests
 * anyio_backend, also through another fixture, which one file cannot follow. */
bool aa_test_module_decidable(const struct aa_ctx *ctx, TSNode module);

/* For a statement of a module or class body: the definition it holds (a
 * function_definition or class_definition, looking through decorated_definition), or a
 * null node. *decorated receives the decorated_definition, or a null node. */
TSNode aa_test_definition(const struct aa_ctx *ctx, TSNode stmt, TSNode *decorated);

/* True when def is an `async def`. */
bool aa_test_is_async(const struct aa_ctx *ctx, TSNode def);

/* The decorators of a definition's decorated_definition (null: none), one by one:
 * pass i = 0, 1, ...; returns the decorator's expression, or a null node past the end. */
TSNode aa_test_decorator(const struct aa_ctx *ctx, TSNode decorated, uint32_t i);

/* True when the test def (a function_definition) requests a fixture of a plugin that
 * runs coroutine tests without marks (aiohttp's legacy pytest plugin: `loop`,
 * `aiohttp_client`...; pytest-tornasync: `io_loop`, `http_server_client`...). */
bool aa_test_requests_runner_fixture(const struct aa_ctx *ctx, TSNode def);

/* What marks a `pytestmark = ...` assignment's value holds: a mark or a list / tuple of
 * marks. */
struct aa_test_marks {
	bool asyncio, anyio, trio; /* runner marks present */
	bool unknown;              /* something other than pytest marks (a name, `a + b`...) */
};
void aa_test_marks_of(struct aa_ctx *ctx, TSNode value, struct aa_test_marks *out);

/* The value of a `pytestmark = ...` (or `__test__ = ...` when name says so) statement
 * of a module or class body, or a null node when stmt is not such an assignment. */
TSNode aa_test_assignment_value(const struct aa_ctx *ctx, TSNode stmt, const char *name);

/* What a class derives from, through the classes of this file (at most 32 of them). */
enum aa_test_bases {
	AA_BASES_PLAIN = 0, /* no base but `object` and plain classes of this file */
	AA_BASES_UNITTEST,  /* unittest.TestCase itself (and plain classes of this file) */
	AA_BASES_UNKNOWN,   /* anything else: IsolatedAsyncioTestCase, Django's TestCase, an
			       import, a metaclass, a class decorator that is not a mark, a class
			       that defines run / _callTestMethod / __init__ / __getattribute__ ... */
};
struct aa_test_class {
	enum aa_test_bases bases;
	struct aa_test_marks marks; /* marks of the class and its bases: decorators and
				       class-level `pytestmark` */
	bool not_collected;         /* `__test__ = ...` in the class or a base */
};
/* class_def is a class_definition; decorated its decorated_definition or null. */
void aa_test_class_of(struct aa_ctx *ctx, TSNode class_def, TSNode decorated, struct aa_test_class *out);

/* True when node sits in the body of `with pytest.raises(...)` (also imported under
 * another name) or `with self.assertRaises(...)` (also assertRaisesRegex[p]), at any
 * depth in its own function: the code there is expected to fail, so what it would
 * create is never made. */
bool aa_test_expects_raise(struct aa_ctx *ctx, TSNode node);

#endif
