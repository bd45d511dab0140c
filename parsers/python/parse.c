#include "parsers/python/parse.h"

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

/* `def f(x: Tuple[str, int] or str = None)`: Python takes any expression as an
 * annotation, tree-sitter-python reads a subscript there as a generic type and errs on
 * the `or`/`and` that continues it (a bare `str or tuple` it reads). An ERROR right after
 * a parameter's type that starts with `or` or `and` is no error of the file's; the
 * walker skips its subtree, as every ERROR's. text: the source. */
static bool misread_annotation(TSNode node, const char *text)
{
	if (!ts_node_is_error(node))
		return false;
	TSNode parent = ts_node_parent(node);
	TSNode prev = ts_node_prev_named_sibling(node);
	if (ts_node_is_null(parent) || ts_node_is_null(prev) || strcmp(ts_node_type(prev), "type") ||
	    (strcmp(ts_node_type(parent), "typed_parameter") && strcmp(ts_node_type(parent), "typed_default_parameter")))
		return false;
	const char *t = text + ts_node_start_byte(node);
	uint32_t len = ts_node_end_byte(node) - ts_node_start_byte(node);
	size_t word = len >= 3 && !memcmp(t, "and", 3) ? 3 : len >= 2 && !memcmp(t, "or", 2) ? 2 : 0;
	return word && word < len && strchr(" \t\n\\(", t[word]);
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
		bool misread = misread_annotation(node, text) || misread_format_spec(node);
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
