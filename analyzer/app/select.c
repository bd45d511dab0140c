#include "analyzer/app/select.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/xalloc.h"

#include <string.h>

enum { NO_MATCH = 0, SPEC_DEFAULT = 1, SPEC_ALL = 2, SPEC_PREFIX = 10, SPEC_EXACT = 1000 };

/* Specificity with which selector s matches rule r (NO_MATCH if it does not). Prefixes
 * match opt-in rules only when for_ignore (ignoring an opt-in rule is harmless). */
static int match(const char *s, const struct aa_rule *r, bool for_ignore)
{
	if (!strcmp(s, r->code) || !strcmp(s, r->name))
		return SPEC_EXACT;
	if (!strcmp(s, "ALL"))
		return SPEC_ALL;
	size_t n = strlen(s);
	if (n >= 2 && n < strlen(r->code) && !strncmp(s, r->code, n) && (r->default_on || for_ignore))
		return SPEC_PREFIX + (int)n;
	return NO_MATCH;
}

static bool is_code_prefix(const char *s)
{
	if (strncmp(s, "AA", 2))
		return false;
	for (const char *p = s + 2; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

bool aa_select_known(const char *s)
{
	if (!strcmp(s, "ALL"))
		return true;
	for (size_t k = 0; k < aa_rules_count; k++) {
		const struct aa_rule *r = aa_rules[k];
		if (!strcmp(s, r->code) || !strcmp(s, r->name) || (is_code_prefix(s) && !strncmp(s, r->code, strlen(s))))
			return true;
	}
	return false;
}

bool aa_select_covers(const char *s, const struct aa_rule *r)
{
	return match(s, r, true) != NO_MATCH;
}

static int validate(const char *const *list, size_t n, char **error)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = list[i];
		if (!aa_select_known(s)) {
			*error = aa_xasprintf("unknown rule selector '%s' (see `async-analyzer rule --all`)", s);
			return -1;
		}
	}
	return 0;
}

static int best(const char *const *list, size_t n, const struct aa_rule *r, bool for_ignore)
{
	int b = NO_MATCH;
	for (size_t i = 0; i < n; i++) {
		int m = match(list[i], r, for_ignore);
		if (m > b)
			b = m;
	}
	return b;
}

int aa_select_resolve(const struct aa_selection *sel, bool *enabled, char **error)
{
	if (validate(sel->select, sel->select ? sel->n_select : 0, error) < 0 ||
	    validate(sel->extend_select, sel->n_extend_select, error) < 0 ||
	    validate(sel->ignore, sel->n_ignore, error) < 0)
		return -1;
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_rule *r = aa_rules[i];
		int sel_spec;
		if (sel->select)
			sel_spec = best(sel->select, sel->n_select, r, false);
		else if (sel->preset) /* a family's own program runs all of its rules, opt-in ones too */
			sel_spec = best(sel->preset, sel->n_preset, r, true);
		else
			sel_spec = r->default_on ? SPEC_DEFAULT : NO_MATCH;
		int ext = best(sel->extend_select, sel->n_extend_select, r, false);
		if (ext > sel_spec)
			sel_spec = ext;
		int ign = best(sel->ignore, sel->n_ignore, r, true);
		/* The analyzer's own diagnostics: on unless ignored by exact code or name. */
		if (r->always_on) {
			enabled[i] = ign != SPEC_EXACT;
			continue;
		}
		enabled[i] = sel_spec != NO_MATCH && sel_spec > ign;
	}
	return 0;
}
