/*
 * call_name.h: what a call's name says it does. Rules of two families guess a call's
 * purpose from its verb: clean-up code in AA401 (`await conn.close()`), a restart in
 * AA103 (`self.restart_bot()`).
 */
#ifndef AA_CALL_NAME_H
#define AA_CALL_NAME_H

#include <stdbool.h>
#include <tree_sitter/api.h>

struct aa_ctx;

/* Does call (a node; false when it is no call) name, as its callee's last name (`f` of
 * `f()`, `m` of `obj.m()`) with leading underscores aside, one of verbs as its first word
 * (`stop`, `stop_all`: the verb alone or followed by `_`), or one of whole exactly?
 * verbs and whole are NULL-terminated (whole may be NULL). Never fails. */
bool aa_call_named(struct aa_ctx *ctx, TSNode call, const char *const *verbs, const char *const *whole);

#endif
