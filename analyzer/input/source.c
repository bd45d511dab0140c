#include "analyzer/input/source.h"
#include "analyzer/base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* tree-sitter offsets are uint32_t; staying below 2^31 also keeps int casts safe. */
#define MAX_SOURCE ((size_t)INT32_MAX)

static enum aa_source_status fail(struct aa_source_error *err, enum aa_source_status status,
				  uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static enum aa_source_status fail(struct aa_source_error *err, enum aa_source_status status,
				  uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;
	err->status = status;
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return status;
}

static enum aa_source_status fail_errno(struct aa_source_error *err, const char *what, int errnum)
{
	char tmp[128];
	/* GNU strerror_r (_GNU_SOURCE): strerror is not thread-safe. */
	const char *text = strerror_r(errnum, tmp, sizeof(tmp));
	return fail(err, AA_SOURCE_UNREADABLE, 1, 1, "%s: %s", what, text);
}

/* 1-based line and code-point column of byte `off`, for error reports made before the
 * lone CR conversion: a CR not followed by LF already counts as a line end, so the
 * numbers agree with the final line index. The bytes before off are valid UTF-8, or at
 * least are counted as if they were. */
static void locate(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
	size_t ln = 1, start = 0;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= off || text[i + 1] != '\n'))) {
			ln++;
			start = i + 1;
		}
	}
	size_t c = 1;
	for (size_t i = start; i < off; i++)
		c += ((unsigned char)text[i] & 0xC0) != 0x80;
	*line = ln > UINT32_MAX ? UINT32_MAX : (uint32_t)ln;
	*col = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

static const char *line_end(const char *p, const char *end)
{
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	return p;
}

static const char *next_line(const char *eol, const char *end)
{
	if (eol < end && *eol == '\r')
		eol++;
	if (eol < end && *eol == '\n')
		eol++;
	return eol;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* The regex ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+) on one line, by hand. On a match,
 * (name, name_len) is the encoding name. */
static bool match_coding(const char *p, const char *end, const char **name, size_t *name_len)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
		p++;
	if (p == end || *p != '#')
		return false;
	for (p++; end - p >= 7; p++) {
		if (memcmp(p, "coding", 6) != 0 || (p[6] != ':' && p[6] != '='))
			continue;
		const char *q = p + 7;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		const char *n = q;
		while (q < end && is_name_char(*q))
			q++;
		if (q > n) {
			*name = n;
			*name_len = (size_t)(q - n);
			return true;
		}
	}
	return false;
}

/* Python's blank_re: only whitespace, then a comment, a line end or the end of input. */
static bool blank_or_comment(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
		p++;
	return p == end || *p == '#';
}

/* Finds the declaration on line 1, or on line 2 when line 1 is blank or a comment (as
 * CPython's tokenizer does). *decl_line is 1 or 2. */
static bool find_declaration(const char *text, size_t len, const char **name, size_t *name_len,
			     uint32_t *decl_line)
{
	const char *end = text + len;
	const char *eol = line_end(text, end);
	if (match_coding(text, eol, name, name_len)) {
		*decl_line = 1;
		return true;
	}
	if (!blank_or_comment(text, eol) || eol == end)
		return false;
	const char *l2 = next_line(eol, end);
	if (match_coding(l2, line_end(l2, end), name, name_len)) {
		*decl_line = 2;
		return true;
	}
	return false;
}

enum charset { CS_UTF8, CS_LATIN1, CS_OTHER };

/* CPython's get_normal_name, plus "utf8" (Python's codec registry maps it to utf-8 too).
 * norm receives the name lowercased with '_' -> '-'. */
static enum charset normalise(const char *name, size_t len, char *norm, size_t norm_size)
{
	size_t n = len < norm_size - 1 ? len : norm_size - 1;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		norm[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	norm[n] = '\0';
	/* future-fstrings (the package registers future_fstrings too) decodes UTF-8 and only
	 * rewrites f-strings for Pythons before 3.6: the text as written is UTF-8. */
	if (!strcmp(norm, "utf-8") || !strcmp(norm, "utf8") || !strncmp(norm, "utf-8-", 6) ||
	    !strcmp(norm, "future-fstrings"))
		return CS_UTF8;
	if (!strcmp(norm, "latin-1") || !strcmp(norm, "iso-8859-1") || !strcmp(norm, "iso-latin-1") ||
	    !strncmp(norm, "latin-1-", 8) || !strncmp(norm, "iso-8859-1-", 11) ||
	    !strncmp(norm, "iso-latin-1-", 12))
		return CS_LATIN1;
	return CS_OTHER;
}

/* Converts data[0..len) from `from` to UTF-8. On success (*out, *out_len) is a new buffer
 * with room for a terminating NUL; data is left to the caller either way. */
static enum aa_source_status transcode(const char *data, size_t len, const char *from,
				       const char *shown, char **out, size_t *out_len,
				       struct aa_source_error *err)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return fail(err, AA_SOURCE_UNDECODABLE, 1, 1, "unknown encoding '%.64s'", shown);
	size_t cap = len + len / 2 + 16;
	char *buf = aa_xmalloc(cap);
	char *in = (char *)data;
	size_t in_left = len;
	size_t used = 0;
	enum aa_source_status st = AA_SOURCE_OK;
	bool flushing = false;
	for (;;) {
		char *o = buf + used;
		size_t o_left = cap - used - 1; /* keep one byte for the NUL */
		size_t r = flushing ? iconv(cd, NULL, NULL, &o, &o_left) : iconv(cd, &in, &in_left, &o, &o_left);
		int e = errno;
		used = (size_t)(o - buf);
		if (used > MAX_SOURCE) {
			st = fail(err, AA_SOURCE_TOO_LARGE, 1, 1, "file is larger than %zu bytes once decoded",
				  MAX_SOURCE);
			break;
		}
		if (r != (size_t)-1) {
			if (flushing)
				break;
			flushing = true; /* emit the shift-back sequence of stateful encodings */
			continue;
		}
		if (e == E2BIG) {
			cap *= 2;
			buf = aa_xrealloc(buf, cap);
			continue;
		}
		uint32_t line, col;
		locate(buf, used, &line, &col);
		if (e == EILSEQ)
			st = fail(err, AA_SOURCE_UNDECODABLE, line, col, "cannot decode byte 0x%02x as '%.64s'",
				  (unsigned char)*in, shown);
		else if (e == EINVAL)
			st = fail(err, AA_SOURCE_UNDECODABLE, line, col,
				  "truncated '%.64s' sequence at end of file", shown);
		else
			st = fail(err, AA_SOURCE_UNDECODABLE, line, col, "cannot decode as '%.64s' (errno %d)",
				  shown, e);
		break;
	}
	iconv_close(cd);
	if (st != AA_SOURCE_OK) {
		free(buf);
		return st;
	}
	*out = buf;
	*out_len = used;
	return AA_SOURCE_OK;
}

static bool iconv_knows(const char *name)
{
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

/* The iconv name of a declared encoding, or NULL when iconv knows none. glibc knows most
 * of Python's names once normalised ("iso8859_15" only as "iso8859-15"); the name as
 * written is the fallback. */
static const char *iconv_name(enum charset cs, const char *norm, const char *shown)
{
	if (cs == CS_LATIN1)
		return "ISO-8859-1";
	if (iconv_knows(norm))
		return norm;
	if (strcmp(norm, shown) != 0 && iconv_knows(shown))
		return shown;
	return NULL;
}

/* PEP 263: the declaration is read as ASCII, so the encoding must read those bytes as
 * themselves; UTF-16, UTF-32 or EBCDIC would turn an ASCII file into other text without
 * a decoding error (CPython: "encoding problem: utf-16"). Decodes the ASCII bytes from
 * the start of the text up to decl_end (the end of the encoding's name) alone and
 * compares them with the result. */
static bool ascii_compatible(const char *data, size_t decl_end, const char *from)
{
	size_t n = 0;
	while (n < decl_end && !((unsigned char)data[n] & 0x80))
		n++;
	char *out;
	size_t out_len;
	struct aa_source_error scratch;
	if (transcode(data, n, from, from, &out, &out_len, &scratch) != AA_SOURCE_OK)
		return false;
	bool same = out_len == n && !memcmp(out, data, n);
	free(out);
	return same;
}

/* Offset of the first byte that does not start a valid UTF-8 sequence (overlongs,
 * surrogates, > U+10FFFF, stray or missing continuation bytes), or len. */
static size_t invalid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += n + 1;
	}
	return len;
}

static bool is_lead(char c)
{
	return ((unsigned char)c & 0xC0) != 0x80;
}

/* Fills cp_marks when the text holds a byte >= 0x80 (its blocks then cover text[len],
 * the NUL, which a column at len counts). */
static void mark_code_points(struct aa_source *src)
{
	const char *text = src->text;
	size_t len = src->len, i = 0;
	while (i < len && (unsigned char)text[i] < 0x80)
		i++;
	if (i == len)
		return;
	size_t n = (len + 1) / AA_SOURCE_MARK + 1;
	src->cp_marks = aa_xmalloc(n * sizeof(*src->cp_marks));
	uint32_t cps = 0;
	for (size_t k = 0; k < n; k++) {
		src->cp_marks[k] = cps;
		size_t end = (k + 1) * AA_SOURCE_MARK < len + 1 ? (k + 1) * AA_SOURCE_MARK : len + 1;
		for (size_t b = k * AA_SOURCE_MARK; b < end; b++)
			cps += is_lead(text[b]);
	}
}

/* Code points (lead bytes) in text[0, x), x <= len + 1. */
static uint32_t code_points_before(const struct aa_source *src, uint32_t x)
{
	uint32_t k = x / AA_SOURCE_MARK, n = src->cp_marks[k];
	for (uint32_t b = k * AA_SOURCE_MARK; b < x; b++)
		n += is_lead(src->text[b]);
	return n;
}

static void index_lines(struct aa_source *src)
{
	char *text = src->text;
	size_t len = src->len;
	const char *eol = strpbrk(text, "\r\n");
	src->newline = !eol || *eol == '\n' ? "\n" : eol[1] == '\n' ? "\r\n" : "\r";
	/* Lone CR -> LF: tree-sitter-python mis-parses CR-only line ends. */
	for (char *p = text; (p = memchr(p, '\r', len - (size_t)(p - text))) != NULL; p++)
		if (p[1] != '\n') /* text[len] is the NUL, so p[1] is readable */
			*p = '\n';
	size_t n = 1;
	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
		n++;
	src->line_starts = aa_xmalloc(n * sizeof(*src->line_starts));
	src->line_starts[0] = 0;
	size_t k = 1;
	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
		src->line_starts[k++] = (uint32_t)(p - text + 1);
	src->n_lines = (uint32_t)n;
	mark_code_points(src);
}

/* The common path: takes ownership of data, whose allocation may be larger than len. */
static enum aa_source_status decode(struct aa_source *src, char *data, size_t len,
				    struct aa_source_error *err)
{
	if (len > MAX_SOURCE) {
		free(data);
		return fail(err, AA_SOURCE_TOO_LARGE, 1, 1, "file is larger than %zu bytes", MAX_SOURCE);
	}
	bool bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	src->bom = bom;
	if (bom) {
		memmove(data, data + 3, len - 3);
		len -= 3;
	}
	const char *name;
	size_t name_len;
	uint32_t decl_line;
	if (find_declaration(data, len, &name, &name_len, &decl_line)) {
		char shown[65], norm[65];
		snprintf(shown, sizeof(shown), "%.*s", (int)(name_len < 64 ? name_len : 64), name);
		enum charset cs = normalise(name, name_len, norm, sizeof(norm));
		if (cs != CS_UTF8 && bom) {
			free(data);
			return fail(err, AA_SOURCE_UNDECODABLE, decl_line, 1,
				    "encoding problem: '%s' with a UTF-8 BOM", shown);
		}
		if (cs != CS_UTF8) {
			const char *from = iconv_name(cs, norm, shown);
			if (!from) {
				free(data);
				return fail(err, AA_SOURCE_UNDECODABLE, 1, 1, "unknown encoding '%.64s'", shown);
			}
			if (!ascii_compatible(data, (size_t)(name + name_len - data), from)) {
				free(data);
				return fail(err, AA_SOURCE_UNDECODABLE, decl_line, 1,
					    "encoding problem: '%s' is not ASCII-compatible", shown);
			}
			char *out;
			size_t out_len;
			enum aa_source_status st = transcode(data, len, from, shown, &out, &out_len, err);
			free(data);
			if (st != AA_SOURCE_OK)
				return st;
			data = out;
			len = out_len;
			src->transcoded = true;
			snprintf(src->encoding, sizeof(src->encoding), "%s", from);
		}
	}
	if (!src->transcoded)
		data = aa_xrealloc(data, len + 1);
	data[len] = '\0';

	uint32_t line, col;
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		locate(data, (size_t)(nul - data), &line, &col);
		free(data);
		src->transcoded = false;
		return fail(err, AA_SOURCE_UNDECODABLE, line, col, "source contains NUL bytes");
	}
	size_t bad = invalid_utf8((const unsigned char *)data, len);
	if (bad < len) {
		unsigned byte = (unsigned char)data[bad];
		locate(data, bad, &line, &col);
		free(data);
		src->transcoded = false;
		return fail(err, AA_SOURCE_UNDECODABLE, line, col, "invalid UTF-8 (byte 0x%02x)", byte);
	}

	src->text = data;
	src->len = len;
	index_lines(src);
	return AA_SOURCE_OK;
}

static void begin(struct aa_source *src, struct aa_source_error *err)
{
	memset(src, 0, sizeof(*src));
	err->status = AA_SOURCE_OK;
	err->message[0] = '\0';
	err->line = 1;
	err->col = 1;
}

enum aa_source_status aa_source_from_bytes(struct aa_source *src, char *data, size_t len,
					   struct aa_source_error *err)
{
	begin(src, err);
	return decode(src, data, len, err);
}

/* Reads fd to EOF into *out (with room for one more byte). The file may grow or shrink
 * while we read; st_size is only a first guess. */
static enum aa_source_status read_all(int fd, size_t hint, char **out, size_t *out_len,
				      struct aa_source_error *err)
{
	size_t cap = hint + 1 > 4096 ? hint + 1 : 4096;
	char *buf = aa_xmalloc(cap);
	size_t len = 0;
	for (;;) {
		if (len == cap) {
			if (len > MAX_SOURCE) {
				free(buf);
				return fail(err, AA_SOURCE_TOO_LARGE, 1, 1, "file is larger than %zu bytes",
					    MAX_SOURCE);
			}
			/* Growing up to MAX_SOURCE + 2 is enough to see a file exceed the limit. */
			cap = cap > MAX_SOURCE / 2 ? MAX_SOURCE + 2 : cap * 2;
			buf = aa_xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return fail_errno(err, "cannot read", e);
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*out = buf;
	*out_len = len;
	return AA_SOURCE_OK;
}

enum aa_source_status aa_source_read(const char *path, char **data, size_t *len, struct aa_source_error *err)
{
	int fd;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return fail_errno(err, "cannot open", errno);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return fail_errno(err, "cannot stat", e);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(err, AA_SOURCE_UNREADABLE, 1, 1, "is a directory");
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, AA_SOURCE_UNREADABLE, 1, 1, "not a regular file");
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > MAX_SOURCE) {
		close(fd);
		return fail(err, AA_SOURCE_TOO_LARGE, 1, 1, "file is larger than %zu bytes", MAX_SOURCE);
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		return fail_errno(err, "cannot read", e);
	}
	enum aa_source_status rs = read_all(fd, (size_t)st.st_size, data, len, err);
	/* Read-only descriptor: close cannot lose data, and the bytes are already read. */
	close(fd);
	return rs;
}

enum aa_source_status aa_source_load(struct aa_source *src, const char *path,
				     struct aa_source_error *err)
{
	begin(src, err);
	char *data = NULL;
	size_t len = 0;
	enum aa_source_status rs = aa_source_read(path, &data, &len, err);
	if (rs != AA_SOURCE_OK)
		return rs;
	return decode(src, data, len, err);
}

void aa_source_release(struct aa_source *src)
{
	free(src->text);
	free(src->line_starts);
	free(src->cp_marks);
	memset(src, 0, sizeof(*src));
}

uint32_t aa_source_line_of(const struct aa_source *src, uint32_t offset)
{
	uint32_t lo = 0, hi = src->n_lines; /* answer in [lo, hi) */
	if (hi == 0)
		return 0;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

uint32_t aa_source_line_len(const struct aa_source *src, uint32_t line)
{
	if (line >= src->n_lines)
		return 0;
	uint32_t start = src->line_starts[line];
	uint32_t end;
	if (line + 1 < src->n_lines) {
		end = src->line_starts[line + 1] - 1; /* the '\n' */
		if (end > start && src->text[end - 1] == '\r')
			end--;
	} else {
		end = (uint32_t)src->len; /* a last line has no line end: a lone CR became LF */
	}
	return end - start;
}

bool aa_source_ident_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       (unsigned char)c >= 0x80;
}

uint32_t aa_source_col(const struct aa_source *src, uint32_t line, uint32_t offset)
{
	if (line >= src->n_lines)
		return 1;
	uint32_t start = src->line_starts[line];
	if (offset > src->len)
		offset = (uint32_t)src->len;
	if (offset < start)
		return 1;
	/* Count lead bytes in [start, offset]: the byte at offset (text[len] is the NUL) is
	 * counted when it starts a code point, and its lead byte is when it continues one. */
	if (!src->cp_marks)
		return offset - start + 1;
	return code_points_before(src, offset + 1) - code_points_before(src, start);
}
