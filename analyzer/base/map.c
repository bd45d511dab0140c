#include "analyzer/base/map.h"
#include "analyzer/base/hash.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* 24 bytes: a probe reads one slot, not a key array, a hash array and a value array.
 * The low 32 bits of the hash are all that growth needs and all that a capacity up to
 * 2^32 slots uses (2^31 keys, far past any table here). */
struct aa_map_slot {
	const char *key; /* borrowed; NULL = empty slot */
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

/* The slot holding key, or the empty slot where it would go (the map has one: it is at
 * most half full). cap must not be 0. */
static struct aa_map_slot *probe(const struct aa_map *m, const struct aa_map_key *key)
{
	size_t mask = m->cap - 1;
	uint32_t h32 = (uint32_t)key->hash;
	for (size_t i = h32 & mask;; i = (i + 1) & mask) {
		struct aa_map_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h32 && s->len == key->len && s->ns == key->ns &&
				!memcmp(s->key, key->data, key->len)))
			return s;
	}
}

uint32_t aa_map_get(const struct aa_map *m, const struct aa_map_key *key)
{
	if (!m->cap)
		return AA_MAP_NONE;
	const struct aa_map_slot *s = probe(m, key);
	return s->key ? s->value : AA_MAP_NONE;
}

static void resize(struct aa_map *m, size_t cap)
{
	struct aa_map_slot *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = aa_xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	size_t mask = cap - 1;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].key)
			continue;
		size_t at = old[i].hash & mask;
		while (m->slots[at].key)
			at = (at + 1) & mask;
		m->slots[at] = old[i];
	}
	free(old);
}

void aa_map_reserve(struct aa_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : MIN_CAP;
	while ((m->len + n) * 2 > cap)
		cap *= 2;
	if (cap != m->cap)
		resize(m, cap);
}

uint32_t *aa_map_put(struct aa_map *m, const struct aa_map_key *key, uint32_t value, bool *added)
{
	if (!m->cap)
		aa_map_reserve(m, 1);
	struct aa_map_slot *s = probe(m, key);
	if (added)
		*added = !s->key;
	if (s->key)
		return &s->value;
	/* Grown only for a new key, so that a put of a key already there moves nothing. */
	if ((m->len + 1) * 2 > m->cap) {
		aa_map_reserve(m, 1);
		s = probe(m, key);
	}
	*s = (struct aa_map_slot){ key->data, key->len, (uint32_t)key->hash, key->ns, value };
	m->len++;
	return &s->value;
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
	*m = (struct aa_map)AA_MAP_INIT;
}
