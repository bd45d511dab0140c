/*
 * parse.h: one file's source to syntax trees.
 *
 * A file parses into one or more *segments*. Segment 0 is the whole file. When the parse
 * has an error, tree-sitter's recovery may swallow everything after it (async functions
 * included) into one ERROR node, so the file is parsed again from the first top-level
 * statement after the error line (`ts_parser_set_included_ranges`: positions stay those
 * of the whole file), and the earlier segment ends there. Each segment owns the nodes
 * that *start* in [start_byte, end_byte); the walker skips ERROR and MISSING subtrees,
 * so no finding is anchored inside one. At most AA_PARSE_MAX_SEGMENTS segments are made,
 * and the reparses together cover at most AA_PARSE_REPARSE_BUDGET times the file's
 * length: a file full of errors costs a bounded number of reparses, and its parsing
 * stays linear in its size (a file broken on every line would otherwise be parsed 16
 * times over). A segment past the budget is not made: its nodes stay in the previous
 * segment's tree, where they may be inside an ERROR node (skipped).
 */
#ifndef AA_PARSE_H
#define AA_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/input/source.h"
#include "parsers/python/syms.h"

#define AA_PARSE_MAX_SEGMENTS 16
#define AA_PARSE_REPARSE_BUDGET 1

struct aa_segment {
	TSTree *tree;       /* owned */
	uint32_t start_byte, end_byte;
};

struct aa_parsed {
	struct aa_segment segs[AA_PARSE_MAX_SEGMENTS];
	unsigned n_segs;
	bool has_error;      /* the file has a syntax error (AA001) */
	TSNode first_error;  /* the first ERROR or MISSING node (valid when has_error); in segs[0].tree */
};

/* Parses src with parser (the Python grammar set; one per worker thread; its included
 * ranges are reset on return). out need not be initialised; its trees are owned by it
 * and read src's text, which must outlive them. Returns 0, or -1 when tree-sitter gave
 * no tree (it does not for valid input; treated as an internal error). Release out with
 * aa_parsed_release either way: after -1 it may hold the segments made before. */
int aa_parse(TSParser *parser, const struct aa_source *src, struct aa_parsed *out);

/* Deletes the trees (every node of them becomes invalid) and leaves parsed empty. */
void aa_parsed_release(struct aa_parsed *parsed);

/* True for ERROR nodes and MISSING nodes. node is not a null node. */
bool aa_node_is_broken(TSNode node);

#endif
