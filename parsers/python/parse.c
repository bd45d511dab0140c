#include "parsers/python/parse.h"
#include "parsers/python/node.h"

#include <string.h>

bool aa_node_is_broken(TSNode node)
{
	return ts_node_is_error(node) || ts_node_is_missing(node);
}

/* `f"{x:=^10}"`: tree-sitter-python reads `:=` as a walrus and errs on the rest, but Python
 * forbids an unparenthesized walrus in an interpolation, so the text after `:` is a format
 * specification ("=^10"): an interpolation whose expression is a named_expression holds
 * no error of the file's. */
static bool misread_format_spec(TSNode node)
{
	if (strcmp(ts_node_type(node), "interpolation"))
		return false;
	TSNode e = ts_node_child_by_field_name(node, "expression", (uint32_t)strlen("expression"));
	return !ts_node_is_null(e) && !strcmp(ts_node_type(e), "named_expression");
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || (unsigned char)c >= 0x80;
}

/* Is t[0..len) the rest of an annotation after the `or`/`and` that continues it: operands
 * (dotted names, None/True/False, each maybe subscripted or called, or parenthesized)
 * joined by `or`, `and`, `not` or `|`, brackets balanced, no other keyword, `=`, `:` or
 * stray character? A lexer of that much, linear, nesting up to 64 deep. */
static bool annotation_rest(const char *t, size_t len)
{
	static const char *const operators[] = { "or", "and", "not", NULL };
	static const char *const keywords[] = {
		"as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
		"finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "pass", "raise",
		"return", "try", "while", "with", "yield", NULL,
	};
	char stack[64];
	size_t depth = 0;
	bool operand = true; /* an operand is expected next */
	for (size_t i = 0; i < len;) {
		char c = t[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
			i++;
		} else if (c == '"' || c == '\'') {
			size_t k = i + 1;
			while (k < len && t[k] != c && t[k] != '\n')
				k += t[k] == '\\' ? 2 : 1;
			if (k >= len || t[k] != c || !depth)
				return false; /* strings only inside brackets: Literal["a"] */
			i = k + 1;
			operand = false;
		} else if (name_char(c)) {
			size_t k = i;
			while (k < len && name_char(t[k]))
				k++;
			bool op = aa_text_in(t + i, k - i, operators);
			if (aa_text_in(t + i, k - i, keywords) || (op ? operand && strncmp(t + i, "not", 3) : !operand && !depth))
				return false;
			operand = op;
			i = k;
		} else if (c == '|' || c == ',') {
			if (operand || (c == ',' && !depth))
				return false;
			operand = true;
			i++;
		} else if (c == '[' || c == '(') {
			if (depth == sizeof(stack))
				return false;
			stack[depth++] = c == '[' ? ']' : ')';
			operand = true;
			i++;
		} else if (c == ']' || c == ')') {
			if (!depth || stack[depth - 1] != c)
				return false;
			depth--;
			operand = false;
			i++;
		} else {
			return false;
		}
	}
	return !depth && !operand;
}

/* `def f(x: Tuple[str, int] or str = None)`: Python takes any expression as an
 * annotation; tree-sitter-python reads a subscript there as a generic type and errs on
 * the `or`/`and` that continues it (a bare `str or tuple` it reads). The ERROR follows
 * the parameter (`x: list[int] or str`, no default: beside it in the parameters) or holds
 * the generic type at its start (`x: dict[str, int] or list[int] or None = None`). When
 * what follows that `or`/`and` is an annotation's expression (annotation_rest), it is no
 * error of the file's; the walker skips its subtree, as every ERROR's. at: the walk's
 * cursor, at node; text: the source. */
static bool misread_annotation(const TSTreeCursor *at, TSNode node, const char *text)
{
	if (!ts_node_is_error(node))
		return false;
	/* the parent from a copy of the walk's cursor: ts_node_parent searches down from
	 * the root, through every sibling (quadratic over a file of such parameters) */
	TSTreeCursor up = ts_tree_cursor_copy(at);
	TSNode parent = ts_tree_cursor_goto_parent(&up) ? ts_tree_cursor_current_node(&up) : (TSNode){ 0 };
	ts_tree_cursor_delete(&up);
	if (ts_node_is_null(parent))
		return false;
	const char *pt = ts_node_type(parent);
	uint32_t start = ts_node_start_byte(node);
	TSNode prev = ts_node_prev_named_sibling(node);
	TSNode first = ts_node_named_child(node, 0);
	if (!strcmp(pt, "parameters") && !ts_node_is_null(prev) && !strcmp(ts_node_type(prev), "typed_parameter")) {
		TSNode last = ts_node_named_child(prev, ts_node_named_child_count(prev) - 1);
		if (ts_node_is_null(last) || strcmp(ts_node_type(last), "type"))
			return false;
	} else if (!strcmp(pt, "typed_parameter") || !strcmp(pt, "typed_default_parameter")) {
		if (!ts_node_is_null(prev) && !strcmp(ts_node_type(prev), "type"))
			; /* `x: T[a] or b = ...`: the ERROR after the type */
		else if (!ts_node_is_null(first) && !strcmp(ts_node_type(first), "type"))
			start = ts_node_end_byte(first); /* the ERROR holds the generic type */
		else
			return false;
	} else {
		return false;
	}
	const char *t = text + start;
	uint32_t len = ts_node_end_byte(node) - start;
	while (len && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\\')) {
		t++;
		len--;
	}
	size_t word = len >= 3 && !memcmp(t, "and", 3) ? 3 : len >= 2 && !memcmp(t, "or", 2) ? 2 : 0;
	if (!word || word == len || name_char(t[word]))
		return false;
	/* the annotation goes on past the ERROR (`or list` then `[int] or None`): up to the
	 * parameter's end, which the rest must make an expression of too */
	TSNode owner = strcmp(pt, "parameters") ? parent : prev;
	uint32_t end = ts_node_end_byte(owner);
	if (strcmp(pt, "parameters") == 0)
		end = ts_node_end_byte(node);
	TSNode value = ts_node_child_by_field_name(owner, "value", 5);
	if (!ts_node_is_null(value) && ts_node_start_byte(value) > ts_node_end_byte(node)) {
		/* `= default`: the annotation ends at the `=` before the value */
		end = ts_node_start_byte(value);
		while (end > ts_node_end_byte(node) && text[end - 1] != '=')
			end--;
		if (end > ts_node_end_byte(node))
			end--;
	}
	return annotation_rest(t + word, (size_t)(text + end - (t + word)));
}

/* First ERROR/MISSING node in document order outside misread format specifications and
 * annotations, descending only into subtrees that contain one (ts_node_has_error),
 * iteratively; a null node when there is none. text: the source. */
static TSNode first_broken(TSNode root, const char *text)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	TSNode found = { 0 };
	bool skipped = false; /* a misread format specification or annotation was stepped over */
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cur);
		bool misread = misread_annotation(&cur, node, text) || misread_format_spec(node);
		if (!misread && aa_node_is_broken(node)) {
			found = node;
			break;
		}
		if (!misread && ts_node_has_error(node)) {
			if (ts_tree_cursor_goto_first_child(&cur))
				continue;
			found = node; /* has_error but no child: report the node itself */
			break;
		}
		skipped |= ts_node_has_error(node);
		bool up_done = false;
		while (!ts_tree_cursor_goto_next_sibling(&cur)) {
			if (!ts_tree_cursor_goto_parent(&cur)) {
				up_done = true;
				break;
			}
			/* Leaving a subtree that has an error without meeting it: the node itself
			 * is what is broken, unless a skipped specification was its error. */
			if (!skipped) {
				found = ts_tree_cursor_current_node(&cur);
				up_done = true;
				break;
			}
		}
		if (up_done)
			break;
	}
	ts_tree_cursor_delete(&cur);
	return found;
}

static bool starts_statement(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@' ||
	       (unsigned char)c >= 0x80;
}

/* Byte offset of the first line after `line` that starts at column 0 with something
 * that can begin a top-level statement (not indentation, a comment, a closing bracket or
 * a continuation). Returns src->len when there is none. */
static uint32_t next_toplevel_line(const struct aa_source *src, uint32_t line)
{
	for (uint32_t l = line + 1; l < src->n_lines; l++) {
		uint32_t off = src->line_starts[l];
		if (off >= src->len)
			break;
		if (!starts_statement(src->text[off]))
			continue;
		/* A backslash continuation on the previous line makes this no statement start. */
		uint32_t prev_len = aa_source_line_len(src, l - 1);
		if (prev_len && src->text[src->line_starts[l - 1] + prev_len - 1] == '\\')
			continue;
		return off;
	}
	return (uint32_t)src->len;
}

static TSPoint point_of(const struct aa_source *src, uint32_t offset)
{
	uint32_t line = aa_source_line_of(src, offset);
	return (TSPoint){ line, offset - src->line_starts[line] };
}

int aa_parse(TSParser *parser, const struct aa_source *src, struct aa_parsed *out)
{
	memset(out, 0, sizeof(*out));
	ts_parser_set_included_ranges(parser, NULL, 0);
	TSTree *tree = ts_parser_parse_string(parser, NULL, src->text, (uint32_t)src->len);
	if (!tree)
		return -1;
	out->segs[0] = (struct aa_segment){ tree, 0, (uint32_t)src->len };
	out->n_segs = 1;
	TSNode root = ts_tree_root_node(tree);
	if (!ts_node_has_error(root))
		return 0;
	out->first_error = first_broken(root, src->text);
	if (ts_node_is_null(out->first_error))
		return 0;
	out->has_error = true;

	int rc = 0;
	/* Bytes the reparses covered: they stop before they would cover more than
	 * AA_PARSE_REPARSE_BUDGET times the file (a file broken on every line would
	 * otherwise be parsed AA_PARSE_MAX_SEGMENTS times over). */
	uint64_t reparsed = 0;
	for (;;) {
		struct aa_segment *seg = &out->segs[out->n_segs - 1];
		TSNode seg_root = ts_tree_root_node(seg->tree);
		if (!ts_node_has_error(seg_root) || out->n_segs == AA_PARSE_MAX_SEGMENTS)
			break;
		TSNode err = first_broken(seg_root, src->text);
		if (ts_node_is_null(err))
			break;
		uint32_t err_byte = ts_node_start_byte(err);
		if (err_byte < seg->start_byte)
			err_byte = seg->start_byte;
		uint32_t restart = next_toplevel_line(src, aa_source_line_of(src, err_byte));
		if (restart >= src->len || restart <= seg->start_byte)
			break;
		reparsed += src->len - restart;
		if (reparsed > AA_PARSE_REPARSE_BUDGET * (uint64_t)src->len)
			break;
		TSRange range = { point_of(src, restart), point_of(src, (uint32_t)src->len), restart,
				  (uint32_t)src->len };
		if (!ts_parser_set_included_ranges(parser, &range, 1))
			break;
		TSTree *next = ts_parser_parse_string(parser, NULL, src->text, (uint32_t)src->len);
		if (!next) {
			rc = -1;
			break;
		}
		seg->end_byte = restart;
		out->segs[out->n_segs++] = (struct aa_segment){ next, restart, (uint32_t)src->len };
	}
	ts_parser_set_included_ranges(parser, NULL, 0);
	return rc;
}

void aa_parsed_release(struct aa_parsed *parsed)
{
	for (unsigned i = 0; i < parsed->n_segs; i++)
		ts_tree_delete(parsed->segs[i].tree);
	parsed->n_segs = 0;
}
