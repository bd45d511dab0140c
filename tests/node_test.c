/* Unit test for parsers/python/node.c: the syntax-node helpers the model, the engine and
 * the rules share. Each case parses a small module with the pinned grammar and asks a
 * helper about the node a byte range or a kind names. Exit 0 = pass (tests/check.h). */
#include "parsers/python/node.h"
#include "parsers/python/syms.h"
#include "tests/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct env {
	struct aa_syms syms;
	TSParser *parser; /* owned */
};

/* One parsed module; text is borrowed and must outlive the tree. */
struct tree {
	const char *text;
	TSTree *tree; /* owned */
};

static struct tree parse(const struct env *env, const char *text)
{
	TSTree *t = ts_parser_parse_string(env->parser, NULL, text, (uint32_t)strlen(text));
	if (!t) {
		fprintf(stderr, "node_test: no tree for:\n%s\n", text);
		exit(2);
	}
	return (struct tree){ text, t };
}

/* The first node of kind in preorder whose text is text (any text when text is NULL),
 * or a null node. */
static TSNode find(const struct tree *t, TSSymbol kind, const char *text)
{
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t->tree));
	TSNode found = { 0 };
	for (bool more = true; more && ts_node_is_null(found);) {
		TSNode n = ts_tree_cursor_current_node(&c);
		if (ts_node_symbol(n) == kind && (!text || aa_node_text_is(t->text, n, text, (uint32_t)strlen(text)))) {
			found = n;
		} else if (!ts_tree_cursor_goto_first_child(&c)) {
			while (!ts_tree_cursor_goto_next_sibling(&c))
				if (!ts_tree_cursor_goto_parent(&c)) {
					more = false;
					break;
				}
		}
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/* The text of the values aa_node_with_items gives for the module's first with
 * statement, each followed by ";". */
static void with_values(const struct env *env, const char *text, enum aa_with_clause how, char *out, size_t cap)
{
	struct tree t = parse(env, text);
	TSNode with = find(&t, env->syms.with_statement, NULL);
	size_t len = 0;
	out[0] = '\0';
	TSNode v;
	for (struct aa_with_items it = aa_node_with_items(&env->syms, with, how); aa_node_with_items_next(&it, &v);) {
		uint32_t l;
		const char *s = aa_node_text(text, v, &l);
		len += (size_t)snprintf(out + len, cap - len, "%.*s;", (int)l, s);
	}
	ts_tree_delete(t.tree);
}

static void test_with_items(struct check *t, const struct env *env)
{
	static const struct {
		const char *text;
		const char *first, *any; /* the values each way finds */
	} cases[] = {
		{ "with a() as b, c:\n    pass\n", "a();c;", "a();c;" },
		{ "async with (\n    a as b,  # why\n    c,\n):\n    pass\n", "a;c;", "a;c;" },
		{ "with a, \\\n     b:\n    pass\n", "a;b;", "a;b;" },
		/* `with \`: the line continuation is the statement's first named child */
		{ "with \\\n    a as b:\n    pass\n", "", "a;" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[256];
		with_values(env, cases[i].text, AA_WITH_CLAUSE_FIRST, got, sizeof(got));
		CHECK_STR(t, "AA_WITH_CLAUSE_FIRST", cases[i].first, got);
		with_values(env, cases[i].text, AA_WITH_CLAUSE_ANY, got, sizeof(got));
		CHECK_STR(t, "AA_WITH_CLAUSE_ANY", cases[i].any, got);
	}
}

/* The first line of each try aa_node_try_around finds, from the call text on out, each
 * followed by ";". */
static void tries(const struct env *env, const struct tree *t, const char *call, bool classes, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	TSNode n = find(t, env->syms.call, call);
	for (TSNode x = aa_node_try_around(&env->syms, NULL, n, classes); !ts_node_is_null(x);
	     x = aa_node_try_around(&env->syms, NULL, x, classes))
		len += (size_t)snprintf(out + len, cap - len, "%u;", ts_node_start_point(x).row + 1);
}

static void test_try_around(struct check *t, const struct env *env)
{
	struct tree tr = parse(env, "try:\n"                 /* 1 */
				    "    def f():\n"
				    "        try:\n"             /* 3 */
				    "            try:\n"         /* 4 */
				    "                inner()\n"
				    "            finally:\n"
				    "                cleanup()\n"
				    "        except E:\n"
				    "            handler()\n"
				    "    class C:\n"
				    "        try:\n"             /* 11 */
				    "            in_class()\n"
				    "        except E:\n"
				    "            pass\n"
				    "except E:\n"
				    "    pass\n");
	static const struct {
		const char *call;
		bool classes;
		const char *want;
	} cases[] = {
		{ "inner()", true, "4;3;" },     /* out to the def, not the module's try */
		{ "cleanup()", true, "3;" },     /* a finally is not the body */
		{ "handler()", true, "" },       /* nor a handler */
		{ "in_class()", true, "11;" },   /* the class stops the climb */
		{ "in_class()", false, "11;1;" } /* unless classes is false */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[64];
		tries(env, &tr, cases[i].call, cases[i].classes, got, sizeof(got));
		CHECK_STR(t, cases[i].call, cases[i].want, got);
	}
	ts_tree_delete(tr.tree);
}

static void test_kinds(struct check *t, const struct env *env)
{
	const struct aa_syms *s = &env->syms;
	CHECK(t, aa_kind_is_comprehension(s, s->list_comprehension), "[x for x in y]");
	CHECK(t, aa_kind_is_comprehension(s, s->set_comprehension), "{x for x in y}");
	CHECK(t, aa_kind_is_comprehension(s, s->dictionary_comprehension), "{k: v for k, v in y}");
	CHECK(t, aa_kind_is_comprehension(s, s->generator_expression), "(x for x in y)");
	CHECK(t, !aa_kind_is_comprehension(s, s->for_in_clause), "a comprehension's clause");
	CHECK(t, !aa_kind_is_comprehension(s, s->lambda), "a lambda");

	CHECK(t, aa_kind_is_definition(s, s->function_definition, false), "def");
	CHECK(t, aa_kind_is_definition(s, s->lambda, false), "lambda");
	CHECK(t, !aa_kind_is_definition(s, s->class_definition, false), "class, classes false");
	CHECK(t, aa_kind_is_definition(s, s->class_definition, true), "class, classes true");
	CHECK(t, !aa_kind_is_definition(s, s->decorated_definition, true), "the decorated_definition around one");
	CHECK(t, !aa_kind_is_definition(s, s->generator_expression, true), "a generator expression");
}

int main(void)
{
	struct check t = CHECK_INIT("node_test");
	struct env env;
	const char *missing;
	if (aa_syms_init(&env.syms, tree_sitter_python(), &missing)) {
		fprintf(stderr, "node_test: the grammar lacks %s\n", missing);
		return 2;
	}
	env.parser = ts_parser_new();
	if (!env.parser || !ts_parser_set_language(env.parser, env.syms.lang)) {
		fprintf(stderr, "node_test: no parser\n");
		return 2;
	}
	test_with_items(&t, &env);
	test_try_around(&t, &env);
	test_kinds(&t, &env);
	ts_parser_delete(env.parser);
	return check_done(&t);
}
