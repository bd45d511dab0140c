#include "analyzer/check/rule.h"

#include <string.h>

const struct aa_rule *aa_rule_find(const char *code_or_name)
{
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_rule *r = aa_rules[i];
		if (!strcmp(r->code, code_or_name) || !strcmp(r->name, code_or_name))
			return r;
	}
	return NULL;
}

size_t aa_rule_index(const struct aa_rule *rule)
{
	for (size_t i = 0; i < aa_rules_count; i++)
		if (aa_rules[i] == rule)
			return i;
	return aa_rules_count;
}

const struct aa_rule *aa_rule_with_role(enum aa_pipeline_role role)
{
	for (size_t i = 0; i < aa_rules_count; i++)
		if (aa_rules[i]->role == role)
			return aa_rules[i];
	return NULL;
}

const struct aa_family *aa_family_of_program(const char *program)
{
	for (size_t i = 0; i < aa_families_count; i++)
		if (aa_families[i]->program && !strcmp(aa_families[i]->program, program))
			return aa_families[i];
	return NULL;
}

const char *aa_severity_name(enum aa_severity severity)
{
	switch (severity) {
	case AA_SEVERITY_WARNING: return "warning";
	case AA_SEVERITY_NOTE: return "note";
	case AA_SEVERITY_ERROR: break;
	}
	return "error";
}

const char *aa_severity_meaning(enum aa_severity severity)
{
	switch (severity) {
	case AA_SEVERITY_WARNING:
		return "conditional or likely: it stalls, leaks or loses work in the circumstances the page describes";
	case AA_SEVERITY_NOTE: return "style: the code works, and there is a better way";
	case AA_SEVERITY_ERROR: break;
	}
	return "certain to block, hang, lose work or never run";
}

const struct aa_target *aa_rule_match_function(const struct aa_rule *rule, const char *qualname)
{
	for (size_t i = 0; i < rule->n_targets; i++) {
		const struct aa_target *t = &rule->targets[i];
		if (!(t->flags & AA_TARGET_METHOD) && !strcmp(t->name, qualname))
			return t;
	}
	return NULL;
}

bool aa_target_any_method_covers(const char *method, size_t method_len)
{
	return method_len > 0 && method[0] >= 'a' && method[0] <= 'z';
}

const struct aa_target *aa_rule_match_method(const struct aa_rule *rule, const char *class_qualname,
					     const char *method, size_t method_len)
{
	size_t clen = strlen(class_qualname);
	const struct aa_target *any = NULL;
	for (size_t i = 0; i < rule->n_targets; i++) {
		const struct aa_target *t = &rule->targets[i];
		if (!(t->flags & AA_TARGET_METHOD))
			continue;
		/* t->name is "<class_qualname>.<method>", or "<class_qualname>.*" */
		if (strncmp(t->name, class_qualname, clen) || t->name[clen] != '.')
			continue;
		const char *m = t->name + clen + 1;
		if (t->flags & AA_TARGET_ANY_METHOD)
			any = t;
		else if (strlen(m) == method_len && !memcmp(m, method, method_len))
			return (t->flags & AA_TARGET_EXEMPT) ? NULL : t;
	}
	return any && aa_target_any_method_covers(method, method_len) ? any : NULL;
}

bool aa_rule_spares_tests(const struct aa_rule *rule)
{
	return rule->spares_tests || (rule->family && rule->family->spares_tests);
}
