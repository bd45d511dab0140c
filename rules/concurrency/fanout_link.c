/* The fan-out rules' cross-file analysis (fanout.h): per file, what async functions do
 * that the fan-out question needs (their first network call, limiters, queue reads,
 * per-call clients, what they await) and the deferred fan-out sites; linked, does the
 * coroutine a site spawns per item make network or database calls, itself or through
 * the project coroutines it awaits, without acquiring a limiter or reading a queue on
 * the way? */
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/buf.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/check/link.h"
#include "analyzer/index/index.h"
#include "rules/concurrency/fanout.h"
#include "rules/rules.h"

extern const struct aa_rule aa_rule_client_per_request;

#define NONE AA_INDEX_NONE

/* What one async function does (by its index in the summary's funcs[]). */
struct fanout_func {
	const char *net_callee; /* its first network or database call, "session.get"; arena; or NULL */
	struct aa_span net_span;
	bool limits;            /* acquires a limiter: `async with sem:`, `await lock.acquire()` */
	bool reads_queue;       /* takes items off a queue (a worker of a pool) */
};

/* A call an async function awaits (or enters with `async with`) whose callee may be
 * project code: the search follows them. */
struct fanout_await {
	uint32_t func;
	struct aa_ref ref;
};

/* An aiohttp/httpx client created for one call of an async function (AA306's fan-out
 * form: reported when the function is found fanned out). */
struct fanout_client {
	uint32_t func;
	const char *callee; /* "aiohttp.ClientSession"; arena */
	struct aa_span span;
	struct aa_excerpt line; /* owned */
};

/* A deferred AA301/AA302 site (aa_fanout_defer). */
struct fanout_site {
	const struct aa_rule *rule;
	struct aa_ref ref;
	struct aa_span span;
	const char *callee;  /* the site's callee text, "asyncio.gather"; arena */
	char *message;       /* owned; the head */
	char *tail;          /* owned; the advice after the evidence */
	struct aa_excerpt line; /* owned */
	bool settled;        /* the index needs nothing more to decide it (on-demand rounds) */
};

struct fanout_record {
	struct fanout_func *funcs;     size_t funcs_cap;              /* owned; zeroed past use */
	struct fanout_await *awaits;   size_t n_awaits, awaits_cap;   /* owned */
	struct fanout_client *clients; size_t n_clients, clients_cap; /* owned */
	struct fanout_site *sites;     size_t n_sites, sites_cap;     /* owned */
};

static void *new_record(void)
{
	return aa_xcalloc(1, sizeof(struct fanout_record));
}

static void free_record(void *p)
{
	struct fanout_record *r = p;
	for (size_t i = 0; i < r->n_clients; i++)
		aa_excerpt_release(&r->clients[i].line);
	for (size_t i = 0; i < r->n_sites; i++) {
		free(r->sites[i].message);
		free(r->sites[i].tail);
		aa_excerpt_release(&r->sites[i].line);
	}
	free(r->funcs);
	free(r->awaits);
	free(r->clients);
	free(r->sites);
	free(r);
}

/* The facts of the summary's function f (zeroed when new). */
static struct fanout_func *func_facts(struct fanout_record *r, uint32_t f)
{
	if (f >= r->funcs_cap) {
		size_t old = r->funcs_cap;
		AA_GROW(r->funcs, r->funcs_cap, (size_t)f + 1);
		memset(r->funcs + old, 0, (r->funcs_cap - old) * sizeof(*r->funcs));
	}
	return &r->funcs[f];
}

static const struct fanout_func no_facts;

/* The facts of function f of the index (none recorded: all false). */
static const struct fanout_func *facts_of(struct aa_link *lk, uint32_t f)
{
	struct aa_index *x = aa_link_index(lk);
	const struct fanout_record *r = aa_link_record(lk, aa_index_func_file(x, f));
	uint32_t local = aa_index_func_local(x, f);
	return r && local < r->funcs_cap ? &r->funcs[local] : &no_facts;
}

/* ---- per file ---------------------------------------------------------------------- */

/* The summary's async function the current node is in, or UINT32_MAX. */
static uint32_t async_function(struct aa_ctx *ctx)
{
	bool in_lambda;
	uint32_t f = aa_ctx_summary_function(ctx, &in_lambda);
	return f != UINT32_MAX && !in_lambda && aa_ctx_summary(ctx)->funcs[f].is_async ? f : UINT32_MAX;
}

static const char *intern(struct aa_ctx *ctx, const char *s)
{
	return aa_summary_intern(aa_ctx_summary(ctx), s, strlen(s));
}

/* The file's record, or NULL (aa_ctx_record). Asked for at the first fact: most files
 * have none, and a record lives to the end of the run, one per file of maybe 100,000
 * named one by one. */
static struct fanout_record *record(struct aa_ctx *ctx)
{
	return aa_ctx_record(ctx, &aa_crossfile_fanout);
}

/* What a call in an async function tells: a network call, a limiter, a queue read, a
 * client made per call, a project coroutine awaited. */
static void call_facts(struct aa_ctx *ctx, uint32_t f, TSNode call)
{
	struct fanout_record *r;
	bool net = aa_fanout_net_call(ctx, call);
	bool limits = aa_fanout_acquire_call(ctx, call), queue = aa_fanout_queue_read(ctx, call);
	if ((net || limits || queue) && (r = record(ctx)) != NULL) {
		struct fanout_func *fn = func_facts(r, f);
		if (net && !fn->net_callee) {
			fn->net_callee = intern(ctx, aa_ctx_callee_text(ctx, call));
			fn->net_span = aa_ctx_span(ctx, call);
		}
		fn->limits |= limits;
		fn->reads_queue |= queue;
	}
	if (aa_ctx_rule_enabled(ctx, &aa_rule_client_per_request) && aa_fanout_client_call(ctx, call) &&
	    (r = record(ctx)) != NULL) {
		AA_GROW(r->clients, r->clients_cap, r->n_clients + 1);
		r->clients[r->n_clients++] = (struct fanout_client){ f, intern(ctx, aa_ctx_callee_text(ctx, call)),
								     aa_ctx_span(ctx, call), aa_ctx_line(ctx, call) };
	}
	struct aa_ref ref;
	if (aa_fanout_async_use(ctx, call) && aa_ctx_ref(ctx, call, &ref) && (r = record(ctx)) != NULL) {
		AA_GROW(r->awaits, r->awaits_cap, r->n_awaits + 1);
		r->awaits[r->n_awaits++] = (struct fanout_await){ f, ref };
	}
}

static void summarize(struct aa_ctx *ctx, TSNode node)
{
	uint32_t f = aa_ctx_summary(ctx) && aa_ctx_in_async(ctx) ? async_function(ctx) : UINT32_MAX;
	if (f == UINT32_MAX)
		return;
	if (ts_node_symbol(node) == aa_ctx_syms(ctx)->call)
		call_facts(ctx, f, node);
	else if (aa_fanout_with_limits(ctx, node) && record(ctx)) /* `async with sem:` */
		func_facts(record(ctx), f)->limits = true;
}

void aa_fanout_defer(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode site, const struct aa_ref *ref, char *head,
		     char *tail)
{
	struct fanout_record *r = aa_ctx_record(ctx, &aa_crossfile_fanout);
	/* A site vouched for records nothing: nothing is read on demand for it. */
	if (!r || aa_ctx_vouched(ctx, rule, site)) {
		free(head);
		free(tail);
		return;
	}
	AA_GROW(r->sites, r->sites_cap, r->n_sites + 1);
	r->sites[r->n_sites++] = (struct fanout_site){
		.rule = rule,
		.ref = *ref,
		.span = aa_ctx_span(ctx, site),
		.callee = intern(ctx, aa_ctx_callee_text(ctx, site)),
		.message = head,
		.tail = tail,
		.line = aa_ctx_line(ctx, site),
	};
}

/* ---- between on-demand rounds ------------------------------------------------------ */

/* A module the prefilter skipped has no `async def`: a site that does not resolve needs
 * only the packages that may re-export its coroutine. */
static void demand(struct aa_demand *d)
{
	struct aa_index *x = aa_demand_index(d);
	for (size_t i = 0; i < aa_demand_count(d); i++) {
		struct fanout_record *r = aa_demand_record(d, i);
		for (size_t k = 0; r && k < r->n_sites; k++) {
			struct fanout_site *site = &r->sites[k];
			if (site->settled)
				continue;
			uint32_t receiver;
			size_t wanted = 0;
			uint32_t f = aa_index_resolve_ref(x, &site->ref, &receiver);
			if (f == NONE)
				wanted = aa_demand_ref(d, &site->ref, true);
			if (f != NONE || !wanted)
				site->settled = true;
		}
	}
}

/* ---- linked ------------------------------------------------------------------------ */

/* How many awaits deep the search goes from the spawned coroutine. */
#define MAX_AWAIT_DEPTH 8

struct await_graph {
	uint32_t *start; /* owned; n_funcs + 1 */
	uint32_t *to;    /* owned; callee function ids */
};

/* Edges from each async function to the project coroutines it awaits (CSR). */
static void build_graph(struct aa_link *lk, struct await_graph *g)
{
	struct aa_index *x = aa_link_index(lk);
	size_t nf = aa_index_func_count(x), ne = 0, n = aa_link_count(lk);
	g->start = aa_xcalloc(nf + 1, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		const struct fanout_record *r = aa_link_record(lk, i);
		ne += r ? r->n_awaits : 0;
	}
	uint32_t *from = aa_xcalloc(ne ? ne : 1, sizeof(uint32_t));
	uint32_t *to = aa_xcalloc(ne ? ne : 1, sizeof(uint32_t));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fanout_record *r = aa_link_record(lk, i);
		for (size_t a = 0; r && a < r->n_awaits; a++) {
			uint32_t receiver;
			uint32_t callee = aa_index_resolve_ref(x, &r->awaits[a].ref, &receiver);
			if (callee == NONE || !aa_index_func(x, callee)->is_async || aa_index_func(x, callee)->opaque)
				continue;
			from[k] = aa_index_func_id(x, i, r->awaits[a].func);
			to[k++] = callee;
		}
	}
	for (size_t e = 0; e < k; e++)
		g->start[from[e] + 1]++;
	for (size_t f = 0; f < nf; f++)
		g->start[f + 1] += g->start[f];
	g->to = aa_xcalloc(k ? k : 1, sizeof(uint32_t));
	uint32_t *fill = aa_xcalloc(nf ? nf : 1, sizeof(uint32_t));
	for (size_t e = 0; e < k; e++)
		g->to[g->start[from[e]] + fill[from[e]]++] = to[e];
	free(fill);
	free(from);
	free(to);
}

/* What a search from the spawned coroutine found. */
struct reach {
	uint32_t net;     /* the nearest function with a network call, or NONE */
	bool bounded;     /* a limiter or a queue read on the way */
};

/* Breadth first from f through awaited coroutines: the nearest network call (shortest
 * chain) and any limiter. parent[] (n_funcs entries, owned by the caller) receives the
 * search tree; order[] the visited functions, to reset seen[] afterwards. */
static struct reach search(struct aa_link *lk, const struct await_graph *g, uint32_t f, uint32_t *parent, bool *seen,
			   uint32_t *order, size_t *n_order)
{
	struct reach r = { NONE, false };
	size_t head = 0, tail = 0, depth_end = 1;
	int depth = 0;
	order[tail++] = f;
	seen[f] = true;
	parent[f] = NONE;
	while (head < tail) {
		uint32_t v = order[head++];
		const struct fanout_func *fn = facts_of(lk, v);
		if (fn->limits || fn->reads_queue)
			r.bounded = true;
		if (fn->net_callee && r.net == NONE)
			r.net = v;
		if (depth < MAX_AWAIT_DEPTH) {
			for (uint32_t e = g->start[v]; e < g->start[v + 1]; e++) {
				uint32_t w = g->to[e];
				if (seen[w])
					continue;
				seen[w] = true;
				parent[w] = v;
				order[tail++] = w;
			}
		}
		if (head == depth_end) {
			depth++;
			depth_end = tail;
		}
	}
	*n_order = tail;
	return r;
}

/* AA306's fan-out form: the clients the spawned coroutine makes on every call. */
static void report_clients(struct aa_link *lk, uint32_t f, size_t site_file, const struct fanout_site *site,
			   bool *clients_done)
{
	if (clients_done[f])
		return;
	clients_done[f] = true;
	struct aa_index *x = aa_link_index(lk);
	size_t file = aa_index_func_file(x, f);
	const struct fanout_record *r = aa_link_record(lk, file);
	uint32_t local = aa_index_func_local(x, f);
	const char *site_path = aa_link_summary(lk, site_file)->path;
	for (size_t k = 0; r && k < r->n_clients; k++) {
		const struct fanout_client *c = &r->clients[k];
		if (c->func != local)
			continue;
		char *message = aa_xasprintf("%s() is created on every call of '%s', which %s() at %s:%u runs once per item: "
					 "one connection pool per request (no keep-alive, no connection limit across "
					 "items); create one client in the caller and pass it in",
					 c->callee, aa_index_func_name(x, f), site->callee, site_path, site->span.line);
		struct aa_diag d = aa_link_finding(lk, file, &aa_rule_client_per_request, c->span, message, &c->line);
		d.related = aa_xcalloc(1, sizeof(*d.related));
		d.related[0] = (struct aa_related){ aa_xstrdup(site_path), site->span,
						    aa_xasprintf("%s() fans '%s' out here", site->callee,
								 aa_index_func_name(x, f)) };
		d.n_related = 1;
		aa_link_report(lk, file, &d);
	}
}

static void report_site(struct aa_link *lk, size_t file, const struct fanout_site *site, uint32_t f,
			const uint32_t *parent, uint32_t net)
{
	struct aa_index *x = aa_link_index(lk);
	const struct fanout_func *nf = facts_of(lk, net);
	const char *net_path = aa_index_func_summary(x, net)->path;
	struct aa_buf msg = AA_BUF_INIT;
	aa_buf_addf(&msg, "%s, and '%s' makes network or database calls", site->message, aa_index_func_name(x, f));
	/* The chain from the spawned coroutine down to the call, when it is not direct. */
	uint32_t hops[MAX_AWAIT_DEPTH + 1];
	size_t n_hops = 0;
	for (uint32_t v = net; v != NONE && n_hops <= MAX_AWAIT_DEPTH; v = parent[v])
		hops[n_hops++] = v;
	if (n_hops > 1) {
		aa_buf_adds(&msg, " through ");
		for (size_t i = n_hops - 1; i-- > 0;)
			aa_buf_addf(&msg, "'%s'%s", aa_index_func_name(x, hops[i]), i ? " -> " : "");
	}
	aa_buf_addf(&msg, " (%s at %s:%u): %s", nf->net_callee, net_path, nf->net_span.line, site->tail);
	struct aa_diag d = aa_link_finding(lk, file, site->rule, site->span, aa_buf_detach(&msg), &site->line);
	d.related = aa_xcalloc(1, sizeof(*d.related));
	d.related[0] = (struct aa_related){ aa_xstrdup(net_path), nf->net_span,
					    aa_xasprintf("'%s' makes a network or database call: %s()",
							 aa_index_func_name(x, net), nf->net_callee) };
	d.n_related = 1;
	aa_link_report(lk, file, &d);
}

static void link(struct aa_link *lk)
{
	struct aa_index *x = aa_link_index(lk);
	size_t n = aa_link_count(lk), nf = aa_index_func_count(x);
	bool any = false;
	for (size_t i = 0; i < n && !any; i++) {
		const struct fanout_record *r = aa_link_record(lk, i);
		any = r && r->n_sites;
	}
	if (!any || !nf)
		return;
	struct await_graph g;
	build_graph(lk, &g);
	uint32_t *parent = aa_xcalloc(nf, sizeof(uint32_t));
	uint32_t *order = aa_xcalloc(nf, sizeof(uint32_t));
	bool *seen = aa_xcalloc(nf, sizeof(bool));
	bool *clients_done = aa_xcalloc(nf, sizeof(bool));
	for (size_t i = 0; i < n; i++) {
		const struct fanout_record *r = aa_link_record(lk, i);
		for (size_t k = 0; r && k < r->n_sites; k++) {
			const struct fanout_site *site = &r->sites[k];
			uint32_t receiver;
			uint32_t f = aa_index_resolve_ref(x, &site->ref, &receiver);
			/* An unknown decorator may bound the coroutine (a rate limiter) or make it
			 * something else: quiet, as for AA201. */
			if (f == NONE || !aa_index_func(x, f)->is_coroutine || aa_index_func(x, f)->opaque)
				continue;
			size_t n_order;
			struct reach re = search(lk, &g, f, parent, seen, order, &n_order);
			for (size_t v = 0; v < n_order; v++)
				seen[order[v]] = false;
			if (re.bounded || re.net == NONE)
				continue;
			report_site(lk, i, site, f, parent, re.net);
			report_clients(lk, f, i, site, clients_done);
		}
	}
	free(parent);
	free(order);
	free(seen);
	free(clients_done);
	free(g.start);
	free(g.to);
}

static const char *const kinds[] = { "call", "with_statement", NULL };

const struct aa_crossfile aa_crossfile_fanout = {
	.name = "fanout",
	.node_kinds = kinds,
	.summarize = summarize,
	.new_record = new_record,
	.free_record = free_record,
	.demand = demand,
	.link = link,
};
