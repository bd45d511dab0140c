/* AA113 blocking-sqlite-call: the standard library's sqlite3 connecting or querying in
 * async context. Opt-in: a local file, not a server (docs/precision.md). */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

#include <string.h>

extern const struct aa_rule aa_rule_blocking_sqlite_call;

#define M AA_TARGET_METHOD
#define FIX_SQLITE_CONNECT "await aiosqlite.connect()"
#define FIX_SQLITE "aiosqlite (the same calls, awaited)"

static const struct aa_target targets[] = {
	{ "sqlite3.connect", 0, FIX_SQLITE_CONNECT, NULL },
	{ "sqlite3.dbapi2.connect", 0, FIX_SQLITE_CONNECT, NULL },
	{ "sqlite3.Connection.execute", M, FIX_SQLITE, NULL },
	{ "sqlite3.Connection.executemany", M, FIX_SQLITE, NULL },
	{ "sqlite3.Connection.executescript", M, FIX_SQLITE, NULL },
	{ "sqlite3.Connection.commit", M, FIX_SQLITE, NULL },
	{ "sqlite3.Connection.rollback", M, FIX_SQLITE, NULL },
	{ "sqlite3.Connection.backup", M, FIX_SQLITE, NULL },
	{ "sqlite3.Cursor.execute", M, FIX_SQLITE, NULL },
	{ "sqlite3.Cursor.executemany", M, FIX_SQLITE, NULL },
	{ "sqlite3.Cursor.executescript", M, FIX_SQLITE, NULL },
	{ "sqlite3.Cursor.fetchone", M, FIX_SQLITE, NULL },
	{ "sqlite3.Cursor.fetchmany", M, FIX_SQLITE, NULL },
	{ "sqlite3.Cursor.fetchall", M, FIX_SQLITE, NULL },
};

static bool text_is(const char *t, uint32_t len, const char *s)
{
	return strlen(s) == len && !memcmp(t, s, len);
}

/* sqlite3.connect(":memory:") and "file::memory:..." URIs touch no file: what runs on
 * such a connection is CPU work, not I/O that parks the loop. */
static bool connect_in_memory(struct aa_ctx *ctx, TSNode connect)
{
	uint32_t len;
	const char *db = aa_blocking_literal_text(ctx, aa_call_arg(ctx, connect, 0, "database"), &len);
	return db && (text_is(db, len, ":memory:") || (len >= 13 && !memcmp(db, "file::memory:", 13)));
}

/* Follows a cursor back to the connect() that made its connection: cur <- conn.cursor()
 * or conn.execute() <- sqlite3.connect(...). Bounded: a chain is a few links long. */
static bool object_in_memory(struct aa_ctx *ctx, TSNode origin)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	for (int step = 0; step < 4 && !ts_node_is_null(origin); step++) {
		uint32_t len;
		const char *m = aa_blocking_method_name(ctx, origin, &len);
		bool from_object = m && (text_is(m, len, "cursor") || text_is(m, len, "execute") ||
					 text_is(m, len, "executemany") || text_is(m, len, "executescript"));
		if (!from_object)
			return connect_in_memory(ctx, origin);
		TSNode fn = ts_node_child_by_field_id(origin, s->f.function);
		struct aa_meaning om = aa_ctx_eval(ctx, ts_node_child_by_field_id(fn, s->f.object));
		if (om.kind != AA_MEANING_INSTANCE || strncmp(om.qualname, "sqlite3.", 8))
			return false;
		origin = om.node;
	}
	return false;
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c;
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_sqlite_call, call, &c);
	if (!t || (c->kind == AA_CALLEE_FUNCTION ? connect_in_memory(ctx, call) : object_in_memory(ctx, c->origin)))
		return;
	aa_blocking_report(ctx, &aa_rule_blocking_sqlite_call, call, t, NULL);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_sqlite_call = {
	.code = "AA113",
	.name = "blocking-sqlite-call",
	.family = &aa_family_blocking,
	/* as AA106: a finding in a coroutine that may run alone waits for the index */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_WARNING,
	.travels = true,
	.default_on = false,
	.summary = "The standard library's sqlite3 connects or queries inside an async function",
	.equivalents = NULL,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds `sqlite3` calls in async context (the body of an `async def`, outside nested `def`s "
			"and lambdas): `sqlite3.connect()` and the query methods of its connections and cursors "
			"(`execute*`, `commit`, `rollback`, `backup`, `fetch*`). The receiver must be known to be "
			"such an object: built by `sqlite3.connect()` or its `cursor()`/`execute()` in a way the "
			"analyzer can see, or annotated with its class. And, with AA106 (blocking-database-call) "
			"selected too, AA106's SQLAlchemy findings in a project whose every sync engine is SQLite "
			"(AA106's page says how engines are read).",
		.why = "sqlite3 reads and writes a local file on the calling thread, which in a coroutine runs "
		       "the event loop: a large query, a write's `fsync`, or a wait for another connection's "
		       "lock (up to the connection's `timeout`, 5 seconds by default) stalls every other task.",
		.example = "import sqlite3\n\nasync def count_users(path):\n    conn = sqlite3.connect(path)\n"
			   "    return conn.execute(\"select count(*) from users\").fetchone()\n",
		.use_instead = "import aiosqlite\n\nasync def count_users(path):\n"
			       "    async with aiosqlite.connect(path) as conn:\n"
			       "        cursor = await conn.execute(\"select count(*) from users\")\n"
			       "        return await cursor.fetchone()\n",
		.anchor = "The call; its start is the start of the callee (`conn.execute`, `sqlite3.connect`). "
			  "In a chain such as `conn.execute(q).fetchone()` the outermost blocking call is the "
			  "finding.",
		.exceptions = "Opt-in (`--extend-select AA113`): read in context on async applications in five "
			      "studies, the queries of a bot or service on its own small local database were "
			      "judged not worth changing by every reader (sub-millisecond work, often once per "
			      "command), unlike a database server's round trips, which AA106 reports by default "
			      "(docs/precision.md). Select it for an application whose SQLite database is large, "
			      "written often, or shared between processes. `aiosqlite` is the fix and never "
			      "reported; so is running the sync code in a worker thread (`await "
			      "asyncio.to_thread(conn.execute, q)` passes a reference); `conn.cursor()` does no I/O; "
			      "everything on a connection to `\":memory:\"` (or a `file::memory:` URI) is CPU work, "
			      "not reported."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async and Ruff have no rule for database drivers.",
		.references = "- [sqlite3: connect() and its timeout](https://docs.python.org/3/library/sqlite3.html#sqlite3.connect)\n"
			      "- [aiosqlite](https://aiosqlite.omnilib.dev/)\n",
	},
};
