/*
 * map.h: the hash map of every table that finds a record by name (the model's bindings,
 * the module map, the project index, the blocking targets): byte-string keys, uint32
 * values (an index into the caller's array, or a flag).
 *
 * A key is a byte string (any bytes, NULs included, no terminator needed) in a
 * namespace, a number: equal bytes in two namespaces are two keys, so one map holds the
 * names of every scope of a file. Callers that need one namespace use 0.
 *
 * Keys are borrowed: the map keeps the pointer, never a copy, so the bytes must stay
 * unchanged until aa_map_release. Values are any uint32 but AA_MAP_NONE, which
 * aa_map_get returns for a missing key. There is no removal and no iteration (nothing
 * may be emitted in hash order).
 *
 * The keys live in a dense array of entries, in the order they were put, each with its
 * hash (so a probe compares only likely-equal keys' bytes and growth never hashes a key
 * again); a power-of-two array of 32-bit entry numbers, at most half full, finds them by
 * open addressing with linear probing. A key costs its 24-byte entry and two to four
 * 4-byte slots, where one 24-byte slot per slot of the table cost 48 to 96 bytes: the
 * project index and the module map keep several keys per file, for every file of a
 * run. Not synchronised: concurrent aa_map_get calls on a map nobody writes are safe.
 * Allocation failure exits (see xalloc.h).
 */
#ifndef AA_MAP_H
#define AA_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AA_MAP_NONE UINT32_MAX

/* A key with its hash, made by aa_map_key or aa_map_key_str. A name looked up in
 * several maps is hashed once: make its key once and pass it to each. */
struct aa_map_key {
	const char *data; /* borrowed; not NULL, len bytes */
	uint32_t len;
	uint32_t ns;
	uint64_t hash;
};

struct aa_map_entry; /* map.c's */

struct aa_map {
	struct aa_map_entry *entries; /* owned; len of them in use, entries_cap allocated */
	uint32_t *slots;              /* owned; cap of them (0: empty, else an entry's number + 1),
					 NULL while cap is 0 */
	size_t cap, len, entries_cap; /* len keys held */
};

/* An empty map; it allocates on its first put or reserve. */
#define AA_MAP_INIT { NULL, NULL, 0, 0, 0 }

/* The key data[0..len) in namespace ns. data must not be NULL (even when len is 0) and
 * len must fit in 32 bits. The key borrows data. */
struct aa_map_key aa_map_key(const char *data, size_t len, uint32_t ns);
/* aa_map_key(s, strlen(s), 0); s is NUL-terminated, not NULL. */
struct aa_map_key aa_map_key_str(const char *s);

/* The value stored under key, or AA_MAP_NONE. m is initialised (AA_MAP_INIT) and key
 * made by aa_map_key or aa_map_key_str. */
uint32_t aa_map_get(const struct aa_map *m, const struct aa_map_key *key);

/* Stores value (not AA_MAP_NONE) under key unless key is already there: the first put
 * of a key wins. Returns where key's value is, to read or overwrite; the pointer is
 * valid until the next put or reserve. *added (when added is not NULL) says whether key
 * was new. A new key's bytes are borrowed from then on. */
uint32_t *aa_map_put(struct aa_map *m, const struct aa_map_key *key, uint32_t value, bool *added);

/* aa_map_get and aa_map_put of aa_map_key_str(s): a NUL-terminated key in namespace 0. */
uint32_t aa_map_get_str(const struct aa_map *m, const char *s);
uint32_t *aa_map_put_str(struct aa_map *m, const char *s, uint32_t value, bool *added);

/* Makes room for n more keys: the next n puts of new keys do not grow the map. */
void aa_map_reserve(struct aa_map *m, size_t n);

/* Frees the slots (never the keys) and leaves m empty and reusable. */
void aa_map_release(struct aa_map *m);

#endif
