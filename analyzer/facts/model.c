#include "analyzer/facts/model.h"
#include "analyzer/facts/known_types.h"
#include "analyzer/base/arena.h"
#include "analyzer/base/map.h"
#include "analyzer/facts/names.h"
#include "parsers/python/node.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A binding namespace is a scope id; instance attributes of a class (`self.x = ...` in
 * its methods) live in the class scope's id with this bit set. */
#define ATTR_NS 0x80000000u
#define MAX_EVAL_DEPTH 24
#define EVAL_MEMO 4
#define MAX_DEFS_PER_BINDING 32

enum def_kind {
	DEF_IMPORT,   /* qual */
	DEF_VALUE,    /* node = assigned expression */
	DEF_ANNOT,    /* node = type annotation, value = assigned expression or null */
	DEF_WITH,     /* node = context expression of `with node as name` */
	DEF_FUNCTION, /* node = function_definition */
	DEF_CLASS,    /* node = class_definition */
	DEF_OTHER,    /* loop target, except alias, unpacking, plain parameter: unknown */
	DEF_NEUTRAL,  /* augmented assignment: rebinds without changing what it is */
	DEF_GLOBAL,
	DEF_NONLOCAL,
};

struct def {
	enum def_kind kind;
	uint32_t scope; /* where the bound expression is evaluated */
	TSNode node;
	TSNode value;
	const char *qual;
	uint32_t next; /* next def of the same binding, or UINT32_MAX */
};

enum { UNRESOLVED, RESOLVING, RESOLVED };

struct binding {
	uint32_t ns;
	const char *name; /* into the source or the arena */
	uint32_t len;
	uint32_t first_def, last_def, n_defs;
	int state;
	struct aa_meaning meaning;
};

struct aa_model {
	const struct aa_source *src;
	const struct aa_syms *syms;
	const char *const *transparent; /* borrowed; configured transparent decorators, or NULL */
	struct aa_scope_info *scopes;
	size_t n_scopes, scopes_cap;
	struct def *defs;
	size_t n_defs, defs_cap;
	struct binding *bindings;
	size_t n_bindings, bindings_cap;
	struct aa_map by_name; /* (scope, name) -> binding index; keys borrowed from the bindings */
	TSNode *comments;
	size_t n_comments, comments_cap;
	const char **imported; /* module names imported anywhere (interned) */
	size_t n_imported, imported_cap;
	bool star_import;
	const char *star_module; /* the one module star-imported at module level, or NULL (none or several) */
	const char **star_modules; /* owned array of the modules star-imported at module level, in order (interned) */
	size_t n_star_modules, star_modules_cap;
	const char *module;  /* interned dotted module name */
	bool is_package;
	int eval_depth;
	/* aa_model_eval's last answers to questions asked from outside any evaluation
	 * (eval_depth 0): the rules and the summary ask about the same call in turn, and
	 * each answer about a long `x.a().a()...` chain costs MAX_EVAL_DEPTH steps. Such a
	 * question always gets the same answer (what it resolves stays resolved, and no
	 * binding is mid-resolution then), so the memo only saves work. Round robin. */
	struct eval_memo {
		TSNode expr; /* a null node in an unused entry (no question has one) */
		uint32_t scope;
		struct aa_meaning meaning;
	} memo[EVAL_MEMO];
	unsigned memo_next;
	/* The last node whose spine (spine_child) beyond_depth measured or derived: the
	 * node, its spine child, and how many spine levels it has at least (0 for none). */
	TSNode spine_node, spine_next;
	int spine_levels;
	struct aa_arena arena; /* interned strings */
};

/* ---- arena ------------------------------------------------------------------------ */

const char *aa_model_intern(struct aa_model *m, const char *s, size_t len)
{
	return aa_arena_copy(&m->arena, s, len);
}

static const char *intern_join(struct aa_model *m, const char *a, const char *b, size_t blen)
{
	size_t alen = strlen(a);
	char stackbuf[256];
	char *tmp = alen + blen + 2 <= sizeof(stackbuf) ? stackbuf : aa_xmalloc(alen + blen + 2);
	memcpy(tmp, a, alen);
	tmp[alen] = '.';
	memcpy(tmp + alen + 1, b, blen);
	const char *r = aa_model_intern(m, tmp, alen + 1 + blen);
	if (tmp != stackbuf)
		free(tmp);
	return r;
}

/* ---- bindings table ---------------------------------------------------------------- */

static struct binding *find_binding(const struct aa_model *m, uint32_t ns, const char *name, uint32_t len)
{
	struct aa_map_key key = aa_map_key(name, len, ns);
	uint32_t i = aa_map_get(&m->by_name, &key);
	return i == AA_MAP_NONE ? NULL : &m->bindings[i];
}

static struct binding *get_binding(struct aa_model *m, uint32_t ns, const char *name, uint32_t len)
{
	struct aa_map_key key = aa_map_key(name, len, ns);
	bool added;
	uint32_t i = *aa_map_put(&m->by_name, &key, (uint32_t)m->n_bindings, &added);
	if (!added)
		return &m->bindings[i];
	AA_GROW(m->bindings, m->bindings_cap, m->n_bindings + 1);
	struct binding *b = &m->bindings[m->n_bindings++];
	memset(b, 0, sizeof(*b));
	b->ns = ns;
	b->name = name;
	b->len = len;
	b->first_def = b->last_def = UINT32_MAX;
	return b;
}

static void add_def(struct aa_model *m, uint32_t ns, const char *name, uint32_t len, struct def d)
{
	struct binding *b = get_binding(m, ns, name, len);
	if (b->n_defs >= MAX_DEFS_PER_BINDING) {
		b->n_defs++;
		return;
	}
	AA_GROW(m->defs, m->defs_cap, m->n_defs + 1);
	uint32_t di = (uint32_t)m->n_defs++;
	d.next = UINT32_MAX;
	m->defs[di] = d;
	if (b->last_def == UINT32_MAX)
		b->first_def = di;
	else
		m->defs[b->last_def].next = di;
	b->last_def = di;
	b->n_defs++;
}

static void bind_node(struct aa_model *m, uint32_t ns, TSNode ident, struct def d)
{
	uint32_t len;
	const char *name = aa_node_text(m->src->text, ident, &len);
	add_def(m, ns, name, len, d);
}

/* ---- pass 1 ------------------------------------------------------------------------ */

/* Binds every identifier that is a target inside a pattern (tuples, lists, starred,
 * parenthesised) as unknown. Attribute and subscript targets bind nothing. */
static void bind_pattern_unknown(struct aa_model *m, uint32_t scope, TSNode target)
{
	const struct aa_syms *s = m->syms;
	TSNode stack[64];
	size_t n = 0;
	stack[n++] = target;
	while (n) {
		TSNode t = stack[--n];
		TSSymbol k = ts_node_symbol(t);
		if (k == s->identifier) {
			bind_node(m, scope, t, (struct def){ .kind = DEF_OTHER, .scope = scope });
		} else if (k == s->pattern_list || k == s->tuple_pattern || k == s->list_pattern || k == s->tuple ||
			   k == s->list || k == s->list_splat_pattern || k == s->parenthesized_expression ||
			   k == s->as_pattern_target || k == s->list_splat || k == s->expression_list) {
			uint32_t c = ts_node_named_child_count(t);
			for (uint32_t i = 0; i < c && n < 64; i++)
				stack[n++] = ts_node_named_child(t, i);
		}
	}
}

static uint32_t nearest_non_comprehension(const struct aa_model *m, uint32_t scope)
{
	while (m->scopes[scope].kind == AA_SCOPE_COMPREHENSION && m->scopes[scope].parent != AA_NO_SCOPE)
		scope = m->scopes[scope].parent;
	return scope;
}

static TSNode final_value(const struct aa_syms *s, TSNode assignment)
{
	TSNode right = ts_node_child_by_field_id(assignment, s->f.right);
	while (!ts_node_is_null(right) && ts_node_symbol(right) == s->assignment)
		right = ts_node_child_by_field_id(right, s->f.right);
	return right;
}

static bool is_self_attribute(const struct aa_model *m, uint32_t scope, TSNode target, uint32_t *class_scope)
{
	const struct aa_syms *s = m->syms;
	if (ts_node_symbol(target) != s->attribute)
		return false;
	TSNode obj = ts_node_child_by_field_id(target, s->f.object);
	if (ts_node_symbol(obj) != s->identifier)
		return false;
	const struct aa_scope_info *sc = &m->scopes[scope];
	if (sc->kind != AA_SCOPE_FUNCTION || sc->class_scope == AA_NO_SCOPE || !sc->self_name)
		return false;
	uint32_t len;
	const char *name = aa_node_text(m->src->text, obj, &len);
	if (len != sc->self_len || memcmp(name, sc->self_name, len))
		return false;
	*class_scope = sc->class_scope;
	return true;
}

static void bind_assignment(struct aa_model *m, uint32_t scope, TSNode node)
{
	const struct aa_syms *s = m->syms;
	TSNode left = ts_node_child_by_field_id(node, s->f.left);
	TSNode type = ts_node_child_by_field_id(node, s->f.type);
	TSNode value = final_value(s, node);
	if (ts_node_is_null(left))
		return;
	TSSymbol k = ts_node_symbol(left);
	struct def d = { .scope = scope };
	if (!ts_node_is_null(type)) {
		d.kind = DEF_ANNOT;
		d.node = type;
		d.value = value;
	} else {
		d.kind = DEF_VALUE;
		d.node = value;
	}
	if (k == s->identifier) {
		if (d.kind == DEF_VALUE && ts_node_is_null(value))
			d.kind = DEF_OTHER;
		bind_node(m, scope, left, d);
		return;
	}
	uint32_t cls;
	if (is_self_attribute(m, scope, left, &cls)) {
		TSNode attr = ts_node_child_by_field_id(left, s->f.attribute);
		if (d.kind == DEF_VALUE && ts_node_is_null(value))
			d.kind = DEF_OTHER;
		bind_node(m, cls | ATTR_NS, attr, d);
		return;
	}
	bind_pattern_unknown(m, scope, left);
}

static void bind_parameters(struct aa_model *m, uint32_t scope, TSNode params)
{
	const struct aa_syms *s = m->syms;
	uint32_t n = ts_node_named_child_count(params);
	for (uint32_t i = 0; i < n; i++) {
		TSNode p = ts_node_named_child(params, i);
		TSSymbol k = ts_node_symbol(p);
		if (k == s->identifier) {
			bind_node(m, scope, p, (struct def){ .kind = DEF_OTHER, .scope = scope });
		} else if (k == s->typed_parameter) {
			TSNode id = ts_node_named_child(p, 0);
			TSNode type = ts_node_child_by_field_id(p, s->f.type);
			if (ts_node_symbol(id) == s->identifier)
				bind_node(m, scope, id, (struct def){ .kind = DEF_ANNOT, .scope = scope, .node = type });
			else
				bind_pattern_unknown(m, scope, id);
		} else if (k == s->typed_default_parameter) {
			TSNode id = ts_node_child_by_field_id(p, s->f.name);
			TSNode type = ts_node_child_by_field_id(p, s->f.type);
			if (!ts_node_is_null(id) && ts_node_symbol(id) == s->identifier)
				bind_node(m, scope, id, (struct def){ .kind = DEF_ANNOT, .scope = scope, .node = type });
		} else if (k == s->default_parameter) {
			TSNode id = ts_node_child_by_field_id(p, s->f.name);
			if (!ts_node_is_null(id))
				bind_pattern_unknown(m, scope, id);
		} else if (k == s->list_splat_pattern || k == s->dictionary_splat_pattern) {
			TSNode id = ts_node_named_child(p, 0);
			if (!ts_node_is_null(id) && ts_node_symbol(id) == s->identifier)
				bind_node(m, scope, id, (struct def){ .kind = DEF_OTHER, .scope = scope });
		}
	}
}

static void note_import(struct aa_model *m, const char *module, size_t len)
{
	AA_GROW(m->imported, m->imported_cap, m->n_imported + 1);
	m->imported[m->n_imported++] = aa_model_intern(m, module, len);
}

/* `import a.b.c` binds a -> "a"; `import a.b as c` binds c -> "a.b". */
static void bind_import(struct aa_model *m, uint32_t scope, TSNode node)
{
	const struct aa_syms *s = m->syms;
	uint32_t n = ts_node_named_child_count(node);
	for (uint32_t i = 0; i < n; i++) {
		TSNode item = ts_node_named_child(node, i);
		uint32_t len;
		if (ts_node_symbol(item) == s->dotted_name) {
			const char *full = aa_node_text(m->src->text, item, &len);
			note_import(m, full, len);
			TSNode first = ts_node_named_child(item, 0);
			uint32_t flen;
			const char *fname = aa_node_text(m->src->text, first, &flen);
			bind_node(m, scope, first,
				  (struct def){ .kind = DEF_IMPORT, .scope = scope,
						.qual = aa_model_intern(m, fname, flen) });
		} else if (ts_node_symbol(item) == s->aliased_import) {
			TSNode name = ts_node_child_by_field_id(item, s->f.name);
			TSNode alias = ts_node_child_by_field_id(item, s->f.alias);
			if (ts_node_is_null(name) || ts_node_is_null(alias))
				continue;
			const char *full = aa_node_text(m->src->text, name, &len);
			note_import(m, full, len);
			bind_node(m, scope, alias,
				  (struct def){ .kind = DEF_IMPORT, .scope = scope, .qual = aa_model_intern(m, full, len) });
		}
	}
}

/* Dotted text without whitespace (a dotted_name may span a line continuation). */
static const char *dotted_text(struct aa_model *m, TSNode dotted)
{
	char buf[512];
	size_t len = 0;
	uint32_t n = ts_node_named_child_count(dotted);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t plen;
		const char *part = aa_node_text(m->src->text, ts_node_named_child(dotted, i), &plen);
		if (len + plen + 2 > sizeof(buf))
			break;
		if (i)
			buf[len++] = '.';
		memcpy(buf + len, part, plen);
		len += plen;
	}
	return aa_model_intern(m, buf, len);
}

/* The absolute module of a relative import (names.h), interned; NULL above the top. */
static const char *resolve_relative(struct aa_model *m, const char *text, uint32_t len)
{
	struct aa_buf out = AA_BUF_INIT;
	const char *r = NULL;
	if (aa_names_resolve_relative(m->module, m->is_package, text, len, &out))
		r = aa_model_intern(m, out.data, out.len);
	aa_buf_release(&out);
	return r;
}

static void bind_import_from(struct aa_model *m, uint32_t scope, TSNode node)
{
	const struct aa_syms *s = m->syms;
	TSNode mod = ts_node_child_by_field_id(node, s->f.module_name);
	if (ts_node_is_null(mod))
		return;
	const char *module;
	if (ts_node_symbol(mod) == s->dotted_name) {
		module = dotted_text(m, mod);
		note_import(m, module, strlen(module));
	} else {
		uint32_t len;
		const char *t = aa_node_text(m->src->text, mod, &len);
		module = resolve_relative(m, t, len);
		if (!module) /* above the top package: keep it unresolvable */
			module = aa_model_intern(m, t, len);
	}
	uint32_t n = ts_node_named_child_count(node);
	for (uint32_t i = 0; i < n; i++) {
		TSNode item = ts_node_named_child(node, i);
		TSSymbol k = ts_node_symbol(item);
		if (ts_node_eq(item, mod))
			continue;
		if (k == s->wildcard_import) {
			/* One star import qualifies the module's unbound names; two make them
			 * ambiguous. */
			m->star_module = m->star_import || scope != 0 ? NULL : module;
			m->star_import = true;
			if (scope == 0) {
				AA_GROW(m->star_modules, m->star_modules_cap, m->n_star_modules + 1);
				m->star_modules[m->n_star_modules++] = module;
			}
			continue;
		}
		TSNode name = item, alias = item;
		if (k == s->aliased_import) {
			name = ts_node_child_by_field_id(item, s->f.name);
			alias = ts_node_child_by_field_id(item, s->f.alias);
			if (ts_node_is_null(name) || ts_node_is_null(alias))
				continue;
		} else if (k != s->dotted_name) {
			continue;
		}
		const char *what = dotted_text(m, name);
		const char *qual = intern_join(m, module, what, strlen(what));
		if (ts_node_symbol(alias) == s->dotted_name)
			alias = ts_node_named_child(alias, 0);
		bind_node(m, scope, alias, (struct def){ .kind = DEF_IMPORT, .scope = scope, .qual = qual });
	}
}

static void bind_names_in(struct aa_model *m, uint32_t scope, TSNode stmt, enum def_kind kind)
{
	uint32_t n = ts_node_named_child_count(stmt);
	for (uint32_t i = 0; i < n; i++) {
		TSNode id = ts_node_named_child(stmt, i);
		if (ts_node_symbol(id) == m->syms->identifier)
			bind_node(m, scope, id, (struct def){ .kind = kind, .scope = scope });
	}
}

static bool decorated_with(struct aa_model *m, TSNode def, const char *name)
{
	TSNode parent = ts_node_parent(def);
	if (ts_node_is_null(parent) || ts_node_symbol(parent) != m->syms->decorated_definition)
		return false;
	size_t nlen = strlen(name);
	uint32_t n = ts_node_named_child_count(parent);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(parent, i);
		if (ts_node_symbol(d) != m->syms->decorator)
			continue;
		if (aa_node_text_is(m->src->text, ts_node_named_child(d, 0), name, (uint32_t)nlen))
			return true;
	}
	return false;
}

/* What a scope's children are qualified with: functions add ".<locals>". */
static const char *scope_prefix(struct aa_model *m, uint32_t scope)
{
	const struct aa_scope_info *sc = &m->scopes[scope];
	if (sc->kind == AA_SCOPE_FUNCTION || sc->kind == AA_SCOPE_LAMBDA || sc->kind == AA_SCOPE_COMPREHENSION)
		return intern_join(m, sc->qualname, "<locals>", 8);
	return sc->qualname;
}

static void on_open_scope(void *ud, TSNode node, enum aa_scope_kind kind, uint32_t id, uint32_t parent)
{
	struct aa_model *m = ud;
	const struct aa_syms *s = m->syms;
	AA_GROW(m->scopes, m->scopes_cap, (size_t)id + 1);
	struct aa_scope_info *sc = &m->scopes[id];
	memset(sc, 0, sizeof(*sc));
	m->n_scopes = id + 1;
	sc->kind = kind;
	sc->parent = parent;
	sc->node = node;
	sc->class_scope = AA_NO_SCOPE;
	sc->function = AA_NO_SCOPE;
	if (kind == AA_SCOPE_FUNCTION || kind == AA_SCOPE_LAMBDA) {
		sc->function = id;
		sc->is_async = kind == AA_SCOPE_FUNCTION && aa_node_has_async_keyword(s, node);
		sc->async_context = sc->is_async;
	} else if (parent != AA_NO_SCOPE) {
		sc->function = m->scopes[parent].function;
		sc->async_context = m->scopes[parent].async_context;
	}
	if (kind == AA_SCOPE_FUNCTION || kind == AA_SCOPE_CLASS) {
		TSNode name = ts_node_child_by_field_id(node, s->f.name);
		if (!ts_node_is_null(name))
			sc->name = aa_node_text(m->src->text, name, &sc->name_len);
	}
	if (parent == AA_NO_SCOPE) {
		sc->qualname = m->module;
	} else {
		const char *leaf = kind == AA_SCOPE_LAMBDA ? "<lambda>" : kind == AA_SCOPE_COMPREHENSION ? "<comp>" : NULL;
		uint32_t leaf_len = leaf ? (uint32_t)strlen(leaf) : sc->name_len;
		sc->qualname = intern_join(m, scope_prefix(m, parent), leaf ? leaf : sc->name ? sc->name : "?",
					   leaf || sc->name ? leaf_len : 1);
	}
	if (kind == AA_SCOPE_FUNCTION && parent != AA_NO_SCOPE && m->scopes[parent].kind == AA_SCOPE_CLASS &&
	    !decorated_with(m, node, "staticmethod")) {
		sc->class_scope = parent;
		TSNode params = ts_node_child_by_field_id(node, s->f.parameters);
		if (!ts_node_is_null(params) && ts_node_named_child_count(params) > 0) {
			TSNode first = ts_node_named_child(params, 0);
			if (ts_node_symbol(first) == s->typed_parameter || ts_node_symbol(first) == s->default_parameter ||
			    ts_node_symbol(first) == s->typed_default_parameter)
				first = ts_node_named_child(first, 0);
			if (ts_node_symbol(first) == s->identifier)
				sc->self_name = aa_node_text(m->src->text, first, &sc->self_len);
		}
	}
}

static void on_enter(void *ud, TSNode node, uint32_t scope, uint32_t inner, const struct aa_walk_state *ws)
{
	(void)ws;
	struct aa_model *m = ud;
	const struct aa_syms *s = m->syms;
	TSSymbol k = ts_node_symbol(node);
	if (k == s->comment) {
		AA_GROW(m->comments, m->comments_cap, m->n_comments + 1);
		m->comments[m->n_comments++] = node;
	} else if (k == s->function_definition || k == s->class_definition) {
		TSNode name = ts_node_child_by_field_id(node, s->f.name);
		if (!ts_node_is_null(name))
			bind_node(m, scope, name,
				  (struct def){ .kind = k == s->class_definition ? DEF_CLASS : DEF_FUNCTION,
						.scope = scope, .node = node });
		if (k == s->function_definition && inner != AA_NO_SCOPE) {
			TSNode params = ts_node_child_by_field_id(node, s->f.parameters);
			if (!ts_node_is_null(params))
				bind_parameters(m, inner, params);
		}
	} else if (k == s->lambda) {
		TSNode params = ts_node_child_by_field_id(node, s->f.parameters);
		if (!ts_node_is_null(params) && inner != AA_NO_SCOPE)
			bind_parameters(m, inner, params);
	} else if (k == s->assignment) {
		bind_assignment(m, scope, node);
	} else if (k == s->augmented_assignment) {
		TSNode left = ts_node_child_by_field_id(node, s->f.left);
		if (!ts_node_is_null(left) && ts_node_symbol(left) == s->identifier)
			bind_node(m, scope, left, (struct def){ .kind = DEF_NEUTRAL, .scope = scope });
	} else if (k == s->named_expression) {
		TSNode name = ts_node_child_by_field_id(node, s->f.name);
		TSNode value = ts_node_child_by_field_id(node, s->f.value);
		uint32_t target = nearest_non_comprehension(m, scope);
		if (!ts_node_is_null(name))
			bind_node(m, target, name, (struct def){ .kind = DEF_VALUE, .scope = scope, .node = value });
	} else if (k == s->for_statement || k == s->for_in_clause) {
		TSNode left = ts_node_child_by_field_id(node, s->f.left);
		if (!ts_node_is_null(left))
			bind_pattern_unknown(m, scope, left);
	} else if (k == s->as_pattern) {
		TSNode alias = ts_node_child_by_field_id(node, s->f.alias);
		TSNode parent = ts_node_parent(node);
		if (ts_node_is_null(alias))
			return;
		TSNode target = ts_node_named_child(alias, 0);
		if (!ts_node_is_null(parent) && ts_node_symbol(parent) == s->with_item && !ts_node_is_null(target) &&
		    ts_node_symbol(target) == s->identifier)
			bind_node(m, scope, target,
				  (struct def){ .kind = DEF_WITH, .scope = scope, .node = ts_node_named_child(node, 0) });
		else
			bind_pattern_unknown(m, scope, alias);
	} else if (k == s->import_statement) {
		bind_import(m, scope, node);
	} else if (k == s->import_from_statement) {
		bind_import_from(m, scope, node);
	} else if (k == s->global_statement) {
		bind_names_in(m, scope, node, DEF_GLOBAL);
	} else if (k == s->nonlocal_statement) {
		bind_names_in(m, scope, node, DEF_NONLOCAL);
	} else if (k == s->yield && m->scopes[scope].function != AA_NO_SCOPE) {
		m->scopes[m->scopes[scope].function].has_yield = true;
	}
}

struct aa_model *aa_model_build(const struct aa_source *src, const struct aa_syms *syms,
				const struct aa_parsed *parsed, const char *module, bool is_package)
{
	struct aa_model *m = aa_xcalloc(1, sizeof(*m));
	m->arena = (struct aa_arena)AA_ARENA_INIT(16384, 16384);
	m->src = src;
	m->syms = syms;
	m->module = aa_model_intern(m, module && *module ? module : "__main__", strlen(module && *module ? module : "__main__"));
	m->is_package = is_package;
	struct aa_walk_visitor v = { .ud = m, .open_scope = on_open_scope, .enter = on_enter };
	aa_walk(parsed, syms, &v);
	return m;
}

void aa_model_set_transparent(struct aa_model *m, const char *const *decorators)
{
	m->transparent = decorators;
}

const char *const *aa_model_transparent(const struct aa_model *m)
{
	return m->transparent;
}

void aa_model_free(struct aa_model *m)
{
	if (!m)
		return;
	aa_arena_release(&m->arena);
	free(m->scopes);
	free(m->defs);
	free(m->bindings);
	aa_map_release(&m->by_name);
	free(m->comments);
	free(m->imported);
	free(m->star_modules);
	free(m);
}

const struct aa_syms *aa_model_syms(const struct aa_model *m)
{
	return m->syms;
}

const struct aa_source *aa_model_source(const struct aa_model *m)
{
	return m->src;
}

const char *aa_model_text(const struct aa_model *m, TSNode node, uint32_t *len)
{
	return aa_node_text(m->src->text, node, len);
}

uint32_t aa_model_scope_count(const struct aa_model *m)
{
	return (uint32_t)m->n_scopes;
}

const struct aa_scope_info *aa_model_scope(const struct aa_model *m, uint32_t id)
{
	return &m->scopes[id];
}

uint32_t aa_model_scope_of(const struct aa_model *m, TSNode node)
{
	/* Scope ids follow the walk's preorder, so the scopes' nodes start in nondecreasing
	 * byte order (segments follow each other too): the first scope that starts at
	 * node's start, then the few that start there too. Scope 0, the module, holds all. */
	uint32_t start = ts_node_start_byte(node);
	size_t lo = 1, hi = m->n_scopes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ts_node_start_byte(m->scopes[mid].node) < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t id = lo; id < m->n_scopes && ts_node_start_byte(m->scopes[id].node) == start; id++)
		if (ts_node_eq(m->scopes[id].node, node))
			return (uint32_t)id;
	return AA_NO_SCOPE;
}

size_t aa_model_comment_count(const struct aa_model *m)
{
	return m->n_comments;
}

TSNode aa_model_comment(const struct aa_model *m, size_t i)
{
	return m->comments[i];
}

bool aa_model_imports(const struct aa_model *m, const char *module)
{
	size_t len = strlen(module);
	for (size_t i = 0; i < m->n_imported; i++) {
		const char *imp = m->imported[i];
		if (!strncmp(imp, module, len) && (imp[len] == '\0' || imp[len] == '.'))
			return true;
	}
	return false;
}

/* ---- evaluation ---------------------------------------------------------------------- */

static const struct aa_meaning unknown_meaning;

static bool same_meaning(const struct aa_meaning *a, const struct aa_meaning *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == AA_MEANING_NAME || a->kind == AA_MEANING_INSTANCE)
		return !strcmp(a->qualname, b->qualname);
	if (a->kind == AA_MEANING_FUNCTION || a->kind == AA_MEANING_CLASS)
		return ts_node_eq(a->node, b->node);
	return true;
}

static struct aa_meaning instance_of(struct aa_model *m, const char *cls, TSNode origin)
{
	struct aa_meaning r = { AA_MEANING_INSTANCE, aa_model_intern(m, cls, strlen(cls)), origin };
	return r;
}

static bool is_none(const struct aa_syms *s, TSNode n)
{
	return ts_node_is_null(n) || ts_node_symbol(n) == s->none;
}

/* Meaning of one def; *neutral is set for defs that do not change what a name is. */
static struct aa_meaning def_meaning(struct aa_model *m, const struct def *d, bool *neutral)
{
	const struct aa_syms *s = m->syms;
	*neutral = false;
	switch (d->kind) {
	case DEF_IMPORT:
		return (struct aa_meaning){ .kind = AA_MEANING_NAME, .qualname = d->qual };
	case DEF_VALUE:
		if (is_none(s, d->node)) {
			*neutral = true;
			return unknown_meaning;
		}
		return aa_model_eval(m, d->scope, d->node);
	case DEF_ANNOT: {
		struct aa_meaning r = aa_model_eval_annotation(m, d->scope, d->node);
		if (r.kind == AA_MEANING_UNKNOWN && !is_none(s, d->value))
			r = aa_model_eval(m, d->scope, d->value);
		else if (r.kind == AA_MEANING_INSTANCE && !is_none(s, d->value) &&
			 ts_node_symbol(d->value) == s->call)
			r.node = d->value;
		return r;
	}
	case DEF_WITH:
		return aa_model_eval(m, d->scope, d->node);
	case DEF_FUNCTION:
	case DEF_CLASS: {
		uint32_t len = 0;
		TSNode name = ts_node_child_by_field_id(d->node, s->f.name);
		const char *t = ts_node_is_null(name) ? "?" : aa_node_text(m->src->text, name, &len);
		return (struct aa_meaning){ d->kind == DEF_CLASS ? AA_MEANING_CLASS : AA_MEANING_FUNCTION,
					    intern_join(m, scope_prefix(m, d->scope), t, len ? len : 1), d->node };
	}
	case DEF_NEUTRAL:
		*neutral = true;
		return unknown_meaning;
	default:
		return unknown_meaning;
	}
}

static struct aa_meaning merge_defs(struct aa_model *m, struct binding **bs, size_t nb)
{
	struct aa_meaning result = unknown_meaning;
	bool have = false;
	size_t producers = 0;
	for (size_t bi = 0; bi < nb; bi++) {
		if (bs[bi]->n_defs > MAX_DEFS_PER_BINDING)
			return unknown_meaning;
		for (uint32_t di = bs[bi]->first_def; di != UINT32_MAX; di = m->defs[di].next) {
			bool neutral;
			struct aa_meaning dm = def_meaning(m, &m->defs[di], &neutral);
			if (neutral)
				continue;
			if (dm.kind == AA_MEANING_UNKNOWN)
				return unknown_meaning;
			if (!have) {
				result = dm;
				have = true;
			} else if (!same_meaning(&result, &dm)) {
				return unknown_meaning;
			}
			producers++;
		}
	}
	/* The origin of an instance is known only when one binding made it. */
	if (producers > 1 && result.kind == AA_MEANING_INSTANCE)
		result.node = (TSNode){ 0 };
	return result;
}

static struct aa_meaning resolve_binding(struct aa_model *m, struct binding *b)
{
	if (b->state == RESOLVED)
		return b->meaning;
	if (b->state == RESOLVING)
		return unknown_meaning; /* a cycle: a = b; b = a */
	b->state = RESOLVING;
	struct binding *one[1] = { b };
	struct aa_meaning r = merge_defs(m, one, 1);
	/* m->bindings may have moved: nothing adds bindings during evaluation, but re-find
	 * defensively by index is unnecessary; the pointer stays valid. */
	b->state = RESOLVED;
	b->meaning = r;
	return r;
}

static bool binding_redirects(const struct aa_model *m, const struct binding *b, enum def_kind kind)
{
	for (uint32_t di = b->first_def; di != UINT32_MAX; di = m->defs[di].next)
		if (m->defs[di].kind == kind)
			return true;
	return false;
}

/* The binding a name refers to from scope (LEGB), or NULL for a builtin / undefined. */
static struct binding *lookup(struct aa_model *m, uint32_t scope, const char *name, uint32_t len)
{
	struct binding *b = find_binding(m, scope, name, len);
	if (b) {
		if (binding_redirects(m, b, DEF_GLOBAL))
			return find_binding(m, 0, name, len);
		if (!binding_redirects(m, b, DEF_NONLOCAL))
			return b;
	}
	/* Enclosing scopes: class scopes are not visible from nested scopes. */
	for (uint32_t p = m->scopes[scope].parent; p != AA_NO_SCOPE; p = m->scopes[p].parent) {
		if (m->scopes[p].kind == AA_SCOPE_CLASS)
			continue;
		b = find_binding(m, p, name, len);
		if (b && !binding_redirects(m, b, DEF_NONLOCAL))
			return b;
	}
	return NULL;
}

static struct aa_meaning eval_name(struct aa_model *m, uint32_t scope, const char *name, uint32_t len)
{
	struct binding *b = lookup(m, scope, name, len);
	if (b && b->ns < m->n_scopes && b->n_defs == 1) {
		/* A method's first parameter, never rebound: an instance of its class. */
		const struct aa_scope_info *fn = &m->scopes[b->ns];
		if (fn->class_scope != AA_NO_SCOPE && fn->self_name && fn->self_len == len &&
		    !memcmp(fn->self_name, name, len))
			return instance_of(m, m->scopes[fn->class_scope].qualname, (TSNode){ 0 });
	}
	if (b)
		return resolve_binding(m, b);
	if (m->star_import && !m->star_module)
		return unknown_meaning;
	/* An unbound name comes from the star-imported module if anywhere (`from time
	 * import *; sleep(1)` is time.sleep), else from builtins. */
	struct aa_meaning r = { .kind = AA_MEANING_NAME,
				.qualname = intern_join(m, m->star_module ? m->star_module : "builtins", name, len) };
	return r;
}

struct aa_meaning aa_model_eval_name(struct aa_model *m, uint32_t scope, const char *name, uint32_t len, bool *bound)
{
	*bound = lookup(m, scope, name, len) != NULL;
	return eval_name(m, scope, name, len);
}

bool aa_model_star_import(const struct aa_model *m)
{
	return m->star_import;
}

size_t aa_model_star_modules(const struct aa_model *m, const char *const **modules)
{
	*modules = m->star_modules;
	return m->n_star_modules;
}

/* self.attr inside a method: the class's instance attributes and class attributes. */
static bool eval_self_attribute(struct aa_model *m, uint32_t scope, TSNode obj, TSNode attr,
				struct aa_meaning *out)
{
	const struct aa_syms *s = m->syms;
	if (ts_node_symbol(obj) != s->identifier)
		return false;
	uint32_t fn = m->scopes[scope].function;
	if (fn == AA_NO_SCOPE)
		return false;
	/* Lambdas and nested defs inside a method still see the method's `self`. */
	while (fn != AA_NO_SCOPE && m->scopes[fn].class_scope == AA_NO_SCOPE) {
		uint32_t p = m->scopes[fn].parent;
		fn = p == AA_NO_SCOPE ? AA_NO_SCOPE : m->scopes[p].function;
	}
	if (fn == AA_NO_SCOPE)
		return false;
	const struct aa_scope_info *method = &m->scopes[fn];
	uint32_t len;
	const char *name = aa_node_text(m->src->text, obj, &len);
	if (!method->self_name || len != method->self_len || memcmp(name, method->self_name, len))
		return false;
	/* `self` must still be the parameter (not rebound in the method). */
	struct binding *self_b = find_binding(m, fn, name, len);
	if (!self_b || self_b->n_defs != 1)
		return false;
	uint32_t alen;
	const char *aname = aa_node_text(m->src->text, attr, &alen);
	struct binding *bs[2];
	size_t nb = 0;
	struct binding *inst = find_binding(m, method->class_scope | ATTR_NS, aname, alen);
	struct binding *cls = find_binding(m, method->class_scope, aname, alen);
	if (inst)
		bs[nb++] = inst;
	if (cls)
		bs[nb++] = cls;
	if (!nb) {
		*out = unknown_meaning;
		return true;
	}
	for (size_t i = 0; i < nb; i++)
		if (bs[i]->state == RESOLVING) {
			*out = unknown_meaning;
			return true;
		}
	for (size_t i = 0; i < nb; i++)
		bs[i]->state = RESOLVING;
	*out = merge_defs(m, bs, nb);
	for (size_t i = 0; i < nb; i++)
		bs[i]->state = bs[i]->state == RESOLVING ? UNRESOLVED : bs[i]->state;
	/* Methods are not tracked objects. */
	if (out->kind == AA_MEANING_FUNCTION)
		*out = unknown_meaning;
	return true;
}

/* Attribute attr of a value that means om: `mod.name` of a module name, a known
 * attribute of an instance. */
static struct aa_meaning attribute_meaning(struct aa_model *m, struct aa_meaning om, TSNode attr)
{
	uint32_t len;
	const char *aname = aa_node_text(m->src->text, attr, &len);
	if (om.kind == AA_MEANING_NAME) {
		const char *q = intern_join(m, om.qualname, aname, len);
		const char *cls = aa_known_object(q);
		return cls ? instance_of(m, cls, (TSNode){ 0 }) : (struct aa_meaning){ .kind = AA_MEANING_NAME, .qualname = q };
	}
	if (om.kind == AA_MEANING_INSTANCE) {
		const char *cls = aa_known_attribute(om.qualname, aname, len);
		if (cls)
			return instance_of(m, cls, (TSNode){ 0 });
	}
	return unknown_meaning;
}

/* aa_model_eval of the attribute obj.attr, om being obj's meaning: as aa_model_eval
 * does it, one level down, without evaluating obj. */
static struct aa_meaning eval_attribute_from(struct aa_model *m, uint32_t scope, TSNode obj, TSNode attr,
					     const struct aa_meaning *om)
{
	struct aa_meaning r = unknown_meaning;
	if (m->eval_depth >= MAX_EVAL_DEPTH || ts_node_is_null(obj) || ts_node_is_null(attr))
		return r;
	m->eval_depth++;
	if (!eval_self_attribute(m, scope, obj, attr, &r))
		r = attribute_meaning(m, *om, attr);
	m->eval_depth--;
	return r;
}

struct aa_meaning aa_model_eval_attribute(struct aa_model *m, uint32_t scope, TSNode attribute,
					  const struct aa_meaning *om)
{
	const struct aa_syms *s = m->syms;
	return eval_attribute_from(m, scope, ts_node_child_by_field_id(attribute, s->f.object),
				   ts_node_child_by_field_id(attribute, s->f.attribute), om);
}

static struct aa_meaning eval_call(struct aa_model *m, uint32_t scope, TSNode call)
{
	const struct aa_syms *s = m->syms;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn))
		return unknown_meaning;
	struct aa_meaning fm;
	if (ts_node_symbol(fn) == s->attribute) {
		TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		struct aa_meaning om = aa_model_eval(m, scope, obj);
		if (om.kind == AA_MEANING_INSTANCE) {
			uint32_t len;
			const char *mname = aa_node_text(m->src->text, attr, &len);
			const char *r = aa_known_method_result(om.qualname, mname, len);
			return r ? instance_of(m, r, call) : unknown_meaning;
		}
		/* fn's meaning as aa_model_eval(fn) gives it (one level deeper), from om:
		 * evaluating fn would evaluate obj again, and the work on a chain `x.a().a()`
		 * would grow like the Fibonacci numbers up to MAX_EVAL_DEPTH (found by fuzzing). */
		fm = eval_attribute_from(m, scope, obj, attr, &om);
	} else if (ts_node_symbol(fn) == s->subscript) {
		/* A generic class parameterised, then called (`asyncio.Queue[Event]()`): the
		 * class's constructor. Anything else subscripted (a table of callables) means
		 * nothing here. */
		fm = aa_model_eval(m, scope, ts_node_child_by_field_id(fn, s->f.value));
		if (fm.kind != AA_MEANING_NAME && fm.kind != AA_MEANING_CLASS)
			return unknown_meaning;
	} else {
		fm = aa_model_eval(m, scope, fn);
	}
	if (fm.kind == AA_MEANING_NAME)
		return instance_of(m, aa_known_call_result(fm.qualname), call);
	if (fm.kind == AA_MEANING_CLASS)
		return instance_of(m, fm.qualname, call);
	return unknown_meaning;
}

/* The child whose meaning aa_model_eval(expr) is made from, evaluated one level down:
 * the spine of `x.a().a()`, `((x))`, `p / "a"`. A null node when expr's meaning is made
 * from no child's (a name, a literal, any other operator). */
static TSNode spine_child(const struct aa_model *m, TSNode expr)
{
	const struct aa_syms *s = m->syms;
	TSSymbol k = ts_node_symbol(expr);
	if (k == s->call) {
		TSNode fn = ts_node_child_by_field_id(expr, s->f.function);
		if (!ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute)
			return ts_node_child_by_field_id(fn, s->f.object);
		return fn;
	}
	if (k == s->attribute)
		return ts_node_child_by_field_id(expr, s->f.object);
	if (k == s->parenthesized_expression)
		return ts_node_named_child(expr, 0);
	if (k == s->binary_operator) {
		uint32_t len;
		const char *op = aa_node_text(m->src->text, ts_node_child_by_field_id(expr, s->f.operator), &len);
		if (len == 1 && op[0] == '/')
			return ts_node_child_by_field_id(expr, s->f.left);
	}
	return (TSNode){ 0 };
}

/* A spine is measured this far: past the depth bound, so that the links below the one
 * asked about are known deep too, one step each, as the rules' walk goes down. */
#define SPINE_MEASURE (2 * MAX_EVAL_DEPTH)

/* True when aa_model_eval(expr), asked from outside any evaluation, is UNKNOWN because
 * expr's spine is longer than the depth bound: the evaluation would reach a spine node
 * at the bound (UNKNOWN there, and not a name, which a method's `self` could still give
 * a meaning to its parent), and a spine node whose child is UNKNOWN is UNKNOWN. Saves
 * the descent: each link of a 100,000-link chain would otherwise cost MAX_EVAL_DEPTH
 * levels for each rule asking. The last spine measured is remembered: the link above
 * or below it is answered in one step. */
static bool beyond_depth(struct aa_model *m, TSNode expr)
{
	TSNode next = spine_child(m, expr);
	if (ts_node_is_null(next))
		return false;
	int levels = 0;
	if (ts_node_eq(next, m->spine_node))
		levels = m->spine_levels + 1;
	else if (ts_node_eq(expr, m->spine_next))
		levels = m->spine_levels - 1;
	/* A measure stops at SPINE_MEASURE levels: one derived from it is a lower bound,
	 * measured again when it no longer decides. */
	if (levels <= MAX_EVAL_DEPTH) {
		/* A spine level takes two bytes at least: `()`, `.a`, `(` `)`, `/a`. */
		if (ts_node_end_byte(expr) - ts_node_start_byte(expr) <= 2 * (MAX_EVAL_DEPTH + 1))
			return false;
		levels = 1;
		for (TSNode x = next; levels < SPINE_MEASURE; levels++) {
			x = spine_child(m, x);
			if (ts_node_is_null(x))
				break;
		}
	}
	m->spine_node = expr;
	m->spine_next = next;
	m->spine_levels = levels;
	/* Levels past the bound: the node at the bound has a child, so it is a spine node. */
	return levels > MAX_EVAL_DEPTH;
}

struct aa_meaning aa_model_eval(struct aa_model *m, uint32_t scope, TSNode expr)
{
	const struct aa_syms *s = m->syms;
	if (ts_node_is_null(expr) || m->eval_depth >= MAX_EVAL_DEPTH)
		return unknown_meaning;
	bool top = m->eval_depth == 0;
	for (unsigned i = 0; top && i < EVAL_MEMO; i++)
		if (m->memo[i].scope == scope && ts_node_eq(m->memo[i].expr, expr))
			return m->memo[i].meaning;
	struct aa_meaning r = unknown_meaning;
	if (top && beyond_depth(m, expr))
		goto done;
	m->eval_depth++;
	TSSymbol k = ts_node_symbol(expr);
	if (k == s->identifier) {
		uint32_t len;
		const char *name = aa_node_text(m->src->text, expr, &len);
		r = eval_name(m, scope, name, len);
	} else if (k == s->attribute) {
		TSNode obj = ts_node_child_by_field_id(expr, s->f.object);
		TSNode attr = ts_node_child_by_field_id(expr, s->f.attribute);
		if (!ts_node_is_null(obj) && !ts_node_is_null(attr) && !eval_self_attribute(m, scope, obj, attr, &r))
			r = attribute_meaning(m, aa_model_eval(m, scope, obj), attr);
	} else if (k == s->call) {
		r = eval_call(m, scope, expr);
	} else if (k == s->parenthesized_expression) {
		r = aa_model_eval(m, scope, ts_node_named_child(expr, 0));
	} else if (k == s->binary_operator) {
		TSNode op = ts_node_child_by_field_id(expr, s->f.operator);
		uint32_t len;
		const char *t = aa_node_text(m->src->text, op, &len);
		if (len == 1 && t[0] == '/') {
			struct aa_meaning lm = aa_model_eval(m, scope, ts_node_child_by_field_id(expr, s->f.left));
			if (lm.kind == AA_MEANING_INSTANCE && !strcmp(lm.qualname, "pathlib.Path"))
				r = instance_of(m, "pathlib.Path", (TSNode){ 0 });
		}
	}
	m->eval_depth--;
done:
	if (top) {
		m->memo[m->memo_next] = (struct eval_memo){ expr, scope, r };
		m->memo_next = (m->memo_next + 1) % EVAL_MEMO;
	}
	return r;
}

static bool is_dotted_text(const char *t, uint32_t len)
{
	if (!len)
		return false;
	for (uint32_t i = 0; i < len; i++) {
		char c = t[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' ||
		      (i && c >= '0' && c <= '9')))
			return false;
	}
	return t[0] != '.' && t[len - 1] != '.';
}

/* A string annotation "mod.C": resolve its first name, then its attributes. */
static struct aa_meaning eval_dotted_string(struct aa_model *m, uint32_t scope, TSNode str)
{
	const struct aa_syms *s = m->syms;
	uint32_t n = ts_node_named_child_count(str);
	TSNode content = { 0 };
	for (uint32_t i = 0; i < n; i++)
		if (ts_node_symbol(ts_node_named_child(str, i)) == s->string_content)
			content = ts_node_named_child(str, i);
	if (ts_node_is_null(content))
		return unknown_meaning;
	uint32_t len;
	const char *t = aa_node_text(m->src->text, content, &len);
	if (!is_dotted_text(t, len))
		return unknown_meaning;
	const char *dot = memchr(t, '.', len);
	uint32_t head = dot ? (uint32_t)(dot - t) : len;
	struct aa_meaning r = eval_name(m, scope, t, head);
	if (r.kind != AA_MEANING_NAME)
		return dot ? unknown_meaning : r;
	if (dot)
		r.qualname = intern_join(m, r.qualname, dot + 1, len - head - 1);
	return r;
}

struct aa_meaning aa_model_eval_annotation(struct aa_model *m, uint32_t scope, TSNode type)
{
	const struct aa_syms *s = m->syms;
	TSNode stack_node = type;
	for (int guard = 0; guard < 16 && !ts_node_is_null(stack_node); guard++) {
		TSNode t = stack_node;
		TSSymbol k = ts_node_symbol(t);
		if (k == s->type || k == s->parenthesized_expression) {
			stack_node = ts_node_named_child(t, 0);
			continue;
		}
		struct aa_meaning r = unknown_meaning;
		if (k == s->identifier || k == s->attribute) {
			r = aa_model_eval(m, scope, t);
		} else if (k == s->string) {
			r = eval_dotted_string(m, scope, t);
		} else if (k == s->binary_operator || k == s->union_type) {
			/* C | None */
			TSNode l = ts_node_child_by_field_id(t, s->f.left), rr = ts_node_child_by_field_id(t, s->f.right);
			if (ts_node_is_null(l) && ts_node_named_child_count(t) == 2) {
				l = ts_node_named_child(t, 0);
				rr = ts_node_named_child(t, 1);
			}
			bool lnone = ts_node_symbol(l) == s->none ||
				     (ts_node_symbol(l) == s->type && ts_node_symbol(ts_node_named_child(l, 0)) == s->none);
			bool rnone = ts_node_symbol(rr) == s->none ||
				     (ts_node_symbol(rr) == s->type && ts_node_symbol(ts_node_named_child(rr, 0)) == s->none);
			if (lnone == rnone)
				return unknown_meaning;
			stack_node = lnone ? rr : l;
			continue;
		} else if (k == s->generic_type || k == s->subscript) {
			/* Optional[C] */
			TSNode base = k == s->subscript ? ts_node_child_by_field_id(t, s->f.value) : ts_node_named_child(t, 0);
			struct aa_meaning bm = aa_model_eval(m, scope, base);
			if (bm.kind != AA_MEANING_NAME || strcmp(bm.qualname, "typing.Optional"))
				return unknown_meaning;
			TSNode arg = ts_node_named_child(t, 1);
			if (k == s->generic_type && !ts_node_is_null(arg))
				arg = ts_node_named_child(arg, 0); /* type_parameter -> type */
			if (k == s->subscript)
				arg = ts_node_child_by_field_id(t, s->f.subscript);
			if (ts_node_is_null(arg) || ts_node_named_child_count(ts_node_parent(arg)) > 2)
				return unknown_meaning;
			stack_node = arg;
			continue;
		}
		if (r.kind == AA_MEANING_NAME)
			return instance_of(m, aa_known_canonical(r.qualname), (TSNode){ 0 });
		if (r.kind == AA_MEANING_CLASS)
			return instance_of(m, r.qualname, (TSNode){ 0 });
		if (r.kind == AA_MEANING_INSTANCE)
			return unknown_meaning; /* an annotation naming an object is not a type */
		return unknown_meaning;
	}
	return unknown_meaning;
}

void aa_model_each_module_name(struct aa_model *m,
			       void (*fn)(void *ud, const char *name, uint32_t len, struct aa_meaning meaning), void *ud)
{
	/* Indices, not pointers: evaluation may intern strings but adds no bindings. */
	for (size_t i = 0; i < m->n_bindings; i++) {
		struct binding *b = &m->bindings[i];
		if (b->ns != 0)
			continue;
		fn(ud, b->name, b->len, resolve_binding(m, b));
	}
}

void aa_model_each_class_attr(struct aa_model *m,
			      void (*fn)(void *ud, const char *cls, const char *name, uint32_t len, struct aa_meaning meaning),
			      void *ud)
{
	for (size_t i = 0; i < m->n_bindings; i++) {
		struct binding *b = &m->bindings[i];
		uint32_t scope = b->ns & ~ATTR_NS;
		if (scope >= m->n_scopes || m->scopes[scope].kind != AA_SCOPE_CLASS)
			continue;
		struct aa_meaning r = resolve_binding(m, b);
		if (r.kind == AA_MEANING_INSTANCE)
			fn(ud, m->scopes[scope].qualname, b->name, b->len, r);
	}
}
