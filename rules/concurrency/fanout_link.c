/* The fan-out rules' cross-file half (fanout.h): does the coroutine a site spawns per
 * item make network or database calls, itself or through the project coroutines it
 * awaits, without acquiring a limiter or reading a queue on the way? */
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/buf.h"
#include "analyzer/index/index_impl.h"
#include "analyzer/check/rule.h"
#include "analyzer/base/xalloc.h"

extern const struct aa_rule aa_rule_client_per_request;

/* How many awaits deep the search goes from the spawned coroutine. */
#define MAX_AWAIT_DEPTH 8

struct await_graph {
	uint32_t *start; /* owned; n_funcs + 1 */
	uint32_t *to;    /* owned; callee function ids */
};

static void build_graph(struct aa_index *x, struct aa_summary *const *sums, size_t n, struct await_graph *g)
{
	size_t nf = x->n_funcs, ne = 0;
	g->start = aa_xcalloc(nf + 1, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		if (sums[i])
			ne += sums[i]->n_awaits;
	uint32_t *from = aa_xcalloc(ne ? ne : 1, sizeof(uint32_t));
	uint32_t *to = aa_xcalloc(ne ? ne : 1, sizeof(uint32_t));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct aa_summary *s = sums[i];
		for (size_t a = 0; s && a < s->n_awaits; a++) {
			uint32_t receiver;
			uint32_t callee = aa_index_resolve_ref(x, &s->awaits[a].ref, &receiver);
			if (callee == NONE || !x->funcs[callee].f->is_async || x->funcs[callee].f->opaque)
				continue;
			from[k] = x->func_base[i] + s->awaits[a].func;
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
static struct reach search(struct aa_index *x, const struct await_graph *g, uint32_t f, uint32_t *parent, bool *seen,
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
		const struct aa_sum_func *fn = x->funcs[v].f;
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
static void report_clients(struct aa_index *x, uint32_t f, const struct aa_summary *site_sum,
			   const struct aa_sum_site *site, bool *clients_done, struct aa_diag_list *out)
{
	if (clients_done[f])
		return;
	clients_done[f] = true;
	const struct func_ref *fr = &x->funcs[f];
	uint32_t local = f - x->func_base[fr->sum_index];
	for (size_t k = 0; k < fr->sum->n_clients; k++) {
		const struct aa_sum_client *c = &fr->sum->clients[k];
		if (c->func != local)
			continue;
		struct aa_diag d = { 0 };
		d.rule = &aa_rule_client_per_request;
		d.path = aa_xstrdup(fr->sum->path);
		d.span = c->span;
		d.message = aa_xasprintf("%s() is created on every call of '%s', which %s() at %s:%u runs once per item: "
					 "one connection pool per request (no keep-alive, no connection limit across "
					 "items); create one client in the caller and pass it in",
					 c->callee, aa_index_short_name(fr), site->callee, site_sum->path, site->span.line);
		d.source_line = c->source_line ? aa_xstrdup(c->source_line) : NULL;
		d.related = aa_xcalloc(1, sizeof(*d.related));
		d.related[0] = (struct aa_related){ aa_xstrdup(site_sum->path), site->span,
						    aa_xasprintf("%s() fans '%s' out here", site->callee,
								 aa_index_short_name(fr)) };
		d.n_related = 1;
		aa_diag_list_push(out, &d);
	}
}

static void report_site(struct aa_index *x, const struct aa_summary *s, const struct aa_sum_site *site, uint32_t f,
			const uint32_t *parent, uint32_t net, struct aa_diag_list *out)
{
	const struct func_ref *nf = &x->funcs[net];
	struct aa_buf msg = AA_BUF_INIT;
	aa_buf_addf(&msg, "%s, and '%s' makes network or database calls", site->message, aa_index_short_name(&x->funcs[f]));
	/* The chain from the spawned coroutine down to the call, when it is not direct. */
	uint32_t hops[MAX_AWAIT_DEPTH + 1];
	size_t n_hops = 0;
	for (uint32_t v = net; v != NONE && n_hops <= MAX_AWAIT_DEPTH; v = parent[v])
		hops[n_hops++] = v;
	if (n_hops > 1) {
		aa_buf_adds(&msg, " through ");
		for (size_t i = n_hops - 1; i-- > 0;)
			aa_buf_addf(&msg, "'%s'%s", aa_index_short_name(&x->funcs[hops[i]]), i ? " -> " : "");
	}
	aa_buf_addf(&msg, " (%s at %s:%u): %s", nf->f->net_callee, nf->sum->path, nf->f->net_span.line, site->tail);
	struct aa_diag d = { 0 };
	d.rule = site->rule;
	d.path = aa_xstrdup(s->path);
	d.span = site->span;
	d.message = aa_buf_detach(&msg);
	d.source_line = site->source_line ? aa_xstrdup(site->source_line) : NULL;
	d.related = aa_xcalloc(1, sizeof(*d.related));
	d.related[0] = (struct aa_related){ aa_xstrdup(nf->sum->path), nf->f->net_span,
					    aa_xasprintf("'%s' makes a network or database call: %s()",
							 aa_index_short_name(nf), nf->f->net_callee) };
	d.n_related = 1;
	aa_diag_list_push(out, &d);
}

void aa_index_fanout(struct aa_index *x, struct aa_summary *const *sums, size_t n, struct aa_diag_list *out)
{
	bool any = false;
	for (size_t i = 0; i < n && !any; i++)
		for (size_t k = 0; sums[i] && k < sums[i]->n_sites && !any; k++)
			any = sums[i]->sites[k].kind == AA_SITE_FANOUT;
	if (!any || !x->n_funcs)
		return;
	struct await_graph g;
	build_graph(x, sums, n, &g);
	uint32_t *parent = aa_xcalloc(x->n_funcs, sizeof(uint32_t));
	uint32_t *order = aa_xcalloc(x->n_funcs, sizeof(uint32_t));
	bool *seen = aa_xcalloc(x->n_funcs, sizeof(bool));
	bool *clients_done = aa_xcalloc(x->n_funcs, sizeof(bool));
	for (size_t i = 0; i < n; i++) {
		const struct aa_summary *s = sums[i];
		for (size_t k = 0; s && k < s->n_sites; k++) {
			const struct aa_sum_site *site = &s->sites[k];
			if (site->kind != AA_SITE_FANOUT)
				continue;
			uint32_t receiver;
			uint32_t f = aa_index_resolve_ref(x, &site->ref, &receiver);
			/* An unknown decorator may bound the coroutine (a rate limiter) or make it
			 * something else: quiet, as for AA201. */
			if (f == NONE || !x->funcs[f].f->is_coroutine || x->funcs[f].f->opaque)
				continue;
			size_t n_order;
			struct reach r = search(x, &g, f, parent, seen, order, &n_order);
			for (size_t v = 0; v < n_order; v++)
				seen[order[v]] = false;
			if (r.bounded || r.net == NONE)
				continue;
			report_site(x, s, site, f, parent, r.net, out);
			report_clients(x, f, s, site, clients_done, out);
		}
	}
	free(parent);
	free(order);
	free(seen);
	free(clients_done);
	free(g.start);
	free(g.to);
}
