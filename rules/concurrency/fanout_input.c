/* Condition (a) of the fan-out rules (fanout.h): do the items come from outside the
 * program? Follows values back through local bindings, comprehensions and the builtins
 * that pass items through; anything else is not external (unknown is quiet). */
#include <string.h>

#include "analyzer/facts/bindings.h"
#include "rules/concurrency/fanout.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"

/* How far values are followed back (names, comprehensions, pass-through calls). */
#define MAX_DEPTH 8
#define SHOW 40

struct ext {
	struct aa_ctx *ctx;
	TSNode fn;
	struct aa_buf *why;
	int depth;
};

static bool external(struct ext *x, TSNode e);

static uint32_t line_of(struct ext *x, TSNode n)
{
	return aa_source_line_of(aa_ctx_source(x->ctx), ts_node_start_byte(n)) + 1;
}

/* `text` shortened for a message, on one line. */
static void add_shown(struct ext *x, TSNode n)
{
	uint32_t len;
	const char *t = aa_ctx_text(x->ctx, n, &len);
	uint32_t cut = 0;
	while (cut < len && cut < SHOW && t[cut] != '\n')
		cut++;
	aa_buf_add(x->why, t, cut);
	if (cut < len)
		aa_buf_adds(x->why, "...");
}

static void say(struct ext *x, const char *before, TSNode shown, const char *after, TSNode at)
{
	aa_buf_adds(x->why, before);
	if (!ts_node_is_null(shown))
		add_shown(x, shown);
	aa_buf_addf(x->why, "%s on line %u", after, line_of(x, at));
}

/* Methods whose awaited result is data received from a peer. */
static const char *const received[] = { "json", "text", "read", "readlines", "readline", "readany", "fetch",
					"fetchall", "fetchmany", "recv", "receive", "receive_json", "receive_text",
					"form", "post", "body", "get_json", "to_list", "all", "scalars", NULL };
/* Sync methods returning rows or lines. */
static const char *const rows[] = { "fetchall", "fetchmany", "readlines", NULL };
/* Methods returning items of their receiver. */
static const char *const passing[] = { "items", "keys", "values", "split", "splitlines", "copy", "get",
				       "getall", "getlist", "strip", "rstrip", "lstrip", NULL };

/* `[i:i + 10]`, `[:100]`: a slice with an upper bound takes a batch of fixed size.
 * `[1:]` does not. */
static bool slice_has_end(struct ext *x, TSNode sub)
{
	uint32_t len;
	const char *t = aa_ctx_text(x->ctx, sub, &len);
	const char *colon = memchr(t, ':', len);
	if (!colon)
		return false;
	const char *end = colon + 1;
	while (end < t + len && (*end == ' ' || *end == '\t'))
		end++;
	return end < t + len && *end != ':';
}

/* The method name of `recv.m(...)`, or NULL. */
static const char *method_of(struct ext *x, TSNode call, uint32_t *len, TSNode *recv)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return NULL;
	*recv = ts_node_child_by_field_id(fn, s->f.object);
	TSNode a = ts_node_child_by_field_id(fn, s->f.attribute);
	return ts_node_is_null(a) ? NULL : aa_ctx_text(x->ctx, a, len);
}

struct name_scan {
	struct ext *x;
	bool hit;
};

static bool external_call(struct ext *x, TSNode call, bool awaited);

static bool on_binding(void *ud, const struct aa_binding *b)
{
	struct name_scan *ns = ud;
	struct ext *x = ns->x;
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	switch (b->kind) {
	case AA_BIND_ASSIGN:
	case AA_BIND_AUGMENT:
		ns->hit = external(x, b->value);
		break;
	case AA_BIND_FOR:
		ns->hit = external(x, b->value);
		break;
	case AA_BIND_ASYNC_FOR:
		say(x, "received by 'async for' over '", b->value, "'", b->node);
		ns->hit = true;
		break;
	case AA_BIND_ADD:
	case AA_BIND_STORE:
		/* A list filled in a loop: its items come from the loop's iterable. */
		if (!ts_node_is_null(b->loop))
			ns->hit = external(x, ts_node_child_by_field_id(b->loop, s->f.right));
		if (!ns->hit && b->extend)
			ns->hit = external(x, b->value);
		break;
	case AA_BIND_OTHER:
		/* `with open(path) as f:`: the items of f are the lines of the file. */
		if (ts_node_symbol(b->node) == s->as_pattern_target) {
			TSNode ap = aa_ctx_parent(x->ctx, b->node);
			TSNode item = ts_node_is_null(ap) ? ap : aa_ctx_parent(x->ctx, ap);
			TSNode v = ts_node_is_null(item) ? item : ts_node_named_child(ap, 0);
			v = aa_node_unparen(s, v, AA_UNPAREN_FIRST);
			if (!ts_node_is_null(v) && ts_node_symbol(ap) == s->as_pattern && ts_node_symbol(item) == s->with_item &&
			    ts_node_symbol(v) == s->call && aa_ctx_callee(x->ctx, v)->kind == AA_CALLEE_FUNCTION)
				ns->hit = external_call(x, v, false);
		}
		break;
	}
	return !ns->hit;
}

/* --- batches made by the callers ------------------------------------------------ */

/* The callers of a function find the batches for it: `await _fetch_batch(urls[i:i + 50])`
 * in a loop bounds what `_fetch_batch` gathers over its parameter. Checked only for a
 * function no other module is meant to call (a private `_name`, or a def nested in a
 * function), every call of which in this file is awaited one at a time and passes a
 * batch for the parameter. Any other use of its name (handed on as a reference, called
 * with *args) leaves the parameter external. */

#define MAX_CALLERS 16
#define MAX_CALLER_SCAN 400000u

/* The scope of the def node, or AA_NO_SCOPE. */
static uint32_t scope_of_def(struct ext *x, TSNode def)
{
	const struct aa_model *m = aa_ctx_model(x->ctx);
	uint32_t id = aa_model_scope_of(m, def);
	return id != AA_NO_SCOPE && aa_model_scope(m, id)->kind == AA_SCOPE_FUNCTION ? id : AA_NO_SCOPE;
}

static bool is_batch(struct ext *x, TSNode fn, uint32_t scope, TSNode e);

struct batch_scan {
	struct ext *x;
	TSNode fn;
	uint32_t scope;
	size_t n;
	bool ok;
};

static bool on_batch_binding(void *ud, const struct aa_binding *b)
{
	struct batch_scan *bs = ud;
	bs->ok = b->kind == AA_BIND_ASSIGN && is_batch(bs->x, bs->fn, bs->scope, b->value);
	bs->n++;
	return bs->ok;
}

/* Steps into expression *e (parentheses stripped) one level deeper: false when there is
 * nothing there or the walk is MAX_DEPTH deep (the caller then answers false and does
 * not step out). */
static bool descend(struct ext *x, TSNode *e)
{
	*e = aa_node_unparen(aa_ctx_syms(x->ctx), *e, AA_UNPAREN_FIRST);
	if (ts_node_is_null(*e) || x->depth >= MAX_DEPTH)
		return false;
	x->depth++;
	return true;
}

/* Is e, evaluated in fn (scope its scope), a batch: a slice with an upper bound, or the
 * items of one (a comprehension over it, `tuple(...)`/`list(...)`/`sorted(...)` of it, a
 * local name bound only to such values)? */
static bool is_batch(struct ext *x, TSNode fn, uint32_t scope, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	if (!descend(x, &e))
		return false;
	bool r = false;
	TSSymbol k = ts_node_symbol(e);
	if (k == s->subscript) {
		uint32_t n = ts_node_named_child_count(e);
		for (uint32_t i = 1; i < n && !r; i++) {
			TSNode sub = ts_node_named_child(e, i);
			r = ts_node_symbol(sub) == s->slice && slice_has_end(x, sub);
		}
	} else if (k == s->identifier) {
		uint32_t len;
		const char *name = aa_ctx_text(x->ctx, e, &len);
		struct batch_scan bs = { x, fn, scope, 0, false };
		if (!aa_bindings_is_parameter(aa_ctx_model(x->ctx), fn, name, len) &&
		    aa_bindings_each(aa_ctx_model(x->ctx), fn, name, len, on_batch_binding, &bs))
			r = bs.n > 0 && bs.ok;
	} else if (k == s->list_comprehension || k == s->set_comprehension || k == s->generator_expression) {
		/* One `for` clause: no more items than its iterable has. */
		TSNode clause = { 0 };
		size_t clauses = 0;
		uint32_t n = ts_node_named_child_count(e);
		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(e, i);
			if (ts_node_symbol(c) == s->for_in_clause) {
				clause = c;
				clauses++;
			}
		}
		r = clauses == 1 && is_batch(x, fn, scope, ts_node_child_by_field_id(clause, s->f.right));
	} else if (k == s->call) {
		struct aa_meaning m = aa_model_eval(aa_ctx_model(x->ctx), scope, ts_node_child_by_field_id(e, s->f.function));
		if (m.kind == AA_MEANING_NAME &&
		    (!strcmp(m.qualname, "builtins.tuple") || !strcmp(m.qualname, "builtins.list") ||
		     !strcmp(m.qualname, "builtins.sorted") || !strcmp(m.qualname, "builtins.set") ||
		     !strcmp(m.qualname, "builtins.frozenset") || !strcmp(m.qualname, "builtins.reversed"))) {
			/* `tuple(x for x in batch)` parses the generator as the call's arguments */
			TSNode args = ts_node_child_by_field_id(e, s->f.arguments);
			if (!ts_node_is_null(args) && ts_node_symbol(args) == s->generator_expression)
				r = is_batch(x, fn, scope, args);
			else if (aa_call_positional_count(x->ctx, e) == 1)
				r = is_batch(x, fn, scope, aa_call_arg(x->ctx, e, 0, NULL));
		}
	}
	x->depth--;
	return r;
}

struct caller_scan {
	struct ext *x;
	TSNode def;           /* the function whose parameter it is */
	TSNode def_name;
	const char *name;     /* its name */
	uint32_t len;
	const char *cls;      /* a method's class (qualified), or NULL */
	const char *param;
	uint32_t plen;
	int pos;              /* the parameter's position in a call by name, or -1 */
	int bound_pos;        /* ... in a call through an instance (`self._m(...)`), or -1 */
	size_t n_calls;
	bool ok;
};

/* A call of the function, found by its name: resolved to it, awaited on its own, and
 * given a batch for the parameter? */
static bool batch_call(struct caller_scan *cs, TSNode call, bool through_attr)
{
	struct ext *x = cs->x;
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	TSNode p = aa_node_parent_unparen(s, NULL, call, NULL, 0, NULL);
	if (ts_node_is_null(p) || ts_node_symbol(p) != s->await)
		return false;
	TSNode stmt = ts_node_parent(p);
	if (ts_node_is_null(stmt) ||
	    (ts_node_symbol(stmt) != s->expression_statement && ts_node_symbol(stmt) != s->assignment))
		return false; /* one batch at a time: `await f(...)` as a statement or a value */
	TSNode caller = stmt;
	while (!ts_node_is_null(caller) && ts_node_symbol(caller) != s->function_definition) {
		TSSymbol k = ts_node_symbol(caller);
		if (aa_kind_is_definition(s, k, true) || aa_kind_is_comprehension(s, k))
			return false; /* a lambda, class or comprehension: not the def's own code */
		caller = ts_node_parent(caller);
	}
	uint32_t scope = ts_node_is_null(caller) ? AA_NO_SCOPE : scope_of_def(x, caller);
	if (scope == AA_NO_SCOPE)
		return false;
	TSNode callee = ts_node_child_by_field_id(call, s->f.function);
	struct aa_model *m = aa_ctx_model(x->ctx);
	int pos;
	if (through_attr) {
		struct aa_meaning om = aa_model_eval(m, scope, ts_node_child_by_field_id(callee, s->f.object));
		if (!cs->cls || om.kind != AA_MEANING_INSTANCE || strcmp(om.qualname, cs->cls))
			return false;
		pos = cs->bound_pos;
	} else {
		struct aa_meaning fm = aa_model_eval(m, scope, callee);
		if (fm.kind != AA_MEANING_FUNCTION || !ts_node_eq(fm.node, cs->def))
			return false;
		pos = cs->pos;
	}
	if (aa_call_positional_count(x->ctx, call) < 0)
		return false; /* *args or **kw: which argument is which is unknown */
	char kw[64];
	if (cs->plen >= sizeof(kw))
		return false;
	memcpy(kw, cs->param, cs->plen);
	kw[cs->plen] = '\0';
	TSNode arg = aa_call_arg(x->ctx, call, pos, kw);
	return !ts_node_is_null(arg) && is_batch(x, caller, scope, arg);
}

static enum aa_visit find_callers(void *ud, TSNode n)
{
	struct caller_scan *cs = ud;
	const struct aa_syms *s = aa_ctx_syms(cs->x->ctx);
	if (ts_node_symbol(n) != s->identifier || ts_node_eq(n, cs->def_name))
		return AA_VISIT_DESCEND;
	if (!aa_node_text_is(aa_ctx_source(cs->x->ctx)->text, n, cs->name, cs->len))
		return AA_VISIT_DESCEND;
	/* `f(...)`, or `obj.f(...)` */
	TSNode p = ts_node_parent(n);
	bool through_attr = false;
	TSNode call = p;
	if (!ts_node_is_null(p) && ts_node_symbol(p) == s->attribute) {
		if (!ts_node_eq(ts_node_child_by_field_id(p, s->f.attribute), n))
			return AA_VISIT_DESCEND; /* `f.x`: f is the object, not this member */
		through_attr = true;
		call = ts_node_parent(p);
	}
	TSNode callee = through_attr ? p : n;
	cs->ok = !ts_node_is_null(call) && ts_node_symbol(call) == s->call &&
		 ts_node_eq(ts_node_child_by_field_id(call, s->f.function), callee) && ++cs->n_calls <= MAX_CALLERS &&
		 batch_call(cs, call, through_attr);
	return cs->ok ? AA_VISIT_DESCEND : AA_VISIT_STOP;
}

static bool is_staticmethod(struct ext *x, TSNode def)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	TSNode d = ts_node_parent(def);
	if (ts_node_is_null(d) || ts_node_symbol(d) != s->decorated_definition)
		return false;
	uint32_t n = ts_node_named_child_count(d);
	for (uint32_t i = 0; i < n; i++) {
		TSNode dec = ts_node_named_child(d, i);
		if (ts_node_symbol(dec) == s->decorator && aa_ctx_text_is(x->ctx, ts_node_named_child(dec, 0), "staticmethod"))
			return true;
	}
	return false;
}

/* Is parameter name[0..len) of x->fn given a batch by every caller? */
static bool batched_by_callers(struct ext *x, const char *name, uint32_t len)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	const struct aa_model *m = aa_ctx_model(x->ctx);
	uint32_t scope = scope_of_def(x, x->fn);
	if (scope == AA_NO_SCOPE)
		return false;
	const struct aa_scope_info *sc = aa_model_scope(m, scope);
	const struct aa_scope_info *parent = sc->parent == AA_NO_SCOPE ? NULL : aa_model_scope(m, sc->parent);
	bool nested = parent && parent->function != AA_NO_SCOPE;
	bool dunder = sc->name_len > 4 && !memcmp(sc->name, "__", 2) && !memcmp(sc->name + sc->name_len - 2, "__", 2);
	if (!sc->name || !(nested || (sc->name_len > 1 && sc->name[0] == '_' && !dunder)))
		return false;
	struct caller_scan cs = { .x = x, .def = x->fn, .def_name = ts_node_child_by_field_id(x->fn, s->f.name),
				  .name = sc->name, .len = sc->name_len, .param = name, .plen = len, .ok = true };
	cs.pos = aa_bindings_param_position(aa_ctx_model(x->ctx), x->fn, name, len);
	cs.bound_pos = -1;
	if (sc->class_scope != AA_NO_SCOPE) {
		cs.cls = aa_model_scope(m, sc->class_scope)->qualname;
		cs.bound_pos = cs.pos < 0 ? -1 : is_staticmethod(x, x->fn) ? cs.pos : cs.pos - 1;
	}
	TSNode root = aa_model_scope(m, 0)->node;
	/* The walk's depth counter is the value chase's: start it afresh. */
	int depth = x->depth;
	x->depth = 0;
	bool whole = aa_subtree_walk(root, MAX_CALLER_SCAN, find_callers, &cs);
	x->depth = depth;
	return whole && cs.ok && cs.n_calls > 0;
}

static bool external_name(struct ext *x, TSNode id)
{
	uint32_t len;
	const char *name = aa_ctx_text(x->ctx, id, &len);
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	if (aa_bindings_is_parameter(aa_ctx_model(x->ctx), x->fn, name, len)) {
		/* A method's `self` or `cls` is the object, not input. */
		TSNode params = ts_node_child_by_field_id(x->fn, s->f.parameters);
		TSNode first = ts_node_is_null(params) ? params : ts_node_named_child(params, 0);
		if ((len == 4 && !memcmp(name, "self", 4)) || (len == 3 && !memcmp(name, "cls", 3)) ||
		    (!ts_node_is_null(first) && ts_node_eq(first, id)))
			return false;
		if (batched_by_callers(x, name, len))
			return false;
		TSNode fname = ts_node_child_by_field_id(x->fn, s->f.name);
		uint32_t flen = 0;
		const char *f = ts_node_is_null(fname) ? "" : aa_ctx_text(x->ctx, fname, &flen);
		aa_buf_addf(x->why, "'%.*s' is a parameter of '%.*s'", (int)len, name, (int)flen, f);
		return true;
	}
	struct aa_meaning m = aa_ctx_eval(x->ctx, id);
	if (m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "sys.argv")) {
		aa_buf_adds(x->why, "from the command line, sys.argv");
		return true;
	}
	struct name_scan ns = { x, false };
	aa_bindings_each(aa_ctx_model(x->ctx), x->fn, name, len, on_binding, &ns);
	return ns.hit;
}

static bool external_call(struct ext *x, TSNode call, bool awaited)
{
	uint32_t mlen;
	TSNode recv;
	const char *m = method_of(x, call, &mlen, &recv);
	if (awaited) {
		if (m && aa_fanout_in_list(received, m, mlen)) {
			say(x, "received by 'await ", call, "'", call);
			return true;
		}
		return false;
	}
	const struct aa_callee *c = aa_ctx_callee(x->ctx, call);
	if (c->kind == AA_CALLEE_FUNCTION) {
		const char *q = c->qualname;
		if (!strcmp(q, "json.loads") || !strcmp(q, "json.load") || !strcmp(q, "orjson.loads") ||
		    !strcmp(q, "ujson.loads") || !strcmp(q, "yaml.safe_load") || !strcmp(q, "tomllib.loads")) {
			say(x, "decoded by '", call, "'", call);
			return true;
		}
		if (!strcmp(q, "builtins.open")) {
			say(x, "lines of the file opened by '", call, "'", call);
			return true;
		}
		if (!strcmp(q, "builtins.input") || !strcmp(q, "sys.stdin.readlines")) {
			say(x, "read from standard input by '", call, "'", call);
			return true;
		}
		if (!strcmp(q, "csv.reader") || !strcmp(q, "csv.DictReader")) {
			say(x, "rows of the CSV file read by '", call, "'", call);
			return true;
		}
		if (!strcmp(q, "os.listdir") || !strcmp(q, "os.scandir") || !strcmp(q, "glob.glob") ||
		    !strcmp(q, "glob.iglob")) {
			say(x, "the directory listing of '", call, "'", call);
			return true;
		}
		int first = -1, last = -1; /* positional arguments that pass items through */
		if (!strcmp(q, "builtins.list") || !strcmp(q, "builtins.set") || !strcmp(q, "builtins.tuple") ||
		    !strcmp(q, "builtins.sorted") || !strcmp(q, "builtins.reversed") || !strcmp(q, "builtins.iter") ||
		    !strcmp(q, "builtins.frozenset") || !strcmp(q, "builtins.enumerate") || !strcmp(q, "builtins.len"))
			first = last = 0;
		else if (!strcmp(q, "builtins.map") || !strcmp(q, "builtins.filter"))
			first = last = 1;
		else if (!strcmp(q, "builtins.zip") || !strcmp(q, "builtins.range") || !strcmp(q, "itertools.chain") ||
			 !strcmp(q, "itertools.product"))
			first = 0, last = 3;
		for (int i = first; i >= 0 && i <= last; i++) {
			TSNode a = aa_call_arg(x->ctx, call, i, NULL);
			if (!ts_node_is_null(a) && external(x, a))
				return true;
		}
		return false;
	}
	if (!m || ts_node_is_null(recv))
		return false;
	if (aa_fanout_in_list(rows, m, mlen)) {
		say(x, "rows or lines read by '", call, "'", call);
		return true;
	}
	if (mlen == 4 && !memcmp(m, "json", 4)) {
		say(x, "received by '", call, "'", call);
		return true;
	}
	return aa_fanout_in_list(passing, m, mlen) && external(x, recv);
}

static bool external_subscript(struct ext *x, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	uint32_t n = ts_node_named_child_count(e);
	for (uint32_t i = 1; i < n; i++) {
		TSNode sub = ts_node_named_child(e, i);
		if (ts_node_symbol(sub) == s->slice && slice_has_end(x, sub))
			return false;
	}
	return external(x, ts_node_child_by_field_id(e, s->f.value));
}

static bool external(struct ext *x, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	if (!descend(x, &e))
		return false;
	bool r = false;
	TSSymbol k = ts_node_symbol(e);
	if (k == s->identifier) {
		r = external_name(x, e);
	} else if (k == s->attribute) {
		struct aa_meaning m = aa_ctx_eval(x->ctx, e);
		if (m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "sys.argv")) {
			aa_buf_adds(x->why, "from the command line, sys.argv");
			r = true;
		} else {
			r = external(x, ts_node_child_by_field_id(e, s->f.object)); /* a request's field */
		}
	} else if (k == s->subscript) {
		r = external_subscript(x, e);
	} else if (k == s->await) {
		TSNode v = aa_node_unparen(s, ts_node_named_child(e, 0), AA_UNPAREN_FIRST);
		r = !ts_node_is_null(v) && ts_node_symbol(v) == s->call && external_call(x, v, true);
	} else if (k == s->call) {
		r = external_call(x, e, false);
	} else if (aa_kind_is_comprehension(s, k)) {
		uint32_t n = ts_node_named_child_count(e);
		for (uint32_t i = 0; i < n && !r; i++) {
			TSNode c = ts_node_named_child(e, i);
			if (ts_node_symbol(c) == s->for_in_clause) {
				r = external(x, ts_node_child_by_field_id(c, s->f.right));
				break;
			}
		}
	} else if (k == s->boolean_operator) {
		r = external(x, ts_node_child_by_field_id(e, s->f.left)) ||
		    external(x, ts_node_child_by_field_id(e, s->f.right));
	} else if (k == s->conditional_expression) {
		r = external(x, ts_node_named_child(e, 0)) || external(x, ts_node_named_child(e, 2));
	}
	x->depth--;
	return r;
}

bool aa_fanout_external(struct aa_ctx *ctx, TSNode fn, TSNode expr, struct aa_buf *why)
{
	struct ext x = { ctx, fn, why, 0 };
	return external(&x, expr);
}
