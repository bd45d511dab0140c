/* AA306 client-per-request: an aiohttp/httpx async client created in the body of a `for`
 * loop over a collection: one connection pool per item. The fan-out form (a client made
 * in a coroutine AA301/AA302 find fanned out) is reported by the index
 * (fanout_link.c) from the clients summarize.c records. */
#include <string.h>

#include "analyzer/facts/bindings.h"
#include "rules/concurrency/fanout.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

extern const struct aa_rule aa_rule_client_per_request;

static const struct aa_target targets[] = {
	{ "aiohttp.ClientSession", 0, "create one session before the loop and reuse it", NULL },
	{ "aiohttp.client.ClientSession", 0, "create one session before the loop and reuse it", NULL },
	{ "httpx.AsyncClient", 0, "create one client before the loop and reuse it", NULL },
	{ "httpx._client.AsyncClient", 0, "create one client before the loop and reuse it", NULL },
};

/* `range(...)`, `itertools.count()`, `itertools.repeat()`: attempts, not items. */
static bool is_counter(struct aa_ctx *ctx, TSNode iter)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(iter) || ts_node_symbol(iter) != s->call)
		return false;
	const struct aa_callee *c = aa_ctx_callee(ctx, iter);
	if (c->kind != AA_CALLEE_FUNCTION)
		return false;
	return !strcmp(c->qualname, "builtins.range") || !strcmp(c->qualname, "itertools.count") ||
	       !strcmp(c->qualname, "itertools.repeat");
}

/* A `return`/`break` in the loop body (outside nested defs and inner loops for `break`):
 * the loop stops at the first success, a fallback over mirrors or attempts. */
static bool loop_stops_early(const struct aa_syms *s, TSNode body)
{
	TSNode stack[256];
	size_t sp = 0;
	stack[sp++] = body;
	size_t visited = 0;
	while (sp > 0) {
		TSNode n = stack[--sp];
		if (++visited > 200000)
			return true; /* too large: unknown, quiet */
		TSSymbol k = ts_node_symbol(n);
		if (k == s->return_statement || k == s->break_statement)
			return true;
		if (aa_kind_is_definition(s, k, true))
			continue;
		uint32_t nc = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < nc; i++) {
			TSNode c = ts_node_named_child(n, i);
			TSSymbol ck = ts_node_symbol(c);
			/* a `break` of an inner loop does not end this one; its returns still do,
			 * but inner loops are rare enough to treat them as opaque. */
			if (ck == s->for_statement || ck == s->while_statement)
				continue;
			if (sp == sizeof(stack) / sizeof(stack[0]))
				return true; /* too deep: unknown, quiet */
			stack[sp++] = c;
		}
	}
	return false;
}

/* The client is configured from the loop's item (`AsyncClient(base_url=host.url)`,
 * `ClientSession(auth=account.auth)`): one client per host or account, by design. */
static bool configured_per_item(struct aa_ctx *ctx, TSNode call, TSNode left)
{
	TSNode args = ts_node_child_by_field_id(call, aa_ctx_syms(ctx)->f.arguments);
	return !ts_node_is_null(args) && aa_bindings_pattern_read(aa_ctx_model(ctx), left, args);
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!aa_ctx_in_async(ctx))
		return;
	const char *q = aa_ctx_function_called(ctx, call);
	if (!q)
		return;
	const struct aa_target *t = aa_rule_match_function(&aa_rule_client_per_request, q);
	if (!t)
		return;
	/* The nearest enclosing loop statement of the same function. */
	TSNode child = call;
	TSNode loop = { 0 };
	for (TSNode p = aa_ctx_parent(ctx, call); !ts_node_is_null(p); child = p, p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (aa_kind_is_definition(s, k, true))
			return;
		if (k == s->while_statement)
			return; /* a reconnect loop: one client at a time */
		if (k == s->for_statement) {
			if (!aa_node_field_is(p, s->f.body, child))
				return; /* the iterable or the `else:` */
			loop = p;
			break;
		}
	}
	if (ts_node_is_null(loop))
		return;
	TSNode iter = ts_node_child_by_field_id(loop, s->f.right);
	if (is_counter(ctx, iter))
		return; /* `for attempt in range(3):` retries */
	if (loop_stops_early(s, ts_node_child_by_field_id(loop, s->f.body)))
		return;
	if (aa_fanout_client_kept(ctx, call))
		return;
	if (configured_per_item(ctx, call, ts_node_child_by_field_id(loop, s->f.left)))
		return;
	TSNode var = ts_node_child_by_field_id(loop, s->f.left);
	uint32_t vlen = 0, ilen = 0;
	const char *v = ts_node_is_null(var) ? "" : aa_ctx_text(ctx, var, &vlen);
	const char *it = ts_node_is_null(iter) ? "" : aa_ctx_text(ctx, iter, &ilen);
	aa_ctx_report(ctx, &aa_rule_client_per_request, call,
		      "%s() is created once per item of 'for %.*s in %.*s': each item opens its own connection "
		      "pool (no keep-alive, no connection limit across items); %s",
		      aa_ctx_callee_text(ctx, call), (int)(vlen > 30 ? 30 : vlen), v, (int)(ilen > 40 ? 40 : ilen), it,
		      t->fix);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_client_per_request = {
	.code = "AA306",
	.name = "client-per-request",
	.family = &aa_family_concurrency,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "An aiohttp/httpx async client is created inside a loop over a collection: one connection "
		   "pool per request",
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `aiohttp.ClientSession()` and `httpx.AsyncClient()` created in async context inside "
			"the body of a `for` or `async for` loop over a collection, for use in that iteration "
			"(`async with aiohttp.ClientSession() as session:` or assigned to a local variable); and "
			"the same clients created inside a coroutine that AA301 or AA302 find fanned out (run "
			"once per item of external input with no limit): the finding is at the client, in the "
			"coroutine's module, and names the fan-out site (SARIF and JSON give its location). "
			"The fan-out form is found by AA301/AA302's analysis, for the forms whose rule is "
			"enabled (both are by default).",
		.why = "A client session is a connection pool: it keeps connections alive, caches DNS and "
		       "limits how many connections run at once. One per item throws all of that away: every "
		       "request pays a new TCP and TLS handshake, and nothing bounds the number of open "
		       "sockets. aiohttp's documentation: \"Don't create a session per request\"."
		       "\n\nWhy it is opt-in: in the applications we read (docs/precision.md) the clients "
		       "made per item were few and short-lived (one per attachment of a message, one per "
		       "distinct host, where a shared pool reuses nothing): 0 of 9 findings were worth "
		       "changing. Turn it on with `--extend-select AA306`.",
		.example = "import aiohttp\n\nasync def fetch_all(urls):\n    pages = []\n    for url in urls:\n"
			   "        async with aiohttp.ClientSession() as session:\n"
			   "            async with session.get(url) as resp:\n"
			   "                pages.append(await resp.text())\n    return pages\n",
		.use_instead = "import aiohttp\n\nasync def fetch_all(urls):\n    pages = []\n"
			       "    async with aiohttp.ClientSession() as session:\n        for url in urls:\n"
			       "            async with session.get(url) as resp:\n"
			       "                pages.append(await resp.text())\n    return pages\n",
		.anchor = "The constructor call; its start is the start of the callee (`aiohttp.ClientSession`).",
		.exceptions = "Not reported: inside a `while` loop (a reconnect loop holds one client at a time), "
			      "the nearest loop being a `while`; a `for` over `range(...)`, `itertools.count()` or "
			      "`itertools.repeat()` (attempts, not items); a loop whose body can `return` or `break` "
			      "(a fallback over mirrors or attempts that stops at the first success); a client kept "
			      "beyond the iteration (stored in an attribute, subscript or container, passed as an "
			      "argument, returned), or configured from the loop's item (`httpx.AsyncClient(base_url=host.url)`, "
			      "`aiohttp.ClientSession(auth=account.auth)`): one client per host or account is a "
			      "design choice; "
			      "comprehensions; sync functions. In the fan-out form, only clients the spawned "
			      "coroutine itself creates for that call (not kept in an attribute or passed on). "
			      "Suppress a line with `# noqa: AA306`.",
		.equivalents_note = "No flake8-async or Ruff rule covers clients created per request.",
		.references = "- [aiohttp: client quickstart, \"Don't create a session per request\"](https://docs.aiohttp.org/en/stable/client_quickstart.html#make-a-request)\n"
			      "- [httpx: why use a client](https://www.python-httpx.org/advanced/clients/#why-use-a-client)\n",
	},
};
