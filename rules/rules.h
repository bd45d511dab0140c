/*
 * rules.h: what a rule file needs, and the declarations of every descriptor the registry
 * lists. A rule file includes this header only.
 */
#ifndef AA_RULES_H
#define AA_RULES_H

#include "analyzer/check/context.h"
#include "analyzer/check/rule.h"

/* The families (rules/<family>/family.c), for the descriptors' .family. */
extern const struct aa_family aa_family_analyzer, aa_family_blocking, aa_family_coroutines, aa_family_concurrency,
	aa_family_cancellation, aa_family_resources, aa_family_testing;

#define AA_TARGETS(table) .targets = (table), .n_targets = sizeof(table) / sizeof((table)[0])

#endif
