/* AA102 blocking-http-call: a sync HTTP client call in async context. */
#include "rules/blocking/blocking.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_blocking_http_call;

#define FN(name, fix) { name, 0, fix, NULL }
#define METHOD(name, fix) { name, AA_TARGET_METHOD, fix, NULL }

#define HTTPX(m) "await httpx.AsyncClient()." m "()"

static const struct aa_target targets[] = {
	/* requests: the module-level API (requests/api.py) under both spellings. */
	FN("requests.get", HTTPX("get")),
	FN("requests.post", HTTPX("post")),
	FN("requests.put", HTTPX("put")),
	FN("requests.patch", HTTPX("patch")),
	FN("requests.delete", HTTPX("delete")),
	FN("requests.head", HTTPX("head")),
	FN("requests.options", HTTPX("options")),
	FN("requests.request", HTTPX("request")),
	FN("requests.api.get", HTTPX("get")),
	FN("requests.api.post", HTTPX("post")),
	FN("requests.api.put", HTTPX("put")),
	FN("requests.api.patch", HTTPX("patch")),
	FN("requests.api.delete", HTTPX("delete")),
	FN("requests.api.head", HTTPX("head")),
	FN("requests.api.options", HTTPX("options")),
	FN("requests.api.request", HTTPX("request")),
	/* requests.Session() / requests.session() objects. */
	METHOD("requests.Session.get", HTTPX("get")),
	METHOD("requests.Session.post", HTTPX("post")),
	METHOD("requests.Session.put", HTTPX("put")),
	METHOD("requests.Session.patch", HTTPX("patch")),
	METHOD("requests.Session.delete", HTTPX("delete")),
	METHOD("requests.Session.head", HTTPX("head")),
	METHOD("requests.Session.options", HTTPX("options")),
	METHOD("requests.Session.request", HTTPX("request")),
	METHOD("requests.Session.send", HTTPX("send")),
	/* urllib */
	FN("urllib.request.urlopen", HTTPX("get")),
	FN("urllib.request.urlretrieve", "await asyncio.to_thread(urllib.request.urlretrieve, ...)"),
	/* urllib3 */
	FN("urllib3.request", HTTPX("request")),
	METHOD("urllib3.PoolManager.request", HTTPX("request")),
	METHOD("urllib3.PoolManager.urlopen", HTTPX("request")),
	/* httpx: the module-level API and the sync httpx.Client. */
	FN("httpx.get", HTTPX("get")),
	FN("httpx.post", HTTPX("post")),
	FN("httpx.put", HTTPX("put")),
	FN("httpx.patch", HTTPX("patch")),
	FN("httpx.delete", HTTPX("delete")),
	FN("httpx.head", HTTPX("head")),
	FN("httpx.options", HTTPX("options")),
	FN("httpx.request", HTTPX("request")),
	FN("httpx.stream", "async with httpx.AsyncClient().stream()"),
	METHOD("httpx.Client.get", HTTPX("get")),
	METHOD("httpx.Client.post", HTTPX("post")),
	METHOD("httpx.Client.put", HTTPX("put")),
	METHOD("httpx.Client.patch", HTTPX("patch")),
	METHOD("httpx.Client.delete", HTTPX("delete")),
	METHOD("httpx.Client.head", HTTPX("head")),
	METHOD("httpx.Client.options", HTTPX("options")),
	METHOD("httpx.Client.request", HTTPX("request")),
	METHOD("httpx.Client.stream", "async with httpx.AsyncClient().stream()"),
	METHOD("httpx.Client.send", HTTPX("send")),
	/* http.client: HTTPSConnection is canonicalised to HTTPConnection by the tracker. */
	METHOD("http.client.HTTPConnection.request", HTTPX("request")),
	METHOD("http.client.HTTPConnection.getresponse", HTTPX("request")),
};

static void check(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, &aa_rule_blocking_http_call, call, NULL);
	if (!t)
		return;
	aa_blocking_report(ctx, &aa_rule_blocking_http_call, call, t, NULL);
}

static const char *const equivalents[] = { "ASYNC210", "ASYNC211", "ASYNC212", NULL };
static const char *const former_equivalents[] = { "ASYNC100", NULL };
static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_http_call = {
	.code = "AA102",
	.name = "blocking-http-call",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.travels = true,
	.default_on = true,
	.summary = "A synchronous HTTP client call blocks the event loop inside an async function",
	.equivalents = equivalents,
	.former_equivalents = former_equivalents,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds calls of synchronous HTTP clients in async context (the body of an `async def`, "
			"outside nested `def`s and lambdas): the `requests` and `httpx` module-level functions, "
			"`urllib.request.urlopen()`, `urllib3.request()`, and the request methods of objects known to be "
			"a `requests.Session`, an `httpx.Client`, a `urllib3.PoolManager` or an "
			"`http.client.HTTPConnection`/`HTTPSConnection`.",
		.why = "A synchronous HTTP call waits for the network on the event loop's thread: for the whole "
		       "round trip no other task runs, no timeout fires and no other connection is served. A slow or "
		       "unresponsive server stalls the entire program, not just the coroutine that made the request.",
		.example = "import requests\n\nasync def fetch_user(user_id):\n"
			   "    response = requests.get(f\"https://api.example.com/users/{user_id}\")\n"
			   "    return response.json()\n",
		.use_instead = "import httpx\n\nasync def fetch_user(user_id):\n"
			       "    async with httpx.AsyncClient() as client:\n"
			       "        response = await client.get(f\"https://api.example.com/users/{user_id}\")\n"
			       "    return response.json()\n",
		.anchor = "The call; its start is the start of the callee (`requests.get`, `session.post`).",
		.exceptions = "Only calls are findings. Handing the function to a thread is the fix for code that must "
			      "stay synchronous: `await asyncio.to_thread(requests.get, url)`, "
			      "`loop.run_in_executor(None, functools.partial(session.get, url))`. Calls in a nested `def` "
			      "or `lambda` are not findings (they may run in a worker thread). Other attributes of these "
			      "modules are not calls to a client: exception classes (`requests.RequestException`, "
			      "`httpx.HTTPError`), constants (`requests.codes`), configuration objects (`httpx.Timeout`), "
			      "building a client (`requests.Session()`, `httpx.Client()`) and `httpx.AsyncClient`, which is "
			      "the fix. Methods count only on receivers known to be one of the clients above (built, "
			      "annotated or entered with `with` where the analyzer can see it); an awaited call is never "
			      "one of these sync calls and is not reported. Suppress a line with `# noqa: AA102`, "
			      "`# noqa: blocking-http-call` or the flake8-async/Ruff code `ASYNC210`, `ASYNC211` or "
			      "`ASYNC212`."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async and Ruff split this rule: `ASYNC210` (module-level `requests`/`httpx` "
				    "calls, `urllib.request.urlopen`, `urllib3.request`), `ASYNC211` (urllib3 pool "
				    "`request(\"GET\", ...)` calls, matched by signature) and `ASYNC212` (methods of sync "
				    "httpx clients and urllib3 pools). All three suppress AA102.",
		.references = "- [HTTPX: Async support](https://www.python-httpx.org/async/)\n"
			      "- [aiohttp: Client quickstart](https://docs.aiohttp.org/en/stable/client_quickstart.html)\n"
			      "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n",
	},
};
