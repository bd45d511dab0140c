/*
 * rules.h: what every rule file includes: the rule API (analyzer/check/context.h), the
 * descriptor (analyzer/check/rule.h) and AA_TARGETS. The descriptors themselves are
 * declared where they are used: in rules/registry.c, which lists them all, and in the
 * rule files that name a descriptor.
 *
 * The helpers in the headers of rules/<family>/ follow the rule API's conventions
 * (context.h): they run in a check, on the context of the file being checked; nodes
 * passed are that file's and not null, strings NUL-terminated, rules the registry's,
 * unless a helper says otherwise; what they return is owned by the context, the model
 * or a static table; allocation failure exits (analyzer/base/xalloc.h).
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
