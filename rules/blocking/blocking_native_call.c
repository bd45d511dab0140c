/* AA112 blocking-native-call: reported by AA109's cross-file analysis (helper_chains.c),
 * whose sites and helper edges it shares; the C side is native_ext.c. Its target table
 * names C functions: a call of one of them that the extension does not define itself
 * ends a chain. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

#define CERTAIN(name) { name, 0, NULL, NULL }
#define CONDITIONAL(name, when) { name, AA_TARGET_CONDITIONAL, NULL, when }

static const struct aa_target targets[] = {
	/* sleeping */
	CERTAIN("sleep"),
	CERTAIN("usleep"),
	CERTAIN("nanosleep"),
	CERTAIN("clock_nanosleep"),
	CONDITIONAL("select", "with a timeout that is not zero"),
	CONDITIONAL("poll", "with a timeout that is not zero"),
	CONDITIONAL("epoll_wait", "with a timeout that is not zero"),
	/* descriptors: the extension opened them blocking unless it says otherwise */
	CERTAIN("read"),
	CERTAIN("write"),
	CERTAIN("pread"),
	CERTAIN("pwrite"),
	CERTAIN("readv"),
	CERTAIN("writev"),
	CERTAIN("recv"),
	CERTAIN("recvfrom"),
	CERTAIN("recvmsg"),
	CERTAIN("send"),
	CERTAIN("sendto"),
	CERTAIN("sendmsg"),
	CERTAIN("accept"),
	CERTAIN("accept4"),
	CERTAIN("connect"),
	CONDITIONAL("fsync", "on a file with unwritten data"),
	/* stdio streams */
	CERTAIN("fopen"),
	CERTAIN("fread"),
	CERTAIN("fwrite"),
	CERTAIN("fgets"),
	CERTAIN("getline"),
	CERTAIN("fscanf"),
	CONDITIONAL("fflush", "when the stream has buffered output"),
	/* name resolution */
	CERTAIN("getaddrinfo"),
	CERTAIN("gethostbyname"),
	CERTAIN("gethostbyname_r"),
	CERTAIN("gethostbyaddr"),
	CERTAIN("getnameinfo"),
	/* processes */
	CERTAIN("system"),
	CERTAIN("popen"),
	CERTAIN("pclose"),
	CERTAIN("wait"),
	CERTAIN("waitpid"),
	CERTAIN("waitid"),
	CERTAIN("wait3"),
	CERTAIN("wait4"),
	/* threads and locks */
	CERTAIN("pthread_join"),
	CERTAIN("pthread_cond_wait"),
	CERTAIN("pthread_cond_timedwait"),
	CERTAIN("sem_wait"),
	CERTAIN("sem_timedwait"),
	CONDITIONAL("pthread_mutex_lock", "while another thread holds the mutex"),
	CONDITIONAL("pthread_rwlock_rdlock", "while another thread holds it for writing"),
	CONDITIONAL("pthread_rwlock_wrlock", "while another thread holds it"),
	/* SQLite */
	CERTAIN("sqlite3_open"),
	CERTAIN("sqlite3_open_v2"),
	CERTAIN("sqlite3_step"),
	CERTAIN("sqlite3_exec"),
	CERTAIN("sqlite3_backup_step"),
	CONDITIONAL("sqlite3_prepare_v2", "when the schema must be read"),
	/* libpq */
	CERTAIN("PQconnectdb"),
	CERTAIN("PQconnectdbParams"),
	CERTAIN("PQsetdbLogin"),
	CERTAIN("PQexec"),
	CERTAIN("PQexecParams"),
	CERTAIN("PQexecPrepared"),
	CERTAIN("PQprepare"),
	CERTAIN("PQdescribePrepared"),
	CERTAIN("PQreset"),
	CERTAIN("PQping"),
	CERTAIN("PQgetCopyData"),
	CERTAIN("PQputCopyEnd"),
	CONDITIONAL("PQgetResult", "unless PQisBusy() said the result is there"),
	/* MySQL / MariaDB */
	CERTAIN("mysql_real_connect"),
	CERTAIN("mysql_real_query"),
	CERTAIN("mysql_query"),
	CERTAIN("mysql_store_result"),
	CERTAIN("mysql_next_result"),
	CERTAIN("mysql_ping"),
	CERTAIN("mysql_commit"),
	CERTAIN("mysql_rollback"),
	CERTAIN("mysql_select_db"),
	CERTAIN("mysql_change_user"),
	CERTAIN("mysql_autocommit"),
	CERTAIN("mysql_send_query"),
	CERTAIN("mysql_read_query_result"),
	CONDITIONAL("mysql_fetch_row", "on a result of mysql_use_result()"),
	/* libcurl */
	CERTAIN("curl_easy_perform"),
	CERTAIN("curl_easy_recv"),
	CERTAIN("curl_easy_send"),
	CERTAIN("curl_multi_wait"),
	CERTAIN("curl_multi_poll"),
	/* OpenSSL */
	CERTAIN("SSL_read"),
	CERTAIN("SSL_write"),
	CERTAIN("SSL_do_handshake"),
	CERTAIN("SSL_connect"),
	CERTAIN("SSL_accept"),
	CONDITIONAL("SSL_shutdown", "on a blocking socket with data in flight"),
	/* hiredis */
	CERTAIN("redisConnect"),
	CERTAIN("redisConnectWithTimeout"),
	CERTAIN("redisCommand"),
	CERTAIN("redisCommandArgv"),
	CERTAIN("redisGetReply"),
	/* libmemcached */
	CERTAIN("memcached_get"),
	CERTAIN("memcached_mget"),
	CERTAIN("memcached_fetch"),
	CERTAIN("memcached_fetch_result"),
	CERTAIN("memcached_set"),
	CERTAIN("memcached_add"),
	CERTAIN("memcached_replace"),
	CERTAIN("memcached_delete"),
	CERTAIN("memcached_increment"),
	CERTAIN("memcached_decrement"),
	/* OpenLDAP */
	CERTAIN("ldap_search_s"),
	CERTAIN("ldap_search_ext_s"),
	CERTAIN("ldap_simple_bind_s"),
	CERTAIN("ldap_sasl_bind_s"),
	CONDITIONAL("ldap_result", "with a timeout that is not zero"),
};

const struct aa_rule aa_rule_blocking_native_call = {
	.code = "AA112",
	.name = "blocking-native-call",
	.family = &aa_family_blocking,
	.severity = AA_SEVERITY_ERROR,
	.default_on = true,
	.summary = "Async code calls a function of the project's C extension that makes a blocking C call",
	.targets = targets,
	.n_targets = sizeof(targets) / sizeof(targets[0]),
	.crossfile = &aa_crossfile_helper_chains,
	.doc = {
		.what = "Finds calls in async context, directly or through sync project helpers (as AA109 follows "
			"them), to a Python-visible function of a C extension of the analyzed tree whose C "
			"implementation, directly or through other functions of the extension's translation units, "
			"makes a *certain* blocking C call of the table below. The message and SARIF's code flow show "
			"the whole chain across both languages (`'_native.fetch' blocks the event loop: handler -> "
			"load_rows -> _native.fetch -> fetch_impl (src/native.c:88) -> recv (src/native.c:97)`): after "
			"a C function, where it is defined for the first and where the step before calls it for the "
			"others.\n\n"
			"The C side is read with libclang, loaded only when async code reaches a name an extension may "
			"define. An extension is found through `setup.py`'s `Extension(\"pkg._native\", "
			"sources=[...])`, `pyproject.toml`'s setuptools tables (`[[tool.setuptools.ext-modules]]` with "
			"a string `name` and an array of `sources`) or `meson.build`'s `py.extension_module('_native', "
			"'src/a.c', files('src/b.c'), subdir: 'pkg')` (the module `pkg._native`; its name, sources and "
			"`subdir` read only when they are string literals, lists of them or `files()` of them, "
			"positionally or as `sources:`; no other meson code is evaluated, and without `subdir` the "
			"module is a top-level one), in the directory beside the package or one or two directories up "
			"(a `meson.build` also in the package's own directory), or failing that a C or C++ source "
			"defining `PyInit__native` (or a `PyModuleDef` and the string `\"_native\"`, for a `PyInit_` "
			"made by a macro) in the package's directory, its parent or the parent's `src/`, or when the "
			"parent holds a `setup.py` that computes the sources, any directory directly under it (then "
			"every C or C++ source of that directory is one of its units). C++ sources (`.cpp`, `.cc`, "
			"`.cxx`) are read as C++ with the same CPython tables: calls are followed through plain and "
			"namespaced functions and through member functions that are not virtual (static ones "
			"included), named in the chain with their scope (`Pool::drain`), so that a member function "
			"named `read` or `sleep` is never taken for the C library's. A `.pyi` stub of the extension "
			"does not hide it. Its Python names come from `PyMethodDef` tables as the preprocessor expands "
			"them (Argument Clinic's `*_METHODDEF` too): module functions from the table of its "
			"`PyModuleDef`, methods of extension classes from `tp_methods` of a `PyTypeObject` or the "
			"`Py_tp_methods` slot of a `PyType_Spec`, named by the last part of `tp_name`.\n\n"
			"Names reach an extension through Python too. A re-export: `from ._native import fetch`, or "
			"one module-level `from ._native import *`, in `pkg/__init__.py` makes `pkg.fetch()` the "
			"extension's `fetch` (unless the package binds `fetch` itself). An object an extension "
			"function returns, when every return of its C function that is not a null pointer gives an "
			"instance of one type: `PyObject_New(T, &Type)`, `PyObject_GC_New`, `Type.tp_alloc(&Type, n)`, "
			"`PyType_GenericAlloc(&Type, n)` or `PyType_GenericNew`, or the result of another function of "
			"the extension that does, directly or through a local variable given nothing else (and whose "
			"address is not taken): `conn = _native.connect(); conn.query()` is then the type's `query`. "
			"Methods a type inherits through `tp_base = &Base_Type` or a `Py_tp_base` slot (its own come "
			"first). Methods a Python class inherits from an extension type (`class "
			"Pooled(_native.Connection)`, for `pooled.query()` and `self.query()`), when that is the only "
			"base of the class and its project bases that is not project code (`object` aside).\n\n"
			"Compile flags come from a `compile_commands.json` beside `setup.py` (or above the directory "
			"found), else the Python headers of the machine's `python3-dev`, the file's own directory, the "
			"setup directory and its `include/`. A file with errors (a client library's header missing) "
			"still yields what libclang could read; `--timings` and the JSON report's metadata object "
			"(`c_files_not_read_fully`, docs/output.md) say how many were not read fully.",
		.why = "A C function that calls `recv`, `sleep`, `sqlite3_step` or `PQexec` stalls the event loop "
		       "exactly like `time.sleep`, and releasing the GIL (`Py_BEGIN_ALLOW_THREADS`) does not "
		       "help: other threads run, the loop's thread still waits. No peer looks behind the Python "
		       "call.",
		.example = "from pkg import _native\n\n\nasync def handler(path):\n    return _native.read_all(path)\n",
		.use_instead = "import asyncio\n\nfrom pkg import _native\n\n\nasync def handler(path):\n"
			       "    return await asyncio.to_thread(_native.read_all, path)\n",
		.anchor = "The call in async context (its start is the callee's start).",
		.exceptions = "Only *certain* C targets end a chain; a conditional one (`poll`, `pthread_mutex_lock`) "
			      "depends on arguments or other threads. A function the extension defines itself is "
			      "followed, never matched against the table, whatever its name. Calls through a function "
			      "pointer (a callback, a table of functions, a field of a struct) are unknown and not "
			      "guessed, nor are calls into other shared libraries than the ones the table names. An "
			      "extension module that is not inside a package of the tree, one whose build file names "
			      "it or its sources through code (a variable, a computed list, a `meson.build` name made "
			      "by concatenation) without a `PyInit_` in the directories above, a package mapped by "
			      "`package_dir` are not read. In C++, calls of virtual member functions (decided at run "
			      "time), of function templates, and of constructors and destructors are not followed. An "
			      "extension function that may return `None`, another type or something not recognised (a "
			      "heap type made at run time, `type->tp_alloc(type, 0)` on a parameter) gives no object, "
			      "and only module functions' results are followed (not `conn.cursor()`'s). A re-export "
			      "through two star imports, and a Python class with two bases outside the project (either "
			      "may define the method), are not followed. Generated headers must exist (a missing "
			      "header leaves a file not read fully). Suppress one call with `# noqa: AA112`."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "No peer reads C extensions: flake8-async, Ruff and Pyright stop at the Python call.",
	},
};
