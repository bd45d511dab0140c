/* Condition (a) of the fan-out rules (fanout.h): do the items come from outside the
 * program? Follows values back through local bindings, comprehensions and the builtins
 * that pass items through; anything else is not external (unknown is quiet). */
#include <string.h>

#include "analyzer/bindings.h"
#include "analyzer/fanout.h"

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

static bool in_list(const char *const *list, const char *s, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && !memcmp(*list, s, len))
			return true;
	return false;
}

static TSNode strip(struct ext *x, TSNode e)
{
	return aa_fanout_unparen(aa_ctx_syms(x->ctx), e);
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
			TSNode v = ts_node_is_null(item) ? item : strip(x, ts_node_named_child(ap, 0));
			if (!ts_node_is_null(v) && ts_node_symbol(ap) == s->as_pattern && ts_node_symbol(item) == s->with_item &&
			    ts_node_symbol(v) == s->call && aa_ctx_callee(x->ctx, v)->kind == AA_CALLEE_FUNCTION)
				ns->hit = external_call(x, v, false);
		}
		break;
	}
	return !ns->hit;
}

static bool external_name(struct ext *x, TSNode id)
{
	uint32_t len;
	const char *name = aa_ctx_text(x->ctx, id, &len);
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	if (aa_bindings_is_parameter(x->ctx, x->fn, name, len)) {
		/* A method's `self` or `cls` is the object, not input. */
		TSNode params = ts_node_child_by_field_id(x->fn, s->f.parameters);
		TSNode first = ts_node_is_null(params) ? params : ts_node_named_child(params, 0);
		if ((len == 4 && !memcmp(name, "self", 4)) || (len == 3 && !memcmp(name, "cls", 3)) ||
		    (!ts_node_is_null(first) && ts_node_eq(first, id)))
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
	aa_bindings_each(x->ctx, x->fn, name, len, on_binding, &ns);
	return ns.hit;
}

static bool external_call(struct ext *x, TSNode call, bool awaited)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	uint32_t mlen;
	TSNode recv;
	const char *m = method_of(x, call, &mlen, &recv);
	if (awaited) {
		if (m && in_list(received, m, mlen)) {
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
	if (in_list(rows, m, mlen)) {
		say(x, "rows or lines read by '", call, "'", call);
		return true;
	}
	if (mlen == 4 && !memcmp(m, "json", 4)) {
		say(x, "received by '", call, "'", call);
		return true;
	}
	(void)s;
	return in_list(passing, m, mlen) && external(x, recv);
}

static bool external_subscript(struct ext *x, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	uint32_t n = ts_node_named_child_count(e);
	for (uint32_t i = 1; i < n; i++) {
		TSNode sub = ts_node_named_child(e, i);
		if (ts_node_symbol(sub) != s->slice)
			continue;
		/* `items[i:i + 10]`, `items[:100]`: a batch of fixed size. `argv[1:]` is not. */
		uint32_t len;
		const char *t = aa_ctx_text(x->ctx, sub, &len);
		const char *colon = memchr(t, ':', len);
		if (colon) {
			const char *end = colon + 1;
			while (end < t + len && (*end == ' ' || *end == '\t'))
				end++;
			if (end < t + len && *end != ':')
				return false;
		}
	}
	return external(x, ts_node_child_by_field_id(e, s->f.value));
}

static bool external(struct ext *x, TSNode e)
{
	const struct aa_syms *s = aa_ctx_syms(x->ctx);
	e = strip(x, e);
	if (ts_node_is_null(e) || x->depth >= MAX_DEPTH)
		return false;
	x->depth++;
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
		TSNode v = strip(x, ts_node_named_child(e, 0));
		r = !ts_node_is_null(v) && ts_node_symbol(v) == s->call && external_call(x, v, true);
	} else if (k == s->call) {
		r = external_call(x, e, false);
	} else if (k == s->list_comprehension || k == s->set_comprehension || k == s->generator_expression ||
		   k == s->dictionary_comprehension) {
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
