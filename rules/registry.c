/* The one list of rules, sorted by code. Adding a rule touches this file only. */
#include "rules/rules.h"

extern const struct aa_rule aa_rule_syntax_error;
extern const struct aa_rule aa_rule_unreadable_file;
extern const struct aa_rule aa_rule_blocking_sleep;

const struct aa_rule *const aa_rules[] = {
	&aa_rule_syntax_error,
	&aa_rule_unreadable_file,
	&aa_rule_blocking_sleep,
};

const size_t aa_rules_count = sizeof(aa_rules) / sizeof(aa_rules[0]);
