/* AA203 dangling-task: the task made by asyncio.create_task / ensure_future /
 * loop.create_task is thrown away. */
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/xalloc.h"
#include "parsers/python/node.h"
#include "rules/testing/test_syntax.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_dangling_task;

#define KEEP_FIX "background_tasks.add(task); task.add_done_callback(background_tasks.discard)"

static const struct aa_target targets[] = {
	{ "asyncio.create_task", 0, KEEP_FIX, NULL },
	{ "asyncio.tasks.create_task", 0, KEEP_FIX, NULL },
	{ "asyncio.ensure_future", 0, KEEP_FIX, NULL },
	{ "asyncio.tasks.ensure_future", 0, KEEP_FIX, NULL },
	{ "asyncio.AbstractEventLoop.create_task", AA_TARGET_METHOD, KEEP_FIX, NULL },
};

/* The read scan gives up (and keeps the task) past this many nodes: a function body
 * that large is not worth an answer that could only be a guess. */
#define MAX_SCAN_NODES 200000u

static bool is_param_name(const struct aa_ctx *ctx, TSNode p, const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(p);
	if (k == s->default_parameter || k == s->typed_default_parameter)
		p = ts_node_child_by_field_id(p, s->f.name);
	else if (k == s->typed_parameter)
		p = ts_node_named_child(p, 0);
	if (ts_node_is_null(p))
		return false;
	k = ts_node_symbol(p);
	if (k == s->list_splat_pattern || k == s->dictionary_splat_pattern)
		p = ts_node_named_child(p, 0);
	return !ts_node_is_null(p) && ts_node_symbol(p) == s->identifier &&
	       aa_node_text_is(aa_ctx_source(ctx)->text, p, name, len);
}

/* A def or lambda whose parameters rebind name: its body sees its own variable. */
static bool params_bind(const struct aa_ctx *ctx, TSNode fn, const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode params = ts_node_child_by_field_id(fn, s->f.parameters);
	if (ts_node_is_null(params))
		return false;
	uint32_t n = ts_node_named_child_count(params);
	for (uint32_t i = 0; i < n; i++)
		if (is_param_name(ctx, ts_node_named_child(params, i), name, len))
			return true;
	return false;
}

/* A comprehension whose `for` targets rebind name. Targets are small patterns. */
static bool comprehension_binds(const struct aa_ctx *ctx, TSNode comp, const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t n = ts_node_named_child_count(comp);
	for (uint32_t i = 0; i < n; i++) {
		TSNode clause = ts_node_named_child(comp, i);
		if (ts_node_symbol(clause) != s->for_in_clause)
			continue;
		TSNode left = ts_node_child_by_field_id(clause, s->f.left);
		if (ts_node_is_null(left))
			continue;
		TSTreeCursor c = ts_tree_cursor_new(left);
		bool found = false;
		unsigned budget = 4096;
		for (;;) {
			TSNode cur = ts_tree_cursor_current_node(&c);
			if (ts_node_symbol(cur) == s->identifier &&
			    aa_node_text_is(aa_ctx_source(ctx)->text, cur, name, len)) {
				found = true;
				break;
			}
			if (!--budget) {
				found = true; /* unsure: say it rebinds, which can only keep the task */
				break;
			}
			if (ts_tree_cursor_goto_first_child(&c))
				continue;
			bool moved = false;
			while (!moved) {
				if (ts_tree_cursor_goto_next_sibling(&c)) {
					moved = true;
				} else if (!ts_tree_cursor_goto_parent(&c)) {
					break;
				}
			}
			if (!moved)
				break;
		}
		ts_tree_cursor_delete(&c);
		if (found)
			return true;
	}
	return false;
}

static bool is_comprehension(const struct aa_syms *s, TSSymbol k)
{
	return k == s->list_comprehension || k == s->set_comprehension || k == s->dictionary_comprehension ||
	       k == s->generator_expression;
}

/* True when an identifier, child of a node of kind parent in field `field`, reads the
 * variable (rather than binding it or naming something else). Unsure cases read. */
static bool identifier_reads(const struct aa_syms *s, TSSymbol parent, TSFieldId field)
{
	if (parent == s->assignment)
		return field != s->f.left;
	if (parent == s->pattern_list || parent == s->tuple_pattern || parent == s->list_pattern ||
	    parent == s->list_splat_pattern || parent == s->dictionary_splat_pattern ||
	    parent == s->as_pattern_target || parent == s->parameters || parent == s->lambda_parameters)
		return false;
	if (parent == s->for_statement || parent == s->for_in_clause)
		return field != s->f.left;
	if (parent == s->attribute)
		return field != s->f.attribute;
	if (parent == s->keyword_argument || parent == s->function_definition || parent == s->class_definition ||
	    parent == s->default_parameter || parent == s->typed_default_parameter || parent == s->named_expression)
		return field != s->f.name;
	if (parent == s->except_clause)
		return field != s->f.alias;
	if (parent == s->typed_parameter)
		return field == s->f.type;
	return true;
}

enum {
	FRAME_NESTED = 1u << 0,      /* inside a nested scope: a read there counts wherever it is */
	FRAME_SKIP_BODY = 1u << 1,   /* a def/lambda rebinding the name: its body is another variable */
	FRAME_COMP_REBIND = 1u << 2, /* a comprehension rebinding it: only its first iterable is ours */
	FRAME_SEEN_FOR = 1u << 3,
};

struct frame {
	TSSymbol sym;
	unsigned flags;
};

struct read_query {
	const char *name;
	uint32_t len;
	uint32_t after;                  /* a read starting here or later is later */
	uint32_t loop_start, loop_end;   /* a read inside the enclosing loop may run later */
};

/* Whether this identifier is a read of the name that can see the assignment. */
static bool counts(const struct aa_ctx *ctx, const struct read_query *q, TSNode id, const struct frame *parent,
		   TSFieldId field)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t len;
	const char *t = aa_ctx_text(ctx, id, &len);
	bool same = len == q->len && !memcmp(t, q->name, len);
	if (same && (parent->sym == s->global_statement || parent->sym == s->nonlocal_statement))
		return true;
	if (!identifier_reads(s, parent->sym, field))
		return false;
	/* locals() / vars() can read every local. */
	if ((len == 6 && !memcmp(t, "locals", 6)) || (len == 4 && !memcmp(t, "vars", 4)))
		return true;
	if (!same)
		return false;
	if (parent->flags & FRAME_NESTED)
		return true;
	uint32_t at = ts_node_start_byte(id);
	return at >= q->after || (at >= q->loop_start && at < q->loop_end);
}

/* Scans body (a function's block) for a read of q->name that may see the value
 * assigned. Explicit stack, bounded; unsure answers are true (the task is kept). */
static bool read_later(const struct aa_ctx *ctx, TSNode body, const struct read_query *q)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	struct frame *stack = NULL;
	size_t depth = 0, cap = 0;
	bool found = false;
	unsigned visited = 0;
	TSTreeCursor c = ts_tree_cursor_new(body);

	AA_GROW(stack, cap, 1);
	stack[depth++] = (struct frame){ ts_node_symbol(body), 0 };
	if (!ts_tree_cursor_goto_first_child(&c))
		goto done;
	for (;;) {
		if (++visited > MAX_SCAN_NODES) {
			found = true;
			goto done;
		}
		TSNode n = ts_tree_cursor_current_node(&c);
		TSSymbol k = ts_node_symbol(n);
		TSFieldId field = ts_tree_cursor_current_field_id(&c);
		struct frame *parent = &stack[depth - 1];
		bool visit = ts_node_is_named(n);
		if (visit && (parent->flags & FRAME_SKIP_BODY) && field == s->f.body)
			visit = false;
		if (visit && (parent->flags & FRAME_COMP_REBIND)) {
			/* Only the first clause's iterable is evaluated outside. */
			visit = k == s->for_in_clause && !(parent->flags & FRAME_SEEN_FOR);
			if (visit)
				parent->flags |= FRAME_SEEN_FOR;
		}
		if (visit && k == s->identifier && counts(ctx, q, n, parent, field)) {
			found = true;
			goto done;
		}
		if (visit && ts_node_child_count(n)) {
			unsigned flags = parent->flags & FRAME_NESTED;
			if (k == s->function_definition || k == s->lambda) {
				flags |= FRAME_NESTED;
				if (params_bind(ctx, n, q->name, q->len))
					flags |= FRAME_SKIP_BODY;
			} else if (k == s->class_definition) {
				flags |= FRAME_NESTED;
			} else if (is_comprehension(s, k)) {
				flags |= FRAME_NESTED;
				if (comprehension_binds(ctx, n, q->name, q->len))
					flags |= FRAME_COMP_REBIND;
			}
			if (ts_tree_cursor_goto_first_child(&c)) {
				AA_GROW(stack, cap, depth + 1);
				stack[depth++] = (struct frame){ k, flags };
				continue;
			}
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth <= 1 || !ts_tree_cursor_goto_parent(&c))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	free(stack);
	return found;
}

/* The outermost for/while loop around node inside the function: code in it may run
 * again after node. */
static void enclosing_loop(const struct aa_syms *s, TSNode node, TSNode fn, uint32_t *start, uint32_t *end)
{
	*start = *end = 0;
	for (TSNode p = ts_node_parent(node); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = ts_node_parent(p)) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->for_statement || k == s->while_statement) {
			*start = ts_node_start_byte(p);
			*end = ts_node_end_byte(p);
		}
	}
}

static void report(struct aa_ctx *ctx, TSNode call, const char *where)
{
	const char *callee = aa_ctx_callee_text(ctx, call);
	aa_ctx_report(ctx, &aa_rule_dangling_task, call,
		      "the task from %s() is %s: the event loop keeps only a weak reference, so the task can "
		      "be garbage-collected mid-flight and its exception lost; keep it (task = %s(...); "
		      "background_tasks.add(task); task.add_done_callback(background_tasks.discard)) or use "
		      "a TaskGroup",
		      callee, where, callee);
}

static void check(struct aa_ctx *ctx, TSNode call)
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
	if (!aa_ctx_match_call(ctx, &aa_rule_dangling_task, call, NULL))
		return;

	TSNode child;
	TSNode parent = aa_node_parent_unparen(s, NULL, call, NULL, 0, &child);
	if (ts_node_is_null(parent))
		return;
	TSSymbol pk = ts_node_symbol(parent);
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
		report(ctx, call, "thrown away");
		return;
	}

	uint32_t nlen;
	const char *name = aa_ctx_text(ctx, target, &nlen);
	bool underscore = nlen == 1 && name[0] == '_';
	const struct aa_scope_info *scope = aa_model_scope(aa_ctx_model(ctx), aa_ctx_scope(ctx));
	if (scope->kind == AA_SCOPE_MODULE) {
		/* A module-level name lives as long as the module; only `_` says "discard". */
		if (underscore)
			report(ctx, call, "assigned to '_'");
		return;
	}
	if (scope->kind != AA_SCOPE_FUNCTION)
		return; /* a class attribute keeps it */
	TSNode body = ts_node_child_by_field_id(scope->node, s->f.body);
	if (ts_node_is_null(body))
		return;
	struct read_query q = { name, nlen, ts_node_end_byte(parent), 0, 0 };
	enclosing_loop(s, parent, scope->node, &q.loop_start, &q.loop_end);
	if (read_later(ctx, body, &q))
		return;
	if (underscore) {
		report(ctx, call, "assigned to '_'");
		return;
	}
	char *where = aa_xasprintf("stored in '%.*s', which is never read again", (int)nlen, name);
	report(ctx, call, where);
	free(where);
}

static const char *const equivalents[] = { "RUF006", "ASYNC300", NULL };
static const char *const kinds[] = { "call", NULL };
static const char *const prefilter[] = { "create_task", "ensure_future", NULL };

const struct aa_rule aa_rule_dangling_task = {
	.code = "AA203",
	.name = "dangling-task",
	.default_on = true,
	.summary = "The task returned by create_task() or ensure_future() is thrown away and can be "
		   "garbage-collected before it finishes",
	.equivalents = equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.prefilter_words = prefilter,
	.doc = {
		.what = "Finds calls of `asyncio.create_task()`, `asyncio.ensure_future()` and `create_task()` on "
			"an object known to be an event loop whose result is thrown away: the call is an "
			"expression statement, it is assigned to `_`, or it is assigned to a local variable that "
			"its function never reads again. Sync code is checked too: a sync callback that schedules a "
			"task has the same problem.\n\n"
			"An object is known to be an event loop when it comes from `asyncio.get_running_loop()`, "
			"`asyncio.get_event_loop()`, `asyncio.new_event_loop()` or `asyncio.Runner().get_loop()`, "
			"or is a parameter, variable or attribute annotated `asyncio.AbstractEventLoop` (or "
			"`asyncio.BaseEventLoop`, `uvloop.Loop`, `C | None`, `Optional[C]`).",
		.why = "The event loop keeps only a weak reference to a task. A task that nothing else "
		       "references can be garbage-collected while it waits, before it has finished: the work "
		       "silently stops, and the exception it raised is never seen. The bug depends on when the "
		       "garbage collector runs, so it shows up under load and is hard to reproduce.",
		.example = "import asyncio\n\nasync def notify(users, send):\n    for user in users:\n"
			   "        asyncio.create_task(send(user))\n",
		.use_instead = "import asyncio\n\nbackground_tasks = set()\n\nasync def notify(users, send):\n"
			       "    for user in users:\n        task = asyncio.create_task(send(user))\n"
			       "        background_tasks.add(task)\n"
			       "        task.add_done_callback(background_tasks.discard)\n\n\n"
			       "async def notify_all(users, send):\n    async with asyncio.TaskGroup() as tg:\n"
			       "        for user in users:\n            tg.create_task(send(user))\n",
		.anchor = "The `create_task()` / `ensure_future()` call; its start is the start of the callee.",
		.exceptions = "The task is kept, and nothing is reported, when the result is assigned to a "
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
