/* AA502 unclosed-async-resource: an aiohttp/httpx client or aiofiles file created
 * outside `async with`, never closed in its function, and never handed on. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"

#include "analyzer/facts/bindings.h"
#include "rules/resources/async_resources.h"
#include "parsers/python/subtree.h"
#include "rules/testing/test_syntax.h"
#include "rules/shared/name_records.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

extern const struct aa_rule aa_rule_unclosed_async_resource;

static const struct aa_target targets[] = {
	{ "aiohttp.ClientSession", 0, "async with aiohttp.ClientSession() as session:", NULL },
	{ "httpx.AsyncClient", 0, "async with httpx.AsyncClient() as client:", NULL },
	{ "aiofiles.open", 0, "async with aiofiles.open(path) as f:", NULL },
};

/* Beyond this many nodes a function is not scanned (unknown: quiet). */
#define MAX_SCAN_NODES 500000u

enum role { ROLE_READ, ROLE_BINDS, ROLE_OTHER };

/* What the identifier id, child of parent, is: a read of the variable, a binding of the
 * name, or a name that is not the variable (an attribute's or keyword argument's name). */
static enum role role_of(const struct aa_syms *s, TSNode parent, TSNode id)
{
	TSSymbol k = ts_node_symbol(parent);
	if (k == s->assignment)
		return aa_node_field_is(parent, s->f.left, id) ? ROLE_BINDS : ROLE_READ;
	if (k == s->augmented_assignment)
		return ROLE_READ;
	if (k == s->attribute)
		return aa_node_field_is(parent, s->f.attribute, id) ? ROLE_OTHER : ROLE_READ;
	if (k == s->keyword_argument)
		return aa_node_field_is(parent, s->f.name, id) ? ROLE_OTHER : ROLE_READ;
	if (k == s->function_definition || k == s->class_definition || k == s->default_parameter ||
	    k == s->typed_default_parameter)
		return aa_node_field_is(parent, s->f.name, id) ? ROLE_BINDS : ROLE_READ;
	if (k == s->for_statement || k == s->for_in_clause)
		return aa_node_field_is(parent, s->f.left, id) ? ROLE_BINDS : ROLE_READ;
	if (k == s->pattern_list || k == s->tuple_pattern || k == s->list_pattern || k == s->as_pattern_target ||
	    k == s->parameters || k == s->lambda_parameters || k == s->typed_parameter)
		return ROLE_BINDS;
	return ROLE_READ;
}

static bool is_close_method(const struct aa_ctx *ctx, TSNode attr)
{
	return aa_ctx_text_is(ctx, attr, "close") || aa_ctx_text_is(ctx, attr, "aclose") ||
	       aa_ctx_text_is(ctx, attr, "__aexit__");
}

/* What a function's body does with its names, for every assignment of a resource in it
 * to ask (rules/shared/name_records.h): the walk each such assignment made of the whole body, made
 * once per body. A function of N assignments was N walks. */
struct name_uses {
	uint32_t bindings; /* bindings of the name (the assignment asking is one) */
	uint32_t uses;     /* reads that close it or may hand it on */
};

struct use_walk {
	struct aa_ctx *ctx;
	struct aa_name_records *memo;
	uint32_t ns;
	bool all_locals;
};

static void note_identifier(struct use_walk *w, TSNode parent, TSNode id)
{
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	uint32_t len;
	const char *t = aa_ctx_text(w->ctx, id, &len);
	if (aa_bindings_sees_all_locals(t, len))
		w->all_locals = true;
	enum role role = role_of(s, parent, id);
	if (role == ROLE_OTHER)
		return;
	/* `x.get(...)`, `x.closed`: a use that neither closes nor hands it on. */
	if (role == ROLE_READ && ts_node_symbol(parent) == s->attribute &&
	    !is_close_method(w->ctx, ts_node_child_by_field_id(parent, s->f.attribute)))
		return;
	struct name_uses *u = aa_name_records_add(w->memo, t, len, w->ns);
	/* Returned, yielded, passed, stored, entered with `async with`, captured, declared
	 * global or nonlocal, deleted, compared, closed...: somebody else may close it, or it
	 * is closed. Another binding: which object a later use sees is unknown. */
	if (role == ROLE_BINDS)
		u->bindings++;
	else
		u->uses++;
}

static void index_uses(void *ud, TSNode n, TSNode parent)
{
	struct use_walk *w = ud;
	if (!ts_node_is_null(parent) && ts_node_symbol(n) == aa_ctx_syms(w->ctx)->identifier)
		note_identifier(w, parent, n);
}

/* After the walk: `locals()`/`vars()` in the body hand every local on. */
static bool walk_unknown(void *ud)
{
	return ((struct use_walk *)ud)->all_locals;
}

/* The binding target (an identifier in body, bound by an assignment) is never closed
 * nor handed on, nor bound again, in body. False also when unsure: body is too large to
 * scan or calls locals()/vars(). */
static bool never_used(struct aa_ctx *ctx, TSNode body, TSNode target)
{
	struct aa_name_records *m = aa_name_records_of(ctx, &aa_rule_unclosed_async_resource, sizeof(struct name_uses));
	uint32_t ns = ts_node_start_byte(body), len;
	const char *name = aa_ctx_text(ctx, target, &len);
	struct use_walk w = { .ctx = ctx, .memo = m, .ns = ns };
	if (!aa_name_records_walked(m, body, MAX_SCAN_NODES, index_uses, walk_unknown, &w))
		return false;
	const struct name_uses *u = aa_name_records_find(m, name, len, ns);
	/* The target itself is the one binding expected. */
	return !u || (u->uses == 0 && u->bindings <= 1);
}

/* A statement in the body of a `try` that has an `except`: a call made only to see it
 * fail (`try: await aiofiles.open(missing) except OSError: ...`). */
static bool in_try_with_handler(struct aa_ctx *ctx, TSNode stmt)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	for (TSNode t = aa_ctx_try_around(ctx, stmt, true); !ts_node_is_null(t); t = aa_ctx_try_around(ctx, t, true)) {
		uint32_t n = ts_node_named_child_count(t);
		for (uint32_t i = 0; i < n; i++)
			if (ts_node_symbol(ts_node_named_child(t, i)) == s->except_clause)
				return true;
	}
	return false;
}

/* var: the variable holding it (NULL when none), for the suggested close. */
static void report(struct aa_ctx *ctx, TSNode call, const struct aa_resource *r, const char *how,
		   const struct aa_scope_info *fn, const char *var, uint32_t var_len)
{
	const struct aa_target *t = NULL;
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (!strcmp(targets[i].name, r->shown))
			t = &targets[i];
	bool file = !strcmp(r->shown, "aiofiles.open");
	bool httpx = !strcmp(r->shown, "httpx.AsyncClient");
	if (!var) {
		var = file ? "f" : httpx ? "client" : "session";
		var_len = (uint32_t)strlen(var);
	}
	aa_ctx_report(ctx, &aa_rule_unclosed_async_resource, call,
		      "%s() in '%.*s' is never closed and never handed on (%s): %s; use '%s', or "
		      "'await %.*s.%s()' in a 'finally'",
		      aa_ctx_callee_text(ctx, call), (int)fn->name_len, fn->name ? fn->name : "", how,
		      file ? "the file stays open until the garbage collector finds it"
			   : "its connection pool and sockets leak (\"Unclosed client session\")",
		      t ? t->fix : "async with", (int)(var_len > 40 ? 40 : var_len), var, httpx ? "aclose" : "close");
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *q = aa_ctx_function_called(ctx, call);
	if (!q)
		return;
	const struct aa_resource *r = aa_resource_find(q);
	if (!r || !(r->flags & AA_RESOURCE_CLOSE))
		return;
	const struct aa_scope_info *scope = aa_model_scope(aa_ctx_model(ctx), aa_ctx_scope(ctx));
	if (scope->kind != AA_SCOPE_FUNCTION)
		return; /* module and class level objects live on; lambdas return them */

	/* Up through parentheses and `await aiofiles.open(...)`. */
	TSNode child;
	TSNode parent = aa_ctx_parent_unparen(ctx, call, (const TSSymbol[]){ s->await }, 1, &child);
	if (ts_node_is_null(parent))
		return;
	TSSymbol pk = ts_node_symbol(parent);
	if (aa_test_expects_raise(ctx, parent))
		return;
	if (pk == s->expression_statement) {
		if (in_try_with_handler(ctx, parent))
			return;
		report(ctx, call, r, "thrown away", scope, NULL, 0);
		return;
	}
	if (pk == s->attribute && aa_node_field_is(parent, s->f.object, child)) {
		/* `aiohttp.ClientSession().get(url)`: a one-shot client nobody can close. An
		 * object entered by hand (`await aiofiles.open(p).__aenter__()`) is the caller's
		 * to close through what __aenter__ returned. */
		TSNode attr = ts_node_child_by_field_id(parent, s->f.attribute);
		if (aa_ctx_text_is(ctx, attr, "__aenter__") || aa_ctx_text_is(ctx, attr, "__enter__"))
			return;
		if (!is_close_method(ctx, attr))
			report(ctx, call, r, "used once", scope, NULL, 0);
		return;
	}
	if (pk != s->assignment || !aa_node_field_is(parent, s->f.right, child))
		return; /* with items, arguments, returns, containers, stores: not ours */
	TSNode stmt = aa_ctx_parent(ctx, parent);
	TSNode left = ts_node_child_by_field_id(parent, s->f.left);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->expression_statement || ts_node_is_null(left) ||
	    ts_node_symbol(left) != s->identifier)
		return; /* `self.s = ...`, `d[k] = ...`, `a = b = ...`, unpacking: stored */
	TSNode body = ts_node_child_by_field_id(scope->node, s->f.body);
	if (ts_node_is_null(body))
		return;
	if (!never_used(ctx, body, left))
		return;
	uint32_t len;
	const char *name = aa_ctx_text(ctx, left, &len);
	char how[96];
	snprintf(how, sizeof(how), "stored in '%.*s'", (int)(len > 40 ? 40 : len), name);
	report(ctx, call, r, how, scope, name, len);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_unclosed_async_resource = {
	.code = "AA502",
	.spares_tests = true,
	.name = "unclosed-async-resource",
	.family = &aa_family_resources,
	.severity = AA_SEVERITY_WARNING,
	.default_on = true,
	.summary = "An aiohttp/httpx async client or aiofiles file is created outside 'async with' and never "
		   "closed",
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `aiohttp.ClientSession()`, `httpx.AsyncClient()` and `aiofiles.open()` calls in a "
			"function, outside `async with`, whose object the function neither closes nor hands on. "
			"The object is: thrown away (an expression statement), used once "
			"(`aiohttp.ClientSession().get(url)`), or assigned to a local variable that the function "
			"only ever uses through its attributes (`session.get(...)`) and never closes "
			"(`close()`, `aclose()` or `__aexit__()` called on it anywhere in the function).",
		.why = "A client session owns a connection pool and its sockets; a file owns a descriptor. Left "
		       "to the garbage collector they stay open for an unknown time, aiohttp logs "
		       "\"Unclosed client session\" / \"Unclosed connector\", and a long-running service runs out "
		       "of sockets or descriptors. `async with` closes them on every path, exceptions and "
		       "cancellation included.",
		.example = "import aiohttp\n\nasync def fetch(url):\n    session = aiohttp.ClientSession()\n"
			   "    async with session.get(url) as resp:\n        return await resp.text()\n",
		.use_instead = "import aiohttp\n\nasync def fetch(url):\n    async with aiohttp.ClientSession() as session:\n"
			       "        async with session.get(url) as resp:\n            return await resp.text()\n",
		.anchor = "The creating call; its start is the start of the callee (`aiohttp.ClientSession`).",
		.exceptions = "The object escapes, and nothing is reported, when it is stored in an attribute "
			      "(`self.session = aiohttp.ClientSession()`), a subscript or a container, returned, "
			      "yielded, passed as an argument (`stack.enter_async_context(session)`, "
			      "`contextlib.aclosing(f)`), entered with `async with session:`, used in a nested "
			      "function or lambda, or declared `global`/`nonlocal`: whoever receives it may close "
			      "it. Any use of the variable other than an attribute access counts as handing it on. "
			      "A `close()`/`aclose()` anywhere in the function counts, also on one branch only, and a "
			      "variable bound more than once in the function (`s = requests.Session()` then "
			      "`s = httpx.AsyncClient()`; a loop variable of the same name) is not followed. "
			      "Module-level and class-level clients live as long as the program and are not "
			      "reported. A plain `with aiohttp.ClientSession():` is AA501's finding, not this one's. "
			      "Suppress a line with `# noqa: AA502`.",
		.equivalents_note = "No flake8-async or Ruff rule covers async clients (Ruff's SIM115 covers the "
				    "standard library's `open()` only). aiohttp itself warns at run time: "
				    "`ResourceWarning: Unclosed client session`.",
		.references = "- [aiohttp: \"Don't create a session per request\" and closing sessions](https://docs.aiohttp.org/en/stable/client_advanced.html#graceful-shutdown)\n"
			      "- [httpx: async client usage](https://www.python-httpx.org/async/)\n",
	},
};
