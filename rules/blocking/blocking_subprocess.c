/* AA103 blocking-subprocess: starting, running or waiting for a child process in async
 * context. */
#include "rules/blocking/blocking.h"
#include "rules/blocking/polled.h"
#include "rules/blocking/quick_command.h"
#include "rules/shared/call_name.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/map.h"
#include "analyzer/base/xalloc.h"

extern const struct aa_rule aa_rule_blocking_subprocess;

#define FN(name, fix) { name, 0, fix, NULL }
#define METHOD(name, fix) { name, AA_TARGET_METHOD, fix, NULL }
#define SPAWN(name) { name, AA_TARGET_CONDITIONAL, "await asyncio.create_subprocess_exec()", SPAWN_COND }
#define WAIT(name, fix) { name, AA_TARGET_CONDITIONAL, fix, WAIT_BLOCKS }

/* Starting a child forks and execs on the loop's thread: a finding in async code, but a
 * short one, so these do not travel into AA109's chains (conditional targets never do). */
#define START_COND "always: it forks and execs the child on the event loop's thread, then returns"
#define SPAWN_COND "always: in `os.P_WAIT` mode (or `0`) it waits for the child; in any other mode it starts it"
#define WAIT_BLOCKS "unless `os.WNOHANG` is visibly in the options (a missing or computed options argument is not)"

#define EXEC "await asyncio.create_subprocess_exec()"
#define SHELL "await asyncio.create_subprocess_shell()"

static const struct aa_target targets[] = {
	/* subprocess: the helpers that run a command to completion. */
	FN("subprocess.run", EXEC),
	FN("subprocess.call", EXEC),
	FN("subprocess.check_call", EXEC),
	FN("subprocess.check_output", EXEC),
	FN("subprocess.getoutput", SHELL),
	FN("subprocess.getstatusoutput", SHELL),
	/* Starting a child: the constructor forks and execs, then returns. */
	{ "subprocess.Popen", AA_TARGET_CONDITIONAL, EXEC, START_COND },
	/* Waiting on a Popen object. */
	METHOD("subprocess.Popen.wait", "await asyncio.to_thread(proc.wait)"),
	METHOD("subprocess.Popen.communicate", "await asyncio.to_thread(proc.communicate)"),
	/* os: shell, pipe, spawn and wait. */
	FN("os.system", SHELL),
	FN("os.popen", SHELL),
	SPAWN("os.spawnl"),
	SPAWN("os.spawnle"),
	SPAWN("os.spawnlp"),
	SPAWN("os.spawnlpe"),
	SPAWN("os.spawnv"),
	SPAWN("os.spawnve"),
	SPAWN("os.spawnvp"),
	SPAWN("os.spawnvpe"),
	FN("os.posix_spawn", EXEC),
	FN("os.posix_spawnp", EXEC),
	FN("os.wait", "await asyncio.to_thread(os.wait)"),
	WAIT("os.waitpid", "await asyncio.to_thread(os.waitpid, pid, 0)"),
	WAIT("os.wait3", "await asyncio.to_thread(os.wait3, 0)"),
	WAIT("os.wait4", "await asyncio.to_thread(os.wait4, pid, 0)"),
	WAIT("os.waitid", "await asyncio.to_thread(os.waitid, idtype, id, options)"),
};

enum spawn_mode { SPAWN_WAIT, SPAWN_START, SPAWN_UNKNOWN };

/* The spawn mode: os.P_WAIT (value 0 on every platform) waits for the child; the other
 * modes (P_NOWAIT, P_NOWAITO, P_DETACH) start it and return; a computed one is unknown. */
static enum spawn_mode spawn_mode(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode mode = aa_node_unparen_at_most(s, aa_call_arg(ctx, call, 0, "mode"), AA_UNPAREN_FIRST, 16);
	if (ts_node_is_null(mode))
		return SPAWN_UNKNOWN;
	if (ts_node_symbol(mode) == s->integer)
		return aa_ctx_text_is(ctx, mode, "0") ? SPAWN_WAIT : SPAWN_START;
	struct aa_meaning m = aa_ctx_eval(ctx, mode);
	if (m.kind != AA_MEANING_NAME || strncmp(m.qualname, "os.P_", 5))
		return SPAWN_UNKNOWN;
	return !strcmp(m.qualname, "os.P_WAIT") ? SPAWN_WAIT : SPAWN_START;
}

/* Is os.WNOHANG visibly in a wait call's options: the flag itself, or an integer other
 * than 0 (WNOHANG is 1), alone or or-ed with others? A missing or computed argument is
 * not: the call waits, as far as anyone reading it can tell. */
static bool wnohang_visible(struct aa_ctx *ctx, TSNode options)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode stack[16];
	size_t n = 0;
	if (ts_node_is_null(options))
		return false;
	stack[n++] = options;
	while (n) {
		TSNode e = aa_node_unparen_at_most(s, stack[--n], AA_UNPAREN_FIRST, 16);
		if (ts_node_is_null(e))
			continue;
		TSSymbol k = ts_node_symbol(e);
		if (k == s->binary_operator) {
			TSNode op = ts_node_child_by_field_id(e, s->f.operator);
			if (aa_ctx_text_is(ctx, op, "|") && n + 2 <= sizeof(stack) / sizeof(stack[0])) {
				stack[n++] = ts_node_child_by_field_id(e, s->f.left);
				stack[n++] = ts_node_child_by_field_id(e, s->f.right);
			}
			continue;
		}
		if (k == s->integer && !aa_ctx_text_is(ctx, e, "0"))
			return true;
		if (k != s->identifier && k != s->attribute)
			continue;
		struct aa_meaning m = aa_ctx_eval(ctx, e);
		if (m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "os.WNOHANG"))
			return true;
	}
	return false;
}

static bool wait_blocks(struct aa_ctx *ctx, TSNode call, const char *name)
{
	/* Position of the options argument: waitpid(pid, options), wait3(options),
	 * wait4(pid, options), waitid(idtype, id, options). */
	int index = !strcmp(name, "os.wait3") ? 0 : !strcmp(name, "os.waitid") ? 2 : 1;
	return !wnohang_visible(ctx, aa_call_arg(ctx, call, index, "options"));
}

/* --- the process being replaced ---------------------------------------------------- */

/* Does call end or replace the process: os.exec*, sys.exit, os._exit, os.abort,
 * `os.kill(os.getpid(), ...)`, or a call named `restart` (alone or as the first word:
 * `restart()`, `self.restart_bot()`)? */
static bool replaces_process(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	static const char *const restart[] = { "restart", NULL };
	if (aa_call_named(ctx, call, restart, NULL))
		return true;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (!c || c->kind != AA_CALLEE_FUNCTION || !c->qualname)
		return false;
	const char *q = c->qualname;
	if (!strncmp(q, "os.exec", 7) || !strcmp(q, "sys.exit") || !strcmp(q, "os._exit") || !strcmp(q, "os.abort"))
		return true;
	if (strcmp(q, "os.kill"))
		return false;
	uint32_t len;
	const char *args = aa_ctx_text(ctx, ts_node_child_by_field_id(call, s->f.arguments), &len);
	return memmem(args, len, "getpid()", 8) != NULL;
}

/* AA103's memo for the file (aa_ctx_file_memo): what one walk of each function found. */
struct subprocess_memo {
	void *polled; /* owned: polled.h's index */
	/* (empty key, ns = a def's start byte) -> 1 + the start byte of the last call of its
	 * body that replaces the process (replaces_process), or 0: none */
	struct aa_map last_exit;
};

static void free_subprocess_memo(void *p)
{
	struct subprocess_memo *m = p;
	if (!m)
		return;
	aa_blocking_polled_free(m->polled);
	aa_map_release(&m->last_exit);
	free(m);
}

static struct subprocess_memo *subprocess_memo(struct aa_ctx *ctx)
{
	void **slot = aa_ctx_file_memo(ctx, &aa_rule_blocking_subprocess, free_subprocess_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct subprocess_memo));
	return *slot;
}

struct exit_scan {
	struct aa_ctx *ctx;
	TSNode body;
	uint32_t last; /* 1 + the start byte of the last replacing call so far, or 0 */
};

static enum aa_visit exit_visit(void *ud, TSNode n)
{
	struct exit_scan *r = ud;
	const struct aa_syms *s = aa_ctx_syms(r->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (!ts_node_eq(n, r->body) && aa_kind_is_definition(s, k, true))
		return AA_VISIT_SKIP;
	if (k == s->call && replaces_process(r->ctx, n))
		r->last = ts_node_start_byte(n) + 1;
	return AA_VISIT_DESCEND;
}

/* Is call on the way out of the process: its own command names a restart or the
 * process's own pid (`os.system(f"kill -9 {os.getpid()} && bash start")`, `os.system(
 * "lavhost restart")`), or the function, from call's statement on, ends or replaces the
 * process (replaces_process)? Then the loop it blocks is being torn down: an update or
 * restart command's `git pull` and `pip install` stall nothing that goes on. Each
 * function is walked once, at its first question (once per call was quadratic). */
static bool on_the_way_out(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	uint32_t len;
	const char *args = aa_ctx_text(ctx, ts_node_child_by_field_id(call, s->f.arguments), &len);
	if (memmem(args, len, "restart", 7) || memmem(args, len, "getpid()", 8))
		return true;
	TSNode fn = call;
	while (!ts_node_is_null(fn) && ts_node_symbol(fn) != s->function_definition)
		fn = aa_ctx_parent(ctx, fn);
	if (ts_node_is_null(fn))
		return false;
	struct subprocess_memo *m = subprocess_memo(ctx);
	struct aa_map_key key = aa_map_key("", 0, ts_node_start_byte(fn));
	uint32_t last = aa_map_get(&m->last_exit, &key);
	if (last == AA_MAP_NONE) {
		struct exit_scan r = { ctx, ts_node_child_by_field_id(fn, s->f.body), 0 };
		if (!ts_node_is_null(r.body))
			aa_subtree_walk(r.body, 1000000, exit_visit, &r);
		last = r.last;
		aa_map_put(&m->last_exit, &key, last, NULL);
	}
	return last && last - 1 >= ts_node_start_byte(call);
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *callee = NULL;
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_subprocess, call, &callee);
	if (!t || aa_blocking_quick_command(ctx, call, t->name))
		return;
	/* `if proc.poll() is not None: proc.communicate()`: the child has exited, the wait
	 * returns at once (it only drains the pipes). */
	static const char *const polls[] = { "poll", NULL };
	if (callee && callee->kind == AA_CALLEE_METHOD && !strncmp(t->name, "subprocess.Popen.", 17) &&
	    aa_blocking_polled_before(ctx, &subprocess_memo(ctx)->polled, call, callee->receiver, polls))
		return;
	if (on_the_way_out(ctx, call)) /* asks aa_ctx_callee: callee is stale from here on */
		return;
	static const char waits[] = "waits for a child process, blocking the event loop";
	static const char starts[] = "starts a child process on the event loop's thread (fork and exec block it)";
	if (!strcmp(t->name, "subprocess.Popen")) {
		aa_blocking_report_as(ctx, &aa_rule_blocking_subprocess, call, t, NULL, starts);
	} else if (!strncmp(t->name, "os.spawn", 8)) {
		enum spawn_mode m = spawn_mode(ctx, call);
		aa_blocking_report_as(ctx, &aa_rule_blocking_subprocess, call, t, NULL,
				      m == SPAWN_WAIT	 ? waits
				      : m == SPAWN_START ? starts
							 : "starts a child process on the event loop's thread (and "
							   "waits for it in os.P_WAIT mode)");
	} else if (!strncmp(t->name, "os.wait", 7) && strcmp(t->name, "os.wait")) {
		if (wait_blocks(ctx, call, t->name))
			aa_blocking_report_as(ctx, &aa_rule_blocking_subprocess, call, t, NULL, waits);
	} else {
		aa_blocking_report(ctx, &aa_rule_blocking_subprocess, call, t, NULL);
	}
}

static const char *const equivalents[] = { "ASYNC220", "ASYNC221", "ASYNC222", NULL };
static const char *const former_equivalents[] = { "ASYNC101", "ASYNC102", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_subprocess = {
	.code = "AA103",
	.name = "blocking-subprocess",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.travels = true,
	.default_on = true,
	.summary = "Running or waiting for a child process synchronously blocks the event loop inside an async "
		   "function",
	.equivalents = equivalents,
	.former_equivalents = former_equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds calls in async context (the body of an `async def`, outside nested `def`s and lambdas) "
			"that start a child process, run one to completion or wait for one, and says which: "
			"`subprocess.run()`, `call()`, `check_call()`, `check_output()`, `getoutput()`, "
			"`getstatusoutput()`; `subprocess.Popen(...)` (it starts the child); `wait()` and "
			"`communicate()` on a `subprocess.Popen` object; `os.system()`, `os.popen()`, "
			"`os.posix_spawn()`/`posix_spawnp()`; every `os.spawn*` function whatever its mode (`P_WAIT` "
			"waits for the child, the other modes start it, and a mode computed at run time is one of "
			"the two); and `os.wait()`, `os.waitpid()`, `os.wait3()`, `os.wait4()`, `os.waitid()` unless "
			"`os.WNOHANG` is visibly in their options (a missing or computed options argument is not).",
		.why = "These calls hold the event loop's thread until the child process exits, or, for "
		       "`Popen`, `os.popen`, `posix_spawn` and `os.spawn*` outside `P_WAIT`, while the child is "
		       "forked and exec'd on that thread (milliseconds, and more for a large process). A command that "
		       "takes a second freezes every other task for a second; one that hangs freezes the program. "
		       "`asyncio.create_subprocess_exec()` starts the process and lets the task await its output "
		       "while the loop keeps running.",
		.example = "import subprocess\n\nasync def git_head(repo):\n"
			   "    out = subprocess.check_output([\"git\", \"-C\", repo, \"rev-parse\", \"HEAD\"])\n"
			   "    return out.decode().strip()\n",
		.use_instead = "import asyncio\n\nasync def git_head(repo):\n"
			       "    proc = await asyncio.create_subprocess_exec(\n"
			       "        \"git\", \"-C\", repo, \"rev-parse\", \"HEAD\", stdout=asyncio.subprocess.PIPE\n"
			       "    )\n"
			       "    out, _ = await proc.communicate()\n"
			       "    return out.decode().strip()\n",
		.anchor = "The call; its start is the start of the callee (`subprocess.run`, `proc.wait`).",
		.exceptions = "Only calls are findings: `await asyncio.to_thread(subprocess.run, cmd)` and "
			      "`loop.run_in_executor(None, proc.wait)` are the fix for code that must stay synchronous, "
			      "and calls in a nested `def` or `lambda` are not findings (they may run in a worker "
			      "thread). A chain such as `subprocess.Popen(cmd).wait()` is one finding, at the wait. "
			      "Starting a child does not travel through helpers into AA109 (it is short): running and "
			      "waiting do. `wait()` and `communicate()` count only on receivers known to "
			      "be a `subprocess.Popen` (built, annotated or entered with `with` where the analyzer can "
			      "see it), so `await proc.wait()` on an asyncio process is never one. The `os.wait*` calls "
			      "with `os.WNOHANG` (or a non-zero literal, which may be its value 1) return at once and "
			      "are not findings, nor are `wait()` and `communicate()` on a process whose `poll()` the "
			      "function called before (`if proc.poll() is not None: proc.communicate()`: the child "
			      "has exited). Nor is a call on the way out of the process: its own arguments name a "
			      "restart or the process's pid (`os.system(f\"kill -9 {os.getpid()} && bash start\")`), "
			      "or the function, from its statement on, calls `os.exec*()`, `sys.exit()`, `os._exit()`, "
			      "`os.abort()`, `os.kill(os.getpid(), ...)` or something named `restart` (`await "
			      "bot.restart()`): an update command's `git pull` and `pip install` before the process is "
			      "replaced stall nothing that goes on. Nor is a command written out in the source that "
			      "returns at once: a version probe (`[\"git\", \"--version\"]`, `\"ffmpeg -version "
			      "2>/dev/null\"`: the program and one of `--version`, `-version`, `-V`, `version`) or "
			      "a utility that reads or changes a few bytes of system state (`arch`, `date`, `echo`, "
			      "`getconf`, `groups`, `hostname`, `id`, `kill`, `pkill`, `logname`, `nproc`, "
			      "`pwd`, `true`, `false`, `tty`, `uname`, `which`, `whoami`, `ln`, `mkdir`, `rmdir`, "
			      "`touch`, and `chmod`, `chown`, `chgrp`, `rm` without `-r`, `-R` or `--recursive`, nor "
			      "an argument before the last that is not written out), or a program that hands a path "
			      "or URL to the desktop and returns (`xdg-open`, `open`, `explorer`, `start`, `code`; "
			      "not with a flag that waits for what it opened, `open -W`, `code --wait`, `start "
			      "/wait`, nor an argument before the last that is not written out), "
			      "as a list or tuple whose program is a string literal (a computed program, or a "
			      "`*splat`, is not one) or as a shell string with no shell syntax but redirections to "
			      "`/dev/null` and `2>&1` (an f-string's interpolation in quotes is one argument not "
			      "written out, `f'explorer \"{path}\"'`; a bare one may be any number, options included: "
			      "not for `rm`, `chmod`, `chown`, `chgrp` and the desktop programs; where no desktop "
			      "environment is detected, a bare window manager or a server with `$BROWSER` set, "
			      "`xdg-open` waits for the program it opened: a finding missed there): its fork and exec take milliseconds, no longer than a system "
			      "call; a command that processes data (`md5sum`, `cp`, `git pull`) is still a finding. "
			      "An awaited call is never one of these sync calls. In a module that imports "
			      "trio or anyio the suggested fix is `run_process()` / `to_thread.run_sync()` of that "
			      "library."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async and Ruff split this rule in three: `ASYNC220` (creating a process: "
				    "`os.popen`, `os.spawn*` without `P_WAIT`, and `subprocess.Popen`), `ASYNC221` (running one: the `subprocess` helpers, `os.system`, "
				    "`os.posix_spawn*`, `os.spawn*` with `P_WAIT`) and `ASYNC222` (`os.wait*`). All three "
				    "suppress AA103.",
		.references = "- [asyncio: Subprocesses](https://docs.python.org/3/library/asyncio-subprocess.html)\n"
			      "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n"
			      "- [trio.run_process](https://trio.readthedocs.io/en/stable/reference-io.html#trio.run_process)\n",
	},
};
