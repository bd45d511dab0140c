/*
 * noqa.h: suppression comments of one file.
 *
 *   x()  # noqa                    every finding anchored on this line
 *   x()  # noqa: AA101, blocking-sleep, ASYNC251
 *   # async-analyzer: noqa         (a comment alone on its line) the whole file
 *   # async-analyzer: noqa: AA101, AA104   (alone on its line, anywhere) these codes in
 *                                  the whole file, as `# ruff: noqa: F401`; without a
 *                                  code it is no directive
 *
 * The directives of the peers, so that a codebase that already uses Ruff or flake8-async
 * needs no new comment (each code or name is matched as below: `asyncio-dangling-task`
 * names RUF006, an equivalent of AA203; peer_names.h):
 *
 *   x()  # ruff: ignore[ASYNC251]  that line, as `# noqa: ASYNC251`
 *   # ruff: ignore[RUF006]         (alone on its line) the statement below it: all of a
 *                                  simple statement's lines, a compound statement's
 *                                  header; inside a statement, the next line only
 *   # ruff: file-ignore[...]       (alone on its line) the whole file, for those codes
 *   # ruff: disable[...]           (alone on its line) from there to the matching
 *   # ruff: enable[...]            enable (same indentation, same first code), else to the
 *                                  end of the block it is indented in
 *   # ruff: noqa: codes / # flake8: noqa: codes   (alone on its line) the whole file
 *   # ruff: noqa / # flake8: noqa  (alone on its line) the whole file, every rule: the
 *                                  peers skip such a file entirely, so do we
 *
 * "noqa" is matched case-insensitively after '#' and optional spaces, anywhere in a
 * comment ("# type: ignore  # noqa: AA101"). Codes are separated by commas and/or
 * spaces; the list ends at the first token that is not a code or name. "# noqa:" with
 * no code is a blanket noqa, as Ruff and flake8 read it. A code suppresses a rule when
 * it is the rule's code, its name, or one of its peer equivalents.
 *
 * Use is recorded: each line directive, and each code of one, says whether it
 * suppressed a finding (or vouched for a line, context.h's aa_ctx_vouched) in this run,
 * for the rules that audit the comments themselves (audit.h). A file's noqa is used by
 * one thread at a time: the worker that analyzes the file, then the main thread.
 *
 * A statement written over several lines is one line to suppression, as in Ruff: a
 * finding on a line inside a multi-line string (or f-string) is also suppressed by a
 * comment on the line where the string ends, and one on a backslash-continued line by a
 * comment on the line the continuation ends on (a comment cannot go on the first kind of
 * line, nor after the backslash). --add-noqa writes there (analyzer/fix/fixer.h).
 */
#ifndef AA_NOQA_H
#define AA_NOQA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/check/diag.h"
#include "analyzer/input/source.h"
#include "parsers/python/parse.h"
#include "parsers/python/syms.h"

struct aa_rule;

struct aa_noqa_code {
	uint32_t start, len; /* into text */
	bool used;           /* it suppressed a finding (the first code naming the rule does) */
	bool kept;           /* used, as aa_noqa_keep_marks found it */
};

struct aa_noqa_line {
	uint32_t line;       /* 1-based; 0 in file_codes */
	bool all;
	uint32_t first_code; /* index into codes */
	uint32_t n_codes;
	/* Line directives only: where the directive is, from its '#' to the end of its
	 * codes (or of the word noqa), in 1-based code-point columns, end exclusive; the
	 * source line holding it, into text (without its line end); whether a blanket
	 * directive suppressed something. */
	uint32_t col, end_col;
	uint32_t line_start, line_len;
	bool used;
	bool kept;           /* used, as aa_noqa_keep_marks found it */
};

/* A peer's directive alone on its line whose extent needs the tree (noqa.c). */
enum aa_noqa_pending_kind { AA_NOQA_NEXT_STATEMENT, AA_NOQA_DISABLE, AA_NOQA_ENABLE };
struct aa_noqa_pending {
	enum aa_noqa_pending_kind kind;
	uint32_t line, indent;        /* 1-based line; the '#' column, in bytes */
	uint32_t first_code, n_codes; /* into codes */
};

/* Lines [from, to] (1-based, inclusive) where the codes of `codes` suppress. */
struct aa_noqa_range {
	uint32_t from, to;
	struct aa_noqa_line codes;    /* only first_code and n_codes are set */
};

struct aa_noqa {
	struct aa_noqa_line *lines; /* owned; in increasing line order */
	size_t n_lines, lines_cap;
	struct aa_noqa_code *codes; /* owned */
	size_t n_codes, codes_cap;
	/* owned; the codes' text, copied: a file's noqa outlives its source, since findings
	 * of the cross-file rules are suppressed when they are reported */
	char *text;
	size_t text_len, text_cap;
	bool whole_file;
	/* owned; the file-wide code lists (`# async-analyzer: noqa: AA101`), in file order */
	struct aa_noqa_line *file_codes;
	size_t n_file_codes, file_codes_cap;
	/* owned; the peers' directives that wait for aa_noqa_add_line_maps, in file order */
	struct aa_noqa_pending *pending;
	size_t n_pending, pending_cap;
	/* owned; what aa_noqa_add_line_maps made of them, by increasing from */
	struct aa_noqa_range *ranges;
	size_t n_ranges, ranges_cap;
	uint32_t ranges_end;          /* the last line a range covers */
	/* owned; per rule asked about, the lines (a bit each, 1-based) its ranges cover:
	 * made on first use, so that a lookup is O(1) however the ranges nest. Ranges keep
	 * no use marks: unused-noqa judges line directives only. */
	struct aa_noqa_cover {
		const struct aa_rule *rule; /* borrowed */
		unsigned char *bits;        /* owned; ranges_end + 1 bits */
	} *covers;
	size_t n_covers, covers_cap;
	/* owned; lines [from, to) read the comments of line `to` too; by increasing from,
	 * not overlapping (aa_noqa_add_line_maps) */
	struct aa_noqa_map {
		uint32_t from, to;
	} *maps;
	size_t n_maps, maps_cap;
};

/* Makes noqa empty (nothing suppressed); allocates nothing. */
void aa_noqa_init(struct aa_noqa *noqa);
/* Frees what noqa owns and leaves it empty. */
void aa_noqa_release(struct aa_noqa *noqa);

/* Reads one comment, line_text[start..start+len) (it starts with '#'), of the source
 * line line_text[0..line_len) (no terminator needed; what a directive needs is copied,
 * nothing else is kept), the 1-based `line`. A comment that only blanks precede is on
 * a line of its own. Comments must be added in increasing line order. Allocation
 * failure exits (xalloc.h). */
void aa_noqa_add_comment(struct aa_noqa *noqa, const char *line_text, uint32_t line_len, uint32_t start,
			 uint32_t len, uint32_t line);

/* True when the file's directives need aa_noqa_add_line_maps (most files have none). */
bool aa_noqa_needs_maps(const struct aa_noqa *noqa);

/* Adds the line maps of the file src parsed into parsed (multi-line strings, backslash
 * continuations; see the top of this header) and the lines the peers' own-line
 * directives cover, once per file, before findings are pushed. Walks only the nodes
 * that span lines. */
void aa_noqa_add_line_maps(struct aa_noqa *noqa, const struct aa_syms *syms, const struct aa_source *src,
			   const struct aa_parsed *parsed);

/* The 1-based line whose comment a finding anchored on 1-based `line` is suppressed by
 * besides its own: the last line of the multi-line construct it is in, or line. */
uint32_t aa_noqa_line_for(const struct aa_noqa *noqa, uint32_t line);

/* True when a finding of rule anchored on 1-based `line` is suppressed; records the use
 * on the directive that suppresses it (the line's first, else the file's). */
bool aa_noqa_suppresses(struct aa_noqa *noqa, uint32_t line, const struct aa_rule *rule);

/* Keeps the uses recorded so far (by the file's own analysis: its findings, the calls
 * it vouched for) as those every later link of the file starts from. A project links an
 * unchanged file's noqa again at each run (engine/project.h), and the uses one link
 * records (a cross-file finding since gone) must not count in the next. */
void aa_noqa_keep_marks(struct aa_noqa *noqa);
/* Forgets the uses recorded since aa_noqa_keep_marks: back to those it kept. */
void aa_noqa_restore_marks(struct aa_noqa *noqa);

/* True when code c (of noqa) is s (NUL-terminated), compared case-insensitively. */
bool aa_noqa_code_is(const struct aa_noqa *noqa, const struct aa_noqa_code *c, const char *s);

/* The one suppression point: every finding, of a check or of a cross-file analysis,
 * reaches the finding list through here. Appends *d to list (which takes over its
 * members), or releases them when noqa (the comments of the file d is anchored in; NULL
 * when it has none) suppresses d->rule on d->span.line. */
void aa_noqa_push(struct aa_noqa *noqa, struct aa_diag_list *list, struct aa_diag *d);

/* The same for a finding about the suppression comments themselves (an audit, audit.h):
 * a blanket `# noqa` on its line does not suppress it, since it would hide the verdict
 * on itself; a directive or file-wide list naming the rule does, and so does a
 * whole-file noqa. */
void aa_noqa_push_verdict(struct aa_noqa *noqa, struct aa_diag_list *list, struct aa_diag *d);

#endif
