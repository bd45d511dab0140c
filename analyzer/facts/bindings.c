#include <stdlib.h>
#include <string.h>

#include "analyzer/base/xalloc.h"
#include "analyzer/facts/bindings.h"
#include "parsers/python/node.h"
#include "parsers/python/call_args.h"
#include "parsers/python/subtree.h"

/* Beyond this many nodes a body is not scanned (unknown). */
#define MAX_BODY_NODES 200000u

/* What an ancestor p of a node (child: the one below p on the way) says of the node's
 * enclosing `for`: it is p, there is none (a `while`, a comprehension or a nested def is
 * nearer), or p says nothing. */
enum loop_step { LOOP_NONE, LOOP_FOUND, LOOP_PASS };

static enum loop_step loop_step(const struct aa_syms *s, TSNode p, TSNode child)
{
	TSSymbol k = ts_node_symbol(p);
	if (k == s->while_statement || k == s->function_definition || k == s->lambda || k == s->class_definition ||
	    k == s->list_comprehension || k == s->set_comprehension || k == s->dictionary_comprehension ||
	    k == s->generator_expression)
		return LOOP_NONE;
	if (k == s->for_statement)
		return aa_node_field_is(p, s->f.body, child) ? LOOP_FOUND : LOOP_NONE;
	return LOOP_PASS;
}

TSNode aa_bindings_enclosing_for(const struct aa_model *model, const struct aa_walk_state *ws, TSNode fn_def,
				 TSNode node)
{
	const struct aa_syms *s = aa_model_syms(model);
	TSNode none = { 0 }, found = none;
	TSNode block, below;
	if (ws && aa_walk_enclosing_block(ws, node, &block, &below)) {
		/* The nearest ancestor that says anything decides: the walker knows it. fn_def,
		 * a def, says "none" when nothing nearer does. */
		if (ts_node_is_null(block))
			return none;
		return loop_step(s, block, below) == LOOP_FOUND ? block : none;
	}
	/* Down from fn_def to node (ts_node_child_with_descendant, as ts_node_parent does
	 * from the root each time it is called, but once): the last ancestor that says
	 * anything decides. */
	TSNode p = ts_node_child_with_descendant(fn_def, node);
	while (!ts_node_is_null(p) && !ts_node_eq(p, node)) {
		TSNode child = ts_node_child_with_descendant(p, node);
		enum loop_step step = loop_step(s, p, child);
		if (step != LOOP_PASS)
			found = step == LOOP_FOUND ? p : none;
		p = child;
	}
	return ts_node_is_null(p) ? none : found;
}

/* The identifier parameter p binds (`x` of `x`, `x=1`, `x: T`, `*x`, `**x`), or a null
 * node. */
static TSNode param_id(const struct aa_syms *s, TSNode p)
{
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
		return (TSNode){ 0 };
	return id;
}

bool aa_bindings_is_parameter(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_model_syms(model);
	TSNode params = ts_node_child_by_field_id(fn_def, s->f.parameters);
	uint32_t n = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);
	for (uint32_t i = 0; i < n; i++) {
		TSNode id = param_id(s, ts_node_named_child(params, i));
		if (!ts_node_is_null(id) && aa_node_text_is(aa_model_source(model)->text, id, name, len))
			return true;
	}
	return false;
}

int aa_bindings_param_position(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_model_syms(model);
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
		TSNode id = param_id(s, p);
		if (!ts_node_is_null(id) && aa_node_text_is(aa_model_source(model)->text, id, name, len))
			return pos;
		pos++;
	}
	return -1;
}

struct walk {
	const struct aa_model *model;
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
	TSNode p = ts_node_parent(id);
	*in_pattern = false;
	while (!ts_node_is_null(p) && (ts_node_symbol(p) == s->pattern_list || ts_node_symbol(p) == s->tuple_pattern ||
				       ts_node_symbol(p) == s->list_pattern)) {
		*in_pattern = true;
		p = ts_node_parent(p);
	}
	return p;
}

static bool classify(struct walk *w, TSNode id, struct aa_binding *b)
{
	const struct aa_syms *s = aa_model_syms(w->model);
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
		if (ts_node_is_null(call) || ts_node_symbol(call) != s->call || !aa_node_field_is(call, s->f.function, p))
			return false;
		TSNode attr = ts_node_child_by_field_id(p, s->f.attribute);
		const char *src = aa_model_source(w->model)->text;
		bool ext = aa_node_text_is(src, attr, "extend", 6);
		bool ins = aa_node_text_is(src, attr, "insert", 6);
		if (!ext && !ins && !aa_node_text_is(src, attr, "append", 6) && !aa_node_text_is(src, attr, "add", 3))
			return false;
		b->kind = AA_BIND_ADD;
		b->extend = ext;
		b->value = aa_call_args_find(s, NULL, call, ins ? 1 : 0, NULL);
		b->node = call;
		b->loop = aa_bindings_enclosing_for(w->model, NULL, w->fn_def, call);
		return !ts_node_is_null(b->value);
	}
	if (k == s->subscript && aa_node_field_is(p, s->f.value, id)) {
		TSNode a = ts_node_parent(p);
		if (ts_node_is_null(a) || ts_node_symbol(a) != s->assignment || !aa_node_field_is(a, s->f.left, p))
			return false;
		b->kind = AA_BIND_STORE;
		b->value = ts_node_child_by_field_id(a, s->f.right);
		b->node = a;
		b->loop = aa_bindings_enclosing_for(w->model, NULL, w->fn_def, a);
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
	const struct aa_syms *s = aa_model_syms(w->model);
	TSSymbol k = ts_node_symbol(n);
	if (aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	if (k != s->identifier)
		return AA_VISIT_DESCEND;
	if (!aa_node_text_is(aa_model_source(w->model)->text, n, w->name, w->len))
		return AA_VISIT_SKIP;
	struct aa_binding b;
	if (classify(w, n, &b) && !w->fn(w->ud, &b))
		return AA_VISIT_STOP;
	return AA_VISIT_SKIP;
}

bool aa_bindings_each(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len,
		      bool (*fn)(void *ud, const struct aa_binding *b), void *ud)
{
	TSNode body = ts_node_child_by_field_id(fn_def, aa_model_syms(model)->f.body);
	if (ts_node_is_null(body))
		return true;
	struct walk w = { model, fn_def, name, len, fn, ud };
	return aa_subtree_walk(body, MAX_BODY_NODES, visit, &w);
}

#define MAX_PATTERN_NAMES 8

struct names {
	const struct aa_model *model;  /* borrowed */
	const char *name[MAX_PATTERN_NAMES]; /* into the source */
	uint32_t len[MAX_PATTERN_NAMES];
	size_t n;
	TSNode keyword; /* the name of the last keyword argument entered: not a read */
	bool hit;
};

static enum aa_visit collect_name(void *ud, TSNode n)
{
	struct names *ns = ud;
	if (ts_node_symbol(n) != aa_model_syms(ns->model)->identifier)
		return AA_VISIT_DESCEND;
	uint32_t len;
	const char *t = aa_model_text(ns->model, n, &len);
	if (ns->n < MAX_PATTERN_NAMES && !(len == 1 && t[0] == '_')) {
		ns->name[ns->n] = t;
		ns->len[ns->n++] = len;
	}
	return AA_VISIT_SKIP;
}

static enum aa_visit find_name(void *ud, TSNode n)
{
	struct names *ns = ud;
	const struct aa_syms *s = aa_model_syms(ns->model);
	if (ts_node_symbol(n) == s->keyword_argument) {
		/* Its name is its first child, so the next node visited: remembering the last
		 * one is enough, and the walk stays flat (no walk per argument). */
		ns->keyword = ts_node_child_by_field_id(n, s->f.name);
		return AA_VISIT_DESCEND;
	}
	if (ts_node_symbol(n) != s->identifier)
		return AA_VISIT_DESCEND;
	if (ts_node_eq(n, ns->keyword))
		return AA_VISIT_SKIP;
	for (size_t i = 0; i < ns->n; i++)
		if (aa_node_text_is(aa_model_source(ns->model)->text, n, ns->name[i], ns->len[i])) {
			ns->hit = true;
			return AA_VISIT_STOP;
		}
	return AA_VISIT_SKIP;
}

bool aa_bindings_pattern_read(const struct aa_model *model, TSNode pattern, TSNode where)
{
	struct names ns = { .model = model };
	if (ts_node_is_null(pattern) || ts_node_is_null(where))
		return false;
	aa_subtree_walk(pattern, 1000, collect_name, &ns);
	if (ns.n)
		aa_subtree_walk(where, MAX_BODY_NODES, find_name, &ns);
	return ns.hit;
}

/* ---- reads after a binding ----------------------------------------------------------- */

/* A comprehension target larger than this is not scanned (taken to rebind the name). */
#define MAX_TARGET_NODES 4095u

struct name_query {
	const struct aa_model *model;
	const char *name;
	uint32_t len;
};

static bool is_name(const struct name_query *q, TSNode n)
{
	return aa_node_text_is(aa_model_source(q->model)->text, n, q->name, q->len);
}

static enum aa_visit find_identifier(void *ud, TSNode n)
{
	const struct name_query *q = ud;
	if (ts_node_symbol(n) == aa_model_syms(q->model)->identifier && is_name(q, n))
		return AA_VISIT_STOP;
	return AA_VISIT_DESCEND;
}

/* A comprehension whose `for` targets rebind the name. */
static bool comprehension_binds(struct name_query *q, TSNode comp)
{
	const struct aa_syms *s = aa_model_syms(q->model);
	uint32_t n = ts_node_named_child_count(comp);
	for (uint32_t i = 0; i < n; i++) {
		TSNode clause = ts_node_named_child(comp, i);
		if (ts_node_symbol(clause) != s->for_in_clause)
			continue;
		TSNode left = ts_node_child_by_field_id(clause, s->f.left);
		/* Stopped (the name is there) or too large: both say it rebinds. */
		if (!ts_node_is_null(left) && !aa_subtree_walk(left, MAX_TARGET_NODES, find_identifier, q))
			return true;
	}
	return false;
}

/* True when an identifier, child of a node of kind parent in field `field`, reads the
 * variable (rather than binding it or naming something else). Unsure cases read. */
static bool identifier_reads(const struct aa_syms *s, TSSymbol parent, TSFieldId field)
{
	if (parent == s->assignment)
		return field != s->f.left;
	if (parent == s->pattern_list || parent == s->tuple_pattern || parent == s->list_pattern ||
	    parent == s->list_splat_pattern || parent == s->dictionary_splat_pattern ||
	    parent == s->as_pattern_target || parent == s->parameters || parent == s->lambda_parameters)
		return false;
	if (parent == s->for_statement || parent == s->for_in_clause)
		return field != s->f.left;
	if (parent == s->attribute)
		return field != s->f.attribute;
	if (parent == s->keyword_argument || parent == s->function_definition || parent == s->class_definition ||
	    parent == s->default_parameter || parent == s->typed_default_parameter || parent == s->named_expression)
		return field != s->f.name;
	if (parent == s->except_clause)
		return field != s->f.alias;
	if (parent == s->typed_parameter)
		return field == s->f.type;
	return true;
}

enum {
	FRAME_NESTED = 1u << 0,      /* inside a nested scope: a read there counts wherever it is */
	FRAME_SKIP_BODY = 1u << 1,   /* a def/lambda rebinding the name: its body is another variable */
	FRAME_COMP_REBIND = 1u << 2, /* a comprehension rebinding it: only its first iterable is ours */
	FRAME_SEEN_FOR = 1u << 3,
};

struct frame {
	TSSymbol sym;
	unsigned flags;
	TSNode node;      /* for the walk of every name: the nested scopes' rebindings are asked later */
	TSFieldId field;  /* the field node is in, in its parent */
	bool first_for;   /* node is its comprehension's first for_in_clause */
};

struct read_query {
	struct name_query name;       /* one name's walk; name.name is NULL in the walk of every name */
	struct aa_name_reads *out;    /* one name's walk */
	aa_bindings_read_fn *add;     /* the walk of every name */
	void *ud;
	bool mixed;                   /* the walk of every name met locals()/vars() in a nested scope */
};

bool aa_bindings_sees_all_locals(const char *name, uint32_t len)
{
	return (len == 6 && !memcmp(name, "locals", 6)) || (len == 4 && !memcmp(name, "vars", 4));
}

enum read_kind {
	READ_NONE,   /* not a read of the name */
	READ_ALWAYS, /* a read that counts wherever the binding is */
	READ_AT,     /* a read that counts when it may run after the binding */
};

/* Whether this identifier is a read of the name that can see the binding, and how. */
static enum read_kind counts(const struct read_query *q, TSNode id, const struct frame *parent, TSFieldId field)
{
	const struct aa_syms *s = aa_model_syms(q->name.model);
	bool same = is_name(&q->name, id);
	if (same && (parent->sym == s->global_statement || parent->sym == s->nonlocal_statement))
		return READ_ALWAYS;
	if (!identifier_reads(s, parent->sym, field))
		return READ_NONE;
	uint32_t len;
	const char *t = aa_model_text(q->name.model, id, &len);
	if (aa_bindings_sees_all_locals(t, len))
		return READ_ALWAYS;
	if (!same)
		return READ_NONE;
	return parent->flags & FRAME_NESTED ? READ_ALWAYS : READ_AT;
}

/* In the walk of every name: would the walk of name[0..len) skip the identifier below
 * stack[0..depth) (in field `field` of stack[depth - 1]), because a nested def or lambda
 * around it has a parameter of that name and it is in its body, or a comprehension
 * around it has a `for` target of that name and it is not in its first for_in_clause? */
static bool rebound_around(const struct aa_model *model, const struct frame *stack, size_t depth, TSFieldId field,
			   const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_model_syms(model);
	for (size_t i = 1; i < depth; i++) {
		const struct frame *f = &stack[i];
		TSFieldId below = i + 1 < depth ? stack[i + 1].field : field;
		bool in_first_for = i + 1 < depth && stack[i + 1].first_for;
		if (aa_kind_is_definition(s, f->sym, false) && below == s->f.body &&
		    aa_bindings_is_parameter(model, f->node, name, len))
			return true;
		if (aa_kind_is_comprehension(s, f->sym) && !in_first_for) {
			struct name_query nq = { model, name, len };
			if (comprehension_binds(&nq, f->node))
				return true;
		}
	}
	return false;
}

/* In the walk of every name: the identifier id, below stack[0..depth) in field `field`:
 * what it reads, for q->add. */
static void every_read(struct read_query *q, const struct frame *stack, size_t depth, TSNode id, TSFieldId field)
{
	const struct aa_model *model = q->name.model;
	const struct aa_syms *s = aa_model_syms(model);
	const struct frame *parent = &stack[depth - 1];
	uint32_t len;
	const char *t = aa_model_text(model, id, &len);
	/* `global x` and `nonlocal x` read (identifier_reads says so too). */
	bool declared = parent->sym == s->global_statement || parent->sym == s->nonlocal_statement;
	if (!identifier_reads(s, parent->sym, field))
		return;
	if (aa_bindings_sees_all_locals(t, len)) {
		/* Every name reads it, but one that a nested scope around rebinds: asked name by
		 * name (never in the comparison trees). */
		for (size_t i = 1; i < depth; i++)
			if (aa_kind_is_definition(s, stack[i].sym, false) || aa_kind_is_comprehension(s, stack[i].sym))
				q->mixed = true;
		if (!q->mixed)
			q->add(q->ud, NULL, 0, true, 0);
		return;
	}
	bool always = declared || (parent->flags & FRAME_NESTED);
	if (always && rebound_around(model, stack, depth, field, t, len))
		return;
	q->add(q->ud, t, len, always, ts_node_start_byte(id));
}

/* Scans body for the reads that count, into q->out (its starts in preorder: ascending);
 * stops at the first that counts always. The cursor walk keeps its own stack of frames
 * (heap, no recursion) because a node's treatment depends on its parent's kind, its
 * field and the scopes around it, which aa_subtree_walk does not give. */
static void read_in(TSNode body, struct read_query *q)
{
	const struct aa_syms *s = aa_model_syms(q->name.model);
	struct frame *stack = NULL; /* owned */
	size_t depth = 0, cap = 0;
	unsigned visited = 0;
	TSTreeCursor c = ts_tree_cursor_new(body);

	AA_GROW(stack, cap, 1);
	stack[depth++] = (struct frame){ ts_node_symbol(body), 0, body, 0, false };
	if (!ts_tree_cursor_goto_first_child(&c))
		goto done;
	for (;;) {
		if (++visited > MAX_BODY_NODES) {
			if (q->out)
				q->out->always = true; /* unsure */
			q->mixed = true;
			goto done;
		}
		TSNode n = ts_tree_cursor_current_node(&c);
		TSSymbol k = ts_node_symbol(n);
		TSFieldId field = ts_tree_cursor_current_field_id(&c);
		struct frame *parent = &stack[depth - 1];
		bool visit = ts_node_is_named(n);
		if (visit && (parent->flags & FRAME_SKIP_BODY) && field == s->f.body)
			visit = false;
		if (visit && (parent->flags & FRAME_COMP_REBIND)) {
			/* Only the first clause's iterable is evaluated outside. */
			visit = k == s->for_in_clause && !(parent->flags & FRAME_SEEN_FOR);
			if (visit)
				parent->flags |= FRAME_SEEN_FOR;
		}
		if (visit && k == s->identifier && q->add) {
			every_read(q, stack, depth, n, field);
			if (q->mixed)
				goto done;
		}
		enum read_kind r = visit && k == s->identifier && !q->add ? counts(q, n, parent, field) : READ_NONE;
		if (r == READ_ALWAYS) {
			q->out->always = true;
			goto done;
		}
		if (r == READ_AT) {
			AA_GROW(q->out->starts, q->out->cap, q->out->n + 1);
			q->out->starts[q->out->n++] = ts_node_start_byte(n);
		}
		if (visit && ts_node_child_count(n)) {
			unsigned flags = parent->flags & FRAME_NESTED;
			/* The walk of every name rebinds nothing: every_read asks per read. */
			if (aa_kind_is_definition(s, k, false)) {
				flags |= FRAME_NESTED;
				if (!q->add && aa_bindings_is_parameter(q->name.model, n, q->name.name, q->name.len))
					flags |= FRAME_SKIP_BODY;
			} else if (k == s->class_definition) {
				flags |= FRAME_NESTED;
			} else if (aa_kind_is_comprehension(s, k)) {
				flags |= FRAME_NESTED;
				if (!q->add && comprehension_binds(&q->name, n))
					flags |= FRAME_COMP_REBIND;
			}
			bool first_for = false;
			if (k == s->for_in_clause && aa_kind_is_comprehension(s, parent->sym) &&
			    !(parent->flags & FRAME_SEEN_FOR)) {
				first_for = true;
				parent->flags |= FRAME_SEEN_FOR;
			}
			if (ts_tree_cursor_goto_first_child(&c)) {
				AA_GROW(stack, cap, depth + 1);
				stack[depth++] = (struct frame){ k, flags, n, field, first_for };
				continue;
			}
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth <= 1 || !ts_tree_cursor_goto_parent(&c))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	free(stack);
}

void aa_bindings_name_reads(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len,
			    struct aa_name_reads *out)
{
	*out = (struct aa_name_reads){ 0 };
	TSNode body = ts_node_child_by_field_id(fn_def, aa_model_syms(model)->f.body);
	if (ts_node_is_null(body)) {
		out->always = true; /* unsure */
		return;
	}
	struct read_query q = { .name = { model, name, len }, .out = out };
	read_in(body, &q);
	if (out->always) {
		free(out->starts);
		*out = (struct aa_name_reads){ .always = true };
	}
}

bool aa_bindings_every_read(const struct aa_model *model, TSNode fn_def, aa_bindings_read_fn *add, void *ud)
{
	TSNode body = ts_node_child_by_field_id(fn_def, aa_model_syms(model)->f.body);
	if (ts_node_is_null(body))
		return false;
	struct read_query q = { .name = { model, NULL, 0 }, .add = add, .ud = ud };
	read_in(body, &q);
	return !q.mixed;
}

void aa_bindings_name_reads_release(struct aa_name_reads *reads)
{
	free(reads->starts);
	*reads = (struct aa_name_reads){ 0 };
}

/* The index of the first of starts[0..n) at or after byte, or n. */
static size_t first_at(const uint32_t *starts, size_t n, uint32_t byte)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (starts[mid] < byte)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool aa_bindings_read_after(const struct aa_model *model, TSNode fn_def, TSNode node,
			    const struct aa_name_reads *reads)
{
	if (reads->always)
		return true;
	if (!reads->n || first_at(reads->starts, reads->n, ts_node_end_byte(node)) < reads->n)
		return reads->n > 0;
	/* The outermost loop is the first met walking down from the def (see
	 * aa_bindings_enclosing_for): code anywhere in it may run again after node. */
	const struct aa_syms *s = aa_model_syms(model);
	TSNode p = ts_node_child_with_descendant(fn_def, node);
	while (!ts_node_is_null(p) && !ts_node_eq(p, node)) {
		if (ts_node_symbol(p) == s->for_statement || ts_node_symbol(p) == s->while_statement) {
			size_t i = first_at(reads->starts, reads->n, ts_node_start_byte(p));
			return i < reads->n && reads->starts[i] < ts_node_end_byte(p);
		}
		p = ts_node_child_with_descendant(p, node);
	}
	return false;
}
