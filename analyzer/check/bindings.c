#include <string.h>

#include "analyzer/check/bindings.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"

/* Beyond this many nodes a body is not scanned (unknown). */
#define MAX_BODY_NODES 200000u

TSNode aa_bindings_enclosing_for(struct aa_ctx *ctx, TSNode fn_def, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode none = { 0 };
	TSNode child = node;
	for (TSNode p = aa_ctx_parent(ctx, node); !ts_node_is_null(p) && !ts_node_eq(p, fn_def);
	     child = p, p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->while_statement || k == s->function_definition || k == s->lambda ||
		    k == s->class_definition || k == s->list_comprehension || k == s->set_comprehension ||
		    k == s->dictionary_comprehension || k == s->generator_expression)
			return none;
		if (k == s->for_statement)
			return aa_node_field_is(p, s->f.body, child) ? p : none;
	}
	return none;
}

static const char *param_name(struct aa_ctx *ctx, TSNode p, uint32_t *len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(p);
	TSNode id = { 0 };
	if (k == s->identifier)
		id = p;
	else if (k == s->default_parameter || k == s->typed_default_parameter)
		id = ts_node_child_by_field_id(p, s->f.name);
	else if (k == s->typed_parameter || k == s->list_splat_pattern || k == s->dictionary_splat_pattern)
		id = ts_node_named_child(p, 0);
	if (!ts_node_is_null(id) && (ts_node_symbol(id) == s->list_splat_pattern ||
				     ts_node_symbol(id) == s->dictionary_splat_pattern))
		id = ts_node_named_child(id, 0);
	if (ts_node_is_null(id) || ts_node_symbol(id) != s->identifier)
		return NULL;
	return aa_ctx_text(ctx, id, len);
}

bool aa_bindings_is_parameter(struct aa_ctx *ctx, TSNode fn_def, const char *name, uint32_t len)
{
	TSNode params = ts_node_child_by_field_id(fn_def, aa_ctx_syms(ctx)->f.parameters);
	uint32_t n = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t plen;
		const char *p = param_name(ctx, ts_node_named_child(params, i), &plen);
		if (p && plen == len && !memcmp(p, name, len))
			return true;
	}
	return false;
}

int aa_bindings_param_position(struct aa_ctx *ctx, TSNode fn_def, const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode params = ts_node_child_by_field_id(fn_def, s->f.parameters);
	uint32_t n = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);
	int pos = 0;
	for (uint32_t i = 0; i < n; i++) {
		TSNode p = ts_node_named_child(params, i);
		TSSymbol k = ts_node_symbol(p);
		if (k == s->positional_separator || k == s->comment)
			continue;
		if (k == s->keyword_separator || k == s->list_splat_pattern || k == s->dictionary_splat_pattern)
			return -1; /* the rest are keyword-only, or collected */
		if (k == s->typed_parameter && ts_node_symbol(ts_node_named_child(p, 0)) != s->identifier)
			return -1; /* `*args: T`, `**kw: T` */
		uint32_t plen;
		const char *pn = param_name(ctx, p, &plen);
		if (pn && plen == len && !memcmp(pn, name, len))
			return pos;
		pos++;
	}
	return -1;
}

struct walk {
	struct aa_ctx *ctx;
	TSNode fn_def;
	const char *name;
	uint32_t len;
	bool (*fn)(void *ud, const struct aa_binding *b);
	void *ud;
};

/* Climbs from a name inside a pattern (`a, name = ...`, `for k, name in ...`) to what
 * binds it; *in_pattern says whether it was nested. */
static TSNode pattern_owner(const struct aa_syms *s, TSNode id, bool *in_pattern)
{
	TSNode n = id, p = ts_node_parent(id);
	*in_pattern = false;
	while (!ts_node_is_null(p) && (ts_node_symbol(p) == s->pattern_list || ts_node_symbol(p) == s->tuple_pattern ||
				       ts_node_symbol(p) == s->list_pattern)) {
		*in_pattern = true;
		n = p;
		p = ts_node_parent(p);
	}
	(void)n;
	return p;
}

static bool classify(struct walk *w, TSNode id, struct aa_binding *b)
{
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	bool in_pattern;
	TSNode p = pattern_owner(s, id, &in_pattern);
	if (ts_node_is_null(p))
		return false;
	TSSymbol k = ts_node_symbol(p);
	memset(b, 0, sizeof(*b));
	b->node = p;
	if (k == s->for_statement) {
		TSNode left = ts_node_child_by_field_id(p, s->f.left);
		if (!in_pattern && !ts_node_eq(left, id))
			return false; /* the name is read in the iterable or body */
		if (in_pattern && !ts_node_eq(left, ts_node_parent(id)) && ts_node_symbol(left) != s->pattern_list)
			return false;
		b->kind = ts_node_symbol(ts_node_child(p, 0)) == s->kw_async ? AA_BIND_ASYNC_FOR : AA_BIND_FOR;
		b->value = ts_node_child_by_field_id(p, s->f.right);
		return true;
	}
	if (k == s->assignment && !ts_node_eq(ts_node_child_by_field_id(p, s->f.right), id)) {
		if (in_pattern || !aa_node_field_is(p, s->f.left, id)) {
			b->kind = AA_BIND_OTHER;
			return aa_node_field_is(p, s->f.left, id) || in_pattern;
		}
		b->kind = AA_BIND_ASSIGN;
		b->value = ts_node_child_by_field_id(p, s->f.right);
		return !ts_node_is_null(b->value); /* `name: T` alone binds nothing */
	}
	if (k == s->augmented_assignment && aa_node_field_is(p, s->f.left, id)) {
		b->kind = AA_BIND_AUGMENT;
		b->value = ts_node_child_by_field_id(p, s->f.right);
		return true;
	}
	if (k == s->named_expression && aa_node_field_is(p, s->f.name, id)) {
		b->kind = AA_BIND_ASSIGN;
		b->value = ts_node_child_by_field_id(p, s->f.value);
		return true;
	}
	if (k == s->attribute && aa_node_field_is(p, s->f.object, id)) {
		TSNode call = ts_node_parent(p);
		if (ts_node_is_null(call) || ts_node_symbol(call) != s->call ||
		    !aa_node_field_is(call, s->f.function, p))
			return false;
		TSNode attr = ts_node_child_by_field_id(p, s->f.attribute);
		bool ext = aa_ctx_text_is(w->ctx, attr, "extend");
		bool ins = aa_ctx_text_is(w->ctx, attr, "insert");
		if (!ext && !ins && !aa_ctx_text_is(w->ctx, attr, "append") && !aa_ctx_text_is(w->ctx, attr, "add"))
			return false;
		b->kind = AA_BIND_ADD;
		b->extend = ext;
		b->value = aa_call_arg(w->ctx, call, ins ? 1 : 0, NULL);
		b->node = call;
		b->loop = aa_bindings_enclosing_for(w->ctx, w->fn_def, call);
		return !ts_node_is_null(b->value);
	}
	if (k == s->subscript && aa_node_field_is(p, s->f.value, id)) {
		TSNode a = ts_node_parent(p);
		if (ts_node_is_null(a) || ts_node_symbol(a) != s->assignment || !aa_node_field_is(a, s->f.left, p))
			return false;
		b->kind = AA_BIND_STORE;
		b->value = ts_node_child_by_field_id(a, s->f.right);
		b->node = a;
		b->loop = aa_bindings_enclosing_for(w->ctx, w->fn_def, a);
		return !ts_node_is_null(b->value);
	}
	if (k == s->as_pattern_target || k == s->global_statement || k == s->nonlocal_statement ||
	    k == s->delete_statement || k == s->aliased_import || k == s->dotted_name || k == s->except_clause) {
		b->kind = AA_BIND_OTHER;
		return true;
	}
	return false;
}

static enum aa_visit visit(void *ud, TSNode n)
{
	struct walk *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (k == s->function_definition || k == s->lambda || k == s->class_definition)
		return AA_VISIT_SKIP;
	if (k != s->identifier)
		return AA_VISIT_DESCEND;
	if (!aa_node_text_is(aa_ctx_source(w->ctx)->text, n, w->name, w->len))
		return AA_VISIT_SKIP;
	struct aa_binding b;
	if (classify(w, n, &b) && !w->fn(w->ud, &b))
		return AA_VISIT_STOP;
	return AA_VISIT_SKIP;
}

bool aa_bindings_each(struct aa_ctx *ctx, TSNode fn_def, const char *name, uint32_t len,
		      bool (*fn)(void *ud, const struct aa_binding *b), void *ud)
{
	TSNode body = ts_node_child_by_field_id(fn_def, aa_ctx_syms(ctx)->f.body);
	if (ts_node_is_null(body))
		return true;
	struct walk w = { ctx, fn_def, name, len, fn, ud };
	return aa_subtree_walk(body, MAX_BODY_NODES, visit, &w);
}

#define MAX_PATTERN_NAMES 8

struct names {
	struct aa_ctx *ctx;
	const char *name[MAX_PATTERN_NAMES];
	uint32_t len[MAX_PATTERN_NAMES];
	size_t n;
	bool hit;
};

static enum aa_visit collect_name(void *ud, TSNode n)
{
	struct names *ns = ud;
	if (ts_node_symbol(n) != aa_ctx_syms(ns->ctx)->identifier)
		return AA_VISIT_DESCEND;
	uint32_t len;
	const char *t = aa_ctx_text(ns->ctx, n, &len);
	if (ns->n < MAX_PATTERN_NAMES && !(len == 1 && t[0] == '_')) {
		ns->name[ns->n] = t;
		ns->len[ns->n++] = len;
	}
	return AA_VISIT_SKIP;
}

static enum aa_visit find_name(void *ud, TSNode n)
{
	struct names *ns = ud;
	const struct aa_syms *s = aa_ctx_syms(ns->ctx);
	if (ts_node_symbol(n) == s->keyword_argument) {
		TSNode v = ts_node_child_by_field_id(n, s->f.value);
		if (!ts_node_is_null(v))
			aa_subtree_walk(v, MAX_BODY_NODES, find_name, ns);
		return ns->hit ? AA_VISIT_STOP : AA_VISIT_SKIP;
	}
	if (ts_node_symbol(n) != s->identifier)
		return AA_VISIT_DESCEND;
	uint32_t len;
	const char *t = aa_ctx_text(ns->ctx, n, &len);
	for (size_t i = 0; i < ns->n; i++)
		if (ns->len[i] == len && !memcmp(ns->name[i], t, len)) {
			ns->hit = true;
			return AA_VISIT_STOP;
		}
	return AA_VISIT_SKIP;
}

bool aa_bindings_pattern_read(struct aa_ctx *ctx, TSNode pattern, TSNode where)
{
	struct names ns = { .ctx = ctx };
	if (ts_node_is_null(pattern) || ts_node_is_null(where))
		return false;
	aa_subtree_walk(pattern, 1000, collect_name, &ns);
	if (ns.n)
		aa_subtree_walk(where, MAX_BODY_NODES, find_name, &ns);
	return ns.hit;
}
