/*
 * operator_only.h: a handler only the program's operator can run. A bot command that
 * only its owner or sudoers may call (`/update` running `git pull`, `/sh`, `/backup`
 * running `mongodump`) blocks the loop as any other would, but it runs when the operator
 * asks, who expects it to take its time: readers of real bots judged its blocking calls
 * not worth changing (docs/precision.md, study 15). The blocking rules (AA101-AA112,
 * AA109/AA112's chains) say nothing inside one.
 */
#ifndef AA_BLOCKING_OPERATOR_ONLY_H
#define AA_BLOCKING_OPERATOR_ONLY_H

#include <stdbool.h>
#include <tree_sitter/api.h>

struct aa_ctx;

/* Is node inside a function definition (the innermost around it) that only the
 * program's owner or sudoers may run: a decorator that is itself such a check (its name
 * has a part `owner`, `owners`, `sudo`, `sudoer` or `sudoers`, name_words.h:
 * `@commands.is_owner()`, `@owner_only`), or every decorator that registers it with
 * arguments names them there (`@app.on_message(filters.command("update") & SUDOERS)`,
 * `events.NewMessage(from_users=OWNER_ID)`; one that does not,
 * `@app.on_message(filters.command("ping"))` beside it, makes it public)? Strings aside.
 * Never fails. */
bool aa_blocking_operator_only(struct aa_ctx *ctx, TSNode node);

#endif
