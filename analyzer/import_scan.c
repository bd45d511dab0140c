#include "analyzer/import_scan.h"
#include "analyzer/buf.h"
#include "analyzer/names.h"
#include "analyzer/xalloc.h"

#include <stdbool.h>
#include <string.h>

static bool ident_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       (unsigned char)c >= 0x80;
}

struct cursor {
	const char *p, *end;
	int depth; /* inside parentheses: newlines are blanks */
};

/* Skips blanks; newlines only inside parentheses or after a backslash. */
static void skip(struct cursor *c)
{
	while (c->p < c->end) {
		char ch = *c->p;
		if (ch == ' ' || ch == '\t' || ch == '\f' || ch == '\r')
			c->p++;
		else if (ch == '\\' && c->p + 1 < c->end && (c->p[1] == '\n' || c->p[1] == '\r'))
			c->p += 2;
		else if (ch == '\n' && c->depth)
			c->p++;
		else if (ch == '#' && c->depth) {
			while (c->p < c->end && *c->p != '\n')
				c->p++;
		} else
			break;
	}
}

static bool word(struct cursor *c, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) || (c->p + n < c->end && ident_byte(c->p[n])))
		return false;
	c->p += n;
	return true;
}

/* A dotted name (with leading dots when relative is true) into buf. */
static bool dotted(struct cursor *c, struct aa_buf *buf, bool relative)
{
	aa_buf_reset(buf);
	while (relative && c->p < c->end && *c->p == '.') {
		aa_buf_addc(buf, '.');
		c->p++;
		skip(c);
	}
	for (;;) {
		const char *start = c->p;
		while (c->p < c->end && ident_byte(*c->p))
			c->p++;
		aa_buf_add(buf, start, (size_t)(c->p - start));
		skip(c);
		if (c->p < c->end && *c->p == '.' && c->p + 1 < c->end && ident_byte(c->p[1])) {
			aa_buf_addc(buf, '.');
			c->p++;
			continue;
		}
		return buf->len > 0;
	}
}

struct scan {
	struct aa_summary *sum;
	bool (*keep)(void *ud, const char *name);
	void *ud;
};

static void add(struct scan *sc, const char *s, size_t len)
{
	struct aa_summary *sum = sc->sum;
	if (!sc->keep(sc->ud, s))
		return;
	AA_GROW(sum->imports, sum->imports_cap, sum->n_imports + 1);
	sum->imports[sum->n_imports++] = aa_summary_intern(sum, s, len);
}

static void statement(struct scan *sc, struct cursor *c, struct aa_buf *a, struct aa_buf *b,
		      struct aa_buf *full)
{
	if (word(c, "import")) {
		do {
			skip(c);
			if (!dotted(c, a, false))
				return;
			add(sc, a->data, a->len);
			if (word(c, "as")) {
				skip(c);
				dotted(c, b, false);
			}
			skip(c);
		} while (c->p < c->end && *c->p == ',' && (c->p++, true));
		return;
	}
	if (!word(c, "from"))
		return;
	skip(c);
	if (!dotted(c, a, true) || !word(c, "import") ||
	    !aa_names_resolve_relative(sc->sum->module, sc->sum->is_package, a->data, a->len, full))
		return;
	skip(c);
	if (c->p < c->end && *c->p == '(') {
		c->p++;
		c->depth = 1;
	}
	for (;;) {
		skip(c);
		if (c->p < c->end && *c->p == '*')
			return;
		if (!dotted(c, b, false))
			break;
		aa_buf_addc(full, '.');
		size_t mod_len = full->len - 1;
		aa_buf_add(full, b->data, b->len);
		add(sc, full->data, full->len);
		full->len = mod_len;
		full->data[mod_len] = '\0';
		if (word(c, "as")) {
			skip(c);
			dotted(c, b, false);
		}
		skip(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		break;
	}
	c->depth = 0;
}

void aa_import_scan(struct aa_summary *sum, const char *text, size_t len, bool (*keep)(void *ud, const char *name),
		    void *ud)
{
	struct scan sc = { sum, keep, ud };
	struct aa_buf a = AA_BUF_INIT, b = AA_BUF_INIT, full = AA_BUF_INIT;
	/* Module imports come before the first top-level def, class or decorator (PEP 8);
	 * stopping there keeps the scan to the head of each file. Each later search only
	 * looks before the earliest hit so far, so the file is read once at most. */
	static const char *const body_starts[] = { "\ndef ", "\nclass ", "\n@" };
	const char *end = text + len;
	for (size_t i = 0; i < sizeof(body_starts) / sizeof(body_starts[0]); i++) {
		const char *hit = memmem(text, (size_t)(end - text), body_starts[i], strlen(body_starts[i]));
		if (hit)
			end = hit + 1;
	}
	/* Only lines whose first word is `import` or `from`: memmem finds the candidates. */
	for (const char *p = text; p < end;) {
		const char *hit_i = memmem(p, (size_t)(end - p), "import", 6);
		if (!hit_i)
			break;
		/* Back to the start of the line holding it. */
		const char *line = hit_i;
		while (line > text && line[-1] != '\n')
			line--;
		struct cursor c = { line, end, 0 };
		skip(&c);
		statement(&sc, &c, &a, &b, &full);
		const char *nl = memchr(hit_i, '\n', (size_t)(end - hit_i));
		p = nl ? nl + 1 : end;
		if (c.p > p)
			p = c.p;
	}
	aa_buf_release(&a);
	aa_buf_release(&b);
	aa_buf_release(&full);
}
