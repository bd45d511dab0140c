/* Fan-out sites (fanout.h): what is spawned per item, over which items, and whether
 * anything in this file bounds it. Whether a project coroutine makes network calls is
 * the index's to decide (fanout_link.c). */
#include <stdlib.h>
#include <string.h>

#include "analyzer/facts/bindings.h"
#include "rules/concurrency/concurrency.h"
#include "rules/concurrency/fanout.h"
#include "parsers/python/subtree.h"
#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/node.h"

#define MAX_PRODUCERS 4
#define MAX_PATTERNS 4
#define MAX_SCAN_NODES 200000u

/* One way the fanned-out work is made: a call per item (`fetch(u)` of a comprehension, a
 * loop's `tasks.append(...)`, a loop's `create_task(...)`), or a function handed the
 * items (`map(fetch, urls)`, `nursery.start_soon(fetch, u)`). */
struct producer {
	TSNode spawned;  /* a call, or the function expression when is_ref */
	bool is_ref;
	TSNode args;     /* is_ref: argument_list holding its arguments after the first, or null */
	TSNode iterable; /* the items */
	TSNode patterns[MAX_PATTERNS]; /* the targets bound per item (none for map()) */
	size_t n_patterns;
	bool async_items; /* `async for`: items received from a stream */
	bool spawned_in_loop; /* a task created in a `for` statement's body: AA302's finding */
};

struct site {
	struct aa_ctx *ctx;
	TSNode fn;      /* the async function_definition */
	struct producer p[MAX_PRODUCERS];
	size_t n;
};


bool aa_fanout_in_list(const char *const *list, const char *s, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && !memcmp(*list, s, len))
			return true;
	return false;
}

static bool qual_in(const char *q, const char *const *names)
{
	return aa_fanout_in_list(names, q, strlen(q));
}

static const char *const task_wrappers[] = { "asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task",
					     "asyncio.tasks.ensure_future", NULL };
static const char *const await_wrappers[] = { "asyncio.wait_for", "asyncio.shield", "asyncio.tasks.wait_for",
					      "asyncio.tasks.shield", NULL };

static bool method_is(struct aa_ctx *ctx, TSNode call, const char *name)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	return !ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute &&
	       aa_ctx_text_is(ctx, ts_node_child_by_field_id(fn, s->f.attribute), name);
}

/* Is call a task wrapper (`asyncio.create_task(c)`, `tg.create_task(c)`)? */
static bool is_task_wrapper(struct aa_ctx *ctx, TSNode call)
{
	struct aa_callee c;
	aa_ctx_callee_of(ctx, ts_node_child_by_field_id(call, aa_ctx_syms(ctx)->f.function), &c);
	if (c.kind == AA_CALLEE_FUNCTION)
		return qual_in(c.qualname, task_wrappers);
	return method_is(ctx, call, "create_task");
}

/* The coroutine call inside task and timeout wrappers; *wrapped says whether a task
 * wrapper was met. A null node when it is not a call. */
static TSNode unwrap(struct aa_ctx *ctx, TSNode e, bool *wrapped)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	for (int i = 0; i < 4; i++) {
		e = aa_node_unparen(s, e, AA_UNPAREN_FIRST);
		if (ts_node_is_null(e) || ts_node_symbol(e) != s->call)
			return (TSNode){ 0 };
		struct aa_callee c;
		aa_ctx_callee_of(ctx, ts_node_child_by_field_id(e, s->f.function), &c);
		bool task = is_task_wrapper(ctx, e);
		if (!task && !(c.kind == AA_CALLEE_FUNCTION && qual_in(c.qualname, await_wrappers)))
			return e;
		*wrapped |= task;
		e = aa_call_arg(ctx, e, 0, NULL);
	}
	return (TSNode){ 0 };
}

static void add_pattern(struct producer *p, TSNode pattern)
{
	if (!ts_node_is_null(pattern) && p->n_patterns < MAX_PATTERNS)
		p->patterns[p->n_patterns++] = pattern;
}

static void push(struct site *st, const struct producer *p)
{
	if (st->n < MAX_PRODUCERS && !ts_node_is_null(p->spawned) && !ts_node_is_null(p->iterable))
		st->p[st->n++] = *p;
}

/* direct: the comprehension is written in the gather/wait call itself. Tasks a
 * comprehension creates elsewhere (`tasks = [create_task(f(u)) for u in urls]`) are
 * AA302's finding. */
static void from_comprehension(struct site *st, TSNode comp, bool direct)
{
	struct aa_ctx *ctx = st->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct producer p = { 0 };
	TSNode body = ts_node_child_by_field_id(comp, s->f.body);
	if (!ts_node_is_null(body) && ts_node_symbol(body) == s->pair) {
		/* `{create_task(fetch(u)): u for u in urls}`: the key is the task. */
		bool w = false;
		TSNode key = unwrap(ctx, ts_node_child_by_field_id(body, s->f.key), &w);
		body = ts_node_is_null(key) ? ts_node_child_by_field_id(body, s->f.value) : key;
	}
	bool wrapped = false;
	p.spawned = unwrap(ctx, body, &wrapped);
	p.spawned_in_loop = wrapped && !direct;
	uint32_t n = ts_node_named_child_count(comp);
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(comp, i);
		if (ts_node_symbol(c) != s->for_in_clause)
			continue;
		if (ts_node_is_null(p.iterable)) {
			p.iterable = ts_node_child_by_field_id(c, s->f.right);
			p.async_items = ts_node_symbol(ts_node_child(c, 0)) == s->kw_async;
		}
		add_pattern(&p, ts_node_child_by_field_id(c, s->f.left));
	}
	push(st, &p);
}

static bool is_builtin_map(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	return c->kind == AA_CALLEE_FUNCTION && !strcmp(c->qualname, "builtins.map");
}

static void producers_of(struct site *st, TSNode x, int depth);

struct name_walk {
	struct site *st;
	int depth;
};

static bool on_binding(void *ud, const struct aa_binding *b)
{
	struct name_walk *nw = ud;
	struct site *st = nw->st;
	struct aa_ctx *ctx = st->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	switch (b->kind) {
	case AA_BIND_ASSIGN:
	case AA_BIND_AUGMENT:
		producers_of(st, b->value, nw->depth + 1);
		break;
	case AA_BIND_ADD:
		if (b->extend) {
			producers_of(st, b->value, nw->depth + 1);
		} else if (!ts_node_is_null(b->loop)) {
			struct producer p = { 0 };
			bool wrapped = false;
			p.spawned = unwrap(ctx, b->value, &wrapped);
			p.spawned_in_loop = wrapped;
			p.iterable = ts_node_child_by_field_id(b->loop, s->f.right);
			p.async_items = ts_node_symbol(ts_node_child(b->loop, 0)) == s->kw_async;
			add_pattern(&p, ts_node_child_by_field_id(b->loop, s->f.left));
			push(st, &p);
		}
		break;
	default:
		break;
	}
	return st->n < MAX_PRODUCERS;
}

/* The producers of the awaitables X holds (gather's `*X`, wait's `X`). */
static void producers_of(struct site *st, TSNode x, int depth)
{
	struct aa_ctx *ctx = st->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	x = aa_node_unparen(s, x, AA_UNPAREN_FIRST);
	if (ts_node_is_null(x) || depth > 3)
		return;
	TSSymbol k = ts_node_symbol(x);
	if (aa_kind_is_comprehension(s, k)) {
		from_comprehension(st, x, depth == 0);
	} else if (k == s->call && is_builtin_map(ctx, x)) {
		struct producer p = { 0 };
		p.spawned = aa_call_arg(ctx, x, 0, NULL);
		p.is_ref = true;
		p.iterable = aa_call_arg(ctx, x, 1, NULL);
		push(st, &p);
	} else if (k == s->identifier) {
		uint32_t len;
		const char *name = aa_ctx_text(ctx, x, &len);
		struct name_walk nw = { st, depth };
		aa_bindings_each(aa_ctx_model(ctx), st->fn, name, len, on_binding, &nw);
	}
}

static const char *const gather_names[] = { "asyncio.gather", "asyncio.tasks.gather", NULL };
static const char *const wait_names[] = { "asyncio.wait", "asyncio.tasks.wait", "asyncio.as_completed",
					  "asyncio.tasks.as_completed", NULL };

/* The comprehension whose element is call (through parentheses), or a null node. */
static TSNode element_of(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode child;
	TSNode p = aa_ctx_parent_unparen(ctx, call, NULL, 0, &child);
	if (ts_node_is_null(p) || !aa_kind_is_comprehension(s, ts_node_symbol(p)) ||
	    !ts_node_eq(ts_node_child_by_field_id(p, s->f.body), child))
		return (TSNode){ 0 };
	return p;
}

/* Is comp written as an argument of a gather/wait/as_completed call? */
static bool gathered_directly(struct aa_ctx *ctx, TSNode comp)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode p = aa_ctx_parent_unparen(ctx, comp, (const TSSymbol[]){ s->list_splat, s->keyword_argument }, 2, NULL);
	if (!ts_node_is_null(p) && ts_node_symbol(p) == s->argument_list)
		p = aa_ctx_parent(ctx, p);
	else if (ts_node_is_null(p) || ts_node_symbol(p) != s->call)
		return false; /* `gather(*(...))` parses the generator as the call's arguments */
	if (ts_node_is_null(p) || ts_node_symbol(p) != s->call)
		return false;
	struct aa_callee c;
	aa_ctx_callee_of(ctx, ts_node_child_by_field_id(p, s->f.function), &c);
	return c.kind == AA_CALLEE_FUNCTION && (qual_in(c.qualname, gather_names) || qual_in(c.qualname, wait_names));
}

/* A create_task / ensure_future / start_soon in the body of a `for` statement, or the
 * element of a comprehension that is not written in a gather/wait call (AA301's). */
static void spawn_producer(struct site *st, TSNode call)
{
	struct aa_ctx *ctx = st->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode comp = element_of(ctx, call);
	if (!ts_node_is_null(comp)) {
		if (!gathered_directly(ctx, comp) && is_task_wrapper(ctx, call))
			from_comprehension(st, comp, true);
		return;
	}
	/* What the call spawns first: the loop is looked for only around a spawn. */
	struct producer p = { 0 };
	if (method_is(ctx, call, "start_soon")) {
		p.spawned = aa_call_arg(ctx, call, 0, NULL);
		p.is_ref = true;
		p.args = ts_node_child_by_field_id(call, s->f.arguments);
	} else if (is_task_wrapper(ctx, call)) {
		bool wrapped = false;
		p.spawned = unwrap(ctx, aa_call_arg(ctx, call, 0, NULL), &wrapped);
	} else {
		return;
	}
	TSNode loop = aa_ctx_enclosing_for(ctx, st->fn, call);
	if (ts_node_is_null(loop))
		return; /* not in a `for` (a `while` accept loop is a server, not a fan-out) */
	p.iterable = ts_node_child_by_field_id(loop, s->f.right);
	p.async_items = ts_node_symbol(ts_node_child(loop, 0)) == s->kw_async;
	add_pattern(&p, ts_node_child_by_field_id(loop, s->f.left));
	push(st, &p);
}

/* --- condition (c) and the item's use -------------------------------------------- */

/* The arguments the spawned work gets: the call's, or start_soon's after the first. */
static TSNode spawned_args(struct aa_ctx *ctx, const struct producer *p, uint32_t *first)
{
	*first = 0;
	if (p->is_ref) {
		*first = 1;
		return p->args;
	}
	return ts_node_child_by_field_id(p->spawned, aa_ctx_syms(ctx)->f.arguments);
}

/* Each item flows into the spawned work: otherwise it is a pool of identical workers
 * (`for _ in range(n): create_task(worker(queue))`). */
static bool item_used(struct aa_ctx *ctx, const struct producer *p)
{
	if (p->is_ref && ts_node_is_null(p->args))
		return true; /* map(fetch, urls) */
	uint32_t first;
	TSNode args = spawned_args(ctx, p, &first);
	TSNode where = p->is_ref ? args : p->spawned;
	uint32_t n = p->is_ref && !ts_node_is_null(args) ? ts_node_named_child_count(args) : 1;
	const struct aa_model *m = aa_ctx_model(ctx);
	for (size_t k = 0; k < p->n_patterns; k++)
		for (uint32_t i = p->is_ref ? first : 0; i < n; i++)
			if (aa_bindings_pattern_read(m, p->patterns[k], p->is_ref ? ts_node_named_child(where, i) : where))
				return true;
	return false;
}

/* A limiter or a queue handed to the spawned work. */
static bool bounded_by_args(struct aa_ctx *ctx, const struct producer *p)
{
	uint32_t first;
	TSNode args = spawned_args(ctx, p, &first);
	uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
	for (uint32_t i = first; i < n; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (aa_fanout_limiter_arg(ctx, a) || aa_fanout_queue_arg(ctx, a))
			return true;
	}
	return false;
}

/* Inside `async with <limiter>:` in the same function. */
static bool limited_around(struct aa_ctx *ctx, TSNode fn, TSNode call)
{
	for (TSNode p = aa_ctx_parent(ctx, call); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = aa_ctx_parent(ctx, p))
		if (aa_fanout_with_limits(ctx, p))
			return true;
	return false;
}

/* What acquires_in learned in this file, so that each def is scanned once whatever
 * number of spawns and awaits ask about it (aa_ctx_file_memo; per rule). */
struct acquire_memo {
	struct aa_map answers[2]; /* (empty key, ns = a def's start byte) -> 1 acquires, 0 not; by follow */
	struct aa_map methods;    /* (a method's name, ns = its class's start byte) -> index into defs */
	struct aa_map classes;    /* (empty key, ns = a class's start byte): its methods are in `methods` */
	TSNode *defs;             /* owned */
	size_t n_defs, defs_cap;
};

static void free_acquire_memo(void *p)
{
	struct acquire_memo *m = p;
	if (!m)
		return;
	for (int i = 0; i < 2; i++)
		aa_map_release(&m->answers[i]);
	aa_map_release(&m->methods);
	aa_map_release(&m->classes);
	free(m->defs);
	free(m);
}

struct acquire_scan {
	struct aa_ctx *ctx;
	struct acquire_memo *memo;
	bool hit;
	bool follow; /* into an awaited coroutine of this file (one level) */
	TSNode cls;  /* the class whose `self.m()` is followed, or null */
};

static bool acquires_in_body(struct aa_ctx *ctx, struct acquire_memo *memo, TSNode fn, bool follow, TSNode cls);

/* The def named by call's `self.NAME` among the methods of cls, or a null node. A
 * class's methods are listed once, at the first question about it. */
static TSNode self_method(struct aa_ctx *ctx, struct acquire_memo *memo, TSNode cls, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode none = { 0 }, fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(cls) || ts_node_symbol(fn) != s->attribute ||
	    !aa_ctx_text_is(ctx, ts_node_child_by_field_id(fn, s->f.object), "self"))
		return none;
	const char *text = aa_ctx_source(ctx)->text;
	uint32_t at = ts_node_start_byte(cls), len;
	struct aa_map_key ck = aa_map_key(text, 0, at);
	bool added;
	aa_map_put(&memo->classes, &ck, 1, &added);
	if (added) {
		TSNode body = ts_node_child_by_field_id(cls, s->f.body);
		uint32_t n = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
		for (uint32_t i = 0; i < n; i++) {
			TSNode d = ts_node_named_child(body, i);
			if (ts_node_symbol(d) == s->decorated_definition)
				d = ts_node_child_by_field_id(d, s->f.definition);
			if (ts_node_is_null(d) || ts_node_symbol(d) != s->function_definition)
				continue;
			const char *name = aa_ctx_text(ctx, ts_node_child_by_field_id(d, s->f.name), &len);
			struct aa_map_key mk = aa_map_key(name, len, at);
			AA_GROW(memo->defs, memo->defs_cap, memo->n_defs + 1);
			memo->defs[memo->n_defs] = d;
			if (*aa_map_put(&memo->methods, &mk, (uint32_t)memo->n_defs, NULL) == memo->n_defs)
				memo->n_defs++; /* the first def of a name, as before: later ones are not kept */
		}
	}
	const char *want = aa_ctx_text(ctx, ts_node_child_by_field_id(fn, s->f.attribute), &len);
	struct aa_map_key wk = aa_map_key(want, len, at);
	uint32_t k = aa_map_get(&memo->methods, &wk);
	return k == AA_MAP_NONE ? none : memo->defs[k];
}

static enum aa_visit find_acquire(void *ud, TSNode n)
{
	struct acquire_scan *a = ud;
	const struct aa_syms *s = aa_ctx_syms(a->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	if (k != s->await)
		return AA_VISIT_DESCEND;
	TSNode v = aa_node_unparen(s, ts_node_named_child(n, 0), AA_UNPAREN_FIRST);
	if (ts_node_is_null(v) || ts_node_symbol(v) != s->call)
		return AA_VISIT_DESCEND;
	/* anyio's CapacityLimiter also acquires on behalf of a borrower. */
	if (method_is(a->ctx, v, "acquire") || method_is(a->ctx, v, "acquire_on_behalf_of")) {
		a->hit = true;
		return AA_VISIT_STOP;
	}
	/* `if await self._acquire_token(run): spawn(...)`: a coroutine of this file that
	 * acquires does it for the loop. */
	if (a->follow) {
		const struct aa_callee *c = aa_ctx_callee(a->ctx, v);
		TSNode def = c && c->kind == AA_CALLEE_LOCAL ? c->node : self_method(a->ctx, a->memo, a->cls, v);
		if (!ts_node_is_null(def) && acquires_in_body(a->ctx, a->memo, def, false, a->cls)) {
			a->hit = true;
			return AA_VISIT_STOP;
		}
	}
	return AA_VISIT_DESCEND;
}

/* `await sem.acquire()` anywhere in fn's body (or, when follow, in a coroutine of this
 * file it awaits). Too large to scan counts as acquired (quiet). Each (fn, follow) is
 * answered once per file. */
static bool acquires_in_body(struct aa_ctx *ctx, struct acquire_memo *memo, TSNode fn, bool follow, TSNode cls)
{
	struct aa_map_key key = aa_map_key(aa_ctx_source(ctx)->text, 0, ts_node_start_byte(fn));
	uint32_t known = aa_map_get(&memo->answers[follow], &key);
	if (known != AA_MAP_NONE)
		return known;
	struct acquire_scan a = { ctx, memo, false, follow, cls };
	TSNode body = ts_node_child_by_field_id(fn, aa_ctx_syms(ctx)->f.body);
	bool hit = !ts_node_is_null(body) && (!aa_subtree_walk(body, MAX_SCAN_NODES, find_acquire, &a) || a.hit);
	aa_map_put(&memo->answers[follow], &key, hit, NULL);
	return hit;
}

/* Acquired before each spawn, released when the task is done. fn is an ancestor of the
 * node checked: its class is found on the walker's stack. */
static bool acquires_in(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode fn)
{
	void **slot = aa_ctx_file_memo(ctx, rule, free_acquire_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct acquire_memo));
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode p = aa_ctx_parent(ctx, fn);
	if (!ts_node_is_null(p) && ts_node_symbol(p) == s->decorated_definition)
		p = aa_ctx_parent(ctx, p);
	if (!ts_node_is_null(p) && ts_node_symbol(p) == s->block)
		p = aa_ctx_parent(ctx, p);
	TSNode cls = !ts_node_is_null(p) && ts_node_symbol(p) == s->class_definition ? p : (TSNode){ 0 };
	return acquires_in_body(ctx, *slot, fn, true, cls);
}

/* --- messages -------------------------------------------------------------------- */

static void add_shown(struct aa_ctx *ctx, struct aa_buf *b, TSNode n, uint32_t max)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, n, &len);
	uint32_t cut = 0;
	while (cut < len && cut < max && t[cut] != '\n')
		cut++;
	aa_buf_add(b, t, cut);
	if (cut < len)
		aa_buf_adds(b, "...");
}

/* The spawned callee's name as shown: "fetch", "self.fetch". */
static void add_spawned_name(struct aa_ctx *ctx, struct aa_buf *b, const struct producer *p)
{
	TSNode fn = p->is_ref ? p->spawned : ts_node_child_by_field_id(p->spawned, aa_ctx_syms(ctx)->f.function);
	add_shown(ctx, b, fn, 40);
}

static char *head_message(struct aa_ctx *ctx, TSNode call, enum aa_fanout_form form, const struct producer *p,
			  const struct aa_buf *why)
{
	struct aa_buf b = AA_BUF_INIT;
	aa_buf_addf(&b, "%s() ", aa_ctx_callee_text(ctx, call));
	aa_buf_adds(&b, form == AA_FANOUT_GATHER ? "runs one " : "starts one task of ");
	add_spawned_name(ctx, &b, p);
	aa_buf_adds(&b, "() per item of '");
	add_shown(ctx, &b, p->iterable, 40);
	aa_buf_addf(&b, "' (%s), all at once", why->data ? why->data : "");
	return aa_buf_detach(&b);
}

static char *tail_message(struct aa_ctx *ctx, enum aa_fanout_form form, const struct producer *p)
{
	if (!p->is_ref && aa_fanout_net_callee(ctx, p->spawned))
		return aa_xstrdup(form == AA_FANOUT_GATHER
					  ? "nothing bounds how many run together; make each call in a coroutine that "
					    "acquires a shared asyncio.Semaphore, or gather in fixed-size batches"
					  : "nothing bounds how many run together; make each call in a coroutine that "
					    "acquires a shared asyncio.Semaphore, or run a fixed pool of workers that read "
					    "the items from an asyncio.Queue");
	struct aa_buf name = AA_BUF_INIT;
	add_spawned_name(ctx, &name, p);
	char *t = form == AA_FANOUT_GATHER
			  ? aa_xasprintf("nothing bounds how many run together; acquire a shared asyncio.Semaphore in "
					 "'%s' (or pass one to it), or gather in fixed-size batches",
					 name.data)
			  : aa_xasprintf("nothing bounds how many run together; acquire a shared asyncio.Semaphore in "
					 "'%s', or run a fixed pool of workers that read the items from an asyncio.Queue",
					 name.data);
	aa_buf_release(&name);
	return t;
}

/* --- the check ------------------------------------------------------------------- */

static void gather_producers(struct site *st, TSNode call)
{
	struct aa_ctx *ctx = st->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (c->kind != AA_CALLEE_FUNCTION)
		return;
	if (qual_in(c->qualname, gather_names)) {
		TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
		uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
		for (uint32_t i = 0; i < n; i++) {
			TSNode a = ts_node_named_child(args, i);
			if (ts_node_symbol(a) == s->list_splat) {
				producers_of(st, ts_node_named_child(a, 0), 0);
				return;
			}
		}
	} else if (qual_in(c->qualname, wait_names)) {
		producers_of(st, aa_call_arg(ctx, call, 0, "fs"), 0);
	}
}

void aa_fanout_check(struct aa_ctx *ctx, TSNode call, enum aa_fanout_form form, const struct aa_rule *rule)
{
	const struct aa_model *m = aa_ctx_model(ctx);
	const struct aa_scope_info *sc = aa_model_scope(m, aa_ctx_scope(ctx));
	if (sc->function == AA_NO_SCOPE)
		return;
	const struct aa_scope_info *fs = aa_model_scope(m, sc->function);
	if (fs->kind != AA_SCOPE_FUNCTION || !fs->is_async || aa_concurrency_in_test(m, aa_ctx_scope(ctx)))
		return;
	struct site st = { .ctx = ctx, .fn = fs->node };
	if (form == AA_FANOUT_GATHER)
		gather_producers(&st, call);
	else
		spawn_producer(&st, call);
	if (!st.n || limited_around(ctx, st.fn, call) || acquires_in(ctx, rule, st.fn))
		return;
	for (size_t i = 0; i < st.n; i++) {
		const struct producer *p = &st.p[i];
		const struct aa_syms *s = aa_ctx_syms(ctx);
		if (p->spawned_in_loop && form == AA_FANOUT_GATHER)
			continue; /* tasks made in a `for` loop: AA302's finding, not gather's */
		if (!p->is_ref && ts_node_symbol(p->spawned) != s->call)
			continue;
		if (!item_used(ctx, p) || bounded_by_args(ctx, p))
			continue;
		struct aa_buf why = AA_BUF_INIT;
		bool ext;
		if (p->async_items) {
			aa_buf_adds(&why, "received by 'async for' over '");
			add_shown(ctx, &why, p->iterable, 40);
			aa_buf_adds(&why, "'");
			ext = true;
		} else {
			ext = aa_fanout_external(ctx, st.fn, p->iterable, &why);
		}
		if (!ext) {
			aa_buf_release(&why);
			continue;
		}
		if (!p->is_ref && aa_fanout_net_callee(ctx, p->spawned)) {
			char *head = head_message(ctx, call, form, p, &why);
			char *tail = tail_message(ctx, form, p);
			aa_ctx_report(ctx, rule, call, "%s, each a network or database call: %s", head, tail);
			free(head);
			free(tail);
			aa_buf_release(&why);
			return;
		}
		struct aa_ref ref;
		bool named = p->is_ref ? aa_ctx_ref_fn(ctx, p->spawned, &ref) : aa_ctx_ref(ctx, p->spawned, &ref);
		if (named) {
			aa_fanout_defer(ctx, rule, call, &ref, head_message(ctx, call, form, p, &why),
					tail_message(ctx, form, p));
			aa_buf_release(&why);
			return;
		}
		aa_buf_release(&why);
	}
}
