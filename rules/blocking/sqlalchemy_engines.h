/*
 * sqlalchemy_engines.h: AA106's cross-file half for SQLAlchemy. A sync SQLAlchemy
 * session or connection on a local SQLite file is AA113's case (blocking-sqlite-call,
 * opt-in), not a database server's round trip: readers of real applications did not act
 * on it (docs/precision.md, studies 15 and 16). Which database a session talks to is
 * decided where its engine is made, often in another module, so the finding waits for
 * the project: every file's sync `create_engine()` calls are recorded (SQLite: a URL
 * argument holding a string that starts with `sqlite`, or `connect_args` with
 * `check_same_thread`, an option only SQLite has; anything else, an unknown URL
 * included, is a server), and AA106's SQLAlchemy findings are held. Linked, they are
 * AA106's unless the project makes at least one engine and every one is SQLite; then
 * they are AA113's when it is selected, and nobody's otherwise.
 */
#ifndef AA_SQLALCHEMY_ENGINES_H
#define AA_SQLALCHEMY_ENGINES_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "analyzer/check/context.h"

/* Holds AA106's finding at call (a SQLAlchemy target) with message (malloc'd) and fix
 * (NULL for none) for the link, taking both over: true. False, taking nothing, when no
 * summary is built (the caller reports it at once). */
bool aa_sqlalchemy_hold(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, char *message,
			struct aa_fix *fix);

extern const struct aa_crossfile aa_crossfile_sqlalchemy_engines;

#endif
