/* AA106 blocking-database-call: sync database drivers connecting or querying in async context. */
#include "rules/blocking/blocking.h"
#include "rules/blocking/sqlalchemy_engines.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"

#include <string.h>

extern const struct aa_rule aa_rule_blocking_database_call;

#define M AA_TARGET_METHOD
#define MC (AA_TARGET_METHOD | AA_TARGET_CONDITIONAL)

#define FIX_PG2_CONNECT "await asyncpg.connect() or await psycopg.AsyncConnection.connect()"
#define FIX_PG2 "asyncpg, or psycopg.AsyncConnection (the same calls, awaited)"
#define FIX_PG_CONNECT "await psycopg.AsyncConnection.connect()"
#define FIX_PG "psycopg.AsyncConnection (the same calls, awaited)"
#define FIX_MYSQL_CONNECT "await aiomysql.connect()"
#define FIX_MYSQL "aiomysql (the same calls, awaited)"
#define FIX_MONGO "pymongo.AsyncMongoClient or motor (the same calls, awaited)"
#define FIX_REDIS "redis.asyncio.Redis (the same commands, awaited)"
#define FIX_SA_ENGINE "sqlalchemy.ext.asyncio.create_async_engine() (the same calls, awaited)"
#define FIX_SA_SESSION "sqlalchemy.ext.asyncio.AsyncSession (await session.execute(select(...)))"

#define SS_PG \
	"on a server-side (named) cursor: conn.cursor(name) or conn.cursor(name=...); " \
	"a client-side cursor holds every row after execute()"
#define SS_MYSQL \
	"on an unbuffered cursor: conn.cursor(SSCursor) or conn.cursor(SSDictCursor); " \
	"a buffered cursor holds every row after execute()"

#define REDIS(cmd) { "redis.Redis." cmd, M, FIX_REDIS, NULL }

static const struct aa_target targets[] = {
	/* psycopg2 */
	{ "psycopg2.connect", 0, FIX_PG2_CONNECT, NULL },
	{ "psycopg2.Connection.commit", M, FIX_PG2, NULL },
	{ "psycopg2.Connection.rollback", M, FIX_PG2, NULL },
	{ "psycopg2.Cursor.execute", M, FIX_PG2, NULL },
	{ "psycopg2.Cursor.executemany", M, FIX_PG2, NULL },
	{ "psycopg2.Cursor.callproc", M, FIX_PG2, NULL },
	{ "psycopg2.Cursor.copy_from", M, FIX_PG2, NULL },
	{ "psycopg2.Cursor.copy_to", M, FIX_PG2, NULL },
	{ "psycopg2.Cursor.copy_expert", M, FIX_PG2, NULL },
	{ "psycopg2.Cursor.fetchone", MC, FIX_PG2, SS_PG },
	{ "psycopg2.Cursor.fetchmany", MC, FIX_PG2, SS_PG },
	{ "psycopg2.Cursor.fetchall", MC, FIX_PG2, SS_PG },
	/* psycopg 3, sync API (psycopg.AsyncConnection is the fix) */
	{ "psycopg.connect", 0, FIX_PG_CONNECT, NULL },
	{ "psycopg.Connection.connect", 0, FIX_PG_CONNECT, NULL },
	{ "psycopg.Connection.execute", M, FIX_PG, NULL },
	{ "psycopg.Connection.commit", M, FIX_PG, NULL },
	{ "psycopg.Connection.rollback", M, FIX_PG, NULL },
	{ "psycopg.Cursor.execute", M, FIX_PG, NULL },
	{ "psycopg.Cursor.executemany", M, FIX_PG, NULL },
	{ "psycopg.Cursor.fetchone", MC, FIX_PG, SS_PG },
	{ "psycopg.Cursor.fetchmany", MC, FIX_PG, SS_PG },
	{ "psycopg.Cursor.fetchall", MC, FIX_PG, SS_PG },
	/* PyMySQL */
	{ "pymysql.connect", 0, FIX_MYSQL_CONNECT, NULL },
	{ "pymysql.Connect", 0, FIX_MYSQL_CONNECT, NULL },
	{ "pymysql.Connection", 0, FIX_MYSQL_CONNECT, NULL },
	{ "pymysql.connections.Connection", 0, FIX_MYSQL_CONNECT, NULL },
	{ "pymysql.Connection.commit", M, FIX_MYSQL, NULL },
	{ "pymysql.Connection.rollback", M, FIX_MYSQL, NULL },
	{ "pymysql.Connection.begin", M, FIX_MYSQL, NULL },
	{ "pymysql.Connection.query", M, FIX_MYSQL, NULL },
	{ "pymysql.Connection.ping", M, FIX_MYSQL, NULL },
	{ "pymysql.Connection.select_db", M, FIX_MYSQL, NULL },
	{ "pymysql.Cursor.execute", M, FIX_MYSQL, NULL },
	{ "pymysql.Cursor.executemany", M, FIX_MYSQL, NULL },
	{ "pymysql.Cursor.callproc", M, FIX_MYSQL, NULL },
	{ "pymysql.Cursor.fetchone", MC, FIX_MYSQL, SS_MYSQL },
	{ "pymysql.Cursor.fetchmany", MC, FIX_MYSQL, SS_MYSQL },
	{ "pymysql.Cursor.fetchall", MC, FIX_MYSQL, SS_MYSQL },
	/* mysqlclient (MySQLdb) */
	{ "MySQLdb.connect", 0, FIX_MYSQL_CONNECT, NULL },
	{ "MySQLdb.Connect", 0, FIX_MYSQL_CONNECT, NULL },
	{ "MySQLdb.Connection", 0, FIX_MYSQL_CONNECT, NULL },
	{ "MySQLdb.connections.Connection", 0, FIX_MYSQL_CONNECT, NULL },
	{ "MySQLdb.Connection.commit", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Connection.rollback", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Connection.query", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Connection.ping", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Connection.select_db", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Cursor.execute", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Cursor.executemany", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Cursor.callproc", M, FIX_MYSQL, NULL },
	{ "MySQLdb.Cursor.fetchone", MC, FIX_MYSQL, SS_MYSQL },
	{ "MySQLdb.Cursor.fetchmany", MC, FIX_MYSQL, SS_MYSQL },
	{ "MySQLdb.Cursor.fetchall", MC, FIX_MYSQL, SS_MYSQL },
	/* PyMongo: the constructor connects in background threads, except for the DNS
	 * lookups of a mongodb+srv:// URI, which it makes at once. */
	{ "pymongo.MongoClient", AA_TARGET_CONDITIONAL, FIX_MONGO,
	  "with a literal 'mongodb+srv://' URI: the SRV and TXT DNS lookups happen in the constructor" },
	{ "pymongo.MongoClient.list_database_names", M, FIX_MONGO, NULL },
	{ "pymongo.MongoClient.list_databases", M, FIX_MONGO, NULL },
	{ "pymongo.MongoClient.drop_database", M, FIX_MONGO, NULL },
	{ "pymongo.MongoClient.server_info", M, FIX_MONGO, NULL },
	{ "pymongo.Database.command", M, FIX_MONGO, NULL },
	{ "pymongo.Database.list_collection_names", M, FIX_MONGO, NULL },
	{ "pymongo.Database.list_collections", M, FIX_MONGO, NULL },
	{ "pymongo.Database.create_collection", M, FIX_MONGO, NULL },
	{ "pymongo.Database.drop_collection", M, FIX_MONGO, NULL },
	{ "pymongo.Database.validate_collection", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.find_one", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.find_one_and_delete", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.find_one_and_replace", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.find_one_and_update", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.insert_one", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.insert_many", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.update_one", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.update_many", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.replace_one", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.delete_one", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.delete_many", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.bulk_write", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.count_documents", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.estimated_document_count", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.distinct", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.aggregate", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.watch", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.create_index", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.create_indexes", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.drop_index", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.drop_indexes", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.list_indexes", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.index_information", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.drop", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.rename", M, FIX_MONGO, NULL },
	{ "pymongo.Collection.options", M, FIX_MONGO, NULL },
	/* redis-py sync client (redis.asyncio.Redis is the fix) */
	REDIS("execute_command"), REDIS("ping"), REDIS("info"), REDIS("dbsize"), REDIS("flushdb"),
	REDIS("flushall"), REDIS("keys"), REDIS("scan"), REDIS("type"), REDIS("exists"), REDIS("delete"),
	REDIS("unlink"), REDIS("rename"), REDIS("renamenx"), REDIS("expire"), REDIS("expireat"),
	REDIS("pexpire"), REDIS("pexpireat"), REDIS("persist"), REDIS("ttl"), REDIS("pttl"),
	REDIS("get"), REDIS("set"), REDIS("setex"), REDIS("psetex"), REDIS("setnx"), REDIS("getset"),
	REDIS("getdel"), REDIS("getex"), REDIS("mget"), REDIS("mset"), REDIS("msetnx"), REDIS("append"),
	REDIS("strlen"), REDIS("getrange"), REDIS("setrange"), REDIS("incr"), REDIS("incrby"),
	REDIS("incrbyfloat"), REDIS("decr"), REDIS("decrby"), REDIS("getbit"), REDIS("setbit"),
	REDIS("bitcount"), REDIS("hget"), REDIS("hset"), REDIS("hsetnx"), REDIS("hmget"), REDIS("hmset"),
	REDIS("hgetall"), REDIS("hdel"), REDIS("hexists"), REDIS("hincrby"), REDIS("hincrbyfloat"),
	REDIS("hkeys"), REDIS("hvals"), REDIS("hlen"), REDIS("hscan"), REDIS("lpush"), REDIS("rpush"),
	REDIS("lpushx"), REDIS("rpushx"), REDIS("lpop"), REDIS("rpop"), REDIS("blpop"), REDIS("brpop"),
	REDIS("rpoplpush"), REDIS("brpoplpush"), REDIS("lmove"), REDIS("blmove"), REDIS("lrange"),
	REDIS("lindex"), REDIS("llen"), REDIS("lrem"), REDIS("lset"), REDIS("ltrim"), REDIS("linsert"),
	REDIS("sadd"), REDIS("srem"), REDIS("smembers"), REDIS("sismember"), REDIS("smismember"),
	REDIS("scard"), REDIS("spop"), REDIS("srandmember"), REDIS("smove"), REDIS("sinter"),
	REDIS("sinterstore"), REDIS("sunion"), REDIS("sunionstore"), REDIS("sdiff"), REDIS("sdiffstore"),
	REDIS("sscan"), REDIS("zadd"), REDIS("zrem"), REDIS("zincrby"), REDIS("zscore"), REDIS("zcard"),
	REDIS("zcount"), REDIS("zrank"), REDIS("zrevrank"), REDIS("zrange"), REDIS("zrevrange"),
	REDIS("zrangebyscore"), REDIS("zrevrangebyscore"), REDIS("zremrangebyrank"),
	REDIS("zremrangebyscore"), REDIS("zpopmin"), REDIS("zpopmax"), REDIS("bzpopmin"),
	REDIS("bzpopmax"), REDIS("zscan"), REDIS("pfadd"), REDIS("pfcount"), REDIS("pfmerge"),
	REDIS("publish"), REDIS("eval"), REDIS("evalsha"), REDIS("script_load"), REDIS("xadd"),
	REDIS("xread"), REDIS("xreadgroup"), REDIS("xrange"), REDIS("xrevrange"), REDIS("xlen"),
	REDIS("xack"), REDIS("xdel"), REDIS("xtrim"), REDIS("xgroup_create"),
	{ "redis.Pipeline.execute", M, FIX_REDIS, NULL },
	/* SQLAlchemy, sync API (sqlalchemy.ext.asyncio is the fix) */
	{ "sqlalchemy.engine.Engine.connect", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Engine.begin", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Engine.execute", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Engine.scalar", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Engine.raw_connection", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Connection.execute", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Connection.exec_driver_sql", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Connection.scalar", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Connection.scalars", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Connection.commit", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.engine.Connection.rollback", M, FIX_SA_ENGINE, NULL },
	{ "sqlalchemy.orm.Session.execute", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Session.exec", M, FIX_SA_SESSION, NULL }, /* SQLModel's Session */
	{ "sqlalchemy.orm.Session.scalar", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Session.scalars", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Session.get", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Session.flush", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Session.refresh", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Session.commit", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Session.rollback", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.all", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.first", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.one", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.one_or_none", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.scalar", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.count", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.get", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.delete", M, FIX_SA_SESSION, NULL },
	{ "sqlalchemy.orm.Query.update", M, FIX_SA_SESSION, NULL },
};

/* ---- literal helpers ---------------------------------------------------------------- */

/* The content of a plain string literal (no interpolation, one content run), or NULL. */
static const char *string_literal(const struct aa_ctx *ctx, TSNode n, uint32_t *len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(n) || ts_node_symbol(n) != s->string)
		return NULL;
	TSNode content = { 0 };
	uint32_t count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i);
		TSSymbol k = ts_node_symbol(c);
		if (k == s->interpolation)
			return NULL;
		if (k == s->string_content) {
			if (!ts_node_is_null(content))
				return NULL;
			content = c;
		}
	}
	if (ts_node_is_null(content)) {
		*len = 0;
		return "";
	}
	return aa_ctx_text(ctx, content, len);
}

static bool starts_with(const char *t, uint32_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !memcmp(t, prefix, n);
}

static bool is_none_or_absent(const struct aa_ctx *ctx, TSNode n)
{
	return ts_node_is_null(n) || ts_node_symbol(n) == aa_ctx_syms(ctx)->none;
}

static bool text_eq(const char *t, uint32_t len, const char *s)
{
	return strlen(s) == len && !memcmp(t, s, len);
}

/* ---- conditions ------------------------------------------------------------------------ */

static bool ends_with_name(const char *q, const char *suffix)
{
	size_t ql = strlen(q), sl = strlen(suffix);
	return ql > sl && q[ql - sl - 1] == '.' && !strcmp(q + ql - sl, suffix);
}

/* The fetch methods of client-side cursors read rows that execute() already received;
 * they block only on server-side cursors, which only the cursor() call can make. */
static bool server_side_cursor(struct aa_ctx *ctx, const struct aa_callee *c)
{
	uint32_t len;
	const char *m = aa_blocking_method_name(ctx, c->origin, &len);
	if (!m || !text_eq(m, len, "cursor"))
		return false;
	if (!strncmp(c->qualname, "psycopg", 7)) {
		/* psycopg2: cursor(name=None, ...); psycopg 3: cursor(name="", ...). */
		TSNode name = aa_call_arg(ctx, c->origin, 0, "name");
		if (is_none_or_absent(ctx, name))
			return false;
		const char *lit = string_literal(ctx, name, &len);
		return !lit || len > 0;
	}
	/* pymysql: cursor(cursor=None); MySQLdb: cursor(cursorclass=None). */
	TSNode cls = aa_call_arg(ctx, c->origin, 0, !strncmp(c->qualname, "pymysql", 7) ? "cursor" : "cursorclass");
	if (ts_node_is_null(cls))
		return false;
	struct aa_meaning cm = aa_ctx_eval(ctx, cls);
	return cm.kind == AA_MEANING_NAME && (ends_with_name(cm.qualname, "SSCursor") ||
					      ends_with_name(cm.qualname, "SSDictCursor"));
}

static bool mongo_srv_uri(const struct aa_ctx *ctx, TSNode call)
{
	uint32_t len;
	const char *uri = string_literal(ctx, aa_call_arg(ctx, call, 0, "host"), &len);
	return uri && starts_with(uri, len, "mongodb+srv://");
}

/* Does a try body make a sync query: a call, outside nested defs and lambdas and not
 * awaited, of a method named as the drivers' queries (`cur.execute(...)`,
 * `session.commit()`)? A query handed to a thread (`await asyncio.to_thread(insert,
 * conn, row)`) is none. */
struct query_scan {
	struct aa_ctx *ctx;
	bool found;
};

static enum aa_visit query_visit(void *ud, TSNode n)
{
	struct query_scan *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	TSSymbol k = ts_node_symbol(n);
	if (aa_kind_is_definition(s, k, true) || k == s->lambda || k == s->await)
		return AA_VISIT_SKIP;
	if (k != s->call)
		return AA_VISIT_DESCEND;
	static const char *const queries[] = { "execute", "executemany", "exec", "commit", "flush", "scalar",
					       "scalars", "query", "fetchone", "fetchall", "fetchmany", NULL };
	TSNode fn = ts_node_child_by_field_id(n, s->f.function);
	TSNode name = ts_node_symbol(fn) == s->attribute ? ts_node_child_by_field_id(fn, s->f.attribute) : fn;
	for (const char *const *q = queries; *q && !ts_node_is_null(name); q++)
		if (aa_ctx_text_is(w->ctx, name, *q)) {
			w->found = true;
			return AA_VISIT_STOP;
		}
	return AA_VISIT_DESCEND;
}

/* Is call a `rollback()` in an `except` clause of its function, whose try makes a sync
 * query? It runs after that query failed, and the query is reported where it is made,
 * with the same fix: readers did not act on the rollback (study 16). A rollback after a
 * query moved to a thread is the one blocking call left, and is reported. */
static bool rollback_after_failure(struct aa_ctx *ctx, const struct aa_target *t, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (!ends_with_name(t->name, "rollback"))
		return false;
	for (TSNode p = aa_ctx_parent(ctx, call); !ts_node_is_null(p); p = aa_ctx_parent(ctx, p)) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->except_clause) {
			TSNode try = aa_ctx_parent(ctx, p);
			TSNode body = ts_node_is_null(try) ? try : ts_node_child_by_field_id(try, s->f.body);
			struct query_scan w = { ctx, false };
			if (!ts_node_is_null(body))
				aa_subtree_walk(body, 100000, query_visit, &w);
			return w.found;
		}
		if (aa_kind_is_definition(s, k, true) || k == s->lambda || k == s->finally_clause)
			return false;
	}
	return false;
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c;
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_database_call, call, &c);
	if (!t || rollback_after_failure(ctx, t, call))
		return;
	if (t->flags & AA_TARGET_CONDITIONAL) {
		if (c->kind == AA_CALLEE_FUNCTION ? !mongo_srv_uri(ctx, call) : !server_side_cursor(ctx, c))
			return;
	}
	if (!strncmp(t->name, "sqlalchemy.", 11))
		aa_blocking_report_held(ctx, &aa_rule_blocking_database_call, call, t, NULL, aa_sqlalchemy_hold);
	else
		aa_blocking_report(ctx, &aa_rule_blocking_database_call, call, t, NULL);
}

static const char *const kinds[] = { "call", NULL };
static const char *const prefilter[] = { "create_engine", NULL };

const struct aa_rule aa_rule_blocking_database_call = {
	.code = "AA106",
	.name = "blocking-database-call",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.travels = true,
	.default_on = true,
	.summary = "A sync database driver connects or queries inside an async function",
	.equivalents = NULL,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	/* a file that makes an engine is read for it, async code or not */
	.prefilter_words = prefilter,
	.crossfile = &aa_crossfile_sqlalchemy_engines,
	.doc = {
		.what = "Finds sync database calls in async context (the body of an `async def`, outside nested "
			"`def`s and lambdas): connecting with `psycopg2`, sync `psycopg`, `pymysql` or `MySQLdb`, and "
			"the query methods of their connections and cursors; the commands of a sync "
			"`redis.Redis` client and `pipeline().execute()`; the operations of `pymongo` databases and "
			"collections; `connect()`/`execute()` on a SQLAlchemy `create_engine()` engine and its "
			"connections, and the queries of a sync `sqlalchemy.orm.Session` (SQLModel's `Session` and its "
			"`exec()` included). The receiver must be "
			"known to be such an object: built by the driver's constructor or factory in a way the "
			"analyzer can see, annotated with its class, or a library's object of that class "
			"(FastAPI-SQLAlchemy's `db.session`, `from fastapi_sqlalchemy import db`).",
		.why = "A sync driver waits for the database server on the calling thread. In a coroutine that "
		       "thread runs the event loop, so every query stalls every other task for a network round "
		       "trip or more, and a slow query or a lock wait on the server stalls them for its whole "
		       "duration.",
		.example = "import psycopg2\n\nasync def count_users(dsn):\n    conn = psycopg2.connect(dsn)\n"
			   "    cur = conn.cursor()\n    cur.execute(\"select count(*) from users\")\n"
			   "    return cur.fetchone()\n",
		.use_instead = "import asyncpg\n\nasync def count_users(dsn):\n    conn = await asyncpg.connect(dsn)\n"
			       "    try:\n        return await conn.fetchval(\"select count(*) from users\")\n"
			       "    finally:\n        await conn.close()\n",
		.anchor = "The call; its start is the start of the callee (`cur.execute`, `psycopg2.connect`).",
		.exceptions = "A `rollback()` in an `except` clause whose `try` makes a sync query (a call of "
			      "`execute`, `executemany`, `exec`, `commit`, `flush`, `scalar`, `scalars`, `query` or a "
			      "`fetch` method, not awaited) is not reported: it runs after that query failed, which "
			      "is reported where it is made, and goes with the same fix. "
			      "SQLAlchemy's sync calls in a project whose sync engines are all SQLite are AA113's "
			      "too (opt-in): the project's `create_engine()` calls (`sqlalchemy`, `sqlmodel`; test "
			      "code, examples and migrations aside) are read across its files, async code or not, "
			      "and an engine is SQLite when its arguments hold a string that starts with `sqlite` "
			      "(the URL, or a module-level constant the URL names: `DATABASE_URL = "
			      "os.path.join(\"sqlite:///\", d)`; not a lookup's default, `os.getenv(\"DATABASE_URL\", "
			      "\"sqlite:///dev.db\")`, which a deployment overrides) or `connect_args` with "
			      "`check_same_thread` (an "
			      "option only SQLite has); any other engine, an unknown URL included, is a server's, and "
			      "a project with no engine the analyzer sees keeps AA106. "
			      "The standard library's `sqlite3` is AA113's (blocking-sqlite-call, opt-in): a local "
			      "file, not a server. The async drivers are the fix and never reported: `asyncpg`, "
			      "`psycopg.AsyncConnection`, `aiomysql`, `redis.asyncio.Redis`, `motor` and "
			      "`pymongo.AsyncMongoClient`, SQLAlchemy's `create_async_engine()` and `AsyncSession`. "
			      "So is running the sync code in a worker thread: `await asyncio.to_thread(conn.execute, q)` "
			      "passes a reference. Not reported because they do no I/O: `conn.cursor()` and "
			      "`create_engine()` (both lazy); `MongoClient(...)` (it connects in background threads), "
			      "except with a literal `mongodb+srv://` URI, whose DNS lookups run in the constructor; "
			      "`collection.find()` (lazy cursor; iterating it is not a call and is a missed alarm); "
			      "`session.query(...)` and its `filter()`/`order_by()`... chain, until `all()`, `first()`, "
			      "`one()`, `count()`... run it; Redis pipeline commands, buffered until `execute()`; "
			      "`fetch*()` on client-side cursors of psycopg2, psycopg, PyMySQL and MySQLdb, which "
			      "return rows that `execute()` already received (reported on server-side cursors: "
			      "`conn.cursor(name)`, `conn.cursor(SSCursor)`). Not reported because the analyzer cannot follow them (missed alarms): "
			      "collections reached by subscript or attribute (`client[\"db\"][\"users\"]`, "
			      "`client.db.users`): annotate them `pymongo.collection.Collection` or use "
			      "`get_database()`/`get_collection()`; sessions made by a `sessionmaker()` or "
			      "`scoped_session()` factory (annotate them `sqlalchemy.orm.Session`); cursors and "
			      "connections of other DB-API drivers."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async and Ruff have no rule for database drivers.",
		.references = "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n"
			      "- [SQLAlchemy asyncio extension](https://docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html)\n"
			      "- [redis-py asyncio client](https://redis.readthedocs.io/en/stable/examples/asyncio_examples.html)\n",
	},
};
