/*
 * bindings.h: where a local name of a function gets its values, found by a bounded walk
 * of the function's body (outside nested defs, lambdas and classes, whose names are
 * their own), and where it is read. Flow-insensitive: every binding, in source order;
 * a read after a binding may see another one.
 *
 * Facts of the syntax alone, no name resolution: model (borrowed) only gives the grammar
 * symbols and the source text of its file (model.h), and every node passed must come
 * from that file's trees. Names are name[0..len), no terminator needed. Nothing is
 * cached and the model is only read: thread-safe.
 */
#ifndef AA_BINDINGS_H
#define AA_BINDINGS_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/facts/model.h"
#include "parsers/python/walk.h"

enum aa_binding_kind {
	AA_BIND_ASSIGN,    /* `name = value`, `name: T = value`, `(name := value)` */
	AA_BIND_AUGMENT,   /* `name += value` */
	AA_BIND_FOR,       /* `for name in value:` (also `for k, name in value:`) */
	AA_BIND_ASYNC_FOR, /* `async for name in value:` */
	AA_BIND_ADD,       /* `name.append(value)`, `.add(value)`, `.insert(i, value)`; `.extend(value)`
			      with extend set (value is a collection of items) */
	AA_BIND_STORE,     /* `name[key] = value` */
	AA_BIND_OTHER,     /* bound in a way not followed: tuple unpacking, `with ... as name`, `del`,
			      `global`, imports, `except ... as name`, a `match` capture */
};

struct aa_binding {
	enum aa_binding_kind kind;
	TSNode value;  /* the value or iterable (null for OTHER) */
	TSNode node;   /* the statement or call that binds */
	/* ADD / STORE: the innermost `for` statement of the function whose body holds the
	 * binding, or a null node (also when a `while` is nearer). */
	TSNode loop;
	bool extend;
};

/* Calls fn for each binding of name[0..len) in the body of fn_def (a function_definition),
 * in source order, until fn returns false. Returns false when the walk ended early: fn
 * said stop, or the body is larger than the walk's bound (callers treat that as
 * unknown). Nodes are valid while the tree is. */
bool aa_bindings_each(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len,
		      bool (*fn)(void *ud, const struct aa_binding *b), void *ud);

/* True when name[0..len) is a parameter of fn_def, a function_definition or a lambda
 * (any kind: `*args`, `**kw`, keyword only). */
bool aa_bindings_is_parameter(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len);

/* The 0-based position of parameter name[0..len) of fn_def among the parameters a call
 * can pass by position (`self` included), or -1 when it is keyword-only, `*args`,
 * `**kw` or not a parameter. */
int aa_bindings_param_position(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len);

/* The innermost `for` statement between node and fn_def whose body holds node, or a null
 * node when there is none or a `while` statement, comprehension or nested def is
 * nearer. node must lie inside fn_def (a null node otherwise). ws, when not NULL, is the
 * walker's position (walk.h) and node the visited node or one of its ancestors: the
 * answer is the same, found from the walker's stack in O(distance log depth) instead of
 * by a descent from fn_def (O(depth) each time). */
TSNode aa_bindings_enclosing_for(const struct aa_model *model, const struct aa_walk_state *ws, TSNode fn_def,
				 TSNode node);

/* True when where reads a name that pattern (a loop or comprehension target: `u`,
 * `(k, v)`) binds. Keyword names (`f(u=1)`) and `_` do not count; only the first 8
 * names of a pattern are looked for. False when either node is null. */
bool aa_bindings_pattern_read(const struct aa_model *model, TSNode pattern, TSNode where);

/* True when name[0..len) is `locals` or `vars`: called without arguments, these builtins
 * read every local of their caller, so a scan for the uses of a local counts their
 * names as a use of every one (aa_bindings_name_reads does). */
bool aa_bindings_sees_all_locals(const char *name, uint32_t len);

/* The reads of name[0..len) in fn_def's body (fn_def a function_definition) that may see
 * a binding of the name in fn_def's own scope, for aa_bindings_read_after to ask about
 * any number of its bindings: one walk of the body per name, not one per binding. A
 * read is an identifier anywhere but: an assignment's, `for`'s or comprehension's
 * target, a pattern, a parameter, an attribute's or keyword argument's name, the name
 * of a def, class, walrus or default parameter, an `except ... as` alias. It counts
 * always (out->always) when it
 *  - lies in a nested def, lambda, class or comprehension, wherever it is (that code
 *    may run at any time), unless the nested scope rebinds the name: a def or lambda
 *    with a parameter of that name (its body is skipped), a comprehension with a `for`
 *    target of that name (only its first iterable counts, the rest is skipped);
 *  - is a `global` or `nonlocal` declaration of the name;
 *  - or is `locals` or `vars` in a reading position (they see every local);
 * and out->starts holds the start bytes of the others, ascending. Unsure is always: no
 * body, or one of more than 200,000 nodes. A comprehension target of more than 4,095
 * nodes is taken to rebind the name. out need not be initialised; release it with
 * aa_bindings_name_reads_release. Allocation failure exits (xalloc). */
struct aa_name_reads {
	bool always;
	uint32_t *starts; /* owned; n of them (none when always) */
	size_t n, cap;
};
void aa_bindings_name_reads(const struct aa_model *model, TSNode fn_def, const char *name, uint32_t len,
			    struct aa_name_reads *out);
void aa_bindings_name_reads_release(struct aa_name_reads *reads);

/* What aa_bindings_every_read reports, one read at a time: a read of name[0..len) that
 * counts always, or one starting at byte start (ascending over the calls for one name);
 * name NULL: a read of every name (locals() or vars()), always. */
typedef void aa_bindings_read_fn(void *ud, const char *name, uint32_t len, bool always, uint32_t start);

/* aa_bindings_name_reads for every name of fn_def's body in one walk, through add (not
 * NULL, with ud): the reads of a name are those add is given for it and for every name;
 * a name add is never given is never read. False (some reads may have been given: drop
 * them) when the body must be asked name by name: it has no body, more than 200,000
 * nodes, or locals()/vars() inside a nested scope. */
bool aa_bindings_every_read(const struct aa_model *model, TSNode fn_def, aa_bindings_read_fn *add, void *ud);

/* True when fn_def may read the name of reads (aa_bindings_name_reads of fn_def) after
 * node has run: node is inside fn_def's body, in fn_def's own scope (the statement that
 * bound the name, say), and a read counts always, or starts at or after node's end, or
 * lies anywhere in the outermost `for` or `while` loop around node (it runs again).
 * Flow-insensitive: a rebinding between node and a read is not noticed (the read
 * counts). */
bool aa_bindings_read_after(const struct aa_model *model, TSNode fn_def, TSNode node,
			    const struct aa_name_reads *reads);

#endif
