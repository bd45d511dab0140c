/*
 * AA404 timeout-parameter (opt-in): an `async def` with a `timeout` parameter; a timeout
 * scope at the call site composes better.
 */
#include "rules/rules.h"

#include <stdbool.h>
#include <string.h>

extern const struct aa_rule aa_rule_timeout_parameter;

/* The parameter's name node: `timeout`, `timeout=5`, `timeout: float`, `timeout: float = 5`. */
static TSNode param_name(const struct aa_syms *s, TSNode p)
{
	TSSymbol k = ts_node_symbol(p);
	if (k == s->identifier)
		return p;
	if (k == s->default_parameter || k == s->typed_default_parameter)
		return ts_node_child_by_field_id(p, s->f.name);
	if (k == s->typed_parameter) {
		TSNode c = ts_node_named_child(p, 0);
		if (!ts_node_is_null(c) && ts_node_symbol(c) == s->identifier)
			return c;
	}
	return (TSNode){ 0 };
}

static void check(struct aa_ctx *ctx, TSNode def)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_child_count(def) == 0 || ts_node_symbol(ts_node_child(def, 0)) != s->kw_async)
		return;
	/* a stub file (.pyi) declares the signature of an implementation that lives elsewhere */
	const char *path = aa_ctx_path(ctx);
	size_t plen = strlen(path);
	if (plen >= 4 && !strcmp(path + plen - 4, ".pyi"))
		return;
	/* @overload stubs and @override implementations follow a signature chosen elsewhere */
	TSNode parent = aa_ctx_parent(ctx, def);
	if (!ts_node_is_null(parent) && ts_node_symbol(parent) == s->decorated_definition) {
		uint32_t n = ts_node_named_child_count(parent);
		for (uint32_t i = 0; i < n; i++) {
			TSNode d = ts_node_named_child(parent, i);
			if (ts_node_symbol(d) != s->decorator)
				continue;
			uint32_t len;
			const char *t = aa_ctx_text(ctx, d, &len);
			for (uint32_t j = 0; j + 8 <= len; j++)
				if (!memcmp(t + j, "overload", 8) || !memcmp(t + j, "override", 8))
					return;
		}
	}
	TSNode params = ts_node_child_by_field_id(def, s->f.parameters);
	uint32_t n = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);
	for (uint32_t i = 0; i < n; i++) {
		TSNode name = param_name(s, ts_node_named_child(params, i));
		if (ts_node_is_null(name) || !aa_ctx_text_is(ctx, name, "timeout"))
			continue;
		/* asyncio.timeout() is new in 3.11: code that must run on older versions bounds
		 * the call with wait_for() (target-version says which). */
		unsigned target = aa_ctx_target_version(ctx);
		const char *scope = target && target < 311 ? "asyncio.wait_for() at the call site (asyncio.timeout() "
							     "needs Python 3.11), trio/anyio move_on_after()"
							   : "asyncio.timeout(), trio/anyio move_on_after()";
		aa_ctx_report(ctx, &aa_rule_timeout_parameter, ts_node_named_child(params, i),
			      "async function with a 'timeout' parameter: let callers bound it with a timeout scope "
			      "(%s) instead", scope);
		return;
	}
}

static const char *const equivalents[] = { "ASYNC109", NULL };
static const char *const kinds[] = { "function_definition", NULL };

const struct aa_rule aa_rule_timeout_parameter = {
	.code = "AA404",
	.name = "timeout-parameter",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_NOTE,
	.default_on = false,
	.summary = "An async function takes a timeout parameter instead of relying on a timeout scope",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `async def` functions with a parameter named `timeout` (plain, with a default, "
			"or annotated). Opt-in: select it with `--select AA404`.",
		.why = "A timeout scope at the call site (`async with asyncio.timeout(5):`, "
		       "`with trio.move_on_after(5):`) bounds everything inside it, nests, and composes with the "
		       "caller's own deadline. A `timeout` parameter bounds only what the function chose to pass "
		       "it to, and every layer has to thread it through.",
		.example = "import asyncio\n\nasync def fetch(reader, timeout=10):\n"
			   "    return await asyncio.wait_for(reader.read(), timeout)\n",
		.use_instead = "import asyncio\n\nasync def fetch(reader):\n    return await reader.read()\n\n"
			       "async def main(reader):\n    async with asyncio.timeout(10):\n"
			       "        await fetch(reader)\n",
		.anchor = "The `timeout` parameter.",
		.exceptions = "Functions decorated with `@overload` or `@override` and functions declared in "
			      "stub files (`.pyi`) (the signature is decided elsewhere) are not findings; neither "
			      "are sync functions. A public API that must "
			      "accept a timeout can keep it with a noqa comment. With `target-version` below "
			      "py311 the message suggests `asyncio.wait_for()`, since `asyncio.timeout()` is new in "
			      "Python 3.11.",
		.references = "- [flake8-async ASYNC109](https://flake8-async.readthedocs.io/en/latest/rules.html#async109)\n",
	},
};
