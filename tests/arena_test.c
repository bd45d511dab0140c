/* Unit test for analyzer/base/arena.c: copies are NUL-terminated, distinct, stable while
 * more are made (also across blocks and for a string longer than a block), and release
 * leaves an arena reusable; a dump of its copies holds each of them. Exit 0 = pass (tests/check.h). */
#include "analyzer/base/arena.h"
#include "tests/check.h"

#include <stdlib.h>
#include <string.h>

int main(void)
{
	struct check t = CHECK_INIT("arena_test");
	struct aa_arena a = AA_ARENA_INIT(8, 16);
	const char *first = aa_arena_copy(&a, "abcdef", 3);
	CHECK_STR(&t, "a prefix, terminated", "abc", first);
	const char *empty = aa_arena_copy(&a, "", 0);
	CHECK_STR(&t, "the empty string", "", empty);
	CHECK(&t, empty != first, "two copies are two strings");
	/* "abc\0" and "\0" fill 5 of the first block's 8 bytes: the next copy needs a new block. */
	const char *second = aa_arena_copy(&a, "0123456789", 10);
	CHECK_STR(&t, "a copy in a later block", "0123456789", second);
	char big[100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const char *large = aa_arena_copy(&a, big, sizeof(big) - 1);
	CHECK_STR(&t, "a copy longer than a block", big, large);
	CHECK_STR(&t, "earlier copies stay where they were", "abc", first);
	CHECK_STR(&t, "and so does the second", "0123456789", second);
	const char *nul = aa_arena_copy(&a, "a\0b", 3);
	CHECK(&t, !memcmp(nul, "a\0b", 4), "bytes are copied as they are, NULs included");
	/* A dump: every copy's bytes, blocks one after another; each copy found in it. */
	size_t used = aa_arena_used(&a);
	CHECK_UINT(&t, "the copies' bytes", 4 + 1 + 11 + 100 + 4, used);
	char *dump = aa_xmalloc(used);
	aa_arena_dump(&a, dump);
	const char *copies[] = { first, empty, second, large, nul };
	bool all = true;
	for (size_t i = 0; i < sizeof(copies) / sizeof(*copies); i++) {
		const char *moved = aa_arena_moved(&a, dump, copies[i]);
		all &= moved >= dump && moved < dump + used && !memcmp(moved, copies[i], strlen(copies[i]) + 1);
	}
	CHECK(&t, all, "each copy is found in the dump");
	const char *elsewhere = "elsewhere";
	CHECK(&t, aa_arena_moved(&a, dump, elsewhere) == elsewhere, "a string that is no copy stays where it is");
	CHECK(&t, aa_arena_moved(&a, dump, NULL) == NULL, "NULL stays NULL");
	free(dump);
	aa_arena_release(&a);
	CHECK(&t, a.blocks == NULL, "release empties the arena");
	CHECK_UINT(&t, "an empty arena holds no bytes", 0, aa_arena_used(&a));
	CHECK_UINT(&t, "release keeps the first block's size", 8, a.first);
	CHECK_STR(&t, "a released arena takes copies again", "again", aa_arena_copy(&a, "again", 5));
	aa_arena_release(&a);
	return check_done(&t);
}
