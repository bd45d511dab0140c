#include "analyzer/check/target_index.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/hash.h"
#include "analyzer/base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t slot(const struct aa_target_index *ix, const char *key)
{
	size_t mask = ix->cap - 1;
	size_t i = aa_hash_str(key) & mask;
	while (ix->keys[i] && strcmp(ix->keys[i], key))
		i = (i + 1) & mask;
	return i;
}

void aa_target_index_build(struct aa_target_index *ix, bool (*travels)(const struct aa_rule *))
{
	size_t n = 0;
	for (size_t i = 0; i < aa_rules_count; i++)
		if (travels(aa_rules[i]))
			n += aa_rules[i]->n_targets;
	ix->cap = 16;
	while (ix->cap < n * 2 + 2)
		ix->cap *= 2;
	ix->keys = aa_xcalloc(ix->cap, sizeof(*ix->keys));
	ix->hits = aa_xcalloc(ix->cap, sizeof(*ix->hits));
	for (size_t i = 0; i < aa_rules_count; i++) {
		const struct aa_rule *r = aa_rules[i];
		if (!travels(r))
			continue;
		for (size_t k = 0; k < r->n_targets; k++) {
			const struct aa_target *t = &r->targets[k];
			char *key = aa_xasprintf("%c:%s", (t->flags & AA_TARGET_METHOD) ? 'M' : 'F', t->name);
			size_t at = slot(ix, key);
			if (ix->keys[at]) {
				free(key);
				continue;
			}
			ix->keys[at] = key;
			ix->hits[at] = (struct aa_target_hit){ r, t };
		}
	}
}

void aa_target_index_release(struct aa_target_index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		free((char *)ix->keys[i]);
	free(ix->keys);
	free(ix->hits);
	memset(ix, 0, sizeof(*ix));
}

static const struct aa_target_hit *lookup(const struct aa_target_index *ix, const char *key)
{
	if (!ix->cap)
		return NULL;
	size_t at = slot(ix, key);
	return ix->keys[at] ? &ix->hits[at] : NULL;
}

const struct aa_target_hit *aa_target_index_function(const struct aa_target_index *ix, const char *qualname)
{
	char buf[256];
	size_t len = strlen(qualname);
	if (len + 3 > sizeof(buf))
		return NULL;
	buf[0] = 'F';
	buf[1] = ':';
	memcpy(buf + 2, qualname, len + 1);
	return lookup(ix, buf);
}

const struct aa_target_hit *aa_target_index_method(const struct aa_target_index *ix, const char *cls,
						   const char *method, size_t method_len)
{
	char buf[256];
	size_t cl = strlen(cls);
	if (cl + method_len + 4 > sizeof(buf))
		return NULL;
	buf[0] = 'M';
	buf[1] = ':';
	memcpy(buf + 2, cls, cl);
	buf[2 + cl] = '.';
	memcpy(buf + 3 + cl, method, method_len);
	buf[3 + cl + method_len] = '\0';
	return lookup(ix, buf);
}
