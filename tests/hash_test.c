/* Unit test for analyzer/base/hash.c: what the hash map (map.c) relies on. Equal bytes hash
 * equal whatever follows them; the seed and every byte, in every position of the 8-byte
 * steps and of the tail, change the result; and the low bits the map masks spread
 * dotted names as the index sees them. Exit 0 = pass (tests/check.h). */
#include "analyzer/base/hash.h"
#include "tests/check.h"

#include <stdio.h>
#include <string.h>

static void equal_inputs(struct check *t)
{
	const char a[] = "pkg.db.Repo.load#junk", b[] = "pkg.db.Repo.loadXYZ";
	CHECK_UINT(t, "bytes past len changed the hash", aa_hash_bytes(a, 16, 0), aa_hash_bytes(b, 16, 0));
	CHECK_UINT(t, "aa_hash_str vs aa_hash_bytes", aa_hash_bytes(a, 16, 0), aa_hash_str("pkg.db.Repo.load"));
	CHECK_UINT(t, "empty input depends on its pointer", aa_hash_bytes("", 0, 7), aa_hash_bytes(NULL, 0, 7));
	CHECK(t, aa_hash_bytes("x", 1, 1) != aa_hash_bytes("x", 1, 2), "the seed is ignored");
	/* A NUL inside the bytes counts: lengths differ, so must the hashes. */
	CHECK(t, aa_hash_bytes("ab\0", 3, 0) != aa_hash_bytes("ab", 2, 0), "a trailing NUL byte is ignored");
}

/* Flipping any bit of any byte, for lengths spanning whole steps and tails. */
static void every_byte(struct check *t)
{
	unsigned char buf[40];
	for (size_t len = 1; len <= sizeof(buf); len++) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)('a' + i % 26);
		uint64_t base = aa_hash_bytes(buf, len, 0);
		for (size_t i = 0; i < len; i++) {
			for (int bit = 0; bit < 8; bit++) {
				buf[i] ^= (unsigned char)(1u << bit);
				CHECK(t, aa_hash_bytes(buf, len, 0) != base,
				      "len %zu: flipping bit %d of byte %zu kept the hash", len, bit, i);
				buf[i] ^= (unsigned char)(1u << bit);
			}
		}
	}
}

/* 8,192 names that differ in one place, into 16,384 slots (a table at half load): no
 * slot may hold more than a handful. */
static void spread(struct check *t)
{
	enum { N = 8192, SLOTS = 16384 };
	unsigned char count[SLOTS];
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
		CHECK(t, worst <= 8, "'%s': %u names share one of %d slots", *shape, worst, SLOTS);
	}
}

int main(void)
{
	struct check t = CHECK_INIT("hash_test");
	equal_inputs(&t);
	every_byte(&t);
	spread(&t);
	return check_done(&t);
}
