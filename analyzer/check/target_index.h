/*
 * target_index.h: the targets of every rule whose descriptor says they travel through
 * helpers (rule.h's .travels), hashed by name, so a call in sync code is classified
 * with one lookup instead of scanning every rule's table. Immutable after build; shared
 * by all workers.
 */
#ifndef AA_TARGET_INDEX_H
#define AA_TARGET_INDEX_H

#include <stddef.h>

#include "analyzer/base/map.h"
#include "analyzer/check/rule.h"

struct aa_target_hit {
	const struct aa_rule *rule;
	const struct aa_target *target;
};

struct aa_target_index {
	/* target name ("time.sleep", "requests.Session.get") -> index in hits; functions
	 * and methods in two namespaces; keys borrowed from the rules' target tables */
	struct aa_map by_name;
	struct aa_target_hit *hits; /* owned */
	size_t n_hits;
};

/* Indexes the targets of every rule aa_rules[i] of the registry for which keep[i] is true.
 * ix need not be initialised (it is overwritten); release it with
 * aa_target_index_release. Allocation failure exits (xalloc.h). */
void aa_target_index_build(struct aa_target_index *ix, const bool *keep);
/* Frees what ix owns (the rules' tables are borrowed and stay). */
void aa_target_index_release(struct aa_target_index *ix);

/* The target named qualname (a module-level callable) or cls.method (a method of a
 * tracked class; method is method_len bytes), or NULL. qualname and cls are
 * NUL-terminated. The hit is owned by ix. The first rule in registry order wins when
 * two name the same target. A method falls back to its class's "cls.*" entry as
 * aa_rule_match_method does (rule.h: EXEMPT entries are no hit). */
const struct aa_target_hit *aa_target_index_function(const struct aa_target_index *ix, const char *qualname);
const struct aa_target_hit *aa_target_index_method(const struct aa_target_index *ix, const char *cls,
						   const char *method, size_t method_len);

/* Every registry rule's module-level targets (not METHOD ones), by rule and name: what
 * aa_rule_match_function answers, in one lookup instead of a scan of the rule's table
 * (about 800 instructions for each blocking rule asked about each call). Immutable after
 * build; shared by all workers. */
struct aa_rule_functions {
	/* name, in the namespace of its rule's index in aa_rules -> index in its targets;
	 * keys borrowed from the rules' tables */
	struct aa_map by_name;
};

/* Indexes the registry. rf need not be initialised; release it with
 * aa_rule_functions_release. Allocation failure exits (xalloc.h). */
void aa_rule_functions_build(struct aa_rule_functions *rf);
void aa_rule_functions_release(struct aa_rule_functions *rf);

/* aa_rule_match_function(rule, qualname) (rule.h): the rule's first module-level target
 * named qualname (NUL-terminated), or NULL; a rule outside the registry is scanned. */
const struct aa_target *aa_rule_functions_match(const struct aa_rule_functions *rf, const struct aa_rule *rule,
						 const char *qualname);

#endif
