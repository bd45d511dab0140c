#include "rules/testing/test_syntax.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/node.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CLASSES 32
#define MAX_CHAIN 16

/* The qualified name of a dotted expression (`pytest.mark.asyncio`): its leftmost name
 * resolved through the imports, then the attributes as written. False when it does not
 * name an imported module or object. */
static bool qualname_of(struct aa_ctx *ctx, TSNode expr, struct aa_buf *out)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode chain[MAX_CHAIN];
	unsigned n = 0;
	while (ts_node_symbol(expr) == s->attribute && n < MAX_CHAIN) {
		chain[n++] = ts_node_child_by_field_id(expr, s->f.attribute);
		expr = ts_node_child_by_field_id(expr, s->f.object);
	}
	if (ts_node_is_null(expr) || ts_node_symbol(expr) != s->identifier)
		return false;
	struct aa_meaning m = aa_ctx_eval(ctx, expr);
	if (m.kind != AA_MEANING_NAME || !m.qualname)
		return false;
	aa_buf_adds(out, m.qualname);
	while (n) {
		TSNode a = chain[--n];
		if (ts_node_is_null(a))
			return false;
		uint32_t len;
		const char *t = aa_ctx_text(ctx, a, &len);
		aa_buf_addc(out, '.');
		aa_buf_add(out, t, len);
	}
	return true;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The qualified name of a decorator's expression, called or not, into *q. */
static bool deco_qualname(struct aa_ctx *ctx, TSNode expr, struct aa_buf *q)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	expr = aa_node_unparen(s, expr, AA_UNPAREN_FIRST);
	if (!ts_node_is_null(expr) && ts_node_symbol(expr) == s->call)
		expr = ts_node_child_by_field_id(expr, s->f.function);
	return !ts_node_is_null(expr) && qualname_of(ctx, expr, q);
}

bool aa_test_deco_skips(struct aa_ctx *ctx, TSNode expr)
{
	struct aa_buf q = AA_BUF_INIT;
	bool skips = deco_qualname(ctx, expr, &q) && (!strcmp(q.data, "pytest.mark.skip") || !strcmp(q.data, "unittest.skip"));
	aa_buf_release(&q);
	return skips;
}

enum aa_test_deco aa_test_deco_of(struct aa_ctx *ctx, TSNode expr)
{
	struct aa_buf q = AA_BUF_INIT;
	enum aa_test_deco d = AA_DECO_OTHER;
	if (deco_qualname(ctx, expr, &q)) {
		const char *n = q.data;
		if (!strcmp(n, "pytest.mark.asyncio"))
			d = AA_DECO_ASYNCIO;
		else if (!strcmp(n, "pytest.mark.anyio"))
			d = AA_DECO_ANYIO;
		else if (!strcmp(n, "pytest.mark.trio"))
			d = AA_DECO_TRIO;
		else if (!strcmp(n, "pytest.mark.asyncio_cooperative") || !strcmp(n, "pytest.mark.gen_test") ||
			 !strcmp(n, "pytest.mark.curio") || !strcmp(n, "pytest.mark.twisted"))
			d = AA_DECO_OTHER; /* other plugins' runner marks */
		else if (starts(n, "pytest.mark.") && !strchr(n + 12, '.'))
			d = AA_DECO_MARK;
		else if (!strcmp(n, "pytest.fixture"))
			d = AA_DECO_FIXTURE;
		else if (!strcmp(n, "pytest_asyncio.fixture") || !strcmp(n, "pytest_trio.trio_fixture"))
			d = AA_DECO_ASYNC_FIXTURE;
		else if (!strcmp(n, "unittest.skip") || !strcmp(n, "unittest.skipIf") || !strcmp(n, "unittest.skipUnless") ||
			 !strcmp(n, "unittest.expectedFailure") || !strcmp(n, "unittest.mock.patch") ||
			 !strcmp(n, "unittest.mock.patch.object") || !strcmp(n, "unittest.mock.patch.dict") ||
			 !strcmp(n, "unittest.mock.patch.multiple") || !strcmp(n, "mock.patch") ||
			 !strcmp(n, "mock.patch.object") || !strcmp(n, "mock.patch.dict") || !strcmp(n, "mock.patch.multiple"))
			d = AA_DECO_KEEPS;
	}
	aa_buf_release(&q);
	return d;
}

bool aa_test_whole_module(const struct aa_ctx *ctx, TSNode module)
{
	if (ts_node_has_error(module))
		return false;
	/* A later segment starts after code of the file; the first starts at most after
	 * blank lines and comments. */
	const struct aa_source *src = aa_ctx_source(ctx);
	uint32_t start = ts_node_start_byte(module);
	bool comment = false;
	for (uint32_t i = 0; i < start && i < src->len; i++) {
		char c = src->text[i];
		if (c == '\n')
			comment = false;
		else if (c == '#')
			comment = true;
		else if (!comment && c != ' ' && c != '\t' && c != '\r' && c != '\f')
			return false;
	}
	return true;
}

bool aa_test_module_decidable(const struct aa_ctx *ctx, TSNode module)
{
	const struct aa_source *src = aa_ctx_source(ctx);
	return aa_test_whole_module(ctx, module) && !memmem(src->text, src->len, "anyio_backend", 13);
}

TSNode aa_test_definition(const struct aa_ctx *ctx, TSNode stmt, TSNode *decorated)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	*decorated = (TSNode){ 0 };
	TSSymbol k = ts_node_symbol(stmt);
	if (k == s->decorated_definition) {
		*decorated = stmt;
		stmt = ts_node_child_by_field_id(stmt, s->f.definition);
		if (ts_node_is_null(stmt))
			return stmt;
		k = ts_node_symbol(stmt);
	}
	if (k == s->function_definition || k == s->class_definition)
		return stmt;
	return (TSNode){ 0 };
}

bool aa_test_is_async(const struct aa_ctx *ctx, TSNode def)
{
	TSNode first = ts_node_child(def, 0);
	return !ts_node_is_null(first) && ts_node_symbol(first) == aa_ctx_syms(ctx)->kw_async;
}

TSNode aa_test_decorator(const struct aa_ctx *ctx, TSNode decorated, uint32_t i)
{
	if (ts_node_is_null(decorated))
		return (TSNode){ 0 };
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t n = ts_node_named_child_count(decorated), seen = 0;
	for (uint32_t k = 0; k < n; k++) {
		TSNode c = ts_node_named_child(decorated, k);
		if (ts_node_symbol(c) != s->decorator)
			continue;
		if (seen++ == i)
			return ts_node_named_child(c, 0);
	}
	return (TSNode){ 0 };
}

static void add_mark(struct aa_test_marks *out, enum aa_test_deco d)
{
	if (d == AA_DECO_ASYNCIO)
		out->asyncio = true;
	else if (d == AA_DECO_ANYIO)
		out->anyio = true;
	else if (d == AA_DECO_TRIO)
		out->trio = true;
	else if (d != AA_DECO_MARK)
		out->unknown = true;
}

void aa_test_marks_of(struct aa_ctx *ctx, TSNode value, struct aa_test_marks *out)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	value = aa_node_unparen(s, value, AA_UNPAREN_FIRST);
	if (ts_node_is_null(value)) {
		out->unknown = true;
		return;
	}
	TSSymbol k = ts_node_symbol(value);
	if (k != s->list && k != s->tuple) {
		add_mark(out, aa_test_deco_of(ctx, value));
		return;
	}
	uint32_t n = ts_node_named_child_count(value);
	for (uint32_t i = 0; i < n; i++) {
		TSNode e = ts_node_named_child(value, i);
		if (ts_node_symbol(e) == s->comment)
			continue;
		add_mark(out, aa_test_deco_of(ctx, e));
	}
}

TSNode aa_test_assignment_value(const struct aa_ctx *ctx, TSNode stmt, const char *name)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(stmt) != s->expression_statement)
		return (TSNode){ 0 };
	TSNode a = ts_node_named_child(stmt, 0);
	if (ts_node_is_null(a) || ts_node_symbol(a) != s->assignment)
		return (TSNode){ 0 };
	TSNode left = ts_node_child_by_field_id(a, s->f.left);
	if (ts_node_is_null(left) || ts_node_symbol(left) != s->identifier || !aa_ctx_text_is(ctx, left, name))
		return (TSNode){ 0 };
	TSNode right = ts_node_child_by_field_id(a, s->f.right);
	/* `x: T` without a value binds nothing. */
	return right;
}

/* Methods that change how a test class runs its tests, or (for pytest) whether it is
 * collected. */
static bool magic_method(const struct aa_ctx *ctx, TSNode name)
{
	static const char *const names[] = { "run", "_callTestMethod", "debug", "__init__", "__new__", "__call__",
					     "__getattribute__", "__getattr__", "__init_subclass__", NULL };
	for (size_t i = 0; names[i]; i++)
		if (aa_ctx_text_is(ctx, name, names[i]))
			return true;
	return false;
}

void aa_test_class_of(struct aa_ctx *ctx, TSNode class_def, TSNode decorated, struct aa_test_class *out)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	memset(out, 0, sizeof *out);
	bool unittest = false, unknown = false;
	struct item {
		TSNode def, decorated;
	} todo[MAX_CLASSES];
	uint32_t done[MAX_CLASSES];
	unsigned n = 0, n_done = 0;
	todo[n++] = (struct item){ class_def, decorated };
	while (n && !unknown) {
		struct item it = todo[--n];
		uint32_t id = ts_node_start_byte(it.def);
		bool seen = false;
		for (unsigned i = 0; i < n_done; i++)
			seen |= done[i] == id;
		if (seen)
			continue;
		if (n_done == MAX_CLASSES) {
			unknown = true;
			break;
		}
		done[n_done++] = id;
		TSNode d;
		for (uint32_t i = 0; !ts_node_is_null(d = aa_test_decorator(ctx, it.decorated, i)); i++) {
			enum aa_test_deco k = aa_test_deco_of(ctx, d);
			if (k != AA_DECO_KEEPS)
				add_mark(&out->marks, k);
		}
		TSNode supers = ts_node_child_by_field_id(it.def, s->f.superclasses);
		uint32_t ns = ts_node_is_null(supers) ? 0 : ts_node_named_child_count(supers);
		for (uint32_t i = 0; i < ns && !unknown; i++) {
			TSNode b = ts_node_named_child(supers, i);
			if (ts_node_symbol(b) == s->comment)
				continue;
			if (ts_node_symbol(b) != s->identifier && ts_node_symbol(b) != s->attribute) {
				unknown = true; /* metaclass=, *bases, a call */
				continue;
			}
			struct aa_meaning m = aa_ctx_eval(ctx, b);
			if (m.kind == AA_MEANING_CLASS && !ts_node_is_null(m.node) && n < MAX_CLASSES) {
				TSNode parent = ts_node_parent(m.node);
				TSNode dec = !ts_node_is_null(parent) && ts_node_symbol(parent) == s->decorated_definition ?
						     parent :
						     (TSNode){ 0 };
				todo[n++] = (struct item){ m.node, dec };
				continue;
			}
			struct aa_buf q = AA_BUF_INIT;
			if (qualname_of(ctx, b, &q) &&
			    (!strcmp(q.data, "unittest.TestCase") || !strcmp(q.data, "unittest.case.TestCase")))
				unittest = true;
			else if (m.kind == AA_MEANING_NAME && m.qualname && !strcmp(m.qualname, "builtins.object"))
				;
			else if (m.kind == AA_MEANING_UNKNOWN && aa_ctx_text_is(ctx, b, "object"))
				;
			else
				unknown = true;
			aa_buf_release(&q);
		}
		TSNode body = ts_node_child_by_field_id(it.def, s->f.body);
		uint32_t nb = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
		for (uint32_t i = 0; i < nb; i++) {
			TSNode st = ts_node_named_child(body, i);
			TSNode dec;
			TSNode def = aa_test_definition(ctx, st, &dec);
			if (!ts_node_is_null(def) && ts_node_symbol(def) == s->function_definition) {
				if (magic_method(ctx, ts_node_child_by_field_id(def, s->f.name)))
					unknown = true;
				continue;
			}
			TSNode v = aa_test_assignment_value(ctx, st, "pytestmark");
			if (!ts_node_is_null(v))
				aa_test_marks_of(ctx, v, &out->marks);
			if (!ts_node_is_null(aa_test_assignment_value(ctx, st, "__test__")))
				out->not_collected = true;
		}
	}
	out->bases = unknown ? AA_BASES_UNKNOWN : unittest ? AA_BASES_UNITTEST : AA_BASES_PLAIN;
}

bool aa_test_requests_runner_fixture(const struct aa_ctx *ctx, TSNode def)
{
	/* Fixtures of plugins that run every coroutine test of a module that uses them:
	 * aiohttp's legacy pytest plugin and pytest-tornasync. */
	static const char *const names[] = { "loop", "proactor_loop", "aiohttp_client", "aiohttp_server",
					     "aiohttp_raw_server", "aiohttp_client_cls", "aiohttp_unused_port",
					     "test_client", "test_server", "raw_test_server", "io_loop",
					     "http_server", "http_client", "http_server_client", "http_server_port",
					     NULL };
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode params = ts_node_child_by_field_id(def, s->f.parameters);
	uint32_t n = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);
	for (uint32_t i = 0; i < n; i++) {
		TSNode p = ts_node_named_child(params, i);
		if (ts_node_symbol(p) != s->identifier) {
			TSNode name = ts_node_child_by_field_id(p, s->f.name);
			p = ts_node_is_null(name) ? ts_node_named_child(p, 0) : name;
		}
		if (ts_node_is_null(p) || ts_node_symbol(p) != s->identifier)
			continue;
		for (size_t k = 0; names[k]; k++)
			if (aa_ctx_text_is(ctx, p, names[k]))
				return true;
	}
	return false;
}

static bool names_raises(const struct aa_ctx *ctx, TSNode n)
{
	static const char *const names[] = { "raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (aa_ctx_text_is(ctx, n, names[i]))
			return true;
	return false;
}

bool aa_test_expects_raise(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	for (TSNode p = aa_ctx_parent(ctx, node); !ts_node_is_null(p); p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (aa_kind_is_definition(s, k, true))
			return false;
		if (k != s->with_statement)
			continue;
		TSNode v;
		for (struct aa_with_items it = aa_node_with_items(s, p, AA_WITH_CLAUSE_FIRST);
		     aa_node_with_items_next(&it, &v);) {
			if (ts_node_symbol(v) != s->call)
				continue;
			TSNode f = ts_node_child_by_field_id(v, s->f.function);
			if (!ts_node_is_null(f) && ts_node_symbol(f) == s->attribute)
				f = ts_node_child_by_field_id(f, s->f.attribute);
			if (!ts_node_is_null(f) && names_raises(ctx, f))
				return true;
			const struct aa_callee *c = aa_ctx_callee(ctx, v); /* `from pytest import raises as x` */
			if (c && c->kind == AA_CALLEE_FUNCTION && c->qualname && !strcmp(c->qualname, "pytest.raises"))
				return true;
		}
	}
	return false;
}
