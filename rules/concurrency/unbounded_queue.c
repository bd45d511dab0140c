/* AA305 unbounded-queue (opt-in): an asyncio queue without maxsize that a loop feeds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"

#include "rules/concurrency/concurrency.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_unbounded_queue;

static const struct aa_target targets[] = {
	{ "asyncio.Queue", 0, "asyncio.Queue(maxsize=N)", NULL },
	{ "asyncio.LifoQueue", 0, "asyncio.LifoQueue(maxsize=N)", NULL },
	{ "asyncio.PriorityQueue", 0, "asyncio.PriorityQueue(maxsize=N)", NULL },
	{ "asyncio.queues.Queue", 0, "asyncio.Queue(maxsize=N)", NULL },
	{ "asyncio.queues.LifoQueue", 0, "asyncio.LifoQueue(maxsize=N)", NULL },
	{ "asyncio.queues.PriorityQueue", 0, "asyncio.PriorityQueue(maxsize=N)", NULL },
};

/* Beyond this many nodes a function or class is not scanned (unknown: quiet). */
#define MAX_SCAN_NODES 500000u

struct queue_memo;

struct feed_scan {
	struct aa_ctx *ctx;
	struct queue_memo *memo;
	const char *name; /* "q" for a local, the attribute name for `self.<name>` */
	uint32_t len;
	bool self_attr;   /* the queue is `self.<name>` */
};

/* The puts of an area (a function's or class's body), listed per queue in one walk for
 * every queue made there to ask, and each queue's answer (aa_ctx_file_memo): an area of
 * N queues was N walks, and a loop of N puts N walks of its body. */
struct put_site {
	TSNode call;
	uint32_t next; /* the next put on the same queue (preorder), or AA_MAP_NONE */
};

#define NO_PUT (AA_MAP_NONE - 1) /* an answer: no put in a producer loop */

struct queue_memo {
	struct aa_map areas;      /* (empty key, ns = an area's start byte): walked */
	struct aa_map first[2];   /* (queue name, ns = area start) -> its first put site; by self_attr */
	struct aa_map last[2];    /* the same -> its last put site so far */
	struct aa_map answer[2];  /* the same -> its first put in a producer loop, or NO_PUT */
	struct aa_map takes[2];   /* (queue name, ns = a loop's start byte) -> 1 when its body takes from it */
	struct put_site *sites;   /* owned */
	size_t n_sites, cap_sites;
};

static void free_queue_memo(void *p)
{
	struct queue_memo *m = p;
	if (!m)
		return;
	aa_map_release(&m->areas);
	for (int k = 0; k < 2; k++) {
		aa_map_release(&m->first[k]);
		aa_map_release(&m->last[k]);
		aa_map_release(&m->answer[k]);
		aa_map_release(&m->takes[k]);
	}
	free(m->sites);
	free(m);
}

/* The receiver expression names the queue: `q` or `self.q`. */
static bool names_queue(struct feed_scan *f, TSNode recv)
{
	const struct aa_syms *s = aa_ctx_syms(f->ctx);
	const char *src = aa_ctx_source(f->ctx)->text;
	if (!f->self_attr)
		return ts_node_symbol(recv) == s->identifier && aa_node_text_is(src, recv, f->name, f->len);
	if (ts_node_symbol(recv) != s->attribute)
		return false;
	TSNode obj = ts_node_child_by_field_id(recv, s->f.object);
	TSNode attr = ts_node_child_by_field_id(recv, s->f.attribute);
	if (ts_node_is_null(obj) || ts_node_is_null(attr) || !aa_ctx_text_is(f->ctx, obj, "self"))
		return false;
	return aa_node_text_is(src, attr, f->name, f->len);
}

/* attr's text is one of methods (a NULL-terminated list). */
static bool one_of(const struct aa_ctx *ctx, TSNode attr, const char *const *methods)
{
	for (size_t i = 0; methods[i]; i++)
		if (aa_ctx_text_is(ctx, attr, methods[i]))
			return true;
	return false;
}

/* The call `<queue>.<one of methods>(...)`. */
static bool is_queue_call(struct feed_scan *f, TSNode call, const char *const *methods)
{
	const struct aa_syms *s = aa_ctx_syms(f->ctx);
	if (ts_node_symbol(call) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return false;
	return one_of(f->ctx, ts_node_child_by_field_id(fn, s->f.attribute), methods) &&
	       names_queue(f, ts_node_child_by_field_id(fn, s->f.object));
}

static const char *const put_methods[] = { "put", "put_nowait", NULL };
static const char *const get_methods[] = { "get", "get_nowait", NULL };

struct get_scan {
	struct feed_scan *f;
	bool found;
};

static enum aa_visit visit_get(void *ud, TSNode n)
{
	struct get_scan *g = ud;
	if (is_queue_call(g->f, n, get_methods)) {
		g->found = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* A literal collection or `range(<integer>)`: a fixed number of items. */
static bool is_fixed_iterable(struct aa_ctx *ctx, TSNode iter)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(iter))
		return false;
	TSSymbol k = ts_node_symbol(iter);
	if (k == s->list || k == s->tuple || k == s->set || k == s->string)
		return true;
	if (k != s->call)
		return false;
	const struct aa_callee *c = aa_ctx_callee(ctx, iter);
	if (c->kind != AA_CALLEE_FUNCTION || strcmp(c->qualname, "builtins.range"))
		return false;
	TSNode a = aa_call_arg(ctx, iter, 0, NULL);
	return !ts_node_is_null(a) && ts_node_symbol(a) == s->integer && aa_call_positional_count(ctx, iter) == 1;
}

/* The loop the put runs in, within its function: a `for` or `while` whose body holds it,
 * over more than a fixed set of items, that does not also take from the same queue (a
 * worker re-queueing items is not a producer). */
static bool in_producer_loop(struct feed_scan *f, TSNode put)
{
	const struct aa_syms *s = aa_ctx_syms(f->ctx);
	TSNode child = put;
	for (TSNode p = ts_node_parent(put); !ts_node_is_null(p); child = p, p = ts_node_parent(p)) {
		TSSymbol k = ts_node_symbol(p);
		if (aa_kind_is_definition(s, k, true))
			return false;
		if (k != s->for_statement && k != s->while_statement)
			continue;
		if (!aa_node_field_is(p, s->f.body, child))
			return false;
		if (k == s->for_statement && is_fixed_iterable(f->ctx, ts_node_child_by_field_id(p, s->f.right)))
			return false;
		/* Asked once per loop and queue, whatever number of puts it holds. */
		struct aa_map_key key = aa_map_key(f->name, f->len, ts_node_start_byte(p));
		uint32_t takes = aa_map_get(&f->memo->takes[f->self_attr], &key);
		if (takes == AA_MAP_NONE) {
			struct get_scan g = { f, false };
			takes = !aa_subtree_walk(ts_node_child_by_field_id(p, s->f.body), MAX_SCAN_NODES, visit_get,
						 &g) || g.found;
			aa_map_put(&f->memo->takes[f->self_attr], &key, takes, NULL);
		}
		return !takes;
	}
	return false;
}

struct put_walk {
	struct aa_ctx *ctx;
	struct queue_memo *memo;
	uint32_t ns;
};

static void add_put(struct put_walk *w, TSNode call, TSNode name, bool self_attr)
{
	struct queue_memo *m = w->memo;
	uint32_t len;
	const char *t = aa_ctx_text(w->ctx, name, &len);
	struct aa_map_key key = aa_map_key(t, len, w->ns);
	AA_GROW(m->sites, m->cap_sites, m->n_sites + 1);
	uint32_t at = (uint32_t)m->n_sites++;
	m->sites[at] = (struct put_site){ call, AA_MAP_NONE };
	bool added;
	uint32_t *last = aa_map_put(&m->last[self_attr], &key, at, &added);
	if (added) {
		aa_map_put(&m->first[self_attr], &key, at, NULL);
	} else {
		m->sites[*last].next = at;
		*last = at;
	}
}

/* `q.put(...)`, `self.q.put_nowait(...)`: listed under their queue. */
static enum aa_visit list_put(void *ud, TSNode n)
{
	struct put_walk *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	if (ts_node_symbol(n) != s->call)
		return AA_VISIT_DESCEND;
	TSNode fn = ts_node_child_by_field_id(n, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return AA_VISIT_DESCEND;
	if (!one_of(w->ctx, ts_node_child_by_field_id(fn, s->f.attribute), put_methods))
		return AA_VISIT_DESCEND;
	TSNode recv = ts_node_child_by_field_id(fn, s->f.object);
	if (ts_node_symbol(recv) == s->identifier) {
		add_put(w, n, recv, false);
	} else if (ts_node_symbol(recv) == s->attribute) {
		TSNode obj = ts_node_child_by_field_id(recv, s->f.object);
		TSNode name = ts_node_child_by_field_id(recv, s->f.attribute);
		if (!ts_node_is_null(obj) && !ts_node_is_null(name) && aa_ctx_text_is(w->ctx, obj, "self"))
			add_put(w, n, name, true);
	}
	return AA_VISIT_DESCEND;
}

/* The first put on f's queue in area (preorder, among its first MAX_SCAN_NODES nodes)
 * that runs in a producer loop, or a null node. */
static TSNode producer_put(struct feed_scan *f, TSNode area)
{
	struct queue_memo *m = f->memo;
	uint32_t ns = ts_node_start_byte(area);
	struct aa_map_key ak = aa_map_key(f->name, 0, ns);
	bool added;
	aa_map_put(&m->areas, &ak, 1, &added);
	if (added) {
		struct put_walk w = { f->ctx, m, ns };
		aa_subtree_walk(area, MAX_SCAN_NODES, list_put, &w);
	}
	struct aa_map_key key = aa_map_key(f->name, f->len, ns);
	uint32_t put = aa_map_get(&m->answer[f->self_attr], &key);
	if (put == AA_MAP_NONE) {
		put = NO_PUT;
		for (uint32_t i = aa_map_get(&m->first[f->self_attr], &key); i != AA_MAP_NONE; i = m->sites[i].next)
			if (in_producer_loop(f, m->sites[i].call)) {
				put = i;
				break;
			}
		aa_map_put(&m->answer[f->self_attr], &key, put, NULL);
	}
	return put == NO_PUT ? (TSNode){ 0 } : m->sites[put].call;
}

/* maxsize absent, or the integer literal 0. */
static bool is_unbounded(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	if (!ts_node_is_null(args)) {
		uint32_t n = ts_node_named_child_count(args);
		for (uint32_t i = 0; i < n; i++) {
			TSSymbol k = ts_node_symbol(ts_node_named_child(args, i));
			if (k == s->list_splat || k == s->dictionary_splat)
				return false; /* unknown */
		}
	}
	TSNode m = aa_call_arg(ctx, call, 0, "maxsize");
	if (ts_node_is_null(m))
		return true;
	return ts_node_symbol(m) == s->integer && aa_ctx_text_is(ctx, m, "0");
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const char *q = aa_ctx_function_called(ctx, call);
	if (!q)
		return;
	const struct aa_target *t = aa_rule_match_function(&aa_rule_unbounded_queue, q);
	if (!t || !is_unbounded(ctx, call))
		return;
	const struct aa_model *m = aa_ctx_model(ctx);
	const struct aa_scope_info *scope = aa_model_scope(m, aa_ctx_scope(ctx));
	if (scope->kind != AA_SCOPE_FUNCTION || aa_concurrency_in_test(m, aa_ctx_scope(ctx)))
		return;
	TSNode parent = aa_ctx_parent(ctx, call);
	if (ts_node_is_null(parent) || ts_node_symbol(parent) != s->assignment ||
	    !aa_node_field_is(parent, s->f.right, call))
		return;
	TSNode left = ts_node_child_by_field_id(parent, s->f.left);
	if (ts_node_is_null(left))
		return;
	void **slot = aa_ctx_file_memo(ctx, &aa_rule_unbounded_queue, free_queue_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct queue_memo));
	struct feed_scan f = { ctx, *slot, NULL, 0, false };
	TSNode area; /* where the producer may be */
	if (ts_node_symbol(left) == s->identifier) {
		f.name = aa_ctx_text(ctx, left, &f.len);
		area = ts_node_child_by_field_id(scope->node, s->f.body);
	} else if (ts_node_symbol(left) == s->attribute && scope->class_scope != AA_NO_SCOPE &&
		   aa_ctx_text_is(ctx, ts_node_child_by_field_id(left, s->f.object), "self")) {
		f.self_attr = true;
		f.name = aa_ctx_text(ctx, ts_node_child_by_field_id(left, s->f.attribute), &f.len);
		area = ts_node_child_by_field_id(aa_model_scope(m, scope->class_scope)->node, s->f.body);
	} else {
		return;
	}
	if (ts_node_is_null(area))
		return;
	TSNode put = producer_put(&f, area);
	if (ts_node_is_null(put))
		return;
	uint32_t len;
	const char *recv = aa_ctx_text(ctx, left, &len);
	aa_ctx_report(ctx, &aa_rule_unbounded_queue, call,
		      "%s() has no maxsize and a loop feeds it ('%.*s.%s' at line %u): nothing slows the "
		      "producer down when consumers fall behind, so memory grows without limit; use '%s'",
		      aa_ctx_callee_text(ctx, call), (int)(len > 40 ? 40 : len), recv,
		      aa_ctx_text_is(ctx,
				     ts_node_child_by_field_id(ts_node_child_by_field_id(put, s->f.function),
							       s->f.attribute),
				     "put")
			      ? "put"
			      : "put_nowait",
		      ts_node_start_point(put).row + 1, t->fix);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_unbounded_queue = {
	.code = "AA305",
	.name = "unbounded-queue",
	.family = &aa_family_concurrency,
	.severity = AA_SEVERITY_WARNING,
	.default_on = false,
	.summary = "An asyncio queue without maxsize is fed by a producer loop: no backpressure",
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `asyncio.Queue()` (also `LifoQueue`, `PriorityQueue`) created with no `maxsize` "
			"or `maxsize=0`, bound to a local variable or to `self.<name>` in a method, when a loop "
			"puts items into it: `q.put(...)` / `q.put_nowait(...)` in the body of a `for` or "
			"`while` loop of the same function (for a local) or of any method of the same class "
			"(for `self.<name>`). Opt-in: select it with `--select AA305`.",
		.why = "An unbounded queue never makes `put()` wait. When the producer is faster than the "
		       "consumers (a socket, a directory walk, a database cursor feeding slow workers), the "
		       "queue grows until the process runs out of memory, and latency grows with it. A "
		       "`maxsize` makes `await q.put()` wait for room: backpressure.",
		.example = "import asyncio\n\nasync def crawl(urls, worker):\n    q = asyncio.Queue()\n"
			   "    for url in urls:\n        await q.put(url)\n"
			   "    await asyncio.gather(*(worker(q) for _ in range(10)))\n",
		.use_instead = "import asyncio\n\nasync def crawl(urls, worker):\n    q = asyncio.Queue(maxsize=100)\n"
			       "    workers = [asyncio.create_task(worker(q)) for _ in range(10)]\n"
			       "    for url in urls:\n        await q.put(url)\n    await q.join()\n"
			       "    for w in workers:\n        w.cancel()\n",
		.anchor = "The constructor call; its start is the start of the callee (`asyncio.Queue`).",
		.exceptions = "Not reported: a queue with any `maxsize` other than the literal `0` (an "
			      "expression is trusted); a loop over a literal collection or `range(<integer>)` "
			      "(a fixed number of items); a loop that also takes from the same queue (a worker "
			      "re-queueing items); a put outside any loop; a queue at module or class level, "
			      "stored in a container, or passed to the producer (the producer is not followed "
			      "across calls); test functions. `asyncio.Queue()` is often unbounded on purpose "
			      "(an event bus whose producer is rate-limited elsewhere): the rule is opt-in. "
			      "Suppress a line with `# noqa: AA305`.",
		.equivalents_note = "No flake8-async or Ruff rule covers unbounded queues.",
		.references = "- [asyncio: Queue](https://docs.python.org/3/library/asyncio-queue.html#asyncio.Queue)\n",
	},
};
