/* AA205 get-event-loop-in-coroutine: asyncio.get_event_loop() in async context. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

#include <string.h>

extern const struct aa_rule aa_rule_get_event_loop_in_coroutine;

static const struct aa_target targets[] = {
	{ "asyncio.get_event_loop", 0, "asyncio.get_running_loop()", NULL },
	{ "asyncio.events.get_event_loop", 0, "asyncio.get_running_loop()", NULL },
};

/* `asyncio.get_event_loop()` -> `asyncio.get_running_loop()` as the call was written:
 * through the module (its name as imported: only the attribute changes), or a name
 * imported from it when `get_running_loop` or `asyncio` is bound to the right thing. */
static struct aa_fix *running_loop_fix(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (aa_call_positional_count(ctx, call) != 0 || !aa_blocking_plain_args(ctx, call) ||
	    ts_node_named_child_count(ts_node_child_by_field_id(call, s->f.arguments)) != 0)
		return NULL;
	struct aa_fix *fix = aa_fix_new(AA_FIX_SAFE);
	bool ok = false;
	if (ts_node_symbol(fn) == s->attribute) {
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		ok = aa_fix_add(fix, ts_node_start_byte(attr), ts_node_end_byte(attr), "get_running_loop", 16);
	} else if (ts_node_symbol(fn) == s->identifier) {
		bool bound;
		struct aa_meaning m = aa_model_eval_name(aa_ctx_model(ctx), aa_ctx_scope(ctx), "get_running_loop", 16, &bound);
		const char *name = m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "asyncio.get_running_loop") ?
					   "get_running_loop" : NULL;
		m = aa_model_eval_name(aa_ctx_model(ctx), aa_ctx_scope(ctx), "asyncio", 7, &bound);
		if (!name && bound && m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "asyncio"))
			name = "asyncio.get_running_loop";
		ok = name && aa_fix_add(fix, ts_node_start_byte(fn), ts_node_end_byte(fn), name, strlen(name));
	}
	if (!ok) {
		aa_fix_free(fix);
		return NULL;
	}
	return fix;
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_get_event_loop_in_coroutine, call, NULL);
	if (!t)
		return;
	aa_ctx_report_fix(ctx, &aa_rule_get_event_loop_in_coroutine, call, running_loop_fix(ctx, call),
		      "%s() in async function '%s'; use '%s', which cannot create or return another loop",
		      aa_ctx_callee_text(ctx, call), aa_ctx_function_name(ctx), t->fix);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_get_event_loop_in_coroutine = {
	.code = "AA205",
	.name = "get-event-loop-in-coroutine",
	.family = &aa_family_coroutines,
	.severity = AA_SEVERITY_ERROR,
	.default_on = false,
	.fix = {
		AA_FIX_SAFE,
		"Use get_running_loop()",
		"The call names `get_running_loop` as the module was imported: `asyncio.get_event_loop()` becomes "
		"`asyncio.get_running_loop()` (`aio.get_running_loop()` under `import asyncio as aio`); a bare "
		"`get_event_loop()` imported from asyncio becomes `get_running_loop()` when that name is imported too, "
		"else `asyncio.get_running_loop()` when `asyncio` is, and has no fix otherwise.",
	},
	.summary = "asyncio.get_event_loop() is called inside an async function; use asyncio.get_running_loop()",
	.equivalents = NULL,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds calls to `asyncio.get_event_loop()` in async context: the body of an "
			"`async def`, outside nested `def`s and lambdas.",
		.why = "`asyncio.get_event_loop()` is the legacy, policy-dependent way to find a loop: outside a "
		       "running loop it may create a new one (deprecated since Python 3.10-3.12, and an error "
		       "since 3.14), and what it returns depends on the event loop policy. Inside a coroutine "
		       "the asyncio documentation prefers `asyncio.get_running_loop()`, which returns the loop "
		       "running the coroutine and raises instead of guessing when there is none. The code "
		       "works today, but it reads as if it could run without a loop, and it keeps working by "
		       "a compatibility path the standard library is removing.",
		.example = "import asyncio\n\nasync def fetch(path):\n    loop = asyncio.get_event_loop()\n"
			   "    return await loop.run_in_executor(None, open, path)\n",
		.use_instead = "import asyncio\n\nasync def fetch(path):\n    loop = asyncio.get_running_loop()\n"
			       "    return await loop.run_in_executor(None, open, path)\n",
		.anchor = "The call; its start is the start of the callee (`asyncio.get_event_loop`).",
		.exceptions = "`asyncio.get_event_loop()` in sync code (including a nested `def` or `lambda` inside "
			      "an `async def`, and module level) is not reported: whether a loop is running there "
			      "cannot be known from the code. A reference such as `loop_factory=asyncio.get_event_loop` "
			      "is not a call. A local name that shadows the import (a parameter called `asyncio`) is "
			      "not the library function. `asyncio.get_running_loop()` exists since Python 3.7; code "
			      "that must still run on 3.6 can suppress the finding.",
		.equivalents_note = "Neither Ruff nor flake8-async has a rule for this pattern.",
		.references = "- [asyncio.get_event_loop](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop)\n"
			      "- [asyncio.get_running_loop](https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_running_loop)\n",
	},
};
