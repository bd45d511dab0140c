/* Unit tests of parsers/toml/toml.c: decoding every kind of value, TOML's structural
 * rules and the error positions. Exit 0 = pass (tests/check.h). */
#include "parsers/toml/toml.h"
#include "tests/check.h"

#include <string.h>

/* Parses text and returns the value at dotted path (NULL when missing); *root must be
 * released by the caller. */
static const struct aa_toml_value *get(struct check *t, struct aa_toml_value *root, const char *text, const char *path)
{
	struct aa_toml_error err;
	if (aa_toml_parse(text, strlen(text), root, &err) < 0) {
		check_fail_at(t, __FILE__, __LINE__, "unexpected error %u:%u: %s in:\n%s", err.line, err.col, err.message,
			      text);
		return NULL;
	}
	return aa_toml_path(root, path);
}

#define STR(t, text, path, want) str_at((t), __LINE__, (text), (path), (want), sizeof(want) - 1)
static void str_at(struct check *t, int line, const char *text, const char *path, const char *want, size_t len)
{
	struct aa_toml_value root;
	const struct aa_toml_value *v = get(t, &root, text, path);
	if (!v || v->kind != AA_TOML_STRING || v->len != len || memcmp(v->str, want, len))
		check_fail_at(t, __FILE__, line, "%s: expected string [%s], got %s [%s]", text, want,
			      v ? aa_toml_kind_name(v->kind) : "nothing", v && v->str ? v->str : "");
	else
		check_pass(t);
	aa_toml_release(&root);
}

#define INT(t, text, path, want) int_at((t), __LINE__, (text), (path), (want))
static void int_at(struct check *t, int line, const char *text, const char *path, long long want)
{
	struct aa_toml_value root;
	const struct aa_toml_value *v = get(t, &root, text, path);
	if (!v || v->kind != AA_TOML_INTEGER || v->integer != want)
		check_fail_at(t, __FILE__, line, "%s: expected %lld, got %s %lld", text, want,
			      v ? aa_toml_kind_name(v->kind) : "nothing", v ? v->integer : 0);
	else
		check_pass(t);
	aa_toml_release(&root);
}

/* text must fail at line:col with a message holding want. */
#define BAD(t, text, line, col, want) bad_at((t), __LINE__, (text), (line), (col), (want))
static void bad_at(struct check *t, int at, const char *text, uint32_t line, uint32_t col, const char *want)
{
	struct aa_toml_value root;
	struct aa_toml_error err;
	int rc = aa_toml_parse(text, strlen(text), &root, &err);
	if (rc != -1 || err.line != line || err.col != col || !strstr(err.message, want))
		check_fail_at(t, __FILE__, at, "%s: expected error %u:%u [%s], got rc=%d %u:%u [%s]", text, line, col, want,
			      rc, err.line, err.col, rc ? err.message : "");
	else if (root.n_pairs != 0)
		check_fail_at(t, __FILE__, at, "%s: a failed parse left pairs in the root", text);
	else
		check_pass(t);
	aa_toml_release(&root);
}

int main(void)
{
	struct check t = CHECK_INIT("toml_test");
	/* strings */
	STR(&t, "a = \"x\\ty\\n\\\"q\\\"\\\\\"", "a", "x\ty\n\"q\"\\");
	STR(&t, "a = \"\\u00e9\\U0001F600\"", "a", "\xc3\xa9\xf0\x9f\x98\x80");
	STR(&t, "a = 'C:\\path\\n'", "a", "C:\\path\\n");
	STR(&t, "a = \"\"\"\nline1\nline2\"\"\"", "a", "line1\nline2");
	STR(&t, "a = \"\"\"\r\none\"\"\"", "a", "one");
	STR(&t, "a = \"\"\"one \\\n     two\"\"\"", "a", "one two");
	STR(&t, "a = '''\nraw \\n'''", "a", "raw \\n");
	STR(&t, "a = \"nul\\u0000in\"", "a", "nul\0in");
	/* keys */
	STR(&t, "a.b.c = 'v'", "a.b.c", "v");
	STR(&t, "[tool.\"async-analyzer\"]\nx = 'v'", "tool.async-analyzer.x", "v");
	STR(&t, "[a]\nb.c = 'v'\n[a.d]\ne = 'w'", "a.d.e", "w");
	STR(&t, "[a.b]\nx = 1\n[a]\ny = 'v'", "a.y", "v");
	STR(&t, "x = { y = { z = 'v' } }", "x.y.z", "v");
	/* integers, booleans, arrays */
	INT(&t, "n = 1_000", "n", 1000);
	INT(&t, "n = -17", "n", -17);
	INT(&t, "n = 0xff", "n", 255);
	INT(&t, "n = 0o17", "n", 15);
	INT(&t, "n = 0b101", "n", 5);
	INT(&t, "n = +9223372036854775807", "n", 9223372036854775807LL);
	{
		struct aa_toml_value root;
		const struct aa_toml_value *v = get(&t, &root, "a = [ 'x', # c\n \"y\", ]\nb = true\nc = 1.5e3\nd = 1979-05-27", "a");
		CHECK(&t, v && v->kind == AA_TOML_ARRAY && v->n_items == 2 && !strcmp(v->items[1].str, "y"),
		      "array of two strings with a comment");
		CHECK(&t, v && v->line == 1 && v->col == 5, "array position 1:5, got %u:%u", v ? v->line : 0,
		      v ? v->col : 0);
		const struct aa_toml_value *bv = aa_toml_path(&root, "b");
		CHECK(&t, bv && bv->kind == AA_TOML_BOOLEAN && bv->boolean, "b = true");
		const struct aa_toml_value *cv = aa_toml_path(&root, "c");
		CHECK(&t, cv && cv->kind == AA_TOML_FLOAT && cv->number == 1500.0, "c = 1.5e3");
		const struct aa_toml_value *dv = aa_toml_path(&root, "d");
		CHECK(&t, dv && dv->kind == AA_TOML_DATETIME && !strcmp(dv->str, "1979-05-27"), "d is a date");
		const struct aa_toml_pair *p = aa_toml_find(&root, "b");
		CHECK(&t, p && p->line == 3 && p->col == 1, "key b at 3:1");
		aa_toml_release(&root);
	}
	{
		struct aa_toml_value root;
		const struct aa_toml_value *v = get(&t, &root, "[[srv]]\nn = 'a'\n[[srv]]\nn = 'b'\n[srv.sub]\nk = 'c'", "srv");
		CHECK(&t, v && v->kind == AA_TOML_ARRAY && v->n_items == 2 && aa_toml_path(&v->items[1], "sub.k") &&
				  !aa_toml_path(&v->items[0], "sub"),
		      "[srv.sub] goes into the last [[srv]]");
		aa_toml_release(&root);
	}
	{
		struct aa_toml_value root;
		get(&t, &root, "\"quoted.key\" = 'v'", "x");
		const struct aa_toml_pair *p = aa_toml_find(&root, "quoted.key");
		CHECK(&t, p && p->value.kind == AA_TOML_STRING && !strcmp(p->value.str, "v"), "a quoted key with a dot");
		aa_toml_release(&root);
	}
	{
		/* Columns count code points. */
		struct aa_toml_value root;
		const struct aa_toml_value *v = get(&t, &root, "\"\xc3\xa9\xc3\xa9\" = 'v'\nk = { \"\xc3\xa9\" = 1, x = 2 }", "k.x");
		CHECK(&t, v && v->line == 2 && v->col == 20, "k.x value at 2:20 (code points), got %u:%u", v ? v->line : 0,
		      v ? v->col : 0);
		aa_toml_release(&root);
	}
	/* errors */
	BAD(&t, "a = \n", 1, 1, "syntax error in 'a ='");
	BAD(&t, "a = 1\nb = [1,\n", 2, 1, "syntax error in 'b = [1,'");
	BAD(&t, "x = 1\n[t\ny = 2", 2, 1, "syntax error");
	BAD(&t, "a = 1\na = 2", 2, 1, "defined twice");
	BAD(&t, "[a]\n[a]", 2, 2, "already defined");
	BAD(&t, "a = 1\n[a]", 2, 2, "already defined");
	BAD(&t, "a.b = 1\n[a]", 2, 2, "already defined");
	BAD(&t, "a = {b = 1}\n[a.c]", 2, 2, "already defined");
	BAD(&t, "a = {b = 1}\na.c = 2", 2, 1, "already defined");
	BAD(&t, "[[a]]\n[a]", 2, 2, "array of tables");
	BAD(&t, "a = [1]\n[[a]]", 2, 3, "already defined");
	BAD(&t, "a = \"\\ud800\"", 1, 5, "Unicode scalar");
	BAD(&t, "a = \"\\u12\"", 1, 1, "syntax error");
	BAD(&t, "n = 9223372036854775808", 1, 5, "out of range");
	{
		/* Nesting beyond the bound is an error, not a deep recursion. */
		char deep[400];
		size_t n = 0;
		n += (size_t)snprintf(deep, sizeof deep, "a = ");
		for (int i = 0; i < 100; i++)
			deep[n++] = '[';
		for (int i = 0; i < 100; i++)
			deep[n++] = ']';
		deep[n] = '\0';
		BAD(&t, deep, 1, 5 + AA_TOML_MAX_DEPTH, "nested more than");
	}
	return check_done(&t);
}
