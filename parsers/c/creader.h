/*
 * creader.h: reading C translation units with libclang, for the C extensions of an
 * analyzed tree. libclang is not linked: aa_creader_open() loads it with dlopen the first
 * time a run needs it (a tree without a reached extension never loads it), and the
 * entry points used are looked up into a function table.
 *
 * What a translation unit yields (struct aa_cunit): the functions it defines outside
 * system headers, each one's direct calls (the callee's name as declared; a call through
 * a function pointer names no callee and is not recorded: it is unknown, never guessed),
 * C++ units (the language is the file name's, or `-xc++` among the arguments) with
 * names qualified by namespace and class ("Pool::drain"), member functions included
 * unless virtual (a virtual call is unknown too; function templates are not followed),
 * and its file-scope initialised variables whose type is one of CPython's tables
 * (PyMethodDef arrays, PyModuleDef, PyTypeObject, PyType_Spec, PyType_Slot arrays), as
 * the preprocessor expanded them (Argument Clinic's *_METHODDEF are macros). A unit with
 * errors still yields what libclang could read, and says it was not read fully.
 *
 * Thread safety: one struct aa_creader may be used by several threads at once (each
 * call makes its own libclang index). Allocation failure exits (xalloc.h).
 */
#ifndef AA_CREADER_H
#define AA_CREADER_H

#include <stdbool.h>
#include <stddef.h>

/* A direct call inside a function. */
struct aa_ccall {
	char *callee;  /* owned; the called function's name, "recv" */
	unsigned line; /* of the call, in the file of the function that makes it */
};

/* A function with a body. */
struct aa_cfunc {
	char *name;               /* owned */
	char *path;               /* owned; its file as libclang names it */
	unsigned line;            /* of its name */
	struct aa_ccall *calls;   /* owned; in source order */
	size_t n_calls, calls_cap;
	/* owned; what every return of a value that is not a null pointer gives, when that is
	 * recognisably one thing, directly or through local variables given nothing else
	 * (whose address is not taken): "&Type", an object allocated with the type object
	 * variable Type (PyObject_New, PyObject_GC_New, Type.tp_alloc(&Type, n),
	 * PyType_GenericAlloc/New), or "()f", what a call of f returns. NULL otherwise. */
	char *returns;
};

/* What a CPython table variable is. */
enum aa_ctable_kind {
	AA_CTABLE_METHODS,  /* PyMethodDef[]: entries */
	AA_CTABLE_MODULE,   /* PyModuleDef: name is m_name */
	AA_CTABLE_TYPE,     /* PyTypeObject or PyType_Spec: name is tp_name / name */
	AA_CTABLE_SLOTS,    /* PyType_Slot[] */
};

/* One PyMethodDef entry: {"name", (PyCFunction)impl, flags, doc}. */
struct aa_centry {
	char *name; /* owned; the Python-visible name */
	char *impl; /* owned; the C function's name, or NULL when it is not a function's name */
};

struct aa_ctable {
	enum aa_ctable_kind kind;
	char *var;                  /* owned; the variable's name */
	char *name;                 /* owned; MODULE, TYPE: the first string literal of its
				       initialiser (m_name, tp_name), or NULL */
	char **refs;                /* owned; MODULE, TYPE, SLOTS: the variables its initialiser names */
	size_t n_refs, refs_cap;
	struct aa_centry *entries;  /* owned; METHODS */
	size_t n_entries, entries_cap;
};

struct aa_cunit {
	struct aa_cfunc *funcs;  /* owned */
	size_t n_funcs, funcs_cap;
	struct aa_ctable *tables; /* owned */
	size_t n_tables, tables_cap;
	bool complete;           /* parsed without an error diagnostic */
};

struct aa_creader;

/* Loads libclang: the library found when the analyzer was configured (AA_LIBCLANG_PATH),
 * else the usual sonames. Returns NULL when none loads or an entry point is missing,
 * with a reason in *why (static storage or dlerror's; not NULL). Free with
 * aa_creader_close. */
struct aa_creader *aa_creader_open(const char **why);
/* Unloads it (NULL is a no-op); no unit may be read after. */
void aa_creader_close(struct aa_creader *reader);

/* The Python include directory the analyzer was configured with (static storage; may be
 * ""), for units without compile_commands.json. */
const char *aa_creader_python_include(void);

/* Reads the C file at path (NUL-terminated) with the compiler arguments args[0..n_args)
 * (borrowed; "-I..." and "-D..."). Fills *out (which need not be initialised). Returns
 * false when libclang produced no unit at all (the file is missing or unreadable);
 * *out is then empty. Release *out with aa_cunit_release either way. */
bool aa_creader_read(struct aa_creader *reader, const char *path, const char *const *args, size_t n_args,
		     struct aa_cunit *out);

void aa_cunit_release(struct aa_cunit *unit);

#endif
