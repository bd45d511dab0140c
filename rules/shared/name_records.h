/*
 * name_records.h: what a rule learned of each name in each function body of a file, for
 * rules that ask, at every statement of one shape, how a name is used in its whole body
 * (AA303's limiters, AA304's releases, AA502's resources). Each body is walked once, by
 * the rule, at its first question, and what the walk found about each name is kept in a
 * record of the rule's own type: N such statements in one body are one walk, not N.
 *
 * The records live in the rule's file memo (aa_ctx_file_memo) and go with the file's
 * checks. Names are borrowed from the file's text. Allocation failure exits (xalloc.h).
 */
#ifndef AA_NAME_RECORDS_H
#define AA_NAME_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tree_sitter/api.h>

#include "analyzer/base/map.h"

struct aa_ctx;
struct aa_rule;

struct aa_name_records {
	struct aa_map bodies;    /* (empty key, ns = a body's start byte) -> the rule's value */
	struct aa_map names;     /* (a name, ns = its body's start byte) -> index into records */
	unsigned char *records;  /* owned; n of size bytes each */
	size_t n, cap, size;
};

/* rule's records for the current file, made (empty, for records of size bytes) at its
 * first call in the file; size must be the same at every call of one rule. */
struct aa_name_records *aa_name_records_of(struct aa_ctx *ctx, const struct aa_rule *rule, size_t size);

/* Empty records of size bytes that the caller keeps itself (a rule whose file memo holds
 * more than these); freed with aa_name_records_free (NULL is fine). */
struct aa_name_records *aa_name_records_new(size_t size);
void aa_name_records_free(struct aa_name_records *r);

/* The value the rule stored for the body starting at byte ns, or AA_MAP_NONE: not walked
 * yet. */
uint32_t aa_name_records_body(const struct aa_name_records *r, uint32_t ns);
/* Stores value (not AA_MAP_NONE) for the body at ns: walked. */
void aa_name_records_set_body(struct aa_name_records *r, uint32_t ns, uint32_t value);

/* Walks body (a function's body) at its first question with visit (as
 * aa_subtree_walk_parents: every node and its parent), which fills the records through
 * aa_name_records_add, then asks unknown(ud) whether what the walk saw leaves the body's
 * uses unknown (`locals()` in it, say; it may also free what the walk kept in ud). True
 * when the body's records can be read: walked whole, not unknown. A body of more than
 * max_nodes nodes is not walked: false. The answer is kept (aa_name_records_body). */
bool aa_name_records_walked(struct aa_name_records *r, TSNode body, uint32_t max_nodes,
			    void (*visit)(void *ud, TSNode node, TSNode parent), bool (*unknown)(void *ud), void *ud);

/* The record of name[0..len) in the body at ns, made zeroed when new; valid until the next
 * call that makes one. */
void *aa_name_records_add(struct aa_name_records *r, const char *name, uint32_t len, uint32_t ns);
/* The record of name[0..len) in the body at ns, or NULL: the walk met no such name. */
const void *aa_name_records_find(const struct aa_name_records *r, const char *name, uint32_t len, uint32_t ns);

/* How a name is used in a function body: everywhere (all), and as the body's own
 * (owned): an assignment's or a `del`'s target, the receiver of a method called or of an
 * attribute read. A name whose every use is its own names an object only that body
 * reaches: no other task or thread can wait on it (AA108's queues, AA304's locks). A
 * rule keeps these counters in its name records. */
struct aa_owned_use {
	uint32_t all, owned;
};

/* Counts node, met by a preorder walk of a body, into the counters of the names it holds
 * (rec(ud, ident) gives an identifier's): an identifier is a use; an assignment's or a
 * `del`'s identifier target, and an identifier receiving an attribute, is the body's own,
 * unless nested is set (in a nested def or lambda: uses only) or the attribute is one of
 * methods (NULL-terminated) not called (`target=q.put`: a bound method handed on).
 * *called is the walk's state: the function of the last call met (a null node at its
 * start). */
void aa_owned_use_count(struct aa_ctx *ctx, TSNode n, bool nested, const char *const *methods, TSNode *called,
			struct aa_owned_use *(*rec)(void *ud, TSNode ident), void *ud);

#endif
