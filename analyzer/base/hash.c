#include "analyzer/base/hash.h"

#include <string.h>

/* splitmix64's finalizer: spreads each input bit over the whole word. */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

uint64_t aa_hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ull);
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 32;
	}
	uint64_t tail = 0;
	if (len)
		memcpy(&tail, p, len);
	return mix(h ^ tail);
}

uint64_t aa_hash_str(const char *s)
{
	return aa_hash_bytes(s, strlen(s), 0);
}
