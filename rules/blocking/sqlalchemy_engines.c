#include "rules/blocking/sqlalchemy_engines.h"
#include "analyzer/base/edit.h"
#include "analyzer/base/xalloc.h"
#include "analyzer/check/link.h"
#include "analyzer/index/index.h"
#include "parsers/python/call_args.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

extern const struct aa_rule aa_rule_blocking_database_call;
extern const struct aa_rule aa_rule_blocking_sqlite_call;

struct held {
	struct aa_span span;
	uint32_t alone_func;    /* aa_ctx_alone_function's: dropped when it runs alone */
	char *message;          /* owned */
	struct aa_fix *fix;     /* owned, or NULL */
	struct aa_excerpt line; /* owned */
};

/* Module scans for a URL's constant a file makes at most (module_value: each reads the
 * module's statements; beyond, the URL is unknown: a server). */
#define MAX_MODULE_SCANS 64

struct engines_record {
	bool sqlite, server;    /* the file makes a sync engine on SQLite / on anything else */
	unsigned module_scans;
	struct held *held;      /* owned */
	size_t n_held, held_cap;
};

static void *new_record(void)
{
	return aa_xcalloc(1, sizeof(struct engines_record));
}

static void free_record(void *p)
{
	struct engines_record *r = p;
	for (size_t i = 0; i < r->n_held; i++) {
		free(r->held[i].message);
		aa_fix_free(r->held[i].fix);
		aa_excerpt_release(&r->held[i].line);
	}
	free(r->held);
	free(r);
}

bool aa_sqlalchemy_hold(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, char *message,
			struct aa_fix *fix)
{
	struct engines_record *r = aa_ctx_record(ctx, &aa_crossfile_sqlalchemy_engines);
	if (!r || aa_ctx_vouched(ctx, rule, call))
		return false; /* a vouched line: its suppression is used where it is reported */
	AA_GROW(r->held, r->held_cap, r->n_held + 1);
	r->held[r->n_held++] = (struct held){ aa_ctx_span(ctx, call), aa_ctx_alone_function(ctx), message, fix,
					      aa_ctx_line(ctx, call) };
	return true;
}

/* Nodes of one engine's arguments looked at, at most (beyond: a server). */
#define MAX_URL_NODES 4096

struct url_scan {
	struct aa_ctx *ctx;
	bool sqlite;
};

/* A string (or f-string) whose text starts with `sqlite` (`"sqlite:///app.db"`,
 * `f"sqlite:///{path}"`, `os.path.join("sqlite:///", d)`), or the `check_same_thread`
 * key of connect_args; not inside a lookup's default (`os.getenv(name, default)`,
 * `environ.get`, `settings.get`). */
static enum aa_visit url_visit(void *ud, TSNode n)
{
	struct url_scan *w = ud;
	const struct aa_syms *s = aa_ctx_syms(w->ctx);
	if (ts_node_symbol(n) == s->call) {
		/* `os.getenv("DATABASE_URL", "sqlite:///dev.db")`: a default the deployment
		 * overrides says nothing of the database it runs on */
		TSNode fn = ts_node_child_by_field_id(n, s->f.function);
		if (ts_node_symbol(fn) == s->attribute)
			fn = ts_node_child_by_field_id(fn, s->f.attribute);
		return !ts_node_is_null(fn) && (aa_ctx_text_is(w->ctx, fn, "getenv") || aa_ctx_text_is(w->ctx, fn, "get"))
			       ? AA_VISIT_SKIP
			       : AA_VISIT_DESCEND;
	}
	if (ts_node_symbol(n) != s->string)
		return AA_VISIT_DESCEND;
	uint32_t nc = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (ts_node_symbol(c) != s->string_content)
			continue;
		uint32_t len;
		const char *t = aa_ctx_text(w->ctx, c, &len);
		if ((len >= 6 && !memcmp(t, "sqlite", 6)) || (len == 17 && !memcmp(t, "check_same_thread", 17))) {
			w->sqlite = true;
			return AA_VISIT_STOP;
		}
		break;
	}
	return AA_VISIT_SKIP;
}

/* The URL named by a module-level constant of the file (`DATABASE_URL =
 * os.path.join("sqlite:///", d)` then `create_engine(DATABASE_URL)`): its assignments'
 * values are scanned too. */
static void module_value(struct aa_ctx *ctx, TSNode name, struct url_scan *w)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode module = ts_tree_root_node(name.tree);
	uint32_t n = ts_node_named_child_count(module);
	for (uint32_t i = 0; i < n && !w->sqlite; i++) {
		TSNode st = ts_node_named_child(module, i);
		if (ts_node_symbol(st) != s->expression_statement || !ts_node_named_child_count(st))
			continue;
		TSNode a = ts_node_named_child(st, 0);
		if (ts_node_symbol(a) != s->assignment)
			continue;
		TSNode left = ts_node_child_by_field_id(a, s->f.left);
		TSNode right = ts_node_child_by_field_id(a, s->f.right);
		if (!ts_node_is_null(right) && aa_node_same_text(aa_ctx_source(ctx)->text, left, name))
			aa_subtree_walk(right, MAX_URL_NODES, url_visit, w);
	}
}

static void summarize(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_callee *c = aa_ctx_callee(ctx, call);
	if (c->kind != AA_CALLEE_FUNCTION || !c->qualname ||
	    (strcmp(c->qualname, "sqlalchemy.create_engine") && strcmp(c->qualname, "sqlalchemy.engine.create_engine") &&
	     strcmp(c->qualname, "sqlmodel.create_engine")))
		return;
	/* an engine of test code, examples or migrations (alembic's env.py) says nothing of
	 * the service's database */
	struct engines_record *r = aa_ctx_record(ctx, &aa_crossfile_sqlalchemy_engines);
	if (!r || !aa_ctx_reports_here(ctx, &aa_rule_blocking_database_call))
		return;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	struct url_scan w = { ctx, false };
	if (!ts_node_is_null(args))
		aa_subtree_walk(args, MAX_URL_NODES, url_visit, &w);
	TSNode url = aa_call_args_find(s, aa_ctx_source(ctx)->text, call, 0, "url");
	if (ts_node_is_null(url))
		url = aa_call_args_find(s, aa_ctx_source(ctx)->text, call, 0, NULL);
	if (!w.sqlite && !ts_node_is_null(url) && ts_node_symbol(url) == s->identifier &&
	    r->module_scans++ < MAX_MODULE_SCANS)
		module_value(ctx, url, &w);
	if (w.sqlite)
		r->sqlite = true;
	else
		r->server = true;
}

static void *finish_record(void *p)
{
	struct engines_record *r = p;
	if (!r->sqlite && !r->server && !r->n_held) {
		free_record(r);
		return NULL;
	}
	return r;
}

static void link(struct aa_link *lk)
{
	bool sqlite = false, server = false;
	for (size_t i = 0; i < aa_link_count(lk); i++) {
		const struct engines_record *r = aa_link_record(lk, i);
		sqlite |= r && r->sqlite;
		server |= r && r->server;
	}
	const struct aa_rule *rule = &aa_rule_blocking_database_call;
	if (sqlite && !server) {
		if (!aa_link_rule_enabled(lk, &aa_rule_blocking_sqlite_call))
			return;
		rule = &aa_rule_blocking_sqlite_call;
	}
	for (size_t i = 0; i < aa_link_count(lk); i++) {
		const struct engines_record *r = aa_link_record(lk, i);
		for (size_t k = 0; r && k < r->n_held; k++) {
			const struct held *h = &r->held[k];
			if (h->alone_func != UINT32_MAX &&
			    aa_index_runs_alone(aa_link_index(lk), aa_index_func_id(aa_link_index(lk), i, h->alone_func)))
				continue;
			struct aa_diag d = aa_link_finding(lk, i, rule, h->span, aa_xstrdup(h->message), &h->line);
			d.fix = aa_fix_copy(h->fix);
			aa_link_report(lk, i, &d);
		}
	}
}

static const char *const kinds[] = { "call", NULL };

const struct aa_crossfile aa_crossfile_sqlalchemy_engines = {
	.name = "sqlalchemy-engines",
	.node_kinds = kinds,
	.summarize = summarize,
	.new_record = new_record,
	.free_record = free_record,
	.finish_record = finish_record,
	.link = link,
};
