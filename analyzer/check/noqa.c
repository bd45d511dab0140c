#include "analyzer/check/noqa.h"
#include "analyzer/check/peer_names.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/xalloc.h"
#include "parsers/python/subtree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void aa_noqa_init(struct aa_noqa *noqa)
{
	memset(noqa, 0, sizeof(*noqa));
}

void aa_noqa_release(struct aa_noqa *noqa)
{
	free(noqa->lines);
	free(noqa->file_codes);
	free(noqa->codes);
	free(noqa->text);
	free(noqa->maps);
	free(noqa->pending);
	free(noqa->ranges);
	for (size_t i = 0; i < noqa->n_covers; i++)
		free(noqa->covers[i].bits);
	free(noqa->covers);
	aa_noqa_init(noqa);
}

static bool is_code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Reads the codes of a directive, p[0..end) (after its ':'), into l: they are appended
 * to noqa->codes and l counts them. Returns the end of the last code (p when none). */
static const char *read_codes(struct aa_noqa *noqa, struct aa_noqa_line *l, const char *p, const char *end)
{
	const char *last = p;
	l->first_code = (uint32_t)noqa->n_codes;
	l->n_codes = 0;
	while (p < end) {
		while (p < end && (is_space(*p) || *p == ','))
			p++;
		const char *start = p;
		while (p < end && is_code_char(*p))
			p++;
		if (p == start)
			break;
		uint32_t len = (uint32_t)(p - start);
		AA_GROW(noqa->text, noqa->text_cap, noqa->text_len + len);
		memcpy(noqa->text + noqa->text_len, start, len);
		AA_GROW(noqa->codes, noqa->codes_cap, noqa->n_codes + 1);
		noqa->codes[noqa->n_codes++] = (struct aa_noqa_code){ .start = (uint32_t)noqa->text_len, .len = len };
		noqa->text_len += len;
		l->n_codes++;
		last = p;
		if (p < end && !is_space(*p) && *p != ',')
			break;
	}
	return last;
}

/* Code points in s[0..len): the bytes that do not continue a UTF-8 sequence. */
static uint32_t code_points(const char *s, size_t len)
{
	uint32_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* A line directive at hash (its '#') of the source line line_text[0..line_len); the
 * codes, if any, are p[0..end) (after "noqa:"), else p is the end of the word noqa. */
static void add_line(struct aa_noqa *noqa, uint32_t line, bool all, const char *line_text, uint32_t line_len,
		     const char *hash, const char *p, const char *end)
{
	AA_GROW(noqa->lines, noqa->lines_cap, noqa->n_lines + 1);
	struct aa_noqa_line *l = &noqa->lines[noqa->n_lines++];
	memset(l, 0, sizeof(*l));
	l->line = line;
	l->all = all;
	l->first_code = (uint32_t)noqa->n_codes;
	const char *last = p;
	if (!all) {
		last = read_codes(noqa, l, p, end);
		if (!l->n_codes) {
			l->all = true;
			last = p; /* "# noqa:" ends at its ':' */
		}
	}
	l->col = code_points(line_text, (size_t)(hash - line_text)) + 1;
	l->end_col = l->col + code_points(hash, (size_t)(last - hash));
	AA_GROW(noqa->text, noqa->text_cap, noqa->text_len + line_len);
	memcpy(noqa->text + noqa->text_len, line_text, line_len);
	l->line_start = (uint32_t)noqa->text_len;
	l->line_len = line_len;
	noqa->text_len += line_len;
}

/* When p[0..end) starts with word and then a bracketed list of codes, `[A, b-c]`
 * (blanks allowed before the '['), the byte after the '['; else NULL: Ruff calls a list
 * without its ']' invalid, and it suppresses nothing. */
static const char *after_bracket(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(end - p) <= n || strncmp(p, word, n))
		return NULL;
	p += n;
	while (p < end && is_space(*p))
		p++;
	if (p == end || *p != '[')
		return NULL;
	const char *q = p + 1;
	while (q < end && (is_code_char(*q) || is_space(*q) || *q == ','))
		q++;
	return q < end && *q == ']' ? p + 1 : NULL;
}

static void add_pending(struct aa_noqa *noqa, enum aa_noqa_pending_kind kind, uint32_t line, uint32_t indent,
			const struct aa_noqa_line *codes)
{
	AA_GROW(noqa->pending, noqa->pending_cap, noqa->n_pending + 1);
	noqa->pending[noqa->n_pending++] =
		(struct aa_noqa_pending){ kind, line, indent, codes->first_code, codes->n_codes };
}

/* The directives of Ruff (and flake8's file-wide noqa) that the comment at hash holds:
 * `ruff: ignore[...]` (on a code line: that line, as a `# noqa:` reads; alone on its
 * line: the statement below, resolved with the tree), `ruff: file-ignore[...]`,
 * `ruff: disable[...]` / `ruff: enable[...]` (ranges), `ruff: noqa` / `flake8: noqa`
 * with or without codes (the whole file). The prefix is case-sensitive, as Ruff reads
 * it. Returns what it found. */
/* What add_peer_directive found: none (the '#' may start a `# noqa`), a line's directive
 * (a later '#' of the comment may hold a `# noqa` too), or one that ends the comment. */
enum peer_directive { PEER_NONE, PEER_LINE, PEER_DONE };

static enum peer_directive add_peer_directive(struct aa_noqa *noqa, const char *line_text, uint32_t line_len, uint32_t line,
			       bool own_line, const char *hash, const char *end)
{
	const char *p = hash + 1;
	while (p < end && is_space(*p))
		p++;
	bool flake8 = (size_t)(end - p) >= 6 && !strncmp(p, "flake8", 6);
	if (!flake8 && ((size_t)(end - p) < 4 || strncmp(p, "ruff", 4)))
		return PEER_NONE;
	p += flake8 ? 6 : 4;
	while (p < end && is_space(*p))
		p++;
	if (p == end || *p != ':')
		return PEER_NONE;
	p++;
	while (p < end && is_space(*p))
		p++;
	if (own_line && (size_t)(end - p) >= 4 && !strncasecmp(p, "noqa", 4) &&
	    (p + 4 == end || !is_code_char(p[4]))) {
		const char *q = p + 4;
		while (q < end && is_space(*q))
			q++;
		if (q < end && *q == ':') {
			struct aa_noqa_line l = { 0 };
			read_codes(noqa, &l, q + 1, end);
			if (l.n_codes) {
				AA_GROW(noqa->file_codes, noqa->file_codes_cap, noqa->n_file_codes + 1);
				noqa->file_codes[noqa->n_file_codes++] = l;
			}
		} else {
			noqa->whole_file = true;
		}
		return PEER_DONE;
	}
	if (flake8)
		return PEER_NONE;
	struct aa_noqa_line l = { 0 };
	uint32_t indent = (uint32_t)(hash - line_text);
	const char *q = after_bracket(p, end, "ignore");
	if (q && !own_line) {
		/* On a code line it is that line's directive, as `# noqa: codes` is (an empty
		 * list suppresses nothing: Ruff calls it invalid). */
		const char *c = q;
		while (c < end && (is_space(*c) || *c == ','))
			c++;
		if (c < end && is_code_char(*c))
			add_line(noqa, line, false, line_text, line_len, hash, q, end);
		return PEER_LINE;
	}
	if (q) {
		read_codes(noqa, &l, q, end);
		add_pending(noqa, AA_NOQA_NEXT_STATEMENT, line, indent, &l);
		return PEER_DONE;
	}
	if (!own_line)
		return PEER_NONE;
	if ((q = after_bracket(p, end, "file-ignore"))) {
		read_codes(noqa, &l, q, end);
		if (l.n_codes) {
			AA_GROW(noqa->file_codes, noqa->file_codes_cap, noqa->n_file_codes + 1);
			noqa->file_codes[noqa->n_file_codes++] = l;
		}
		return PEER_DONE;
	}
	bool disable = (q = after_bracket(p, end, "disable")) != NULL;
	if (disable || (q = after_bracket(p, end, "enable"))) {
		read_codes(noqa, &l, q, end);
		add_pending(noqa, disable ? AA_NOQA_DISABLE : AA_NOQA_ENABLE, line, indent, &l);
		return PEER_DONE;
	}
	return PEER_NONE;
}

void aa_noqa_add_comment(struct aa_noqa *noqa, const char *line_text, uint32_t line_len, uint32_t start,
			 uint32_t len, uint32_t line)
{
	const char *text = line_text + start;
	const char *end = text + len;
	static const char file_marker[] = "async-analyzer: noqa";
	bool own_line = true;
	for (uint32_t i = 0; i < start && own_line; i++)
		own_line = is_space(line_text[i]) || line_text[i] == '\f';
	if (own_line) {
		const char *p = text + 1;
		while (p < end && is_space(*p))
			p++;
		size_t mlen = sizeof(file_marker) - 1;
		if ((size_t)(end - p) >= mlen && !strncasecmp(p, file_marker, mlen)) {
			const char *q = p + mlen;
			while (q < end && is_space(*q))
				q++;
			if (q == end) {
				noqa->whole_file = true;
				return;
			}
			/* File-wide codes, as `# ruff: noqa: F401` reads. Without a code it is no
			 * directive (Ruff warns): the bare form above is the whole file. A later
			 * '#' of the comment may still hold a line directive (below). */
			if (*q == ':') {
				struct aa_noqa_line l = { 0 };
				read_codes(noqa, &l, q + 1, end);
				if (l.n_codes) {
					AA_GROW(noqa->file_codes, noqa->file_codes_cap, noqa->n_file_codes + 1);
					noqa->file_codes[noqa->n_file_codes++] = l;
				}
			}
		}
	}
	/* Each '#' in the comment may start a noqa directive, ours or a peer's. */
	for (const char *h = text; h && h < end; h = memchr(h + 1, '#', (size_t)(end - h - 1))) {
		enum peer_directive found = add_peer_directive(noqa, line_text, line_len, line, own_line && h == text, h, end);
		if (found == PEER_DONE)
			return;
		if (found == PEER_LINE)
			continue;
		const char *p = h + 1;
		while (p < end && is_space(*p))
			p++;
		if (end - p < 4 || strncasecmp(p, "noqa", 4))
			continue;
		p += 4;
		if (p < end && is_code_char(*p))
			continue; /* "noqaz" is not a directive */
		if (p < end && *p == ':')
			add_line(noqa, line, false, line_text, line_len, h, p + 1, end);
		else
			add_line(noqa, line, true, line_text, line_len, h, p, end);
		return;
	}
}

bool aa_noqa_code_is(const struct aa_noqa *noqa, const struct aa_noqa_code *c, const char *s)
{
	size_t n = strlen(s);
	return n == c->len && !strncasecmp(noqa->text + c->start, s, n);
}

/* Whether code c names rule: its code, its name, a peer's equivalent, or (former) a
 * peer's former code for it. */
static bool names_rule(const struct aa_noqa *noqa, const struct aa_noqa_code *c, const struct aa_rule *rule,
		       bool former)
{
	if (aa_noqa_code_is(noqa, c, rule->code) || aa_noqa_code_is(noqa, c, rule->name))
		return true;
	for (const char *const *e = rule->equivalents; e && *e; e++) {
		const char *ruff_name = aa_peer_ruff_name(*e);
		if (aa_noqa_code_is(noqa, c, *e) || (ruff_name && aa_noqa_code_is(noqa, c, ruff_name)))
			return true;
	}
	for (const char *const *e = former ? rule->former_equivalents : NULL; e && *e; e++)
		if (aa_noqa_code_is(noqa, c, *e))
			return true;
	return false;
}

/* The first code of a directive that names rule, or NULL. former: a peer's former code
 * counts too (only a directive on the line: in a range or for the whole file, the code
 * means the rule it names today, written for today's tools). */
static struct aa_noqa_code *naming_code(struct aa_noqa *noqa, const struct aa_noqa_line *l, const struct aa_rule *rule,
					bool former)
{
	for (uint32_t k = 0; k < l->n_codes; k++)
		if (names_rule(noqa, &noqa->codes[l->first_code + k], rule, former))
			return &noqa->codes[l->first_code + k];
	return NULL;
}

bool aa_noqa_needs_maps(const struct aa_noqa *noqa)
{
	return noqa->n_lines || noqa->n_pending;
}

static bool blank_or_comment(const struct aa_source *src, uint32_t l, uint32_t *first)
{
	uint32_t at = src->line_starts[l], end = at + aa_source_line_len(src, l);
	while (at < end && (src->text[at] == ' ' || src->text[at] == '\t' || src->text[at] == '\f'))
		at++;
	*first = at;
	return at == end || src->text[at] == '#';
}

/* The last 0-based line that a directive alone on its line above the code line l
 * (its first non-blank byte at b) covers: a statement's last line, or a compound
 * statement's header's; l itself when l does not start a statement. */
static uint32_t statement_end(const struct aa_syms *syms, const struct aa_parsed *parsed, uint32_t l, uint32_t b)
{
	const struct aa_segment *seg = &parsed->segs[0];
	for (unsigned i = 1; i < parsed->n_segs; i++)
		if (b >= parsed->segs[i].start_byte)
			seg = &parsed->segs[i];
	TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(seg->tree), b, b);
	/* The largest node that starts at b (bounded by the nodes that start there). */
	for (TSNode up = ts_node_parent(n); !ts_node_is_null(up) && ts_node_start_byte(up) == b &&
					    ts_node_symbol(up) != syms->module && ts_node_symbol(up) != syms->block;
	     up = ts_node_parent(up))
		n = up;
	TSNode parent = ts_node_parent(n);
	if (ts_node_start_byte(n) != b || ts_node_is_null(parent) ||
	    (ts_node_symbol(parent) != syms->module && ts_node_symbol(parent) != syms->block))
		return l;
	TSNode header = ts_node_symbol(n) == syms->decorated_definition ? ts_node_child_by_field_name(n, "definition", 10)
									  : n;
	TSNode body = ts_node_is_null(header) ? header : ts_node_child_by_field_name(header, "body", 4);
	if (!ts_node_is_null(body)) {
		uint32_t row = ts_node_start_point(body).row;
		return row > l ? row - 1 : l;
	}
	TSPoint end = ts_node_end_point(n);
	return end.column == 0 && end.row > l ? end.row - 1 : end.row;
}

/* How many open disables of one indentation an enable looks through (resolve_pending). */
#define MAX_INTERLEAVED 16
/* How many codes a directive may list for an enable to match it (longer: none). */
#define MAX_MATCHED_CODES 32

static bool code_in(const struct aa_noqa *noqa, const struct aa_noqa_code *c, const struct aa_noqa_pending *list)
{
	for (uint32_t k = 0; k < list->n_codes; k++) {
		const struct aa_noqa_code *y = &noqa->codes[list->first_code + k];
		if (c->len == y->len && !strncasecmp(noqa->text + c->start, noqa->text + y->start, c->len))
			return true;
	}
	return false;
}

/* Whether the code lists a and b (of noqa) name the same codes, in any order. Bounded:
 * lists longer than MAX_MATCHED_CODES never match. */
static bool same_codes(const struct aa_noqa *noqa, const struct aa_noqa_pending *a, const struct aa_noqa_pending *b)
{
	if (a->n_codes != b->n_codes || a->n_codes > MAX_MATCHED_CODES)
		return false;
	for (uint32_t k = 0; k < a->n_codes; k++)
		if (!code_in(noqa, &noqa->codes[a->first_code + k], b) || !code_in(noqa, &noqa->codes[b->first_code + k], a))
			return false;
	return true;
}

static void add_range(struct aa_noqa *noqa, const struct aa_noqa_pending *p, uint32_t from, uint32_t to)
{
	if (to > noqa->ranges_end)
		noqa->ranges_end = to;
	AA_GROW(noqa->ranges, noqa->ranges_cap, noqa->n_ranges + 1);
	noqa->ranges[noqa->n_ranges++] =
		(struct aa_noqa_range){ from, to, { .first_code = p->first_code, .n_codes = p->n_codes } };
}

/* Turns the pending directives into ranges. One backward pass finds each line's next
 * code line (and the next one indented less than each column asked), so that stacked
 * directives cost nothing more; an `enable` closes the last open `disable` of the same
 * codes at its indentation. */
static void resolve_pending(struct aa_noqa *noqa, const struct aa_syms *syms, const struct aa_source *src,
			    const struct aa_parsed *parsed, const uint32_t *to)
{
	uint32_t n = src->n_lines;
	/* next_code[l]: the first code line at or after l (n when none); indent[l]: a code
	 * line's first non-blank column. A line that goes on from the one above (the rest of
	 * a multi-line string, after a backslash: `to`, the line maps) is no code line: its
	 * indentation ends no block. Lines inside brackets are, an approximation. */
	uint32_t *next_code = aa_xmalloc(((size_t)n + 1) * sizeof(*next_code));
	uint32_t *indent = aa_xmalloc(((size_t)n + 1) * sizeof(*indent));
	next_code[n] = n;
	for (uint32_t l = n; l-- > 0;) {
		uint32_t first;
		bool skip = blank_or_comment(src, l, &first) || (l > 0 && to[l - 1] != l - 1);
		indent[l] = first - src->line_starts[l];
		next_code[l] = skip ? next_code[l + 1] : l;
	}
	uint32_t last_line = UINT32_MAX, last_to = 0;
	size_t *open = aa_xmalloc((noqa->n_pending + 1) * sizeof(*open)); /* disables not yet closed */
	size_t n_open = 0;
	bool *ends_block = aa_xcalloc(noqa->n_pending + 1, sizeof(*ends_block));
	for (size_t i = 0; i < noqa->n_pending; i++) {
		const struct aa_noqa_pending *p = &noqa->pending[i];
		uint32_t l = next_code[p->line < n ? p->line : n]; /* p->line is 1-based: the line below */
		if (p->kind == AA_NOQA_NEXT_STATEMENT) {
			if (l == n)
				continue;
			if (l != last_line) {
				last_line = l;
				last_to = statement_end(syms, parsed, l, src->line_starts[l] + indent[l]);
			}
			add_range(noqa, p, l + 1, last_to + 1);
		} else if (p->kind == AA_NOQA_DISABLE) {
			open[n_open++] = i;
		} else {
			/* An enable closes the innermost open disable of its indentation with the
			 * same codes (in any order), among the last MAX_INTERLEAVED open at that
			 * indentation (ranges interleaved deeper than that are not matched: it keeps
			 * each enable's search bounded). The disables indented deeper ended with
			 * their blocks. */
			while (n_open && noqa->pending[open[n_open - 1]].indent > p->indent)
				ends_block[open[--n_open]] = true;
			for (size_t k = n_open, seen = 0; k-- > 0 && seen < MAX_INTERLEAVED; seen++) {
				const struct aa_noqa_pending *d = &noqa->pending[open[k]];
				if (d->indent != p->indent)
					break;
				if (same_codes(noqa, d, p)) {
					add_range(noqa, d, d->line, p->line);
					memmove(open + k, open + k + 1, (n_open - k - 1) * sizeof(*open));
					n_open--;
					break;
				}
			}
		}
	}
	while (n_open)
		ends_block[open[--n_open]] = true;
	/* A disable no enable closes reaches the end of the block it is indented in: up to
	 * the first code line indented less than it. Swept backward once: the stack holds
	 * the code lines below that no nearer line indented as little hides, so that indents
	 * rise from bottom to top and the answer is a binary search. */
	uint32_t *stack = aa_xmalloc(((size_t)n + 1) * sizeof(*stack));
	size_t top = 0;
	uint32_t l = n;
	for (size_t k = noqa->n_pending; k-- > 0;) {
		if (!ends_block[k])
			continue;
		const struct aa_noqa_pending *d = &noqa->pending[k];
		for (; l > d->line && l > 0;) {
			l--;
			if (next_code[l] != l)
				continue;
			while (top && indent[stack[top - 1]] >= indent[l])
				top--;
			stack[top++] = l;
		}
		size_t lo = 0, hi = top; /* the entries below lo are indented less than d */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (indent[stack[mid]] < d->indent)
				lo = mid + 1;
			else
				hi = mid;
		}
		add_range(noqa, d, d->line, lo ? stack[lo - 1] : n);
	}
	free(stack);
	free(ends_block);
	free(open);
	free(indent);
	free(next_code);
}

/* True when the byte at off of the tree's text is in a comment or string. */
static bool in_comment_or_string(const struct aa_syms *syms, TSNode root, uint32_t off)
{
	TSNode n = ts_node_descendant_for_byte_range(root, off, off + 1);
	for (; !ts_node_is_null(n); n = ts_node_parent(n))
		if (ts_node_symbol(n) == syms->comment || ts_node_symbol(n) == syms->string)
			return true;
	return false;
}

struct string_walk {
	const struct aa_syms *syms;
	const struct aa_segment *seg;
	uint32_t *to;
	uint32_t n_lines;
};

/* Maps the lines of each string that spans lines, in its segment, to its last; looks
 * only inside nodes that span lines (nothing else can hold such a string). */
static enum aa_visit string_lines(void *ud, TSNode node)
{
	struct string_walk *w = ud;
	TSPoint a = ts_node_start_point(node), b = ts_node_end_point(node);
	if (a.row == b.row)
		return AA_VISIT_SKIP;
	if (ts_node_symbol(node) != w->syms->string)
		return AA_VISIT_DESCEND;
	uint32_t at = ts_node_start_byte(node);
	if (at >= w->seg->start_byte && at < w->seg->end_byte && b.row < w->n_lines)
		for (uint32_t l = a.row; l < b.row; l++)
			w->to[l] = b.row;
	return AA_VISIT_SKIP;
}

/* to[l] (0-based lines) is the line l's comment moves to: the last line of a string
 * spanning l, the next line for a backslash continuation, chained; maps are its runs.
 */
void aa_noqa_add_line_maps(struct aa_noqa *noqa, const struct aa_syms *syms, const struct aa_source *src,
			   const struct aa_parsed *parsed)
{
	uint32_t n = src->n_lines;
	uint32_t *to = aa_xmalloc(n * sizeof(*to));
	for (uint32_t l = 0; l < n; l++)
		to[l] = l;
	for (unsigned sgi = 0; sgi < parsed->n_segs; sgi++) {
		struct string_walk w = { syms, &parsed->segs[sgi], to, n };
		aa_subtree_walk(ts_tree_root_node(w.seg->tree), SIZE_MAX, string_lines, &w);
	}
	TSNode root = ts_tree_root_node(parsed->segs[0].tree);
	for (uint32_t l = 0; l + 1 < n; l++) {
		uint32_t len = aa_source_line_len(src, l), end = src->line_starts[l] + len;
		if (to[l] == l && len && src->text[end - 1] == '\\' && !in_comment_or_string(syms, root, end - 1))
			to[l] = l + 1;
	}
	for (uint32_t l = n; l-- > 0;)
		if (to[l] != l)
			to[l] = to[to[l]];
	if (noqa->n_pending)
		resolve_pending(noqa, syms, src, parsed, to);
	for (uint32_t l = 0; l < n;) {
		uint32_t r = l;
		while (r < n && to[r] == to[l] && to[l] != l)
			r++;
		if (r > l) {
			AA_GROW(noqa->maps, noqa->maps_cap, noqa->n_maps + 1);
			noqa->maps[noqa->n_maps++] = (struct aa_noqa_map){ l + 1, to[l] + 1 };
			l = r;
		} else {
			l++;
		}
	}
	free(to);
}

uint32_t aa_noqa_line_for(const struct aa_noqa *noqa, uint32_t line)
{
	size_t lo = 0, hi = noqa->n_maps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (noqa->maps[mid].to <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < noqa->n_maps && noqa->maps[lo].from <= line ? noqa->maps[lo].to : line;
}

/* Whether the directives on line suppress rule, recording the use; blanket directives
 * count only when `blanket` is set. */
static bool line_suppresses(struct aa_noqa *noqa, uint32_t line, const struct aa_rule *rule, bool blanket)
{
	/* Binary search for the line's entry. */
	size_t lo = 0, hi = noqa->n_lines;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (noqa->lines[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < noqa->n_lines && noqa->lines[i].line == line; i++) {
		struct aa_noqa_line *l = &noqa->lines[i];
		if (l->all && blanket) {
			l->used = true;
			return true;
		}
		struct aa_noqa_code *c = l->all ? NULL : naming_code(noqa, l, rule, true);
		if (c) {
			c->used = true;
			return true;
		}
	}
	return false;
}

/* Whether a range of the peers' directives names rule on line. */
static bool range_covers(struct aa_noqa *noqa, uint32_t line, const struct aa_rule *rule)
{
	if (!noqa->n_ranges || line > noqa->ranges_end)
		return false;
	struct aa_noqa_cover *c = NULL;
	for (size_t i = 0; i < noqa->n_covers && !c; i++)
		if (noqa->covers[i].rule == rule)
			c = &noqa->covers[i];
	if (!c) {
		/* Each range adds one at its first line and takes it back after its last. */
		uint32_t n = noqa->ranges_end + 2;
		int32_t *depth = aa_xcalloc(n, sizeof(*depth));
		for (size_t i = 0; i < noqa->n_ranges; i++) {
			const struct aa_noqa_range *r = &noqa->ranges[i];
			if (r->from <= r->to && naming_code(noqa, &r->codes, rule, false)) {
				depth[r->from]++;
				depth[r->to + 1]--;
			}
		}
		AA_GROW(noqa->covers, noqa->covers_cap, noqa->n_covers + 1);
		c = &noqa->covers[noqa->n_covers++];
		c->rule = rule;
		c->bits = aa_xcalloc(n / 8 + 1, 1);
		int32_t open = 0;
		for (uint32_t l = 0; l < n; l++) {
			open += depth[l];
			if (open > 0)
				c->bits[l / 8] |= (unsigned char)(1u << (l % 8));
		}
		free(depth);
	}
	return c->bits[line / 8] & (1u << (line % 8));
}

/* Whether noqa suppresses rule on line, recording the use. The line's own directive is
 * asked first, so that it gets the credit when a file-wide one would suppress the
 * finding too; then the line a multi-line construct's comment goes on (its last). */
static bool suppresses(struct aa_noqa *noqa, uint32_t line, const struct aa_rule *rule, bool blanket)
{
	if (line_suppresses(noqa, line, rule, blanket))
		return true;
	uint32_t mapped = aa_noqa_line_for(noqa, line);
	if (mapped != line && line_suppresses(noqa, mapped, rule, blanket))
		return true;
	if (range_covers(noqa, line, rule))
		return true;
	for (size_t i = 0; i < noqa->n_file_codes; i++) {
		struct aa_noqa_code *c = naming_code(noqa, &noqa->file_codes[i], rule, false);
		if (c) {
			c->used = true;
			return true;
		}
	}
	return noqa->whole_file;
}

void aa_noqa_keep_marks(struct aa_noqa *noqa)
{
	for (size_t i = 0; i < noqa->n_lines; i++)
		noqa->lines[i].kept = noqa->lines[i].used;
	for (size_t i = 0; i < noqa->n_codes; i++)
		noqa->codes[i].kept = noqa->codes[i].used;
}

void aa_noqa_restore_marks(struct aa_noqa *noqa)
{
	for (size_t i = 0; i < noqa->n_lines; i++)
		noqa->lines[i].used = noqa->lines[i].kept;
	for (size_t i = 0; i < noqa->n_codes; i++)
		noqa->codes[i].used = noqa->codes[i].kept;
}

bool aa_noqa_suppresses(struct aa_noqa *noqa, uint32_t line, const struct aa_rule *rule)
{
	return suppresses(noqa, line, rule, true);
}

static void push(struct aa_noqa *noqa, struct aa_diag_list *list, struct aa_diag *d, bool blanket)
{
	if (noqa && suppresses(noqa, d->span.line, d->rule, blanket)) {
		aa_diag_release(d);
		return;
	}
	aa_diag_list_push(list, d);
}

void aa_noqa_push(struct aa_noqa *noqa, struct aa_diag_list *list, struct aa_diag *d)
{
	push(noqa, list, d, true);
}

void aa_noqa_push_verdict(struct aa_noqa *noqa, struct aa_diag_list *list, struct aa_diag *d)
{
	push(noqa, list, d, false);
}
