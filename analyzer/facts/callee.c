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

/* Appends expr's text with blanks and line continuations dropped, and the arguments of
 * calls in it shown as "(...)". */
static void add_callee(const struct aa_syms *s, const struct aa_source *src, TSNode expr, struct aa_buf *out)
{
	/* Unwind the chain iteratively: outermost attribute/call first, base last. */
	TSNode chain[16];
	size_t n = 0;
	TSNode node = expr;
	while (n < 16) {
		TSSymbol k = ts_node_symbol(node);
		if (k == s->attribute || k == s->call) {
			chain[n++] = node;
			node = ts_node_child_by_field_id(node, k == s->call ? s->f.function : s->f.object);
			if (ts_node_is_null(node))
				break;
		} else {
			break;
		}
	}
	if (!ts_node_is_null(node)) {
		uint32_t len;
		const char *t = aa_node_text(src->text, node, &len);
		for (uint32_t i = 0; i < len; i++)
			if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r' && t[i] != '\\')
				aa_buf_addc(out, t[i]);
	}
	while (n-- > 0) {
		if (ts_node_symbol(chain[n]) == s->call) {
			aa_buf_adds(out, "(...)");
		} else {
			uint32_t len;
			TSNode attr = ts_node_child_by_field_id(chain[n], s->f.attribute);
			const char *t = aa_node_text(src->text, attr, &len);
			aa_buf_addc(out, '.');
			aa_buf_add(out, t, len);
		}
	}
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
	memmove(text + head + 3, text + tail, tail_len);
	memcpy(text + head, "...", 3);
	aa_buf_setlen(out, start + head + 3 + tail_len);
}

void aa_callee_text(const struct aa_syms *s, const struct aa_source *src, TSNode call, struct aa_buf *out)
{
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn))
		return;
	size_t start = out->len;
	add_callee(s, src, fn, out);
	shorten(out, start);
}
