/* AA110 configured-blocking-call: calls the user listed with --blocking-call. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

#include <string.h>

extern const struct aa_rule aa_rule_configured_blocking_call;

/* entry == cls + "." + method, without building the joined string. */
static bool is_method_entry(const char *entry, const char *cls, const char *method, size_t method_len)
{
	size_t clen = strlen(cls);
	return !strncmp(entry, cls, clen) && entry[clen] == '.' && !strncmp(entry + clen + 1, method, method_len) &&
	       entry[clen + 1 + method_len] == '\0';
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const char *const *entries = aa_ctx_configured_blocking(ctx);
	if (!entries || !entries[0] || !aa_ctx_in_async(ctx))
		return;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (c->kind != AA_CALLEE_FUNCTION && c->kind != AA_CALLEE_METHOD)
		return;
	/* An entry may name a function or a method: `mylib.Client.get` matches both
	 * `Client.get(c)` (a function by qualified name) and `client.get()` on a tracked
	 * mylib.Client. */
	for (size_t i = 0; entries[i]; i++) {
		bool hit = c->kind == AA_CALLEE_FUNCTION ?
				   !strcmp(entries[i], c->qualname) :
				   is_method_entry(entries[i], c->qualname, c->method, c->method_len);
		if (hit) {
			const char *fix = aa_ctx_imports(ctx, "trio")  ? "await trio.to_thread.run_sync(...)" :
					  aa_ctx_imports(ctx, "anyio") ? "await anyio.to_thread.run_sync(...)" :
									 NULL;
			aa_blocking_report(ctx, &aa_rule_configured_blocking_call, call, NULL, fix);
			return;
		}
	}
}

static const char *const equivalents[] = { "ASYNC200", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_configured_blocking_call = {
	.code = "AA110",
	.name = "configured-blocking-call",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "A call the user configured as blocking is made inside an async function",
	.equivalents = equivalents,
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds calls, in async context, to functions and methods that you list as blocking with "
			"the repeatable option `--blocking-call NAME`. `NAME` is a qualified name as it is "
			"imported: `--blocking-call mylib.fetch_sync` matches `mylib.fetch_sync()`, "
			"`from mylib import fetch_sync as f; f()` and so on; `--blocking-call mylib.Client.get` "
			"matches `get()` called on any object the analyzer knows to be a `mylib.Client` (built by "
			"`mylib.Client(...)`, annotated `mylib.Client`, `self.client = mylib.Client()` ...) and "
			"the unbound form `mylib.Client.get(client)`. An entry is tried both ways, as a function "
			"and as a method. With no `--blocking-call`, the rule reports nothing. Async context is "
			"the body of an `async def`, outside nested `def`s and lambdas.",
		.why = "The analyzer knows the blocking calls of the standard library and of common clients "
		       "(AA101-AA108), not those of your project's dependencies or of your own sync SDK. A "
		       "call that waits on the network or the disk stops the event loop for its whole duration, "
		       "whoever wrote it.",
		.example = "# async-analyzer check --blocking-call mylib.fetch_sync app.py\n"
			   "import mylib\n\nasync def handler(key):\n    return mylib.fetch_sync(key)\n",
		.use_instead = "# async-analyzer check --blocking-call mylib.fetch_sync app.py\n"
			       "import asyncio\nimport mylib\n\nasync def handler(key):\n"
			       "    return await asyncio.to_thread(mylib.fetch_sync, key)\n",
		.anchor = "The call; its start is the start of the callee.",
		.exceptions = "Passing the function as a reference (`asyncio.to_thread(mylib.fetch_sync, key)`, "
			      "`loop.run_in_executor(None, client.get, url)`) is not a call. Calls in nested `def`s "
			      "and lambdas, and names that shadow the import (a parameter called `mylib`) are not "
			      "reported. A method entry applies only to receivers the tracker can tie to the class; "
			      "instances of project subclasses, objects returned by functions it does not know, and "
			      "untyped parameters are not reported (missed alarms). Names are matched as written "
			      "in the option, after resolving the call's imports: list a re-exported function under "
			      "the name your code imports it by."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async `ASYNC200` (`--async200-blocking-calls`) is the same idea with "
				    "its own configuration; its code is honoured by `# noqa`.",
		.references = "- [flake8-async ASYNC200](https://flake8-async.readthedocs.io/en/latest/rules.html)\n",
	},
};
