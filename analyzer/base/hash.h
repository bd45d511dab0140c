/*
 * hash.h: the string hash of the analyzer's hash map (map.h, under every name table:
 * the model's bindings, the module map, the project index, the target index).
 *
 * The map masks the low bits, so every bit of the result depends on every input byte.
 * Not cryptographic, and not stable across versions or byte orders: nothing may be
 * stored or emitted in hash order (the map has no iteration).
 */
#ifndef AA_HASH_H
#define AA_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of data[0..len) mixed with seed (which may be 0). data may be NULL when len
 * is 0. Eight bytes per step: names such as "pkg.db.Repo.load" are hashed millions of
 * times per run. */
uint64_t aa_hash_bytes(const void *data, size_t len, uint64_t seed);

/* aa_hash_bytes of a NUL-terminated string s (not NULL; the NUL excluded), seed 0. */
uint64_t aa_hash_str(const char *s);

#endif
