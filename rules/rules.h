/*
 * rules.h: what a rule file needs, and the declarations of every descriptor the registry
 * lists. A rule file includes this header only.
 */
#ifndef AA_RULES_H
#define AA_RULES_H

#include "analyzer/check/context.h"
#include "analyzer/check/rule.h"

#define AA_TARGETS(table) .targets = (table), .n_targets = sizeof(table) / sizeof((table)[0])

#endif
