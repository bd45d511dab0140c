/*
 * AA403 timeout-disabled: an explicit `timeout=None` on asyncio.wait_for or an async
 * network client call, or an aiohttp.ClientTimeout whose components are all None, with
 * no timeout scope around it.
 */
#include "rules/cancellation/scopes.h"
#include "rules/rules.h"

#include <stdbool.h>
#include <string.h>

extern const struct aa_rule aa_rule_timeout_disabled;

/* Calls whose `timeout` argument disables every timeout when it is None (only
 * wait_for's may be passed positionally, as the second argument). */
static const struct aa_target targets[] = {
	{ "asyncio.wait_for", AA_TARGET_CONDITIONAL, "timeout=<seconds>", "with an explicit timeout=None" },
	{ "asyncio.tasks.wait_for", AA_TARGET_CONDITIONAL, "timeout=<seconds>", "with an explicit timeout=None" },
	{ "aiohttp.request", AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient", AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "aiohttp.ClientTimeout", AA_TARGET_CONDITIONAL, "aiohttp.ClientTimeout(total=<seconds>)",
	  "when every component (total, connect, sock_read, sock_connect) is None, at least one explicitly" },
	{ "aiohttp.ClientSession.request", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "aiohttp.ClientSession.get", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "aiohttp.ClientSession.post", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "aiohttp.ClientSession.put", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "aiohttp.ClientSession.patch", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "aiohttp.ClientSession.delete", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "aiohttp.ClientSession.head", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "aiohttp.ClientSession.options", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=aiohttp.ClientTimeout(total=<seconds>)",
	  "with an explicit timeout=None" },
	{ "httpx.AsyncClient.request", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.get", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.post", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.put", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.patch", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.delete", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.head", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.options", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
	{ "httpx.AsyncClient.stream", AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, "timeout=httpx.Timeout(<seconds>)", "with an explicit timeout=None" },
};

static bool is_none(const struct aa_syms *s, TSNode n)
{
	return !ts_node_is_null(n) && ts_node_symbol(n) == s->none;
}

/* aiohttp.ClientTimeout(total, connect, sock_read, sock_connect, ceil_threshold): every
 * component None (given as None, or left at its None default), at least one of them
 * explicitly; no splats. */
static bool client_timeout_all_none(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	static const char *const comps[] = { "total", "connect", "sock_read", "sock_connect" };
	if (aa_call_positional_count(ctx, call) < 0)
		return false;
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	uint32_t n = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < n; i++)
		if (ts_node_symbol(ts_node_named_child(args, i)) == s->dictionary_splat)
			return false;
	bool explicit = false;
	for (int i = 0; i < 4; i++) {
		TSNode a = aa_call_arg(ctx, call, i, comps[i]);
		if (!ts_node_is_null(a) && !is_none(s, a))
			return false;
		explicit |= !ts_node_is_null(a);
	}
	/* `ClientTimeout()` alone is a placeholder (tests pass it to connector internals);
	 * the finding is the explicit None */
	return explicit;
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const struct aa_callee *callee = NULL;
	const struct aa_target *t = aa_ctx_match_call(ctx, &aa_rule_timeout_disabled, call, &callee);
	if (!t)
		return;
	if (!strcmp(t->name, "aiohttp.ClientTimeout")) {
		if (!client_timeout_all_none(ctx, call) || aa_scope_encloses(ctx, call))
			return;
		aa_ctx_report(ctx, &aa_rule_timeout_disabled, call,
			      "aiohttp.ClientTimeout with every component None disables all timeouts: a peer that "
			      "never answers hangs the task forever; use %s",
			      t->fix);
		return;
	}
	int pos = !strcmp(t->name, "asyncio.wait_for") || !strcmp(t->name, "asyncio.tasks.wait_for") ? 1 : -1;
	TSNode a = aa_call_arg(ctx, call, pos, "timeout");
	if (!is_none(s, a) || aa_scope_encloses(ctx, call))
		return;
	aa_ctx_report(ctx, &aa_rule_timeout_disabled, call,
		      "timeout=None on %s() disables the timeout: a peer that never answers hangs the task "
		      "forever; pass %s",
		      aa_ctx_callee_text(ctx, call), t->fix);
}

static const char *const kinds[] = { "call", NULL };
static const char *const prefilter[] = { "ClientTimeout", "AsyncClient", NULL };

const struct aa_rule aa_rule_timeout_disabled = {
	.code = "AA403",
	.name = "timeout-disabled",
	.family = &aa_family_cancellation,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "An explicit timeout=None (or an all-None aiohttp.ClientTimeout) lets a silent peer hang the task forever",
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.prefilter_words = prefilter,
	.doc = {
		.what = "Finds an explicit `timeout=None` (a literal `None`, by keyword or, for `wait_for`, "
			"as the second argument) on the calls of the target table, and an "
			"`aiohttp.ClientTimeout(...)` whose components (`total`, `connect`, `sock_read`, "
			"`sock_connect`) are all None, at least one of them given explicitly, when no timeout or cancel scope (`asyncio.timeout()`, "
			"trio/anyio `move_on_after`/`fail_after`/`CancelScope`) encloses the call in the same function.",
		.why = "With the timeout disabled, a server that accepts the connection and never answers keeps "
		       "the task waiting forever: a leaked connection, a stuck worker, a shutdown that never "
		       "finishes.",
		.example = "import asyncio\n\nasync def read_reply(reader):\n"
			   "    return await asyncio.wait_for(reader.readline(), timeout=None)\n",
		.use_instead = "import asyncio\n\nasync def read_reply(reader):\n"
			       "    return await asyncio.wait_for(reader.readline(), timeout=30)\n",
		.anchor = "The call; its start is the start of the callee.",
		.exceptions = "Opt-in (`--extend-select AA403`): an explicit `timeout=None` is nearly always a "
			      "decision its author made (a payment held until settlement, an event stream idle for "
			      "hours); on 15 applications one in sixteen was a bug (docs/precision.md). Select it to "
			      "review every disabled timeout. "
			      "A timeout that is only sometimes None (a variable) is not a finding. "
			      "`ClientTimeout(total=None, sock_read=30)` (a stream with a per-read timeout) is fine, and so "
			      "is a bare `ClientTimeout()` (a placeholder, as tests use it). "
			      "So is any of these calls inside a timeout or cancel scope in the same function.",
		.references = "- [aiohttp: Timeouts](https://docs.aiohttp.org/en/stable/client_quickstart.html#timeouts)\n"
			      "- [HTTPX: Timeouts](https://www.python-httpx.org/advanced/timeouts/)\n",
	},
};
