#include "rules/resources/async_resources.h"

#include "analyzer/check/context.h"
#include "parsers/python/node.h"

#include <string.h>

#define CM AA_RESOURCE_ASYNC_CM
#define IT AA_RESOURCE_ASYNC_ITER
#define CL AA_RESOURCE_CLOSE
#define SC AA_RESOURCE_SCOPE

/* Module-path spellings are listed next to the public names: the model names a class
 * by the path it was imported from. asyncio's lock classes reach the model already
 * canonical (analyzer/facts/known_types.c). */
static const struct aa_resource table[] = {
	{ "asyncio.Lock", "asyncio.Lock", CM },
	{ "asyncio.Semaphore", "asyncio.Semaphore", CM },
	{ "asyncio.BoundedSemaphore", "asyncio.BoundedSemaphore", CM },
	{ "asyncio.Condition", "asyncio.Condition", CM },
	{ "asyncio.TaskGroup", "asyncio.TaskGroup", CM | SC },
	{ "asyncio.taskgroups.TaskGroup", "asyncio.TaskGroup", CM | SC },
	{ "asyncio.timeout", "asyncio.timeout", CM },
	{ "asyncio.timeout_at", "asyncio.timeout_at", CM },
	{ "asyncio.timeouts.timeout", "asyncio.timeout", CM },
	{ "asyncio.timeouts.timeout_at", "asyncio.timeout_at", CM },
	{ "aiohttp.ClientSession", "aiohttp.ClientSession", CM | CL },
	{ "aiohttp.client.ClientSession", "aiohttp.ClientSession", CM | CL },
	{ "httpx.AsyncClient", "httpx.AsyncClient", CM | CL },
	{ "httpx._client.AsyncClient", "httpx.AsyncClient", CM | CL },
	{ "aiofiles.open", "aiofiles.open", CM | IT | CL },
	{ "aiofiles.threadpool.open", "aiofiles.open", CM | IT | CL },
	{ "trio.open_nursery", "trio.open_nursery", CM | SC },
	{ "anyio.create_task_group", "anyio.create_task_group", CM | SC },
};

const struct aa_resource *aa_resource_find(const char *qualname)
{
	if (!qualname)
		return NULL;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].qualname, qualname))
			return &table[i];
	return NULL;
}

const struct aa_resource *aa_resource_of_expr(struct aa_ctx *ctx, TSNode expr)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	expr = aa_node_unparen(s, expr, AA_UNPAREN_FIRST);
	if (ts_node_is_null(expr))
		return NULL;
	TSSymbol k = ts_node_symbol(expr);
	/* Only names, attributes and calls: the model answers nothing else, and a call's
	 * instance meaning is what the table names (a factory is its own "class"). */
	if (k != s->identifier && k != s->attribute && k != s->call)
		return NULL;
	struct aa_meaning m = aa_ctx_eval(ctx, expr);
	if (m.kind != AA_MEANING_INSTANCE)
		return NULL;
	return aa_resource_find(m.qualname);
}

