/* AA303 per-call-limiter: an asyncio semaphore or lock created in the async function that
 * acquires it, and never handed to anything else: each call limits only itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"

#include "analyzer/facts/bindings.h"
#include "rules/concurrency/concurrency.h"
#include "parsers/python/subtree.h"
#include "rules/shared/name_records.h"
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

/* What a function's body does with each name, for every limiter assigned in it to ask
 * (rules/shared/name_records.h): the walk each such assignment made of the whole body,
 * made once per body. A function of N assignments was N walks. */
struct limiter_uses {
	uint32_t escapes; /* uses that may share it: passed, stored, returned, captured, bound (the asking assignment's target is one) */
	bool acquired;    /* `async with name:` or `await name.acquire()` */
};

struct use_walk {
	struct aa_ctx *ctx;
	struct aa_name_records *memo;
	uint32_t ns;
	bool all_locals;
	TSNode last_call;         /* the call visited last */
	const void *called_fn;    /* its function, when an attribute */
	const void *awaited_call; /* the call under the `await` visited last */
	const void *attr;         /* the attribute visited last, when it is called */
	TSNode attr_call;         /* that call */
	uint32_t *def_ends;       /* owned; the end bytes of the nested defs and classes around */
	size_t n_defs, cap_defs;
};

static struct limiter_uses *uses_of(struct use_walk *w, const char *t, uint32_t len)
{
	return aa_name_records_add(w->memo, t, len, w->ns);
}

/* id, a child of parent (call: parent's parent when that is a call of which parent is
 * the function, else a null node): what it does to the variable it names. */
static void note_identifier(struct use_walk *w, TSNode parent, TSNode id, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	uint32_t len;
	const char *t = aa_ctx_text(w->ctx, id, &len);
	if (aa_bindings_sees_all_locals(t, len))
		w->all_locals = true;
	TSSymbol pk = ts_node_symbol(parent);
	if ((pk == s->attribute && aa_node_field_is(parent, s->f.attribute, id)) ||
	    (pk == s->keyword_argument && aa_node_field_is(parent, s->f.name, id)))
		return; /* `other.sem`, `f(sem=...)`: not the variable */
	struct limiter_uses *u = uses_of(w, t, len);
	if (w->n_defs) {
		/* Captured by a closure (the worker it guards), or a name of another scope: the
		 * object may outlive the call. */
		u->escapes++;
		return;
	}
	if (pk == s->attribute) {
		TSNode a = ts_node_child_by_field_id(parent, s->f.attribute);
		bool called = !ts_node_is_null(call);
		if (aa_ctx_text_is(w->ctx, a, "acquire") || aa_ctx_text_is(w->ctx, a, "wait")) {
			/* Awaited here: acquired. Not awaited (`create_task(lock.acquire())`):
			 * another task contends for it. */
			if (!called || call.id != w->awaited_call)
				u->escapes++;
			else
				u->acquired |= aa_ctx_text_is(w->ctx, a, "acquire");
			return;
		}
		/* `lock.release` handed on as a callback; `sem._value` read: only a method
		 * reference can act on it later. `.release()`, `.locked()`: stays here. */
		if (!called && aa_ctx_text_is(w->ctx, a, "release"))
			u->escapes++;
		return;
	}
	if ((pk == s->with_item || pk == s->as_pattern) && is_async_with_item(w->ctx, id)) {
		u->acquired = true;
		return;
	}
	/* Passed, stored, returned, yielded, rebound, declared global...: shared. */
	u->escapes++;
}

static void index_uses(void *ud, TSNode n, TSNode parent)
{
	struct use_walk *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	TSSymbol k = ts_node_symbol(n);
	uint32_t at = ts_node_start_byte(n);
	/* Preorder: the defs left behind end at or before this node's start. */
	while (w->n_defs && w->def_ends[w->n_defs - 1] <= at)
		w->n_defs--;
	if (k == s->identifier && !ts_node_is_null(parent)) {
		/* An attribute's object is its first child: visited right after it. */
		note_identifier(w, parent, n, parent.id == w->attr ? w->attr_call : (TSNode){ 0 });
	} else if (aa_kind_is_definition(s, k, true)) {
		AA_GROW(w->def_ends, w->cap_defs, w->n_defs + 1);
		w->def_ends[w->n_defs++] = ts_node_end_byte(n);
	} else if (k == s->await) {
		/* The operand through parentheses (and comments in them, as the climb from the call
		 * went up): visited before anything else is awaited. */
		TSNode v = aa_node_unparen(s, ts_node_named_child(n, 0), AA_UNPAREN_CODE);
		w->awaited_call = !ts_node_is_null(v) && ts_node_symbol(v) == s->call ? v.id : NULL;
	} else if (k == s->call) {
		/* A call's function is its first child: visited next. */
		TSNode fn = ts_node_child_by_field_id(n, s->f.function);
		w->called_fn = !ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute ? fn.id : NULL;
		w->last_call = n;
	} else if (k == s->attribute) {
		w->attr = n.id == w->called_fn ? n.id : NULL;
		w->attr_call = w->last_call;
	}
}

/* After the walk: `locals()`/`vars()` in the body hand every local on. */
static bool walk_unknown(void *ud)
{
	struct use_walk *w = ud;
	free(w->def_ends);
	w->def_ends = NULL;
	return w->all_locals;
}

/* The limiter bound to target (an identifier in fn's body, bound by an assignment) is
 * acquired in fn and has no other use that may share it. False also when unsure: the
 * body is too large to scan or calls locals()/vars(). */
static bool acquired_alone(struct aa_ctx *ctx, TSNode body, TSNode target)
{
	struct aa_name_records *m = aa_name_records_of(ctx, &aa_rule_per_call_limiter, sizeof(struct limiter_uses));
	uint32_t ns = ts_node_start_byte(body), len;
	const char *name = aa_ctx_text(ctx, target, &len);
	struct use_walk w = { .ctx = ctx, .memo = m, .ns = ns };
	if (!aa_name_records_walked(m, body, MAX_SCAN_NODES, index_uses, walk_unknown, &w))
		return false;
	const struct limiter_uses *u = aa_name_records_find(m, name, len, ns);
	/* The target's own binding is the one use expected. */
	return u && u->escapes == 1 && u->acquired;
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
	if (!acquired_alone(ctx, body, left))
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
