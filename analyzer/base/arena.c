#include "analyzer/base/arena.h"
#include "analyzer/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct aa_arena_block {
	struct aa_arena_block *next;
	size_t used, cap;
	char data[];
};

const char *aa_arena_copy(struct aa_arena *a, const char *s, size_t len)
{
	struct aa_arena_block *b = a->blocks;
	if (!b || b->cap - b->used < len + 1) {
		/* The rest of the current block is left unused: strings are short, blocks are
		 * not, and a block never moves (copies are handed out as pointers). */
		size_t want = !b ? a->first : b->cap < a->next / 2 ? b->cap * 2 : a->next;
		size_t cap = len + 1 > want ? len + 1 : want;
		b = aa_xmalloc(sizeof(*b) + cap);
		b->next = a->blocks;
		b->used = 0;
		b->cap = cap;
		a->blocks = b;
	}
	char *p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

void aa_arena_release(struct aa_arena *a)
{
	while (a->blocks) {
		struct aa_arena_block *next = a->blocks->next;
		free(a->blocks);
		a->blocks = next;
	}
}
