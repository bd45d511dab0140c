/* Unit test for analyzer/base/map.c: puts and gets, missing keys, namespaces, keys that
 * share a hash, growth over many keys, reserve, and a key hashed once for several maps.
 * Prints "map_test: N passed, N failed"; exit 0 = pass. */
#include "analyzer/base/map.h"

#include <stdio.h>
#include <string.h>

struct tally {
	int passed, failed;
};

#define CHECK(t, cond, ...)                                                                \
	do {                                                                               \
		if (cond) {                                                                \
			(t)->passed++;                                                     \
		} else {                                                                   \
			(t)->failed++;                                                     \
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                   \
			fprintf(stderr, __VA_ARGS__);                                      \
			fputc('\n', stderr);                                               \
		}                                                                          \
	} while (0)

static void put_and_get(struct tally *t)
{
	struct aa_map m = AA_MAP_INIT;
	CHECK(t, aa_map_get_str(&m, "alpha") == AA_MAP_NONE, "an empty map found a key");
	bool added = false;
	uint32_t *v = aa_map_put_str(&m, "alpha", 1, &added);
	CHECK(t, added && *v == 1, "a new key: added %d, value %u", added, *v);
	CHECK(t, aa_map_get_str(&m, "alpha") == 1, "the key put is not found");
	v = aa_map_put_str(&m, "alpha", 2, &added);
	CHECK(t, !added && *v == 1, "a second put: added %d, value %u (the first put wins)", added, *v);
	*v = 7;
	CHECK(t, aa_map_get_str(&m, "alpha") == 7, "a write through put's pointer was lost");
	aa_map_put_str(&m, "", 3, NULL);
	CHECK(t, aa_map_get_str(&m, "") == 3, "the empty key is not found");
	CHECK(t, m.len == 2, "len %zu, want 2", m.len);
	aa_map_release(&m);
	CHECK(t, m.cap == 0 && m.len == 0 && aa_map_get_str(&m, "alpha") == AA_MAP_NONE, "release left keys behind");
	aa_map_put_str(&m, "beta", 4, NULL);
	CHECK(t, aa_map_get_str(&m, "beta") == 4, "a released map is not reusable");
	aa_map_release(&m);
}

/* Prefixes and extensions of a key, and its bytes in another namespace, are other keys. */
static void missing(struct tally *t)
{
	struct aa_map m = AA_MAP_INIT;
	aa_map_put_str(&m, "pkg.db", 1, NULL);
	const char *const others[] = { "pkg.d", "pkg.db.", "pkg.dbx", "Pkg.db", "", "pkg.db\n" };
	for (size_t i = 0; i < sizeof(others) / sizeof(*others); i++)
		CHECK(t, aa_map_get_str(&m, others[i]) == AA_MAP_NONE, "'%s' found as 'pkg.db'", others[i]);
	struct aa_map_key other_ns = aa_map_key("pkg.db", 6, 5);
	CHECK(t, aa_map_get(&m, &other_ns) == AA_MAP_NONE, "a key found in another namespace");
	/* A NUL inside the bytes is a byte like any other. */
	struct aa_map_key nul = aa_map_key("pkg.db\0x", 8, 0);
	CHECK(t, aa_map_get(&m, &nul) == AA_MAP_NONE, "bytes after a NUL were ignored");
	aa_map_release(&m);
}

/* Keys are spans of a longer text, not strings: "pkg.db" inside "pkg.db.Repo". */
static void spans(struct tally *t)
{
	const char *text = "pkg.db.Repo.load";
	struct aa_map m = AA_MAP_INIT;
	for (uint32_t len = 1; len <= strlen(text); len++) {
		struct aa_map_key k = aa_map_key(text, len, 0);
		aa_map_put(&m, &k, len, NULL);
	}
	CHECK(t, m.len == strlen(text), "len %zu, want %zu", m.len, strlen(text));
	char copy[32];
	for (uint32_t len = 1; len <= strlen(text); len++) {
		memcpy(copy, text, len);
		copy[len] = '\0';
		CHECK(t, aa_map_get_str(&m, copy) == len, "prefix '%s' of %u bytes not found", copy, len);
	}
	aa_map_release(&m);
}

/* Keys with one hash (made to collide) or one hash and one byte string in two
 * namespaces: only the bytes and the namespace tell them apart. */
static void equal_hashes(struct tally *t)
{
	struct aa_map m = AA_MAP_INIT;
	const char *const names[] = { "a", "b", "ab", "ba", "longer.name.than.eight" };
	enum { N = sizeof(names) / sizeof(*names) };
	struct aa_map_key keys[N];
	for (size_t i = 0; i < N; i++) {
		keys[i] = aa_map_key_str(names[i]);
		keys[i].hash = 42;
		bool added;
		aa_map_put(&m, &keys[i], (uint32_t)i, &added);
		CHECK(t, added, "'%s' taken for a key with the same hash", names[i]);
	}
	for (size_t i = 0; i < N; i++)
		CHECK(t, aa_map_get(&m, &keys[i]) == i, "'%s' -> %u, want %zu", names[i], aa_map_get(&m, &keys[i]), i);
	struct aa_map_key ns0 = aa_map_key("x", 1, 0), ns1 = aa_map_key("x", 1, 1);
	ns1.hash = ns0.hash;
	aa_map_put(&m, &ns0, 100, NULL);
	bool added;
	aa_map_put(&m, &ns1, 101, &added);
	CHECK(t, added, "a key taken for its bytes in another namespace");
	CHECK(t, aa_map_get(&m, &ns0) == 100 && aa_map_get(&m, &ns1) == 101, "namespaces mixed: %u %u",
	      aa_map_get(&m, &ns0), aa_map_get(&m, &ns1));
	aa_map_release(&m);
}

/* 20,000 keys from an empty map: every one found with its value after all the growth. */
static void growth(struct tally *t)
{
	enum { N = 20000 };
	static char names[N][16];
	struct aa_map m = AA_MAP_INIT;
	for (uint32_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "name%u", i);
		aa_map_put_str(&m, names[i], i, NULL);
	}
	CHECK(t, m.len == N, "len %zu, want %d", m.len, N);
	CHECK(t, m.cap >= 2 * m.len && (m.cap & (m.cap - 1)) == 0, "cap %zu for %zu keys", m.cap, m.len);
	int wrong = 0;
	char probe[16];
	for (uint32_t i = 0; i < N; i++) {
		/* A copy: the map must compare bytes, not pointers. */
		memcpy(probe, names[i], sizeof(probe));
		if (aa_map_get_str(&m, probe) != i)
			wrong++;
	}
	CHECK(t, wrong == 0, "%d of %d keys lost or wrong after growth", wrong, N);
	CHECK(t, aa_map_get_str(&m, "name20000") == AA_MAP_NONE, "a key never put was found");
	aa_map_release(&m);
}

/* After reserve(n), n new keys move no slot: a put's pointer stays good. */
static void reserve(struct tally *t)
{
	enum { N = 1000 };
	static char names[N][16];
	struct aa_map m = AA_MAP_INIT;
	aa_map_reserve(&m, N);
	uint32_t *first = aa_map_put_str(&m, "first", 1, NULL);
	size_t cap = m.cap;
	for (uint32_t i = 0; i < N - 1; i++) {
		snprintf(names[i], sizeof(names[i]), "k%u", i);
		aa_map_put_str(&m, names[i], i, NULL);
	}
	CHECK(t, m.cap == cap, "the map grew from %zu to %zu within its reserve", cap, m.cap);
	*first = 9;
	CHECK(t, aa_map_get_str(&m, "first") == 9, "a pointer from before the reserved puts went stale");
	aa_map_release(&m);
}

/* One key, hashed once, looked up in several maps (the index's four maps by name). */
static void precomputed(struct tally *t)
{
	struct aa_map funcs = AA_MAP_INIT, classes = AA_MAP_INIT, modules = AA_MAP_INIT;
	aa_map_put_str(&funcs, "pkg.run", 1, NULL);
	aa_map_put_str(&classes, "pkg.Repo", 2, NULL);
	aa_map_put_str(&modules, "pkg", 3, NULL);
	char buf[] = "pkg.Repo";
	struct aa_map_key k = aa_map_key(buf, strlen(buf), 0);
	struct aa_map_key s = aa_map_key_str("pkg.Repo");
	CHECK(t, k.hash == s.hash && k.len == s.len && k.ns == s.ns, "aa_map_key_str differs from aa_map_key");
	CHECK(t, aa_map_get(&funcs, &k) == AA_MAP_NONE, "pkg.Repo found among functions");
	CHECK(t, aa_map_get(&classes, &k) == 2, "pkg.Repo not found among classes");
	CHECK(t, aa_map_get(&modules, &k) == AA_MAP_NONE, "pkg.Repo found among modules");
	aa_map_release(&funcs);
	aa_map_release(&classes);
	aa_map_release(&modules);
}

int main(void)
{
	struct tally t = { 0, 0 };
	put_and_get(&t);
	missing(&t);
	spans(&t);
	equal_hashes(&t);
	growth(&t);
	reserve(&t);
	precomputed(&t);
	printf("map_test: %d passed, %d failed\n", t.passed, t.failed);
	return t.failed ? 1 : 0;
}
