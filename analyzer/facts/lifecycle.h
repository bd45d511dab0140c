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
 * - a registration by name: the keyword arguments `lifespan=`, `on_startup=` and
 *   `on_shutdown=` (a name or a list or tuple of names: Starlette, FastAPI, Litestar),
 *   `X.on_startup.append(f)`, `X.on_cleanup.append(f)`, `X.cleanup_ctx.append(f)`
 *   (aiohttp), `X.add_event_handler("startup" | "shutdown", f)`;
 * - a registering decorator: `@X.on_event("startup" | "shutdown")`, `@X.listener(...)`
 *   with "before_server_start" or "after_server_stop", `@X.before_serving`,
 *   `@X.after_serving`, `@X.before_server_start`, `@X.after_server_stop` (bare or called).
 * Not hooks: aiohttp's `on_shutdown` (it runs while handlers still finish), Sanic's
 * `before_server_stop` and `after_server_start` (requests may be in flight), a bot
 * framework's start-up (aiogram's `dp.startup`, python-telegram-bot's `post_init`,
 * discord.py's `setup_hook`, `cog_load`, an extension's `setup`: a bot is often started
 * beside a web server, and an extension may be loaded by a command), Home Assistant's
 * `async_setup_entry` (other integrations run beside it). And none in a project that runs
 * its server inside a coroutine of its own (aa_lifecycle_serves_inline).
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

/* Does the source text (len bytes) run a server inside a coroutine of its own (an awaited
 * uvicorn `Server(...).serve()`, aiohttp's `AppRunner`, hypercorn's `serve`), where it may
 * serve beside other work (`asyncio.gather(bot.start(), server.serve())`)? The hooks of
 * such a project run while that work goes on: none of them counts. */
bool aa_lifecycle_serves_inline(const char *text, size_t len);

#endif
