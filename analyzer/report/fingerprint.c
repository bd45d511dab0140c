#include "analyzer/report/fingerprint.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/arena.h"
#include "analyzer/base/xalloc.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fp_key {
	const char *code, *text;
	const char *uri; /* in aa_fingerprint_assign's arena */
	size_t text_len, index;
};

static int cmp_fp_key(const void *pa, const void *pb)
{
	const struct fp_key *a = pa, *b = pb;
	int c = strcmp(a->code, b->code);
	if (!c)
		c = strcmp(a->uri, b->uri);
	if (!c && a->text_len != b->text_len)
		c = a->text_len < b->text_len ? -1 : 1;
	if (!c)
		c = memcmp(a->text, b->text, a->text_len);
	if (!c && a->index != b->index)
		c = a->index < b->index ? -1 : 1;
	return c;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' || c == '\n';
}

static bool same_key(const struct fp_key *a, const struct fp_key *b)
{
	return !strcmp(a->code, b->code) && !strcmp(a->uri, b->uri) && a->text_len == b->text_len &&
	       !memcmp(a->text, b->text, a->text_len);
}

void aa_fingerprint_assign(struct aa_diag_list *diags, const struct aa_emit_opts *opts)
{
	size_t n = diags->len;
	if (!n)
		return;
	struct fp_key *keys = aa_xmalloc(n * sizeof(*keys));
	/* The report passes one path's findings at a time: each path's URI is made once. */
	struct aa_arena uris = AA_ARENA_INIT(256, 1 << 20);
	const char *uri = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct aa_diag *d = &diags->items[i];
		const char *t = d->source_line ? d->source_line : "";
		size_t len = strlen(t);
		while (len && is_space(*t)) {
			t++;
			len--;
		}
		while (len && is_space(t[len - 1]))
			len--;
		if (!i || strcmp(d->path, diags->items[i - 1].path)) {
			bool relative;
			char *made = aa_emit_artifact_uri(opts, d->path, &relative);
			uri = aa_arena_copy(&uris, made, strlen(made));
			free(made);
		}
		keys[i] = (struct fp_key){ d->rule->code, t, uri, len, i };
	}
	/* Equal keys end up adjacent, in list order: the occurrence index counts them. */
	if (n > 1)
		qsort(keys, n, sizeof(*keys), cmp_fp_key);
	size_t occurrence = 0;
	for (size_t k = 0; k < n; k++) {
		const struct fp_key *key = &keys[k];
		occurrence = k && same_key(&keys[k - 1], key) ? occurrence + 1 : 0;
		char occ[32];
		int occ_len = snprintf(occ, sizeof(occ), "%zu", occurrence);
		uint64_t h = 0xcbf29ce484222325ULL;
		h = fnv1a(h, key->code, strlen(key->code) + 1);
		h = fnv1a(h, key->uri, strlen(key->uri) + 1);
		h = fnv1a(h, key->text, key->text_len);
		h = fnv1a(h, "", 1);
		h = fnv1a(h, occ, (size_t)occ_len);
		struct aa_diag *d = &diags->items[key->index];
		d->fingerprint = h;
		d->has_fingerprint = true;
	}
	aa_arena_release(&uris);
	free(keys);
}

void aa_fingerprint_format(uint64_t fingerprint, char out[AA_FINGERPRINT_SIZE])
{
	snprintf(out, AA_FINGERPRINT_SIZE, "%016" PRIx64, fingerprint);
}
