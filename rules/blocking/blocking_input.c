/* AA107 blocking-input: input(), sys.stdin reads and getpass.getpass() in async context. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_blocking_input;

static const struct aa_target targets[] = {
	{ "builtins.input", 0, "await asyncio.to_thread(input, prompt)", NULL },
	{ "getpass.getpass", 0, "await asyncio.to_thread(getpass.getpass, prompt)", NULL },
	{ "sys.stdin.read", 0, "await asyncio.to_thread(sys.stdin.read)", NULL },
	{ "sys.stdin.readline", 0, "await asyncio.to_thread(sys.stdin.readline)", NULL },
	{ "sys.stdin.readlines", 0, "await asyncio.to_thread(sys.stdin.readlines)", NULL },
	{ "sys.stdin.buffer.read", 0, "await asyncio.to_thread(sys.stdin.buffer.read)", NULL },
	{ "sys.stdin.buffer.readline", 0, "await asyncio.to_thread(sys.stdin.buffer.readline)", NULL },
	{ "sys.stdin.buffer.readlines", 0, "await asyncio.to_thread(sys.stdin.buffer.readlines)", NULL },
};

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_input, call, NULL);
	if (!t)
		return;
	/* Offer the worker-thread API of the library the module already uses. */
	const char *fix = aa_ctx_imports(ctx, "trio")	 ? "await trio.to_thread.run_sync(...)" :
			  aa_ctx_imports(ctx, "anyio") ? "await anyio.to_thread.run_sync(...)" :
							 t->fix;
	aa_blocking_report(ctx, &aa_rule_blocking_input, call, t, fix);
}

static const char *const equivalents[] = { "ASYNC250", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_input = {
	.code = "AA107",
	.name = "blocking-input",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.travels = true,
	.default_on = false,
	.summary = "Reading from the terminal with input(), sys.stdin or getpass blocks the event loop "
		   "inside an async function",
	.equivalents = equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds calls that wait for a line (or all) of standard input in async context: the "
			"builtin `input()`, `sys.stdin.read()`, `readline()` and `readlines()` (also on "
			"`sys.stdin.buffer`) and `getpass.getpass()`. Async context is the body of an `async def`, "
			"outside nested `def`s and lambdas.",
		.why = "These calls return only when the user types a line or the input is closed. Until then "
		       "the thread, and the event loop with it, is stuck: no other task runs, no timer fires and "
		       "no connection is served, for as long as the user takes.",
		.example = "async def login(client):\n    user = input(\"user: \")\n"
			   "    await client.authenticate(user)\n",
		.use_instead = "import asyncio\n\nasync def login(client):\n"
			       "    user = await asyncio.to_thread(input, \"user: \")\n"
			       "    await client.authenticate(user)\n",
		.anchor = "The call; its start is the start of the callee (`input`, `sys.stdin.readline`).",
		.exceptions = "Opt-in (`--extend-select AA107`): `input()` in async code was, in every one of the "
			      "82 findings read on 24 applications, an interactive CLI prompt or a demo script "
			      "waiting on purpose while nothing else ran (docs/precision.md). Select it for a "
			      "service, where a prompt on the loop is always a hang. "
			      "Passing the function as a reference runs it in a worker thread and is fine: "
			      "`await asyncio.to_thread(input, \"> \")`, `loop.run_in_executor(None, sys.stdin.readline)`, "
			      "`anyio.to_thread.run_sync(getpass.getpass)`. So is a call in a nested `def` or `lambda`. "
			      "A local name that shadows the builtin (a parameter called `input`) is not the builtin. "
			      "Iterating `for line in sys.stdin` also blocks but is not a call and is not reported "
			      "(a missed alarm). Reads from other files are AA104's business. In a module that "
			      "imports trio or anyio the suggested fix is their `to_thread.run_sync()`."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async and Ruff `ASYNC250` cover the builtin `input()` only; the "
				    "code is honoured for every target of this rule.",
		.references = "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n"
			      "- [flake8-async ASYNC250](https://flake8-async.readthedocs.io/en/latest/rules.html)\n",
	},
};
