#include "analyzer/base/arena.h"
#include "analyzer/base/xalloc.h"

#include <stdint.h>
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

void aa_arena_take(struct aa_arena *dst, struct aa_arena *src)
{
	if (!src->blocks)
		return;
	/* src's newest block becomes dst's: the rest of it is used before a new one. */
	struct aa_arena_block *last = src->blocks;
	while (last->next)
		last = last->next;
	last->next = dst->blocks;
	dst->blocks = src->blocks;
	src->blocks = NULL;
}

size_t aa_arena_used(const struct aa_arena *a)
{
	size_t n = 0;
	for (const struct aa_arena_block *b = a->blocks; b; b = b->next)
		n += b->used;
	return n;
}

void aa_arena_dump(const struct aa_arena *a, char *to)
{
	for (const struct aa_arena_block *b = a->blocks; b; b = b->next) {
		memcpy(to, b->data, b->used);
		to += b->used;
	}
}

const char *aa_arena_moved(const struct aa_arena *a, const char *to, const char *p)
{
	if (!p)
		return NULL;
	/* Compared as addresses: p may be in no block at all. */
	uintptr_t at = (uintptr_t)p;
	for (const struct aa_arena_block *b = a->blocks; b; b = b->next) {
		uintptr_t start = (uintptr_t)b->data;
		if (at >= start && at < start + b->used)
			return to + (at - start);
		to += b->used;
	}
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
