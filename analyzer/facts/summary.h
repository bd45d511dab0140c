/*
 * summary.h: what one file contributes to the project index. Summaries, not syntax
 * trees, cross file boundaries (cppcheck's getFileInfo): strings and positions only,
 * so memory grows with the number of definitions and calls, not with source size.
 *
 * A summary is built by the per-file stage (analyze.c) from the semantic model while
 * the tree is alive, then handed to the index (index.h) after every file is done.
 * Everything in it is owned by it: release with aa_summary_free.
 */
#ifndef AA_SUMMARY_H
#define AA_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/check/diag.h"

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

/* A call from a sync function to a callee that may be project code (an AA109 edge). */
struct aa_sum_call {
	uint32_t func;      /* the calling function: index into funcs[] */
	struct aa_ref ref;
	struct aa_span span;
};

/* A call to a *certain* target of an enabled AA101-AA108 rule or a configured AA110
 * name, not suppressed on its line, in a sync function. */
struct aa_sum_block {
	uint32_t func;      /* the function it is in: index into funcs[] */
	const struct aa_rule *rule;
	const char *callee; /* source text of the callee, "requests.get"; arena */
	struct aa_span span;
};

struct aa_sum_func {
	const char *qualname; /* "pkg.db.Repo.load"; arena */
	const char *module;   /* the module's name, a prefix of qualname; arena */
	bool is_async;        /* an `async def` (coroutine or async generator) */
	bool is_coroutine;    /* an `async def` without `yield`: its call returns a coroutine */
	bool opaque;          /* has a decorator not known to keep what it decorates */
	const char *returns;  /* class named by the return annotation, or NULL; arena */
	struct aa_span span;  /* of the def's name */
	/* Fan-out facts (rules/concurrency/fanout.h), for async functions when a fan-out rule is
	 * enabled; what they await is in awaits[]. */
	const char *net_callee; /* its first network or database call, "session.get"; arena; or NULL */
	struct aa_span net_span;
	bool limits;            /* acquires a limiter: `async with sem:`, `await lock.acquire()` */
	bool reads_queue;       /* takes items off a queue (a worker of a pool) */
};

/* A call an async function awaits (or enters with `async with`) whose callee may be
 * project code: the fan-out rules follow them (does the spawned coroutine reach a
 * network call, or a limiter, through what it awaits?). */
struct aa_sum_await {
	uint32_t func; /* the awaiting function: index into funcs[] */
	struct aa_ref ref;
	struct aa_span span;
};

/* An aiohttp/httpx client created for one call of an async function (AA306's fan-out
 * form: reported when the function is found fanned out), not suppressed on its line. */
struct aa_sum_client {
	uint32_t func;       /* index into funcs[] */
	const char *callee;  /* "aiohttp.ClientSession"; arena */
	struct aa_span span;
	char *source_line;   /* owned */
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

enum aa_site_kind {
	AA_SITE_IF_COROUTINE, /* report `message` when ref is a project coroutine function */
	AA_SITE_HELPER_CALL,  /* AA109 candidate: a call in async context */
	/* AA301/AA302: report `message`, the evidence and `tail` when ref is a project
	 * coroutine function that makes network or database calls (itself or through what
	 * it awaits) and acquires no limiter there (rules/concurrency/fanout.h). */
	AA_SITE_FANOUT,
};

struct aa_sum_site {
	enum aa_site_kind kind;
	const struct aa_rule *rule;
	struct aa_ref ref;
	struct aa_span span;
	const char *function; /* the async function the call is in (AA109 messages); arena */
	const char *callee;   /* the callee's source text, "self.load"; arena */
	char *message;        /* owned; AA_SITE_IF_COROUTINE, AA_SITE_FANOUT (its head) */
	char *tail;           /* owned; AA_SITE_FANOUT: the advice after the evidence */
	char *source_line;    /* owned; the anchor's line */
	bool settled;         /* the index needs nothing more to decide it (on-demand rounds) */
};

/* A name an import statement binds, as the line scan of a skipped file found it. */
struct aa_sum_import {
	const char *name;  /* qualified: "app.db" for `import app.db`, "app.db.save" for
			      `from app.db import save`; arena */
	const char *bound; /* the local name it binds: "save", the `as` alias, or "app"
			      for `import app.db`; arena */
};

struct aa_summary_arena;

struct aa_summary {
	char *path;           /* owned; display path */
	const char *module;   /* arena */
	bool is_package;
	/* The file was not parsed (no async code): the summary holds only the names its
	 * import statements bind, found by a line scan (imports[]), so the index can tell
	 * whether it may call a project coroutine and must be parsed after all. */
	bool imports_only;
	struct aa_sum_import *imports; size_t n_imports, imports_cap;
	struct aa_sum_func *funcs;     size_t n_funcs, funcs_cap;
	struct aa_sum_call *calls;     size_t n_calls, calls_cap;
	struct aa_sum_block *blocks;   size_t n_blocks, blocks_cap;
	struct aa_sum_class *classes;  size_t n_classes, classes_cap;
	const char **bases;            size_t n_bases, bases_cap;
	struct aa_sum_export *exports; size_t n_exports, exports_cap;
	struct aa_sum_attr *attrs;     size_t n_attrs, attrs_cap;
	struct aa_sum_site *sites;     size_t n_sites, sites_cap;
	struct aa_sum_await *awaits;   size_t n_awaits, awaits_cap;
	struct aa_sum_client *clients; size_t n_clients, clients_cap;
	struct aa_summary_arena *arena;
};

/* A new empty summary for the file at display path (copied). Caller frees with
 * aa_summary_free. */
struct aa_summary *aa_summary_new(const char *path, const char *module, bool is_package);
void aa_summary_free(struct aa_summary *sum);

/* Copies s[0..len) into the summary's arena; valid until aa_summary_free. */
const char *aa_summary_intern(struct aa_summary *sum, const char *s, size_t len);

#endif
