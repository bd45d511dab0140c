/* AA111 blocking-path-check (opt-in): file metadata queries in async context. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

#include <stdio.h>
#include <string.h>

extern const struct aa_rule aa_rule_blocking_path_check;

#define FN(name, fix) { name, 0, fix, NULL }
#define METHOD(name, fix) { name, AA_TARGET_METHOD, fix, NULL }

#define THREAD(f) "await asyncio.to_thread(" f ")"

static const struct aa_target targets[] = {
	FN("os.path.exists", THREAD("os.path.exists, path")),
	FN("os.path.lexists", THREAD("os.path.lexists, path")),
	FN("os.path.isfile", THREAD("os.path.isfile, path")),
	FN("os.path.isdir", THREAD("os.path.isdir, path")),
	FN("os.path.islink", THREAD("os.path.islink, path")),
	FN("os.path.ismount", THREAD("os.path.ismount, path")),
	FN("os.path.getsize", THREAD("os.path.getsize, path")),
	FN("os.path.getmtime", THREAD("os.path.getmtime, path")),
	FN("os.path.getatime", THREAD("os.path.getatime, path")),
	FN("os.path.getctime", THREAD("os.path.getctime, path")),
	FN("os.path.samefile", THREAD("os.path.samefile, a, b")),
	FN("os.path.sameopenfile", THREAD("os.path.sameopenfile, fd1, fd2")),
	FN("os.path.realpath", THREAD("os.path.realpath, path")),
	FN("os.stat", THREAD("os.stat, path")),
	FN("os.lstat", THREAD("os.lstat, path")),
	FN("os.access", THREAD("os.access, path, mode")),
	METHOD("pathlib.Path.exists", THREAD("path.exists")),
	METHOD("pathlib.Path.is_file", THREAD("path.is_file")),
	METHOD("pathlib.Path.is_dir", THREAD("path.is_dir")),
	METHOD("pathlib.Path.is_symlink", THREAD("path.is_symlink")),
	METHOD("pathlib.Path.is_mount", THREAD("path.is_mount")),
	METHOD("pathlib.Path.stat", THREAD("path.stat")),
	METHOD("pathlib.Path.lstat", THREAD("path.lstat")),
	METHOD("pathlib.Path.samefile", THREAD("path.samefile, other")),
	METHOD("pathlib.Path.resolve", THREAD("path.resolve")),
};

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_path_check, call, NULL);
	if (!t)
		return;
	aa_blocking_report(ctx, &aa_rule_blocking_path_check, call, t, NULL);
}

static const char *const equivalents[] = { "ASYNC240", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_path_check = {
	.code = "AA111",
	.name = "blocking-path-check",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_NOTE,
	.default_on = false,
	.summary = "A file metadata query (exists, stat, realpath) makes a system call inside an async function",
	.equivalents = equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds file metadata queries in async context (the body of an `async def`, outside nested "
			"`def`s and lambdas): the `os.path` functions that ask the file system (`exists`, `lexists`, "
			"`isfile`, `isdir`, `islink`, `ismount`, `getsize`, `getmtime`, `getatime`, `getctime`, "
			"`samefile`, `sameopenfile`, `realpath`), `os.stat()`, `os.lstat()`, `os.access()`, and the "
			"same queries on `pathlib.Path` objects (`exists`, `is_file`, `is_dir`, `is_symlink`, "
			"`is_mount`, `stat`, `lstat`, `samefile`, `resolve`).",
		.why = "Each of these is a `stat`-family system call (`realpath` and `resolve` make one per path "
		       "component) run on the event loop's thread. On a local disk with a warm cache it returns in "
		       "microseconds, which is why this rule is opt-in; on a network file system, a sleeping disk or "
		       "a directory with heavy contention it can take milliseconds or more, and no other task runs "
		       "meanwhile. Select it for services that touch remote or slow storage.",
		.example = "import os\n\nasync def cached(path):\n"
			   "    if os.path.exists(path):\n"
			   "        return path\n"
			   "    return None\n",
		.use_instead = "import asyncio\nimport os\n\nasync def cached(path):\n"
			       "    if await asyncio.to_thread(os.path.exists, path):\n"
			       "        return path\n"
			       "    return None\n",
		.anchor = "The call; its start is the start of the callee (`os.path.exists`, `path.is_file`).",
		.exceptions = "Only calls are findings: `await asyncio.to_thread(os.path.exists, path)` is the fix, "
			      "and calls in a nested `def` or `lambda` are not findings (they may run in a worker thread). "
			      "Functions that only compute names never touch the disk and are never findings: "
			      "`os.path.join()`, `basename()`, `dirname()`, `splitext()`, `normpath()`, `abspath()`, "
			      "and the `PurePath` operations of a `Path` (`path / \"x\"`, `path.parent`, `path.name`, "
			      "`path.with_suffix()`). `anyio.Path`, `trio.Path` and `aiofiles.os.path` are the async "
			      "equivalents and never findings. Methods count only on receivers known to be a "
			      "`pathlib.Path` (built, annotated or derived with `/`, `.parent` and the like). An awaited "
			      "call is never one of these sync calls."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async's `ASYNC240` (`os.path` functions) and Ruff's `ASYNC240` (also "
				    "`pathlib.Path` methods; a preview rule there, off by default like AA111) suppress "
				    "AA111.",
		.references = "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n"
			      "- [AnyIO: Asynchronous file I/O](https://anyio.readthedocs.io/en/stable/fileio.html)\n",
	},
};
