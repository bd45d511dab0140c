/* Unit test for analyzer/input/source.c: reading, BOM, PEP 263, validation, line ends, line index.
 * Every case goes through both aa_source_from_bytes and aa_source_load (a temp file), and the
 * two results must agree. Exit 0 = pass (tests/check.h); each failure prints expected vs
 * actual at the case's line. */
#include "analyzer/input/source.h"
#include "analyzer/input/excerpt.h"
#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "tests/check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct t {
	struct check c;
	char dir[256];
	int serial;
};

static const char *status_name(enum aa_source_status st)
{
	switch (st) {
	case AA_SOURCE_OK: return "OK";
	case AA_SOURCE_UNREADABLE: return "UNREADABLE";
	case AA_SOURCE_UNDECODABLE: return "UNDECODABLE";
	case AA_SOURCE_TOO_LARGE: return "TOO_LARGE";
	}
	return "?";
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
		exit(2);
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
			exit(2);
		}
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fprintf(stderr, "cannot close %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

/* Loads data[0..len) from memory and from a temp file; checks that both agree and returns
 * the in-memory result in *src / *err. line: the case's, for failures. */
static enum aa_source_status load(struct t *t, const char *data, size_t len, struct aa_source *src,
				  struct aa_source_error *err, int line)
{
	char *copy = aa_xmalloc(len ? len : 1);
	memcpy(copy, data, len);
	enum aa_source_status st = aa_source_from_bytes(src, copy, len, err);

	char path[320];
	snprintf(path, sizeof(path), "%s/case%d.py", t->dir, t->serial++);
	write_file(path, data, len);
	struct aa_source fsrc;
	struct aa_source_error ferr;
	enum aa_source_status fst = aa_source_load(&fsrc, path, &ferr);
	if (unlink(path) < 0) {
		fprintf(stderr, "cannot remove %s: %s\n", path, strerror(errno));
		exit(2);
	}

	bool same = fst == st && ferr.line == err->line && ferr.col == err->col && !strcmp(ferr.message, err->message);
	if (check_true_at(&t->c, __FILE__, line, same, "the same status from bytes and file",
			  "bytes: %s %u:%u \"%s\", file: %s %u:%u \"%s\"", status_name(st), err->line, err->col,
			  err->message, status_name(fst), ferr.line, ferr.col, ferr.message) &&
	    st == AA_SOURCE_OK) {
		same = fsrc.len == src->len && !memcmp(fsrc.text, src->text, src->len) &&
		       fsrc.n_lines == src->n_lines && fsrc.transcoded == src->transcoded &&
		       !memcmp(fsrc.line_starts, src->line_starts, src->n_lines * sizeof(uint32_t));
		check_true_at(&t->c, __FILE__, line, same, "the same source from bytes and file",
			      "the decoded sources differ");
	}
	aa_source_release(&fsrc);
	return st;
}

#define LOAD(t, lit, src, err) load((t), (lit), sizeof(lit) - 1, (src), (err), __LINE__)

/* Expects success with the given decoded text. */
static bool expect_ok(struct t *t, enum aa_source_status st, const struct aa_source *src,
		      const struct aa_source_error *err, const char *want, size_t want_len, int line)
{
	struct check *c = &t->c;
	if (!check_true_at(c, __FILE__, line, st == AA_SOURCE_OK, "status OK", "got %s %u:%u \"%s\"",
			   status_name(st), err->line, err->col, err->message))
		return false;
	check_true_at(c, __FILE__, line,
		      err->status == AA_SOURCE_OK && err->line == 1 && err->col == 1 && !err->message[0],
		      "err reset on success", "got %s %u:%u \"%s\"", status_name(err->status), err->line, err->col,
		      err->message);
	if (!check_true_at(c, __FILE__, line, src->len == want_len && !memcmp(src->text, want, want_len),
			   "the decoded text", "expected %zu bytes \"%.*s\", got %zu bytes \"%.*s\"", want_len,
			   (int)want_len, want, src->len, (int)src->len, src->text))
		return false;
	check_true_at(c, __FILE__, line, src->text[src->len] == '\0', "text NUL-terminated", "it is not");
	check_true_at(c, __FILE__, line, src->n_lines >= 1 && src->line_starts[0] == 0, "a line index",
		      "n_lines %u", src->n_lines);
	return true;
}

#define EXPECT_OK(t, st, src, err, lit) expect_ok((t), (st), (src), (err), (lit), sizeof(lit) - 1, __LINE__)

/* Expects failure want at line:col with message msg (NULL: any); at is the case's line. */
static void expect_fail(struct t *t, enum aa_source_status st, struct aa_source *src,
			const struct aa_source_error *err, enum aa_source_status want, uint32_t line,
			uint32_t col, const char *msg, int at)
{
	struct check *c = &t->c;
	check_true_at(c, __FILE__, at, st == want && err->status == want, "the status",
		      "expected %s, got %s (err.status %s) \"%s\"", status_name(want), status_name(st),
		      status_name(err->status), err->message);
	check_true_at(c, __FILE__, at, err->line == line && err->col == col, "the position",
		      "expected %u:%u, got %u:%u", line, col, err->line, err->col);
	if (msg)
		check_str_at(c, __FILE__, at, "message", msg, err->message);
	check_true_at(c, __FILE__, at,
		      !src->text && !src->line_starts && !src->len && !src->n_lines && !src->transcoded,
		      "src left empty on failure", "it is not");
	aa_source_release(src); /* safe on an empty source */
}

#define EXPECT_FAIL(t, lit, want, line, col, msg) do { \
	struct aa_source s_; \
	struct aa_source_error e_; \
	enum aa_source_status st_ = LOAD((t), lit, &s_, &e_); \
	expect_fail((t), st_, &s_, &e_, (want), (line), (col), (msg), __LINE__); \
} while (0)

static uint32_t offset_of(const struct aa_source *src, const char *needle)
{
	const char *p = strstr(src->text, needle);
	if (!p) {
		fprintf(stderr, "needle \"%s\" not in text\n", needle);
		exit(2);
	}
	return (uint32_t)(p - src->text);
}

static void test_bom(struct t *t)
{
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = LOAD(t, "\xEF\xBB\xBFx = 1\ny = 2\n", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "x = 1\ny = 2\n")) {
		CHECK_UINT(&t->c, "bom n_lines", 3, src.n_lines);
		CHECK_UINT(&t->c, "bom line_starts[1]", 6, src.line_starts[1]);
		CHECK_UINT(&t->c, "bom transcoded", 0, src.transcoded);
		CHECK_UINT(&t->c, "bom col of y", 1, aa_source_col(&src, 1, offset_of(&src, "y")));
	}
	aa_source_release(&src);

	/* BOM only. */
	st = LOAD(t, "\xEF\xBB\xBF", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, ""))
		CHECK_UINT(&t->c, "bom-only n_lines", 1, src.n_lines);
	aa_source_release(&src);

	/* BOM with a utf-8 declaration is fine; with anything else it is CPython's error. */
	st = LOAD(t, "\xEF\xBB\xBF# -*- coding: utf-8 -*-\n", &src, &err);
	EXPECT_OK(t, st, &src, &err, "# -*- coding: utf-8 -*-\n");
	aa_source_release(&src);
	EXPECT_FAIL(t, "\xEF\xBB\xBF# -*- coding: latin-1 -*-\nx = 1\n", AA_SOURCE_UNDECODABLE, 1, 1,
		    "encoding problem: 'latin-1' with a UTF-8 BOM");
	EXPECT_FAIL(t, "\xEF\xBB\xBF#!/usr/bin/python\n# coding=cp1252\n", AA_SOURCE_UNDECODABLE, 2, 1,
		    "encoding problem: 'cp1252' with a UTF-8 BOM");

	/* Positions after a BOM are relative to the text after it. */
	EXPECT_FAIL(t, "\xEF\xBB\xBFx = '\xff'\n", AA_SOURCE_UNDECODABLE, 1, 6, "invalid UTF-8 (byte 0xff)");
}

static void test_latin1(struct t *t)
{
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = LOAD(t, "# -*- coding: latin-1 -*-\ns = '\xe9'; t = 1\n", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "# -*- coding: latin-1 -*-\ns = '\xc3\xa9'; t = 1\n")) {
		CHECK_UINT(&t->c, "latin-1 transcoded", 1, src.transcoded);
		CHECK_UINT(&t->c, "latin-1 n_lines", 3, src.n_lines);
		uint32_t off = offset_of(&src, "t = 1");
		CHECK_UINT(&t->c, "latin-1 line of t", 1, aa_source_line_of(&src, off));
		/* s=1 ' '=2 '='=3 ' '=4 '\''=5 é=6 '\''=7 ';'=8 ' '=9 t=10 (byte column is 11) */
		CHECK_UINT(&t->c, "latin-1 col of t", 10, aa_source_col(&src, 1, off));
		CHECK_UINT(&t->c, "latin-1 line_len", 15, aa_source_line_len(&src, 1));
	}
	aa_source_release(&src);

	/* CPython's other spellings of latin-1 (normalised: lowercase, '_' -> '-'). */
	static const char *const names[] = { "latin_1", "ISO-8859-1", "iso_8859_1", "iso-latin-1",
					     "Latin-1-unix", "iso-8859-1-x", "ISO_LATIN_1_y", "latin1" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char buf[128];
		int n = snprintf(buf, sizeof(buf), "# coding: %s\nx = '\xe9\xff'\n", names[i]);
		st = load(t, buf, (size_t)n, &src, &err, __LINE__);
		char want[128];
		int wn = snprintf(want, sizeof(want), "# coding: %s\nx = '\xc3\xa9\xc3\xbf'\n", names[i]);
		if (!expect_ok(t, st, &src, &err, want, (size_t)wn, __LINE__))
			CHECK_FAIL(&t->c, "latin-1 alias %s: expected it decoded, got the failure above", names[i]);
		else
			CHECK_UINT(&t->c, names[i], 1, src.transcoded);
		aa_source_release(&src);
	}

	/* A NUL is still refused after transcoding, at its code-point column. */
	EXPECT_FAIL(t, "# coding: latin-1\n\xe9\xe9\0\n", AA_SOURCE_UNDECODABLE, 2, 3, "source contains NUL bytes");
}

static void test_cp1252(struct t *t)
{
	struct aa_source src;
	struct aa_source_error err;
	/* 0x80 is the euro sign in cp1252: one byte becomes three. */
	enum aa_source_status st = LOAD(t, "# vim: set fileencoding=cp1252 :\nx = '\x80'; y\n", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "# vim: set fileencoding=cp1252 :\nx = '\xe2\x82\xac'; y\n")) {
		CHECK_UINT(&t->c, "cp1252 transcoded", 1, src.transcoded);
		CHECK_UINT(&t->c, "cp1252 col of y", 10, aa_source_col(&src, 1, offset_of(&src, "y\n")));
	}
	aa_source_release(&src);

	/* 0x81 is undefined in cp1252: a conversion failure at its line and column. */
	EXPECT_FAIL(t, "# vim: set fileencoding=cp1252 :\nx = 1\ny = '\x80\x81'\n", AA_SOURCE_UNDECODABLE, 3, 7,
		    "cannot decode byte 0x81 as 'cp1252'");
}

static void test_declaration_lines(struct t *t)
{
	struct aa_source src;
	struct aa_source_error err;
	/* Line 2 after a shebang. */
	enum aa_source_status st = LOAD(t, "#!/usr/bin/env python\n# coding: latin-1\nx = '\xe9'\n", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "#!/usr/bin/env python\n# coding: latin-1\nx = '\xc3\xa9'\n"))
		CHECK_UINT(&t->c, "line-2 transcoded", 1, src.transcoded);
	aa_source_release(&src);

	/* future-fstrings' codec reads UTF-8: the text is taken as it is, both spellings. */
	st = LOAD(t, "# -*- coding: future_fstrings -*-\nx = f'\xc3\xa9{1}'\n", &src, &err);
	EXPECT_OK(t, st, &src, &err, "# -*- coding: future_fstrings -*-\nx = f'\xc3\xa9{1}'\n");
	aa_source_release(&src);
	st = LOAD(t, "# coding: future-fstrings\nx = 1\n", &src, &err);
	EXPECT_OK(t, st, &src, &err, "# coding: future-fstrings\nx = 1\n");
	aa_source_release(&src);

	/* Line 2 after a blank line, with CRLF and with a lone CR ending line 1. */
	st = LOAD(t, "  \r\n# coding=latin-1\r\nx = '\xe9'\r\n", &src, &err);
	EXPECT_OK(t, st, &src, &err, "  \r\n# coding=latin-1\r\nx = '\xc3\xa9'\r\n");
	aa_source_release(&src);
	st = LOAD(t, "#!/bin/python\r# coding=latin-1\rx = '\xe9'\r", &src, &err);
	EXPECT_OK(t, st, &src, &err, "#!/bin/python\n# coding=latin-1\nx = '\xc3\xa9'\n");
	aa_source_release(&src);

	/* Line 3 is ignored: the é is then invalid UTF-8. */
	EXPECT_FAIL(t, "#!/usr/bin/env python\n\n# coding: latin-1\nx = '\xe9'\n", AA_SOURCE_UNDECODABLE, 4, 6,
		    "invalid UTF-8 (byte 0xe9)");
	/* Line 2 is ignored when line 1 is code. */
	EXPECT_FAIL(t, "import os\n# coding: latin-1\nx = '\xe9'\n", AA_SOURCE_UNDECODABLE, 3, 6,
		    "invalid UTF-8 (byte 0xe9)");
	/* A trailing comment on a code line is no declaration. */
	EXPECT_FAIL(t, "x = '\xe9'  # coding: latin-1\n", AA_SOURCE_UNDECODABLE, 1, 6, "invalid UTF-8 (byte 0xe9)");
	/* The lazy .*? finds the first "coding:" that is followed by a name. */
	st = LOAD(t, "# coding: # coding=latin-1\n\xe9\n", &src, &err);
	EXPECT_OK(t, st, &src, &err, "# coding: # coding=latin-1\n\xc3\xa9\n");
	aa_source_release(&src);
	/* Leading whitespace and form feed before '#' are allowed. */
	st = LOAD(t, " \t\f# encoding: latin-1\n\xe9\n", &src, &err);
	EXPECT_OK(t, st, &src, &err, " \t\f# encoding: latin-1\n\xc3\xa9\n");
	aa_source_release(&src);

	/* utf-8 spellings need no transcoding, and invalid bytes stay invalid. */
	static const char *const utf8[] = { "utf-8", "UTF-8", "utf_8", "utf8", "UTF8", "utf-8-sig", "utf_8_unix" };
	for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		char buf[128];
		int n = snprintf(buf, sizeof(buf), "# coding: %s\nx = '\xc3\xa9'\n", utf8[i]);
		st = load(t, buf, (size_t)n, &src, &err, __LINE__);
		if (!expect_ok(t, st, &src, &err, buf, (size_t)n, __LINE__))
			CHECK_FAIL(&t->c, "utf-8 alias %s: expected it decoded, got the failure above", utf8[i]);
		else
			CHECK_UINT(&t->c, utf8[i], 0, src.transcoded);
		aa_source_release(&src);
		n = snprintf(buf, sizeof(buf), "# coding: %s\nx = '\xe9'\n", utf8[i]);
		st = load(t, buf, (size_t)n, &src, &err, __LINE__);
		expect_fail(t, st, &src, &err, AA_SOURCE_UNDECODABLE, 2, 6, "invalid UTF-8 (byte 0xe9)", __LINE__);
	}
}

static void test_unknown_encoding(struct t *t)
{
	EXPECT_FAIL(t, "# -*- coding: no-such-codec -*-\nx = 1\n", AA_SOURCE_UNDECODABLE, 1, 1,
		    "unknown encoding 'no-such-codec'");
	EXPECT_FAIL(t, "#!/bin/sh\n# coding: Bogus_Enc.9\n", AA_SOURCE_UNDECODABLE, 1, 1,
		    "unknown encoding 'Bogus_Enc.9'");
}

/* PEP 263 reads the declaration as ASCII: an encoding that does not read those bytes as
 * themselves (UTF-16, UTF-32, EBCDIC) would turn the file into other text. */
static void test_ascii_incompatible(struct t *t)
{
	/* An even length decodes to CJK text without an error. */
	EXPECT_FAIL(t, "# coding: utf-16\nx = 12\n", AA_SOURCE_UNDECODABLE, 1, 1,
		    "encoding problem: 'utf-16' is not ASCII-compatible");
	EXPECT_FAIL(t, "# coding: utf-16\nx = 1\n", AA_SOURCE_UNDECODABLE, 1, 1,
		    "encoding problem: 'utf-16' is not ASCII-compatible");
	EXPECT_FAIL(t, "#!/usr/bin/env python\n# -*- coding: utf-32 -*-\nx = 1\n", AA_SOURCE_UNDECODABLE, 2, 1,
		    "encoding problem: 'utf-32' is not ASCII-compatible");
	EXPECT_FAIL(t, "# coding: cp037\nx = 1\n", AA_SOURCE_UNDECODABLE, 1, 1,
		    "encoding problem: 'cp037' is not ASCII-compatible");
	/* Text that is not ASCII on the declaration's lines is still fine. */
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = LOAD(t, "# caf\xe9 coding: latin-1 \xe9\nx = '\xe9'\n", &src, &err);
	EXPECT_OK(t, st, &src, &err, "# caf\xc3\xa9 coding: latin-1 \xc3\xa9\nx = '\xc3\xa9'\n");
	aa_source_release(&src);
}

static void test_nul(struct t *t)
{
	EXPECT_FAIL(t, "x = 1\nab\0c\n", AA_SOURCE_UNDECODABLE, 2, 3, "source contains NUL bytes");
	EXPECT_FAIL(t, "\0", AA_SOURCE_UNDECODABLE, 1, 1, "source contains NUL bytes");
	/* Column in code points; a lone CR before counts as a line end. */
	EXPECT_FAIL(t, "a\rb\r\n\xc3\xa9\xe2\x82\xac\0", AA_SOURCE_UNDECODABLE, 3, 3, "source contains NUL bytes");
	/* The first of several. */
	EXPECT_FAIL(t, "a\n\nxyz\0\0\n\0", AA_SOURCE_UNDECODABLE, 3, 4, "source contains NUL bytes");
}

static void test_invalid_utf8(struct t *t)
{
	EXPECT_FAIL(t, "a = 1\nb = '\xff'\n", AA_SOURCE_UNDECODABLE, 2, 6, "invalid UTF-8 (byte 0xff)");
	EXPECT_FAIL(t, "\xc3\xa9\xf0\x9f\x98\x80\x80", AA_SOURCE_UNDECODABLE, 1, 3, "invalid UTF-8 (byte 0x80)");
	/* Overlongs. */
	EXPECT_FAIL(t, "x\xc0\xaf", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xc0)");
	EXPECT_FAIL(t, "x\xc1\xbf", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xc1)");
	EXPECT_FAIL(t, "x\xe0\x80\xaf", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xe0)");
	EXPECT_FAIL(t, "x\xf0\x80\x80\xaf", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xf0)");
	/* Surrogates. */
	EXPECT_FAIL(t, "x\xed\xa0\x80", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xed)");
	EXPECT_FAIL(t, "x\xed\xbf\xbf", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xed)");
	/* Above U+10FFFF. */
	EXPECT_FAIL(t, "x\xf4\x90\x80\x80", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xf4)");
	EXPECT_FAIL(t, "x\xf5\x80\x80\x80", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xf5)");
	/* Missing continuation in the middle. */
	EXPECT_FAIL(t, "x\xe2\x82zz\n", AA_SOURCE_UNDECODABLE, 1, 2, "invalid UTF-8 (byte 0xe2)");
	/* Truncated 4-byte sequence at EOF. */
	EXPECT_FAIL(t, "x = 1\ny = '\xf0\x9f\x98", AA_SOURCE_UNDECODABLE, 2, 6, "invalid UTF-8 (byte 0xf0)");
	/* An invalid byte after a run that fills whole 8-byte words, and inside one. */
	EXPECT_FAIL(t, "0123456789abcdef\n01234567\xff", AA_SOURCE_UNDECODABLE, 2, 9, "invalid UTF-8 (byte 0xff)");
	EXPECT_FAIL(t, "012\xff" "4567", AA_SOURCE_UNDECODABLE, 1, 4, "invalid UTF-8 (byte 0xff)");

	/* The boundaries that are valid. */
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = LOAD(t, "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
					"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
			       "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf")) {
		CHECK_UINT(&t->c, "col at end of 8 code points", 9, aa_source_col(&src, 0, (uint32_t)src.len));
		/* Offsets inside a sequence count as its code point. */
		CHECK_UINT(&t->c, "col inside 2nd byte", 1, aa_source_col(&src, 0, 1));
		CHECK_UINT(&t->c, "col inside 4-byte seq", 7, aa_source_col(&src, 0, 19));
		CHECK_UINT(&t->c, "col at 4-byte seq", 7, aa_source_col(&src, 0, 16));
	}
	aa_source_release(&src);
}

static void test_line_ends(struct t *t)
{
	struct aa_source src;
	struct aa_source_error err;

	/* CRLF is kept; line_len excludes it. */
	enum aa_source_status st = LOAD(t, "ab\r\nc\r\n", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "ab\r\nc\r\n")) {
		CHECK_UINT(&t->c, "crlf n_lines", 3, src.n_lines);
		CHECK_UINT(&t->c, "crlf line_starts[1]", 4, src.line_starts[1]);
		CHECK_UINT(&t->c, "crlf line_starts[2]", 7, src.line_starts[2]);
		CHECK_UINT(&t->c, "crlf line_len 0", 2, aa_source_line_len(&src, 0));
		CHECK_UINT(&t->c, "crlf line_len 1", 1, aa_source_line_len(&src, 1));
		CHECK_UINT(&t->c, "crlf line_len 2", 0, aa_source_line_len(&src, 2));
		CHECK_UINT(&t->c, "crlf line_of CR", 0, aa_source_line_of(&src, 2));
		CHECK_UINT(&t->c, "crlf line_of LF", 0, aa_source_line_of(&src, 3));
	}
	aa_source_release(&src);

	/* Lone CR becomes LF in place: same length, same offsets. */
	st = LOAD(t, "a\rbc\rd\r", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "a\nbc\nd\n")) {
		CHECK_UINT(&t->c, "cr n_lines", 4, src.n_lines);
		CHECK_UINT(&t->c, "cr line_starts[1]", 2, src.line_starts[1]);
		CHECK_UINT(&t->c, "cr line_starts[2]", 5, src.line_starts[2]);
		CHECK_UINT(&t->c, "cr line_starts[3]", 7, src.line_starts[3]);
		CHECK_UINT(&t->c, "cr line_len 1", 2, aa_source_line_len(&src, 1));
	}
	aa_source_release(&src);

	/* Mixed: LF, CRLF, lone CR, CR CR LF, empty CRLF line. */
	st = LOAD(t, "a\nb\r\nc\rd\r\r\n\r\ne", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "a\nb\r\nc\nd\n\r\n\r\ne")) {
		static const uint32_t starts[] = { 0, 2, 5, 7, 9, 11, 13 };
		static const uint32_t lens[] = { 1, 1, 1, 1, 0, 0, 1 };
		CHECK_UINT(&t->c, "mixed n_lines", 7, src.n_lines);
		for (uint32_t i = 0; i < 7 && i < src.n_lines; i++) {
			char what[64];
			snprintf(what, sizeof(what), "mixed line_starts[%u]", i);
			CHECK_UINT(&t->c, what, starts[i], src.line_starts[i]);
			snprintf(what, sizeof(what), "mixed line_len(%u)", i);
			CHECK_UINT(&t->c, what, lens[i], aa_source_line_len(&src, i));
			snprintf(what, sizeof(what), "mixed line_of(start of %u)", i);
			CHECK_UINT(&t->c, what, i, aa_source_line_of(&src, starts[i]));
		}
	}
	aa_source_release(&src);
}

static void test_shapes(struct t *t)
{
	struct aa_source src;
	struct aa_source_error err;

	/* Empty file. */
	enum aa_source_status st = LOAD(t, "", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "")) {
		CHECK_UINT(&t->c, "empty n_lines", 1, src.n_lines);
		CHECK_UINT(&t->c, "empty line_of(0)", 0, aa_source_line_of(&src, 0));
		CHECK_UINT(&t->c, "empty line_len(0)", 0, aa_source_line_len(&src, 0));
		CHECK_UINT(&t->c, "empty col", 1, aa_source_col(&src, 0, 0));
	}
	aa_source_release(&src);

	/* No trailing newline. */
	st = LOAD(t, "ab\ncd", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "ab\ncd")) {
		CHECK_UINT(&t->c, "no-nl n_lines", 2, src.n_lines);
		CHECK_UINT(&t->c, "no-nl line_len(1)", 2, aa_source_line_len(&src, 1));
		CHECK_UINT(&t->c, "no-nl line_of(len)", 1, aa_source_line_of(&src, 5));
		CHECK_UINT(&t->c, "no-nl col(len)", 3, aa_source_col(&src, 1, 5));
	}
	aa_source_release(&src);

	/* line_of at 0, len and on both sides of each boundary. */
	st = LOAD(t, "ab\ncd\n\nef\n", &src, &err);
	if (EXPECT_OK(t, st, &src, &err, "ab\ncd\n\nef\n")) {
		static const uint32_t offs[] = { 0, 1, 2, 3, 5, 6, 7, 9, 10 };
		static const uint32_t want[] = { 0, 0, 0, 1, 1, 2, 3, 3, 4 };
		CHECK_UINT(&t->c, "bounds n_lines", 5, src.n_lines);
		for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
			char what[64];
			snprintf(what, sizeof(what), "line_of(%u)", offs[i]);
			CHECK_UINT(&t->c, what, want[i], aa_source_line_of(&src, offs[i]));
		}
		CHECK_UINT(&t->c, "bounds line_len(2)", 0, aa_source_line_len(&src, 2));
		CHECK_UINT(&t->c, "bounds line_len(4)", 0, aa_source_line_len(&src, 4));
		CHECK_UINT(&t->c, "col at '\\n'", 3, aa_source_col(&src, 0, 2));
		CHECK_UINT(&t->c, "col at len", 1, aa_source_col(&src, 4, 10));
	}
	aa_source_release(&src);
}

static void test_big(struct t *t)
{
	/* A 10 MB single line, ending in two multi-byte code points. */
	size_t n = 10u * 1024 * 1024;
	char *big = aa_xmalloc(n + 16);
	memcpy(big, "x = '", 5);
	memset(big + 5, 'a', n - 5);
	memcpy(big + n, "\xc3\xa9\xe2\x82\xac'", 6);
	size_t len = n + 6;
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = load(t, big, len, &src, &err, __LINE__);
	if (expect_ok(t, st, &src, &err, big, len, __LINE__)) {
		CHECK_UINT(&t->c, "big n_lines", 1, src.n_lines);
		CHECK_UINT(&t->c, "big line_len", len, aa_source_line_len(&src, 0));
		CHECK_UINT(&t->c, "big line_of(len)", 0, aa_source_line_of(&src, (uint32_t)len));
		CHECK_UINT(&t->c, "big col of quote", n + 3, aa_source_col(&src, 0, (uint32_t)len - 1));
	}
	aa_source_release(&src);

	/* Many lines, one bad byte deep inside: the fast path must not skip it. */
	size_t lines = 100000, width = 100;
	char *many = aa_xmalloc(lines * width);
	for (size_t i = 0; i < lines; i++) {
		memset(many + i * width, 'b', width - 1);
		many[i * width + width - 1] = '\n';
	}
	many[77777 * width + 41] = (char)0xfe;
	st = load(t, many, lines * width, &src, &err, __LINE__);
	expect_fail(t, st, &src, &err, AA_SOURCE_UNDECODABLE, 77778, 42, "invalid UTF-8 (byte 0xfe)", __LINE__);
	many[77777 * width + 41] = 'b';
	many[88888 * width + 3] = '\0';
	st = load(t, many, lines * width, &src, &err, __LINE__);
	expect_fail(t, st, &src, &err, AA_SOURCE_UNDECODABLE, 88889, 4, "source contains NUL bytes", __LINE__);
	free(many);
	free(big);
}

/* Columns on long lines of 1- to 4-byte code points (cp_marks' blocks, their edges, text
 * before and after them), against a count of lead bytes from the line's start; and the
 * window an excerpt keeps of such a line. */
static void test_long_columns(struct t *t)
{
	static const char *const cps[] = { "a", "\xc5\xbc", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\t" };
	struct aa_buf text = AA_BUF_INIT;
	aa_buf_adds(&text, "# \xc3\xa9\n");
	/* Pseudo-random, so that any window of the line is found once in it. */
	uint32_t seed = 10;
	for (unsigned i = 0; i < 3000; i++) {
		seed = seed * 1103515245u + 12345u;
		aa_buf_adds(&text, cps[(seed >> 16) % 5]);
	}
	aa_buf_adds(&text, "\nx\xc3\xa9y\n");
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = load(t, text.data, text.len, &src, &err, __LINE__);
	aa_buf_release(&text);
	char *copy = NULL;
	if (st == AA_SOURCE_OK && src.n_lines == 4) {
		copy = src.text;
		for (uint32_t line = 0; line < 3; line++) {
			uint32_t start = src.line_starts[line], want = 0;
			for (uint32_t off = start; off <= start + aa_source_line_len(&src, line); off++) {
				want += ((unsigned char)copy[off] & 0xC0) != 0x80;
				if (aa_source_col(&src, line, off) != want) {
					CHECK_FAIL(&t->c, "long col of line %u offset %u: expected %u, got %u", line,
						   off, want, aa_source_col(&src, line, off));
					line = 3;
					break;
				}
			}
		}
		uint32_t line1 = src.line_starts[1], len1 = aa_source_line_len(&src, 1);
		for (uint32_t anchor = line1; anchor < line1 + len1; anchor += 97) {
			struct aa_excerpt e = aa_excerpt_of(&src, anchor);
			const char *at = strstr(copy + line1, e.text);
			CHECK(&t->c, strlen(e.text) <= AA_EXCERPT_WINDOW && at && at <= copy + anchor &&
				     copy + anchor < at + strlen(e.text),
			      "excerpt at %u: a window of at most %d bytes holding the anchor", anchor,
			      AA_EXCERPT_WINDOW);
			if (at)
				CHECK_UINT(&t->c, "excerpt from", aa_source_col(&src, 1, (uint32_t)(at - copy)) - 1,
					   e.from);
			bool cut = at && at + strlen(e.text) < copy + line1 + len1;
			CHECK(&t->c, e.cut == cut, "excerpt at %u: cut", anchor);
			aa_excerpt_release(&e);
		}
		struct aa_excerpt whole = aa_excerpt_of(&src, src.line_starts[2] + 2);
		CHECK(&t->c, !strcmp(whole.text, "x\xc3\xa9y") && !whole.from && !whole.cut,
		      "short line: expected the whole line, got \"%s\" from %u", whole.text, whole.from);
		aa_excerpt_release(&whole);
	} else {
		CHECK_FAIL(&t->c, "long lines: expected 4 lines, status %s", status_name(st));
	}
	aa_source_release(&src);
}

static void test_unreadable(struct t *t)
{
	struct aa_source src;
	struct aa_source_error err;
	char path[320];

	snprintf(path, sizeof(path), "%s/does-not-exist.py", t->dir);
	enum aa_source_status st = aa_source_load(&src, path, &err);
	expect_fail(t, st, &src, &err, AA_SOURCE_UNREADABLE, 1, 1, NULL, __LINE__);
	CHECK(&t->c, strstr(err.message, "No such file or directory") != NULL,
	      "nonexistent: expected the errno text, got \"%s\"", err.message);

	/* A directory (open succeeds on Linux; fstat refuses it). */
	st = aa_source_load(&src, t->dir, &err);
	expect_fail(t, st, &src, &err, AA_SOURCE_UNREADABLE, 1, 1, "is a directory", __LINE__);

	/* A FIFO without a writer must neither block nor be read. */
	snprintf(path, sizeof(path), "%s/fifo.py", t->dir);
	if (mkfifo(path, 0600) < 0) {
		CHECK_FAIL(&t->c, "mkfifo %s: expected success, got %s", path, strerror(errno));
	} else {
		st = aa_source_load(&src, path, &err);
		expect_fail(t, st, &src, &err, AA_SOURCE_UNREADABLE, 1, 1, "not a regular file", __LINE__);
		CHECK(&t->c, unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
	}
}

static void test_too_large(struct t *t)
{
	/* A sparse file of 2^31 bytes: refused from its size, without reading it. */
	char path[320];
	snprintf(path, sizeof(path), "%s/huge.py", t->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)1 << 31) < 0) {
		fprintf(stderr, "skipping the too-large case: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(path);
		return;
	}
	close(fd);
	struct aa_source src;
	struct aa_source_error err;
	enum aa_source_status st = aa_source_load(&src, path, &err);
	expect_fail(t, st, &src, &err, AA_SOURCE_TOO_LARGE, 1, 1, NULL, __LINE__);
	CHECK(&t->c, unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
}

int main(void)
{
	struct t t = { .c = CHECK_INIT("source_test") };
	const char *tmp = getenv("TMPDIR");
	snprintf(t.dir, sizeof(t.dir), "%s/aa-source-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t.dir)) {
		fprintf(stderr, "mkdtemp %s: %s\n", t.dir, strerror(errno));
		return 2;
	}
	test_bom(&t);
	test_latin1(&t);
	test_cp1252(&t);
	test_declaration_lines(&t);
	test_unknown_encoding(&t);
	test_ascii_incompatible(&t);
	test_nul(&t);
	test_invalid_utf8(&t);
	test_line_ends(&t);
	test_shapes(&t);
	test_big(&t);
	test_long_columns(&t);
	test_unreadable(&t);
	test_too_large(&t);
	CHECK(&t.c, rmdir(t.dir) == 0, "rmdir %s: %s (a case left a file behind?)", t.dir, strerror(errno));
	return check_done(&t.c);
}
