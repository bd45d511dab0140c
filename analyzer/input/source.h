/*
 * source.h: one Python file's text, read and decoded to what the parser needs.
 *
 * aa_source_load() reads the file (or takes stdin bytes), then:
 *  - strips a UTF-8 BOM (positions are reported relative to the text after it);
 *  - honours a PEP 263 coding declaration on line 1 or 2 (`# -*- coding: latin-1 -*-`,
 *    `# vim: set fileencoding=cp1252 :`, the regex `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`),
 *    transcoding to UTF-8 with iconv; utf-8 and its aliases need no transcoding. Line
 *    numbers survive transcoding; columns are counted in code points, so they do too.
 *    The encoding must read the declaration's ASCII bytes as themselves: one that does
 *    not (utf-16, utf-32, cp037) is a decode failure ("encoding problem: 'utf-16' is not
 *    ASCII-compatible"), as in CPython, not a file of other text;
 *  - checks the text: a NUL byte or invalid UTF-8 (without a declaration that explains
 *    it) is a decode failure with the 1-based line and column of the first offence;
 *  - turns every lone CR (not followed by LF) into LF, in place, same length, because
 *    tree-sitter-python mis-parses CR-only line ends (offsets are unchanged);
 *  - indexes line starts, for line/column conversion and source excerpts.
 *
 * Failures are values: the function returns a status and fills `error`; the caller
 * reports AA002 and goes on with other files.
 */
#ifndef AA_SOURCE_H
#define AA_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes per block of aa_source.cp_marks: 1.6 % of a non-ASCII text's size. */
#define AA_SOURCE_MARK 256

struct aa_source {
	char *text;        /* owned; decoded UTF-8, NUL-terminated (text[len] == 0) */
	size_t len;        /* bytes, excluding the terminating NUL */
	uint32_t *line_starts; /* owned; byte offset of each line's first byte; [0] == 0 */
	uint32_t n_lines;  /* >= 1 */
	/* owned; NULL when the text is ASCII (a column is then a byte count); else the code
	 * points in text[0, k * AA_SOURCE_MARK) at [k], for k up to (len + 1) / AA_SOURCE_MARK:
	 * aa_source_col counts at most one block's bytes, however long the line */
	uint32_t *cp_marks;
	bool transcoded;   /* a PEP 263 declaration other than UTF-8 was applied */
	/* What a rewrite of the file keeps (analyzer/fix/): */
	bool bom;          /* the bytes started with a UTF-8 BOM (stripped from text) */
	char encoding[65]; /* when transcoded: the iconv name text was decoded from; else "" */
	const char *newline; /* the first line end of the bytes: "\n", "\r\n" or "\r" ("\n" when none); static */
};

enum aa_source_status {
	AA_SOURCE_OK = 0,
	AA_SOURCE_UNREADABLE, /* open/read failed (errno text in error) */
	AA_SOURCE_UNDECODABLE, /* NUL byte, invalid UTF-8, unknown or failing encoding */
	AA_SOURCE_TOO_LARGE,  /* over 2^31 bytes: offsets would not fit tree-sitter's uint32 */
};

struct aa_source_error {
	enum aa_source_status status;
	char message[256]; /* human-readable, e.g. "invalid UTF-8 (byte 0xff)" */
	uint32_t line, col; /* 1-based position of the offence for UNDECODABLE, else 1, 1 */
};

/* Reads and decodes the file at path (NUL-terminated, borrowed). src and err need not be
 * initialised. On AA_SOURCE_OK, src is filled and must be released with
 * aa_source_release (err then says OK); on failure, src is left empty (release is
 * still safe) and err says why. Never blocks on a FIFO: only regular files are read.
 * Allocation failure exits. */
enum aa_source_status aa_source_load(struct aa_source *src, const char *path,
				     struct aa_source_error *err);

/* The same from bytes in memory (stdin, tests). Takes ownership of data (a malloc'd
 * buffer of len bytes; it needs no terminating NUL), even on failure: the caller must
 * not use or free it afterwards. */
enum aa_source_status aa_source_from_bytes(struct aa_source *src, char *data, size_t len,
					   struct aa_source_error *err);

/* Reads the regular file at path (NUL-terminated, borrowed) into *data (malloc'd, caller
 * frees; room for one more byte) and *len, without decoding: the bytes a rewrite starts
 * from. Fails as aa_source_load does (err says why; *data untouched). */
enum aa_source_status aa_source_read(const char *path, char **data, size_t *len, struct aa_source_error *err);

/* Frees what src owns and leaves it empty (releasing an empty one is safe). */
void aa_source_release(struct aa_source *src);

/* 0-based line index containing byte offset (binary search). offset may equal len; a
 * larger one gives the last line, an empty src line 0. */
uint32_t aa_source_line_of(const struct aa_source *src, uint32_t offset);

/* Byte length of line `line` (0-based) without its line end ("\n", "\r\n"); 0 for a
 * line past the last. */
uint32_t aa_source_line_len(const struct aa_source *src, uint32_t line);

/* True when byte c can be part of a Python identifier in UTF-8 text: an ASCII letter,
 * digit or underscore, or any byte >= 0x80 (a byte of a multi-byte character, taken to
 * be a letter unchecked). For byte scans of the text that must find whole words
 * (`await` but not `awaitable`) without tokenizing it. */
bool aa_source_ident_byte(char c);

/* 1-based code-point column of byte offset `offset`, which lies on 0-based line `line`.
 * Bytes of a UTF-8 sequence count once; a byte offset inside a sequence counts as the
 * code point it belongs to. Out of range, it answers without reading outside the
 * text: 1 for a line past the last or an offset before the line, and an offset past
 * the end counts as len. Constant time (cp_marks), not the line's length: a file of
 * one long line has as many positions to convert as bytes. */
uint32_t aa_source_col(const struct aa_source *src, uint32_t line, uint32_t offset);

#endif
