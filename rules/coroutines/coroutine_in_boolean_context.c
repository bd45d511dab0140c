/* AA202 coroutine-in-boolean-context: an unawaited coroutine tested for truth. */
#include "rules/coroutines/coroutine.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_coroutine_in_boolean_context;

static void check(struct aa_ctx *ctx, TSNode call)
{
	aa_coroutine_check(ctx, &aa_rule_coroutine_in_boolean_context, call, AA_COROUTINE_CONDITION);
}

const struct aa_rule aa_rule_coroutine_in_boolean_context = {
	.code = "AA202",
	.name = "coroutine-in-boolean-context",
	AA_COROUTINE_RULE_FIELDS,
	.summary = "An unawaited coroutine is used as a condition, which is always true",
	.check = check,
	.doc = {
		.what = "Finds calls to coroutine functions whose result is tested for truth without being "
			"awaited: the condition of `if`, `elif` and `while`, the test of `assert`, the operand of "
			"`not`, the left operand of `and`/`or` (and the right one when the whole is a condition), "
			"the test of a conditional expression, and the `if` filter of a comprehension or a `case` "
			"guard. In async and in sync code. Coroutine functions are those of AA201 "
			"(unawaited-coroutine): the module's and the project's `async def`s whose decorators are "
			"all known to keep them coroutine functions, and the library functions and methods of the "
			"table below, on objects the tracker knows.",
		.why = "A coroutine object is always true: `if is_ready():` takes the same branch whatever "
		       "`is_ready` would have returned, and the coroutine itself never runs (Python at most warns "
		       "`coroutine '...' was never awaited` later). `while not lock.acquire():` on an "
		       "`asyncio.Lock` never loops and never acquires. The condition needs `await`.",
		.example = "async def is_ready(job):\n    return await job.poll()\n\n\n"
			   "async def run(job):\n    if is_ready(job):\n        await job.start()\n",
		.use_instead = "async def is_ready(job):\n    return await job.poll()\n\n\n"
			       "async def run(job):\n    if await is_ready(job):\n        await job.start()\n",
		.anchor = "The call; its start is the start of the callee (`is_ready` in `if is_ready(job):`).",
		.exceptions = "Not findings: an awaited call (`if await is_ready(job):`), a comparison "
			      "(`if is_ready(job) is None:` is a different mistake), a coroutine stored by a walrus "
			      "(`if (c := is_ready(job)):`), the right operand of `and`/`or` whose value is kept "
			      "(`x = cached or fetch()`: the coroutine is the value), and callees not known to be "
			      "coroutine functions (see AA201: names bound twice, unknown decorators, async "
			      "generators, objects the analyzer cannot type).",
		.equivalents_note = "Ruff's and flake8-async's `ASYNC105` (trio-sync-call) flags trio's async "
				    "functions called without `await` in any position, conditions included, so "
				    "`# noqa: ASYNC105` also suppresses this rule. Pyright reports a coroutine in a "
				    "condition under `reportUnnecessaryComparison` (off by default, on in strict mode), "
				    "not under `reportUnusedCoroutine`; PyCharm has the inspection "
				    "`PySuspiciousBooleanCondition`. Neither is a `# noqa` code. mypy and Pylint have no "
				    "equivalent.",
		.references = "- [Python: Truth value testing](https://docs.python.org/3/library/stdtypes.html#truth-value-testing)\n"
			      "- [asyncio: Detect never-awaited coroutines](https://docs.python.org/3/library/asyncio-dev.html#detect-never-awaited-coroutines)\n"
			      "- [Pyright: reportUnnecessaryComparison](https://microsoft.github.io/pyright/#/configuration?id=reportUnnecessaryComparison)\n",
	},
};
