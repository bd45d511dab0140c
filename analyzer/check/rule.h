/*
 * rule.h: the rule descriptor. One rule = one file in rules/ exporting one
 * `const struct aa_rule`, listed once in rules/registry.c. Everything the product says
 * about a rule (its code, name, default, noqa equivalents, target table, documentation,
 * SARIF metadata, `rule CODE` output) comes from this descriptor.
 *
 * Descriptors are immutable and shared by all worker threads.
 */
#ifndef AA_RULE_H
#define AA_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analyzer/base/edit.h"

struct aa_audit;  /* analyzer/check/audit.h */
struct aa_ctx;    /* analyzer/check/context.h */
struct aa_link;   /* analyzer/check/link.h */
struct aa_demand; /* analyzer/index/index.h */

/* What a rule asks of the project index besides its cross-file analysis. */
enum aa_index_use {
	/* It defers findings with aa_ctx_defer (context.h): summaries are built. */
	AA_INDEX_DEFERS = 1u << 0,
	/* It fires in sync code on calls of project coroutines: sync files that import one
	 * (which the prefilter skips) are read on demand, and its check runs there. */
	AA_INDEX_SYNC_CALLERS = 1u << 1,
	/* Its link asks what files that were not parsed import (the project index's
	 * subclass questions): their import statements are scanned, as for SYNC_CALLERS,
	 * but nothing more is read for them. */
	AA_INDEX_IMPORT_SCAN = 1u << 2,
};

/* A cross-file analysis (cppcheck's getFileInfo and analyseWholeProgram): per file, its
 * summarize hook records the facts it needs in its own record of the file's summary;
 * between the on-demand rounds its demand hook says which unread modules it needs; when
 * every file is summarised its link hook reads the project index and reports. The rules
 * that share its facts point to one (AA301 and AA302 share the fan-out analysis). It
 * runs when a rule pointing to it is enabled. Immutable; the hooks run on worker
 * threads (summarize) or the main thread (demand, link) and keep no state outside
 * their records. */
struct aa_crossfile {
	const char *name;              /* "helper-chains": what the docs call it */
	/* Node kinds handed to summarize, NULL-terminated (interned at start-up). */
	const char *const *node_kinds;
	/* Called after the rules' checks of each node of those kinds while a summary is
	 * built; records with aa_ctx_record (context.h). */
	void (*summarize)(struct aa_ctx *ctx, TSNode node);
	/* An empty record (aa_ctx_record calls it; never NULL: allocate with xalloc.h),
	 * and its release (the summary calls it with what new_record made). */
	void *(*new_record)(void);
	void (*free_record)(void *record);
	/* Optional: called once the file's summary is complete, with its record (not NULL).
	 * Returns the record to keep, its arrays trimmed to what they hold and what only the
	 * file's own walk needed freed, or NULL, having freed it, when it holds nothing a
	 * demand or link hook would read (they read a missing record as an empty one).
	 * Records are kept to the end of the run for every file, maybe 100,000 of them. */
	void *(*finish_record)(void *record);
	/* Which unread modules the records need (index.h's aa_demand_*); may be NULL. */
	void (*demand)(struct aa_demand *demand);
	/* Reads the index and reports through aa_link_report (link.h). */
	void (*link)(struct aa_link *link);
};

enum aa_target_flags {
	/* name is "pkg.Class.method": matches a method call on an object known (by the
	 * tracker) to be an instance of pkg.Class. Without this flag, name is the qualified
	 * name of a module-level callable: "time.sleep", "requests.Session". */
	AA_TARGET_METHOD = 1u << 0,
	/* Blocks only in the form `condition` states (e.g. bounded queues). Conditional
	 * targets never travel through helpers (AA109). */
	AA_TARGET_CONDITIONAL = 1u << 1,
	/* A METHOD entry "pkg.Class.*": every public method of the class (a name that starts
	 * with a lowercase letter; dunders, `_private` and Capitalised names are not) is a
	 * target, for clients whose every API call is a request (boto3). Exact entries of the
	 * same class win over it. */
	AA_TARGET_ANY_METHOD = 1u << 2,
	/* A METHOD entry naming a method of a class with an ANY_METHOD entry that is *not*
	 * a target (it makes no I/O: `generate_presigned_url`). Never matches a call; listed
	 * so that the docs say so from the same table. */
	AA_TARGET_EXEMPT = 1u << 3,
};

struct aa_target {
	const char *name;      /* qualified name, see enum aa_target_flags */
	unsigned flags;        /* enum aa_target_flags */
	const char *fix;       /* the suggested fix, e.g. "await asyncio.sleep()"; may be NULL */
	const char *condition; /* for conditional targets: when it blocks, in words */
};

/* Documentation sections (Ruff's rule docs). Markdown; code samples are Python source. */
struct aa_rule_doc {
	const char *what;        /* What it does */
	const char *why;         /* Why is this bad */
	const char *example;     /* Python source that raises the rule (tested) */
	const char *use_instead; /* Python source that does not raise it (tested) */
	const char *anchor;      /* where findings are anchored, for noqa placement */
	const char *exceptions;  /* when it is fine; how to suppress */
	const char *equivalents_note; /* peers' codes that are not noqa codes (Pyright...); may be NULL */
	const char *references;  /* markdown list of links; may be NULL */
};

/* A rule family: the rules under one code prefix, kept in one folder rules/<family>/
 * with their helpers. Immutable; listed once in rules/registry.c (aa_families). */
struct aa_family {
	const char *prefix;  /* "AA1": every code of the family starts with it */
	const char *tag;     /* "blocking-call": SARIF rule tag */
	const char *title;   /* "blocking calls": the catalog's heading */
	/* The name of a program preset to this family alone ("concurrency-checker": the
	 * same binary invoked under that name), or NULL. */
	const char *program;
	/* Every rule of the family spares test code (aa_rule_spares_tests). */
	bool spares_tests;
};

/* How sure a finding is, for text, JSON, SARIF `level` and annotations. */
enum aa_severity {
	AA_SEVERITY_ERROR = 0, /* certain to block, hang, lose work or never run */
	AA_SEVERITY_WARNING,   /* conditional or likely */
	AA_SEVERITY_NOTE,      /* style */
};

/* The word the output formats use for a severity: "error", "warning", "note". Static
 * storage. */
const char *aa_severity_name(enum aa_severity severity);
/* What the severity means, in words, for the rule pages ("certain to block, ..."). */
const char *aa_severity_meaning(enum aa_severity severity);

/* Whether and which fix a rule's findings carry (the edits themselves: analyzer/base/
 * edit.h, attached with aa_ctx_report_fix, context.h). The rule page and `rule CODE` say
 * it. */
struct aa_rule_fix {
	enum aa_fix_kind kind; /* AA_FIX_NONE (then the rest is NULL), SAFE or UNSAFE */
	/* A short imperative title, plain text: the code action an editor offers, SARIF's
	 * fix description, JSON's fix message ("Use await asyncio.sleep()"). */
	const char *title;
	/* What the fix writes and when a finding has none, Markdown (the rule page). */
	const char *doc;
};

/* Findings the pipeline itself makes, not a check: each role is held by one rule. */
enum aa_pipeline_role {
	AA_ROLE_NONE = 0,
	AA_ROLE_SYNTAX_ERROR, /* the first parse error of a file */
	AA_ROLE_UNREADABLE,   /* a file that cannot be read or decoded */
};

struct aa_rule {
	const char *code;       /* "AA101": stable public API */
	const char *name;       /* kebab-case pattern name: "blocking-sleep" */
	const struct aa_family *family; /* the family whose prefix code starts with */
	bool default_on;        /* opt-in rules are enabled only by exact code, name or ALL */
	/* Reported whatever the selection, unless ignored by its exact code or name (the
	 * analyzer's own diagnostics: a file that was not analyzed must say so). */
	bool always_on;
	enum aa_severity severity; /* default severity */
	struct aa_rule_fix fix;
	enum aa_pipeline_role role;
	/* Its certain targets travel through sync helpers: a call of a project function
	 * that reaches one is a finding of the helper-chain rule, when the rule is on by
	 * default or selected (an opt-in rule's targets make chains only when selected). */
	bool travels;
	/* Its findings are about a running service (a stalled loop, a lost task, a timeout
	 * that never fires), which test code is not: they are not reported in test code
	 * (analyzer/input/test_code.h, and pytest fixtures) unless the file's configuration
	 * says report-in-tests. Its family may say so for all its rules. */
	bool spares_tests;
	const char *summary;    /* one sentence, no trailing period (SARIF shortDescription) */
	const char *const *equivalents; /* NULL-terminated peer codes honoured by noqa, or NULL */
	/* NULL-terminated codes peers gave this check before they renumbered it (flake8-async
	 * and Ruff in 2024: ASYNC100 was the HTTP check), or NULL. Honoured by a suppression
	 * comment on the line only: not for a whole file or a range, not by Ruff's
	 * configuration nor by `rule CODE`, since the code names another rule today. */
	const char *const *former_equivalents;
	const struct aa_target *targets; /* the rule's exhaustive target table, or NULL */
	size_t n_targets;
	/* Named node kinds of tree-sitter-python the walker hands to check(), NULL-terminated.
	 * Interned at start-up; an unknown kind is a start-up failure. */
	const char *const *node_kinds;
	/* Called for each node of those kinds outside ERROR/MISSING regions. Report with
	 * aa_ctx_report(). Runs on worker threads: no mutable state outside ctx. May be NULL
	 * for rules reported by the pipeline itself (AA001, AA002). */
	void (*check)(struct aa_ctx *ctx, TSNode node);
	/* A file is parsed only when it may hold what some enabled rule looks at. Every
	 * file with `async def` or `await` is; a rule that also fires in sync code lists
	 * here the words (NULL-terminated) whose presence makes a file worth parsing for it,
	 * e.g. {"create_task", "ensure_future", NULL}. May be NULL. */
	const char *const *prefilter_words;
	/* The cross-file analysis whose link reports this rule's findings, or NULL. */
	const struct aa_crossfile *crossfile;
	/* enum aa_index_use flags. When no enabled rule has a cross-file analysis or
	 * flags, no summary is built and no module is read on demand. */
	unsigned index_use;
	/* Judges a file's outcome once every other finding of the run is made (which of its
	 * suppression comments were used), on the main thread, and reports through
	 * aa_audit_report (audit.h). May be NULL. When an enabled rule has one, every
	 * parsed file's suppression comments are kept until the audits have run. */
	void (*audit)(struct aa_audit *audit);
	struct aa_rule_doc doc;
};

/* The registry (rules/registry.c): every rule, sorted by code. */
extern const struct aa_rule *const aa_rules[];
extern const size_t aa_rules_count;

/* The rule with this exact code ("AA101") or name ("blocking-sleep"), or NULL.
 * code_or_name is NUL-terminated; the rule is the registry's (static storage). */
const struct aa_rule *aa_rule_find(const char *code_or_name);
/* Index of rule in aa_rules (rules are compared by pointer), or aa_rules_count for a
 * rule that is not in the registry. A linear search of the registry. */
size_t aa_rule_index(const struct aa_rule *rule);

/* Does rule spare test code (its own or its family's spares_tests)? */
bool aa_rule_spares_tests(const struct aa_rule *rule);

/* The rule holding a pipeline role, or NULL when no rule of the registry does. */
const struct aa_rule *aa_rule_with_role(enum aa_pipeline_role role);

/* The families (rules/registry.c), in code order. */
extern const struct aa_family *const aa_families[];
extern const size_t aa_families_count;

/* The family preset to program name (argv[0]'s last component, NUL-terminated), or
 * NULL. */
const struct aa_family *aa_family_of_program(const char *program);

/* Targets of rule matching a resolved call (a qualified name as the model forms it,
 * analyzer/facts/model.h; NUL-terminated, not NULL; method[0..method_len) needs no
 * terminator). Returns the rule's own entry (static storage), or NULL when none
 * matches. For a method: the exact entry "Class.method" (NULL when it is EXEMPT), else
 * the class's ANY_METHOD entry when the method is public (aa_target_any_method_covers). */
const struct aa_target *aa_rule_match_function(const struct aa_rule *rule, const char *qualname);
const struct aa_target *aa_rule_match_method(const struct aa_rule *rule, const char *class_qualname,
					     const char *method, size_t method_len);

/* Whether an ANY_METHOD entry covers method[0..method_len): its name starts with a
 * lowercase ASCII letter (public API; not a dunder, `_private` or Capitalised factory). */
bool aa_target_any_method_covers(const char *method, size_t method_len);

#endif
