/*
 * The generic summarizer: definitions, classes and their bases, module-level names, and
 * the naming of callees the project index resolves. Nothing here knows a rule.
 */
#include "analyzer/facts/summarize.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/facts/decorators.h"
#include "analyzer/facts/lifecycle.h"
#include "analyzer/facts/loop_uses.h"
#include "analyzer/facts/stdlib_modules.h"
#include "parsers/python/node.h"

#include <stdlib.h>
#include <string.h>

static struct aa_span span_of(const struct aa_summarizer *z, TSNode node)
{
	const struct aa_source *src = z->src;
	uint32_t sb = ts_node_start_byte(node), eb = ts_node_end_byte(node);
	uint32_t l = aa_source_line_of(src, sb), el = aa_source_line_of(src, eb);
	return (struct aa_span){ l + 1, aa_source_col(src, l, sb), el + 1, aa_source_col(src, el, eb) };
}

/* Can a qualified name be project code? Only names under an analyzed top-level module
 * that is not the standard library. */
static bool project_name(const struct aa_summarizer *z, const char *q)
{
	if (!q || !strncmp(q, "builtins.", 9) || q[0] == '.')
		return false;
	size_t top = strcspn(q, ".");
	if (z->project)
		return z->project->is_project_top(z->project->ud, q, top);
	if (aa_stdlib_module(q, top))
		return false;
	const char *mod = z->summary->module;
	return strlen(mod) >= top && !strncmp(mod, q, top) && (mod[top] == '.' || mod[top] == '\0');
}

bool aa_summarizer_project_name(const struct aa_summarizer *z, const char *q)
{
	return z->summary && project_name(z, q);
}

/* ---- which names a class hierarchy of this file binds (self.m() calls) ---------------- */

/* Appends to the memo the names class_def's body binds (def, class, `name = ...`); false
 * when it holds a statement that might bind others (a compound statement, an unpacking
 * or attribute target). */
static bool collect_class_names(struct aa_summarizer *z, TSNode class_def)
{
	const struct aa_syms *s = z->syms;
	TSNode body = ts_node_child_by_field_id(class_def, s->f.body);
	uint32_t n = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
	for (uint32_t i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(body, i);
		TSSymbol k = ts_node_symbol(st);
		if (k == s->decorated_definition) {
			st = ts_node_child_by_field_id(st, s->f.definition);
			k = ts_node_symbol(st);
		}
		TSNode target = { 0 };
		if (k == s->function_definition || k == s->class_definition) {
			target = ts_node_child_by_field_id(st, s->f.name);
		} else if (k == s->expression_statement) {
			TSNode e = ts_node_named_child(st, 0);
			if (ts_node_is_null(e) || ts_node_symbol(e) != s->assignment)
				continue; /* a docstring, a call */
			target = ts_node_child_by_field_id(e, s->f.left);
			if (ts_node_is_null(target) || ts_node_symbol(target) != s->identifier)
				return false; /* `a, m = ...`, `x.m = ...`: not worth following */
		} else if (k == s->pass_statement || k == s->comment) {
			continue;
		} else {
			return false;
		}
		if (ts_node_is_null(target))
			continue;
		AA_GROW(z->self_names, z->self_names_cap, z->n_self_names + 1);
		struct aa_bound_name *b = &z->self_names[z->n_self_names++];
		b->name = aa_node_text(z->src->text, target, &b->len);
	}
	return true;
}

/* What a base class expression names, evaluated in scope (where the class statement
 * runs): a library class (nothing to look at), a class of this file (*class_scope: its
 * body and bases are looked at), or something that may be project code (false). */
static bool base_is_known(struct aa_summarizer *z, uint32_t scope, TSNode base, uint32_t *class_scope)
{
	const struct aa_syms *s = z->syms;
	*class_scope = AA_NO_SCOPE;
	if (ts_node_symbol(base) == s->keyword_argument || ts_node_symbol(base) == s->comment)
		return true; /* metaclass=...: its methods are the class's, not the instances' */
	if (ts_node_symbol(base) == s->subscript) /* Generic[T] */
		base = ts_node_child_by_field_id(base, s->f.value);
	if (ts_node_is_null(base))
		return false;
	struct aa_meaning m = aa_model_eval(z->model, scope, base);
	if (m.kind == AA_MEANING_CLASS && !ts_node_is_null(m.node)) {
		uint32_t id = aa_model_scope_of(z->model, m.node);
		if (id == AA_NO_SCOPE || aa_model_scope(z->model, id)->kind != AA_SCOPE_CLASS)
			return false;
		*class_scope = id;
		return true;
	}
	return m.kind == AA_MEANING_NAME && !aa_summarizer_project_name(z, m.qualname);
}

static int cmp_bound(const void *a, const void *b)
{
	const struct aa_bound_name *x = a, *y = b;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* At most this many classes of the file are looked at for one class's hierarchy:
 * deeper or wider ones are left to the index. */
#define MAX_SELF_CLASSES 16

static void fill_self_memo(struct aa_summarizer *z, uint32_t class_scope)
{
	z->self_valid = true;
	z->self_scope = class_scope;
	z->self_any = true;
	z->n_self_names = 0;
	uint32_t classes[MAX_SELF_CLASSES];
	size_t n_classes = 1;
	classes[0] = class_scope;
	for (size_t c = 0; c < n_classes; c++) {
		const struct aa_scope_info *sc = aa_model_scope(z->model, classes[c]);
		if (!collect_class_names(z, sc->node))
			return;
		const struct aa_syms *s = z->syms;
		TSNode supers = ts_node_child_by_field_id(sc->node, s->f.superclasses);
		uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t base;
			if (!base_is_known(z, sc->parent, ts_node_named_child(supers, i), &base))
				return;
			bool seen = base == AA_NO_SCOPE;
			for (size_t j = 0; j < n_classes && !seen; j++)
				seen = classes[j] == base;
			if (seen)
				continue;
			if (n_classes == MAX_SELF_CLASSES)
				return;
			classes[n_classes++] = base;
		}
	}
	z->self_any = false;
	if (z->n_self_names > 1)
		qsort(z->self_names, z->n_self_names, sizeof(*z->self_names), cmp_bound);
}

/* The scope of the method the current node is in (lambdas and nested defs in a method
 * still see its `self`), or AA_NO_SCOPE. */
static uint32_t current_method(const struct aa_summarizer *z)
{
	uint32_t fn = aa_model_scope(z->model, z->scope)->function;
	while (fn != AA_NO_SCOPE && aa_model_scope(z->model, fn)->class_scope == AA_NO_SCOPE) {
		uint32_t p = aa_model_scope(z->model, fn)->parent;
		fn = p == AA_NO_SCOPE ? AA_NO_SCOPE : aa_model_scope(z->model, p)->function;
	}
	return fn;
}

bool aa_summarizer_is_self(const struct aa_summarizer *z, TSNode ident)
{
	uint32_t fn = current_method(z);
	if (fn == AA_NO_SCOPE)
		return false;
	const struct aa_scope_info *method = aa_model_scope(z->model, fn);
	uint32_t len;
	const char *t = aa_node_text(z->src->text, ident, &len);
	return method->self_name && method->self_len == len && !memcmp(method->self_name, t, len);
}

bool aa_summarizer_self_method_unbound(struct aa_summarizer *z, const char *name, uint32_t len)
{
	uint32_t method = current_method(z);
	if (method == AA_NO_SCOPE)
		return false;
	uint32_t class_scope = aa_model_scope(z->model, method)->class_scope;
	if (class_scope == AA_NO_SCOPE)
		return false;
	if (!z->self_valid || z->self_scope != class_scope)
		fill_self_memo(z, class_scope);
	if (z->self_any)
		return false;
	if (!z->n_self_names) /* bsearch wants an array, not NULL */
		return true;
	struct aa_bound_name key = { name, len };
	return !bsearch(&key, z->self_names, z->n_self_names, sizeof(key), cmp_bound);
}

/* The class whose method the current scope is in, or NULL. */
static const char *enclosing_class(struct aa_summarizer *z)
{
	uint32_t fn = aa_model_scope(z->model, z->scope)->function;
	while (fn != AA_NO_SCOPE) {
		const struct aa_scope_info *sc = aa_model_scope(z->model, fn);
		if (sc->class_scope != AA_NO_SCOPE)
			return aa_model_scope(z->model, sc->class_scope)->qualname;
		fn = sc->parent == AA_NO_SCOPE ? AA_NO_SCOPE : aa_model_scope(z->model, sc->parent)->function;
	}
	return NULL;
}

static bool is_super_call(struct aa_summarizer *z, TSNode expr)
{
	const struct aa_syms *s = z->syms;
	if (ts_node_symbol(expr) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(expr, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->identifier)
		return false;
	struct aa_meaning m = aa_model_eval(z->model, z->scope, fn);
	return m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "builtins.super");
}

/* `coresys.core.set_state()`: the receiver's type is not known in this file, but it
 * starts from an object that is (`coresys: CoreSys`), through attributes whose types the
 * index knows (class attributes, `self.x = ...`, properties' return annotations). */
#define MAX_CHAIN 4
static bool chain_ref(struct aa_summarizer *z, TSNode fn, struct aa_ref *out)
{
	const struct aa_syms *s = z->syms;
	TSNode attrs[MAX_CHAIN];
	size_t n = 0;
	TSNode method = ts_node_child_by_field_id(fn, s->f.attribute);
	TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
	struct aa_meaning base = { 0 };
	while (!ts_node_is_null(obj)) {
		base = aa_model_eval(z->model, z->scope, obj);
		if (base.kind != AA_MEANING_UNKNOWN || ts_node_symbol(obj) != s->attribute || n == MAX_CHAIN)
			break;
		attrs[n++] = ts_node_child_by_field_id(obj, s->f.attribute);
		obj = ts_node_child_by_field_id(obj, s->f.object);
	}
	if (!n || ts_node_is_null(method) || base.kind != AA_MEANING_INSTANCE || !project_name(z, base.qualname))
		return false;
	struct aa_buf path = AA_BUF_INIT;
	for (size_t i = n; i-- > 0;) {
		uint32_t len;
		const char *t = aa_node_text(z->src->text, attrs[i], &len);
		if (path.len)
			aa_buf_addc(&path, '.');
		aa_buf_add(&path, t, len);
	}
	struct aa_summary *sum = z->summary;
	uint32_t mlen;
	const char *m = aa_node_text(z->src->text, method, &mlen);
	*out = (struct aa_ref){ AA_REF_CHAIN, aa_summary_intern(sum, base.qualname, strlen(base.qualname)),
				aa_summary_intern(sum, m, mlen), aa_summary_intern(sum, path.data, path.len) };
	aa_buf_release(&path);
	return true;
}

static bool ref_of(struct aa_summarizer *z, TSNode fn, const struct aa_callee *c, struct aa_ref *out)
{
	const struct aa_syms *s = z->syms;
	struct aa_summary *sum = z->summary;
	if (ts_node_is_null(fn))
		return false;
	if (ts_node_symbol(fn) == s->attribute) {
		TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		if (!ts_node_is_null(obj) && !ts_node_is_null(attr) && is_super_call(z, obj)) {
			const char *cls = enclosing_class(z);
			if (!cls)
				return false;
			uint32_t len;
			const char *m = aa_node_text(z->src->text, attr, &len);
			*out = (struct aa_ref){ AA_REF_SUPER, aa_summary_intern(sum, cls, strlen(cls)),
						aa_summary_intern(sum, m, len), NULL };
			return true;
		}
	}
	if (c->kind == AA_CALLEE_UNKNOWN && ts_node_symbol(fn) == s->attribute) {
		/* `Fetcher.fetch()` on a class of this file: named as when the class is
		 * imported (`pkg.core.Fetcher.fetch`); the index finds inherited members. */
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		struct aa_meaning om = aa_model_eval(z->model, z->scope, ts_node_child_by_field_id(fn, s->f.object));
		if (om.kind == AA_MEANING_CLASS && !ts_node_is_null(attr) && project_name(z, om.qualname)) {
			uint32_t len;
			const char *m = aa_node_text(z->src->text, attr, &len);
			struct aa_buf q = AA_BUF_INIT;
			aa_buf_addf(&q, "%s.%.*s", om.qualname, (int)len, m);
			*out = (struct aa_ref){ AA_REF_NAME, aa_summary_intern(sum, q.data, q.len), NULL, NULL };
			aa_buf_release(&q);
			return true;
		}
		return chain_ref(z, fn, out);
	}
	switch (c->kind) {
	case AA_CALLEE_FUNCTION:
	case AA_CALLEE_LOCAL:
		if (!project_name(z, c->qualname))
			return false;
		*out = (struct aa_ref){ AA_REF_NAME, aa_summary_intern(sum, c->qualname, strlen(c->qualname)), NULL, NULL };
		return true;
	case AA_CALLEE_METHOD:
		if (!project_name(z, c->qualname))
			return false;
		*out = (struct aa_ref){ AA_REF_METHOD, aa_summary_intern(sum, c->qualname, strlen(c->qualname)),
					aa_summary_intern(sum, c->method, c->method_len), NULL };
		return true;
	default:
		return false;
	}
}

bool aa_summarizer_ref(struct aa_summarizer *z, TSNode call, struct aa_ref *out)
{
	if (!z->summary)
		return false;
	if (!ts_node_eq(call, z->ref_call)) {
		TSNode fn = ts_node_child_by_field_id(call, z->syms->f.function);
		z->ref_found = ref_of(z, fn, aa_summarizer_callee(z, call), &z->ref);
		z->ref_call = call;
	}
	if (z->ref_found)
		*out = z->ref;
	return z->ref_found;
}

bool aa_summarizer_ref_fn(struct aa_summarizer *z, TSNode fn, struct aa_ref *out)
{
	if (!z->summary)
		return false;
	struct aa_callee c;
	aa_callee_resolve(z->model, z->syms, z->src, z->scope, fn, &c);
	return ref_of(z, fn, &c, out);
}

static void set_scope_func(struct aa_summarizer *z, uint32_t scope, uint32_t func)
{
	if (scope >= z->scope_func_cap) {
		size_t old = z->scope_func_cap;
		AA_GROW(z->scope_func, z->scope_func_cap, (size_t)scope + 1);
		for (size_t i = old; i < z->scope_func_cap; i++)
			z->scope_func[i] = UINT32_MAX;
	}
	z->scope_func[scope] = func;
}

static uint32_t scope_func(const struct aa_summarizer *z, uint32_t scope)
{
	return scope < z->scope_func_cap ? z->scope_func[scope] : UINT32_MAX;
}

static void add_function(struct aa_summarizer *z, TSNode node, uint32_t inner)
{
	struct aa_summary *sum = z->summary;
	const struct aa_scope_info *sc = aa_model_scope(z->model, inner);
	TSNode name = ts_node_child_by_field_id(node, z->syms->f.name);
	AA_GROW(sum->funcs, z->caps.funcs, sum->n_funcs + 1);
	struct aa_sum_func *f = &sum->funcs[sum->n_funcs];
	memset(f, 0, sizeof(*f));
	f->qualname = aa_summary_intern(sum, sc->qualname, strlen(sc->qualname));
	f->module = sum->module;
	f->is_async = sc->is_async;
	f->is_coroutine = sc->is_async && !sc->has_yield; /* aa_coroutine_def_is_async, by scope */
	/* The decorator rule of coroutines serves helpers too: staticmethod, classmethod,
	 * abstractmethod, override and functools' caches leave a function what it was. */
	f->memoised = aa_decorators_memoise_under(z->model, z->syms, z->scope, aa_summarizer_parent(z, node));
	f->opaque = !aa_decorators_transparent_under(z->model, z->syms, z->scope,
							       aa_summarizer_parent(z, node));
	TSNode up = aa_summarizer_parent(z, node);
	aa_lifecycle_decorators(z->syms, z->src->text, up, &f->hook, &f->decorated);
	TSNode rt = ts_node_child_by_field_id(node, z->syms->f.return_type);
	/* An @overload stub's return type holds for some arguments only (the index keeps a
	 * name's first definition, often such a stub): what it returns is unknown. */
	if (!ts_node_is_null(rt) &&
	    !aa_decorators_overload_under(z->model, z->syms, z->scope, aa_summarizer_parent(z, node))) {
		struct aa_meaning r = aa_model_eval_annotation(z->model, z->scope, rt);
		if (r.kind == AA_MEANING_INSTANCE && project_name(z, r.qualname))
			f->returns = aa_summary_intern(sum, r.qualname, strlen(r.qualname));
	}
	f->span = span_of(z, ts_node_is_null(name) ? node : name);
	set_scope_func(z, inner, (uint32_t)sum->n_funcs);
	sum->n_funcs++;
}

static void add_class(struct aa_summarizer *z, TSNode node, uint32_t inner)
{
	const struct aa_syms *s = z->syms;
	struct aa_summary *sum = z->summary;
	const struct aa_scope_info *sc = aa_model_scope(z->model, inner);
	AA_GROW(sum->classes, z->caps.classes, sum->n_classes + 1);
	struct aa_sum_class *c = &sum->classes[sum->n_classes++];
	c->qualname = aa_summary_intern(sum, sc->qualname, strlen(sc->qualname));
	c->first_base = (uint32_t)sum->n_bases;
	c->n_bases = 0;
	TSNode supers = ts_node_child_by_field_id(node, s->f.superclasses);
	uint32_t n = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
	for (uint32_t i = 0; i < n; i++) {
		TSNode b = ts_node_named_child(supers, i);
		if (ts_node_symbol(b) == s->keyword_argument || ts_node_symbol(b) == s->comment)
			continue;
		struct aa_meaning m = aa_model_eval(z->model, z->scope, b);
		const char *q = (m.kind == AA_MEANING_NAME || m.kind == AA_MEANING_CLASS) ? m.qualname : NULL;
		AA_GROW(sum->bases, z->caps.bases, sum->n_bases + 1);
		sum->bases[sum->n_bases++] = q ? aa_summary_intern(sum, q, strlen(q)) : NULL;
		c->n_bases++;
	}
}

/* The summary function whose body the current scope is (not lambdas), or UINT32_MAX. */
void aa_summarizer_init(struct aa_summarizer *z, const struct aa_syms *syms, const struct aa_source *src,
			struct aa_model *model, const struct aa_project_names *project, struct aa_summary *summary,
			bool tests)
{
	memset(z, 0, sizeof(*z));
	z->tests = tests;
	z->loop_runs = (struct aa_map)AA_MAP_INIT;
	z->syms = syms;
	z->src = src;
	z->model = model;
	z->project = project;
	z->summary = summary;
	aa_buf_init(&z->scratch);
	aa_loop_uses_begin(z);
}

void aa_summarizer_release(struct aa_summarizer *z)
{
	free(z->scope_func);
	free(z->self_names);
	free(z->uses);
	aa_map_release(&z->loop_runs);
	aa_buf_release(&z->scratch);
	memset(z, 0, sizeof(*z));
}

void aa_summarizer_at(struct aa_summarizer *z, uint32_t scope, const struct aa_walk_state *walk)
{
	z->scope = scope;
	z->walk = walk;
}

const struct aa_callee *aa_summarizer_callee(struct aa_summarizer *z, TSNode call)
{
	if (ts_node_eq(call, z->callee_call))
		return &z->callee;
	aa_callee_resolve(z->model, z->syms, z->src, z->scope, ts_node_child_by_field_id(call, z->syms->f.function),
			  &z->callee);
	z->callee_call = call;
	return &z->callee;
}

TSNode aa_summarizer_parent(const struct aa_summarizer *z, TSNode node)
{
	return aa_walk_parent(z->walk, node);
}

const char *aa_summarizer_callee_text(struct aa_summarizer *z, TSNode call)
{
	aa_buf_reset(&z->scratch);
	aa_callee_text(z->syms, z->src, call, &z->scratch);
	return z->scratch.data;
}

const char *aa_summarizer_function_name(struct aa_summarizer *z)
{
	const struct aa_scope_info *sc = aa_model_scope(z->model, z->scope);
	if (sc->function == AA_NO_SCOPE)
		return "<module>";
	const struct aa_scope_info *fn = aa_model_scope(z->model, sc->function);
	if (!fn->name)
		return "<lambda>";
	return aa_model_intern(z->model, fn->name, fn->name_len);
}

struct aa_span aa_summarizer_span(const struct aa_summarizer *z, TSNode node)
{
	return span_of(z, node);
}

struct aa_excerpt aa_summarizer_line(const struct aa_summarizer *z, TSNode node)
{
	return aa_excerpt_of(z->src, ts_node_start_byte(node));
}

uint32_t aa_summarizer_scope_function(const struct aa_summarizer *z, uint32_t scope)
{
	return z->summary ? scope_func(z, scope) : UINT32_MAX;
}

uint32_t aa_summarizer_function(const struct aa_summarizer *z, bool *in_lambda)
{
	*in_lambda = false;
	if (!z->summary)
		return UINT32_MAX;
	uint32_t fn = aa_model_scope(z->model, z->scope)->function;
	*in_lambda = fn != AA_NO_SCOPE && aa_model_scope(z->model, fn)->kind == AA_SCOPE_LAMBDA;
	return fn == AA_NO_SCOPE ? UINT32_MAX : scope_func(z, fn);
}

void aa_summarizer_enter(struct aa_summarizer *z, TSNode node, uint32_t inner)
{
	if (!z->summary)
		return;
	TSSymbol k = ts_node_symbol(node);
	if (inner != AA_NO_SCOPE && k == z->syms->function_definition)
		add_function(z, node, inner);
	else if (inner != AA_NO_SCOPE && k == z->syms->class_definition)
		add_class(z, node, inner);
	else
		aa_loop_uses_node(z, node);
}

void aa_summarizer_defer(struct aa_summarizer *z, const struct aa_rule *rule, TSNode call, const struct aa_ref *ref,
			 uint32_t alone_func, char *message, struct aa_fix *fix)
{
	struct aa_summary *sum = z->summary;
	AA_GROW(sum->defers, z->caps.defers, sum->n_defers + 1);
	sum->defers[sum->n_defers++] = (struct aa_sum_defer){
		.rule = rule,
		.ref = ref ? *ref : (struct aa_ref){ 0 },
		.alone_func = ref ? UINT32_MAX : alone_func,
		.settled = !ref,
		.span = span_of(z, call),
		.message = message,
		.line = aa_summarizer_line(z, call),
		.fix = fix,
	};
}

static void add_export(void *ud, const char *name, uint32_t len, struct aa_meaning m)
{
	struct aa_summarizer *z = ud;
	struct aa_summary *sum = z->summary;
	if (m.kind != AA_MEANING_NAME && m.kind != AA_MEANING_FUNCTION && m.kind != AA_MEANING_CLASS)
		return;
	size_t ml = strlen(sum->module);
	/* A def or class under its own name is already known by its qualified name. */
	if (m.kind != AA_MEANING_NAME && !strncmp(m.qualname, sum->module, ml) && m.qualname[ml] == '.' &&
	    strlen(m.qualname + ml + 1) == len && !memcmp(m.qualname + ml + 1, name, len))
		return;
	char *full = aa_xasprintf("%s.%.*s", sum->module, (int)len, name);
	AA_GROW(sum->exports, z->caps.exports, sum->n_exports + 1);
	sum->exports[sum->n_exports++] = (struct aa_sum_export){ aa_summary_intern(sum, full, strlen(full)),
								 aa_summary_intern(sum, m.qualname, strlen(m.qualname)) };
	free(full);
}

static void add_attr(void *ud, const char *cls, const char *name, uint32_t len, struct aa_meaning m)
{
	struct aa_summarizer *z = ud;
	struct aa_summary *sum = z->summary;
	if (!project_name(z, m.qualname))
		return;
	char *full = aa_xasprintf("%s.%.*s", cls, (int)len, name);
	AA_GROW(sum->attrs, z->caps.attrs, sum->n_attrs + 1);
	sum->attrs[sum->n_attrs++] = (struct aa_sum_attr){ aa_summary_intern(sum, full, strlen(full)),
							   aa_summary_intern(sum, m.qualname, strlen(m.qualname)) };
	free(full);
}

static void add_star_bound(void *ud, const char *name, uint32_t len, struct aa_meaning m)
{
	(void)m;
	struct aa_summarizer *z = ud;
	struct aa_summary *sum = z->summary;
	AA_GROW(sum->star_bound, z->caps.star_bound, sum->n_star_bound + 1);
	sum->star_bound[sum->n_star_bound++] = aa_summary_intern(sum, name, len);
}

void aa_summarizer_finish(struct aa_summarizer *z)
{
	if (!z->summary)
		return;
	aa_model_each_module_name(z->model, add_export, z);
	aa_model_each_class_attr(z->model, add_attr, z);
	const char *const *stars;
	size_t n_stars = aa_model_star_modules(z->model, &stars), kept = 0;
	struct aa_buf joined = AA_BUF_INIT;
	/* The last project ones: only the index's modules can be looked into (a library's
	 * star import is passed over anyway), and a later import wins. */
	size_t first = n_stars;
	while (first > 0 && kept < AA_SUM_MAX_STARS)
		kept += project_name(z, stars[--first]);
	for (size_t i = first; i < n_stars; i++)
		if (project_name(z, stars[i]))
			aa_buf_add(&joined, stars[i], strlen(stars[i]) + 1);
	if (kept) {
		z->summary->star_modules = aa_summary_intern(z->summary, joined.data, joined.len - 1);
		z->summary->n_star_modules = (uint32_t)kept;
		aa_model_each_module_name(z->model, add_star_bound, z);
	}
	aa_buf_release(&joined);
	aa_loop_uses_finish(z);
}
