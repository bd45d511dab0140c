/* AA503 yield-in-scope: `yield` inside a timeout, cancel scope, TaskGroup or nursery
 * in an async generator. */
#include "rules/resources/async_resources.h"
#include "rules/coroutines/coroutine.h"
#include "analyzer/facts/decorators.h"
#include "rules/cancellation/scopes.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

extern const struct aa_rule aa_rule_yield_in_scope;

/* The scopes: the library table of timeouts and cancel scopes (rules/cancellation/scopes.c) and
 * the task groups and nurseries of rules/resources/async_resources.c. Listed for the docs. */
static const struct aa_target targets[] = {
	{ "asyncio.timeout", 0, NULL, NULL },
	{ "asyncio.timeout_at", 0, NULL, NULL },
	{ "asyncio.TaskGroup", 0, NULL, NULL },
	{ "trio.move_on_after", 0, NULL, NULL },
	{ "trio.move_on_at", 0, NULL, NULL },
	{ "trio.fail_after", 0, NULL, NULL },
	{ "trio.fail_at", 0, NULL, NULL },
	{ "trio.CancelScope", 0, NULL, NULL },
	{ "trio.open_nursery", 0, NULL, NULL },
	{ "anyio.move_on_after", 0, NULL, NULL },
	{ "anyio.fail_after", 0, NULL, NULL },
	{ "anyio.CancelScope", 0, NULL, NULL },
	{ "anyio.create_task_group", 0, NULL, NULL },
};

/* Climbs bounded by the nesting a parser accepts. */
#define MAX_CLIMB 1024

/* The name of the scope a with statement enters, or NULL. */
static const char *scope_entered(struct aa_ctx *ctx, TSNode with)
{
	TSNode value;
	for (struct aa_with_items it = aa_node_with_items(aa_ctx_syms(ctx), with, AA_WITH_CLAUSE_ANY);
	     aa_node_with_items_next(&it, &value);) {
		const struct aa_scope_entry *e = aa_scope_of_call(ctx, value);
		if (e)
			return e->qualname;
		const struct aa_resource *r = aa_resource_of_expr(ctx, value);
		if (r && (r->flags & AA_RESOURCE_SCOPE))
			return r->shown;
	}
	return NULL;
}

static void check(struct aa_ctx *ctx, TSNode yield)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_model *model = aa_ctx_model(ctx);
	const struct aa_scope_info *fn = aa_model_scope(model, aa_ctx_scope(ctx));
	if (fn->kind != AA_SCOPE_FUNCTION || !fn->is_async)
		return; /* a sync generator, or a yield in a lambda */
	/* Any decorator that is not known to leave the function alone may make it a
	 * context manager (contextlib.asynccontextmanager and its re-exports) or a fixture
	 * (pytest.fixture, pytest_asyncio.fixture), where yielding inside the scope is the
	 * pattern. */
	uint32_t outer = aa_coroutine_def_scope(model, fn->node);
	if (outer == AA_NO_SCOPE || !aa_decorators_transparent(model, s, outer, fn->node))
		return;
	TSNode prev = yield;
	TSNode p = aa_ctx_parent(ctx, yield);
	for (int guard = 0; !ts_node_is_null(p) && guard < MAX_CLIMB; guard++) {
		if (ts_node_eq(p, fn->node))
			return;
		if (ts_node_symbol(p) == s->with_statement &&
		    ts_node_eq(ts_node_child_by_field_id(p, s->f.body), prev)) {
			const char *name = scope_entered(ctx, p);
			if (name) {
				uint32_t line = aa_source_line_of(aa_ctx_source(ctx), ts_node_start_byte(p)) + 1;
				aa_ctx_report(ctx, &aa_rule_yield_in_scope, yield,
					      "yield inside %s() (line %u) in async generator '%.*s': the consumer's "
					      "code runs while the scope is open, so the scope's cancellation hits "
					      "the wrong code, or the scope is exited from another task; yield "
					      "outside the scope, or make the function an @asynccontextmanager",
					      name, line, (int)fn->name_len, fn->name ? fn->name : "");
				return;
			}
		}
		prev = p;
		p = aa_ctx_parent(ctx, p);
	}
}

static const char *const equivalents[] = { "ASYNC101", "ASYNC119", NULL };
static const char *const kinds[] = { "yield", NULL };

const struct aa_rule aa_rule_yield_in_scope = {
	.code = "AA503",
	.name = "yield-in-scope",
	.family = &aa_family_resources,
	.severity = AA_SEVERITY_WARNING,
	.default_on = true,
	.summary = "yield inside a timeout, cancel scope, TaskGroup or nursery in an async generator",
	.equivalents = equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds a `yield` in an async generator (an `async def` whose own body yields) that is "
			"inside the body of a `with` or `async with` entering a timeout or cancel scope "
			"(`asyncio.timeout()`, `trio.move_on_after()`, `anyio.CancelScope()`, ...), an "
			"`asyncio.TaskGroup`, a trio nursery or an anyio task group, in the same function. The "
			"scope is a call of one of the targets below, or, for task groups and nurseries, an "
			"object the analyzer tracks to one.",
		.why = "At a `yield`, the generator's frame is suspended but its scopes stay open, and the "
		       "consumer's code runs until it asks for the next item. A timeout that fires then cancels "
		       "the consumer, not the generator; a child task's failure in a TaskGroup or nursery "
		       "cancels code that is not inside it; and when the consumer stops iterating, the scope is "
		       "closed by the garbage collector or from another task, which corrupts the cancel-scope "
		       "stack (trio and anyio raise `RuntimeError`). PEP 789 describes the problem.",
		.example = "import asyncio\n\nasync def ticks(source):\n    async with asyncio.timeout(10):\n"
			   "        async for item in source:\n            yield item\n",
		.use_instead = "import asyncio\n\nasync def ticks(source):\n    it = aiter(source)\n    while True:\n"
			       "        try:\n            async with asyncio.timeout(10):\n"
			       "                item = await anext(it)\n        except StopAsyncIteration:\n"
			       "            return\n        yield item\n",
		.anchor = "The `yield` expression.",
		.exceptions = "Functions decorated with `@contextlib.asynccontextmanager` and pytest fixtures "
			      "(`@pytest.fixture`, `@pytest_asyncio.fixture`) yield once inside their scopes on "
			      "purpose, and are not reported. More generally an async generator with any decorator "
			      "not known to leave it alone (`staticmethod`, `classmethod`, `abc.abstractmethod`, "
			      "`typing.override`, `functools` caches) is not reported: the decorator may turn it "
			      "into a context manager. A `yield` in a nested `def` or `lambda` belongs to that "
			      "function. Scopes held in variables are recognised for task groups and nurseries "
			      "only. Suppress a line with `# noqa: AA503`, or with flake8-async's codes.",
		.equivalents_note = "`# noqa: ASYNC101` (flake8-async yield-in-cancel-scope, trio/anyio scopes) "
				    "and `# noqa: ASYNC119` (flake8-async and Ruff yield-in-context-manager-in-"
				    "async-generator, any context manager) also suppress this rule. Older Ruff "
				    "releases used ASYNC101 for a different rule (open-sleep-or-subprocess-in-async-"
				    "function); such a comment on a `yield` line is unlikely.",
		.references = "- [PEP 789: Preventing task-cancellation bugs by limiting yield in async generators](https://peps.python.org/pep-0789/)\n"
			      "- [flake8-async ASYNC101 / ASYNC119](https://flake8-async.readthedocs.io/en/latest/rules.html)\n",
	},
};
