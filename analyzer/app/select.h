/*
 * select.h: rule selection (--select, --extend-select, --ignore: cli.c's help).
 *
 * Selectors are exact codes ("AA101"), names ("blocking-sleep"), code prefixes ("AA1",
 * "AA") and "ALL". A prefix selects only the default-on rules under it; an opt-in rule
 * is enabled only by its exact code or name, or by ALL. For each rule the most specific
 * matching selector wins (exact > longer prefix > shorter prefix > ALL), whatever the
 * order of the flags; on a tie, ignore wins. Without --select the default-on rules are
 * selected; --extend-select adds to whatever --select (or the default) chose. AA001 and
 * AA002 are enabled unless ignored by exact code or name.
 */
#ifndef AA_SELECT_H
#define AA_SELECT_H

#include <stdbool.h>
#include <stddef.h>

struct aa_rule;

struct aa_selection {
	const char *const *select; /* NULL when --select was not given (default set) */
	size_t n_select;
	const char *const *extend_select;
	size_t n_extend_select;
	const char *const *ignore;
	size_t n_ignore;
	/* Selectors of the program's preset (concurrency-checker: "AA3"), used in place of
	 * the default set when select is NULL: each prefix selects every rule under it, the
	 * opt-in ones too; not validated (a family may be empty). */
	const char *const *preset;
	size_t n_preset;
};

/* Fills enabled[aa_rules_count] (one entry per aa_rules[], in its order). Returns 0, or
 * -1 with *error (a message; caller frees) naming the first unknown selector; enabled
 * is then untouched. sel and its strings are borrowed for the call. */
int aa_select_resolve(const struct aa_selection *sel, bool *enabled, char **error);

/* True when s is a selector that names some rule (a code, a name, a code prefix of some
 * rule, or ALL): what aa_select_resolve accepts. */
bool aa_select_known(const char *s);
/* True when selector s covers rule r for ignoring: its code or name, a prefix of its
 * code (opt-in rules too), or ALL. */
bool aa_select_covers(const char *s, const struct aa_rule *r);

#endif
