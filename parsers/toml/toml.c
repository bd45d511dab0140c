#include "parsers/toml/toml.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_toml(void);

/* How a table came to be: TOML lets a table named only on the way to another header
 * ([a.b] makes a) be defined later by its own header, but no table twice, and never a
 * table made by dotted keys or written inline be reopened by a header. */
enum origin { ORIGIN_IMPLICIT, ORIGIN_HEADER, ORIGIN_DOTTED, ORIGIN_INLINE, ORIGIN_ROOT };

struct builder {
	const char *text;
	struct aa_toml_error *err;
	bool failed;
};

struct part {
	char *name; /* owned */
	size_t len;
	uint32_t line, col;
};

static void position(const struct builder *b, TSNode n, uint32_t *line, uint32_t *col)
{
	TSPoint p = ts_node_start_point(n);
	uint32_t start = ts_node_start_byte(n);
	const char *ls = b->text + start - p.column;
	uint32_t cps = 0;
	for (uint32_t i = 0; i < p.column; i++)
		cps += ((unsigned char)ls[i] & 0xC0) != 0x80;
	*line = p.row + 1;
	*col = cps + 1;
}

/* Records the first error only: later ones are consequences. */
static int fail(struct builder *b, TSNode at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct builder *b, TSNode at, const char *fmt, ...)
{
	if (b->failed)
		return -1;
	b->failed = true;
	position(b, at, &b->err->line, &b->err->col);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->err->message, sizeof b->err->message, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_kind(TSNode n, const char *kind)
{
	return !strcmp(ts_node_type(n), kind);
}

/* The i-th named child that is not a comment (comments are extras: anywhere). */
static TSNode nth_child(TSNode n, uint32_t want)
{
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (is_kind(c, "comment"))
			continue;
		if (want-- == 0)
			return c;
	}
	return (TSNode){ 0 };
}

/* --- strings ----------------------------------------------------------------------- */

static void add_utf8(struct aa_buf *o, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	aa_buf_add(o, u, n);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the string (or quoted_key) node s into *out and *len (owned, NUL-terminated). */
static int decode_string(struct builder *b, TSNode s, char **out, size_t *len)
{
	const char *t = b->text + ts_node_start_byte(s);
	size_t n = ts_node_end_byte(s) - ts_node_start_byte(s);
	bool basic = n && t[0] == '"';
	size_t q = (n >= 6 && (!memcmp(t, "\"\"\"", 3) || !memcmp(t, "'''", 3))) ? 3 : 1;
	if (n < 2 * q)
		return fail(b, s, "unterminated string");
	const char *p = t + q, *end = t + n - q;
	/* A multi-line string's newline right after the opening quotes is not part of it. */
	if (q == 3 && p < end && *p == '\n')
		p++;
	else if (q == 3 && end - p >= 2 && p[0] == '\r' && p[1] == '\n')
		p += 2;
	struct aa_buf o = AA_BUF_INIT;
	while (p < end) {
		if (!basic || *p != '\\') {
			aa_buf_addc(&o, *p++);
			continue;
		}
		const char *esc = p++;
		char c = p < end ? *p++ : '\0';
		uint32_t digits = 0;
		switch (c) {
		case 'b': aa_buf_addc(&o, '\b'); break;
		case 't': aa_buf_addc(&o, '\t'); break;
		case 'n': aa_buf_addc(&o, '\n'); break;
		case 'f': aa_buf_addc(&o, '\f'); break;
		case 'r': aa_buf_addc(&o, '\r'); break;
		case '"': aa_buf_addc(&o, '"'); break;
		case '\\': aa_buf_addc(&o, '\\'); break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		default: {
			/* A line-ending backslash (multi-line only): drops the whitespace and
			 * newlines up to the next other character. */
			const char *w = esc + 1;
			while (w < end && (*w == ' ' || *w == '\t'))
				w++;
			if (q == 3 && w < end && (*w == '\n' || (*w == '\r' && w + 1 < end && w[1] == '\n'))) {
				while (w < end && (*w == ' ' || *w == '\t' || *w == '\n' || *w == '\r'))
					w++;
				p = w;
				break;
			}
			aa_buf_release(&o);
			return fail(b, s, "invalid escape sequence '\\%c' in a string", c ? c : ' ');
		}
		}
		if (!digits)
			continue;
		uint32_t cp = 0;
		for (uint32_t i = 0; i < digits; i++) {
			int d = p < end ? hex_digit(*p) : -1;
			if (d < 0) {
				aa_buf_release(&o);
				return fail(b, s, "invalid \\%c escape: expected %u hexadecimal digits", c, digits);
			}
			cp = cp << 4 | (uint32_t)d;
			p++;
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			aa_buf_release(&o);
			return fail(b, s, "escape \\%c%.*s is not a Unicode scalar value", c, (int)digits, p - digits);
		}
		add_utf8(&o, cp);
	}
	*len = o.len;
	*out = aa_buf_detach(&o);
	return 0;
}

/* --- keys -------------------------------------------------------------------------- */

static void free_parts(struct part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i].name);
	free(parts);
}

static int add_part(struct builder *b, TSNode k, struct part **parts, size_t *n, size_t *cap)
{
	AA_GROW(*parts, *cap, *n + 1);
	struct part *p = &(*parts)[*n];
	position(b, k, &p->line, &p->col);
	if (is_kind(k, "quoted_key")) {
		if (decode_string(b, k, &p->name, &p->len) < 0)
			return -1;
	} else {
		uint32_t s = ts_node_start_byte(k), e = ts_node_end_byte(k);
		p->len = e - s;
		p->name = aa_xstrndup(b->text + s, p->len);
	}
	(*n)++;
	return 0;
}

/* The components of a key node (bare_key, quoted_key or dotted_key, which nests on its
 * first child: `a.b.c` is ((a.b).c), as deep as it has dots: walked with a stack). */
static int key_parts(struct builder *b, TSNode key, struct part **parts, size_t *n)
{
	*parts = NULL;
	*n = 0;
	size_t cap = 0, n_tail = 0, tail_cap = 0;
	TSNode *tail = NULL;
	while (is_kind(key, "dotted_key")) {
		TSNode first = nth_child(key, 0), second = nth_child(key, 1);
		if (ts_node_is_null(first) || ts_node_is_null(second)) {
			free(tail);
			return fail(b, key, "malformed dotted key");
		}
		AA_GROW(tail, tail_cap, n_tail + 1);
		tail[n_tail++] = second;
		key = first;
	}
	int rc = add_part(b, key, parts, n, &cap);
	while (rc == 0 && n_tail)
		rc = add_part(b, tail[--n_tail], parts, n, &cap);
	free(tail);
	if (rc == 0 && *n > AA_TOML_MAX_DEPTH)
		rc = fail(b, key, "a key of more than %d components", AA_TOML_MAX_DEPTH);
	if (rc < 0) {
		free_parts(*parts, *n);
		*parts = NULL;
		*n = 0;
	}
	return rc;
}

/* --- tables ------------------------------------------------------------------------ */

static struct aa_toml_pair *find_pair(struct aa_toml_value *t, const struct part *p)
{
	for (size_t i = 0; i < t->n_pairs; i++)
		if (strlen(t->pairs[i].key) == p->len && !memcmp(t->pairs[i].key, p->name, p->len))
			return &t->pairs[i];
	return NULL;
}

/* Appends a pair named p (whose name it takes over) to t; its value is an empty table. */
static struct aa_toml_value *new_pair(struct aa_toml_value *t, struct part *p)
{
	AA_GROW(t->pairs, t->pairs_cap, t->n_pairs + 1);
	struct aa_toml_pair *pair = &t->pairs[t->n_pairs++];
	memset(pair, 0, sizeof *pair);
	pair->key = p->name;
	p->name = NULL;
	pair->line = p->line;
	pair->col = p->col;
	pair->value.kind = AA_TOML_TABLE;
	pair->value.line = p->line;
	pair->value.col = p->col;
	return &pair->value;
}

static struct aa_toml_value *append_table(struct aa_toml_value *array, const struct part *p)
{
	AA_GROW(array->items, array->items_cap, array->n_items + 1);
	struct aa_toml_value *t = &array->items[array->n_items++];
	memset(t, 0, sizeof *t);
	t->kind = AA_TOML_TABLE;
	t->origin = ORIGIN_HEADER;
	t->line = p->line;
	t->col = p->col;
	return t;
}

/* Walks parts[0..n) from the root for a [header] (array: a [[header]]): returns the
 * table its pairs go into, or NULL after an error. */
static struct aa_toml_value *open_header(struct builder *b, TSNode at, struct aa_toml_value *root, struct part *parts,
					 size_t n, bool array)
{
	struct aa_toml_value *t = root;
	for (size_t i = 0; i < n; i++) {
		bool last = i + 1 == n;
		struct aa_toml_pair *pair = find_pair(t, &parts[i]);
		if (!pair) {
			if (last && array) {
				struct aa_toml_value *a = new_pair(t, &parts[i]);
				a->kind = AA_TOML_ARRAY;
				a->of_tables = true;
				return append_table(a, &parts[i]);
			}
			t = new_pair(t, &parts[i]);
			t->origin = last ? ORIGIN_HEADER : ORIGIN_IMPLICIT;
			continue;
		}
		struct aa_toml_value *v = &pair->value;
		if (v->kind == AA_TOML_ARRAY && v->of_tables) {
			if (last && array)
				return append_table(v, &parts[i]);
			if (last) {
				fail(b, at, "table '%s' is already an array of tables", pair->key);
				return NULL;
			}
			t = &v->items[v->n_items - 1];
			continue;
		}
		if (v->kind != AA_TOML_TABLE || (last && array)) {
			fail(b, at, "key '%s' is already defined (line %u)", pair->key, pair->line);
			return NULL;
		}
		if (v->origin == ORIGIN_INLINE || (last && v->origin != ORIGIN_IMPLICIT)) {
			fail(b, at, "table '%s' is already defined (line %u)", pair->key, pair->line);
			return NULL;
		}
		if (last)
			v->origin = ORIGIN_HEADER;
		t = v;
	}
	return t;
}

static int build_value(struct builder *b, TSNode node, struct aa_toml_value *out, unsigned depth);

/* Adds a `key = value` pair node to table t (at depth). */
static int add_pair(struct builder *b, struct aa_toml_value *t, TSNode pair, unsigned depth)
{
	TSNode key = nth_child(pair, 0), val = nth_child(pair, 1);
	if (ts_node_is_null(key) || ts_node_is_null(val))
		return fail(b, pair, "malformed key/value pair");
	struct part *parts;
	size_t n;
	if (key_parts(b, key, &parts, &n) < 0)
		return -1;
	int rc = 0;
	if (depth + n > AA_TOML_MAX_DEPTH)
		rc = fail(b, key, "nested more than %d levels deep", AA_TOML_MAX_DEPTH);
	for (size_t i = 0; rc == 0 && i + 1 < n; i++) {
		struct aa_toml_pair *p = find_pair(t, &parts[i]);
		if (!p) {
			t = new_pair(t, &parts[i]);
			t->origin = ORIGIN_DOTTED;
		} else if (p->value.kind == AA_TOML_TABLE && p->value.origin == ORIGIN_DOTTED) {
			t = &p->value;
		} else {
			rc = fail(b, key, "key '%s' is already defined (line %u)", p->key, p->line);
		}
	}
	if (rc == 0) {
		struct aa_toml_pair *p = find_pair(t, &parts[n - 1]);
		if (p) {
			rc = fail(b, key, "key '%s' is defined twice (first on line %u)", p->key, p->line);
		} else {
			struct aa_toml_value *v = new_pair(t, &parts[n - 1]);
			rc = build_value(b, val, v, depth + (unsigned)n);
		}
	}
	free_parts(parts, n);
	return rc;
}

/* A number's text without its underscores (caller frees). */
static char *without_underscores(const struct aa_toml_value *v)
{
	char *digits = aa_xmalloc(v->len + 1);
	size_t d = 0;
	for (size_t i = 0; i < v->len; i++)
		if (v->str[i] != '_')
			digits[d++] = v->str[i];
	digits[d] = '\0';
	return digits;
}

static int decode_integer(struct builder *b, TSNode node, struct aa_toml_value *out)
{
	char *digits = without_underscores(out);
	const char *s = digits;
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		s += 2;
	}
	errno = 0;
	char *end;
	out->integer = strtoll(s, &end, base);
	bool bad = errno != 0 || *end != '\0' || end == s;
	free(digits);
	return bad ? fail(b, node, "integer %s is out of range", out->str) : 0;
}

static int decode_float(struct builder *b, TSNode node, struct aa_toml_value *out)
{
	char *digits = without_underscores(out);
	char *end;
	out->number = strtod(digits, &end);
	bool bad = *end != '\0';
	free(digits);
	return bad ? fail(b, node, "malformed float %s", out->str) : 0;
}

/* Builds the value node into out (a zeroed or fresh table slot) at depth. Inline tables
 * and arrays recurse, at most AA_TOML_MAX_DEPTH levels. */
static int build_value(struct builder *b, TSNode node, struct aa_toml_value *out, unsigned depth)
{
	if (depth > AA_TOML_MAX_DEPTH)
		return fail(b, node, "nested more than %d levels deep", AA_TOML_MAX_DEPTH);
	position(b, node, &out->line, &out->col);
	const char *kind = ts_node_type(node);
	if (!strcmp(kind, "string")) {
		out->kind = AA_TOML_STRING;
		return decode_string(b, node, &out->str, &out->len);
	}
	if (!strcmp(kind, "array")) {
		out->kind = AA_TOML_ARRAY;
		uint32_t k = ts_node_named_child_count(node);
		for (uint32_t i = 0; i < k; i++) {
			TSNode c = ts_node_named_child(node, i);
			if (is_kind(c, "comment"))
				continue;
			AA_GROW(out->items, out->items_cap, out->n_items + 1);
			struct aa_toml_value *item = &out->items[out->n_items++];
			memset(item, 0, sizeof *item);
			if (build_value(b, c, item, depth + 1) < 0)
				return -1;
		}
		return 0;
	}
	if (!strcmp(kind, "inline_table")) {
		out->kind = AA_TOML_TABLE;
		out->origin = ORIGIN_INLINE;
		uint32_t k = ts_node_named_child_count(node);
		for (uint32_t i = 0; i < k; i++) {
			TSNode c = ts_node_named_child(node, i);
			if (is_kind(c, "pair") && add_pair(b, out, c, depth + 1) < 0)
				return -1;
		}
		return 0;
	}
	uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
	out->len = e - s;
	out->str = aa_xstrndup(b->text + s, out->len);
	if (!strcmp(kind, "integer")) {
		out->kind = AA_TOML_INTEGER;
		return decode_integer(b, node, out);
	}
	if (!strcmp(kind, "float")) {
		out->kind = AA_TOML_FLOAT;
		return decode_float(b, node, out);
	}
	if (!strcmp(kind, "boolean")) {
		out->kind = AA_TOML_BOOLEAN;
		out->boolean = !strcmp(out->str, "true");
		return 0;
	}
	if (!strcmp(kind, "local_date") || !strcmp(kind, "local_time") || !strcmp(kind, "local_date_time") ||
	    !strcmp(kind, "offset_date_time")) {
		out->kind = AA_TOML_DATETIME;
		return 0;
	}
	return fail(b, node, "unexpected %s", kind);
}

/* --- the document ------------------------------------------------------------------ */

/* The first ERROR or MISSING node in document order, under a root that has an error. */
static TSNode first_error(TSNode root)
{
	TSTreeCursor c = ts_tree_cursor_new(root);
	TSNode found = root;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		if (ts_node_is_error(n) || ts_node_is_missing(n)) {
			found = n;
			break;
		}
		bool down = ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c);
		if (down)
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
	return found;
}

static int syntax_error(struct builder *b, TSNode root)
{
	TSNode e = first_error(root);
	if (ts_node_is_missing(e))
		return fail(b, e, "TOML syntax error: missing '%s'", ts_node_type(e));
	/* Tree-sitter's error node starts where the statement it could not parse starts:
	 * quoting its first line shows which one. */
	uint32_t s = ts_node_start_byte(e), n = ts_node_end_byte(e) - s;
	const char *t = b->text + s;
	int show = 0;
	while ((uint32_t)show < n && show < 40 && t[show] != '\n' && t[show] != '\r' && (unsigned char)t[show] >= ' ')
		show++;
	if (show)
		return fail(b, e, "TOML syntax error in '%.*s'", show, t);
	return fail(b, e, "TOML syntax error");
}

static void build_document(struct builder *b, TSNode doc, struct aa_toml_value *root)
{
	uint32_t k = ts_node_named_child_count(doc);
	for (uint32_t i = 0; i < k && !b->failed; i++) {
		TSNode c = ts_node_named_child(doc, i);
		if (is_kind(c, "pair")) {
			add_pair(b, root, c, 0);
			continue;
		}
		bool array = is_kind(c, "table_array_element");
		if (!array && !is_kind(c, "table"))
			continue;
		TSNode key = nth_child(c, 0);
		struct part *parts;
		size_t n;
		if (ts_node_is_null(key) || key_parts(b, key, &parts, &n) < 0) {
			fail(b, c, "malformed table header");
			return;
		}
		struct aa_toml_value *t = open_header(b, key, root, parts, n, array);
		free_parts(parts, n);
		/* Each component is a level, and an array of tables adds its items' level. */
		unsigned depth = (unsigned)(2 * n);
		uint32_t m = ts_node_named_child_count(c);
		for (uint32_t j = 0; t && j < m && !b->failed; j++) {
			TSNode p = ts_node_named_child(c, j);
			if (is_kind(p, "pair"))
				add_pair(b, t, p, depth);
		}
	}
}

int aa_toml_parse(const char *text, size_t len, struct aa_toml_value *root, struct aa_toml_error *err)
{
	memset(root, 0, sizeof *root);
	root->kind = AA_TOML_TABLE;
	root->origin = ORIGIN_ROOT;
	root->line = root->col = 1;
	memset(err, 0, sizeof *err);
	if (len > UINT32_MAX) {
		err->line = err->col = 1;
		snprintf(err->message, sizeof err->message, "file too large");
		return -1;
	}
	TSParser *parser = ts_parser_new();
	TSTree *tree = ts_parser_set_language(parser, tree_sitter_toml())
			       ? ts_parser_parse_string(parser, NULL, text, (uint32_t)len)
			       : NULL;
	struct builder b = { text, err, false };
	if (!tree) {
		err->line = err->col = 1;
		snprintf(err->message, sizeof err->message, "the TOML grammar could not be loaded");
		b.failed = true;
	} else if (ts_node_has_error(ts_tree_root_node(tree))) {
		syntax_error(&b, ts_tree_root_node(tree));
	} else {
		build_document(&b, ts_tree_root_node(tree), root);
	}
	if (tree)
		ts_tree_delete(tree);
	ts_parser_delete(parser);
	if (b.failed) {
		aa_toml_release(root);
		return -1;
	}
	return 0;
}

void aa_toml_release(struct aa_toml_value *v)
{
	free(v->str);
	for (size_t i = 0; i < v->n_items; i++)
		aa_toml_release(&v->items[i]);
	free(v->items);
	for (size_t i = 0; i < v->n_pairs; i++) {
		free(v->pairs[i].key);
		aa_toml_release(&v->pairs[i].value);
	}
	free(v->pairs);
	memset(v, 0, sizeof *v);
	v->kind = AA_TOML_TABLE;
}

const struct aa_toml_pair *aa_toml_find(const struct aa_toml_value *table, const char *key)
{
	if (table->kind != AA_TOML_TABLE)
		return NULL;
	for (size_t i = 0; i < table->n_pairs; i++)
		if (!strcmp(table->pairs[i].key, key))
			return &table->pairs[i];
	return NULL;
}

const struct aa_toml_value *aa_toml_path(const struct aa_toml_value *table, const char *dotted)
{
	const struct aa_toml_value *t = table;
	char *copy = aa_xstrdup(dotted);
	for (char *part = copy, *dot; t && part; part = dot ? dot + 1 : NULL) {
		dot = strchr(part, '.');
		if (dot)
			*dot = '\0';
		const struct aa_toml_pair *p = aa_toml_find(t, part);
		t = p ? &p->value : NULL;
	}
	free(copy);
	return t;
}

const char *aa_toml_kind_name(enum aa_toml_kind kind)
{
	static const char *const names[] = { "string", "integer", "float", "boolean", "date-time", "array", "table" };
	return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "value";
}
