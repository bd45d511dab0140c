#include "rules/coroutines/coroutine.h"
#include "rules/testing/test_syntax.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/facts/decorators.h"

#include <stdlib.h>
#include <string.h>

/* A body larger than this is not scanned: its answer would cost more than it is worth. */
#define MAX_SCAN_NODES 1000000u

const char *const aa_coroutine_equivalents[] = { "ASYNC105", NULL };
const char *const aa_coroutine_node_kinds[] = { "call", NULL };

const char *const aa_coroutine_sync_words[] = {
	/* the target table's functions and classes (tests/coroutine_test.c checks) */
	"asyncio.sleep", "asyncio.wait", "asyncio.gather", "asyncio.shield", "asyncio.open_", "asyncio.start_",
	"asyncio.create_subprocess_", "asyncio.subprocess", "asyncio.to_thread", "asyncio.Lock", "asyncio.Event",
	"asyncio.Condition", "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.Barrier", "asyncio.Queue",
	"asyncio.LifoQueue", "asyncio.PriorityQueue", "asyncio.Stream", "asyncio.AbstractEventLoop",
	/* known_types.c's asyncio factories and other spellings of those classes */
	"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop", "asyncio.BaseEventLoop",
	"asyncio.SelectorEventLoop", "asyncio.ProactorEventLoop", "asyncio.Runner",
	/* Spelled through their submodules: only the names above (the module paths alone are
	 * also used for private names: `asyncio.events._event_loop_policy` in test helpers). */
	"asyncio.events.get_", "asyncio.events.new_event_loop", "asyncio.events.AbstractEventLoop",
	"asyncio.base_events.BaseEventLoop", "asyncio.streams.Stream", "asyncio.locks.", "asyncio.queues.",
	/* `from asyncio import sleep`, `import asyncio as aio` */
	"asyncio import", "asyncio as ", NULL
};

/* ---- defs ---------------------------------------------------------------------------- */

/* The scope of def when it is a def (not a lambda), or NULL. */
static const struct aa_scope_info *def_scope(const struct aa_model *model, TSNode def)
{
	uint32_t id = aa_model_scope_of(model, def);
	const struct aa_scope_info *sc = id == AA_NO_SCOPE ? NULL : aa_model_scope(model, id);
	return sc && sc->kind == AA_SCOPE_FUNCTION ? sc : NULL;
}

bool aa_coroutine_def_is_async(const struct aa_model *model, TSNode def)
{
	const struct aa_scope_info *sc = def_scope(model, def);
	return sc && sc->is_async && !sc->has_yield;
}

uint32_t aa_coroutine_def_scope(const struct aa_model *model, TSNode def)
{
	const struct aa_scope_info *sc = def_scope(model, def);
	return sc ? sc->parent : AA_NO_SCOPE;
}

/* ---- how a call's value is used -------------------------------------------------------- */

/* `_ = f()` as a statement (not `x = _ = f()`, whose value x keeps). */
static bool discarded_by_underscore(const struct aa_ctx *ctx, TSNode assignment, TSNode value)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode left = ts_node_child_by_field_id(assignment, s->f.left);
	TSNode right = ts_node_child_by_field_id(assignment, s->f.right);
	TSNode parent = aa_ctx_parent(ctx, assignment);
	return ts_node_eq(right, value) && !ts_node_is_null(left) && ts_node_symbol(left) == s->identifier &&
	       aa_ctx_text_is(ctx, left, "_") && !ts_node_is_null(parent) &&
	       ts_node_symbol(parent) == s->expression_statement;
}

/* The test of `body if test else alternative` is its second expression. */
static bool is_ternary_test(const struct aa_syms *s, TSNode cond, TSNode n)
{
	uint32_t count = ts_node_named_child_count(cond), index = 0;
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(cond, i);
		if (ts_node_symbol(c) == s->comment)
			continue;
		if (ts_node_eq(c, n))
			return index == 1;
		index++;
	}
	return false;
}

/* What the climbs of aa_coroutine_call_use found in the file, per rule (aa_ctx_file_memo):
 * the pass-through nodes (parentheses, the value operand of and/or, a ternary's branches'
 * parent) that a climb went through, each with the use of its value (the climb's
 * answer), outermost first, each inside the one before it. Checks come in the walk's
 * order (preorder), so a node that does not hold the call asked about holds no later
 * call either, and is dropped: the rest are the call's ancestors. A climb stops at the
 * innermost of them, so a node is climbed through once in the file: without it, the
 * calls in `f() if a else (f() if b else (...))` would each climb to the statement,
 * quadratic in the nesting. */
struct use_memo {
	struct use_entry {
		TSNode node;
		enum aa_coroutine_use use;
	} *v; /* owned */
	size_t n, cap;
};

static void free_use_memo(void *p)
{
	struct use_memo *m = p;
	free(m->v);
	free(m);
}

static bool holds(TSNode outer, TSNode inner)
{
	return ts_node_start_byte(outer) <= ts_node_start_byte(inner) && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

/* A list or set comprehension: a value made of what its body makes. */
static bool collects(const struct aa_syms *s, TSSymbol k)
{
	return k == s->list_comprehension || k == s->set_comprehension;
}

/* A display or a list or set comprehension: a node whose value holds what it is made of. */
static bool holds_elements(const struct aa_syms *s, TSNode n)
{
	return aa_kind_is_display(s, ts_node_symbol(n)) || collects(s, ts_node_symbol(n));
}

/* How n's value is used, n being call or a pass-through node above it; *up is set to the
 * parent n's value passes to (the climb goes on from there), or to a null node when the
 * answer is the returned use. */
static enum aa_coroutine_use use_step(const struct aa_ctx *ctx, TSNode n, TSNode *up)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	*up = (TSNode){ 0 };
	TSNode p = aa_ctx_parent(ctx, n);
	if (ts_node_is_null(p))
		return AA_COROUTINE_USED;
	TSSymbol k = ts_node_symbol(p);
	if (k == s->parenthesized_expression) {
		*up = p;
	} else if (k == s->expression_statement) {
		return AA_COROUTINE_DISCARDED;
	} else if (k == s->assignment) {
		return discarded_by_underscore(ctx, p, n) ? AA_COROUTINE_DISCARDED : AA_COROUTINE_USED;
	} else if (k == s->boolean_operator) {
		/* The left operand is tested; the right one is the value of the whole. */
		if (ts_node_eq(ts_node_child_by_field_id(p, s->f.left), n))
			return AA_COROUTINE_CONDITION;
		*up = p;
	} else if (k == s->conditional_expression) {
		if (is_ternary_test(s, p, n))
			return AA_COROUTINE_CONDITION;
		*up = p;
	} else if (holds_elements(s, p)) {
		/* An element goes where the display goes (`[save(a), save(b)]` as a statement);
		 * a comprehension's body makes the elements. A generator's body runs only when
		 * iterated, so an unused generator expression creates no coroutine at all. */
		if (collects(s, k) && !ts_node_eq(ts_node_child_by_field_id(p, s->f.body), n))
			return AA_COROUTINE_USED;
		*up = p;
	} else if (k == s->not_operator || k == s->if_clause) {
		return AA_COROUTINE_CONDITION;
	} else if (k == s->if_statement || k == s->elif_clause || k == s->while_statement) {
		return ts_node_eq(ts_node_child_by_field_id(p, s->f.condition), n) ? AA_COROUTINE_CONDITION :
										      AA_COROUTINE_USED;
	} else if (k == s->assert_statement) {
		return ts_node_eq(aa_node_first_code_child(s, p), n) ? AA_COROUTINE_CONDITION : AA_COROUTINE_USED;
	}
	return AA_COROUTINE_USED;
}

/* How call's value is used, with rule's memo. Each step goes one parent up (a loop, as
 * deep as the tree at most). */
static enum aa_coroutine_use call_use(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call)
{
	void **slot = aa_ctx_file_memo(ctx, rule, free_use_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct use_memo));
	struct use_memo *m = *slot;
	while (m->n && !holds(m->v[m->n - 1].node, call))
		m->n--;
	size_t base = m->n; /* the nodes climbed through are pushed above it */
	enum aa_coroutine_use use;
	TSNode up;
	for (TSNode n = call;; n = up) {
		use = use_step(ctx, n, &up);
		if (ts_node_is_null(up))
			break;
		if (base && ts_node_eq(up, m->v[base - 1].node)) {
			use = m->v[base - 1].use;
			break;
		}
		AA_GROW(m->v, m->cap, m->n + 1);
		m->v[m->n++] = (struct use_entry){ up, AA_COROUTINE_USED };
	}
	/* The climbed nodes were pushed innermost first: outermost first from here on. */
	for (size_t i = base, j = m->n; i + 1 < j; i++, j--) {
		struct use_entry t = m->v[i];
		m->v[i] = m->v[j - 1];
		m->v[j - 1] = t;
	}
	/* A test of a display or a comprehension tests the collection (`if [save(1)]:`), not
	 * the coroutine in it: for what is inside, it is thrown away. */
	bool inside = false;
	for (size_t i = base; i < m->n; i++) {
		inside = inside || holds_elements(aa_ctx_syms(ctx), m->v[i].node);
		m->v[i].use = inside && use == AA_COROUTINE_CONDITION ? AA_COROUTINE_DISCARDED : use;
	}
	return m->n > base ? m->v[m->n - 1].use : use;
}

/* ---- what a call calls ------------------------------------------------------------------ */

enum verdict {
	V_NO,     /* not a coroutine function, or not known to be one */
	V_YES,    /* returns a coroutine */
	V_FUTURE, /* returns a future that must be awaited (asyncio.gather, asyncio.shield) */
	V_DEFER,  /* the project index decides */
};

static enum verdict target_verdict(const struct aa_target *t)
{
	if (!t)
		return V_NO;
	return !strcmp(t->name, "asyncio.gather") || !strcmp(t->name, "asyncio.shield") ? V_FUTURE : V_YES;
}

/* Names under these roots are decided by the target table, unless the file being
 * analyzed is part of that library itself (CPython's asyncio is then the project). */
static bool library_name(const struct aa_ctx *ctx, const char *qualname)
{
	static const char *const roots[] = { "builtins", "asyncio", "anyio", "trio", "aiofiles", NULL };
	size_t len = strcspn(qualname, ".");
	const char *module = aa_model_scope(aa_ctx_model(ctx), 0)->qualname;
	for (const char *const *r = roots; *r; r++) {
		if (strlen(*r) != len || memcmp(*r, qualname, len))
			continue;
		return !(module && !strncmp(module, qualname, len) && (module[len] == '\0' || module[len] == '.'));
	}
	return false;
}

static bool is_super_call(struct aa_ctx *ctx, TSNode n)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	n = aa_node_unparen(s, n, AA_UNPAREN_CODE);
	if (ts_node_is_null(n) || ts_node_symbol(n) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(n, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->identifier)
		return false;
	struct aa_meaning m = aa_ctx_eval(ctx, fn);
	return m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "builtins.super");
}


static enum verdict local_def_verdict(struct aa_ctx *ctx, TSNode def)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_model *model = aa_ctx_model(ctx);
	if (!aa_coroutine_def_is_async(model, def))
		return V_NO;
	uint32_t scope = aa_coroutine_def_scope(model, def);
	if (scope == AA_NO_SCOPE || !aa_decorators_transparent(model, s, scope, def))
		return V_NO;
	return V_YES;
}

/* `C.m()` for a class C of this file: decided here when C's own body defines m; what C
 * may inherit is the index's. */
static enum verdict class_member_verdict(struct aa_ctx *ctx, TSNode class_def, TSNode attr)
{
	struct aa_model *model = aa_ctx_model(ctx);
	uint32_t cls = aa_model_scope_of(model, class_def);
	if (cls == AA_NO_SCOPE || aa_model_scope(model, cls)->kind != AA_SCOPE_CLASS)
		return V_NO;
	/* Evaluated from the class scope, a name finds the class body's binding first; one
	 * the body does not bind resolves outside it (or to a builtin). */
	struct aa_meaning m = aa_model_eval(model, cls, attr);
	if (m.kind == AA_MEANING_FUNCTION)
		return aa_coroutine_def_scope(model, m.node) == cls ? local_def_verdict(ctx, m.node) : V_DEFER;
	return m.kind == AA_MEANING_NAME ? V_DEFER : V_NO;
}

/* ---- asyncio streams from tuple unpacking --------------------------------------------------- */

static bool is_stream_method(const char *m, uint32_t len)
{
	static const char *const names[] = { "drain", "wait_closed", "start_tls", "read",
					     "readline", "readexactly", "readuntil", NULL };
	for (const char *const *n = names; *n; n++)
		if (strlen(*n) == len && !memcmp(*n, m, len))
			return true;
	return false;
}

static bool opens_stream(struct aa_model *model, const struct aa_syms *s, uint32_t scope, TSNode call, int depth)
{
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn))
		return false;
	struct aa_meaning m = aa_model_eval(model, scope, fn);
	if (m.kind != AA_MEANING_NAME)
		return false;
	if (!strcmp(m.qualname, "asyncio.open_connection") || !strcmp(m.qualname, "asyncio.open_unix_connection"))
		return true;
	if (depth == 0 && !strcmp(m.qualname, "asyncio.wait_for")) {
		TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
		TSNode first = ts_node_is_null(args) ? args : aa_node_first_code_child(s, args);
		first = aa_node_unparen(s, first, AA_UNPAREN_CODE);
		return !ts_node_is_null(first) && ts_node_symbol(first) == s->call &&
		       opens_stream(model, s, scope, first, 1);
	}
	return false;
}

/* `reader, writer = await asyncio.open_connection(...)` (or open_unix_connection, either
 * wrapped in asyncio.wait_for) as a statement of fn itself: the class of the element at
 * ident, or NULL. */
static const char *unpacked_stream(struct aa_ctx *ctx, TSNode pattern, TSNode ident, TSNode fn, uint32_t scope)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode assign = aa_ctx_parent(ctx, pattern);
	if (ts_node_is_null(assign) || ts_node_symbol(assign) != s->assignment ||
	    !ts_node_eq(ts_node_child_by_field_id(assign, s->f.left), pattern))
		return NULL;
	TSNode stmt = aa_ctx_parent(ctx, assign);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->expression_statement)
		return NULL;
	for (TSNode a = aa_ctx_parent(ctx, stmt); !ts_node_eq(a, fn); a = aa_ctx_parent(ctx, a))
		if (ts_node_is_null(a) || aa_kind_is_definition(s, ts_node_symbol(a), true))
			return NULL;
	int index = -1, count = 0;
	uint32_t n = ts_node_named_child_count(pattern);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(pattern, i);
		if (ts_node_symbol(c) == s->comment)
			continue;
		if (ts_node_symbol(c) != s->identifier)
			return NULL;
		if (ts_node_eq(c, ident))
			index = count;
		count++;
	}
	if (count != 2 || index < 0)
		return NULL;
	TSNode value = aa_node_unparen(s, ts_node_child_by_field_id(assign, s->f.right), AA_UNPAREN_CODE);
	if (ts_node_is_null(value) || ts_node_symbol(value) != s->await)
		return NULL;
	TSNode call = aa_node_unparen(s, aa_node_first_code_child(s, value), AA_UNPAREN_CODE);
	if (ts_node_is_null(call) || ts_node_symbol(call) != s->call ||
	    !opens_stream(aa_ctx_model(ctx), s, scope, call, 0))
		return NULL;
	return index == 0 ? "asyncio.StreamReader" : "asyncio.StreamWriter";
}

/* One occurrence of the receiver's name in the function: false when it may rebind the
 * name (anything but plain reads, `name = None`, and the one unpacking). */
static bool benign_occurrence(struct aa_ctx *ctx, TSNode id, TSNode fn, uint32_t scope, const char **cls)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode p = aa_ctx_parent(ctx, id);
	if (ts_node_is_null(p))
		return false;
	TSSymbol k = ts_node_symbol(p);
	if (k == s->attribute || k == s->argument_list || k == s->keyword_argument || k == s->call ||
	    k == s->comparison_operator || k == s->boolean_operator || k == s->not_operator ||
	    k == s->if_statement || k == s->elif_clause || k == s->while_statement || k == s->return_statement ||
	    k == s->await || k == s->expression_statement || k == s->binary_operator ||
	    k == s->conditional_expression || k == s->assert_statement || k == s->subscript)
		return true;
	if (k == s->assignment) {
		if (ts_node_eq(ts_node_child_by_field_id(p, s->f.right), id))
			return true;
		TSNode right = ts_node_child_by_field_id(p, s->f.right);
		return ts_node_eq(ts_node_child_by_field_id(p, s->f.left), id) && !ts_node_is_null(right) &&
		       ts_node_symbol(right) == s->none;
	}
	if (k == s->pattern_list || k == s->tuple_pattern || k == s->list_pattern) {
		const char *c = *cls ? NULL : unpacked_stream(ctx, p, id, fn, scope);
		*cls = c;
		return c != NULL;
	}
	return false;
}

struct stream_scan {
	struct aa_ctx *ctx;
	TSNode fn;
	uint32_t scope;
	const char *name;
	uint32_t len;
	const char *cls; /* out */
};

/* Every occurrence of the name must be benign (the unpacking itself, or a use). */
static enum aa_visit visit_stream_names(void *ud, TSNode node)
{
	struct stream_scan *sc = ud;
	if (ts_node_symbol(node) != aa_ctx_syms(sc->ctx)->identifier)
		return AA_VISIT_DESCEND;
	if (aa_node_text_is(aa_ctx_source(sc->ctx)->text, node, sc->name, sc->len) &&
	    !benign_occurrence(sc->ctx, node, sc->fn, sc->scope, &sc->cls))
		return AA_VISIT_STOP;
	return AA_VISIT_DESCEND;
}

/* The stream class of a receiver name that the function binds only by unpacking
 * asyncio.open_connection(), or NULL. A bounded scan of the function's subtree. */
static const char *stream_by_unpacking(struct aa_ctx *ctx, TSNode ident)
{
	const struct aa_model *model = aa_ctx_model(ctx);
	uint32_t scope = aa_model_scope(model, aa_ctx_scope(ctx))->function;
	if (scope == AA_NO_SCOPE || aa_model_scope(model, scope)->kind != AA_SCOPE_FUNCTION)
		return NULL;
	TSNode fn = aa_model_scope(model, scope)->node;
	uint32_t len;
	const char *name = aa_ctx_text(ctx, ident, &len);
	struct stream_scan sc = { ctx, fn, scope, name, len, NULL };
	return aa_subtree_walk(fn, MAX_SCAN_NODES, visit_stream_names, &sc) ? sc.cls : NULL;
}

/* ---- the decision ------------------------------------------------------------------------ */

static enum verdict classify(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct aa_callee c = *aa_ctx_callee(ctx, call);
	switch (c.kind) {
	case AA_CALLEE_FUNCTION: {
		enum verdict v = target_verdict(aa_rule_match_function(rule, c.qualname));
		return v != V_NO || library_name(ctx, c.qualname) ? v : V_DEFER;
	}
	case AA_CALLEE_METHOD: {
		if (is_super_call(ctx, c.receiver))
			return V_DEFER;
		enum verdict v = target_verdict(aa_rule_match_method(rule, c.qualname, c.method, c.method_len));
		if (v != V_NO || library_name(ctx, c.qualname))
			return v;
		/* `self.m()`, its class known to the model: as below. */
		return aa_ctx_self_call_unbound(ctx, c.receiver, c.method, c.method_len) ? V_NO : V_DEFER;
	}
	case AA_CALLEE_LOCAL:
		return local_def_verdict(ctx, c.node);
	default:
		break;
	}
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return V_NO;
	TSNode obj = aa_node_unparen(s, ts_node_child_by_field_id(fn, s->f.object), AA_UNPAREN_CODE);
	TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
	if (ts_node_is_null(obj) || ts_node_is_null(attr))
		return V_NO;
	if (is_super_call(ctx, obj))
		return V_DEFER;
	if (ts_node_symbol(obj) == s->identifier) {
		uint32_t mlen;
		const char *m = aa_ctx_text(ctx, attr, &mlen);
		if (aa_ctx_is_self(ctx, obj))
			return aa_ctx_self_method_unbound(ctx, m, mlen) ? V_NO : V_DEFER;
		if (is_stream_method(m, mlen)) {
			const char *cls = stream_by_unpacking(ctx, obj);
			if (cls)
				return target_verdict(aa_rule_match_method(rule, cls, m, mlen));
		}
	}
	struct aa_meaning om = aa_ctx_eval(ctx, obj);
	if (om.kind == AA_MEANING_CLASS)
		return class_member_verdict(ctx, om.node, attr);
	/* `coresys.core.set_state()`: the index may know the receiver through typed
	 * attributes and properties (a chain reference); it drops what it cannot name. */
	return V_DEFER;
}

/* The missing `await` of a coroutine call that is a whole expression statement in an
 * async def's own body: awaiting is exactly what was meant (a `_ = f()` or `x and f()`
 * may mean something else, and a discarded future was scheduled already), or NULL. */
static struct aa_fix *await_fix(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, enum verdict v)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (rule->fix.kind != AA_FIX_SAFE || v == V_FUTURE || !aa_ctx_await_allowed(ctx, call))
		return NULL;
	TSNode stmt = aa_ctx_parent_unparen(ctx, call, NULL, 0, NULL);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->expression_statement || ts_node_named_child_count(stmt) != 1)
		return NULL;
	struct aa_fix *fix = aa_fix_new(AA_FIX_SAFE);
	aa_ctx_fix_await(ctx, fix, call, ts_node_start_byte(call), "await ");
	return fix;
}

void aa_coroutine_check(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, enum aa_coroutine_use want)
{
	if (call_use(ctx, rule, call) != want || (want == AA_COROUTINE_DISCARDED && aa_test_expects_raise(ctx, call)))
		return;
	enum verdict v = classify(ctx, rule, call);
	struct aa_ref ref;
	if (v == V_NO || (v == V_DEFER && !aa_ctx_defer_begin(ctx, rule, call, &ref)))
		return;
	const char *callee = aa_ctx_callee_text(ctx, call);
	bool in_async = aa_ctx_in_async(ctx);
	struct aa_buf msg = AA_BUF_INIT;
	const char *what = v == V_FUTURE ? "returns a future" : "creates a coroutine";
	if (want == AA_COROUTINE_DISCARDED)
		aa_buf_addf(&msg, "%s() %s that is never awaited: %s", callee, what,
			    v == V_FUTURE ? "its outcome and exceptions are lost" : "it never runs");
	else
		aa_buf_addf(&msg, "%s() %s, which is always true as a condition%s", callee, what,
			    v == V_FUTURE ? "" : " and never runs");
	if (in_async) {
		/* The call as written when it is short, else its callee. */
		uint32_t len;
		const char *text = aa_ctx_text(ctx, call, &len);
		if (len <= 60 && !memchr(text, '\n', len))
			aa_buf_addf(&msg, "; use 'await %.*s'", (int)len, text);
		else
			aa_buf_addf(&msg, "; use 'await %s(...)'", callee);
	} else
		aa_buf_adds(&msg, "; sync code must run it on an event loop (asyncio.run(), a task)");
	struct aa_fix *fix = want == AA_COROUTINE_DISCARDED ? await_fix(ctx, rule, call, v) : NULL;
	if (v == V_DEFER) {
		aa_ctx_defer(ctx, rule, call, AA_DEFER_IF_COROUTINE, &ref, aa_buf_detach(&msg), fix);
	} else {
		aa_ctx_report_fix(ctx, rule, call, fix, "%s", msg.data);
		aa_buf_release(&msg);
	}
}
