#include "parsers/c/creader.h"
#include "analyzer/base/xalloc.h"

#include <clang-c/Index.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#ifndef AA_LIBCLANG_PATH
#define AA_LIBCLANG_PATH ""
#endif
#ifndef AA_PYTHON_INCLUDE
#define AA_PYTHON_INCLUDE ""
#endif

/* The libclang entry points used, looked up by name: the header gives their types. */
#define AA_CLANG_ENTRY_POINTS(X)                                                                                       \
	X(clang_createIndex)                                                                                           \
	X(clang_disposeIndex)                                                                                          \
	X(clang_parseTranslationUnit2)                                                                                 \
	X(clang_disposeTranslationUnit)                                                                                \
	X(clang_getTranslationUnitCursor)                                                                              \
	X(clang_visitChildren)                                                                                         \
	X(clang_getCursorKind)                                                                                         \
	X(clang_getCursorSpelling)                                                                                     \
	X(clang_getCursorReferenced)                                                                                   \
	X(clang_getCursorSemanticParent)                                                                               \
	X(clang_CXXMethod_isVirtual)                                                                                   \
	X(clang_getNullCursor)                                                                                         \
	X(clang_Cursor_isNull)                                                                                         \
	X(clang_Cursor_getNumArguments)                                                                                \
	X(clang_Cursor_getArgument)                                                                                    \
	X(clang_isCursorDefinition)                                                                                    \
	X(clang_getCursorLocation)                                                                                     \
	X(clang_getExpansionLocation)                                                                                  \
	X(clang_Location_isInSystemHeader)                                                                             \
	X(clang_getFileName)                                                                                           \
	X(clang_getCursorType)                                                                                         \
	X(clang_getTypeSpelling)                                                                                       \
	X(clang_getCString)                                                                                            \
	X(clang_disposeString)                                                                                         \
	X(clang_getNumDiagnostics)                                                                                     \
	X(clang_getDiagnostic)                                                                                         \
	X(clang_getDiagnosticSeverity)                                                                                 \
	X(clang_disposeDiagnostic)

struct aa_creader {
	void *lib; /* owned: dlopen's handle */
#define AA_CLANG_FIELD(name) __typeof__(&name) name;
	AA_CLANG_ENTRY_POINTS(AA_CLANG_FIELD)
#undef AA_CLANG_FIELD
};

struct aa_creader *aa_creader_open(const char **why)
{
	/* The configured path first (the libclang the analyzer was built against), then the
	 * sonames a distribution's libclang answers to. */
	static const char *const fallbacks[] = { "libclang.so.1", "libclang.so", "libclang-19.so.1", "libclang-18.so.1",
						 "libclang-17.so.1", "libclang-16.so.1", "libclang-15.so.1",
						 "libclang-14.so.1", NULL };
	/* RTLD_NODELETE: libclang is never unmapped. clang_createIndex installs crash-recovery
	 * signal handlers that nothing removes; unmapping the library would leave them
	 * pointing at nothing. */
	const int mode = RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE;
	void *lib = AA_LIBCLANG_PATH[0] ? dlopen(AA_LIBCLANG_PATH, mode) : NULL;
	for (const char *const *n = fallbacks; !lib && *n; n++)
		lib = dlopen(*n, mode);
	if (!lib) {
		*why = "libclang not found (install libclang-dev)";
		return NULL;
	}
	struct aa_creader *r = aa_xcalloc(1, sizeof(*r));
	r->lib = lib;
#define AA_CLANG_LOOKUP(name)                                                                                          \
	if (!(r->name = (__typeof__(&name))dlsym(lib, #name))) {                                                       \
		*why = "libclang lacks " #name;                                                                        \
		aa_creader_close(r);                                                                                   \
		return NULL;                                                                                           \
	}
	AA_CLANG_ENTRY_POINTS(AA_CLANG_LOOKUP)
#undef AA_CLANG_LOOKUP
	return r;
}

void aa_creader_close(struct aa_creader *r)
{
	if (!r)
		return;
	dlclose(r->lib);
	free(r);
}

const char *aa_creader_python_include(void)
{
	return AA_PYTHON_INCLUDE;
}

/* ---- reading a unit ----------------------------------------------------------------- */

struct local;

struct walk {
	struct aa_creader *r;  /* borrowed */
	struct aa_cunit *unit; /* borrowed: what is being filled */
	struct aa_cfunc *func; /* the function whose body is walked, or NULL */
	struct aa_ctable *table;
	struct aa_centry *entry;
	bool in_array; /* inside a PyMethodDef array's initialiser list */
	/* the function being walked: what its returns give (owned; ret_bad when they are
	 * not one thing), the returns of local variables (owned keys), the locals' values */
	char *ret;
	bool ret_bad;
	char **ret_locals;
	size_t n_ret_locals, ret_locals_cap;
	struct local *locals; /* owned */
	size_t n_locals, locals_cap;
};

static char *take(const struct aa_creader *r, CXString s)
{
	const char *c = r->clang_getCString(s);
	char *out = aa_xstrdup(c ? c : "");
	r->clang_disposeString(s);
	return out;
}

static unsigned line_of(const struct aa_creader *r, CXCursor c, char **path)
{
	CXFile file = NULL;
	unsigned line = 0, col, off;
	r->clang_getExpansionLocation(r->clang_getCursorLocation(c), &file, &line, &col, &off);
	if (path)
		*path = file ? take(r, r->clang_getFileName(file)) : aa_xstrdup("");
	return line;
}

/* A string literal's value as clang prints it ("\"fetch\""; adjacent literals joined),
 * without the quotes. Escapes are kept: names do not have any. */
static char *literal(const struct aa_creader *r, CXCursor c)
{
	char *s = take(r, r->clang_getCursorSpelling(c));
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	return s;
}

/* A function's name qualified by the C++ namespaces and classes it is declared in
 * ("Conn::query", "db::open"); a C function's is its spelling. extern "C" blocks and
 * anonymous namespaces add nothing. Bounded: 16 enclosing scopes at most. */
static char *decl_name(const struct aa_creader *r, CXCursor d)
{
	char *name = take(r, r->clang_getCursorSpelling(d));
	CXCursor p = r->clang_getCursorSemanticParent(d);
	for (int depth = 0; depth < 16; depth++, p = r->clang_getCursorSemanticParent(p)) {
		enum CXCursorKind k = r->clang_getCursorKind(p);
		if (k == CXCursor_TranslationUnit || (k >= CXCursor_FirstInvalid && k <= CXCursor_LastInvalid))
			break;
		if (k == CXCursor_LinkageSpec)
			continue;
		char *scope = take(r, r->clang_getCursorSpelling(p));
		if (scope[0]) {
			char *q = aa_xasprintf("%s::%s", scope, name);
			free(name);
			name = q;
		}
		free(scope);
	}
	return name;
}

/* Is d a function whose call is direct: a C or C++ function, or a C++ member function
 * that is not virtual (a virtual one is chosen at run time: unknown, never guessed)? A
 * function template's call names its template, which is not followed either. */
static bool direct_function(const struct aa_creader *r, CXCursor d)
{
	enum CXCursorKind k = r->clang_getCursorKind(d);
	return k == CXCursor_FunctionDecl || (k == CXCursor_CXXMethod && !r->clang_CXXMethod_isVirtual(d));
}

/* ---- what a function returns -------------------------------------------------------- */

/* What an expression is, for the returns of a function: a null pointer, one recognisable
 * thing (an allocation of an object of a type variable, a call of a function), a local
 * variable (decided at the function's end), or anything else. */
enum ret_kind { RET_NULL, RET_THING, RET_LOCAL, RET_UNKNOWN };

/* The last child of c, or a null cursor. */
static enum CXChildVisitResult last_child(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	*(CXCursor *)data = c;
	return CXChildVisit_Continue;
}

static CXCursor child_of(const struct aa_creader *r, CXCursor c)
{
	CXCursor out = r->clang_getNullCursor();
	r->clang_visitChildren(c, last_child, &out);
	return out;
}

/* c without the parentheses and casts around it (bounded: 16 of them). */
static CXCursor unwrap(const struct aa_creader *r, CXCursor c)
{
	for (int i = 0; i < 16; i++) {
		enum CXCursorKind k = r->clang_getCursorKind(c);
		if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr && k != CXCursor_CStyleCastExpr &&
		    k != CXCursor_CXXStaticCastExpr && k != CXCursor_CXXReinterpretCastExpr)
			break;
		c = child_of(r, c);
	}
	return c;
}

/* The variable `&Var` names (an argument of an allocation), or NULL. */
static char *type_var(const struct aa_creader *r, CXCursor arg)
{
	arg = unwrap(r, arg);
	if (r->clang_getCursorKind(arg) != CXCursor_UnaryOperator)
		return NULL;
	CXCursor ref = unwrap(r, child_of(r, arg));
	CXCursor d = r->clang_getCursorReferenced(ref);
	if (r->clang_getCursorKind(ref) != CXCursor_DeclRefExpr || r->clang_getCursorKind(d) != CXCursor_VarDecl)
		return NULL;
	return take(r, r->clang_getCursorSpelling(d));
}

/* Is d a variable local to a function (not a parameter, not file scope)? */
static bool local_var(const struct aa_creader *r, CXCursor d)
{
	enum CXCursorKind pk = r->clang_getCursorKind(r->clang_getCursorSemanticParent(d));
	return r->clang_getCursorKind(d) == CXCursor_VarDecl &&
	       (pk == CXCursor_FunctionDecl || pk == CXCursor_CXXMethod);
}

static char *local_key(const struct aa_creader *r, CXCursor d)
{
	char *name = take(r, r->clang_getCursorSpelling(d));
	char *key = aa_xasprintf("%s@%u", name, line_of(r, d, NULL));
	free(name);
	return key;
}

/* What expression e is; *out (owned) is the thing ("&Type": an object allocated with
 * `PyObject_New(T, &Type)`, `PyObject_GC_New`, `Type.tp_alloc(&Type, n)`,
 * `PyType_GenericAlloc(&Type, n)` or `PyType_GenericNew(&Type, ...)`; "()f": what a call
 * of f returns) or the local variable's key. */
static enum ret_kind eval_ret(const struct aa_creader *r, CXCursor e, char **out)
{
	static const char *const allocators[] = { "_PyObject_New", "_PyObject_GC_New", "_PyObject_NewVar",
						  "_PyObject_GC_NewVar", "PyType_GenericAlloc", "PyType_GenericNew" };
	*out = NULL;
	e = unwrap(r, e);
	enum CXCursorKind k = r->clang_getCursorKind(e);
	if (k == CXCursor_IntegerLiteral || k == CXCursor_GNUNullExpr || k == CXCursor_CXXNullPtrLiteralExpr)
		return RET_NULL; /* in a function returning a pointer, 0 */
	if (k == CXCursor_DeclRefExpr) {
		CXCursor d = r->clang_getCursorReferenced(e);
		if (!local_var(r, d))
			return RET_UNKNOWN;
		*out = local_key(r, d);
		return RET_LOCAL;
	}
	if (k != CXCursor_CallExpr)
		return RET_UNKNOWN;
	CXCursor callee = r->clang_getCursorReferenced(e);
	enum CXCursorKind ck = r->clang_getCursorKind(callee);
	bool named = ck == CXCursor_FunctionDecl || ck == CXCursor_FieldDecl;
	char *name = named ? take(r, r->clang_getCursorSpelling(callee)) : NULL;
	bool alloc = name && ck == CXCursor_FieldDecl && !strcmp(name, "tp_alloc");
	for (size_t i = 0; name && ck == CXCursor_FunctionDecl && i < sizeof(allocators) / sizeof(*allocators); i++)
		alloc = alloc || !strcmp(name, allocators[i]);
	free(name);
	if (alloc) {
		bool args = r->clang_Cursor_getNumArguments(e) > 0;
		char *var = args ? type_var(r, r->clang_Cursor_getArgument(e, 0)) : NULL;
		if (!var)
			return RET_UNKNOWN;
		*out = aa_xasprintf("&%s", var);
		free(var);
		return RET_THING;
	}
	if (!direct_function(r, callee))
		return RET_UNKNOWN;
	char *f = decl_name(r, callee);
	*out = aa_xasprintf("()%s", f);
	free(f);
	return RET_THING;
}

/* What a local variable was given: its initialiser and the assignments to it. */
struct local {
	char *key;  /* owned: "name@line" */
	char *what; /* owned; the one thing given to it, or NULL */
	bool bad;   /* given something else, or its address taken */
};

/* Adds what of kind to the one thing *slot holds; *bad when they differ. Takes what. */
static void agree(char **slot, bool *bad, enum ret_kind kind, char *what)
{
	if (kind == RET_UNKNOWN || (kind == RET_THING && *slot && strcmp(*slot, what)))
		*bad = true;
	else if (kind == RET_THING && !*slot)
		*slot = what, what = NULL;
	free(what);
}

static struct local *local_of(struct walk *w, CXCursor d)
{
	char *key = local_key(w->r, d);
	for (size_t i = 0; i < w->n_locals; i++)
		if (!strcmp(w->locals[i].key, key)) {
			free(key);
			return &w->locals[i];
		}
	AA_GROW(w->locals, w->locals_cap, w->n_locals + 1);
	w->locals[w->n_locals] = (struct local){ .key = key };
	return &w->locals[w->n_locals++];
}

/* Does expression op (an operator whose first child is a local variable's reference)
 * have the type spelled ty? */
static bool typed(const struct aa_creader *r, CXCursor op, const char *ty)
{
	char *t = take(r, r->clang_getTypeSpelling(r->clang_getCursorType(op)));
	bool same = !strcmp(t, ty);
	free(t);
	return same;
}

/* The first child of c, or a null cursor. */
static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	*(CXCursor *)data = c;
	return CXChildVisit_Break;
}

/* In a function's body: a return, a local's declaration, or a write to a local (an
 * assignment has the variable's type; taking its address makes a pointer to it). */
static void note_value(struct walk *w, CXCursor c, enum CXCursorKind k)
{
	const struct aa_creader *r = w->r;
	char *what;
	if (k == CXCursor_ReturnStmt) {
		CXCursor e = child_of(r, c);
		if (r->clang_Cursor_isNull(e))
			return;
		enum ret_kind rk = eval_ret(r, e, &what);
		if (rk == RET_LOCAL) {
			AA_GROW(w->ret_locals, w->ret_locals_cap, w->n_ret_locals + 1);
			w->ret_locals[w->n_ret_locals++] = what;
			return;
		}
		agree(&w->ret, &w->ret_bad, rk, what);
		return;
	}
	if (k == CXCursor_VarDecl) {
		if (!local_var(r, c))
			return;
		struct local *l = local_of(w, c);
		CXCursor init = child_of(r, c);
		enum CXCursorKind ik = r->clang_getCursorKind(init);
		if (ik >= CXCursor_FirstExpr && ik <= CXCursor_LastExpr) {
			enum ret_kind rk = eval_ret(r, init, &what);
			agree(&l->what, &l->bad, rk == RET_LOCAL ? RET_UNKNOWN : rk, what);
		}
		return;
	}
	CXCursor lhs = r->clang_getNullCursor();
	r->clang_visitChildren(c, first_child, &lhs);
	lhs = unwrap(r, lhs);
	CXCursor d = r->clang_getCursorReferenced(lhs);
	if (r->clang_getCursorKind(lhs) != CXCursor_DeclRefExpr || !local_var(r, d))
		return;
	char *ty = take(r, r->clang_getTypeSpelling(r->clang_getCursorType(d)));
	struct local *l = local_of(w, d);
	if (k == CXCursor_CompoundAssignOperator) {
		l->bad = true;
	} else if (k == CXCursor_UnaryOperator) {
		char *ptr = aa_xasprintf("%s *", ty);
		l->bad = l->bad || typed(r, c, ptr);
		free(ptr);
	} else if (typed(r, c, ty)) {
		enum ret_kind rk = eval_ret(r, child_of(r, c), &what);
		agree(&l->what, &l->bad, rk == RET_LOCAL ? RET_UNKNOWN : rk, what);
	}
	free(ty);
}

/* The function's returns once its body is walked: f->returns, and the state reset. */
static void settle_returns(struct walk *w, struct aa_cfunc *f)
{
	for (size_t i = 0; i < w->n_ret_locals; i++) {
		struct local *l = NULL;
		for (size_t k = 0; k < w->n_locals && !l; k++)
			if (!strcmp(w->locals[k].key, w->ret_locals[i]))
				l = &w->locals[k];
		if (!l || l->bad)
			w->ret_bad = true;
		else if (l->what)
			agree(&w->ret, &w->ret_bad, RET_THING, aa_xstrdup(l->what));
		free(w->ret_locals[i]);
	}
	f->returns = w->ret_bad ? NULL : w->ret;
	if (w->ret_bad)
		free(w->ret);
	for (size_t i = 0; i < w->n_locals; i++) {
		free(w->locals[i].key);
		free(w->locals[i].what);
	}
	w->n_locals = w->n_ret_locals = 0;
	w->ret = NULL;
	w->ret_bad = false;
}

/* A function's body: its direct calls. */
static enum CXChildVisitResult visit_body(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct walk *w = data;
	const struct aa_creader *r = w->r;
	enum CXCursorKind k = r->clang_getCursorKind(c);
	if (k == CXCursor_CallExpr) {
		/* Through a pointer, the referenced cursor is a variable, parameter or field:
		 * no callee. */
		CXCursor callee = r->clang_getCursorReferenced(c);
		if (direct_function(r, callee)) {
			struct aa_cfunc *f = w->func;
			AA_GROW(f->calls, f->calls_cap, f->n_calls + 1);
			f->calls[f->n_calls++] = (struct aa_ccall){ decl_name(r, callee), line_of(r, c, NULL) };
		}
	} else if (k == CXCursor_ReturnStmt || k == CXCursor_VarDecl || k == CXCursor_BinaryOperator ||
		   k == CXCursor_CompoundAssignOperator || k == CXCursor_UnaryOperator) {
		note_value(w, c, k);
	}
	return CXChildVisit_Recurse;
}

/* A table's initialiser: the first string literal, the variables it names, and for a
 * PyMethodDef array each entry's name and function. */
static enum CXChildVisitResult visit_init(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct walk *w = data;
	const struct aa_creader *r = w->r;
	struct aa_ctable *t = w->table;
	enum CXCursorKind k = r->clang_getCursorKind(c);
	if (t->kind == AA_CTABLE_METHODS && !w->in_array && k == CXCursor_InitListExpr) {
		w->in_array = true; /* the array's list: its elements are the entries */
		r->clang_visitChildren(c, visit_init, w);
		w->in_array = false;
		return CXChildVisit_Continue;
	}
	if (t->kind == AA_CTABLE_METHODS && !w->entry && k == CXCursor_InitListExpr) {
		/* One entry: walked on its own, so that its first string is its name. */
		AA_GROW(t->entries, t->entries_cap, t->n_entries + 1);
		w->entry = &t->entries[t->n_entries++];
		*w->entry = (struct aa_centry){ 0 };
		r->clang_visitChildren(c, visit_init, w);
		if (!w->entry->name) { /* the {NULL, NULL, 0, NULL} sentinel */
			free(w->entry->impl);
			t->n_entries--;
		}
		w->entry = NULL;
		return CXChildVisit_Continue;
	}
	if (k == CXCursor_StringLiteral) {
		char **slot = w->entry ? &w->entry->name : &t->name;
		if (!*slot)
			*slot = literal(r, c);
		return CXChildVisit_Continue;
	}
	if (k == CXCursor_DeclRefExpr) {
		CXCursor d = r->clang_getCursorReferenced(c);
		enum CXCursorKind dk = r->clang_getCursorKind(d);
		if (w->entry && direct_function(r, d) && !w->entry->impl)
			w->entry->impl = decl_name(r, d);
		else if (!w->entry && dk == CXCursor_VarDecl) {
			AA_GROW(t->refs, t->refs_cap, t->n_refs + 1);
			t->refs[t->n_refs++] = take(r, r->clang_getCursorSpelling(d));
		}
		return CXChildVisit_Continue;
	}
	return CXChildVisit_Recurse;
}

/* The kind of table a variable's type spelling names, or -1. */
static int table_kind(const char *type)
{
	bool array = strchr(type, '[') != NULL;
	if (strstr(type, "PyMethodDef"))
		return array ? AA_CTABLE_METHODS : -1;
	if (strstr(type, "PyModuleDef") && !strstr(type, "PyModuleDef_Slot"))
		return array ? -1 : AA_CTABLE_MODULE;
	if (strstr(type, "PyTypeObject") || strstr(type, "PyType_Spec"))
		return array ? -1 : AA_CTABLE_TYPE;
	if (strstr(type, "PyType_Slot"))
		return array ? AA_CTABLE_SLOTS : -1;
	return -1;
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct walk *w = data;
	struct aa_creader *r = w->r;
	struct aa_cunit *u = w->unit;
	enum CXCursorKind k = r->clang_getCursorKind(c);
	/* C++: what namespaces, extern "C" blocks and classes hold is walked as the top is
	 * (member functions defined in a class, static tables); the depth is the source's
	 * nesting of those. */
	bool scope = k == CXCursor_Namespace || k == CXCursor_LinkageSpec || k == CXCursor_ClassDecl ||
		     k == CXCursor_StructDecl;
	bool func = k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod;
	if ((!scope && !func && k != CXCursor_VarDecl) || (!scope && !r->clang_isCursorDefinition(c)) ||
	    r->clang_Location_isInSystemHeader(r->clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	if (scope)
		return CXChildVisit_Recurse;
	if (func) {
		AA_GROW(u->funcs, u->funcs_cap, u->n_funcs + 1);
		struct aa_cfunc *f = &u->funcs[u->n_funcs++];
		*f = (struct aa_cfunc){ 0 };
		f->name = decl_name(r, c);
		f->line = line_of(r, c, &f->path);
		w->func = f;
		r->clang_visitChildren(c, visit_body, w);
		settle_returns(w, f);
		w->func = NULL;
		return CXChildVisit_Continue;
	}
	char *type = take(r, r->clang_getTypeSpelling(r->clang_getCursorType(c)));
	int kind = table_kind(type);
	free(type);
	if (kind < 0)
		return CXChildVisit_Continue;
	AA_GROW(u->tables, u->tables_cap, u->n_tables + 1);
	struct aa_ctable *t = &u->tables[u->n_tables++];
	*t = (struct aa_ctable){ .kind = (enum aa_ctable_kind)kind };
	t->var = take(r, r->clang_getCursorSpelling(c));
	w->table = t;
	r->clang_visitChildren(c, visit_init, w);
	w->table = NULL;
	return CXChildVisit_Continue;
}

bool aa_creader_read(struct aa_creader *r, const char *path, const char *const *args, size_t n_args,
		     struct aa_cunit *out)
{
	*out = (struct aa_cunit){ 0 };
	CXIndex index = r->clang_createIndex(0, 0); /* 0: diagnostics are counted, not printed */
	CXTranslationUnit tu = NULL;
	/* KeepGoing: an error (a missing header of a client library) does not stop the
	 * parse; what could be read is still walked. */
	enum CXErrorCode rc = r->clang_parseTranslationUnit2(index, path, args, (int)n_args, NULL, 0,
							    CXTranslationUnit_KeepGoing, &tu);
	if (rc != CXError_Success || !tu) {
		r->clang_disposeIndex(index);
		return false;
	}
	out->complete = true;
	unsigned nd = r->clang_getNumDiagnostics(tu);
	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic d = r->clang_getDiagnostic(tu, i);
		if (r->clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
			out->complete = false;
		r->clang_disposeDiagnostic(d);
	}
	struct walk w = { .r = r, .unit = out };
	r->clang_visitChildren(r->clang_getTranslationUnitCursor(tu), visit_top, &w);
	free(w.locals);
	free(w.ret_locals);
	r->clang_disposeTranslationUnit(tu);
	r->clang_disposeIndex(index);
	return true;
}

void aa_cunit_release(struct aa_cunit *u)
{
	for (size_t i = 0; i < u->n_funcs; i++) {
		for (size_t k = 0; k < u->funcs[i].n_calls; k++)
			free(u->funcs[i].calls[k].callee);
		free(u->funcs[i].calls);
		free(u->funcs[i].returns);
		free(u->funcs[i].name);
		free(u->funcs[i].path);
	}
	for (size_t i = 0; i < u->n_tables; i++) {
		struct aa_ctable *t = &u->tables[i];
		for (size_t k = 0; k < t->n_refs; k++)
			free(t->refs[k]);
		for (size_t k = 0; k < t->n_entries; k++) {
			free(t->entries[k].name);
			free(t->entries[k].impl);
		}
		free(t->refs);
		free(t->entries);
		free(t->var);
		free(t->name);
	}
	free(u->funcs);
	free(u->tables);
	*u = (struct aa_cunit){ 0 };
}
