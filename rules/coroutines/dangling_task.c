/* AA203 dangling-task: the task made by asyncio.create_task / ensure_future /
 * loop.create_task is thrown away; the search AA208 (dangling_handled_task.c) shares. */
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/facts/bindings.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"
#include "rules/coroutines/dangling.h"
#include "rules/shared/suspension.h"
#include "rules/testing/test_syntax.h"
#include "rules/rules.h"

#define KEEP_FIX "background_tasks.add(task); task.add_done_callback(background_tasks.discard)"

const struct aa_target aa_dangling_task_targets[] = {
	{ "asyncio.create_task", 0, KEEP_FIX, NULL },
	{ "asyncio.tasks.create_task", 0, KEEP_FIX, NULL },
	{ "asyncio.ensure_future", 0, KEEP_FIX, NULL },
	{ "asyncio.tasks.ensure_future", 0, KEEP_FIX, NULL },
	{ "asyncio.AbstractEventLoop.create_task", AA_TARGET_METHOD, KEEP_FIX, NULL },
};
_Static_assert(sizeof(aa_dangling_task_targets) / sizeof(aa_dangling_task_targets[0]) == AA_DANGLING_TASK_N_TARGETS,
	       "dangling.h's count");

/* The coroutine expression the task of call runs, through `asyncio.shield(coro)` (the
 * shield's inner task is the one the loop holds weakly; its outer future is no task), or
 * a null node. */
static TSNode task_coroutine(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode coro = aa_node_unparen_at_most(s, aa_call_arg(ctx, call, 0, "coro"), AA_UNPAREN_SOLE, 64);
	if (ts_node_is_null(coro) || ts_node_symbol(coro) != s->call)
		return coro;
	const struct aa_callee *c = aa_ctx_callee(ctx, coro);
	if (c && c->kind == AA_CALLEE_FUNCTION && c->qualname && !strcmp(c->qualname, "asyncio.shield"))
		return aa_node_unparen_at_most(s, aa_call_arg(ctx, coro, 0, "arg"), AA_UNPAREN_SOLE, 64);
	return coro;
}

/* Reports the dropped task of call for rule, or, when its coroutine is a call the project
 * index may resolve (a coroutine function of another module, a method through `self` or
 * an attribute of a known class), defers it to the link (suspension.h), which drops it
 * when every function that call may run suspends only where the loop holds the task, or
 * never (such a task runs to its end in its first step, while the loop still holds it),
 * and gives it to AA208 when they all handle their own exceptions, to AA203 when not. A
 * task whose coroutine cannot be resolved is AA203's. */
static void report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const char *where)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	bool handled_form = rule != &aa_rule_dangling_task;
	const char *callee = aa_ctx_callee_text(ctx, call);
	char *message =
		handled_form
			? aa_xasprintf("the task from %s() is %s: its coroutine handles its own exceptions, but the event "
				       "loop keeps only a weak reference, so the task can be garbage-collected before it "
				       "finishes, and shutdown can neither cancel nor wait for it; keep it (task = %s(...); "
				       "background_tasks.add(task); task.add_done_callback(background_tasks.discard)) or "
				       "use a TaskGroup",
				       callee, where, callee)
			: aa_xasprintf("the task from %s() is %s: the event loop keeps only a weak reference, so the task "
				       "can be garbage-collected before it finishes, and nothing sees its outcome (an "
				       "exception reaches only the log, when the task is freed); keep it (task = %s(...); "
				       "background_tasks.add(task); task.add_done_callback(background_tasks.discard)) or "
				       "use a TaskGroup",
				       callee, where, callee);
	TSNode coro = task_coroutine(ctx, call);
	struct aa_susp_cond cond = { .n_clauses = 1 };
	cond.clauses[0] = (struct aa_susp_clause){ .n_alts = 1 };
	cond.clauses[0].alts[0].arg = AA_SUSP_HELD;
	bool resolvable = !ts_node_is_null(coro) && ts_node_symbol(coro) == s->call &&
			  aa_ctx_ref(ctx, coro, &cond.clauses[0].alts[0].ref);
	/* In code the rule spares or under a noqa that vouches for it, the finding is made
	 * now (it is dropped there, and the noqa records its use), as aa_susp_report_or_defer
	 * does. */
	bool now = !aa_ctx_reports_here(ctx, rule) || aa_ctx_vouched(ctx, rule, call);
	if (resolvable && !now &&
	    aa_susp_defer_task(ctx, rule, call, &cond, handled_form ? AA_SUSP_ONLY_IF_HANDLED : AA_SUSP_UNLESS_HANDLED,
			       message))
		return;
	if (!handled_form || (resolvable && now))
		aa_ctx_report(ctx, rule, call, "%s", message);
	free(message);
}

/* The parent of expr through parentheses, or a null node. */
static TSNode up(struct aa_ctx *ctx, TSNode expr)
{
	return aa_node_parent_unparen(aa_ctx_syms(ctx), NULL, expr, NULL, 0, NULL);
}

/* A task dropped inside an expression (its parent is parent, reached through child):
 * an element of a list, tuple or set display used as a statement, the body of a
 * comprehension used as a statement or of a generator expression never iterated, the
 * condition of a conditional expression or of a comprehension's `if`. How, or NULL. */
static const char *dropped_in_expression(struct aa_ctx *ctx, TSNode parent, TSNode child)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol pk = ts_node_symbol(parent);
	if (pk == s->conditional_expression)
		return ts_node_eq(ts_node_named_child(parent, 1), child)
			       ? "only tested by a conditional expression, then thrown away"
			       : NULL;
	if (pk == s->if_clause)
		return "only tested by a comprehension's 'if', then thrown away";
	bool display = aa_kind_is_display(s, pk);
	bool comprehension = pk == s->list_comprehension || pk == s->set_comprehension || pk == s->generator_expression;
	if (comprehension && !ts_node_eq(ts_node_child_by_field_id(parent, s->f.body), child))
		return NULL;
	if (!display && !comprehension)
		return NULL;
	TSNode stmt = up(ctx, parent);
	if (ts_node_is_null(stmt) || ts_node_symbol(stmt) != s->expression_statement)
		return NULL;
	if (pk == s->generator_expression)
		return "in a generator expression that is never iterated (the call never even runs)";
	return comprehension ? "collected by a comprehension that is thrown away"
			     : "in a list, tuple or set that is thrown away";
}

/* AA203's memo for the file (aa_ctx_file_memo). The reads of each name a task is stored
 * in, per function: one walk of a function's body for every name (aa_bindings_every_read),
 * else one per name; not one per task stored. And whether each coroutine function of the
 * file exposes a task while it waits (exposed_while_suspended): one walk per def. */
struct reads_memo {
	struct aa_map bodies; /* (empty key, ns = a def's start byte) -> BODY_* */
	struct aa_map index;  /* (a name, ns = its def's start byte) -> index into reads */
	struct aa_map alone;  /* the same, for the bodies asked name by name */
	struct aa_name_reads *reads; /* owned, each owning its starts */
	size_t n, cap;
	uint32_t ns; /* the def being walked */
	uint32_t walked; /* its BODY_* so far */
	struct aa_map exposed; /* (empty key, ns = a def's start byte) -> 1 exposed, 0 held */
};

enum {
	BODY_EVERY = 1,     /* walked for every name: index */
	BODY_ALONE = 2,     /* asked name by name: alone */
	BODY_ALL_READ = 4,  /* locals()/vars(): every name is read */
};

static void free_reads_memo(void *p)
{
	struct reads_memo *m = p;
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		aa_bindings_name_reads_release(&m->reads[i]);
	free(m->reads);
	aa_map_release(&m->bodies);
	aa_map_release(&m->index);
	aa_map_release(&m->alone);
	aa_map_release(&m->exposed);
	free(m);
}

static struct reads_memo *memo_of(struct aa_ctx *ctx)
{
	void **slot = aa_ctx_file_memo(ctx, &aa_rule_dangling_task, free_reads_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct reads_memo));
	return *slot;
}

/* name's record in map (made empty when new). */
static struct aa_name_reads *record(struct reads_memo *m, struct aa_map *map, const char *name, uint32_t len,
				   uint32_t ns, bool *added)
{
	struct aa_map_key key = aa_map_key(name, len, ns);
	uint32_t i = *aa_map_put(map, &key, (uint32_t)m->n, added);
	if (*added) {
		AA_GROW(m->reads, m->cap, m->n + 1);
		m->reads[m->n++] = (struct aa_name_reads){ 0 };
	}
	return &m->reads[i];
}

static void add_read(void *ud, const char *name, uint32_t len, bool always, uint32_t start)
{
	struct reads_memo *m = ud;
	if (!name) {
		m->walked |= BODY_ALL_READ;
		return;
	}
	bool added;
	struct aa_name_reads *r = record(m, &m->index, name, len, m->ns, &added);
	if (always) {
		r->always = true;
	} else if (!r->always) {
		AA_GROW(r->starts, r->cap, r->n + 1);
		r->starts[r->n++] = start;
	}
}

static const struct aa_name_reads *name_reads(struct aa_ctx *ctx, TSNode fn_def, const char *name, uint32_t len)
{
	static const struct aa_name_reads none = { 0 }, all = { .always = true };
	struct reads_memo *m = memo_of(ctx);
	uint32_t ns = ts_node_start_byte(fn_def);
	struct aa_map_key bk = aa_map_key(name, 0, ns);
	uint32_t body = aa_map_get(&m->bodies, &bk);
	if (body == AA_MAP_NONE) {
		m->ns = ns;
		m->walked = 0;
		/* Records a failed walk left stay in index, never asked. */
		body = aa_bindings_every_read(aa_ctx_model(ctx), fn_def, add_read, m) ? BODY_EVERY | m->walked
										       : BODY_ALONE;
		aa_map_put(&m->bodies, &bk, body, NULL);
	}
	if (body & BODY_ALL_READ)
		return &all;
	bool added;
	if (body & BODY_EVERY) {
		struct aa_map_key key = aa_map_key(name, len, ns);
		uint32_t i = aa_map_get(&m->index, &key);
		return i == AA_MAP_NONE ? &none : &m->reads[i];
	}
	struct aa_name_reads *r = record(m, &m->alone, name, len, ns, &added);
	if (added)
		aa_bindings_name_reads(aa_ctx_model(ctx), fn_def, name, len, r);
	return r;
}

struct suspend_walk {
	struct aa_ctx *ctx;
	TSNode body;
	bool exposed; /* a suspension point where nothing but the task's owner would hold it */
};

static enum aa_visit suspend_visit(void *ud, TSNode n)
{
	struct suspend_walk *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (!ts_node_eq(n, w->body) && (k == s->function_definition || k == s->lambda || k == s->class_definition))
		return AA_VISIT_SKIP;
	if ((k == s->await && !aa_susp_held_wait(w->ctx, ts_node_named_child(n, 0))) ||
	    ((k == s->for_statement || k == s->with_statement || k == s->for_in_clause) &&
	     aa_node_has_async_keyword(s, n))) {
		w->exposed = true;
		return AA_VISIT_STOP;
	}
	return AA_VISIT_DESCEND;
}

/* Can a task running def (an `async def` of this file) be collected mid-flight: does its
 * body suspend other than where the loop or a worker thread holds it (aa_susp_held_wait),
 * nested defs aside? An await of a project coroutine counts as exposing here; the link
 * follows it (report). A body too large to walk whole answers yes, the form that stays
 * reported. Once per def (memo_of). */
static bool exposed_while_suspended(struct aa_ctx *ctx, TSNode def)
{
	struct reads_memo *m = memo_of(ctx);
	struct aa_map_key key = aa_map_key("", 0, ts_node_start_byte(def));
	uint32_t v = aa_map_get(&m->exposed, &key);
	if (v == AA_MAP_NONE) {
		struct suspend_walk w = { ctx, ts_node_child_by_field_id(def, aa_ctx_syms(ctx)->f.body), false };
		v = ts_node_is_null(w.body) || !aa_subtree_walk(w.body, 1000000, suspend_visit, &w) || w.exposed;
		aa_map_put(&m->exposed, &key, v, NULL);
	}
	return v == 1;
}

/* The task cannot be collected mid-flight: its coroutine is itself a held wait
 * (`create_task(asyncio.to_thread(f))`), or a call of a coroutine function of this file
 * that suspends only at such waits, or never. The link judges the same across modules and
 * transitively (report); this file's own answer stands where the link has none (a file
 * whose name no import can write: `run-bot.py`). */
static bool runs_held(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode coro = task_coroutine(ctx, call);
	if (ts_node_is_null(coro) || ts_node_symbol(coro) != s->call)
		return false;
	if (aa_susp_held_wait(ctx, coro))
		return true;
	struct aa_meaning m = aa_ctx_eval(ctx, ts_node_child_by_field_id(coro, s->f.function));
	return m.kind == AA_MEANING_FUNCTION && !ts_node_is_null(m.node) && aa_node_has_async_keyword(s, m.node) &&
	       !exposed_while_suspended(ctx, m.node);
}

void aa_dangling_task_check(struct aa_ctx *ctx, TSNode call, const struct aa_rule *rule)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	/* Cheap tests first (ts_node_parent is not free): a method call must be named
	 * create_task; a plain name may be an import alias, so it is resolved. */
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn))
		return;
	if (ts_node_symbol(fn) == s->attribute) {
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		if (ts_node_is_null(attr) || !(aa_ctx_text_is(ctx, attr, "create_task") ||
					       aa_ctx_text_is(ctx, attr, "ensure_future")))
			return;
	} else if (ts_node_symbol(fn) != s->identifier) {
		return;
	}
	if (!aa_ctx_match_call(ctx, &aa_rule_dangling_task, call, NULL) || runs_held(ctx, call))
		return;

	TSNode child;
	TSNode parent = aa_ctx_parent_unparen(ctx, call, NULL, 0, &child);
	if (ts_node_is_null(parent))
		return;
	TSSymbol pk = ts_node_symbol(parent);
	const char *dropped = dropped_in_expression(ctx, parent, child);
	if (dropped) {
		if (!aa_test_expects_raise(ctx, parent))
			report(ctx, rule, call, dropped);
		return;
	}
	bool statement = pk == s->expression_statement;
	TSNode target = { 0 };
	if (!statement) {
		/* `name = call` as a statement of its own (not chained, not unpacked). */
		if (pk != s->assignment)
			return;
		TSNode right = ts_node_child_by_field_id(parent, s->f.right);
		if (!ts_node_eq(right, child))
			return;
		TSNode gp = aa_ctx_parent(ctx, parent);
		if (ts_node_is_null(gp) || ts_node_symbol(gp) != s->expression_statement)
			return;
		target = ts_node_child_by_field_id(parent, s->f.left);
		if (ts_node_is_null(target) || ts_node_symbol(target) != s->identifier)
			return;
	}
	if (aa_test_expects_raise(ctx, parent))
		return;
	if (statement) {
		report(ctx, rule, call, "thrown away");
		return;
	}

	uint32_t nlen;
	const char *name = aa_ctx_text(ctx, target, &nlen);
	bool underscore = nlen == 1 && name[0] == '_';
	const struct aa_scope_info *scope = aa_model_scope(aa_ctx_model(ctx), aa_ctx_scope(ctx));
	if (scope->kind == AA_SCOPE_MODULE) {
		/* A module-level name lives as long as the module; only `_` says "discard". */
		if (underscore)
			report(ctx, rule, call, "assigned to '_'");
		return;
	}
	if (scope->kind != AA_SCOPE_FUNCTION)
		return; /* a class attribute keeps it */
	if (aa_bindings_read_after(aa_ctx_model(ctx), scope->node, parent, name_reads(ctx, scope->node, name, nlen)))
		return;
	if (underscore) {
		report(ctx, rule, call, "assigned to '_'");
		return;
	}
	char *where = aa_xasprintf("stored in '%.*s', which is never read again", (int)nlen, name);
	report(ctx, rule, call, where);
	free(where);
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	aa_dangling_task_check(ctx, call, &aa_rule_dangling_task);
}

const char *const aa_dangling_task_equivalents[] = { "RUF006", "ASYNC300", NULL };
const char *const aa_dangling_task_kinds[] = { "call", NULL };
const char *const aa_dangling_task_prefilter[] = { "create_task", "ensure_future", NULL };

const struct aa_rule aa_rule_dangling_task = {
	.code = "AA203",
	.spares_tests = true,
	.name = "dangling-task",
	.family = &aa_family_coroutines,
	.severity = AA_SEVERITY_WARNING,
	/* Readers of real applications acted on 10 to 13 % of its findings (studies 15 and 16,
	 * docs/precision.md): opt-in, as Ruff's RUF006 is outside Ruff's default set. */
	.default_on = false,
	.summary = "The task returned by create_task() or ensure_future() is thrown away and can be "
		   "garbage-collected before it finishes",
	.equivalents = aa_dangling_task_equivalents,
	AA_TARGETS(aa_dangling_task_targets),
	.node_kinds = aa_dangling_task_kinds,
	.check = check,
	.prefilter_words = aa_dangling_task_prefilter,
	.crossfile = &aa_crossfile_suspension,
	.doc = {
		.what = "Finds calls of `asyncio.create_task()`, `asyncio.ensure_future()` and `create_task()` on "
			"an object known to be an event loop whose result is thrown away: the call is an "
			"expression statement, it is assigned to `_`, it is assigned to a local variable that "
			"its function never reads again, or it is dropped inside an expression: an element of a "
			"list, tuple or set display used as a statement (`[create_task(a), create_task(b)]`), the "
			"body of a list or set comprehension used as a statement or of a generator expression never "
			"iterated, or the condition of a conditional expression or of a comprehension's `if`. Sync code is checked too: a sync callback that schedules a "
			"task has the same problem.\n\n"
			"An object is known to be an event loop when it comes from `asyncio.get_running_loop()`, "
			"`asyncio.get_event_loop()`, `asyncio.new_event_loop()` or `asyncio.Runner().get_loop()`, "
			"or is a parameter, variable or attribute annotated `asyncio.AbstractEventLoop` (or "
			"`asyncio.BaseEventLoop`, `uvloop.Loop`, `C | None`, `Optional[C]`).",
		.why = "The event loop keeps only a weak reference to a task. A task that nothing else "
		       "references can be garbage-collected while it waits, before it has finished: the work "
		       "silently stops. And nothing awaits it: the exception it raises is seen by no caller, "
		       "only logged (\"Task exception was never retrieved\") whenever the garbage collector "
		       "frees the task. The first bug depends on when the collector runs, so it shows up under "
		       "load and is hard to reproduce.\n\n"
		       "It is opt-in. Read in context on real applications, most of its findings were not acted "
		       "on (10 % in study 15, 13 % in study 16, six readers, docs/precision.md): a task that "
		       "waits on a timer, a socket, a lock or a queue is held by what it waits on, so the weak "
		       "reference alone seldom loses it; CPython logs the exception of a task freed unretrieved; "
		       "and most dropped tasks do work whose loss costs little (a delayed message deletion, a "
		       "notification, a metric). What readers did act on was a task whose failure leaves a "
		       "broken state nothing notices: a service's only loop that ends on its first error, a "
		       "resubscription after a reconnect. Select it (`--extend-select AA203`) to review every "
		       "dropped task, as a project that keeps all its tasks does.",
		.example = "import asyncio\n\nasync def notify(users, send):\n    for user in users:\n"
			   "        asyncio.create_task(send(user))\n",
		.use_instead = "import asyncio\n\nbackground_tasks = set()\n\nasync def notify(users, send):\n"
			       "    for user in users:\n        task = asyncio.create_task(send(user))\n"
			       "        background_tasks.add(task)\n"
			       "        task.add_done_callback(background_tasks.discard)\n\n\n"
			       "async def notify_all(users, send):\n    async with asyncio.TaskGroup() as tg:\n"
			       "        for user in users:\n            tg.create_task(send(user))\n",
		.anchor = "The `create_task()` / `ensure_future()` call; its start is the start of the callee.",
		.exceptions = "A task running a coroutine that cannot suspend is not a finding: it runs to its "
			      "end in the step the loop gives it, while the loop still holds it. A coroutine "
			      "function cannot suspend when its body has no `await`, `async for` or `async with` "
			      "(nested defs aside), or when it awaits only calls of project coroutine functions "
			      "that cannot suspend, transitively, across modules. The call may name an imported "
			      "function (also one a package re-exports), a method through `self`, or a method of "
			      "an attribute whose project class is known (`self.metadata.playing()` after "
			      "`self.metadata = Metadata(...)` in `__init__`). A method is judged with every "
			      "override in the project's subclasses; an unknown callee, a decorator not known to "
			      "keep the function, a cycle of awaits or a chain deeper than 8 calls counts as "
			      "\"may suspend\", and the finding is kept. Nor is a task that waits only where the "
			      "loop or a worker thread holds it: a project coroutine function (judged as above: "
			      "imported, through `self`, with its overrides, across modules) whose only suspension "
			      "points are awaits of `asyncio.sleep()` (a loop timer, or the ready queue for 0), "
			      "`asyncio.to_thread()` or `loop.run_in_executor()` (the worker's future calls back "
			      "into the task) and `asyncio.wait_for()` with a timeout (its timer), or of project "
			      "coroutines that wait only so, transitively; or a task made of one of those waits "
			      "directly (`create_task(asyncio.to_thread(f))`): each holds the task's wake-up, so it "
			      "cannot vanish, and an exception it ends with is still logged when it is destroyed. "
			      "`asyncio.ensure_future(asyncio.shield(coro))` is judged by `coro`: the shield's inner "
			      "task is the one the loop holds weakly. A task whose coroutine is project code that "
			      "handles its own exceptions (judged as above; its work inside a `try` that catches every "
			      "error and does not raise, in loops or not, with only set-up that calls nothing "
			      "but logging beside it: AA208's page says exactly) is AA208's "
			      "(dangling-handled-task, opt-in): it loses no error, and readers of real applications "
			      "did not act on the weak reference alone. "
			      "The task is kept, and nothing is reported, when the result is assigned to a "
			      "variable that is read later in the function (`task.add_done_callback(...)` and "
			      "`await task` are reads; so is a use in a nested function, and a `global` or "
			      "`nonlocal` declaration of the name), assigned to a module-level variable or a class "
			      "attribute, stored in an attribute (`self.task = ...`), a subscript or a collection "
			      "(`tasks.add(asyncio.create_task(...))`), returned, yielded, awaited, passed as an "
			      "argument, bound with `:=`, or used in a larger expression. A read anywhere inside the "
			      "`for`/`while` loop that contains the assignment counts, since it runs again after it. "
			      "`TaskGroup.create_task()` and `nursery.start_soon()` are owned by their group, and "
			      "`create_task()` on an object not known to be an event loop is never reported. Nor is "
			      "a call inside `with self.assertRaises(...)` or `with pytest.raises(...)`: the test "
			      "expects it to fail, so no task is made. A "
			      "variable reassigned before it is read is still taken as kept (the analysis does not "
			      "follow the order of assignments): a missed alarm, never a false one.",
		.references = "- [asyncio: create_task, \"Save a reference to the result of this function\"](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task)\n"
			      "- [Ruff RUF006 asyncio-dangling-task](https://docs.astral.sh/ruff/rules/asyncio-dangling-task/)\n"
			      "- [flake8-async ASYNC300 create-task-no-reference](https://flake8-async.readthedocs.io/en/latest/rules.html#async300)\n",
	},
};
