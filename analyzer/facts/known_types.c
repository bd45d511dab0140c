#include "analyzer/facts/known_types.h"

#include <string.h>

struct alias {
	const char *from, *to;
};

/* Factories and alternative spellings of classes, canonicalised. */
static const struct alias call_results[] = {
	{ "requests.session", "requests.Session" },
	{ "requests.sessions.Session", "requests.Session" },
	{ "requests.sessions.session", "requests.Session" },
	{ "httpx._client.Client", "httpx.Client" },
	{ "urllib3.poolmanager.PoolManager", "urllib3.PoolManager" },
	{ "urllib3.PoolManager", "urllib3.PoolManager" },
	{ "urllib3.ProxyManager", "urllib3.PoolManager" },
	{ "urllib3.poolmanager.ProxyManager", "urllib3.PoolManager" },
	{ "urllib3.proxy_from_url", "urllib3.PoolManager" },
	{ "urllib3.poolmanager.proxy_from_url", "urllib3.PoolManager" },
	{ "http.client.HTTPConnection", "http.client.HTTPConnection" },
	{ "http.client.HTTPSConnection", "http.client.HTTPConnection" },
	{ "sqlite3.connect", "sqlite3.Connection" },
	{ "sqlite3.dbapi2.connect", "sqlite3.Connection" },
	{ "psycopg2.connect", "psycopg2.Connection" },
	{ "psycopg.connect", "psycopg.Connection" },
	{ "psycopg.Connection.connect", "psycopg.Connection" },
	{ "pymysql.connect", "pymysql.Connection" },
	{ "pymysql.Connect", "pymysql.Connection" },
	{ "pymysql.connections.Connection", "pymysql.Connection" },
	{ "MySQLdb.connect", "MySQLdb.Connection" },
	{ "MySQLdb.Connect", "MySQLdb.Connection" },
	{ "pymongo.mongo_client.MongoClient", "pymongo.MongoClient" },
	{ "redis.StrictRedis", "redis.Redis" },
	{ "redis.client.Redis", "redis.Redis" },
	{ "redis.from_url", "redis.Redis" },
	{ "redis.Redis.from_url", "redis.Redis" },
	{ "redis.StrictRedis.from_url", "redis.Redis" },
	{ "sqlalchemy.create_engine", "sqlalchemy.engine.Engine" },
	{ "sqlalchemy.engine.create_engine", "sqlalchemy.engine.Engine" },
	{ "sqlalchemy.orm.Session", "sqlalchemy.orm.Session" },
	{ "sqlalchemy.orm.session.Session", "sqlalchemy.orm.Session" },
	{ "sqlalchemy.orm.query.Query", "sqlalchemy.orm.Query" },
	{ "sqlmodel.Session", "sqlalchemy.orm.Session" },
	{ "sqlmodel.orm.session.Session", "sqlalchemy.orm.Session" },
	{ "sqlmodel.create_engine", "sqlalchemy.engine.Engine" },
	{ "sqlalchemy.Engine", "sqlalchemy.engine.Engine" },
	{ "sqlalchemy.engine.base.Engine", "sqlalchemy.engine.Engine" },
	{ "sqlalchemy.Connection", "sqlalchemy.engine.Connection" },
	{ "sqlalchemy.engine.base.Connection", "sqlalchemy.engine.Connection" },
	{ "psycopg2.extensions.connection", "psycopg2.Connection" },
	{ "psycopg2.extensions.cursor", "psycopg2.Cursor" },
	{ "pymysql.cursors.Cursor", "pymysql.Cursor" },
	{ "MySQLdb.connections.Connection", "MySQLdb.Connection" },
	{ "MySQLdb.cursors.Cursor", "MySQLdb.Cursor" },
	{ "pymongo.database.Database", "pymongo.Database" },
	{ "pymongo.collection.Collection", "pymongo.Collection" },
	{ "redis.client.Pipeline", "redis.Pipeline" },
	{ "socket.create_connection", "socket.socket" },
	{ "socket.create_server", "socket.socket" },
	{ "socket.fromfd", "socket.socket" },
	{ "socket.SocketType", "socket.socket" },
	{ "ssl.create_default_context", "ssl.SSLContext" },
	{ "pathlib.PosixPath", "pathlib.Path" },
	{ "pathlib.WindowsPath", "pathlib.Path" },
	{ "pathlib.Path.home", "pathlib.Path" },
	{ "pathlib.Path.cwd", "pathlib.Path" },
	{ "queue.LifoQueue", "queue.Queue" },
	{ "queue.PriorityQueue", "queue.Queue" },
	/* Data libraries whose calls read and write files (AA104). */
	{ "pandas.read_csv", "pandas.DataFrame" },
	{ "pandas.read_table", "pandas.DataFrame" },
	{ "pandas.read_fwf", "pandas.DataFrame" },
	{ "pandas.read_excel", "pandas.DataFrame" },
	{ "pandas.read_json", "pandas.DataFrame" },
	{ "pandas.read_parquet", "pandas.DataFrame" },
	{ "pandas.read_feather", "pandas.DataFrame" },
	{ "pandas.read_orc", "pandas.DataFrame" },
	{ "pandas.read_pickle", "pandas.DataFrame" },
	{ "pandas.read_hdf", "pandas.DataFrame" },
	{ "pandas.read_stata", "pandas.DataFrame" },
	{ "pandas.read_sas", "pandas.DataFrame" },
	{ "pandas.read_spss", "pandas.DataFrame" },
	{ "pandas.read_xml", "pandas.DataFrame" },
	{ "pandas.core.frame.DataFrame", "pandas.DataFrame" },
	{ "numpy.array", "numpy.ndarray" },
	{ "numpy.asarray", "numpy.ndarray" },
	{ "numpy.zeros", "numpy.ndarray" },
	{ "numpy.ones", "numpy.ndarray" },
	{ "numpy.empty", "numpy.ndarray" },
	{ "numpy.full", "numpy.ndarray" },
	{ "numpy.arange", "numpy.ndarray" },
	{ "numpy.linspace", "numpy.ndarray" },
	{ "numpy.load", "numpy.ndarray" },
	{ "numpy.loadtxt", "numpy.ndarray" },
	{ "numpy.genfromtxt", "numpy.ndarray" },
	{ "numpy.fromfile", "numpy.ndarray" },
	{ "numpy.frombuffer", "numpy.ndarray" },
	{ "PIL.Image.open", "PIL.Image.Image" },
	{ "PIL.Image.new", "PIL.Image.Image" },
	{ "multiprocessing.Pool", "multiprocessing.pool.Pool" },
	{ "multiprocessing.pool.ThreadPool", "multiprocessing.pool.Pool" },
	{ "multiprocessing.dummy.Pool", "multiprocessing.pool.Pool" },
	{ "concurrent.futures.thread.ThreadPoolExecutor", "concurrent.futures.ThreadPoolExecutor" },
	{ "concurrent.futures.process.ProcessPoolExecutor", "concurrent.futures.ProcessPoolExecutor" },
	{ "asyncio.run_coroutine_threadsafe", "concurrent.futures.Future" },
	{ "asyncio.get_running_loop", "asyncio.AbstractEventLoop" },
	{ "asyncio.get_event_loop", "asyncio.AbstractEventLoop" },
	{ "asyncio.new_event_loop", "asyncio.AbstractEventLoop" },
	{ "asyncio.events.get_running_loop", "asyncio.AbstractEventLoop" },
	{ "asyncio.events.get_event_loop", "asyncio.AbstractEventLoop" },
	{ "asyncio.events.new_event_loop", "asyncio.AbstractEventLoop" },
	{ "asyncio.events.AbstractEventLoop", "asyncio.AbstractEventLoop" },
	{ "asyncio.BaseEventLoop", "asyncio.AbstractEventLoop" },
	{ "asyncio.base_events.BaseEventLoop", "asyncio.AbstractEventLoop" },
	{ "asyncio.SelectorEventLoop", "asyncio.AbstractEventLoop" },
	{ "asyncio.ProactorEventLoop", "asyncio.AbstractEventLoop" },
	{ "uvloop.Loop", "asyncio.AbstractEventLoop" },
	{ "uvloop.new_event_loop", "asyncio.AbstractEventLoop" },
	/* Module-path spellings of asyncio classes whose coroutine methods AA201/AA202 know. */
	{ "asyncio.streams.StreamWriter", "asyncio.StreamWriter" },
	{ "asyncio.streams.StreamReader", "asyncio.StreamReader" },
	{ "asyncio.locks.Lock", "asyncio.Lock" },
	{ "asyncio.locks.Event", "asyncio.Event" },
	{ "asyncio.locks.Condition", "asyncio.Condition" },
	{ "asyncio.locks.Semaphore", "asyncio.Semaphore" },
	{ "asyncio.locks.BoundedSemaphore", "asyncio.BoundedSemaphore" },
	{ "asyncio.locks.Barrier", "asyncio.Barrier" },
	{ "asyncio.queues.Queue", "asyncio.Queue" },
	{ "asyncio.queues.LifoQueue", "asyncio.LifoQueue" },
	{ "asyncio.queues.PriorityQueue", "asyncio.PriorityQueue" },
	{ "threading.Semaphore", "threading.Semaphore" },
	{ "threading.BoundedSemaphore", "threading.Semaphore" },
	{ "threading.allocate_lock", "threading.Lock" },
	{ "smtplib.SMTP_SSL", "smtplib.SMTP" },
	{ "smtplib.LMTP", "smtplib.SMTP" },
	{ "ftplib.FTP_TLS", "ftplib.FTP" },
	{ "imaplib.IMAP4_SSL", "imaplib.IMAP4" },
	{ "imaplib.IMAP4_stream", "imaplib.IMAP4" },
	{ "poplib.POP3_SSL", "poplib.POP3" },
	{ "xmlrpc.client.Server", "xmlrpc.client.ServerProxy" },
	/* AWS SDK: clients and resources, whose API calls are HTTPS requests (AA105). The
	 * async SDKs (aiobotocore, aioboto3) have other names and are not tracked. */
	{ "boto3.client", "botocore.client.BaseClient" },
	{ "boto3.resource", "boto3.resources.base.ServiceResource" },
	{ "boto3.session.Session", "boto3.Session" },
	{ "botocore.session.get_session", "botocore.session.Session" },
};

struct member {
	const char *cls, *member, *result;
};

static const struct member method_results[] = {
	{ "sqlite3.Connection", "cursor", "sqlite3.Cursor" },
	{ "sqlite3.Connection", "execute", "sqlite3.Cursor" },
	{ "sqlite3.Connection", "executemany", "sqlite3.Cursor" },
	{ "sqlite3.Connection", "executescript", "sqlite3.Cursor" },
	{ "sqlite3.Cursor", "execute", "sqlite3.Cursor" },
	{ "sqlite3.Cursor", "executemany", "sqlite3.Cursor" },
	{ "psycopg2.Connection", "cursor", "psycopg2.Cursor" },
	{ "psycopg.Connection", "cursor", "psycopg.Cursor" },
	{ "psycopg.Connection", "execute", "psycopg.Cursor" },
	{ "pymysql.Connection", "cursor", "pymysql.Cursor" },
	{ "MySQLdb.Connection", "cursor", "MySQLdb.Cursor" },
	{ "sqlalchemy.engine.Engine", "connect", "sqlalchemy.engine.Connection" },
	{ "sqlalchemy.engine.Engine", "begin", "sqlalchemy.engine.Connection" },
	{ "pathlib.Path", "resolve", "pathlib.Path" },
	{ "pathlib.Path", "absolute", "pathlib.Path" },
	{ "pathlib.Path", "expanduser", "pathlib.Path" },
	{ "pathlib.Path", "joinpath", "pathlib.Path" },
	{ "pathlib.Path", "with_name", "pathlib.Path" },
	{ "pathlib.Path", "with_suffix", "pathlib.Path" },
	{ "pathlib.Path", "with_stem", "pathlib.Path" },
	{ "pathlib.Path", "relative_to", "pathlib.Path" },
	{ "pathlib.Path", "readlink", "pathlib.Path" },
	{ "asyncio.Runner", "get_loop", "asyncio.AbstractEventLoop" },
	{ "concurrent.futures.ThreadPoolExecutor", "submit", "concurrent.futures.Future" },
	{ "concurrent.futures.ProcessPoolExecutor", "submit", "concurrent.futures.Future" },
	{ "multiprocessing.pool.Pool", "apply_async", "multiprocessing.pool.AsyncResult" },
	{ "multiprocessing.pool.Pool", "map_async", "multiprocessing.pool.AsyncResult" },
	{ "multiprocessing.pool.Pool", "starmap_async", "multiprocessing.pool.AsyncResult" },
	{ "socket.socket", "dup", "socket.socket" },
	{ "redis.Redis", "pipeline", "redis.Pipeline" },
	{ "boto3.Session", "client", "botocore.client.BaseClient" },
	{ "boto3.Session", "resource", "boto3.resources.base.ServiceResource" },
	{ "botocore.session.Session", "create_client", "botocore.client.BaseClient" },
	{ "pymongo.MongoClient", "get_database", "pymongo.Database" },
	{ "pymongo.MongoClient", "get_default_database", "pymongo.Database" },
	{ "pymongo.Database", "get_collection", "pymongo.Collection" },
	{ "pymongo.Database", "create_collection", "pymongo.Collection" },
	{ "pymongo.Collection", "with_options", "pymongo.Collection" },
	/* Session.query() is lazy: its chain builds a Query that all()/first()... run. */
	{ "sqlalchemy.orm.Session", "query", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "filter", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "filter_by", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "where", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "order_by", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "group_by", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "join", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "outerjoin", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "options", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "distinct", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "limit", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "offset", "sqlalchemy.orm.Query" },
	{ "sqlalchemy.orm.Query", "with_entities", "sqlalchemy.orm.Query" },
};

static const struct member attributes[] = {
	{ "pathlib.Path", "parent", "pathlib.Path" },
};

static const char *lookup_alias(const struct alias *t, size_t n, const char *name, int *found)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].from, name)) {
			*found = 1;
			return t[i].to;
		}
	*found = 0;
	return name;
}

const char *aa_known_call_result(const char *qualname)
{
	int found;
	return lookup_alias(call_results, sizeof(call_results) / sizeof(call_results[0]), qualname, &found);
}

void aa_known_each_call(void (*fn)(const char *source, const char *result, void *ud), void *ud)
{
	for (size_t i = 0; i < sizeof(call_results) / sizeof(call_results[0]); i++)
		fn(call_results[i].from, call_results[i].to, ud);
}

const char *aa_known_canonical(const char *qualname)
{
	int found;
	const char *r = lookup_alias(call_results, sizeof(call_results) / sizeof(call_results[0]), qualname, &found);
	return r ? r : qualname;
}

/* Module-level objects of libraries, by the name their attribute is reached through. */
static const struct alias objects[] = {
	/* FastAPI-SQLAlchemy's request-scoped session: `from fastapi_sqlalchemy import db`. */
	{ "fastapi_sqlalchemy.db.session", "sqlalchemy.orm.Session" },
	{ "fastapi_sqlalchemy.middleware.db.session", "sqlalchemy.orm.Session" },
};

const char *aa_known_object(const char *qualname)
{
	int found;
	const char *r = lookup_alias(objects, sizeof(objects) / sizeof(objects[0]), qualname, &found);
	return found ? r : NULL;
}

static const char *lookup_member(const struct member *t, size_t n, const char *cls, const char *m, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].cls, cls) && strlen(t[i].member) == len && !memcmp(t[i].member, m, len))
			return t[i].result;
	return NULL;
}

const char *aa_known_method_result(const char *cls, const char *method, size_t method_len)
{
	return lookup_member(method_results, sizeof(method_results) / sizeof(method_results[0]), cls, method,
			     method_len);
}

const char *aa_known_attribute(const char *cls, const char *attr, size_t attr_len)
{
	return lookup_member(attributes, sizeof(attributes) / sizeof(attributes[0]), cls, attr, attr_len);
}
