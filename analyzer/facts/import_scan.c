#include "analyzer/facts/import_scan.h"
#include "analyzer/base/buf.h"
#include "analyzer/facts/names.h"
#include "analyzer/input/source.h"
#include "analyzer/base/xalloc.h"

#include <stdbool.h>
#include <string.h>

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
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) || (c->p + n < c->end && aa_source_ident_byte(c->p[n])))
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
	/* `from . import x`: the dots alone name the module. */
	if (buf->len && (size_t)(c->end - c->p) >= 6 && !memcmp(c->p, "import", 6) &&
	    (c->p + 6 == c->end || !aa_source_ident_byte(c->p[6])))
		return true;
	for (;;) {
		const char *start = c->p;
		while (c->p < c->end && aa_source_ident_byte(*c->p))
			c->p++;
		aa_buf_add(buf, start, (size_t)(c->p - start));
		skip(c);
		if (c->p < c->end && *c->p == '.' && c->p + 1 < c->end && aa_source_ident_byte(c->p[1])) {
			aa_buf_addc(buf, '.');
			c->p++;
			continue;
		}
		return buf->len > 0;
	}
}

struct scan {
	struct aa_summary *sum;
	size_t imports_cap; /* of sum->imports */
	bool (*keep)(void *ud, const char *name);
	void *ud;
};

static void add(struct scan *sc, const char *s, size_t len, const char *bound, size_t bound_len)
{
	struct aa_summary *sum = sc->sum;
	if (!sc->keep(sc->ud, s))
		return;
	AA_GROW(sum->imports, sc->imports_cap, sum->n_imports + 1);
	sum->imports[sum->n_imports++] = (struct aa_sum_import){ aa_summary_intern(sum, s, len),
								  aa_summary_intern(sum, bound, bound_len) };
}

static void statement(struct scan *sc, struct cursor *c, struct aa_buf *a, struct aa_buf *b,
		      struct aa_buf *full)
{
	if (word(c, "import")) {
		do {
			skip(c);
			if (!dotted(c, a, false))
				return;
			if (word(c, "as")) {
				skip(c);
				if (dotted(c, b, false))
					add(sc, a->data, a->len, b->data, b->len);
			} else {
				/* `import app.db` binds `app`. */
				add(sc, a->data, a->len, a->data, strcspn(a->data, "."));
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
		if (word(c, "as")) {
			skip(c);
			if (dotted(c, b, false))
				add(sc, full->data, full->len, b->data, b->len);
		} else {
			add(sc, full->data, full->len, b->data, b->len);
		}
		aa_buf_setlen(full, mod_len);
		skip(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		break;
	}
	c->depth = 0;
}

/* Does the line at p start with w? */
static bool line_starts(const char *p, const char *end, const char *w, size_t n)
{
	return (size_t)(end - p) >= n && !memcmp(p, w, n);
}

void aa_import_scan(struct aa_summary *sum, const char *text, size_t len, bool (*keep)(void *ud, const char *name),
		    void *ud)
{
	struct scan sc = { sum, 0, keep, ud };
	struct aa_buf a = AA_BUF_INIT, b = AA_BUF_INIT, full = AA_BUF_INIT;
	const char *end = text + len;
	/* One pass over line starts. Module imports come before the first top-level def,
	 * class or decorator (PEP 8): stopping there reads only the head of each file.
	 * Indented imports (under `try:` or `if TYPE_CHECKING:`) count too. */
	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *next = nl ? nl + 1 : end;
		if (*line == '@' || line_starts(line, end, "def ", 4) || line_starts(line, end, "class ", 6))
			break;
		struct cursor c = { line, end, 0 };
		skip(&c);
		if (c.p < next && (*c.p == 'i' || *c.p == 'f')) {
			statement(&sc, &c, &a, &b, &full);
			/* A parenthesized statement may end lines later. */
			if (c.p > next) {
				nl = memchr(c.p, '\n', (size_t)(end - c.p));
				next = nl ? nl + 1 : end;
			}
		}
		line = next;
	}
	aa_buf_release(&a);
	aa_buf_release(&b);
	aa_buf_release(&full);
}
