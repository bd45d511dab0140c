/*
 * arena.h: NUL-terminated copies of strings, made in blocks and freed all at once. The
 * model and the summary intern their names here: many short strings that live as long
 * as their owner cost one allocation a block, and one free.
 *
 * An arena has one owner at a time (no locking). Allocation failure exits (xalloc.h).
 */
#ifndef AA_ARENA_H
#define AA_ARENA_H

#include <stddef.h>

struct aa_arena_block;

struct aa_arena {
	struct aa_arena_block *blocks; /* owned; the newest first; NULL while nothing is copied */
	size_t first, next;            /* the size of the first block and the largest of the later ones */
};

/* An empty arena whose first block will hold first bytes and each later one twice the
 * one before, up to next bytes (a string longer than a block gets a block of its own
 * size). Allocates nothing. Doubling lets an owner kept per file (a summary: 100,000
 * files named one by one each keep theirs to the end of the run) start with a few dozen
 * bytes, and a large file still needs few blocks. */
#define AA_ARENA_INIT(first, next) { NULL, (first), (next) }

/* A copy of s[0..len), NUL-terminated (s need not be), owned by a and valid until
 * aa_arena_release(a). s holds len bytes, copied as they are, NULs included. a was
 * made by AA_ARENA_INIT. */
const char *aa_arena_copy(struct aa_arena *a, const char *s, size_t len);

/* For an owner that moves its copies into a block of its own once it is complete (a
 * frozen summary): the bytes of every copy a holds, NULs included; aa_arena_dump writes
 * them to to[0..aa_arena_used(a)); aa_arena_moved is where the copy p is in that dump
 * made at to (p itself when it is no copy in a, NULL for NULL). Then release a. */
size_t aa_arena_used(const struct aa_arena *a);
void aa_arena_dump(const struct aa_arena *a, char *to);
const char *aa_arena_moved(const struct aa_arena *a, const char *to, const char *p);

/* Moves every copy of src to dst (both made by AA_ARENA_INIT; distinct): they stay
 * where they are, now valid until aa_arena_release(dst); src is left empty. */
void aa_arena_take(struct aa_arena *dst, struct aa_arena *src);

/* Frees every copy; a is empty again, with its block sizes, and may be reused. */
void aa_arena_release(struct aa_arena *a);

#endif
