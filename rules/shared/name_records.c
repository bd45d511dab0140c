#include "rules/shared/name_records.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/base/xalloc.h"
#include "analyzer/check/context.h"
#include "parsers/python/subtree.h"

struct aa_name_records *aa_name_records_new(size_t size)
{
	struct aa_name_records *r = aa_xcalloc(1, sizeof(*r));
	r->size = size;
	return r;
}

void aa_name_records_free(struct aa_name_records *r)
{
	if (!r)
		return;
	aa_map_release(&r->bodies);
	aa_map_release(&r->names);
	free(r->records);
	free(r);
}

static void free_records(void *p)
{
	aa_name_records_free(p);
}

struct aa_name_records *aa_name_records_of(struct aa_ctx *ctx, const struct aa_rule *rule, size_t size)
{
	void **slot = aa_ctx_file_memo(ctx, rule, free_records);
	if (!*slot)
		*slot = aa_name_records_new(size);
	return *slot;
}

uint32_t aa_name_records_body(const struct aa_name_records *r, uint32_t ns)
{
	struct aa_map_key key = aa_map_key("", 0, ns);
	return aa_map_get(&r->bodies, &key);
}

void aa_name_records_set_body(struct aa_name_records *r, uint32_t ns, uint32_t value)
{
	struct aa_map_key key = aa_map_key("", 0, ns);
	*aa_map_put(&r->bodies, &key, value, NULL) = value;
}

bool aa_name_records_walked(struct aa_name_records *r, TSNode body, uint32_t max_nodes,
			    void (*visit)(void *ud, TSNode node, TSNode parent), bool (*unknown)(void *ud), void *ud)
{
	uint32_t ns = ts_node_start_byte(body);
	uint32_t known = aa_name_records_body(r, ns);
	if (known == AA_MAP_NONE) {
		known = 0;
		if (ts_node_descendant_count(body) <= max_nodes) {
			aa_subtree_walk_parents(body, visit, ud);
			known = !unknown(ud);
		}
		aa_name_records_set_body(r, ns, known);
	}
	return known == 1;
}

void *aa_name_records_add(struct aa_name_records *r, const char *name, uint32_t len, uint32_t ns)
{
	struct aa_map_key key = aa_map_key(name, len, ns);
	bool added;
	uint32_t i = *aa_map_put(&r->names, &key, (uint32_t)r->n, &added);
	if (added) {
		void *records = r->records;
		aa_grow(&records, &r->cap, r->n + 1, r->size);
		r->records = records;
		memset(r->records + r->n * r->size, 0, r->size);
		r->n++;
	}
	return r->records + (size_t)i * r->size;
}

const void *aa_name_records_find(const struct aa_name_records *r, const char *name, uint32_t len, uint32_t ns)
{
	struct aa_map_key key = aa_map_key(name, len, ns);
	uint32_t i = aa_map_get(&r->names, &key);
	return i == AA_MAP_NONE ? NULL : r->records + (size_t)i * r->size;
}

static bool is_ident(const struct aa_syms *s, TSNode n)
{
	return !ts_node_is_null(n) && ts_node_symbol(n) == s->identifier;
}

void aa_owned_use_count(struct aa_ctx *ctx, TSNode n, bool nested, const char *const *methods, TSNode *called,
			struct aa_owned_use *(*rec)(void *ud, TSNode ident), void *ud)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(n);
	if (k == s->identifier) {
		rec(ud, n)->all++;
		return;
	}
	if (nested)
		return;
	if (k == s->assignment) {
		TSNode left = ts_node_child_by_field_id(n, s->f.left);
		if (is_ident(s, left))
			rec(ud, left)->owned++;
	} else if (k == s->delete_statement) {
		TSNode target = ts_node_named_child(n, 0);
		if (is_ident(s, target))
			rec(ud, target)->owned++;
	} else if (k == s->call) {
		/* q.put(x): its function, visited next, is a call's */
		TSNode fn = ts_node_child_by_field_id(n, s->f.function);
		if (!ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute)
			*called = fn;
	} else if (k == s->attribute) {
		TSNode recv = ts_node_child_by_field_id(n, s->f.object);
		TSNode attr = ts_node_child_by_field_id(n, s->f.attribute);
		bool method = false;
		for (const char *const *m = methods; *m && !method; m++)
			method = aa_ctx_text_is(ctx, attr, *m);
		if (is_ident(s, recv) && (!method || ts_node_eq(n, *called)))
			rec(ud, recv)->owned++;
	}
}
