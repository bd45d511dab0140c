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

struct aa_ctx;

/* Is the walk inside a function definition (the innermost around the node it is at)
 * that only the program's owner or sudoers may run: a decorator that is such a check (its
 * name has a part `owner`, `owners`, `sudo`, `sudoer` or `sudoers` and none of `guild`,
 * `server`, `group`, `chat`, `channel`, `not`: `@commands.is_owner()`, `@owner_only`), or
 * every decorator that registers it with arguments names them there by a constant (an
 * upper-case name with such a part: `@app.on_message(filters.command("update") & SUDOERS)`,
 * `events.NewMessage(from_users=OWNER_ID)`), negating nothing (`~`, `not`, `!=`)? One
 * registration that does not (`@app.on_message(filters.command("ping"))` beside it) makes
 * it public. Strings and comments aside. Never fails. */
bool aa_blocking_operator_only(struct aa_ctx *ctx);

#endif
