#include "analyzer/fix/diff.h"
#include "analyzer/base/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT 3

struct line {
	const char *p;
	size_t len; /* with its line end */
};

static size_t split(const char *s, size_t len, struct line **out)
{
	size_t n = 0, cap = 0;
	struct line *lines = NULL;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(s + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - s) + 1 : len;
		AA_GROW(lines, cap, n + 1);
		lines[n++] = (struct line){ s + at, end - at };
		at = end;
	}
	*out = lines;
	return n;
}

static bool same(const struct line *x, const struct line *y)
{
	return x->len == y->len && !memcmp(x->p, y->p, x->len);
}

/* One edit-script step: 0 keep, '-' delete a line of a, '+' insert a line of b. */
struct step {
	char op;
	size_t ai, bi;
};

/* Myers' greedy algorithm, keeping the part of V each round can read (k in
 * [-d-1, d+1]: O(D^2) in all) to trace the path back. Returns the script in order
 * (caller frees) and its length. */
static struct step *script(const struct line *a, size_t n, const struct line *b, size_t m, size_t *n_steps)
{
	size_t max = n + m;
	long *v = aa_xcalloc(2 * max + 3, sizeof(long));
	long **trace = NULL;
	size_t n_trace = 0, trace_cap = 0;
	long off = (long)max + 1;
	long d_end = 0;
	for (long d = 0; d <= (long)max; d++) {
		AA_GROW(trace, trace_cap, n_trace + 1);
		trace[n_trace] = aa_xmalloc((size_t)(2 * d + 3) * sizeof(long));
		memcpy(trace[n_trace++], v + off - d - 1, (size_t)(2 * d + 3) * sizeof(long));
		bool done = false;
		for (long k = -d; k <= d && !done; k += 2) {
			long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
			long y = x - k;
			while (x < (long)n && y < (long)m && same(&a[x], &b[y])) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= (long)n && y >= (long)m)
				done = true;
		}
		if (done) {
			d_end = d;
			break;
		}
	}
	/* Walk back from (n, m). */
	struct step *steps = aa_xmalloc((n + m + 1) * sizeof(*steps));
	size_t k_steps = 0;
	long x = (long)n, y = (long)m;
	for (long d = d_end; d >= 0; d--) {
		long *pv = trace[d] + d + 1; /* pv[k] is V[k] before round d */
		long k = x - y;
		long pk = (d == 0) ? 0 : (k == -d || (k != d && pv[k - 1] < pv[k + 1])) ? k + 1 : k - 1;
		long px = d == 0 ? 0 : pv[pk], py = px - pk;
		while (x > px && y > py) {
			x--;
			y--;
			steps[k_steps++] = (struct step){ 0, (size_t)x, (size_t)y };
		}
		if (d > 0) {
			if (x == px) {
				y--;
				steps[k_steps++] = (struct step){ '+', (size_t)x, (size_t)y };
			} else {
				x--;
				steps[k_steps++] = (struct step){ '-', (size_t)x, (size_t)y };
			}
		}
	}
	for (size_t i = 0; i < n_trace; i++)
		free(trace[i]);
	free(trace);
	free(v);
	for (size_t i = 0; i < k_steps / 2; i++) {
		struct step t = steps[i];
		steps[i] = steps[k_steps - 1 - i];
		steps[k_steps - 1 - i] = t;
	}
	*n_steps = k_steps;
	return steps;
}

static void put_line(FILE *out, char mark, const struct line *l)
{
	fputc(mark, out);
	fwrite(l->p, 1, l->len, out);
	if (!l->len || l->p[l->len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

int aa_diff_write(FILE *out, const char *path, const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == blen && !memcmp(a, b, alen))
		return 0;
	struct line *la, *lb;
	size_t n = split(a, alen, &la), m = split(b, blen, &lb);
	size_t n_steps;
	struct step *st = script(la, n, lb, m, &n_steps);
	fprintf(out, "--- %s\n+++ %s\n", path, path);
	for (size_t i = 0; i < n_steps;) {
		if (!st[i].op) {
			i++;
			continue;
		}
		/* A hunk: from CONTEXT kept lines before the change to CONTEXT after the last
		 * change that is at most 2 * CONTEXT kept lines from the next. */
		size_t first = i >= CONTEXT ? i - CONTEXT : 0;
		while (first < i && st[first].op)
			first++;
		size_t last = i, kept = 0;
		for (size_t j = i; j < n_steps; j++) {
			if (st[j].op) {
				last = j;
				kept = 0;
			} else if (++kept > 2 * CONTEXT) {
				break;
			}
		}
		size_t end = last + 1;
		for (size_t c = 0; c < CONTEXT && end < n_steps && !st[end].op; c++)
			end++;
		size_t a0 = st[first].ai, b0 = st[first].bi, an = 0, bn = 0;
		for (size_t j = first; j < end; j++) {
			an += st[j].op != '+';
			bn += st[j].op != '-';
		}
		fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", an ? a0 + 1 : a0, an, bn ? b0 + 1 : b0, bn);
		for (size_t j = first; j < end; j++) {
			if (st[j].op == '+')
				put_line(out, '+', &lb[st[j].bi]);
			else
				put_line(out, st[j].op ? '-' : ' ', &la[st[j].ai]);
		}
		i = end;
	}
	free(st);
	free(la);
	free(lb);
	return ferror(out) ? -1 : 0;
}
