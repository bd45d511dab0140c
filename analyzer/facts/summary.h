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
	/* has a decorator that may register it to run beside other work: any but a start-up
	 * or shut-down hook's registration and `asynccontextmanager` (lifecycle.h) */
	bool decorated;
	/* a server's or bot's start-up or shut-down hook by its decorator or its name
	 * (lifecycle.h): it runs before the service serves or after it stops */
	bool hook;
	/* Its body (lambdas included, nested defs not) starts concurrent work on its loop or
	 * bounds it in time: a task, a gather, a task group, a server, a scheduled callback,
	 * a timeout (loop_uses.h): what it or its callees block would stall that work. */
	bool spawns;
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
	/* UINT32_MAX for a finding deferred with aa_ctx_defer (ref decides); for one deferred
	 * with aa_ctx_defer_unless_alone, the index in funcs[] of the coroutine function the
	 * finding is in, reported unless it runs alone (index.h's aa_index_runs_alone): ref
	 * is then unused and settled is set. */
	uint32_t alone_func;
	bool settled;         /* the index needs no more modules to decide it (on-demand rounds) */
};

/* An `await` of a call that may be project code, in a coroutine function of the file
 * that may run alone (undecorated, starting nothing itself: loop_uses.h): an edge of the
 * index's alone question. */
struct aa_sum_await {
	uint32_t caller;    /* the awaiting function: index into the summary's funcs[] */
	struct aa_ref ref;  /* what it awaits */
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

/* The arrays' lengths are 32-bit and their capacities are kept by whoever builds them
 * (struct aa_summary_caps): a summary lives to the end of the run, one per file, maybe
 * 100,000 of them named on the command line, and once frozen (aa_summary_freeze) it is
 * one block. */
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
	/* Made by aa_summary_freeze: the struct, its arrays, records and path are one block. */
	bool frozen;
	/* The file mentions nest_asyncio: a loop of its own may be a running one after all. */
	bool nest_asyncio;
	/* The file runs a server inside a coroutine (lifecycle.h's aa_lifecycle_serves_inline):
	 * no start-up hook of the project runs alone. */
	bool serves_inline;
	uint32_t n_awaits, n_fresh_runs, n_hooks, n_uses;
	uint32_t n_imports, n_funcs, n_classes, n_bases, n_exports, n_star_modules, n_star_bound, n_attrs, n_defers;
	uint32_t n_records;
	struct aa_sum_import *imports;
	struct aa_sum_func *funcs;
	struct aa_sum_class *classes;
	const char **bases;
	struct aa_sum_export *exports;
	/* The project modules whose names the file re-exports with its module-level `from m
	 * import *` ("pkg._native"), the last AA_SUM_MAX_STARS of them in the order written:
	 * n_star_modules strings one after another, each NUL-terminated (aa_summary_next_star
	 * walks them), or NULL when there is none; arena */
	const char *star_modules;
	/* With star_modules: every name the module binds at its top level (a def, a class,
	 * an import, an assignment: "fetch"), which the star import does not give; arena */
	const char **star_bound;
	struct aa_sum_attr *attrs;
	struct aa_sum_defer *defers;
	/* How the file starts and awaits coroutines (analyzer/facts/loop_uses.h), for the
	 * index's question whether a coroutine function runs alone on a loop of its own:
	 * awaits of maybe-project calls in functions that may run alone; coroutines started
	 * from sync code on a fresh loop (`asyncio.run(main())`); and, sorted and distinct,
	 * aa_sum_name_hash of every name used any other way (called without await, passed,
	 * stored, awaited where the callee is unknown): a coroutine function whose name is
	 * among them may be run by anything. */
	struct aa_sum_await *awaits;
	struct aa_ref *fresh_runs;
	/* the functions registered by name as start-up or shut-down hooks (lifecycle.h:
	 * `FastAPI(lifespan=lifespan)`, `app.on_startup.append(init)`) */
	struct aa_ref *hooks;
	uint32_t *uses;
	/* One per cross-file analysis of the run, in the engine's order (analyze.h);
	 * NULL when the run has none, or when a frozen summary's held no data. */
	struct aa_sum_record *records;
	struct aa_arena arena; /* the strings marked "arena" above (empty once frozen with them) */
};

/* The capacities of a summary's arrays while it is built (AA_GROW, xalloc.h): owned by
 * the builder (the summarizer, the import scan), zeroed with the summary's arrays empty. */
struct aa_summary_caps {
	size_t imports, funcs, classes, bases, exports, star_bound, attrs, defers, awaits, fresh_runs, hooks;
};

/* A new empty summary for the file at display path (copied) of module (interned; both
 * NUL-terminated), with n_records empty records. Caller frees with aa_summary_free.
 * Allocation failure exits (xalloc.h), as in every function that adds to a summary. */
struct aa_summary *aa_summary_new(const char *path, const char *module, bool is_package, size_t n_records);
/* Can an import statement name the summary's module? Not when its first component is
 * no identifier ("0" of 0.py, "my-script": non-ASCII bytes are taken as letters). */
bool aa_summary_nameable(const struct aa_summary *sum);
/* Can the summary, complete, matter to the project index? Other files reach a summary
 * through its module's name (aa_summary_nameable). One they cannot name still matters
 * when it holds a class (its subclass relations reach the classes it names), a deferred
 * finding or a record's data (the cross-file analyses judge its own file), or how it
 * starts and uses coroutines (loop_uses.h keeps those only when they may matter). One
 * that does not is dropped whole: files named one by one are kept to the end of the
 * run, maybe 100,000 of them. */
bool aa_summary_needed(const struct aa_summary *sum);

/* The summary, complete, made one block (its struct, arrays, records and path; when no
 * record holds data, no records (n_records 0: every record reads as missing) and the
 * arena's strings, which a record may point to; what defers and records own stays where
 * it is): returns it, and sum (taken over) is freed. Nothing may be
 * added to it afterwards (its arrays have no room), and every pointer to the struct or
 * into its arrays is stale: call it before anything keeps one (the index). For files
 * kept to the end of a run, maybe 100,000 of them: one allocation, not ten. sum is not
 * frozen yet. Allocation failure exits. */
struct aa_summary *aa_summary_freeze(struct aa_summary *sum);
/* Frees the summary, its defers and every record (with its free_data). NULL is a no-op. */
void aa_summary_free(struct aa_summary *sum);

/* A NUL-terminated copy of s[0..len) (s holds len bytes) in the summary's arena; valid
 * until aa_summary_free. */
const char *aa_summary_intern(struct aa_summary *sum, const char *s, size_t len);
/* The hash uses[] holds for the name s[0..len) (an identifier, or the last component of a
 * dotted name): 32-bit FNV-1a. Equal names hash equal; a collision only makes a
 * function look used. */
uint32_t aa_sum_name_hash(const char *s, size_t len);
/* aa_sum_name_hash of the last component of the dotted name q ("save" of "pkg.db.save"),
 * and of the name ref stands for (its last component, or its method's name). */
uint32_t aa_sum_last_hash(const char *q);
uint32_t aa_sum_ref_hash(const struct aa_ref *ref);
/* Orders hashes for qsort and bsearch (pointers to uint32_t). */
int aa_sum_cmp_hash(const void *a, const void *b);

/* The hash uses[] holds for a name a package's __init__ re-exports (its "export"), apart
 * from the name's own: a class so exported is public API, and so are its methods. */
uint32_t aa_sum_export_hash(const char *s, size_t len);

/* Star imports a summary keeps (the last ones win in Python). */
#define AA_SUM_MAX_STARS 32

/* The star module written after star (one of a summary's star_modules strings, not its
 * last: star_modules is followed n_star_modules - 1 times). */
const char *aa_summary_next_star(const char *star);

#endif
