/*
 * registry.h: the test registry. rules/registry.c appends AA_TEST_RULES and
 * AA_TEST_FAMILIES to its tables when it is compiled with AA_TEST_RULES defined, which
 * only the test build (async-analyzer-testrules, CMakeLists.txt) does. A test-only rule
 * is added by its own file in this folder and one entry here.
 */
#ifndef AA_TEST_REGISTRY_H
#define AA_TEST_REGISTRY_H

#include "rules/rules.h"

extern const struct aa_family aa_family_testonly;
extern const struct aa_rule aa_rule_test_cross_module_call;

#define AA_TEST_RULES_LIST &aa_rule_test_cross_module_call,
#define AA_TEST_FAMILIES_LIST &aa_family_testonly,

#endif
