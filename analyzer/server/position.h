/*
 * position.h: LSP positions (0-based line, 0-based character counted in the negotiated
 * encoding's code units) against the UTF-8 text of a document and the analyzer's spans
 * (1-based, columns in code points).
 *
 * Lines end at '\n' (a "\r\n" line's '\r' is part of its end), as the analyzer counts
 * them; a lone '\r' does not end a line here. Text is UTF-8; a byte that does not start
 * a valid sequence counts as one code point of one unit, so malformed text never makes a
 * position fail. Every function is O(length of the text up to the position) and
 * allocates nothing.
 */
#ifndef AA_POSITION_H
#define AA_POSITION_H

#include <stddef.h>
#include <stdint.h>

/* What a "character" of an LSP position counts (LSP 3.17 PositionEncodingKind). */
enum aa_pos_encoding { AA_POS_UTF16 = 0, AA_POS_UTF8, AA_POS_UTF32 };

/* The byte offset in text[0..len) of the LSP position (line, character). A line past the
 * end is the end of the text; a character past the line's end is the line's end (before
 * its "\r\n"/"\n"), as LSP says; a character inside a UTF-16 surrogate pair or a UTF-8
 * sequence is the start of that code point. */
size_t aa_pos_to_offset(const char *text, size_t len, uint32_t line, uint32_t character, enum aa_pos_encoding enc);

/* The LSP character of the 1-based code point column col on the 1-based line of
 * text[0..len) (the analyzer's span columns). Lines and columns past the end are
 * clamped to the end of the text / of the line. *lsp_line is set to line - 1 clamped. */
uint32_t aa_pos_from_span(const char *text, size_t len, uint32_t line, uint32_t col, enum aa_pos_encoding enc,
			  uint32_t *lsp_line);

#endif
