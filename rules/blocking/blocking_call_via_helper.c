/* AA109 blocking-call-via-helper: reported by its cross-file analysis (helper_chains.c). */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

const struct aa_rule aa_rule_blocking_call_via_helper = {
	.code = "AA109",
	.name = "blocking-call-via-helper",
	.family = &aa_family_blocking,
	.severity = AA_SEVERITY_ERROR,
	.default_on = false,
	.summary = "A sync project function called from async code makes a blocking call",
	.crossfile = &aa_crossfile_helper_chains,
	/* a mixin's `self.m()` is followed only when no unread file may subclass it */
	.index_use = AA_INDEX_IMPORT_SCAN,
	.doc = {
		.what = "Finds calls in async context to a sync function of the project that, directly or through "
			"other sync project functions, makes a *certain* blocking call of AA101-AA108 or a configured "
			"AA110 call. The message shows the whole chain, from the async function down to the blocking "
			"call and its place (`'load_user' blocks the event loop: handler -> load_user -> "
			"requests.get (app/db.py:41)`); SARIF carries it as a code flow, JSON as related locations. "
			"Functions are resolved across modules: imports (absolute and relative, aliases, re-exports "
			"through `__init__.py`), methods through `self`, `cls`, `super()` and the class's project base "
			"classes, and receivers whose class is known by annotation or construction.",
		.why = "Linters that look at one call at a time see `load_user(uid)`, not the `requests.get` inside "
		       "it; the event loop stalls just the same. Wrapping blocking work in a helper is how most "
		       "blocking calls end up in async code.",
		.example = "import requests\n\n\ndef load_user(uid):\n    return requests.get(f\"https://api/users/{uid}\").json()\n\n\n"
			   "async def handler(uid):\n    return load_user(uid)\n",
		.use_instead = "import asyncio\n\nimport requests\n\n\ndef load_user(uid):\n    return requests.get(f\"https://api/users/{uid}\").json()\n\n\n"
			       "async def handler(uid):\n    return await asyncio.to_thread(load_user, uid)\n",
		.anchor = "The call in async context (its start is the callee's start).",
		.exceptions = "Opt-in (`--extend-select AA109`): read in context on 15 async applications, most "
			      "chains ran once at start-up, in a CLI command, or in a rarely used path, which "
			      "maintainers would not change (docs/precision.md); select it for an audit. A chain "
			      "reaches the targets of the rules that are on: the default-on AA101-AA108 rules "
			      "always, an opt-in one (AA104's file I/O) only when it is selected too. "
			      "Only *certain* targets travel through helpers (a conditional one, like `queue.Queue.put`, "
			      "depends on arguments a helper may not pass), whether or not the rule that reports them "
			      "directly is selected (`--select AA109` alone sees every chain). Passing the helper to `asyncio.to_thread` or "
			      "`loop.run_in_executor` is not a call. A helper with a decorator that is not known to keep it "
			      "a plain function (`@sync_to_async`, `@app.task`) cuts the chain, and so does a `# noqa` on "
			      "the blocking line inside the helper (for its own rule or for AA109). Recursion and cycles "
			      "terminate; the shortest chain is reported. What cannot be resolved is not guessed.\n\n"
			      "Lazy initialisation blocks once, not on every call, and is cut: a helper memoised "
			      "with `functools.cache`, `functools.lru_cache` or `functools.cached_property` is not a "
			      "step of a chain (its body runs on the first call for given arguments), and a blocking "
			      "call in the branch of an `if` that tests a name or attribute which that branch assigns "
			      "(`if not cls._index: cls._index = scan()`, `if _DATA is None: _DATA = load()`) starts "
			      "no chain. Other memoisation (a dict filled by hand, a guard assigned elsewhere) is "
			      "followed as a call that blocks every time. (Reading a `cached_property` or a `property` "
			      "is not a call, so it never starts a chain; `functools.cached_property` matters only "
			      "when its getter is called by name.)\n\n"
			      "A blocking call that a test replaces is not made: a chain is cut at a blocking call "
			      "whose target is patched for the call in async context, by `with mock.patch(\"subprocess.run\"):` "
			      "or `with mock.patch.object(subprocess, \"run\"):` around it, by `@mock.patch(...)` / "
			      "`@mock.patch.object(...)` on its function or on the class around it (a class decorator "
			      "patches every test method), or by pytest's `monkeypatch.setattr(\"subprocess.run\", ...)`, "
			      "`monkeypatch.setattr(subprocess, \"run\", ...)`, `mocker.patch(...)` or "
			      "`mocker.patch.object(...)` earlier in the same function (those last until the test ends; "
			      "a `mock.patch` call outside `with` or a decorator patches nothing until started, and "
			      "is not followed). A patched path names the target (`subprocess.run`), the target as the "
			      "helper's module sees it (`app.jobs.subprocess.run`), or the module there "
			      "(`app.jobs.subprocess`): tails are matched at dots. The chain is then the shortest one "
			      "to a blocking call the patches leave in place, if any (patching `time.sleep` does not "
			      "hide a `subprocess.run` in the same helper).\n\n"
			      "Mixins: `self.m()` in a class with no base but `object` that does not define `m` "
			      "itself is followed into the project's subclasses of that class when every one of "
			      "them that defines `m` (at any depth, at most 16 definitions) defines it as an eligible "
			      "sync helper that reaches a blocking call (they all agree), and no file that was not "
			      "parsed imports the module of the class or of a subclass (it could hold another "
			      "subclass); the chain goes through the definition nearest to its blocking call. Not "
			      "followed: a class with library bases (its `m` may come from there: `self.assert*()` "
			      "in a TestCase), a subclass whose `m` is async, decorated, memoised or does not block, "
			      "more than 256 subclasses, and a mixin call that blocks only through another mixin "
			      "call (one round of linking)."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "No peer follows calls into helpers: flake8-async and Ruff see only direct calls.",
	},
};
