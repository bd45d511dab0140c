/*
 * fixer.h: --fix, --diff and --add-noqa over the findings of a run.
 *
 * Fixing a file (Ruff's fix loop): the fixes its findings carry (analyzer/base/edit.h)
 * that the options allow (safe ones; unsafe ones too with `unsafe`) are chosen so that
 * none overlaps another (analyzer/fix/rewrite.h), applied to the file's bytes, and the
 * result is analyzed again (as its own project, analyzer/engine/run.h) for the fixes
 * that were left out or that the first ones made possible, until no fix applies or
 * AA_FIXER_MAX_ROUNDS rounds have run. The file is then rewritten once (rewrite.h:
 * atomically, encoding, BOM and line ends kept), or its diff printed (--diff), or the
 * fixed bytes handed back (standard input). A file that is fixed already gives no fix:
 * a second --fix changes nothing.
 *
 * --add-noqa writes `# noqa: CODE` on the line of each finding (the line the finding's
 * suppression reads, analyzer/check/noqa.h: its anchor's line, or the last line of the
 * multi-line string it is inside), merged into a `# noqa: X` comment already there, after
 * any other comment, before the line end; a second run adds nothing. The pipeline's own
 * findings (a syntax error, an unreadable file) get none.
 *
 * Nothing here exits but on memory (xalloc.h); a file that cannot be read or rewritten
 * is counted in errors, with a message on stderr, and the others go on.
 */
#ifndef AA_FIXER_H
#define AA_FIXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analyzer/check/diag.h"
#include "analyzer/engine/analyze.h"

#define AA_FIXER_MAX_ROUNDS 10

struct aa_fixer_opts {
	bool unsafe;    /* --unsafe-fixes: apply AA_FIX_UNSAFE fixes too */
	FILE *diff;     /* --diff: print a unified diff here and write nothing; NULL writes */
};

struct aa_fixer_stats {
	size_t fixes;   /* fixes applied (with --diff: that would be); noqa comments added or extended */
	size_t files;   /* files changed (that would be) */
	size_t errors;  /* files that could not be read, decoded or rewritten (stderr says why) */
};

/* Fixes the files that diags (the run's findings, sorted: analyzer/check/diag.h) are in,
 * each under its display path, which names it from the working directory. engine is
 * the run's (its rules and options; borrowed). stats need not be initialised. */
void aa_fixer_files(const struct aa_engine *engine, const struct aa_diag_list *diags, const struct aa_fixer_opts *opts,
		    struct aa_fixer_stats *stats);

/* The same for one file's bytes raw[0..len) (standard input) reported as name, whose
 * findings are diags: *out (malloc'd, caller frees) and *out_len get the fixed bytes
 * (the same bytes when nothing applies); with opts->diff set, the diff is printed too. */
void aa_fixer_bytes(const struct aa_engine *engine, const char *name, const char *raw, size_t len,
		    const struct aa_diag_list *diags, const struct aa_fixer_opts *opts, char **out, size_t *out_len,
		    struct aa_fixer_stats *stats);

/* --add-noqa: adds the comments for diags (sorted) to their files, rewritten as --fix
 * rewrites them. engine gives the parser's grammar. */
void aa_fixer_add_noqa(const struct aa_engine *engine, const struct aa_diag_list *diags, struct aa_fixer_stats *stats);

/* --add-noqa's edit for the one finding d, made on the source text[0..len) (an editor's
 * buffer; borrowed): the fix (one edit, its span filled in) that adds d's code where
 * --add-noqa would, parsed with parser (borrowed; the grammar of syms). NULL when the
 * comment there names the code already, when d is one of the pipeline's own findings,
 * or when the text does not decode or parse. Caller frees with aa_fix_free. */
struct aa_fix *aa_fixer_noqa_fix(const struct aa_syms *syms, TSParser *parser, const char *text, size_t len,
				 const struct aa_diag *d);

#endif
