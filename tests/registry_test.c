/* Unit test of the registry (rules/registry.c) against the descriptor's contract
 * (analyzer/check/rule.h): codes sorted and unique, each rule in a family whose prefix
 * starts its code, a known severity, one rule per pipeline role, the hooks a cross-file
 * analysis needs, and a check or a role for every rule. Exit 0 = pass (tests/check.h). */
#include "analyzer/check/rule.h"
#include "tests/check.h"

#include <string.h>

int main(void)
{
	struct check t = CHECK_INIT("registry_test");
	CHECK(&t, aa_rules_count >= 38, "the registry lists %zu rules", aa_rules_count);
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_rule *r = aa_rules[i];
		CHECK(&t, i == 0 || strcmp(aa_rules[i - 1]->code, r->code) < 0, "%s is not after %s", r->code,
		      i ? aa_rules[i - 1]->code : "");
		CHECK(&t, r->family != NULL, "%s has no family", r->code);
		if (r->family)
			CHECK(&t, !strncmp(r->code, r->family->prefix, strlen(r->family->prefix)),
			      "%s is not under its family's prefix %s", r->code, r->family->prefix);
		CHECK(&t, r->severity == AA_SEVERITY_ERROR || r->severity == AA_SEVERITY_WARNING ||
				  r->severity == AA_SEVERITY_NOTE,
		      "%s has severity %d", r->code, (int)r->severity);
		CHECK(&t, r->check || r->role != AA_ROLE_NONE || r->crossfile || r->audit,
		      "%s has no check, no pipeline role, no cross-file analysis and no audit: it can never report",
		      r->code);
		if (r->crossfile)
			CHECK(&t, r->crossfile->summarize && r->crossfile->link && r->crossfile->new_record &&
					  r->crossfile->free_record && r->crossfile->node_kinds,
			      "%s's cross-file analysis lacks a hook", r->code);
		CHECK(&t, aa_rule_find(r->code) == r && aa_rule_find(r->name) == r, "%s (%s) is not found by code and name",
		      r->code, r->name);
		/* Style rules are opt-in: a default-on rule is not a note. */
		CHECK(&t, !(r->default_on && r->severity == AA_SEVERITY_NOTE), "%s is default-on at severity note",
		      r->code);
	}
	CHECK(&t, aa_rule_with_role(AA_ROLE_SYNTAX_ERROR) && aa_rule_with_role(AA_ROLE_UNREADABLE),
	      "a pipeline role has no rule");
	for (size_t i = 0; i < aa_families_count; i++)
		CHECK(&t, aa_families[i]->prefix && aa_families[i]->tag && aa_families[i]->title,
		      "family %zu is incomplete", i);
	CHECK_STR(&t, "concurrency-checker's family", "AA3",
		  aa_family_of_program("concurrency-checker") ? aa_family_of_program("concurrency-checker")->prefix : NULL);
	return check_done(&t);
}
