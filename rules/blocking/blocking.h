/*
 * blocking.h: the shared check of the AA1xx blocking-call rules. A rule file holds its
 * target table and calls these; the message format is the same for the whole family:
 *
 *   time.sleep() blocks the event loop in async function 'fetch'; use 'await asyncio.sleep()'
 */
#ifndef AA_BLOCKING_H
#define AA_BLOCKING_H

#include "analyzer/check/context.h"

/* The Exceptions sentence for handlers only the program's operator runs (operator_only.h).
 * Starts with a space, as AA_BLOCKING_ALONE_DOC. */
#define AA_BLOCKING_OPERATOR_DOC                                                                             \
	" Handlers only the program's operator can run are not checked: a function with a decorator that is " \
	"a check named for the owner or sudoers (a name with a part `owner`, `owners`, `sudo`, `sudoer` or "  \
	"`sudoers`, and none of `guild`, `server`, `group`, `chat`, `channel` or `not`: "                     \
	"`@commands.is_owner()`), or whose every decorator that registers it with arguments names them there " \
	"by a constant (an upper-case name with such a part: `@app.on_message(filters.command(\"update\") & " \
	"SUDOERS)`, `events.NewMessage(from_users=OWNER_ID)`), by a call of a check so named (`& "        \
	"fox_sudo()`), by a keyword so named set to True (`sudo=True`, `allow_sudo=True`; not "           \
	"`no_sudo=True`), or by the account's own messages, a userbot's commands (Telethon's "               \
	"`outgoing=True` without `incoming=True`, Pyrogram's `filters.me` and `filters.outgoing`), and "      \
	"negates none of it (`~`, `not`, `!=`, `not in`, `is not`: everyone but the owner) nor joins it "     \
	"with `|`, `or` or `and` to what does not name them (`filters.me | filters.private`); a negation "   \
	"of something else (`~filters.forwarded`) says nothing of who; strings and comments aside; a "       \
	"second, public registration beside it makes it public. It runs when its operator asks, who expects it to take its time (`/update` running `git " \
	"pull`, `/sh`, `/backup`)."

/* The Exceptions sentences of the rules whose findings are made by aa_blocking_report
 * or by the helper chains: what a coroutine that runs alone blocks stalls nobody
 * (analyzer/facts/loop_uses.h, index.h's aa_index_runs_alone). Starts with a space: it
 * follows the rule's own exceptions. */
#define AA_BLOCKING_ALONE_DOC \
	" A coroutine function that runs alone on an event loop of its own is not checked: nothing else " \
	"waits on that loop (a CLI command's `asyncio.run(main())`, a Celery task's `asyncio.run(job())`, a " \
	"worker thread's `loop.run_until_complete(poll())`). It runs alone when it has no decorator; starts " \
	"nothing beside itself on its loop, nor does any project coroutine it awaits (no task, gather, task " \
	"group, scheduled callback or timeout, no awaited `start()`, `serve()`, `spawn()` or `connect()`, no " \
	"server started, no loop handed to a call, no `async with` but of a call that starts nothing: " \
	"`async with client:` may run the client's handlers); is reached from a coroutine started from sync " \
	"code by `asyncio.run`, `uvloop.run`, `anyio.run`, `trio.run` or `run_until_complete` (on a new loop, " \
	"or a local one run once in its scope, handed to no call, outside a `with`, in a file that schedules " \
	"nothing else on a loop), through awaits only, and awaited only by coroutine functions that run alone " \
	"(overrides of an awaited method included); and its name is used nowhere else in the project's code " \
	"(called without `await`, passed, stored, imported under another name, imported by a file the run did " \
	"not parse), nor re-exported, with its class for a method, by a package's `__init__` (public API). " \
	"Tests do not count: a test's `asyncio.run(handler())` says nothing of how the program runs it. A " \
	"project that mentions `nest_asyncio` has no such loop. Only the files analyzed are seen: a run on a " \
	"few files may spare what a run on the whole project reports, and a library's coroutine that its " \
	"users run beside other work, but the project only through a sync wrapper, looks alone unless the " \
	"package re-exports it. A script whose file name is no module name (`run-once.py`) is not followed. " \
	"Nor is a web server's start-up or shut-down hook checked, with what it awaits on the same terms: it " \
	"runs before the server serves or after it stopped (uvicorn enters a lifespan before it listens, " \
	"aiohttp runs `on_startup` before its site starts), whatever it starts beside itself, when its name " \
	"is used nowhere else. A hook is registered by `lifespan=`, `on_startup=` or `on_shutdown=` (a name " \
	"or a list of names), `X.on_startup.append(f)` (`on_cleanup`, `cleanup_ctx`), " \
	"`X.add_event_handler(\"startup\", f)` (or `\"shutdown\"`); or decorated with " \
	"`@X.on_event(\"startup\")` (or `\"shutdown\"`), `@X.listener(\"before_server_start\")` (or " \
	"`\"after_server_stop\"`), `@X.before_serving`, `@X.after_serving`, `@X.before_server_start` or " \
	"`@X.after_server_stop`. Not when the project runs its server inside a coroutine of its own (a file " \
	"that awaits `.serve(`, uses aiohttp's `AppRunner` or hypercorn), where it may serve beside other " \
	"work; nor are aiohttp's `on_shutdown` (handlers still finish meanwhile), Sanic's " \
	"`after_server_start`, or a bot's start-up (`setup_hook`, `cog_load`, aiogram's `dp.startup`, " \
	"`post_init`: a bot is often started beside a web server, a cog loaded by a command) hooks."

/* The fix suggested when a target names none. */
#define AA_FIX_TO_THREAD "await asyncio.to_thread(...)"

/* In async context, the target of rule's table that `call` matches (static storage), or
 * NULL: also for an awaited call (a sync target cannot be awaited), and for a call whose
 * result is the receiver of another certainly blocking call (the chain is one finding, at
 * its outermost blocking call). *callee (callee may be NULL) receives call's resolution
 * when the call was resolved (in async context, not awaited); else it is left untouched. */
const struct aa_target *aa_blocking_match(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee);

/* Reports `call` with the family's message; fix NULL uses the target's fix (target may
 * be NULL), or AA_FIX_TO_THREAD when it has none. In modules that import trio or anyio, asyncio-only
 * fixes (asyncio.to_thread, aiofiles, create_subprocess_*) are said in that library's
 * vocabulary (to_thread.run_sync, open_file, run_process). */
void aa_blocking_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			const char *fix);

/* The same with what the call does in place of "blocks the event loop" ("waits for a
 * child process, blocking the event loop"); what is borrowed for the call.
 *
 * Both attach the unsafe fix `await asyncio.to_thread(f, args...)` when rule's
 * descriptor has an unsafe fix, the target is certain and its suggested fix is that
 * form, and the call is a plain call (positional and keyword arguments only) where
 * `await` may be written (aa_ctx_await_allowed) in a module that does not use trio or
 * anyio. */
void aa_blocking_report_as(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			   const char *fix, const char *what);

/* aa_blocking_report, but a finding that would be reported at once is handed to hold
 * with its message (malloc'd) and fix (NULL for none): hold takes both over and returns
 * true, or takes nothing and returns false (it is then reported, or deferred for the
 * alone question, as aa_blocking_report does). hold asks that question itself
 * (context.h's aa_ctx_alone_function). */
void aa_blocking_report_held(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			     const char *fix,
			     bool (*hold)(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, char *message,
					  struct aa_fix *fix));

/* aa_blocking_report for a pause (`time.sleep()`), with the finding's fix
 * (analyzer/base/edit.h; taken over, NULL for none): reported in a handler only the
 * operator can run too, where the other blocking calls are not (operator_only.h). A pause
 * is no work the operator asked for, its fix is one word, and it stalls all else the
 * program serves meanwhile (study 16: a userbot's `time.sleep(7)` in its owner's command
 * held every AFK reply). */
void aa_blocking_report_pause(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			      const char *fix, struct aa_fix *edits);

/* True when call's arguments are only positional and keyword arguments: no *splat,
 * **splat or bare generator expression (which a moved argument list would break). */
bool aa_blocking_plain_args(struct aa_ctx *ctx, TSNode call);

/* The text of a plain string literal (`"subprocess.run"`) without its quotes, borrowed
 * from the source, or NULL (an f-string, a concatenation, escapes, not a string).
 * *len receives its length. */
const char *aa_blocking_literal_text(struct aa_ctx *ctx, TSNode str, uint32_t *len);

/* The method name of a call `x.m(...)` (`m`, borrowed from the source; *len receives its
 * length), or NULL when call is no call of an attribute. */
const char *aa_blocking_method_name(const struct aa_ctx *ctx, TSNode call, uint32_t *len);

/* AA109's cross-file analysis (helper_chains.c): sync project functions that reach a
 * certain blocking call, and the calls from async code that reach them. */
extern const struct aa_crossfile aa_crossfile_helper_chains;

#endif
