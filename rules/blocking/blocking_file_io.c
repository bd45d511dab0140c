/* AA104 blocking-file-io: file system I/O in async context. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"

#include <stdio.h>
#include <string.h>

extern const struct aa_rule aa_rule_blocking_file_io;

#define FN(name, fix) { name, 0, fix, NULL }
#define METHOD(name, fix) { name, AA_TARGET_METHOD, fix, NULL }

#define THREAD(f) "await asyncio.to_thread(" f ")"
#define FD_IO(name, fix) { name, AA_TARGET_CONDITIONAL, fix, FD_BLOCKS }
#define FD_BLOCKS "outside a `try` that catches `BlockingIOError`, which marks a non-blocking descriptor"
#define LAZY_FN(name, fix) { name, AA_TARGET_CONDITIONAL, fix, LAZY_BLOCKS }
#define LAZY_METHOD(name, fix) { name, AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, fix, LAZY_BLOCKS }
#define LAZY_BLOCKS "the generator is iterated in the async function, not handed to a thread unconsumed"
/* pandas' writers return a string when given no path (`df.to_csv()`): only a path or a
 * buffer makes them write. */
#define PATH_METHOD(name, fix) { name, AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, fix, PATH_GIVEN }
#define PATH_GIVEN "given a path or buffer (the first argument, `path_or_buf` or `path`)"
/* Generators do their I/O while iterated: the whole iteration goes to the thread. */
#define THREAD_LIST(expr) "await asyncio.to_thread(lambda: list(" expr "))"

static const struct aa_target targets[] = {
	/* Opening files. */
	FN("builtins.open", "async with aiofiles.open()"),
	FN("io.open", "async with aiofiles.open()"),
	FN("os.open", THREAD("os.open, path, flags")),
	FD_IO("os.read", THREAD("os.read, fd, n")),
	FD_IO("os.write", THREAD("os.write, fd, data")),
	/* pathlib.Path objects: Path(...), p / "x", p.parent, Path.home(), annotations. */
	METHOD("pathlib.Path.open", "async with aiofiles.open(path)"),
	METHOD("pathlib.Path.read_text", THREAD("path.read_text")),
	METHOD("pathlib.Path.read_bytes", THREAD("path.read_bytes")),
	METHOD("pathlib.Path.write_text", THREAD("path.write_text, text")),
	METHOD("pathlib.Path.write_bytes", THREAD("path.write_bytes, data")),
	METHOD("pathlib.Path.touch", THREAD("path.touch")),
	METHOD("pathlib.Path.mkdir", THREAD("path.mkdir")),
	METHOD("pathlib.Path.rmdir", THREAD("path.rmdir")),
	METHOD("pathlib.Path.unlink", THREAD("path.unlink")),
	METHOD("pathlib.Path.rename", THREAD("path.rename, target")),
	METHOD("pathlib.Path.replace", THREAD("path.replace, target")),
	LAZY_METHOD("pathlib.Path.iterdir", THREAD_LIST("path.iterdir()")),
	LAZY_METHOD("pathlib.Path.glob", THREAD_LIST("path.glob(pattern)")),
	LAZY_METHOD("pathlib.Path.rglob", THREAD_LIST("path.rglob(pattern)")),
	/* os: directories and names. */
	FN("os.listdir", THREAD("os.listdir, path")),
	FN("os.scandir", THREAD_LIST("os.scandir(path)")),
	LAZY_FN("os.walk", THREAD_LIST("os.walk(top)")),
	FN("os.remove", THREAD("os.remove, path")),
	FN("os.unlink", THREAD("os.unlink, path")),
	FN("os.rename", THREAD("os.rename, src, dst")),
	FN("os.replace", THREAD("os.replace, src, dst")),
	FN("os.mkdir", THREAD("os.mkdir, path")),
	FN("os.makedirs", THREAD("os.makedirs, path")),
	FN("os.rmdir", THREAD("os.rmdir, path")),
	FN("os.removedirs", THREAD("os.removedirs, path")),
	/* shutil: every function that copies, moves, deletes or archives files. */
	FN("shutil.copy", THREAD("shutil.copy, src, dst")),
	FN("shutil.copy2", THREAD("shutil.copy2, src, dst")),
	FN("shutil.copyfile", THREAD("shutil.copyfile, src, dst")),
	FN("shutil.copyfileobj", THREAD("shutil.copyfileobj, fsrc, fdst")),
	FN("shutil.copymode", THREAD("shutil.copymode, src, dst")),
	FN("shutil.copystat", THREAD("shutil.copystat, src, dst")),
	FN("shutil.copytree", THREAD("shutil.copytree, src, dst")),
	FN("shutil.move", THREAD("shutil.move, src, dst")),
	FN("shutil.rmtree", THREAD("shutil.rmtree, path")),
	FN("shutil.make_archive", THREAD("shutil.make_archive, base_name, format")),
	FN("shutil.unpack_archive", THREAD("shutil.unpack_archive, filename")),
	/* glob */
	FN("glob.glob", THREAD("glob.glob, pattern")),
	LAZY_FN("glob.iglob", THREAD("glob.glob, pattern")),
	/* tempfile: the functions that create a file or directory. */
	FN("tempfile.TemporaryFile", "async with aiofiles.tempfile.TemporaryFile()"),
	FN("tempfile.NamedTemporaryFile", "async with aiofiles.tempfile.NamedTemporaryFile()"),
	FN("tempfile.TemporaryDirectory", "async with aiofiles.tempfile.TemporaryDirectory()"),
	FN("tempfile.mkstemp", THREAD("tempfile.mkstemp")),
	FN("tempfile.mkdtemp", THREAD("tempfile.mkdtemp")),
	/* Data libraries: pandas, numpy and Pillow read and write files synchronously. */
	FN("io.open_code", THREAD("io.open_code, path")),
	FN("pandas.read_csv", THREAD("pandas.read_csv, path")),
	FN("pandas.read_table", THREAD("pandas.read_table, path")),
	FN("pandas.read_fwf", THREAD("pandas.read_fwf, path")),
	FN("pandas.read_excel", THREAD("pandas.read_excel, path")),
	FN("pandas.read_json", THREAD("pandas.read_json, path")),
	FN("pandas.read_parquet", THREAD("pandas.read_parquet, path")),
	FN("pandas.read_feather", THREAD("pandas.read_feather, path")),
	FN("pandas.read_orc", THREAD("pandas.read_orc, path")),
	FN("pandas.read_pickle", THREAD("pandas.read_pickle, path")),
	FN("pandas.read_hdf", THREAD("pandas.read_hdf, path")),
	FN("pandas.read_stata", THREAD("pandas.read_stata, path")),
	FN("pandas.read_sas", THREAD("pandas.read_sas, path")),
	FN("pandas.read_spss", THREAD("pandas.read_spss, path")),
	FN("pandas.read_xml", THREAD("pandas.read_xml, path")),
	METHOD("pandas.DataFrame.to_excel", THREAD("df.to_excel, path")),
	METHOD("pandas.DataFrame.to_pickle", THREAD("df.to_pickle, path")),
	METHOD("pandas.DataFrame.to_feather", THREAD("df.to_feather, path")),
	METHOD("pandas.DataFrame.to_hdf", THREAD("df.to_hdf, path")),
	METHOD("pandas.DataFrame.to_stata", THREAD("df.to_stata, path")),
	METHOD("pandas.DataFrame.to_orc", THREAD("df.to_orc, path")),
	PATH_METHOD("pandas.DataFrame.to_csv", THREAD("df.to_csv, path")),
	PATH_METHOD("pandas.DataFrame.to_json", THREAD("df.to_json, path")),
	PATH_METHOD("pandas.DataFrame.to_parquet", THREAD("df.to_parquet, path")),
	PATH_METHOD("pandas.DataFrame.to_xml", THREAD("df.to_xml, path")),
	FN("numpy.load", THREAD("numpy.load, path")),
	FN("numpy.save", THREAD("numpy.save, path")),
	FN("numpy.savez", THREAD("numpy.savez, path")),
	FN("numpy.savez_compressed", THREAD("numpy.savez_compressed, path")),
	FN("numpy.loadtxt", THREAD("numpy.loadtxt, path")),
	FN("numpy.savetxt", THREAD("numpy.savetxt, path")),
	FN("numpy.genfromtxt", THREAD("numpy.genfromtxt, path")),
	FN("numpy.fromfile", THREAD("numpy.fromfile, path")),
	METHOD("numpy.ndarray.tofile", THREAD("array.tofile, path")),
	FN("PIL.Image.open", THREAD("PIL.Image.open, path")),
	METHOD("PIL.Image.Image.save", THREAD("image.save, path")),
	/* File reads hidden in other calls (home-assistant's runtime detector flags these). */
	FN("ssl.create_default_context", THREAD("ssl.create_default_context")),
	METHOD("ssl.SSLContext.load_verify_locations", THREAD("ctx.load_verify_locations, cafile")),
	METHOD("ssl.SSLContext.load_cert_chain", THREAD("ctx.load_cert_chain, certfile")),
	METHOD("ssl.SSLContext.load_default_certs", THREAD("ctx.load_default_certs")),
	FN("importlib.import_module", THREAD("importlib.import_module, name")),
};

/* True when the handler's type names BlockingIOError (alone or in a tuple). */
static bool handler_catches_blocking_io(struct aa_ctx *ctx, TSNode handler)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode alias = ts_node_child_by_field_id(handler, s->f.alias);
	TSNode stack[16];
	size_t n = 0;
	uint32_t count = ts_node_named_child_count(handler);
	for (uint32_t i = 0; i < count && n < 16; i++) {
		TSNode c = ts_node_named_child(handler, i);
		TSSymbol k = ts_node_symbol(c);
		if (k != s->block && k != s->comment && !ts_node_eq(c, alias))
			stack[n++] = c;
	}
	while (n) {
		TSNode e = stack[--n];
		TSSymbol k = ts_node_symbol(e);
		if (k == s->tuple || k == s->parenthesized_expression || k == s->as_pattern) {
			uint32_t m = ts_node_named_child_count(e);
			for (uint32_t i = 0; i < m && n < 16; i++) {
				TSNode c = ts_node_named_child(e, i);
				if (ts_node_symbol(c) != s->as_pattern_target)
					stack[n++] = c;
			}
			continue;
		}
		if (k != s->identifier && k != s->attribute)
			continue;
		struct aa_meaning m = aa_ctx_eval(ctx, e);
		if (m.kind == AA_MEANING_NAME && !strcmp(m.qualname, "builtins.BlockingIOError"))
			return true;
	}
	return false;
}

/* os.read/os.write inside the body of a `try` that catches BlockingIOError, in the same
 * function: the descriptor is non-blocking (EAGAIN is the only source of that error), so
 * the call returns at once. This is how trio and asyncio implement pipes. */
static bool non_blocking_fd(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	/* A class body in between is still the same function. */
	for (TSNode t = aa_ctx_try_around(ctx, call, false); !ts_node_is_null(t); t = aa_ctx_try_around(ctx, t, false)) {
		uint32_t count = ts_node_named_child_count(t);
		for (uint32_t i = 0; i < count; i++) {
			TSNode h = ts_node_named_child(t, i);
			if (ts_node_symbol(h) == s->except_clause && handler_catches_blocking_io(ctx, h))
				return true;
		}
	}
	return false;
}

/* --- lazy generators ------------------------------------------------------------- */

/* Path.iterdir/glob/rglob, os.walk and glob.iglob return generators that touch the disk
 * only when iterated: `await asyncio.to_thread(list, path.glob("*"))` is the fix, not a
 * finding. They are findings unless the generator goes, unconsumed, to a thread API or to
 * project code (which may do the same), directly or through a local name. */

#define MAX_SCAN_NODES 50000

/* expr (the generator or a name bound to it) is an argument of a call that hands it to
 * a thread or to project code. */
static bool handed_off_at(struct aa_ctx *ctx, TSNode expr)
{
	static const char *const thread_apis[] = { "asyncio.to_thread", "anyio.to_thread.run_sync",
						   "trio.to_thread.run_sync", "functools.partial", NULL };
	static const char *const thread_methods[] = { "run_in_executor", "submit", "run_sync", NULL };
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode p = aa_ctx_parent_unparen(ctx, expr, NULL, 0, NULL);
	if (!ts_node_is_null(p) && ts_node_symbol(p) == s->keyword_argument)
		p = aa_ctx_parent(ctx, p);
	if (ts_node_is_null(p) || ts_node_symbol(p) != s->argument_list)
		return false;
	TSNode fn = ts_node_child_by_field_id(aa_ctx_parent(ctx, p), s->f.function);
	if (ts_node_is_null(fn))
		return false;
	if (ts_node_symbol(fn) == s->attribute) {
		TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
		for (size_t i = 0; thread_methods[i]; i++)
			if (!ts_node_is_null(attr) && aa_ctx_text_is(ctx, attr, thread_methods[i]))
				return true;
	}
	struct aa_meaning m = aa_ctx_eval(ctx, fn);
	if (m.kind == AA_MEANING_FUNCTION || m.kind == AA_MEANING_CLASS)
		return true;
	if (m.kind != AA_MEANING_NAME)
		return false;
	for (size_t i = 0; thread_apis[i]; i++)
		if (!strcmp(m.qualname, thread_apis[i]))
			return true;
	return false;
}

/* Every read of `name` in function is handed off (or sits in a nested def or lambda,
 * which runs wherever it is sent), and there is at least one. */
struct handoff_scan {
	struct aa_ctx *ctx;
	TSNode function, target;
	const char *name;
	uint32_t len;
	size_t uses;
};

static enum aa_visit visit_reads(void *ud, TSNode n)
{
	struct handoff_scan *h = ud;
	struct aa_ctx *ctx = h->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(n) != s->identifier || ts_node_eq(n, h->target) ||
	    !aa_node_text_is(aa_ctx_source(ctx)->text, n, h->name, h->len))
		return AA_VISIT_DESCEND;
	TSNode p = aa_ctx_parent(ctx, n);
	TSSymbol pk = ts_node_symbol(p);
	bool is_field = (pk == s->attribute && ts_node_eq(ts_node_child_by_field_id(p, s->f.attribute), n)) ||
			(pk == s->keyword_argument && ts_node_eq(ts_node_child_by_field_id(p, s->f.name), n));
	if (is_field)
		return AA_VISIT_DESCEND;
	h->uses++;
	return aa_node_in_nested_def(s, n, h->function, false) || handed_off_at(ctx, n) ? AA_VISIT_DESCEND : AA_VISIT_STOP;
}

static bool name_handed_off(struct aa_ctx *ctx, TSNode function, TSNode target)
{
	struct handoff_scan h = { ctx, function, target, NULL, 0, 0 };
	h.name = aa_ctx_text(ctx, target, &h.len);
	return aa_subtree_walk(function, MAX_SCAN_NODES, visit_reads, &h) && h.uses > 0;
}

static bool generator_handed_off(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	/* `gen = (path.iterdir() if old_python else await ...)` */
	TSNode e;
	TSNode p = aa_ctx_parent_unparen(ctx, call, (const TSSymbol[]){ s->conditional_expression }, 1, &e);
	if (ts_node_is_null(p))
		return false;
	if (ts_node_symbol(p) == s->argument_list || ts_node_symbol(p) == s->keyword_argument)
		return handed_off_at(ctx, e);
	if (ts_node_symbol(p) != s->assignment || !ts_node_eq(ts_node_child_by_field_id(p, s->f.right), e))
		return false;
	TSNode target = ts_node_child_by_field_id(p, s->f.left);
	if (ts_node_is_null(target) || ts_node_symbol(target) != s->identifier)
		return false;
	TSNode function = p;
	while (!ts_node_is_null(function) && ts_node_symbol(function) != s->function_definition)
		function = aa_ctx_parent(ctx, function);
	if (ts_node_is_null(function))
		return false;
	return name_handed_off(ctx, function, target);
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_file_io, call, NULL);
	if (!t)
		return;
	if (t->flags & AA_TARGET_CONDITIONAL) {
		if (!strcmp(t->condition, PATH_GIVEN)) {
			if (ts_node_is_null(aa_call_arg(ctx, call, 0, "path_or_buf")) &&
			    ts_node_is_null(aa_call_arg(ctx, call, -1, "path")))
				return;
		} else if (!strcmp(t->condition, LAZY_BLOCKS) ? generator_handed_off(ctx, call)
							       : non_blocking_fd(ctx, call)) {
			return;
		}
	}
	aa_blocking_report(ctx, &aa_rule_blocking_file_io, call, t, NULL);
}

static const char *const equivalents[] = { "ASYNC230", NULL };
static const char *const former_equivalents[] = { "ASYNC101", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_file_io = {
	.code = "AA104",
	.name = "blocking-file-io",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.fix = {
		AA_FIX_UNSAFE,
		"Run it in a thread with await asyncio.to_thread()",
		"`os.listdir(path)` becomes `await asyncio.to_thread(os.listdir, path)`, the callee and arguments kept as "
		"written, and `import asyncio` is added when nothing binds the name. Unsafe (applied with "
		"`--unsafe-fixes`): the call then runs concurrently with the loop's other tasks, so what it touches must "
		"be safe to use from another thread. Offered only for certain targets whose suggestion is "
		"`asyncio.to_thread` with the call as it is: not for `open()` (aiofiles), the generator forms "
		"(`os.walk`, `Path.glob`: the iteration must move too), conditional targets, calls with "
		"`*args`/`**kwargs`, in modules that use trio or anyio, or where `await` cannot be written (a "
		"comprehension, a generator expression).",
	},
	.travels = true,
	.default_on = false,
	.summary = "Synchronous file system I/O blocks the event loop inside an async function",
	.equivalents = equivalents,
	.former_equivalents = former_equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds file system I/O in async context (the body of an `async def`, outside nested `def`s "
			"and lambdas): opening files (`open()`, `io.open()`, `io.open_code()`, `os.open()`) and "
			"`os.read()`/`os.write()`; "
			"the I/O methods of `pathlib.Path` objects; creating, listing, renaming and deleting files and "
			"directories with `os`, `shutil` and `glob`; creating temporary files and directories with "
			"`tempfile`; and the file reads hidden in `ssl.create_default_context()`, the certificate "
			"loading methods of `ssl.SSLContext` objects and `importlib.import_module()`. The data "
			"libraries async services use most are covered too: pandas' `read_*` functions and the "
			"`DataFrame.to_*` writers (`to_csv`, `to_json`, `to_parquet` and `to_xml` only when given a "
			"path or buffer: without one they return the data), numpy's `load`, `save`, `savez`, "
			"`loadtxt`, `savetxt`, `genfromtxt`, `fromfile` and `ndarray.tofile`, and Pillow's "
			"`Image.open` and `Image.save`, on objects the tracker knows (`df = pd.read_csv(...)`, "
			"`pd.DataFrame(...)`, `np.load(...)`, `Image.open(...)`, or annotated).",
		.why = "A file system call holds the event loop's thread until the kernel answers. On a local SSD "
		       "that is usually short, but not bounded: a cold cache, a network file system, a large file, "
		       "a directory tree or a busy disk turn it into milliseconds or seconds during which no other "
		       "task runs and no timeout fires. Loading CA certificates and importing a module read many "
		       "files at once. Running the work in a thread (`asyncio.to_thread`) or through an async file "
		       "library (`aiofiles`, `anyio.open_file`, `anyio.Path`) keeps the loop serving other tasks.",
		.example = "import json\n\nasync def load_settings(path):\n"
			   "    with open(path) as f:\n"
			   "        return json.load(f)\n",
		.use_instead = "import json\n\nimport aiofiles\n\nasync def load_settings(path):\n"
			       "    async with aiofiles.open(path) as f:\n"
			       "        return json.loads(await f.read())\n",
		.anchor = "The call; its start is the start of the callee (`open`, `path.read_text`, `shutil.copy`).",
		.exceptions = "Opt-in (`--extend-select AA104`): read in context on 15 async applications, most of "
			      "its findings were small local files read once at start-up, in a CLI command or on an "
			      "operator's request, which maintainers would not change (docs/precision.md). Select it "
			      "for a service that reads large or remote files, or files on every request. "
			      "Only calls are findings: `await asyncio.to_thread(path.read_text)` and "
			      "`loop.run_in_executor(None, shutil.rmtree, tmp)` are the fix for code that must stay "
			      "synchronous, and calls in a nested `def` or `lambda` are not findings (they may run in a "
			      "worker thread). `aiofiles.open()`, `anyio.open_file()`, `trio.open_file()` and the methods "
			      "of `anyio.Path`/`trio.Path` are the async equivalents and never findings. Pure functions "
			      "that only compute names are never findings: `os.path.join()`, `os.path.basename()`, "
			      "`os.path.dirname()`, `os.path.splitext()`, constructing a `Path`, `path / \"x\"`, "
			      "`path.parent`, `path.with_suffix()` and the other `PurePath` operations. Metadata queries "
			      "(`os.path.exists()`, `Path.is_file()`, `os.stat()`) are the opt-in rule AA111. "
			      "`Path.iterdir()`, `Path.glob()`, `Path.rglob()`, `os.walk()` and `glob.iglob()` return "
			      "generators that touch the disk only when iterated: handing one unconsumed to a thread "
			      "(`await asyncio.to_thread(list, path.glob(\"*\"))`, `run_in_executor`, `functools.partial`) "
			      "or to project code, directly or through a local name, is not a finding. "
			      "`os.read()`/`os.write()` in the body of a `try` that catches `BlockingIOError` work on a "
			      "non-blocking descriptor (the way trio and asyncio implement pipes) and are not findings. "
			      "`tempfile.SpooledTemporaryFile()` is not a finding (it stays in memory until it rolls over), "
			      "nor is `tempfile.gettempdir()` (only its first call in a process probes the candidate "
			      "directories; later calls return the cached name). Methods count only on receivers known to "
			      "be a `pathlib.Path` or an `ssl.SSLContext` (built, annotated or entered with `with` where "
			      "the analyzer can see it). An awaited call is never one of these sync calls. In a module "
			      "that imports trio or anyio the suggested fix is `open_file()` / `to_thread.run_sync()` of "
			      "that library."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async's and Ruff's `ASYNC230` (`open()`, `io.open()`, and in Ruff "
				    "`Path.open()`) suppresses AA104. `ASYNC231` (`os.fdopen()`, which wraps a descriptor "
				    "that is already open) and `ASYNC232` (methods of file objects) report calls AA104 "
				    "does not, so they are not equivalents.",
		.references = "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n"
			      "- [aiofiles](https://github.com/Tinche/aiofiles)\n"
			      "- [AnyIO: Asynchronous file I/O](https://anyio.readthedocs.io/en/stable/fileio.html)\n",
	},
};
