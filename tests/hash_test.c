/* Unit test for analyzer/base/hash.c: what the hash map (map.c) relies on. Equal bytes hash
 * equal whatever follows them; the seed and every byte, in every position of the 8-byte
 * steps and of the tail, change the result; and the low bits the map masks spread
 * dotted names as the index sees them. Exit 0 = pass. */
#include "analyzer/base/hash.h"

#include <stdio.h>
#include <string.h>

static int fails;

#define CHECK(cond, ...)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                   \
			fprintf(stderr, __VA_ARGS__);                                      \
			fputc('\n', stderr);                                               \
			fails++;                                                           \
		}                                                                          \
	} while (0)

static void equal_inputs(void)
{
	const char a[] = "pkg.db.Repo.load#junk", b[] = "pkg.db.Repo.loadXYZ";
	CHECK(aa_hash_bytes(a, 16, 0) == aa_hash_bytes(b, 16, 0), "bytes past len changed the hash");
	CHECK(aa_hash_str("pkg.db.Repo.load") == aa_hash_bytes(a, 16, 0), "aa_hash_str differs from aa_hash_bytes");
	CHECK(aa_hash_bytes(NULL, 0, 7) == aa_hash_bytes("", 0, 7), "empty input depends on its pointer");
	CHECK(aa_hash_bytes("x", 1, 1) != aa_hash_bytes("x", 1, 2), "the seed is ignored");
	/* A NUL inside the bytes counts: lengths differ, so must the hashes. */
	CHECK(aa_hash_bytes("ab\0", 3, 0) != aa_hash_bytes("ab", 2, 0), "a trailing NUL byte is ignored");
}

/* Flipping any bit of any byte, for lengths spanning whole steps and tails. */
static void every_byte(void)
{
	unsigned char buf[40];
	for (size_t len = 1; len <= sizeof(buf); len++) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)('a' + i % 26);
		uint64_t base = aa_hash_bytes(buf, len, 0);
		for (size_t i = 0; i < len; i++) {
			for (int bit = 0; bit < 8; bit++) {
				buf[i] ^= (unsigned char)(1u << bit);
				CHECK(aa_hash_bytes(buf, len, 0) != base, "len %zu: flipping bit %d of byte %zu kept the hash",
				      len, bit, i);
				buf[i] ^= (unsigned char)(1u << bit);
			}
		}
	}
}

/* 8,192 names that differ in one place, into 16,384 slots (a table at half load): no
 * slot may hold more than a handful. */
static void spread(void)
{
	enum { N = 8192, SLOTS = 16384 };
	static unsigned char count[SLOTS];
	const char *const shapes[] = { "pkg.module%d.Class.method", "m%d", "a.b.c.d.e.f.g.h.i.j.k.%d", NULL };
	for (const char *const *shape = shapes; *shape; shape++) {
		memset(count, 0, sizeof(count));
		unsigned worst = 0;
		for (int i = 0; i < N; i++) {
			char name[64];
			snprintf(name, sizeof(name), *shape, i);
			unsigned c = ++count[aa_hash_str(name) & (SLOTS - 1)];
			if (c > worst)
				worst = c;
		}
		CHECK(worst <= 8, "'%s': %u names share one of %d slots", *shape, worst, SLOTS);
	}
}

int main(void)
{
	equal_inputs();
	every_byte();
	spread();
	if (fails)
		fprintf(stderr, "hash_test: %d failure(s)\n", fails);
	return fails ? 1 : 0;
}
