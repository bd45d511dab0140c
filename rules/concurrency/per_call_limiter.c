/* AA303 per-call-limiter: an asyncio semaphore or lock created in the async function that
 * acquires it, and never handed to anything else: each call limits only itself. */
#include <string.h>

#include "analyzer/facts/bindings.h"
#include "rules/concurrency/concurrency.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

extern const struct aa_rule aa_rule_per_call_limiter;

static const struct aa_target targets[] = {
	{ "asyncio.Semaphore", 0, "create it once (module, instance attribute, or the caller) and share it", NULL },
	{ "asyncio.BoundedSemaphore", 0, "create it once (module, instance attribute, or the caller) and share it",
	  NULL },
	{ "asyncio.Lock", 0, "create it once (module, instance attribute, or the caller) and share it", NULL },
	{ "asyncio.locks.Semaphore", 0, "create it once and share it", NULL },
	{ "asyncio.locks.BoundedSemaphore", 0, "create it once and share it", NULL },
	{ "asyncio.locks.Lock", 0, "create it once and share it", NULL },
};

/* Beyond this many nodes a function is not scanned (unknown: quiet). */
#define MAX_SCAN_NODES 500000u

struct use_scan {
	struct aa_ctx *ctx;
	TSNode fn;        /* the function's definition */
	TSNode target;    /* the binding under test */
	const char *name;
	uint32_t len;
	bool acquired;    /* `async with name:` or `name.acquire()` */
	bool escapes;     /* any other use: passed, stored, returned, captured, rebound */
};

/* `async with name:` / `async with name as x:`: the with_item's value is the name. */
static bool is_async_with_item(struct aa_ctx *ctx, TSNode id)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode p = ts_node_parent(id);
	if (!ts_node_is_null(p) && ts_node_symbol(p) == s->as_pattern)
		p = ts_node_parent(p);
	if (ts_node_is_null(p) || ts_node_symbol(p) != s->with_item)
		return false;
	TSNode w = ts_node_parent(ts_node_parent(p));
	if (ts_node_is_null(w) || ts_node_symbol(w) != s->with_statement)
		return false;
	TSNode first = ts_node_child(w, 0);
	return !ts_node_is_null(first) && !strcmp(ts_node_type(first), "async");
}

static enum aa_visit visit_use(void *ud, TSNode n)
{
	struct use_scan *u = ud;
	const struct aa_syms *s = aa_ctx_syms(u->ctx);
	if (ts_node_symbol(n) != s->identifier)
		return AA_VISIT_DESCEND;
	uint32_t len;
	const char *t = aa_ctx_text(u->ctx, n, &len);
	if (aa_bindings_sees_all_locals(t, len)) {
		u->escapes = true;
		return AA_VISIT_STOP;
	}
	if (len != u->len || memcmp(t, u->name, len) || ts_node_eq(n, u->target))
		return AA_VISIT_SKIP;
	TSNode parent = ts_node_parent(n);
	if (ts_node_is_null(parent))
		return AA_VISIT_SKIP;
	TSSymbol pk = ts_node_symbol(parent);
	if ((pk == s->attribute && aa_node_field_is(parent, s->f.attribute, n)) ||
	    (pk == s->keyword_argument && aa_node_field_is(parent, s->f.name, n)))
		return AA_VISIT_SKIP; /* `other.sem`, `f(sem=...)`: not the variable */
	if (aa_node_in_nested_def(s, n, u->fn, true)) {
		/* Captured by a closure (the worker it guards), or a name of another scope: the
		 * object may outlive the call. */
		u->escapes = true;
		return AA_VISIT_STOP;
	}
	if (pk == s->attribute) {
		TSNode a = ts_node_child_by_field_id(parent, s->f.attribute);
		TSNode call = ts_node_parent(parent);
		bool called = !ts_node_is_null(call) && ts_node_symbol(call) == s->call &&
			      aa_node_field_is(call, s->f.function, parent);
		if (aa_ctx_text_is(u->ctx, a, "acquire") || aa_ctx_text_is(u->ctx, a, "wait")) {
			/* Awaited here: acquired. Not awaited (`create_task(lock.acquire())`):
			 * another task contends for it. */
			if (!called || !aa_call_is_awaited(u->ctx, call)) {
				u->escapes = true;
				return AA_VISIT_STOP;
			}
			u->acquired |= aa_ctx_text_is(u->ctx, a, "acquire");
			return AA_VISIT_SKIP;
		}
		if (!called) {
			/* `lock.release` handed on as a callback; `sem._value` read: only a
			 * method reference can act on it later. */
			if (aa_ctx_text_is(u->ctx, a, "release")) {
				u->escapes = true;
				return AA_VISIT_STOP;
			}
		}
		return AA_VISIT_SKIP; /* `.release()`, `.locked()`: stays here */
	}
	if (is_async_with_item(u->ctx, n)) {
		u->acquired = true;
		return AA_VISIT_SKIP;
	}
	/* Passed, stored, returned, yielded, rebound, declared global...: shared. */
	u->escapes = true;
	return AA_VISIT_STOP;
}

static void report(struct aa_ctx *ctx, TSNode call, const struct aa_scope_info *fn, const char *how)
{
	const char *text = aa_ctx_callee_text(ctx, call);
	aa_ctx_report(ctx, &aa_rule_per_call_limiter, call,
		      "%s() is created inside '%.*s' and acquired there (%s): every call gets its own, so it "
		      "limits or excludes nothing; create it once (module level, an instance attribute, or in "
		      "the caller) and share it",
		      text, (int)fn->name_len, fn->name ? fn->name : "", how);
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *q = aa_ctx_function_called(ctx, call);
	if (!q || !aa_rule_match_function(&aa_rule_per_call_limiter, q))
		return;
	const struct aa_model *m = aa_ctx_model(ctx);
	const struct aa_scope_info *scope = aa_model_scope(m, aa_ctx_scope(ctx));
	if (scope->kind != AA_SCOPE_FUNCTION || !scope->is_async || !scope->name)
		return;
	if (aa_concurrency_in_test(m, aa_ctx_scope(ctx)))
		return; /* a test makes its own lock to exercise it */
	if ((scope->name_len == 10 && !memcmp(scope->name, "__aenter__", 10)) ||
	    (scope->name_len == 9 && !memcmp(scope->name, "__aexit__", 9)))
		return;

	TSNode parent = aa_ctx_parent(ctx, call);
	if (ts_node_is_null(parent))
		return;
	/* `async with asyncio.Lock():` */
	if (ts_node_symbol(parent) == s->with_item || ts_node_symbol(parent) == s->as_pattern) {
		TSNode item = ts_node_symbol(parent) == s->as_pattern ? aa_ctx_parent(ctx, parent) : parent;
		TSNode clause = ts_node_is_null(item) ? item : aa_ctx_parent(ctx, item);
		TSNode w = ts_node_is_null(clause) ? clause : aa_ctx_parent(ctx, clause);
		if (!ts_node_is_null(w) && ts_node_symbol(w) == s->with_statement &&
		    !strcmp(ts_node_type(ts_node_child(w, 0)), "async"))
			report(ctx, call, scope, "entered with 'async with' where it is made");
		return;
	}
	/* `sem = asyncio.Semaphore(10)` as a statement of the function. */
	if (ts_node_symbol(parent) != s->assignment || !aa_node_field_is(parent, s->f.right, call))
		return;
	TSNode stmt = aa_ctx_parent(ctx, parent);
	TSNode left = ts_node_child_by_field_id(parent, s->f.left);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->expression_statement || ts_node_is_null(left) ||
	    ts_node_symbol(left) != s->identifier)
		return; /* `self.lock = ...`, `d[k] = ...`, `a = b = ...`: stored */
	TSNode body = ts_node_child_by_field_id(scope->node, s->f.body);
	if (ts_node_is_null(body))
		return;
	struct use_scan u = { ctx, scope->node, left, NULL, 0, false, false };
	u.name = aa_ctx_text(ctx, left, &u.len);
	if (!aa_subtree_walk(body, MAX_SCAN_NODES, visit_use, &u) && !u.escapes)
		return; /* too large: unknown */
	if (u.escapes || !u.acquired)
		return;
	report(ctx, call, scope, "it is never passed on, stored or shared");
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_per_call_limiter = {
	.code = "AA303",
	.name = "per-call-limiter",
	.family = &aa_family_concurrency,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "An asyncio semaphore or lock is created in the async function that acquires it, so each "
		   "call has its own and nothing is limited",
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `asyncio.Semaphore()`, `asyncio.BoundedSemaphore()` and `asyncio.Lock()` created "
			"inside an `async def` that also acquires the same object (`async with sem:`, "
			"`await sem.acquire()`, or `async with asyncio.Lock():` directly), when the object never "
			"leaves the function.",
		.why = "A limiter works only when the tasks it limits share it. Created inside the function "
		       "that acquires it, every call makes a fresh one: a `Semaphore(10)` admits every caller, "
		       "a `Lock` excludes nobody. The code reads as if concurrency were bounded while it is not."
		       "\n\nWhy it is opt-in: the limiter that limits nothing is a real mistake, but in the "
		       "applications we read (docs/precision.md) none of them guarded code that ran "
		       "concurrently (tools called one at a time, branches for old versions): 0 of 3 were "
		       "worth changing. Turn it on with `--extend-select AA303`.",
		.example = "import asyncio\n\nasync def fetch(session, url):\n    sem = asyncio.Semaphore(10)\n"
			   "    async with sem:\n        async with session.get(url) as resp:\n"
			   "            return await resp.read()\n",
		.use_instead = "import asyncio\n\nSEM = asyncio.Semaphore(10)\n\nasync def fetch(session, url):\n"
			       "    async with SEM:\n        async with session.get(url) as resp:\n"
			       "            return await resp.read()\n",
		.anchor = "The constructor call; its start is the start of the callee (`asyncio.Semaphore`).",
		.exceptions = "Not reported when the object escapes the function, so other tasks may share it: "
			      "stored in an attribute, subscript or container (`self.lock = asyncio.Lock()`), "
			      "returned or yielded, passed as an argument (`worker(sem, item)`, "
			      "`gather(*(worker(sem, u) for u in urls))`), captured by a nested `def`, `lambda` or "
			      "class (the workers a fan-out function defines), rebound, or declared "
			      "`global`/`nonlocal`. Not in `__aenter__`/`__aexit__`, nor at module or class level "
			      "(created once). Not when the function never acquires the object itself. Only the "
			      "asyncio classes are checked. Suppress a line with `# noqa: AA303`.",
		.equivalents_note = "No flake8-async or Ruff rule covers limiters created per call.",
		.references = "- [asyncio: Semaphore](https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore)\n",
	},
};
