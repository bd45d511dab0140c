/*
 * summary.h: what one file contributes to the project index. Summaries, not syntax
 * trees, cross file boundaries (cppcheck's getFileInfo): strings and positions only,
 * so memory grows with the number of definitions and calls, not with source size.
 *
 * A summary is built during the per-file stage from the semantic model while the tree
 * is alive (analyzer/facts/summarize.h builds its generic part: definitions, classes,
 * module-level names; each cross-file analysis fills its own record through its
 * summarize hook, analyzer/check/rule.h), then handed to the index
 * (analyzer/index/index.h) after every file is done.
 * Everything in it is owned by it: release with aa_summary_free.
 */
#ifndef AA_SUMMARY_H
#define AA_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/base/arena.h"
#include "analyzer/base/edit.h"
#include "analyzer/base/span.h"
#include "analyzer/input/excerpt.h"

struct aa_rule;

/* A callee named as the index can resolve it. */
enum aa_ref_kind {
	AA_REF_NAME,   /* name: a qualified name, "pkg.db.save", "pkg.api.Handler.run" */
	AA_REF_METHOD, /* name: the receiver's class, "pkg.models.Repo"; method: "save" */
	AA_REF_SUPER,  /* super().method() in a method of class `name` */
	AA_REF_CHAIN,  /* name: what the receiver chain starts from (a class, or a function
			  whose return annotation names one); path: attributes after it,
			  "core" or "sys.core"; method: the method called on the last one */
};

struct aa_ref {
	enum aa_ref_kind kind;
	const char *name;   /* owned by the summary's arena */
	const char *method; /* METHOD, SUPER, CHAIN; owned by the arena */
	const char *path;   /* CHAIN; owned by the arena */
};

struct aa_sum_func {
	const char *qualname; /* "pkg.db.Repo.load"; arena */
	const char *module;   /* the module's name, a prefix of qualname; arena */
	bool is_async;        /* an `async def` (coroutine or async generator) */
	bool is_coroutine;    /* an `async def` without `yield`: its call returns a coroutine */
	bool opaque;          /* has a decorator not known to keep what it decorates */
	bool memoised;        /* functools.cache / lru_cache / cached_property: runs once per arguments */
	const char *returns;  /* class named by the return annotation, or NULL; arena */
	struct aa_span span;  /* of the def's name */
};

/* An attribute of a class with a known type: `core: Core`, `self.repo = Repo()`. */
struct aa_sum_attr {
	const char *name;  /* "pkg.Sys.core"; arena */
	const char *type;  /* "pkg.core.Core"; arena */
};

struct aa_sum_class {
	const char *qualname;          /* arena */
	uint32_t first_base, n_bases;  /* into bases[]; a NULL base is one the file could not name */
};

/* A module-level name and what it refers to: imports and aliases, for re-exports
 * (`from .db import save` in pkg/__init__.py makes pkg.save mean pkg.db.save). */
struct aa_sum_export {
	const char *name;   /* "pkg.save"; arena */
	const char *target; /* "pkg.db.save"; arena */
};

/* A finding a check deferred to the project index (aa_ctx_defer, analyzer/check/context.h):
 * reported when ref resolves to a project coroutine function. */
struct aa_sum_defer {
	const struct aa_rule *rule; /* borrowed from the registry */
	struct aa_ref ref;
	struct aa_span span;
	char *message;        /* owned */
	struct aa_excerpt line; /* owned; the anchor's line (analyzer/input/excerpt.h) */
	struct aa_fix *fix;   /* owned; the finding's fix (analyzer/base/edit.h), or NULL */
	bool settled;         /* the index needs no more modules to decide it (on-demand rounds) */
};

/* What one cross-file analysis (a struct aa_crossfile of rule.h, shared by the rules that
 * point to it) records about the file: its own type, made and freed by its hooks. */
struct aa_sum_record {
	void *data;               /* owned through free_data; NULL until the analysis records */
	void (*free_data)(void *data);
};

/* A name an import statement binds, as the line scan of a skipped file found it. */
struct aa_sum_import {
	const char *name;  /* qualified: "app.db" for `import app.db`, "app.db.save" for
			      `from app.db import save`; arena */
	const char *bound; /* the local name it binds: "save", the `as` alias, or "app"
			      for `import app.db`; arena */
};

struct aa_summary {
	char *path;           /* owned; display path */
	const char *module;   /* arena */
	bool is_package;
	/* The file was not parsed (no async code): the summary holds only the names its
	 * import statements bind, found by a line scan (imports[]), so the index can tell
	 * whether it may call a project coroutine and must be parsed after all. */
	bool imports_only;
	/* The file is test code (analyzer/input/test_code.h) and its configuration does not
	 * say report-in-tests: rules that spare test code report nothing in it. */
	bool spare_tests;
	struct aa_sum_import *imports; size_t n_imports, imports_cap;
	struct aa_sum_func *funcs;     size_t n_funcs, funcs_cap;
	struct aa_sum_class *classes;  size_t n_classes, classes_cap;
	const char **bases;            size_t n_bases, bases_cap;
	struct aa_sum_export *exports; size_t n_exports, exports_cap;
	/* The module whose names the file re-exports with its one module-level
	 * `from m import *` ("pkg._native"), or NULL; arena */
	const char *star_module;
	/* With star_module: every name the module binds at its top level (a def, a class,
	 * an import, an assignment: "fetch"), which the star import does not give; arena */
	const char **star_bound; size_t n_star_bound, star_bound_cap;
	struct aa_sum_attr *attrs;     size_t n_attrs, attrs_cap;
	struct aa_sum_defer *defers;   size_t n_defers, defers_cap;
	/* One per cross-file analysis of the run, in the engine's order (analyze.h);
	 * NULL when the run has none. */
	struct aa_sum_record *records; size_t n_records;
	struct aa_arena arena; /* the strings marked "arena" above */
};

/* A new empty summary for the file at display path (copied) of module (interned; both
 * NUL-terminated), with n_records empty records. Caller frees with aa_summary_free.
 * Allocation failure exits (xalloc.h), as in every function that adds to a summary. */
struct aa_summary *aa_summary_new(const char *path, const char *module, bool is_package, size_t n_records);
/* Frees the summary, its defers and every record (with its free_data). NULL is a no-op. */
void aa_summary_free(struct aa_summary *sum);

/* A NUL-terminated copy of s[0..len) (s holds len bytes) in the summary's arena; valid
 * until aa_summary_free. */
const char *aa_summary_intern(struct aa_summary *sum, const char *s, size_t len);

#endif
