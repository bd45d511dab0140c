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

struct aa_ctx; /* analyzer/check/context.h */

enum aa_index_use {
	AA_INDEX_NONE = 0,
	AA_INDEX_CALLS,      /* resolves the calls of the parsed files (AA109) */
	AA_INDEX_COROUTINES, /* also needs sync files that import project coroutines, which
				the prefilter skips: their imports are scanned (AA201, AA202) */
	AA_INDEX_FANOUT,     /* defers fan-out sites (rules/concurrency/fanout.h): summaries also record
				what async functions await, their network calls and limiters
				(AA301, AA302) */
};

enum aa_target_flags {
	/* name is "pkg.Class.method": matches a method call on an object known (by the
	 * tracker) to be an instance of pkg.Class. Without this flag, name is the qualified
	 * name of a module-level callable: "time.sleep", "requests.Session". */
	AA_TARGET_METHOD = 1u << 0,
	/* Blocks only in the form `condition` states (e.g. bounded queues). Conditional
	 * targets never travel through helpers (AA109). */
	AA_TARGET_CONDITIONAL = 1u << 1,
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

struct aa_rule {
	const char *code;       /* "AA101": stable public API */
	const char *name;       /* kebab-case pattern name: "blocking-sleep" */
	bool default_on;        /* opt-in rules are enabled only by exact code, name or ALL */
	const char *summary;    /* one sentence, no trailing period (SARIF shortDescription) */
	const char *const *equivalents; /* NULL-terminated peer codes honoured by noqa, or NULL */
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
	/* The rule's findings are decided by the project index (analyzer/index/index.h): it is
	 * reported from file summaries (AA109) or defers with aa_ctx_defer. When no enabled
	 * rule needs it, no summary is built and no module is read on demand. */
	enum aa_index_use uses_index;
	struct aa_rule_doc doc;
};

/* The registry (rules/registry.c): every rule, sorted by code. */
extern const struct aa_rule *const aa_rules[];
extern const size_t aa_rules_count;

/* The rule with this exact code ("AA101") or name ("blocking-sleep"), or NULL. */
const struct aa_rule *aa_rule_find(const char *code_or_name);
/* Index of rule in aa_rules (rules are compared by pointer). */
size_t aa_rule_index(const struct aa_rule *rule);

/* Targets of rule matching a resolved call; see struct aa_callee (analyzer/check/context.h)
 * for how names are formed. Returns NULL when none matches. */
const struct aa_target *aa_rule_match_function(const struct aa_rule *rule, const char *qualname);
const struct aa_target *aa_rule_match_method(const struct aa_rule *rule, const char *class_qualname,
					     const char *method, size_t method_len);

#endif
