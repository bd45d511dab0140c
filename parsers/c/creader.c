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
	void *lib = AA_LIBCLANG_PATH[0] ? dlopen(AA_LIBCLANG_PATH, RTLD_NOW | RTLD_LOCAL) : NULL;
	for (const char *const *n = fallbacks; !lib && *n; n++)
		lib = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
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

struct walk {
	struct aa_creader *r;  /* borrowed */
	struct aa_cunit *unit; /* borrowed: what is being filled */
	struct aa_cfunc *func; /* the function whose body is walked, or NULL */
	struct aa_ctable *table;
	struct aa_centry *entry;
	bool in_array; /* inside a PyMethodDef array's initialiser list */
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

/* A function's body: its direct calls. */
static enum CXChildVisitResult visit_body(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct walk *w = data;
	const struct aa_creader *r = w->r;
	if (r->clang_getCursorKind(c) == CXCursor_CallExpr) {
		/* Through a pointer, the referenced cursor is a variable, parameter or field:
		 * no callee. */
		CXCursor callee = r->clang_getCursorReferenced(c);
		if (direct_function(r, callee)) {
			struct aa_cfunc *f = w->func;
			AA_GROW(f->calls, f->calls_cap, f->n_calls + 1);
			f->calls[f->n_calls++] = (struct aa_ccall){ decl_name(r, callee), line_of(r, c, NULL) };
		}
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
