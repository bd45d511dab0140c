/*
 * lifecycle.h: a server's or bot's start-up and shut-down hooks, for the project index's
 * question whether a coroutine function runs alone (loop_uses.h, index.h's
 * aa_index_runs_alone). A framework runs such a hook before it serves (uvicorn enters a
 * FastAPI lifespan before it listens; aiohttp runs on_startup before its site starts;
 * discord.py runs setup_hook before it connects to the gateway) or after it has stopped
 * serving: nothing waits on the loop then but the start-up or the shut-down itself.
 *
 * Recognised by the syntax alone (the frameworks' names are distinctive, and a hook
 * registered under another name is only reported as before):
 * - a registration by name: the keyword arguments `lifespan=`, `on_startup=`,
 *   `on_shutdown=`, `on_cleanup=`, `post_init=`, `post_shutdown=`, `post_stop=` (a name or
 *   a list or tuple of names), `X.on_startup.append(f)` (and on_shutdown, on_cleanup,
 *   cleanup_ctx), `X.startup.register(f)`, `X.shutdown.register(f)`,
 *   `X.add_event_handler("startup" | "shutdown", f)`, `X.post_init(f)`, `X.post_shutdown(f)`;
 * - a registering decorator: `@X.on_event("startup" | "shutdown")`, `@X.listener(...)`
 *   with "before_server_start" or "after_server_stop", `@X.before_serving`,
 *   `@X.after_serving`, `@X.before_server_start`, `@X.after_server_stop`, `@X.on_startup`,
 *   `@X.on_shutdown`, `@X.startup`, `@X.shutdown` (bare or called);
 * - discord.py's conventions: a method named `setup_hook`, `cog_load` or `cog_unload`,
 *   and an extension's module-level `setup` or `teardown` of one parameter in a file
 *   that names discord, nextcord, disnake or redbot.
 * Not hooks: `on_ready` and other events (they run while the bot serves), Sanic's
 * `before_server_stop` and `after_server_start` (requests may be in flight), Home
 * Assistant's `async_setup_entry` (other integrations run beside it).
 *
 * Pure functions of the tree; thread-safe.
 */
#ifndef AA_LIFECYCLE_H
#define AA_LIFECYCLE_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "parsers/python/syms.h"

/* For a `keyword_argument` or `call` node: the expression holding the functions it
 * registers as hooks (a name, an attribute, or a list or tuple of them), or a null node
 * when node registers none. text: the source the tree was parsed from. */
TSNode aa_lifecycle_registered(const struct aa_syms *s, const char *text, TSNode node);

/* The decorators of a def whose parent node is parent (its decorated_definition when
 * it has decorators): *hook is set when one registers it as a hook, *other when one is
 * neither such a registration nor `asynccontextmanager` (whose body runs where the
 * manager is entered: a lifespan's). Both false without decorators. */
void aa_lifecycle_decorators(const struct aa_syms *s, const char *text, TSNode parent, bool *hook, bool *other);

/* Is def (a function_definition) a hook by discord.py's conventions? in_class: it is a
 * method (directly in a class body); bot_file: the file names a bot library (the caller
 * looks once, aa_lifecycle_bot_file). */
bool aa_lifecycle_conventional(const struct aa_syms *s, const char *text, TSNode def, bool in_class, bool bot_file);

/* Does the source text (len bytes) name discord, nextcord, disnake or redbot? */
bool aa_lifecycle_bot_file(const char *text, size_t len);

#endif
