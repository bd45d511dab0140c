#include "analyzer/facts/loop_uses.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/facts/lifecycle.h"
#include "analyzer/facts/summarize.h"
#include "parsers/python/call_args.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"

#include <stdlib.h>
#include <string.h>

/* Callees (by their last name, whatever the receiver: a loop, a task group, a server
 * object) that start work on the caller's loop beside it, or bound it in time: blocking
 * in a function that calls one stalls that work or outlives the deadline. */
static const char *const spawners[] = {
	"gather", "create_task", "ensure_future", "as_completed", "TaskGroup", "Task", "create_task_group",
	"open_nursery", "start_soon", "run_coroutine_threadsafe", "shield", "start_server", "start_unix_server",
	"create_server", "create_unix_server", "call_soon", "call_soon_threadsafe", "call_later", "call_at",
	"add_reader", "add_writer", "timeout", "timeout_at", "move_on_after", "move_on_at", "fail_after", "fail_at",
	"CancelScope", NULL,
};

/* The same when awaited (or entered with `async with`): servers and clients started in
 * the background (`await site.start()`, `await scheduler.spawn(job())`, a connection's
 * keep-alive after `await client.connect()` or `async with websockets.connect(url)`); a
 * thread's `start()` and a sync server's `serve_forever()` start nothing on the loop. */
static const char *const awaited_spawners[] = { "start", "serve", "serve_forever", "spawn", "connect", NULL };

/* Words that say a file schedules work on a loop from sync code: its
 * `loop.run_until_complete(x())` may then run x beside that work. */
static const char *const scheduling_words[] = {
	"create_task", "ensure_future", "call_soon", "call_later", "call_at", "add_reader", "add_writer", NULL,
};

static bool mentions(const struct aa_source *src, const char *word)
{
	return memmem(src->text, src->len, word, strlen(word)) != NULL;
}

void aa_loop_uses_begin(struct aa_summarizer *z)
{
	if (!z->summary)
		return;
	z->summary->nest_asyncio = mentions(z->src, "nest_asyncio");
	z->schedules = false;
	for (const char *const *w = scheduling_words; *w && !z->schedules; w++)
		z->schedules = mentions(z->src, *w);
	z->summary->serves_inline = aa_lifecycle_serves_inline(z->src->text, z->src->len);
	z->alone_possible = aa_summary_nameable(z->summary) || mentions(z->src, "run(") ||
			    mentions(z->src, "run_until_complete(");
}

bool aa_loop_uses_possible(const struct aa_summarizer *z)
{
	return z->summary && z->alone_possible;
}

static void add_use(struct aa_summarizer *z, const char *name, size_t len)
{
	uint32_t h = aa_sum_name_hash(name, len);
	/* A file names the same few things again and again (`self`, a chain's method): a
	 * repeat of a recent one is not kept twice (a 0 hash is just kept). */
	uint32_t *recent = &z->recent_uses[h & 63];
	if (h && *recent == h)
		return;
	*recent = h;
	AA_GROW(z->uses, z->uses_cap, z->n_uses + 1);
	z->uses[z->n_uses++] = h;
}

/* The last name of what call calls (`sleep` of `time.sleep`, `f` of `f`), or NULL (a
 * call of a call's result, of a subscript). */
static const char *callee_last_name(const struct aa_summarizer *z, TSNode call, uint32_t *len)
{
	const struct aa_syms *s = z->syms;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (!ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute)
		fn = ts_node_child_by_field_id(fn, s->f.attribute);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->identifier)
		return NULL;
	return aa_node_text(z->src->text, fn, len);
}

/* The function the current node is in, when it is an async def's own body (not a
 * lambda in it): its index in funcs[], else UINT32_MAX. */
static uint32_t async_function(const struct aa_summarizer *z)
{
	bool in_lambda;
	uint32_t f = aa_summarizer_function(z, &in_lambda);
	return f != UINT32_MAX && !in_lambda && z->summary->funcs[f].is_async ? f : UINT32_MAX;
}

/* The def whose body the current node is in, lambdas in it included (a callback that
 * starts a task is the def's doing): its index in funcs[], or UINT32_MAX. */
static uint32_t def_around(const struct aa_summarizer *z)
{
	bool in_lambda;
	uint32_t f = aa_summarizer_function(z, &in_lambda);
	if (!in_lambda)
		return f;
	const struct aa_model *m = z->model;
	uint32_t sc = aa_model_scope(m, z->scope)->function;
	for (int hops = 0; sc != AA_NO_SCOPE && hops < 4096; hops++) {
		const struct aa_scope_info *info = aa_model_scope(m, sc);
		if (info->kind == AA_SCOPE_FUNCTION)
			return aa_summarizer_scope_function(z, sc);
		sc = info->parent == AA_NO_SCOPE ? AA_NO_SCOPE : aa_model_scope(m, info->parent)->function;
	}
	return UINT32_MAX;
}

/* Is the current node in sync code (module level, a sync def, a lambda outside async
 * defs)? */
static bool in_sync_code(const struct aa_summarizer *z)
{
	bool in_lambda;
	uint32_t f = aa_summarizer_function(z, &in_lambda);
	return f == UINT32_MAX || !z->summary->funcs[f].is_async;
}

static const char *const loop_factories[] = { "new_event_loop", "get_event_loop", NULL };

/* Nodes a scope's walk for its loop runs may visit (beyond it: not a loop of its own). */
#define MAX_LOOP_SCAN_NODES 200000u

struct loop_scan {
	struct aa_summarizer *z;
	TSNode body;
	TSNode loop;      /* the loop's name, or a null node: count the runs only */
	uint32_t runs;    /* run_until_complete calls in the scope */
	bool passed;      /* the loop's name is a call's argument */
};

static enum aa_visit loop_visit(void *ud, TSNode n)
{
	struct loop_scan *w = ud;
	const struct aa_syms *s = w->z->syms;
	TSSymbol k = ts_node_symbol(n);
	if (!ts_node_eq(n, w->body) && (aa_kind_is_definition(s, k, true) || k == s->lambda))
		return AA_VISIT_SKIP; /* another scope */
	if (k != s->call)
		return AA_VISIT_DESCEND;
	uint32_t len;
	const char *last = callee_last_name(w->z, n, &len);
	w->runs += last && len == 18 && !memcmp(last, "run_until_complete", 18);
	TSNode args = ts_node_child_by_field_id(n, s->f.arguments);
	uint32_t na = ts_node_is_null(args) || ts_node_is_null(w->loop) ? 0 : ts_node_named_child_count(args);
	for (uint32_t i = 0; i < na && !w->passed; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (ts_node_symbol(a) == s->keyword_argument)
			a = ts_node_child_by_field_id(a, s->f.value);
		w->passed = !ts_node_is_null(a) && aa_node_same_text(w->z->src->text, a, w->loop);
	}
	return AA_VISIT_DESCEND;
}

/* Is call, `L.run_until_complete(...)`, on a loop of its own: `asyncio.new_event_loop()`
 * itself, or L `asyncio.get_event_loop()` or a local name, run once in its scope (a
 * second run may find a task the first left on it), never handed to a call (which may
 * schedule work on it), with no `with` around call in its function? An object's loop
 * (`client.loop`, `self.loop`) runs what the object started on it, and so may the loop of
 * `with client:` (Telethon's documented form). Each scope is counted once (memo). */
static bool own_loop(struct aa_summarizer *z, TSNode call)
{
	const struct aa_syms *s = z->syms;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	TSNode recv = ts_node_is_null(fn) ? fn : ts_node_child_by_field_id(fn, s->f.object);
	if (ts_node_is_null(recv))
		return false;
	if (ts_node_symbol(recv) == s->call) {
		uint32_t len;
		const char *last = callee_last_name(z, recv, &len);
		if (!last || !aa_text_in(last, len, loop_factories))
			return false;
		if (len == 14 && !memcmp(last, "new_event_loop", 14))
			return true; /* made here: empty */
	} else if (ts_node_symbol(recv) != s->identifier) {
		return false;
	}
	TSNode scope = aa_summarizer_parent(z, call);
	for (; !ts_node_is_null(scope); scope = aa_summarizer_parent(z, scope)) {
		TSSymbol k = ts_node_symbol(scope);
		if (k == s->with_statement || k == s->lambda || k == s->class_definition)
			return false;
		if (k == s->function_definition || k == s->module)
			break;
	}
	if (ts_node_is_null(scope))
		return false;
	TSNode body = ts_node_symbol(scope) == s->module ? scope : ts_node_child_by_field_id(scope, s->f.body);
	if (ts_node_is_null(body))
		return false;
	struct aa_map_key key = aa_map_key("", 0, ts_node_start_byte(body));
	uint32_t runs = aa_map_get(&z->loop_runs, &key);
	if (runs == AA_MAP_NONE) {
		struct loop_scan w = { .z = z, .body = body };
		runs = aa_subtree_walk(body, MAX_LOOP_SCAN_NODES, loop_visit, &w) ? w.runs : 0;
		aa_map_put(&z->loop_runs, &key, runs, NULL);
	}
	if (runs != 1)
		return false;
	if (ts_node_symbol(recv) == s->call)
		return true;
	/* the one run of the scope: is its loop handed on? (once per scope) */
	struct loop_scan w = { .z = z, .body = body, .loop = recv };
	return aa_subtree_walk(body, MAX_LOOP_SCAN_NODES, loop_visit, &w) && !w.passed;
}

/* When call, in sync code, starts a coroutine on a loop of its own: the argument naming
 * it, a call `main()` (asyncio.run, uvloop.run, run_until_complete) or a function
 * (anyio.run, trio.run: *is_fn set); else a null node. run_until_complete counts only
 * in files that schedule nothing else on a loop. */
static TSNode fresh_run_arg(struct aa_summarizer *z, TSNode call, bool *is_fn)
{
	TSNode none = { 0 };
	*is_fn = false;
	uint32_t len;
	const char *last = callee_last_name(z, call, &len);
	if (!last || !((len == 3 && !memcmp(last, "run", 3)) || (len == 18 && !memcmp(last, "run_until_complete", 18))) ||
	    !in_sync_code(z))
		return none; /* the names first: most calls are neither */
	bool by_call;
	if (len == 3 && !memcmp(last, "run", 3)) {
		const struct aa_callee *c = aa_summarizer_callee(z, call);
		if (c->kind != AA_CALLEE_FUNCTION || !c->qualname)
			return none;
		const char *q = c->qualname;
		if (!strcmp(q, "asyncio.run") || !strcmp(q, "asyncio.runners.run") || !strcmp(q, "uvloop.run"))
			by_call = true;
		else if (!strcmp(q, "anyio.run") || !strcmp(q, "trio.run"))
			by_call = false;
		else
			return none;
	} else if (len == 18 && !memcmp(last, "run_until_complete", 18) && !z->schedules && own_loop(z, call)) {
		by_call = true;
	} else {
		return none;
	}
	TSNode arg = aa_call_args_find(z->syms, z->src->text, call, 0, NULL);
	if (ts_node_is_null(arg))
		return none;
	if (by_call && ts_node_symbol(arg) != z->syms->call)
		return none;
	*is_fn = !by_call;
	return arg;
}

/* Is node the argument a fresh run starts? visit_call, which sees the run's call
 * before its arguments (preorder), remembered it. */
static bool is_fresh_run_arg(const struct aa_summarizer *z, TSNode node)
{
	return !ts_node_is_null(z->fresh_arg) && ts_node_eq(z->fresh_arg, node);
}

/* Does arg hand the running loop on: `asyncio.get_running_loop()` itself, or a name
 * whose last part says it is one (`loop`, `self.loop`, `main_loop`)? A thread handed the
 * loop may put work on it (`run_coroutine_threadsafe(coro, loop)`). */
static bool is_loop(struct aa_summarizer *z, TSNode arg)
{
	const struct aa_syms *s = z->syms;
	TSSymbol k = ts_node_symbol(arg);
	uint32_t len = 0;
	const char *name = NULL;
	if (k == s->call) {
		name = callee_last_name(z, arg, &len);
		return name && (aa_text_in(name, len, loop_factories) ||
				(len == 16 && !memcmp(name, "get_running_loop", 16)));
	}
	if (k == s->attribute)
		arg = ts_node_child_by_field_id(arg, s->f.attribute);
	if (ts_node_is_null(arg) || ts_node_symbol(arg) != s->identifier)
		return false;
	name = aa_node_text(z->src->text, arg, &len);
	return len >= 4 && !memcmp(name + len - 4, "loop", 4);
}

/* Does call hand the loop on as an argument (or in a tuple or list argument, as
 * `Thread(target=f, args=(loop,))` does)? */
static bool hands_loop(struct aa_summarizer *z, TSNode call)
{
	const struct aa_syms *s = z->syms;
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	uint32_t n = ts_node_is_null(args) || ts_node_symbol(args) != s->argument_list ? 0 : ts_node_named_child_count(args);
	for (uint32_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (ts_node_symbol(a) == s->keyword_argument)
			a = ts_node_child_by_field_id(a, s->f.value);
		if (ts_node_is_null(a))
			continue;
		if (ts_node_symbol(a) == s->tuple || ts_node_symbol(a) == s->list) {
			uint32_t m = ts_node_named_child_count(a);
			for (uint32_t j = 0; j < m && j < 16; j++)
				if (is_loop(z, ts_node_named_child(a, j)))
					return true;
		} else if (is_loop(z, a)) {
			return true;
		}
	}
	return false;
}

static void visit_call(struct aa_summarizer *z, TSNode call)
{
	const struct aa_syms *s = z->syms;
	struct aa_summary *sum = z->summary;
	uint32_t len;
	const char *last = callee_last_name(z, call, &len);
	TSNode up = aa_summarizer_parent(z, call);
	bool awaited = !ts_node_is_null(up) && ts_node_symbol(up) == s->await;
	/* The names first, the function around the call only for a call that may spawn:
	 * most calls are neither (a long method chain is all calls). */
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	bool named = last && (aa_text_in(last, len, spawners) || (awaited && aa_text_in(last, len, awaited_spawners)));
	bool wait = last && len == 4 && !memcmp(last, "wait", 4);
	if (last && (named || wait || (!ts_node_is_null(args) && ts_node_named_child_count(args)))) {
		uint32_t f = def_around(z);
		if (f != UINT32_MAX && !sum->funcs[f].spawns) {
			sum->funcs[f].spawns = named || (sum->funcs[f].is_async && hands_loop(z, call));
			/* asyncio.wait by its name: `event.wait()` and `proc.wait()` start nothing */
			if (wait) {
				const struct aa_callee *c = aa_summarizer_callee(z, call);
				sum->funcs[f].spawns |= c->kind == AA_CALLEE_FUNCTION && c->qualname &&
							(!strcmp(c->qualname, "asyncio.wait") ||
							 !strcmp(c->qualname, "asyncio.tasks.wait"));
			}
		}
	}
	bool is_fn;
	TSNode arg = fresh_run_arg(z, call, &is_fn);
	struct aa_ref ref;
	if (!ts_node_is_null(arg)) {
		z->fresh_arg = arg;
		if (is_fn ? aa_summarizer_ref_fn(z, arg, &ref) : aa_summarizer_ref(z, arg, &ref)) {
			AA_GROW(sum->fresh_runs, z->caps.fresh_runs, sum->n_fresh_runs + 1);
			sum->fresh_runs[sum->n_fresh_runs++] = ref;
		}
	}
	if (!awaited)
		return; /* the callee's name is looked at as an identifier */
	uint32_t caller = async_function(z);
	if (caller != UINT32_MAX && !sum->funcs[caller].decorated && aa_summarizer_ref(z, call, &ref)) {
		AA_GROW(sum->awaits, z->caps.awaits, sum->n_awaits + 1);
		sum->awaits[sum->n_awaits++] = (struct aa_sum_await){ caller, ref };
	} else if (last) {
		add_use(z, last, len);
	}
}

/* Is the identifier id part of the names the last hook registration registers? The
 * walk is preorder: the registration was visited before the names in it. */
static bool in_hook_names(const struct aa_summarizer *z, TSNode id)
{
	return !ts_node_is_null(z->hook_names) && ts_node_start_byte(id) >= ts_node_start_byte(z->hook_names) &&
	       ts_node_end_byte(id) <= ts_node_end_byte(z->hook_names);
}

/* Is the identifier id a name of the last registering call's own callee, `on_startup`
 * or `append` of `app.on_startup.append(f)`, `post_init` of `builder.post_init(f)`? A
 * hook is often named as the list it joins: that name is no use of it. */
static bool registering_name(const struct aa_summarizer *z, TSNode id)
{
	const struct aa_syms *s = z->syms;
	if (ts_node_is_null(z->hook_call))
		return false;
	TSNode fn = ts_node_child_by_field_id(z->hook_call, s->f.function);
	for (int depth = 0; depth < 2 && !ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute; depth++) {
		if (ts_node_eq(ts_node_child_by_field_id(fn, s->f.attribute), id))
			return true;
		fn = ts_node_child_by_field_id(fn, s->f.object);
	}
	return false;
}

/* An identifier in a place that names nothing used: a def's or class's own name, a
 * parameter, a keyword argument's name, an import, global and nonlocal. */
static bool names_nothing(const struct aa_syms *s, TSNode id, TSNode parent)
{
	TSSymbol k = ts_node_symbol(parent);
	if (k == s->parameters || k == s->lambda_parameters || k == s->typed_parameter ||
	    k == s->list_splat_pattern || k == s->dictionary_splat_pattern || k == s->dotted_name ||
	    k == s->global_statement || k == s->nonlocal_statement || k == s->aliased_import)
		return true;
	if (k == s->function_definition || k == s->class_definition || k == s->keyword_argument ||
	    k == s->default_parameter || k == s->typed_default_parameter)
		return ts_node_eq(ts_node_child_by_field_id(parent, s->f.name), id);
	return false;
}

static void visit_identifier(struct aa_summarizer *z, TSNode id)
{
	const struct aa_syms *s = z->syms;
	TSNode e = id;
	TSNode up = aa_summarizer_parent(z, id);
	if (ts_node_is_null(up))
		return;
	if (ts_node_symbol(up) == s->attribute) {
		if (!ts_node_eq(ts_node_child_by_field_id(up, s->f.attribute), id))
			return; /* a receiver: `self` of self.run, `asyncio` of asyncio.run */
		e = up;
		up = aa_summarizer_parent(z, e);
		if (ts_node_is_null(up))
			return;
	} else if (names_nothing(s, id, up)) {
		return;
	}
	if (ts_node_symbol(up) == s->call && ts_node_eq(ts_node_child_by_field_id(up, s->f.function), e)) {
		TSNode above = aa_summarizer_parent(z, up);
		/* awaited: visit_call recorded it; started on a fresh loop: a root */
		if ((!ts_node_is_null(above) && ts_node_symbol(above) == s->await) || is_fresh_run_arg(z, up))
			return;
	} else if (is_fresh_run_arg(z, e)) {
		return; /* anyio.run(main) */
	}
	if (in_hook_names(z, id) || registering_name(z, id))
		return; /* registered as a hook: a root, not a use */
	uint32_t len;
	const char *name = aa_node_text(z->src->text, id, &len);
	add_use(z, name, len);
}

static void add_hook(struct aa_summarizer *z, TSNode fn)
{
	struct aa_ref ref;
	if (!aa_summarizer_ref_fn(z, fn, &ref))
		return;
	struct aa_summary *sum = z->summary;
	AA_GROW(sum->hooks, z->caps.hooks, sum->n_hooks + 1);
	sum->hooks[sum->n_hooks++] = ref;
}

/* A call or keyword argument that registers start-up or shut-down hooks by name
 * (lifecycle.h): each becomes a root of the alone question, and its name no use. */
static void visit_registration(struct aa_summarizer *z, TSNode node)
{
	const struct aa_syms *s = z->syms;
	TSNode names = aa_lifecycle_registered(s, z->src->text, node);
	if (ts_node_is_null(names))
		return;
	z->hook_names = names;
	if (ts_node_symbol(node) == s->call)
		z->hook_call = node;
	TSSymbol k = ts_node_symbol(names);
	if (k != s->list && k != s->tuple) {
		add_hook(z, names);
		return;
	}
	uint32_t n = ts_node_named_child_count(names);
	for (uint32_t i = 0; i < n; i++)
		add_hook(z, ts_node_named_child(names, i));
}

/* `async with X:` starts what X's __aenter__ starts: a server (`websockets.serve(...)`),
 * a connected client whose handlers and keep-alive then run beside the body (`async with
 * client:`). Only a call of something that starts nothing is known harmless: `async with
 * aiohttp.ClientSession() as s:` keeps the function a candidate. */
static void visit_async_with(struct aa_summarizer *z, TSNode with)
{
	const struct aa_syms *s = z->syms;
	uint32_t f = def_around(z);
	if (f == UINT32_MAX || !aa_node_has_async_keyword(s, with))
		return;
	TSNode value;
	for (struct aa_with_items it = aa_node_with_items(s, with, AA_WITH_CLAUSE_ANY); aa_node_with_items_next(&it, &value);) {
		uint32_t len;
		const char *last = ts_node_symbol(value) == s->call ? callee_last_name(z, value, &len) : NULL;
		if (ts_node_symbol(value) != s->call || !last || aa_text_in(last, len, spawners) ||
		    aa_text_in(last, len, awaited_spawners))
			z->summary->funcs[f].spawns = true;
	}
}

/* `from m import f as g`: every use is g's, so the import itself is a use of f. */
static void visit_aliased_import(struct aa_summarizer *z, TSNode alias)
{
	TSNode name = ts_node_child_by_field_id(alias, z->syms->f.name);
	uint32_t n = ts_node_is_null(name) ? 0 : ts_node_named_child_count(name);
	TSNode last = n ? ts_node_named_child(name, n - 1) : name;
	if (ts_node_is_null(last) || ts_node_symbol(last) != z->syms->identifier)
		return;
	uint32_t len;
	const char *text = aa_node_text(z->src->text, last, &len);
	add_use(z, text, len);
}

void aa_loop_uses_node(struct aa_summarizer *z, TSNode node)
{
	if (!z->summary)
		return;
	TSSymbol k = ts_node_symbol(node);
	if (k == z->syms->call || k == z->syms->keyword_argument)
		visit_registration(z, node);
	if (k == z->syms->call)
		visit_call(z, node);
	else if (k == z->syms->identifier)
		visit_identifier(z, node);
	else if (k == z->syms->with_statement)
		visit_async_with(z, node);
	else if (k == z->syms->aliased_import)
		visit_aliased_import(z, node);
}

/* Does the file import a project module (an export whose target is project code)? */
static bool imports_project(const struct aa_summarizer *z)
{
	const struct aa_summary *sum = z->summary;
	for (size_t i = 0; i < sum->n_exports; i++)
		if (aa_summarizer_project_name(z, sum->exports[i].target))
			return true;
	return false;
}

static bool has_hook(const struct aa_summary *sum)
{
	for (size_t i = 0; i < sum->n_funcs; i++)
		if (sum->funcs[i].hook)
			return true;
	return false;
}

void aa_loop_uses_finish(struct aa_summarizer *z)
{
	struct aa_summary *sum = z->summary;
	if (!sum)
		return;
	size_t kept = 0;
	for (size_t i = 0; i < sum->n_awaits; i++) {
		struct aa_sum_await *a = &sum->awaits[i];
		if (sum->funcs[a->caller].spawns) {
			AA_GROW(z->uses, z->uses_cap, z->n_uses + 1);
			z->uses[z->n_uses++] = aa_sum_ref_hash(&a->ref);
		} else {
			sum->awaits[kept++] = *a;
		}
	}
	sum->n_awaits = (uint32_t)kept;
	/* A test's `asyncio.run(handler())` says nothing of how the program runs the handler,
	 * nor its uses of how the program does: none of it counts (example code and
	 * scripts are programs: theirs do). */
	if (z->tests) {
		sum->n_fresh_runs = 0;
		sum->n_hooks = 0;
		sum->n_awaits = 0;
		z->n_uses = 0;
	} else if (!aa_summary_nameable(sum) && !sum->n_fresh_runs && !sum->n_hooks && !has_hook(sum) &&
		   !imports_project(z)) {
		sum->n_awaits = 0;
		z->n_uses = 0;
	}
	if (z->n_uses)
		qsort(z->uses, z->n_uses, sizeof(*z->uses), aa_sum_cmp_hash);
	size_t n = 0;
	for (size_t i = 0; i < z->n_uses; i++)
		if (!n || z->uses[n - 1] != z->uses[i])
			z->uses[n++] = z->uses[i];
	free(sum->uses);
	sum->uses = n ? aa_xmalloc(n * sizeof(*sum->uses)) : NULL;
	if (n)
		memcpy(sum->uses, z->uses, n * sizeof(*sum->uses));
	sum->n_uses = (uint32_t)n;
	z->n_uses = 0;
	AA_TRIM(sum->awaits, z->caps.awaits, sum->n_awaits);
	AA_TRIM(sum->fresh_runs, z->caps.fresh_runs, sum->n_fresh_runs);
	AA_TRIM(sum->hooks, z->caps.hooks, sum->n_hooks);
}
