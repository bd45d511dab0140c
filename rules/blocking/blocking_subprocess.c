/* AA103 blocking-subprocess: running or waiting for a child process in async context. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"
#include "parsers/python/node.h"

#include <stdio.h>
#include <string.h>

extern const struct aa_rule aa_rule_blocking_subprocess;

#define FN(name, fix) { name, 0, fix, NULL }
#define METHOD(name, fix) { name, AA_TARGET_METHOD, fix, NULL }
#define SPAWN(name) { name, AA_TARGET_CONDITIONAL, "await asyncio.create_subprocess_exec()", SPAWN_WAITS }
#define WAIT(name, fix) { name, AA_TARGET_CONDITIONAL, fix, WAIT_BLOCKS }

#define SPAWN_WAITS "the mode (first argument) is `os.P_WAIT` or `0`"
#define WAIT_BLOCKS "the options are known and lack `os.WNOHANG`"

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
	/* Waiting on a Popen object (constructing it only starts the child). */
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

/* The spawn mode is os.P_WAIT (value 0 on every platform). Anything else, or a mode the
 * analyzer cannot read, says nothing: P_NOWAIT returns at once, like constructing Popen. */
static bool spawn_waits(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode mode = aa_node_unparen_at_most(s, aa_call_arg(ctx, call, 0, "mode"), AA_UNPAREN_FIRST, 16);
	if (ts_node_is_null(mode))
		return false;
	if (ts_node_symbol(mode) == s->integer)
		return aa_ctx_text_is(ctx, mode, "0");
	struct aa_meaning m = aa_ctx_eval(ctx, mode);
	return m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "os.P_WAIT");
}

/* The options of a wait call are known and lack WNOHANG: `0`, `os.WUNTRACED`,
 * `os.WEXITED | os.WSTOPPED`... An option the analyzer cannot read says nothing. */
static bool options_block(struct aa_ctx *ctx, TSNode options)
{
	static const char *const flags[] = { "os.WUNTRACED", "os.WCONTINUED", "os.WEXITED", "os.WSTOPPED",
					     "os.WNOWAIT", NULL };
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode stack[16];
	size_t n = 0;
	if (ts_node_is_null(options))
		return false;
	stack[n++] = options;
	while (n) {
		TSNode e = aa_node_unparen_at_most(s, stack[--n], AA_UNPAREN_FIRST, 16);
		if (ts_node_is_null(e))
			return false;
		TSSymbol k = ts_node_symbol(e);
		if (k == s->binary_operator) {
			TSNode op = ts_node_child_by_field_id(e, s->f.operator);
			if (!aa_ctx_text_is(ctx, op, "|") || n + 2 > sizeof(stack) / sizeof(stack[0]))
				return false;
			stack[n++] = ts_node_child_by_field_id(e, s->f.left);
			stack[n++] = ts_node_child_by_field_id(e, s->f.right);
			continue;
		}
		if (k == s->integer) {
			if (!aa_ctx_text_is(ctx, e, "0"))
				return false;
			continue;
		}
		if (k != s->identifier && k != s->attribute)
			return false;
		struct aa_meaning m = aa_ctx_eval(ctx, e);
		if (m.kind != AA_MEANING_NAME)
			return false;
		size_t i = 0;
		while (flags[i] && strcmp(flags[i], m.qualname))
			i++;
		if (!flags[i])
			return false; /* os.WNOHANG, or something unknown */
	}
	return true;
}

static bool wait_blocks(struct aa_ctx *ctx, TSNode call, const char *name)
{
	/* Position of the options argument: waitpid(pid, options), wait3(options),
	 * wait4(pid, options), waitid(idtype, id, options). */
	int index = !strcmp(name, "os.wait3") ? 0 : !strcmp(name, "os.waitid") ? 2 : 1;
	return options_block(ctx, aa_call_arg(ctx, call, index, "options"));
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_subprocess, call, NULL);
	if (!t)
		return;
	if (t->flags & AA_TARGET_CONDITIONAL) {
		bool blocks = !strncmp(t->name, "os.spawn", 8) ? spawn_waits(ctx, call) : wait_blocks(ctx, call, t->name);
		if (!blocks)
			return;
	}
	aa_blocking_report(ctx, &aa_rule_blocking_subprocess, call, t, NULL);
}

static const char *const equivalents[] = { "ASYNC220", "ASYNC221", "ASYNC222", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_subprocess = {
	.code = "AA103",
	.name = "blocking-subprocess",
	.family = &aa_family_blocking,
	.severity = AA_SEVERITY_ERROR,
	.travels = true,
	.default_on = true,
	.summary = "Running or waiting for a child process synchronously blocks the event loop inside an async "
		   "function",
	.equivalents = equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds calls in async context (the body of an `async def`, outside nested `def`s and lambdas) "
			"that run a child process to completion or wait for one: `subprocess.run()`, `call()`, "
			"`check_call()`, `check_output()`, `getoutput()`, `getstatusoutput()`; `wait()` and "
			"`communicate()` on a `subprocess.Popen` object; `os.system()`, `os.popen()`, the `os.spawn*` "
			"functions in `P_WAIT` mode, `os.posix_spawn()`/`posix_spawnp()`; and `os.wait()`, "
			"`os.waitpid()`, `os.wait3()`, `os.wait4()`, `os.waitid()` unless called with `os.WNOHANG`.",
		.why = "These calls hold the event loop's thread until the child process exits (or, for "
		       "`os.system`, `os.popen` and `posix_spawn`, fork and exec it on that thread). A command that "
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
			      "thread). Constructing `subprocess.Popen(...)` is not a finding: it starts the child and "
			      "returns; waiting for it is. `wait()` and `communicate()` count only on receivers known to "
			      "be a `subprocess.Popen` (built, annotated or entered with `with` where the analyzer can "
			      "see it), so `await proc.wait()` on an asyncio process is never one. `os.spawn*` in "
			      "`P_NOWAIT` mode and the `os.wait*` calls with `os.WNOHANG` return at once and are not "
			      "findings; when the mode or options are computed at run time the analyzer cannot know and "
			      "says nothing. An awaited call is never one of these sync calls. In a module that imports "
			      "trio or anyio the suggested fix is `run_process()` / `to_thread.run_sync()` of that "
			      "library.",
		.equivalents_note = "flake8-async and Ruff split this rule in three: `ASYNC220` (creating a process: "
				    "`os.popen`, `os.spawn*` without `P_WAIT`, and `subprocess.Popen`, which AA103 does "
				    "not report), `ASYNC221` (running one: the `subprocess` helpers, `os.system`, "
				    "`os.posix_spawn*`, `os.spawn*` with `P_WAIT`) and `ASYNC222` (`os.wait*`). All three "
				    "suppress AA103.",
		.references = "- [asyncio: Subprocesses](https://docs.python.org/3/library/asyncio-subprocess.html)\n"
			      "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n"
			      "- [trio.run_process](https://trio.readthedocs.io/en/stable/reference-io.html#trio.run_process)\n",
	},
};
