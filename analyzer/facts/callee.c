#include "analyzer/facts/callee.h"
#include "parsers/python/node.h"

#include <string.h>

void aa_callee_resolve(struct aa_model *model, const struct aa_syms *s, const struct aa_source *src, uint32_t scope,
		       TSNode fn, struct aa_callee *out)
{
	struct aa_callee c = { 0 };
	if (!ts_node_is_null(fn)) {
		bool attribute = ts_node_symbol(fn) == s->attribute;
		struct aa_meaning om = { 0 };
		if (attribute) {
			TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
			TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
			om = aa_model_eval(model, scope, obj);
			if (om.kind == AA_MEANING_INSTANCE && !ts_node_is_null(attr)) {
				c.kind = AA_CALLEE_METHOD;
				c.qualname = om.qualname;
				c.method = aa_node_text(src->text, attr, &c.method_len);
				c.receiver = obj;
				c.origin = om.node;
			}
		}
		if (c.kind == AA_CALLEE_UNKNOWN) {
			/* An attribute's meaning from om: obj is not evaluated twice. */
			struct aa_meaning fm = attribute ? aa_model_eval_attribute(model, scope, fn, &om)
							 : aa_model_eval(model, scope, fn);
			if (fm.kind == AA_MEANING_NAME) {
				c.kind = AA_CALLEE_FUNCTION;
				c.qualname = fm.qualname;
			} else if (fm.kind == AA_MEANING_FUNCTION) {
				c.kind = AA_CALLEE_LOCAL;
				c.qualname = fm.qualname;
				c.node = fm.node;
			}
		}
	}
	*out = c;
}

static bool is_name_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       (unsigned char)c >= 0x80;
}

/* Messages stay short: text[0..len) past MAX_CALLEE bytes keeps its final name whole and
 * as much of the receiver before it as fits, cut between names, with "..." where the cut
 * is (`self.session.client...touch`); a name is never cut in half, nor a UTF-8 sequence. */
#define MAX_CALLEE 60
static void shorten(struct aa_buf *out, size_t start)
{
	char *text = out->data + start;
	size_t len = out->len - start;
	if (len <= MAX_CALLEE)
		return;
	size_t tail = len; /* where the final name starts */
	while (tail > 0 && is_name_byte(text[tail - 1]))
		tail--;
	size_t tail_len = len - tail;
	size_t head = tail_len + 3 < MAX_CALLEE ? MAX_CALLEE - tail_len - 3 : 0;
	while (head > 0 && is_name_byte(text[head - 1]) && is_name_byte(text[head]))
		head--;
	while (head > 0 && text[head - 1] == '.') /* "parent...touch", not "parent....touch" */
		head--;
	memmove(text + head + 3, text + tail, tail_len);
	memcpy(text + head, "...", 3);
	aa_buf_setlen(out, start + head + 3 + tail_len);
}

/* Appends text[0..len) as written, on one line: a line break (with the `\\` of a line
 * continuation before it) and the indentation after it are dropped. */
static void add_one_line(const char *text, uint32_t len, struct aa_buf *out)
{
	for (uint32_t i = 0; i < len; i++) {
		if (text[i] == '\\' && i + 1 < len && (text[i + 1] == '\n' || text[i + 1] == '\r'))
			continue;
		if (text[i] == '\n' || text[i] == '\r') {
			while (i + 1 < len && (text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '\n' ||
					       text[i + 1] == '\r'))
				i++;
			continue;
		}
		aa_buf_addc(out, text[i]);
	}
}

void aa_callee_text(const struct aa_syms *s, const struct aa_source *src, TSNode call, struct aa_buf *out)
{
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn))
		return;
	aa_source_quote(src, fn, out);
}

void aa_source_quote(const struct aa_source *src, TSNode node, struct aa_buf *out)
{
	size_t start = out->len;
	uint32_t len;
	const char *t = aa_node_text(src->text, node, &len);
	add_one_line(t, len, out);
	shorten(out, start);
}
