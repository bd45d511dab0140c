#include "parsers/python/node.h"
#include "parsers/python/async_syntax.h"
#include "parsers/python/subtree.h"
#include "parsers/python/walk.h"

#include <limits.h>
#include <string.h>

bool aa_kind_is_definition(const struct aa_syms *s, TSSymbol k, bool classes)
{
	return k == s->function_definition || k == s->lambda || (classes && k == s->class_definition);
}

bool aa_kind_is_display(const struct aa_syms *s, TSSymbol k)
{
	return k == s->list || k == s->tuple || k == s->set || k == s->expression_list;
}

bool aa_kind_is_comprehension(const struct aa_syms *s, TSSymbol k)
{
	return k == s->list_comprehension || k == s->set_comprehension || k == s->dictionary_comprehension ||
	       k == s->generator_expression;
}

const char *aa_node_text(const char *src, TSNode n, uint32_t *len)
{
	uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
	*len = end - start;
	return src + start;
}

bool aa_node_text_is(const char *src, TSNode n, const char *text, uint32_t len)
{
	uint32_t l;
	const char *t = aa_node_text(src, n, &l);
	return l == len && !memcmp(t, text, len);
}

bool aa_text_in(const char *t, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && !memcmp(t, *words, len))
			return true;
	return false;
}

bool aa_node_same_text(const char *src, TSNode a, TSNode b)
{
	uint32_t len;
	const char *t = aa_node_text(src, b, &len);
	return aa_node_text_is(src, a, t, len);
}

bool aa_node_field_is(TSNode parent, TSFieldId field, TSNode child)
{
	return ts_node_eq(ts_node_child_by_field_id(parent, field), child);
}

TSNode aa_node_first_code_child(const struct aa_syms *s, TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (ts_node_symbol(c) != s->comment)
			return c;
	}
	return (TSNode){ 0 };
}

bool aa_node_has_async_keyword(const struct aa_syms *s, TSNode n)
{
	uint32_t count = ts_node_child_count(n);
	for (uint32_t i = 0; i < count && i < 2; i++)
		if (ts_node_symbol(ts_node_child(n, i)) == s->kw_async)
			return true;
	return false;
}

TSNode aa_node_with_item_value(const struct aa_syms *s, TSNode item)
{
	TSNode v = ts_node_child_by_field_id(item, s->f.value);
	if (!ts_node_is_null(v) && ts_node_symbol(v) == s->as_pattern)
		v = ts_node_named_child(v, 0);
	return v;
}

struct aa_with_items aa_node_with_items(const struct aa_syms *s, TSNode with, enum aa_with_clause how)
{
	struct aa_with_items it = { .s = s };
	uint32_t n = how == AA_WITH_CLAUSE_FIRST ? 1 : ts_node_named_child_count(with);
	for (uint32_t i = 0; i < n && ts_node_is_null(it.clause); i++) {
		TSNode c = ts_node_named_child(with, i);
		if (!ts_node_is_null(c) && ts_node_symbol(c) == s->with_clause)
			it.clause = c;
	}
	if (!ts_node_is_null(it.clause))
		it.count = ts_node_named_child_count(it.clause);
	return it;
}

bool aa_node_with_items_next(struct aa_with_items *it, TSNode *value)
{
	while (it->next < it->count) {
		TSNode c = ts_node_named_child(it->clause, it->next++);
		if (ts_node_symbol(c) != it->s->with_item)
			continue;
		TSNode v = aa_node_with_item_value(it->s, c);
		if (ts_node_is_null(v))
			continue;
		*value = v;
		return true;
	}
	return false;
}

TSNode aa_node_unparen(const struct aa_syms *s, TSNode n, enum aa_unparen how)
{
	return aa_node_unparen_at_most(s, n, how, UINT_MAX);
}

TSNode aa_node_unparen_at_most(const struct aa_syms *s, TSNode n, enum aa_unparen how, unsigned max_levels)
{
	for (unsigned i = 0; i < max_levels && !ts_node_is_null(n) && ts_node_symbol(n) == s->parenthesized_expression;
	     i++) {
		if (how == AA_UNPAREN_SOLE && ts_node_named_child_count(n) != 1)
			break;
		n = how == AA_UNPAREN_CODE ? aa_node_first_code_child(s, n) : ts_node_named_child(n, 0);
	}
	return n;
}

bool aa_node_in_nested_def(const struct aa_syms *s, TSNode n, TSNode stop, bool classes)
{
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, stop); p = ts_node_parent(p)) {
		if (aa_kind_is_definition(s, ts_node_symbol(p), classes))
			return true;
	}
	return false;
}

TSNode aa_node_try_around(const struct aa_syms *s, const struct aa_walk_state *ws, TSNode n, bool classes)
{
	TSNode child = n;
	for (TSNode p = aa_walk_parent(ws, n); !ts_node_is_null(p); child = p, p = aa_walk_parent(ws, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (aa_kind_is_definition(s, k, classes))
			break;
		if (k == s->try_statement && aa_node_field_is(p, s->f.body, child))
			return p;
	}
	return (TSNode){ 0 };
}

static bool passed(const struct aa_syms *s, TSSymbol k, const TSSymbol *also, size_t n_also)
{
	if (k == s->parenthesized_expression)
		return true;
	for (size_t i = 0; i < n_also; i++)
		if (k == also[i])
			return true;
	return false;
}

TSNode aa_node_parent_unparen(const struct aa_syms *s, const struct aa_walk_state *ws, TSNode n,
			      const TSSymbol *also, size_t n_also, TSNode *child)
{
	TSNode below = n, p = aa_walk_parent(ws, n);
	while (!ts_node_is_null(p) && passed(s, ts_node_symbol(p), also, n_also)) {
		below = p;
		p = aa_walk_parent(ws, p);
	}
	if (child)
		*child = below;
	return p;
}

struct holds {
	const struct aa_syms *s;
	TSNode root;
	const TSSymbol *kinds; /* NULL: look for async syntax */
	size_t n_kinds;
	bool found;
};

static enum aa_visit holds_visit(void *ud, TSNode n)
{
	struct holds *h = ud;
	TSSymbol k = ts_node_symbol(n);
	bool match = false;
	if (h->kinds) {
		for (size_t i = 0; i < h->n_kinds && !match; i++)
			match = k == h->kinds[i];
	} else {
		match = aa_async_syntax_of(h->s, n) != AA_ASYNC_SYNTAX_NONE;
	}
	if (match) {
		h->found = true;
		return AA_VISIT_STOP;
	}
	if (!ts_node_eq(n, h->root) && (aa_kind_is_definition(h->s, k, true) || k == h->s->lambda))
		return AA_VISIT_SKIP;
	return AA_VISIT_DESCEND;
}

bool aa_node_holds_kind(const struct aa_syms *s, TSNode root, const TSSymbol *kinds, size_t n_kinds,
			size_t max_nodes)
{
	struct holds h = { s, root, kinds, n_kinds, false };
	return !aa_subtree_walk(root, max_nodes, holds_visit, &h) || h.found;
}

bool aa_node_holds_async(const struct aa_syms *s, TSNode root)
{
	struct holds h = { s, root, NULL, 0, false };
	return !aa_subtree_walk(root, 200000, holds_visit, &h) || h.found;
}
