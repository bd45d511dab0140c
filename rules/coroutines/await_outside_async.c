/*
 * AA206 await-outside-async: await, `async for`, `async with` and async comprehensions
 * where CPython rejects them with a SyntaxError. tree-sitter parses them anywhere, so
 * this is not an AA001; the message names the function to make async.
 */
#include "parsers/python/async_syntax.h"
#include "parsers/python/parse.h"
#include "rules/rules.h"

#include <stdbool.h>

extern const struct aa_rule aa_rule_await_outside_async;

/* Is node inside the first iterable of genexp? That part is evaluated where the
 * generator expression is written; the rest runs inside it, and an await there makes
 * it an asynchronous generator expression, allowed anywhere. The first clause's
 * iterables run from its first `right` field to its end. */
static bool in_first_iterable(const struct aa_syms *s, TSNode genexp, TSNode node)
{
	TSTreeCursor cur = ts_tree_cursor_new(genexp);
	bool inside = false;
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (ts_node_symbol(c) != s->for_in_clause)
				continue;
			TSNode right = ts_node_child_by_field_id(c, s->f.right);
			inside = !ts_node_is_null(right) && ts_node_start_byte(node) >= ts_node_start_byte(right) &&
				 ts_node_end_byte(node) <= ts_node_end_byte(c);
			break;
		} while (ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	return inside;
}

/* Is the indentation around child, a node of block, one Python refuses, which the
 * pinned grammar reads without an error: a block on its own lines not indented past its
 * header (`async def run(self):` then `pass` at the def's column), or a statement not
 * at the column of its block's first one (the lines after that `pass`, deeper than the
 * class body they were read into)? */
static bool misaligned(const struct aa_syms *s, TSNode block, TSNode child)
{
	if (ts_node_symbol(block) != s->block || !ts_node_named_child_count(block))
		return false;
	TSNode first = ts_node_named_child(block, 0);
	TSNode header = ts_node_parent(block);
	TSPoint f = ts_node_start_point(first), c = ts_node_start_point(child);
	if (ts_node_is_null(header) || f.row == ts_node_start_point(header).row)
		return false; /* `if x: await y`: the block is on its header's line */
	if (f.column <= ts_node_start_point(header).column)
		return true;
	/* `y = 2; z = await f()`: a statement after another on its line has its own column */
	TSNode prev = ts_node_prev_named_sibling(child);
	if (!ts_node_is_null(prev) && ts_node_end_point(prev).row == c.row)
		return false;
	return c.row != f.row && c.column != f.column;
}

/* Is node where tree-sitter's error recovery put the rest of an indented body whose
 * header it lost after a syntax error (AA001 reports that)? Two shapes: inside an ERROR
 * node (in a reparsed segment, parsers/python/parse.h, one that starts before the
 * segment is entered for the nodes that start in it), or in a module-level statement
 * whose line is indented, which valid Python never has. The node's real scope is
 * unknown there, often an `async def`: unsure means quiet. */
static bool recovered_debris(const struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	const struct aa_source *src = aa_ctx_source(ctx);
	TSNode stmt = node;
	for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p)) {
		if (aa_node_is_broken(p) || misaligned(s, p, stmt))
			return true;
		if (ts_node_symbol(p) == s->module)
			break;
		stmt = p;
	}
	uint32_t row = ts_node_start_point(stmt).row;
	if (row >= src->n_lines)
		return false;
	/* a form feed at a line's start is no indentation (Python resets the count there) */
	char first = src->text[src->line_starts[row]];
	return first == ' ' || first == '\t';
}

static void check(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	enum aa_async_syntax kind = aa_async_syntax_of(s, node);
	if (kind == AA_ASYNC_SYNTAX_NONE)
		return;
	const struct aa_rule *r = &aa_rule_await_outside_async;
	const char *what = aa_async_syntax_name(kind);
	struct aa_model *m = aa_ctx_model(ctx);
	/* Python's rule: the innermost function-like scope decides. List, set and dict
	 * comprehensions belong to the scope around them (Python >= 3.11 accepts async ones
	 * nested in an async def); a generator expression is its own async-capable scope. */
	uint32_t id = aa_ctx_scope(ctx);
	while (id != AA_NO_SCOPE) {
		const struct aa_scope_info *sc = aa_model_scope(m, id);
		const char *name = sc->name ? sc->name : "?";
		int name_len = sc->name ? (int)sc->name_len : 1;
		switch (sc->kind) {
		case AA_SCOPE_FUNCTION:
			if (!sc->is_async && !recovered_debris(ctx, node))
				aa_ctx_report(ctx, r, node,
					      "%s outside async function: '%.*s' is a plain def (SyntaxError); "
					      "make it 'async def %.*s'",
					      what, name_len, name, name_len, name);
			return;
		case AA_SCOPE_LAMBDA:
			aa_ctx_report(ctx, r, node,
				      "%s inside a lambda, which cannot be async (SyntaxError); use a nested "
				      "'async def'",
				      what);
			return;
		case AA_SCOPE_CLASS:
			if (recovered_debris(ctx, node))
				return;
			aa_ctx_report(ctx, r, node,
				      "%s in the body of class '%.*s', which is not an async function even inside "
				      "one (SyntaxError); move it into an 'async def'",
				      what, name_len, name);
			return;
		case AA_SCOPE_MODULE:
			if (recovered_debris(ctx, node))
				return;
			aa_ctx_report(ctx, r, node,
				      "%s at module level, outside any async function (SyntaxError); move it into "
				      "an 'async def' and run that with asyncio.run()",
				      what);
			return;
		case AA_SCOPE_COMPREHENSION:
			if (ts_node_symbol(sc->node) == s->generator_expression && !in_first_iterable(s, sc->node, node))
				return;
			id = sc->parent;
			break;
		}
	}
}

static const char *const equivalents[] = { "PLE1142", "F704", NULL };
static const char *const kinds[] = { "await", "for_statement", "with_statement", "for_in_clause", NULL };
/* `async for` / `async with` outside any `async def` make a file worth parsing; files
 * with `await` or `async def` are parsed anyway. Plain substrings: a tab or a line
 * break between the words is not seen (such a file without `await` or `async def` is
 * then not parsed, a missed alarm). */
static const char *const prefilter[] = { "async with", "async for", NULL };

const struct aa_rule aa_rule_await_outside_async = {
	.code = "AA206",
	.name = "await-outside-async",
	.family = &aa_family_coroutines,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "await, async for or async with is used outside an async function",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.prefilter_words = prefilter,
	.doc = {
		.what = "Finds `await`, `async for`, `async with` and `async for` comprehensions where Python "
			"does not allow them: at module level, in a class body, in a plain `def`, in a "
			"`lambda`, and in a list, set or dict comprehension in any of those. The analyzer's "
			"parser accepts them anywhere, so this is not reported as AA001 syntax-error.",
		.why = "CPython rejects the whole module with a `SyntaxError` (`'await' outside async "
		       "function`, `asynchronous comprehension outside of an asynchronous function`): nothing "
		       "in the file runs. The usual cause is a function that became async in a refactor "
		       "without its `def` changing, or a callback written as a `lambda`. The message names the "
		       "function to declare `async def`.",
		.example = "import asyncio\n\ndef refresh(cache):\n    await asyncio.sleep(1)\n"
			   "    return [item async for item in cache.items()]\n",
		.use_instead = "import asyncio\n\nasync def refresh(cache):\n    await asyncio.sleep(1)\n"
			       "    return [item async for item in cache.items()]\n",
		.anchor = "The `await` expression, the `async for` / `async with` statement (its start is the "
			  "`async` keyword), or the `async for` clause of a comprehension.",
		.exceptions = "These are allowed and not reported: anything in an `async def` body, including "
			      "comprehensions there (nested ones too, as Python 3.11 accepts them); the decorators "
			      "and default values of a nested `def` or `lambda` inside an `async def` (they run in "
			      "the enclosing function); and a generator expression anywhere, which "
			      "becomes an asynchronous generator expression when it contains `await` or `async for` "
			      "(except in its first iterable, which runs where the expression is written). "
			      "Top-level `await` is valid in IPython/Jupyter and in code compiled with "
			      "`ast.PyCF_ALLOW_TOP_LEVEL_AWAIT`; suppress the finding in such scripts. Where the "
			      "code around the `await` is not what Python would read, its real function is unknown "
			      "and nothing is reported: inside a region the parser's error recovery made of a syntax "
			      "error (AA001), in an indented line it took for module level (a code-generation "
			      "template saved as `.py`), and under indentation Python refuses but the pinned grammar "
			      "reads without an error (a block not indented past its header, a statement off its "
			      "block's column: a stray `pass` after `async def m(self):` moves the method's body "
			      "into its class).",
		.equivalents_note = "Pylint reports an `await` in a plain function as E1142 await-outside-async "
				    "(suppressed with `# pylint: disable=await-outside-async`, not a noqa "
				    "comment). Ruff reports "
				    "it in functions as PLE1142 and at module or class level as F704 (which also "
				    "covers `yield` outside a function, not an AA206 finding).",
		.references = "- [PEP 492: await expression](https://peps.python.org/pep-0492/#await-expression)\n"
			      "- [PEP 530: asynchronous comprehensions](https://peps.python.org/pep-0530/)\n",
	},
};
