#include "analyzer/check/target_index.h"
#include "analyzer/base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The namespaces of by_name: a module-level callable and a method may share a name. */
enum { FUNCTIONS, METHODS };

void aa_target_index_build(struct aa_target_index *ix, const bool *keep)
{
	size_t n = 0;
	for (size_t i = 0; i < aa_rules_count; i++)
		if (keep[i])
			n += aa_rules[i]->n_targets;
	*ix = (struct aa_target_index){ .by_name = AA_MAP_INIT };
	aa_map_reserve(&ix->by_name, n);
	ix->hits = aa_xcalloc(n ? n : 1, sizeof(*ix->hits));
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_rule *r = aa_rules[i];
		if (!keep[i])
			continue;
		for (size_t k = 0; k < r->n_targets; k++) {
			const struct aa_target *t = &r->targets[k];
			uint32_t ns = (t->flags & AA_TARGET_METHOD) ? METHODS : FUNCTIONS;
			struct aa_map_key key = aa_map_key(t->name, strlen(t->name), ns);
			bool added;
			aa_map_put(&ix->by_name, &key, (uint32_t)ix->n_hits, &added);
			if (added)
				ix->hits[ix->n_hits++] = (struct aa_target_hit){ r, t };
		}
	}
}

void aa_target_index_release(struct aa_target_index *ix)
{
	aa_map_release(&ix->by_name);
	free(ix->hits);
	memset(ix, 0, sizeof(*ix));
}

void aa_rule_functions_build(struct aa_rule_functions *rf)
{
	size_t n = 0;
	for (size_t i = 0; i < aa_rules_count; i++)
		n += aa_rules[i]->n_targets;
	*rf = (struct aa_rule_functions){ .by_name = AA_MAP_INIT };
	aa_map_reserve(&rf->by_name, n);
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_rule *r = aa_rules[i];
		/* In table order: the first put of a name wins, as the scan's first match does. */
		for (size_t k = 0; k < r->n_targets; k++) {
			const struct aa_target *t = &r->targets[k];
			if (t->flags & AA_TARGET_METHOD)
				continue;
			struct aa_map_key key = aa_map_key(t->name, strlen(t->name), (uint32_t)i);
			aa_map_put(&rf->by_name, &key, (uint32_t)k, NULL);
		}
	}
}

void aa_rule_functions_release(struct aa_rule_functions *rf)
{
	aa_map_release(&rf->by_name);
}

const struct aa_target *aa_rule_functions_match(const struct aa_rule_functions *rf, const struct aa_rule *rule,
						 const char *qualname)
{
	size_t i = aa_rule_index(rule);
	if (i == aa_rules_count)
		return aa_rule_match_function(rule, qualname);
	struct aa_map_key key = aa_map_key(qualname, strlen(qualname), (uint32_t)i);
	uint32_t at = aa_map_get(&rf->by_name, &key);
	return at == AA_MAP_NONE ? NULL : &rule->targets[at];
}

static const struct aa_target_hit *lookup(const struct aa_target_index *ix, const char *name, size_t len, uint32_t ns)
{
	struct aa_map_key key = aa_map_key(name, len, ns);
	uint32_t at = aa_map_get(&ix->by_name, &key);
	return at == AA_MAP_NONE ? NULL : &ix->hits[at];
}

const struct aa_target_hit *aa_target_index_function(const struct aa_target_index *ix, const char *qualname)
{
	return lookup(ix, qualname, strlen(qualname), FUNCTIONS);
}

const struct aa_target_hit *aa_target_index_method(const struct aa_target_index *ix, const char *cls,
						   const char *method, size_t method_len)
{
	/* No target's name is near this long. */
	char buf[256];
	size_t cl = strlen(cls);
	if (cl + 1 + method_len > sizeof(buf))
		return NULL;
	memcpy(buf, cls, cl);
	buf[cl] = '.';
	memcpy(buf + cl + 1, method, method_len);
	const struct aa_target_hit *hit = lookup(ix, buf, cl + 1 + method_len, METHODS);
	if (hit)
		return (hit->target->flags & AA_TARGET_EXEMPT) ? NULL : hit;
	if (!aa_target_any_method_covers(method, method_len))
		return NULL;
	/* The class's "Class.*" entry (rule.h's AA_TARGET_ANY_METHOD). */
	buf[cl + 1] = '*';
	return lookup(ix, buf, cl + 2, METHODS);
}
