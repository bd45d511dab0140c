/*
 * model.h: the per-file semantic model (Ruff's SemanticModel, flow-insensitive).
 *
 * Built by one walk over the parsed file (pass 1) before any rule runs, so a name's
 * meaning at a use site reflects every binding of it in its scope, as Python's scoping
 * does. It answers the questions rules ask:
 *  - which scope a node is in, and whether that is async context (walk.h decides scopes);
 *  - what a name or dotted expression refers to, through imports, aliases and shadowing
 *    (LEGB, class scopes skipped from nested functions, global/nonlocal);
 *  - what class an object is an instance of (object tracking): constructor or factory
 *    calls, annotations (`C`, `C | None`, `Optional[C]`, `"C"`), `with C() as x`,
 *    `self.x = C()` in any method, class attributes, module-level bindings, and
 *    well-known factories and methods (analyzer/facts/known_types.h).
 * A name bound to nowhere is a builtin, or, after one `from m import *` at module level,
 * m's (the index resolves it); after two star imports it is unknown. A name bound to
 * two different things in one scope is unknown; `None` bindings are neutral (`x = None`
 * then `x = Session()` is a Session). What cannot be known is AA_MEANING_UNKNOWN, never
 * a guess.
 *
 * Everything the model returns (qualified names, meanings) is owned by the model and
 * valid until aa_model_free; TSNodes are valid while the parsed trees are.
 * Not thread-safe: one model per file per worker.
 */
#ifndef AA_MODEL_H
#define AA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "parsers/python/parse.h"
#include "analyzer/input/source.h"
#include "parsers/python/syms.h"
#include "parsers/python/walk.h"

enum aa_meaning_kind {
	AA_MEANING_UNKNOWN = 0,
	AA_MEANING_NAME,     /* a module or a module-level object named by qualname ("time", "time.sleep", "builtins.open") */
	AA_MEANING_INSTANCE, /* an instance of the class qualname ("requests.Session") */
	AA_MEANING_FUNCTION, /* a def in this file (node = the function_definition; qualname its
				qualified name, "pkg.mod.Class.method", "pkg.mod.outer.<locals>.inner") */
	AA_MEANING_CLASS,    /* a class in this file (node = the class_definition; qualname as above) */
};

struct aa_meaning {
	enum aa_meaning_kind kind;
	const char *qualname; /* NAME / INSTANCE: owned by the model */
	/* INSTANCE: the expression that made the object when there is exactly one (a call
	 * such as `queue.Queue(maxsize=5)`), else a null node. FUNCTION / CLASS: the def. */
	TSNode node;
};

struct aa_scope_info {
	enum aa_scope_kind kind;
	uint32_t parent;      /* AA_NO_SCOPE for the module */
	uint32_t function;    /* nearest FUNCTION or LAMBDA scope at or above (AA_NO_SCOPE at module level) */
	bool is_async;        /* FUNCTION: an `async def` */
	bool has_yield;       /* FUNCTION/LAMBDA: a `yield` in its own body (not in nested scopes) */
	bool async_context;   /* code in this scope runs in async context (aa_ctx_in_async defines it) */
	TSNode node;          /* the scope's node (module root for scope 0) */
	const char *name;     /* FUNCTION/CLASS: its name, pointing into the source; else NULL */
	uint32_t name_len;
	uint32_t class_scope; /* FUNCTION directly in a class body: that class's scope; else AA_NO_SCOPE */
	const char *self_name;/* such a method's first parameter name (into the source), or NULL */
	uint32_t self_len;
	/* Qualified name of the scope: the module's name for scope 0, "<module>.C" for a
	 * class, "<module>.f" for a function; the scopes nested in a function add
	 * ".<locals>" as Python's __qualname__ does. Owned by the model. */
	const char *qualname;
};

struct aa_model; /* opaque */

/* Builds the model of parsed (pass 1: one aa_walk). src, syms and parsed must outlive
 * the model. module is the file's dotted module name ("pkg.db"; borrowed for the call;
 * NULL or "" stands for "__main__"), is_package true for a package's __init__: they
 * qualify local definitions and resolve relative imports (`from .x import f` in pkg.db
 * -> "pkg.x.f"). Never fails but on memory (xalloc.h: exits). Caller frees with
 * aa_model_free. */
struct aa_model *aa_model_build(const struct aa_source *src, const struct aa_syms *syms,
				const struct aa_parsed *parsed, const char *module, bool is_package);
/* Sets the decorators (qualified names; NULL-terminated, borrowed: they must outlive the
 * model; NULL for none) that the configuration says keep a def what it was, beside the
 * built-in ones (analyzer/facts/decorators.h). */
void aa_model_set_transparent(struct aa_model *model, const char *const *decorators);
const char *const *aa_model_transparent(const struct aa_model *model);
/* Frees the model and everything it returned (NULL is a no-op). */
void aa_model_free(struct aa_model *model);

/* The grammar symbols and source the model was built from (borrowed, as given to
 * aa_model_build), for facts read from the syntax next to the model
 * (analyzer/facts/bindings.h). */
const struct aa_syms *aa_model_syms(const struct aa_model *model);
const struct aa_source *aa_model_source(const struct aa_model *model);
/* node's source text (not NUL-terminated; borrowed from the source) and its length in
 * *len. node (not null) is a node of the model's trees. */
const char *aa_model_text(const struct aa_model *model, TSNode node, uint32_t *len);

/* The number of scopes (at least 1: the module, id 0), and scope id's record (id below
 * that number), owned by the model. */
uint32_t aa_model_scope_count(const struct aa_model *model);
const struct aa_scope_info *aa_model_scope(const struct aa_model *model, uint32_t id);
/* The id of the scope that node (a def, lambda, class or comprehension) opens, or
 * AA_NO_SCOPE when it opens none (the module's root node included). O(log scopes). */
uint32_t aa_model_scope_of(const struct aa_model *model, TSNode node);

/* What expr (identifier, attribute chain, call, `/`, parentheses) evaluates to, seen
 * from scope (a scope id). Memoised; bounded depth (cycles like `a = b; b = a` are
 * UNKNOWN). Inside a method, its first parameter (`self`, `cls`) is an INSTANCE of the
 * enclosing class; a call of a class of this file is an INSTANCE of it. A null expr is
 * UNKNOWN. Writes the memo (hence not const): one thread per model. */
struct aa_meaning aa_model_eval(struct aa_model *model, uint32_t scope, TSNode expr);

/* What the name name[0..len) written in scope would refer to, as aa_model_eval answers
 * for an identifier there; *bound (not NULL) says whether a binding of the name is
 * visible from scope. With no such binding and no star import, a module-level
 * `import name` would bind it there (a fix that adds an import asks this). */
struct aa_meaning aa_model_eval_name(struct aa_model *model, uint32_t scope, const char *name, uint32_t len,
				     bool *bound);
/* True when the file has a `from m import *` (at any level). */
bool aa_model_star_import(const struct aa_model *model);
/* The modules of the file's module-level `from m import *`, in the order written
 * (absolute, interned by the model; the array is the model's): sets *modules and returns
 * how many (0: none, *modules may be NULL). */
size_t aa_model_star_modules(const struct aa_model *model, const char *const **modules);
/* aa_model_eval(model, scope, attribute) for an attribute node `obj.attr` whose obj is
 * already known to mean *obj_meaning (from aa_model_eval(model, scope, obj)): the same
 * answer without evaluating obj again. */
struct aa_meaning aa_model_eval_attribute(struct aa_model *model, uint32_t scope, TSNode attribute,
					  const struct aa_meaning *obj_meaning);

/* The meaning of a type annotation node (`C`, `mod.C`, `C | None`, `Optional[C]`,
 * `"C"`) as an INSTANCE meaning, or UNKNOWN; as aa_model_eval otherwise. */
struct aa_meaning aa_model_eval_annotation(struct aa_model *model, uint32_t scope, TSNode type);

/* True when the file imports module (NUL-terminated; or something under it) anywhere:
 * aa_model_imports(m, "trio") for `import trio` or `from trio import sleep`. */
bool aa_model_imports(const struct aa_model *model, const char *module);

/* Calls fn for each name bound at module level, with what it means (aa_model_eval's
 * answer for the name at module scope). name[0..len) is borrowed, valid while the
 * model is. */
void aa_model_each_module_name(struct aa_model *model,
			       void (*fn)(void *ud, const char *name, uint32_t len, struct aa_meaning meaning), void *ud);

/* Calls fn for each attribute of a class of this file whose value is a known instance:
 * class-level bindings and annotations (`core: Core`), and `self.x = ...` in its
 * methods. cls is the class's qualified name (NUL-terminated), name[0..len) the
 * attribute's; both borrowed, valid while the model is. */
void aa_model_each_class_attr(struct aa_model *model,
			      void (*fn)(void *ud, const char *cls, const char *name, uint32_t len, struct aa_meaning meaning),
			      void *ud);

/* Comments seen by pass 1 (for noqa), in source order; i below the count. */
size_t aa_model_comment_count(const struct aa_model *model);
TSNode aa_model_comment(const struct aa_model *model, size_t i);

/* A NUL-terminated copy of s[0..len) in the model's arena (analyzer/base/arena.h);
 * valid until aa_model_free. Allocation failure exits. */
const char *aa_model_intern(struct aa_model *model, const char *s, size_t len);

#endif
