/* What a call in a coroutine does for the fan-out rules (fanout.h): network or database
 * calls, limiters, queue reads. Tables of the async libraries people fan out with. */
#include <string.h>

#include "rules/concurrency/fanout.h"
#include "parsers/python/node.h"

/* Module-level callables that open a connection or make a request. */
static const char *const net_functions[] = {
	"aiohttp.request", "aiohttp.client.request", "asyncio.open_connection", "asyncio.streams.open_connection",
	"asyncio.open_unix_connection", "asyncio.streams.open_unix_connection", "asyncpg.connect",
	"asyncpg.create_pool", "aiomysql.connect", "aiomysql.create_pool", "aiopg.connect", "aiopg.create_pool",
	"aiosqlite.connect", "websockets.connect", "websockets.client.connect", "websockets.asyncio.client.connect",
	"redis.asyncio.from_url", "aioredis.from_url", "aioredis.create_redis_pool", "anyio.connect_tcp",
	"anyio.connect_unix", "trio.open_tcp_stream", "trio.open_ssl_over_tcp_stream", "asyncssh.connect",
	"aiosmtplib.send", "motor.motor_asyncio.AsyncIOMotorClient", NULL,
};

/* Classes whose every awaited method is a round trip to a server ("*" methods), or
 * the listed ones. */
struct net_class {
	const char *cls;
	const char *const *methods; /* NULL-terminated, or NULL for every method but close() */
};

static const char *const http_verbs[] = { "get", "post", "put", "patch", "delete", "head", "options",
					  "request", "send", "stream", "ws_connect", NULL };
static const char *const sql_verbs[] = { "fetch", "fetchrow", "fetchval", "fetchall", "fetchone", "fetchmany",
					 "execute", "executemany", "scalars", "scalar", "get", "stream",
					 "stream_scalars", "commit", "copy_from_query", "copy_records_to_table",
					 "copy_to_table", "cursor", NULL };
static const char *const loop_verbs[] = { "create_connection", "create_unix_connection", "sock_connect",
					  "create_datagram_endpoint", "getaddrinfo", NULL };

static const struct net_class net_classes[] = {
	{ "aiohttp.ClientSession", http_verbs },
	{ "aiohttp.client.ClientSession", http_verbs },
	{ "httpx.AsyncClient", http_verbs },
	{ "httpx._client.AsyncClient", http_verbs },
	{ "asyncpg.Connection", sql_verbs },
	{ "asyncpg.connection.Connection", sql_verbs },
	{ "asyncpg.Pool", sql_verbs },
	{ "asyncpg.pool.Pool", sql_verbs },
	{ "sqlalchemy.ext.asyncio.AsyncSession", sql_verbs },
	{ "sqlalchemy.ext.asyncio.AsyncConnection", sql_verbs },
	{ "sqlalchemy.ext.asyncio.session.AsyncSession", sql_verbs },
	{ "aiosqlite.Connection", sql_verbs },
	{ "aiomysql.Connection", sql_verbs },
	{ "aiomysql.Cursor", sql_verbs },
	{ "redis.asyncio.Redis", NULL },
	{ "redis.asyncio.client.Redis", NULL },
	{ "aioredis.Redis", NULL },
	{ "motor.motor_asyncio.AsyncIOMotorCollection", NULL },
	{ "asyncio.AbstractEventLoop", loop_verbs },
};

/* Verbs that, on a receiver of unknown type named like a client or connection, are a
 * request or a query. */
static const char *const any_verbs[] = {
	"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream", "ws_connect",
	"fetch", "fetchrow", "fetchval", "fetchall", "fetchone", "fetchmany", "execute", "executemany", "scalars",
	"scalar", "query", "find", "find_one", "insert_one", "insert_many", "update_one", "update_many",
	"delete_one", "delete_many", "aggregate", "count_documents", "hget", "hset", "set", "mget", NULL,
};

/* Words of a receiver's name (split at '_') that name a client or a connection. */
static const char *const client_words[] = { "session", "client", "http", "https", "httpx", "aiohttp", "conn",
					    "connection", "pool", "db", "database", "cursor", "cur", "redis",
					    "mongo", "collection", "websession", "clientsession", NULL };
static const char *const client_suffixes[] = { "session", "client", "conn", "pool", NULL };

/* The last name of an expression: `self._session` -> "_session", `conn` -> "conn". */
static const char *last_name(struct aa_ctx *ctx, TSNode e, uint32_t *len)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(e) == s->attribute)
		e = ts_node_child_by_field_id(e, s->f.attribute);
	if (ts_node_is_null(e) || ts_node_symbol(e) != s->identifier)
		return NULL;
	return aa_ctx_text(ctx, e, len);
}

/* Does some '_'-separated word of name[0..len), lowercased, satisfy the word lists? */
static bool name_has_word(const char *name, uint32_t len, const char *const *words, const char *const *suffixes)
{
	uint32_t i = 0;
	while (i < len) {
		while (i < len && name[i] == '_')
			i++;
		uint32_t start = i;
		char w[32];
		size_t wl = 0;
		while (i < len && name[i] != '_') {
			char c = name[i++];
			if (wl < sizeof(w) - 1)
				w[wl++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		if (i == start || wl == sizeof(w) - 1)
			continue;
		w[wl] = '\0';
		if (words && aa_fanout_in_list(words, w, wl))
			return true;
		for (const char *const *sfx = suffixes; sfx && *sfx; sfx++) {
			size_t sl = strlen(*sfx);
			if (wl >= sl && !memcmp(w + wl - sl, *sfx, sl))
				return true;
		}
	}
	return false;
}

bool aa_fanout_async_use(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (aa_call_is_awaited(ctx, call))
		return true;
	TSNode p = aa_ctx_parent(ctx, call);
	if (!ts_node_is_null(p) && ts_node_symbol(p) == s->as_pattern)
		p = aa_ctx_parent(ctx, p);
	if (ts_node_is_null(p) || ts_node_symbol(p) != s->with_item)
		return false;
	TSNode clause = aa_ctx_parent(ctx, p);
	TSNode w = ts_node_is_null(clause) ? clause : aa_ctx_parent(ctx, clause);
	return !ts_node_is_null(w) && ts_node_symbol(w) == s->with_statement &&
	       ts_node_symbol(ts_node_child(w, 0)) == s->kw_async;
}

bool aa_fanout_net_call(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || !aa_fanout_async_use(ctx, call))
		return false;
	return aa_fanout_net_callee(ctx, call);
}

bool aa_fanout_net_callee(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn))
		return false;
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (c->kind == AA_CALLEE_FUNCTION) {
		for (const char *const *f = net_functions; *f; f++)
			if (!strcmp(*f, c->qualname))
				return true;
		return false;
	}
	if (c->kind == AA_CALLEE_METHOD) {
		for (size_t i = 0; i < sizeof(net_classes) / sizeof(net_classes[0]); i++) {
			if (strcmp(net_classes[i].cls, c->qualname))
				continue;
			if (!net_classes[i].methods)
				return !(c->method_len == 5 && !memcmp(c->method, "close", 5));
			return aa_fanout_in_list(net_classes[i].methods, c->method, c->method_len);
		}
		return false;
	}
	/* A receiver of unknown type: its name and the verb say what it is. A receiver the
	 * model knows (a project class, another library's object) is not guessed. */
	if (c->kind != AA_CALLEE_UNKNOWN || ts_node_symbol(fn) != s->attribute)
		return false;
	TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
	uint32_t vlen, rlen;
	const char *verb = aa_ctx_text(ctx, ts_node_child_by_field_id(fn, s->f.attribute), &vlen);
	if (ts_node_is_null(obj) || !aa_fanout_in_list(any_verbs, verb, vlen))
		return false;
	if (aa_ctx_eval(ctx, obj).kind != AA_MEANING_UNKNOWN)
		return false;
	const char *recv = last_name(ctx, obj, &rlen);
	return recv && name_has_word(recv, rlen, client_words, client_suffixes);
}

static bool method_named(struct aa_ctx *ctx, TSNode call, const char *name, TSNode *receiver)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return false;
	if (receiver)
		*receiver = ts_node_child_by_field_id(fn, s->f.object);
	return aa_ctx_text_is(ctx, ts_node_child_by_field_id(fn, s->f.attribute), name);
}

bool aa_fanout_acquire_call(struct aa_ctx *ctx, TSNode call)
{
	return method_named(ctx, call, "acquire", NULL) && aa_call_is_awaited(ctx, call);
}

bool aa_fanout_queue_read(struct aa_ctx *ctx, TSNode call)
{
	if (method_named(ctx, call, "get_nowait", NULL))
		return true;
	if (!(method_named(ctx, call, "get", NULL) || method_named(ctx, call, "receive", NULL)) ||
	    !aa_call_is_awaited(ctx, call))
		return false;
	/* `await q.get()` takes no argument; `await session.get(url)` does. */
	TSNode args = ts_node_child_by_field_id(call, aa_ctx_syms(ctx)->f.arguments);
	return !ts_node_is_null(args) && ts_node_named_child_count(args) == 0;
}

/* Classes entered with `async with` that bound nothing: clients and task groups. */
static const char *const not_limiters[] = { "aiohttp.ClientSession", "aiohttp.client.ClientSession",
					    "httpx.AsyncClient", "httpx._client.AsyncClient", "asyncio.TaskGroup",
					    "asyncio.taskgroups.TaskGroup", NULL };
static const char *const limiter_words[] = { "acquire", "limit", "limiter", "throttle", "throttled", "semaphore",
					     "sem", "slot", "slots", "permit", "rate", "ratelimit", "lock", NULL };

bool aa_fanout_limiter_value(struct aa_ctx *ctx, TSNode value)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	value = aa_node_unparen(s, value, AA_UNPAREN_FIRST);
	if (ts_node_is_null(value))
		return false;
	TSSymbol k = ts_node_symbol(value);
	if (k == s->identifier || k == s->attribute || k == s->subscript) {
		struct aa_meaning m = aa_ctx_eval(ctx, value);
		if (m.kind == AA_MEANING_INSTANCE)
			return !aa_fanout_in_list(not_limiters, m.qualname, strlen(m.qualname));
		return true; /* unknown: a shared object entered by name bounds its users */
	}
	if (k != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(value, s->f.function);
	uint32_t len;
	const char *name = ts_node_is_null(fn) ? NULL : last_name(ctx, fn, &len);
	return name && name_has_word(name, len, limiter_words, NULL);
}

bool aa_fanout_with_limits(struct aa_ctx *ctx, TSNode with_stmt)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(with_stmt) != s->with_statement || ts_node_symbol(ts_node_child(with_stmt, 0)) != s->kw_async)
		return false;
	TSNode v;
	for (struct aa_with_items it = aa_node_with_items(s, with_stmt, AA_WITH_CLAUSE_FIRST);
	     aa_node_with_items_next(&it, &v);)
		if (aa_fanout_limiter_value(ctx, v))
			return true;
	return false;
}

static const char *const limiter_classes[] = { "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.Lock",
					       "asyncio.locks.Semaphore", "asyncio.locks.BoundedSemaphore",
					       "asyncio.locks.Lock", "anyio.CapacityLimiter", "anyio.Semaphore",
					       "anyio.Lock", "aiolimiter.AsyncLimiter", "trio.CapacityLimiter",
					       "trio.Semaphore", "trio.Lock", NULL };

bool aa_fanout_limiter_arg(struct aa_ctx *ctx, TSNode arg)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(arg) == s->keyword_argument) {
		uint32_t len;
		const char *kw = aa_ctx_text(ctx, ts_node_child_by_field_id(arg, s->f.name), &len);
		if (name_has_word(kw, len, limiter_words, NULL))
			return true;
		arg = ts_node_child_by_field_id(arg, s->f.value);
		if (ts_node_is_null(arg))
			return false;
	}
	TSSymbol k = ts_node_symbol(arg);
	if (k != s->identifier && k != s->attribute)
		return false;
	struct aa_meaning m = aa_ctx_eval(ctx, arg);
	if (m.kind == AA_MEANING_INSTANCE && aa_fanout_in_list(limiter_classes, m.qualname, strlen(m.qualname)))
		return true;
	uint32_t len;
	const char *name = last_name(ctx, arg, &len);
	return name && name_has_word(name, len, limiter_words, NULL);
}

bool aa_fanout_queue_arg(struct aa_ctx *ctx, TSNode arg)
{
	static const char *const queue_words[] = { "queue", "q", "channel", "chan", "jobs", "inbox", NULL };
	static const char *const queue_suffixes[] = { "queue", NULL };
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(arg) == s->keyword_argument)
		arg = ts_node_child_by_field_id(arg, s->f.value);
	if (ts_node_is_null(arg) || (ts_node_symbol(arg) != s->identifier && ts_node_symbol(arg) != s->attribute))
		return false;
	struct aa_meaning m = aa_ctx_eval(ctx, arg);
	if (m.kind == AA_MEANING_INSTANCE && strstr(m.qualname, "Queue"))
		return true;
	uint32_t len;
	const char *name = last_name(ctx, arg, &len);
	return name && name_has_word(name, len, queue_words, queue_suffixes);
}

extern const struct aa_rule aa_rule_client_per_request;

bool aa_fanout_client_kept(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode child;
	TSNode p = aa_ctx_parent_unparen(ctx, call, (const TSSymbol[]){ s->await }, 1, &child);
	if (ts_node_is_null(p))
		return true;
	TSSymbol k = ts_node_symbol(p);
	if (k == s->with_item || k == s->as_pattern)
		return false; /* `async with ClientSession() as s:` for this use only */
	if (k == s->assignment && aa_node_field_is(p, s->f.right, child)) {
		TSNode left = ts_node_child_by_field_id(p, s->f.left);
		return ts_node_is_null(left) || ts_node_symbol(left) != s->identifier;
	}
	/* arguments (`sessions.append(ClientSession())`, `Api(ClientSession())`), containers,
	 * returns, yields, attribute uses: kept beyond this use. */
	return true;
}

bool aa_fanout_client_call(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	return c->kind == AA_CALLEE_FUNCTION && aa_rule_match_function(&aa_rule_client_per_request, c->qualname) &&
	       !aa_fanout_client_kept(ctx, call);
}
