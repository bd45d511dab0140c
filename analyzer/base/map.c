#include "analyzer/base/map.h"
#include "analyzer/base/hash.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The low 32 bits of the hash are all that growth needs and all that a table of up to
 * 2^32 slots uses (2^31 keys, far past any table here). */
struct aa_map_entry {
	const char *key; /* borrowed */
	uint32_t len;
	uint32_t hash;
	uint32_t ns;
	uint32_t value;
};

/* The first allocation's slots: a small table is cheap to grow, and callers that know
 * their size reserve it. */
#define MIN_CAP 16

struct aa_map_key aa_map_key(const char *data, size_t len, uint32_t ns)
{
	return (struct aa_map_key){ data, (uint32_t)len, ns, aa_hash_bytes(data, len, ns) };
}

struct aa_map_key aa_map_key_str(const char *s)
{
	return aa_map_key(s, strlen(s), 0);
}

/* The slot holding key's entry number, or the empty slot where it would go (the table
 * has one: it is at most half full). cap must not be 0. */
static uint32_t *probe(const struct aa_map *m, const struct aa_map_key *key)
{
	size_t mask = m->cap - 1;
	uint32_t h32 = (uint32_t)key->hash;
	for (size_t i = h32 & mask;; i = (i + 1) & mask) {
		uint32_t *s = &m->slots[i];
		if (!*s)
			return s;
		const struct aa_map_entry *e = &m->entries[*s - 1];
		if (e->hash == h32 && e->len == key->len && e->ns == key->ns && !memcmp(e->key, key->data, key->len))
			return s;
	}
}

uint32_t aa_map_get(const struct aa_map *m, const struct aa_map_key *key)
{
	if (!m->cap)
		return AA_MAP_NONE;
	const uint32_t *s = probe(m, key);
	return *s ? m->entries[*s - 1].value : AA_MAP_NONE;
}

static void resize(struct aa_map *m, size_t cap)
{
	free(m->slots);
	m->slots = aa_xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	size_t mask = cap - 1;
	for (size_t i = 0; i < m->len; i++) {
		size_t at = m->entries[i].hash & mask;
		while (m->slots[at])
			at = (at + 1) & mask;
		m->slots[at] = (uint32_t)i + 1;
	}
}

void aa_map_reserve(struct aa_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : MIN_CAP;
	while ((m->len + n) * 2 > cap)
		cap *= 2;
	if (cap != m->cap)
		resize(m, cap);
	/* The first reservation is exact: a table reserved once (the project index's, one
	 * key or more per file) keeps no spare entries. Later ones at least double, so that
	 * reserving a little at a time (an on-demand round's files) stays linear. */
	if (m->len + n > m->entries_cap) {
		size_t want = m->entries_cap && 2 * m->entries_cap > m->len + n ? 2 * m->entries_cap : m->len + n;
		m->entries = aa_xrealloc(m->entries, want * sizeof(*m->entries));
		m->entries_cap = want;
	}
}

uint32_t *aa_map_put(struct aa_map *m, const struct aa_map_key *key, uint32_t value, bool *added)
{
	if (!m->cap)
		aa_map_reserve(m, 1);
	uint32_t *s = probe(m, key);
	if (added)
		*added = !*s;
	if (*s)
		return &m->entries[*s - 1].value;
	/* Grown only for a new key, so that a put of a key already there moves nothing. */
	if ((m->len + 1) * 2 > m->cap) {
		aa_map_reserve(m, 1);
		s = probe(m, key);
	}
	AA_GROW(m->entries, m->entries_cap, m->len + 1);
	struct aa_map_entry *e = &m->entries[m->len];
	*e = (struct aa_map_entry){ key->data, key->len, (uint32_t)key->hash, key->ns, value };
	*s = (uint32_t)++m->len;
	return &e->value;
}

uint32_t aa_map_get_str(const struct aa_map *m, const char *s)
{
	struct aa_map_key key = aa_map_key_str(s);
	return aa_map_get(m, &key);
}

uint32_t *aa_map_put_str(struct aa_map *m, const char *s, uint32_t value, bool *added)
{
	struct aa_map_key key = aa_map_key_str(s);
	return aa_map_put(m, &key, value, added);
}

void aa_map_release(struct aa_map *m)
{
	free(m->slots);
	free(m->entries);
	*m = (struct aa_map)AA_MAP_INIT;
}
