#include "analyzer/server/position.h"

#include <string.h>

/* The length in bytes of the code point starting at s[0] (at most max, at least 1), and
 * its size in code units of enc. A byte that does not start a valid sequence is one
 * code point of one unit. */
static size_t code_point(const unsigned char *s, size_t max, enum aa_pos_encoding enc, uint32_t *units)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
	if (n > max)
		n = 1;
	for (size_t k = 1; k < n; k++)
		if ((s[k] & 0xC0) != 0x80)
			n = 1;
	*units = enc == AA_POS_UTF8 ? (uint32_t)n : enc == AA_POS_UTF16 && n == 4 ? 2 : 1;
	return n;
}

/* The offset where 0-based line starts (len when the text has fewer lines). */
static size_t line_start(const char *text, size_t len, uint32_t line)
{
	size_t at = 0;
	for (uint32_t l = 0; l < line; l++) {
		const char *nl = memchr(text + at, '\n', len - at);
		if (!nl)
			return len;
		at = (size_t)(nl - text) + 1;
	}
	return at;
}

/* The end of the line that starts at `at`: its '\n', or the '\r' before it. */
static size_t line_end(const char *text, size_t len, size_t at)
{
	const char *nl = memchr(text + at, '\n', len - at);
	size_t end = nl ? (size_t)(nl - text) : len;
	if (end > at && text[end - 1] == '\r' && nl)
		end--;
	return end;
}

size_t aa_pos_to_offset(const char *text, size_t len, uint32_t line, uint32_t character, enum aa_pos_encoding enc)
{
	size_t at = line_start(text, len, line);
	size_t end = line_end(text, len, at);
	const unsigned char *s = (const unsigned char *)text;
	uint32_t seen = 0;
	while (at < end) {
		uint32_t units;
		size_t n = code_point(s + at, end - at, enc, &units);
		if (seen + units > character)
			break;
		seen += units;
		at += n;
	}
	return at;
}

uint32_t aa_pos_from_span(const char *text, size_t len, uint32_t line, uint32_t col, enum aa_pos_encoding enc,
			  uint32_t *lsp_line)
{
	uint32_t l = line ? line - 1 : 0;
	size_t at = line_start(text, len, l);
	if (at == len && l) {
		/* Past the last line: count the lines there are. */
		uint32_t lines = 0;
		for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
			lines++;
		l = lines;
	}
	*lsp_line = l;
	size_t end = line_end(text, len, at);
	const unsigned char *s = (const unsigned char *)text;
	uint32_t character = 0;
	for (uint32_t cp = 1; cp < col && at < end; cp++) {
		uint32_t units;
		at += code_point(s + at, end - at, enc, &units);
		character += units;
	}
	return character;
}
