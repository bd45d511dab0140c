/* AA501 sync-with-async-resource: a plain `with` (or `for`) on an object that only
 * supports `async with` (or `async for`). */
#include "rules/resources/async_resources.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

#include <string.h>

extern const struct aa_rule aa_rule_sync_with_async_resource;

/* For the docs: the async-only resources of rules/resources/async_resources.c by their public
 * names (that table also holds their module-path spellings). Keep the two in step. */
static const struct aa_target targets[] = {
	{ "asyncio.Lock", 0, "async with", NULL },
	{ "asyncio.Semaphore", 0, "async with", NULL },
	{ "asyncio.BoundedSemaphore", 0, "async with", NULL },
	{ "asyncio.Condition", 0, "async with", NULL },
	{ "asyncio.TaskGroup", 0, "async with", NULL },
	{ "asyncio.timeout", 0, "async with", NULL },
	{ "asyncio.timeout_at", 0, "async with", NULL },
	{ "aiohttp.ClientSession", 0, "async with", NULL },
	{ "httpx.AsyncClient", 0, "async with", NULL },
	{ "aiofiles.open", 0, "async with; async for over the file", NULL },
	{ "trio.open_nursery", 0, "async with", NULL },
	{ "anyio.create_task_group", 0, "async with", NULL },
};

/* A lock, semaphore or condition made in the `with` itself: `async with` would run, but
 * excludes nothing (AA303 says so); sharing one is the fix, not a keyword. */
static bool limiter_made_here(const struct aa_syms *s, TSNode value, const struct aa_resource *r)
{
	static const char *const kinds[] = { "Lock", "Semaphore", "Condition", NULL };
	if (ts_node_symbol(value) != s->call)
		return false;
	for (const char *const *k = kinds; *k; k++) {
		size_t n = strlen(r->qualname), m = strlen(*k);
		if (n >= m && !strcmp(r->qualname + n - m, *k))
			return true;
	}
	return false;
}

/* `with` -> `async with` when every item is an async context manager (a mixed `with`
 * has no right form), none is a limiter made there, and the statement is directly in an
 * `async def`'s body. */
static struct aa_fix *async_with_fix(struct aa_ctx *ctx, TSNode with)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!aa_ctx_await_allowed(ctx, with))
		return NULL;
	TSNode value;
	for (struct aa_with_items it = aa_node_with_items(s, with, AA_WITH_CLAUSE_ANY);
	     aa_node_with_items_next(&it, &value);) {
		const struct aa_resource *r = aa_resource_of_expr(ctx, value);
		if (!r || !(r->flags & AA_RESOURCE_ASYNC_CM) || limiter_made_here(s, value, r))
			return NULL;
	}
	struct aa_fix *fix = aa_fix_new(AA_FIX_SAFE);
	aa_fix_add(fix, ts_node_start_byte(with), ts_node_start_byte(with), "async ", 6);
	return fix;
}

static void check_with(struct aa_ctx *ctx, TSNode with)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (aa_node_has_async_keyword(s, with))
		return;
	TSNode value;
	for (struct aa_with_items it = aa_node_with_items(s, with, AA_WITH_CLAUSE_ANY);
	     aa_node_with_items_next(&it, &value);) {
		const struct aa_resource *r = aa_resource_of_expr(ctx, value);
		if (!r || !(r->flags & AA_RESOURCE_ASYNC_CM))
			continue;
		struct aa_fix *fix = async_with_fix(ctx, with);
		if (ts_node_symbol(value) == s->call) {
			aa_ctx_report_fix(ctx, &aa_rule_sync_with_async_resource, with, fix,
				      "plain 'with' on %s(), an async-only context manager: it has no "
				      "__enter__/__exit__, so this fails at run time; use 'async with'",
				      aa_ctx_callee_text(ctx, value));
		} else {
			uint32_t len;
			const char *t = aa_ctx_text(ctx, value, &len);
			aa_ctx_report_fix(ctx, &aa_rule_sync_with_async_resource, with, fix,
				      "plain 'with' on '%.*s'%s (%s), an async-only context manager: it has no "
				      "__enter__/__exit__, so this fails at run time; use 'async with'",
				      (int)(len > 60 ? 60 : len), t, len > 60 ? "..." : "", r->shown);
		}
		return;
	}
}

static void check_for(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (aa_node_has_async_keyword(s, node))
		return;
	TSNode iter = ts_node_child_by_field_id(node, s->f.right);
	const struct aa_resource *r = aa_resource_of_expr(ctx, iter);
	if (!r || !(r->flags & AA_RESOURCE_ASYNC_ITER))
		return;
	aa_ctx_report(ctx, &aa_rule_sync_with_async_resource, node,
		      "plain 'for' over a file from %s(), an async-only iterable: it has no __iter__, so this fails "
		      "at run time; use 'async for'",
		      r->shown);
}

static void check(struct aa_ctx *ctx, TSNode node)
{
	/* Sync code is not looked at: a file without async code is not even parsed, so
	 * findings there would depend on unrelated code elsewhere in the file. */
	if (!aa_ctx_in_async(ctx))
		return;
	if (ts_node_symbol(node) == aa_ctx_syms(ctx)->with_statement)
		check_with(ctx, node);
	else
		check_for(ctx, node);
}

static const char *const kinds[] = { "with_statement", "for_statement", "for_in_clause", NULL };

const struct aa_rule aa_rule_sync_with_async_resource = {
	.code = "AA501",
	.name = "sync-with-async-resource",
	.family = &aa_family_resources,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.fix = {
		AA_FIX_SAFE,
		"Use async with",
		"`with` becomes `async with`; the statement is otherwise unchanged. Only when every item of the `with` "
		"is an async context manager (a `with` mixing sync and async managers must be split by hand) and the "
		"statement is directly in an `async def`'s body, and no item makes a lock, semaphore or condition in "
		"place (`with asyncio.Lock():` excludes nothing even as `async with`: share one instead). A plain `for` "
		"over an async iterable is not fixed.",
	},
	.summary = "A plain 'with' or 'for' on an object that supports only 'async with' or 'async for'",
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds a plain `with` statement whose context manager supports only `async with`, and a "
			"plain `for` (statement or comprehension clause) over an object that supports only "
			"`async for`. The context manager is a call of one of the targets below "
			"(`with asyncio.Lock():`) or an object the analyzer tracks to one: `self.lock` after "
			"`self.lock = asyncio.Lock()` in any method, a parameter annotated `asyncio.Lock`, a "
			"module-level `lock = asyncio.Lock()`, the `f` of `async with aiofiles.open(p) as f`. "
			"Only async context is checked (the body of an `async def`, outside nested `def`s and "
			"lambdas): a file without async code is not parsed at all, so a finding in sync code "
			"would depend on unrelated code elsewhere in the file.",
		.why = "These objects implement only `__aenter__`/`__aexit__` (or `__aiter__`/`__anext__`): a plain "
		       "`with` raises `TypeError` (`AttributeError` before Python 3.11) when the statement runs, "
		       "and `aiohttp.ClientSession` raises `TypeError(\"Use async with instead\")`. The code "
		       "never worked, usually on a path the tests do not reach (an error branch, a rarely used "
		       "option).",
		.example = "import asyncio\n\nclass Cache:\n    def __init__(self):\n        self.lock = asyncio.Lock()\n"
			   "        self.data = {}\n\n    async def put(self, key, value):\n        with self.lock:\n"
			   "            self.data[key] = value\n",
		.use_instead = "import asyncio\n\nclass Cache:\n    def __init__(self):\n        self.lock = asyncio.Lock()\n"
			       "        self.data = {}\n\n    async def put(self, key, value):\n        async with self.lock:\n"
			       "            self.data[key] = value\n",
		.anchor = "The `with` or `for` statement (its first line), or the `for` clause of a comprehension.",
		.exceptions = "trio's and anyio's cancel scopes (`trio.move_on_after()`, `trio.fail_after()`, "
			      "`trio.CancelScope()`, `anyio.move_on_after()`, `anyio.fail_after()`, "
			      "`anyio.CancelScope()`) are sync context managers: `with trio.move_on_after(5):` is "
			      "correct and never reported; so are `threading` locks and `open()`. "
			      "`with await lock:` and `with (yield from lock):` (the pre-3.9 spellings) are not "
			      "reported: their value is not the lock. An object the analyzer cannot track (a name "
			      "bound to two different things, the result of an unknown call) is not reported. "
			      "Suppress a line with `# noqa: AA501`.",
		.equivalents_note = "No flake8-async or Ruff rule covers this. Type checkers report it where they "
				    "know the type: mypy `\"Lock\" has no attribute \"__enter__\"; maybe "
				    "\"__aenter__\"?` [attr-defined], Pyright reportGeneralTypeIssues, Pylint E1129 "
				    "not-context-manager (their own suppressions, not noqa codes).",
		.references = "- [asyncio synchronization primitives: \"async with lock\"](https://docs.python.org/3/library/asyncio-sync.html)\n"
			      "- [aiohttp client quickstart: sessions are async context managers](https://docs.aiohttp.org/en/stable/client_quickstart.html)\n",
	},
};
