/*
 * callee.h: what a call calls, resolved from the semantic model (model.h) alone. The
 * rule API (analyzer/check/context.h) and the summarizer (summarize.h) both ask here;
 * what the file cannot name is AA_CALLEE_UNKNOWN, never a guess. Functions of the
 * model, which memoises what it evaluates: thread-safe for distinct models.
 */
#ifndef AA_CALLEE_H
#define AA_CALLEE_H

#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/base/buf.h"
#include "analyzer/facts/model.h"
#include "analyzer/input/source.h"
#include "parsers/python/syms.h"

enum aa_callee_kind {
	AA_CALLEE_UNKNOWN = 0,
	AA_CALLEE_FUNCTION, /* qualname: a module-level callable, "time.sleep", "builtins.open" */
	AA_CALLEE_METHOD,   /* qualname: the receiver's class "requests.Session"; method: "get" */
	AA_CALLEE_LOCAL,    /* a def of this file (node = the function_definition; qualname its
			       qualified name) */
};

struct aa_callee {
	enum aa_callee_kind kind;
	const char *qualname;   /* owned by the model; FUNCTION, METHOD, LOCAL */
	const char *method;     /* METHOD: into the source, method_len bytes */
	uint32_t method_len;
	TSNode receiver;        /* METHOD: the receiver expression */
	TSNode origin;          /* METHOD: the call that made the receiver, when unique; else null */
	TSNode node;            /* LOCAL: the def */
};

/* What calling fn (a call's function expression, or a name or attribute passed as a
 * callable: the `fetch` of `map(fetch, urls)`) calls, evaluated from scope (a scope id
 * of model). A null fn gives AA_CALLEE_UNKNOWN. src and syms are the model's. *out is
 * filled; its strings and nodes borrow from the model, the source and the tree. Writes
 * the model's memo (aa_model_eval): one thread per model. */
void aa_callee_resolve(struct aa_model *model, const struct aa_syms *syms, const struct aa_source *src,
		       uint32_t scope, TSNode fn, struct aa_callee *out);

/* Appends the call's callee as messages show it to out: aa_source_quote of its function
 * expression (`self.conn.execute(q).fetchone`). call is a `call` node (nothing is
 * appended when it has no function); out an initialised buffer. Allocation failure
 * exits. */
void aa_callee_text(const struct aa_syms *syms, const struct aa_source *src, TSNode call, struct aa_buf *out);

/* Appends node's source text to out as written, for a message: on one line (a line break,
 * the `\\` of a line continuation before it and the indentation after it are dropped),
 * and past 60 bytes shortened before its final name, which is kept whole, with "..."
 * where the cut is (`self.session.client...touch`); a name is never cut in half, nor a
 * UTF-8 sequence. out is an initialised buffer. Allocation failure exits. */
void aa_source_quote(const struct aa_source *src, TSNode node, struct aa_buf *out);

#endif
