/* AA105 blocking-network-io: sync socket, DNS, mail, FTP and XML-RPC calls in async context. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/base/xalloc.h"
#include "rules/blocking/blocking.h"
#include "rules/rules.h"
#include "parsers/python/subtree.h"
#include "parsers/python/node.h"

extern const struct aa_rule aa_rule_blocking_network_io;

#define FN(name, fix) { name, 0, fix, NULL }
#define METHOD(name, fix) { name, AA_TARGET_METHOD, fix, NULL }

#define SOCK_COND                                                                              \
	"unless the socket is set non-blocking: `setblocking(False)` or `settimeout(0)` on the same " \
	"receiver, or `SOCK_NONBLOCK` (see Exceptions)"
#define SOCK(m, fix) { "socket.socket." m, AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, fix, SOCK_COND }

#define SMTP_FIX "aiosmtplib.SMTP"
#define SMTP_COND                                                                                 \
	"unless it is given no host and a `local_hostname` (with a host it connects; without a "  \
	"`local_hostname` it looks up the local name with `socket.getfqdn()`)"
#define SMTP_CTOR(name) { name, AA_TARGET_CONDITIONAL, SMTP_FIX, SMTP_COND }
#define SMTP(m) METHOD("smtplib.SMTP." m, SMTP_FIX)

#define FTP_FIX "aioftp.Client"
#define FTP_COND "when given a host (it connects, and logs in when also given a user)"
#define FTP_CTOR(name) { name, AA_TARGET_CONDITIONAL, FTP_FIX, FTP_COND }
#define FTP(m) METHOD("ftplib.FTP." m, FTP_FIX)

#define IMAP_FIX "aioimaplib.IMAP4_SSL"
#define IMAP(m) METHOD("imaplib.IMAP4." m, IMAP_FIX)

#define POP(m) METHOD("poplib.POP3." m, AA_FIX_TO_THREAD)

#define PROXY_ANY "xmlrpc.client.ServerProxy.<any method>"

#define AWS_FIX "aiobotocore or aioboto3 (the same calls, awaited), or asyncio.to_thread()"
#define AWS_EXEMPT(name, why) { name, AA_TARGET_METHOD | AA_TARGET_EXEMPT, NULL, why }
#define AWS_LOCAL "no request: built locally"

static const struct aa_target targets[] = {
	/* socket: connection set-up and name resolution. */
	FN("socket.create_connection", "await asyncio.open_connection()"),
	{ "socket.getaddrinfo", AA_TARGET_CONDITIONAL, "await loop.getaddrinfo()",
	  "unless it can only parse numbers: the host is a numeric address literal or `None`, or the "
	  "`flags` argument names `AI_NUMERICHOST` (or a constant whose name contains `NUMERIC`)" },
	{ "socket.gethostbyname", AA_TARGET_CONDITIONAL, "await loop.getaddrinfo()",
	  "unless the host is a numeric IPv4 address literal" },
	FN("socket.gethostbyname_ex", "await loop.getaddrinfo()"),
	FN("socket.gethostbyaddr", "await loop.getnameinfo()"),
	FN("socket.getfqdn", "await asyncio.to_thread(socket.getfqdn)"),
	/* socket.socket objects (socket.create_connection/create_server/fromfd results too). */
	SOCK("accept", "await loop.sock_accept()"),
	SOCK("connect", "await loop.sock_connect()"),
	SOCK("connect_ex", "await loop.sock_connect()"),
	SOCK("makefile", "await asyncio.open_connection(sock=...)"),
	SOCK("recv", "await loop.sock_recv()"),
	SOCK("recv_into", "await loop.sock_recv_into()"),
	SOCK("recvfrom", "await loop.sock_recvfrom()"),
	SOCK("recvfrom_into", "await loop.sock_recvfrom_into()"),
	SOCK("recvmsg", AA_FIX_TO_THREAD),
	SOCK("recvmsg_into", AA_FIX_TO_THREAD),
	SOCK("send", "await loop.sock_sendall()"),
	SOCK("sendall", "await loop.sock_sendall()"),
	SOCK("sendfile", "await loop.sock_sendfile()"),
	SOCK("sendmsg", AA_FIX_TO_THREAD),
	SOCK("sendto", "await loop.sock_sendto()"),
	/* smtplib: SMTP_SSL and LMTP objects are tracked as smtplib.SMTP. */
	SMTP_CTOR("smtplib.SMTP"),
	SMTP_CTOR("smtplib.SMTP_SSL"),
	SMTP_CTOR("smtplib.LMTP"),
	SMTP("auth"),
	SMTP("connect"),
	SMTP("data"),
	SMTP("docmd"),
	SMTP("ehlo"),
	SMTP("ehlo_or_helo_if_needed"),
	SMTP("expn"),
	SMTP("getreply"),
	SMTP("helo"),
	SMTP("help"),
	SMTP("login"),
	SMTP("mail"),
	SMTP("noop"),
	SMTP("putcmd"),
	SMTP("quit"),
	SMTP("rcpt"),
	SMTP("rset"),
	SMTP("send"),
	SMTP("send_message"),
	SMTP("sendmail"),
	SMTP("starttls"),
	SMTP("verify"),
	SMTP("vrfy"),
	/* ftplib: FTP_TLS objects are tracked as ftplib.FTP (auth/ccc/prot_* are FTP_TLS's). */
	FTP_CTOR("ftplib.FTP"),
	FTP_CTOR("ftplib.FTP_TLS"),
	FTP("abort"),
	FTP("acct"),
	FTP("auth"),
	FTP("ccc"),
	FTP("connect"),
	FTP("cwd"),
	FTP("delete"),
	FTP("dir"),
	FTP("getline"),
	FTP("getmultiline"),
	FTP("getresp"),
	FTP("login"),
	FTP("makepasv"),
	FTP("makeport"),
	FTP("mkd"),
	FTP("mlsd"),
	FTP("nlst"),
	FTP("ntransfercmd"),
	FTP("prot_c"),
	FTP("prot_p"),
	FTP("putcmd"),
	FTP("putline"),
	FTP("pwd"),
	FTP("quit"),
	FTP("rename"),
	FTP("retrbinary"),
	FTP("retrlines"),
	FTP("rmd"),
	FTP("sendcmd"),
	FTP("sendeprt"),
	FTP("sendport"),
	FTP("size"),
	FTP("storbinary"),
	FTP("storlines"),
	FTP("transfercmd"),
	FTP("voidcmd"),
	FTP("voidresp"),
	/* imaplib: IMAP4_SSL and IMAP4_stream objects are tracked as imaplib.IMAP4. The
	 * constructors always connect (IMAP4_stream starts a process). */
	FN("imaplib.IMAP4", IMAP_FIX),
	FN("imaplib.IMAP4_SSL", IMAP_FIX),
	FN("imaplib.IMAP4_stream", IMAP_FIX),
	IMAP("append"),
	IMAP("authenticate"),
	IMAP("capability"),
	IMAP("check"),
	IMAP("close"),
	IMAP("copy"),
	IMAP("create"),
	IMAP("delete"),
	IMAP("deleteacl"),
	IMAP("enable"),
	IMAP("expunge"),
	IMAP("fetch"),
	IMAP("getacl"),
	IMAP("getannotation"),
	IMAP("getquota"),
	IMAP("getquotaroot"),
	IMAP("list"),
	IMAP("login"),
	IMAP("login_cram_md5"),
	IMAP("logout"),
	IMAP("lsub"),
	IMAP("myrights"),
	IMAP("namespace"),
	IMAP("noop"),
	IMAP("open"),
	IMAP("partial"),
	IMAP("proxyauth"),
	IMAP("read"),
	IMAP("readline"),
	IMAP("recent"),
	IMAP("rename"),
	IMAP("search"),
	IMAP("select"),
	IMAP("send"),
	IMAP("setacl"),
	IMAP("setannotation"),
	IMAP("setquota"),
	IMAP("sort"),
	IMAP("starttls"),
	IMAP("status"),
	IMAP("store"),
	IMAP("subscribe"),
	IMAP("thread"),
	IMAP("uid"),
	IMAP("unselect"),
	IMAP("unsubscribe"),
	IMAP("xatom"),
	/* poplib: POP3_SSL objects are tracked as poplib.POP3; the constructors connect. */
	FN("poplib.POP3", AA_FIX_TO_THREAD),
	FN("poplib.POP3_SSL", AA_FIX_TO_THREAD),
	POP("apop"),
	POP("capa"),
	POP("dele"),
	POP("list"),
	POP("noop"),
	POP("pass_"),
	POP("quit"),
	POP("retr"),
	POP("rpop"),
	POP("rset"),
	POP("stat"),
	POP("stls"),
	POP("top"),
	POP("uidl"),
	POP("user"),
	POP("utf8"),
	/* xmlrpc: every attribute of a ServerProxy is a remote method; matched in check(). */
	{ PROXY_ANY, AA_TARGET_METHOD | AA_TARGET_CONDITIONAL, AA_FIX_TO_THREAD,
	  "any method call on the proxy (`proxy.add(1, 2)`, `proxy.system.listMethods()`), except the "
	  "proxy's own dunder methods (`__enter__`, `__exit__`, `__call__`)" },
	/* AWS SDK: every API method of a client is an HTTPS request (waiters poll with
	 * sleeps); the few that are local are listed as exempt. A resource's lowercase
	 * methods are actions (requests); its Capitalised ones (`s3.Bucket("b")`) make lazy
	 * sub-resources, which are not followed. */
	{ "botocore.client.BaseClient.*", AA_TARGET_METHOD | AA_TARGET_ANY_METHOD, AWS_FIX, NULL },
	AWS_EXEMPT("botocore.client.BaseClient.can_paginate", AWS_LOCAL),
	AWS_EXEMPT("botocore.client.BaseClient.close", "no request: closes the connection pool"),
	AWS_EXEMPT("botocore.client.BaseClient.generate_presigned_post", "no request: signs locally"),
	AWS_EXEMPT("botocore.client.BaseClient.generate_presigned_url", "no request: signs locally"),
	AWS_EXEMPT("botocore.client.BaseClient.get_paginator",
		   "no request: the paginator requests when its pages are iterated"),
	AWS_EXEMPT("botocore.client.BaseClient.get_waiter", "no request: the waiter's `wait()` does"),
	{ "boto3.resources.base.ServiceResource.*", AA_TARGET_METHOD | AA_TARGET_ANY_METHOD, AWS_FIX, NULL },
	AWS_EXEMPT("boto3.resources.base.ServiceResource.get_available_subresources", AWS_LOCAL),
};

#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

/* Bounds of the walks below: a region larger than this is not searched, and the socket is
 * then taken as possibly non-blocking (quiet). */
#define MAX_REGION_NODES 200000u
#define MAX_PROXY_CHAIN 8

/* The text of node holds the ASCII string needle. */
static bool text_contains(const struct aa_ctx *ctx, TSNode node, const char *needle)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, node, &len);
	size_t n = strlen(needle);
	for (uint32_t i = 0; i + n <= len; i++)
		if (!memcmp(t + i, needle, n))
			return true;
	return false;
}

/* A numeric literal whose value is zero: "0", "0_0", "0x0", "0.0", ".0", "0e5". Every digit
 * of the mantissa is 0 (a base prefix's letter and underscores aside). */
static bool literal_zero(const struct aa_ctx *ctx, TSNode lit)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, lit, &len);
	uint32_t i = 0;
	bool prefixed = len > 2 && t[0] == '0' && strchr("xXoObB", t[1]);
	if (prefixed)
		i = 2;
	for (; i < len; i++) {
		char ch = t[i];
		if (!prefixed && (ch == 'e' || ch == 'E'))
			break;
		if (ch == 'j' || ch == 'J' || (ch != '0' && ch != '_' && ch != '.'))
			return false;
	}
	return true;
}

/* What `recv.setblocking(arg)` / `recv.settimeout(arg)` leaves the socket as: true when it
 * may be non-blocking (a literal False/0, or anything the analyzer cannot read). */
static bool mode_may_be_nonblocking(const struct aa_ctx *ctx, TSNode call, bool setblocking)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode arg = aa_call_arg(ctx, call, 0, NULL);
	if (ts_node_is_null(arg))
		return aa_call_positional_count(ctx, call) < 0;
	TSSymbol k = ts_node_symbol(arg);
	if (setblocking) {
		if (k == s->true_)
			return false;
		if (k == s->integer)
			return literal_zero(ctx, arg);
		return true;
	}
	if (k == s->none)
		return false;
	if (k == s->integer || k == s->float_)
		return literal_zero(ctx, arg);
	return true;
}

enum match_mode {
	MATCH_TEXT,      /* the receiver has the same text */
	MATCH_SELF_ATTR, /* <identifier>.<same attribute>, anywhere in a class */
};

/* A setblocking/settimeout call that may leave its receiver non-blocking, under the text
 * it is matched by: the receiver's (MATCH_TEXT) or, for `<identifier>.<attribute>`, the
 * attribute's (MATCH_SELF_ATTR). */
struct nb_call {
	const char *key; /* borrowed: the file's source text */
	uint32_t key_len;
	uint32_t start, end; /* the call's bytes */
};

/* The nb_calls of one tree (a file with a syntax error has one per segment), sorted by
 * (key, start) for each mode: "does region hold one for this receiver" is a binary
 * search, where it was a walk of the region at every socket call (quadratic in a
 * function of socket calls). */
struct nb_tree {
	const TSTree *tree; /* borrowed */
	struct nb_call *calls[2]; /* owned; by enum match_mode */
	size_t n[2], cap[2];
};

/* AA105's memo for the file (aa_ctx_file_memo): the trees indexed so far, and the last
 * origin's region (the calls on one socket share its origin). */
struct nb_memo {
	struct nb_tree *trees; /* owned */
	size_t n_trees, cap_trees;
	const void *origin_id;
	TSNode origin_region;
};

static void free_nb_memo(void *p)
{
	struct nb_memo *m = p;
	if (!m)
		return;
	for (size_t i = 0; i < m->n_trees; i++)
		for (int k = 0; k < 2; k++)
			free(m->trees[i].calls[k]);
	free(m->trees);
	free(m);
}

static struct nb_memo *nb_memo(struct aa_ctx *ctx)
{
	void **slot = aa_ctx_file_memo(ctx, &aa_rule_blocking_network_io, free_nb_memo);
	if (!*slot)
		*slot = aa_xcalloc(1, sizeof(struct nb_memo));
	return *slot;
}

static int nb_call_cmp(const void *pa, const void *pb)
{
	const struct nb_call *a = pa, *b = pb;
	int c = memcmp(a->key, b->key, a->key_len < b->key_len ? a->key_len : b->key_len);
	if (c)
		return c;
	if (a->key_len != b->key_len)
		return a->key_len < b->key_len ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

struct nb_scan {
	const struct aa_ctx *ctx;
	struct nb_tree *t;
};

static void nb_add(struct nb_tree *t, enum match_mode mode, const struct aa_ctx *ctx, TSNode key, TSNode call)
{
	AA_GROW(t->calls[mode], t->cap[mode], t->n[mode] + 1);
	struct nb_call *c = &t->calls[mode][t->n[mode]++];
	c->key = aa_ctx_text(ctx, key, &c->key_len);
	c->start = ts_node_start_byte(call);
	c->end = ts_node_end_byte(call);
}

static enum aa_visit visit_setblocking(void *ud, TSNode n)
{
	struct nb_scan *sc = ud;
	const struct aa_ctx *ctx = sc->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_symbol(n) != s->call)
		return AA_VISIT_DESCEND;
	TSNode fn = ts_node_child_by_field_id(n, s->f.function);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->attribute)
		return AA_VISIT_DESCEND;
	TSNode attr = ts_node_child_by_field_id(fn, s->f.attribute);
	TSNode obj = ts_node_child_by_field_id(fn, s->f.object);
	bool sb = !ts_node_is_null(attr) && aa_ctx_text_is(ctx, attr, "setblocking");
	bool st = !ts_node_is_null(attr) && aa_ctx_text_is(ctx, attr, "settimeout");
	if (!(sb || st) || ts_node_is_null(obj) || !mode_may_be_nonblocking(ctx, n, sb))
		return AA_VISIT_DESCEND;
	nb_add(sc->t, MATCH_TEXT, ctx, obj, n);
	if (ts_node_symbol(obj) == s->attribute) {
		TSNode oo = ts_node_child_by_field_id(obj, s->f.object);
		TSNode oa = ts_node_child_by_field_id(obj, s->f.attribute);
		if (!ts_node_is_null(oo) && ts_node_symbol(oo) == s->identifier && !ts_node_is_null(oa))
			nb_add(sc->t, MATCH_SELF_ATTR, ctx, oa, n);
	}
	return AA_VISIT_DESCEND;
}

/* The index of node's tree: made by one walk of the whole tree at its first question. */
static const struct nb_tree *nb_tree_of(struct aa_ctx *ctx, TSNode node)
{
	struct nb_memo *m = nb_memo(ctx);
	for (size_t i = 0; i < m->n_trees; i++)
		if (m->trees[i].tree == node.tree)
			return &m->trees[i];
	AA_GROW(m->trees, m->cap_trees, m->n_trees + 1);
	struct nb_tree *t = &m->trees[m->n_trees++];
	*t = (struct nb_tree){ .tree = node.tree };
	struct nb_scan sc = { .ctx = ctx, .t = t };
	aa_subtree_walk(ts_tree_root_node(node.tree), SIZE_MAX, visit_setblocking, &sc);
	for (int k = 0; k < 2; k++)
		if (t->n[k])
			qsort(t->calls[k], t->n[k], sizeof(struct nb_call), nb_call_cmp);
	return t;
}

/* True when region holds a setblocking/settimeout call on the receiver that may leave it
 * non-blocking, or is too large to search. */
static bool region_sets_nonblocking(struct aa_ctx *ctx, TSNode region, TSNode receiver, enum match_mode mode)
{
	/* Unsure means quiet. (The bound kept each region's walk short; the index needs
	 * none, but findings do not change with how the answer is found.) */
	if (ts_node_descendant_count(region) > MAX_REGION_NODES)
		return true;
	if (mode == MATCH_SELF_ATTR)
		receiver = ts_node_child_by_field_id(receiver, aa_ctx_syms(ctx)->f.attribute);
	if (ts_node_is_null(receiver))
		return false;
	const struct nb_tree *t = nb_tree_of(ctx, region);
	struct nb_call want = { .start = ts_node_start_byte(region) };
	want.key = aa_ctx_text(ctx, receiver, &want.key_len);
	/* The first call on this receiver at or after the region's start. */
	size_t lo = 0, hi = t->n[mode];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nb_call_cmp(&t->calls[mode][mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->n[mode])
		return false;
	const struct nb_call *c = &t->calls[mode][lo];
	return c->key_len == want.key_len && !memcmp(c->key, want.key, want.key_len) &&
	       c->end <= ts_node_end_byte(region);
}

/* The nearest enclosing def, class or module of node. */
static TSNode enclosing_region(const struct aa_ctx *ctx, TSNode node, bool classes)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode p = aa_ctx_parent(ctx, node), last = node;
	while (!ts_node_is_null(p)) {
		TSSymbol k = ts_node_symbol(p);
		if (k == s->function_definition || (classes && k == s->class_definition))
			return p;
		last = p;
		p = aa_ctx_parent(ctx, p);
	}
	return last;
}

static bool contains(TSNode outer, TSNode inner)
{
	return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
	       ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

/* `self.x` in a method: the class whose methods may configure it, or a null node. */
static TSNode self_attribute_class(struct aa_ctx *ctx, TSNode receiver)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode none = { 0 };
	if (ts_node_symbol(receiver) != s->attribute)
		return none;
	TSNode obj = ts_node_child_by_field_id(receiver, s->f.object);
	if (ts_node_is_null(obj) || ts_node_symbol(obj) != s->identifier)
		return none;
	struct aa_model *m = aa_ctx_model(ctx);
	uint32_t fn = aa_model_scope(m, aa_ctx_scope(ctx))->function;
	/* Nested defs and lambdas inside a method still see its `self`. */
	while (fn != AA_NO_SCOPE && aa_model_scope(m, fn)->class_scope == AA_NO_SCOPE) {
		uint32_t p = aa_model_scope(m, fn)->parent;
		fn = p == AA_NO_SCOPE ? AA_NO_SCOPE : aa_model_scope(m, p)->function;
	}
	if (fn == AA_NO_SCOPE)
		return none;
	const struct aa_scope_info *method = aa_model_scope(m, fn);
	uint32_t len;
	const char *t = aa_ctx_text(ctx, obj, &len);
	if (!method->self_name || method->self_len != len || memcmp(method->self_name, t, len))
		return none;
	return aa_model_scope(m, method->class_scope)->node;
}

/* The socket method call blocks: nothing visible sets its socket non-blocking. */
static bool socket_blocking(struct aa_ctx *ctx, TSNode call, const struct aa_callee *c)
{
	TSNode recv = c->receiver;
	if (!ts_node_is_null(c->origin) && text_contains(ctx, c->origin, "SOCK_NONBLOCK"))
		return false;
	TSNode fn_region = enclosing_region(ctx, call, false);
	if (region_sets_nonblocking(ctx, fn_region, recv, MATCH_TEXT))
		return false;
	TSNode cls = self_attribute_class(ctx, recv);
	if (!ts_node_is_null(cls) && region_sets_nonblocking(ctx, cls, recv, MATCH_SELF_ATTR))
		return false;
	/* A socket made elsewhere (module level, another function) may be configured there. */
	if (!ts_node_is_null(c->origin)) {
		/* The origin is not on the walker's stack: its climb costs what ts_node_parent
		 * does, once per origin for the calls that follow one another on it. */
		struct nb_memo *m = nb_memo(ctx);
		if (m->origin_id != c->origin.id || m->origin_region.tree != c->origin.tree) {
			m->origin_id = c->origin.id;
			m->origin_region = enclosing_region(ctx, c->origin, true);
		}
		TSNode origin_region = m->origin_region;
		if (!contains(fn_region, origin_region) && (ts_node_is_null(cls) || !contains(cls, origin_region)) &&
		    region_sets_nonblocking(ctx, origin_region, recv, MATCH_TEXT))
			return false;
	}
	return true;
}

/* The constructor argument at (index, keyword) is given and not a literal ''/None. Sets
 * *unknown when a splat hides the arguments. */
static bool ctor_arg_given(struct aa_ctx *ctx, TSNode call, int index, const char *keyword, bool *unknown)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (aa_call_positional_count(ctx, call) < 0)
		*unknown = true;
	TSNode a = aa_call_arg(ctx, call, index, keyword);
	if (ts_node_is_null(a) || ts_node_symbol(a) == s->none)
		return false;
	if (ts_node_symbol(a) == s->string) {
		uint32_t len;
		const char *t = aa_ctx_text(ctx, a, &len);
		/* '' and "" (any prefix letters): an empty host does not connect. */
		while (len && t[0] != '\'' && t[0] != '"') {
			t++;
			len--;
		}
		if (len == 2)
			return false;
	}
	return true;
}

static bool smtp_ctor_blocks(struct aa_ctx *ctx, TSNode call)
{
	bool unknown = false;
	bool host = ctor_arg_given(ctx, call, 0, "host", &unknown);
	bool local = ctor_arg_given(ctx, call, 2, "local_hostname", &unknown);
	if (unknown)
		return false;
	return host || !local;
}

static bool ftp_ctor_blocks(struct aa_ctx *ctx, TSNode call)
{
	bool unknown = false;
	bool host = ctor_arg_given(ctx, call, 0, "host", &unknown);
	return host && !unknown;
}

/* A plain string literal spelling a numeric address: "127.0.0.1", "::1". */
static bool numeric_address_literal(struct aa_ctx *ctx, TSNode a, bool ipv6)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(a) || ts_node_symbol(a) != s->string)
		return false;
	uint32_t len;
	const char *t = aa_ctx_text(ctx, a, &len);
	if (len < 3 || (t[0] != '\'' && t[0] != '"') || t[len - 1] != t[0])
		return false; /* prefixed (f-strings, bytes) or triple-quoted: not read */
	bool sep = false;
	for (uint32_t i = 1; i + 1 < len; i++) {
		char ch = t[i];
		if (ch == '.' || (ipv6 && ch == ':'))
			sep = true;
		else if (!(ch >= '0' && ch <= '9') &&
			 !(ipv6 && ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))))
			return false;
	}
	return sep;
}

/* `connect((HOST, port))` on a datagram socket with a numeric HOST: a UDP connect only
 * records the peer (no packet, no name to resolve). `s.connect(("8.8.8.8", 80))` then
 * `s.getsockname()` is the common "which address is mine" idiom. */
static bool udp_numeric_connect(struct aa_ctx *ctx, TSNode call, const struct aa_callee *c)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(c->origin) || !text_contains(ctx, c->origin, "SOCK_DGRAM"))
		return false;
	TSNode addr = aa_call_arg(ctx, call, 0, "address");
	if (ts_node_is_null(addr) || ts_node_symbol(addr) != s->tuple)
		return false;
	return numeric_address_literal(ctx, ts_node_named_child(addr, 0), true);
}

/* getaddrinfo(host, port, family, type, proto, flags) that resolves nothing. */
static bool getaddrinfo_numeric(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode host = aa_call_arg(ctx, call, 0, "host");
	if (!ts_node_is_null(host) && (ts_node_symbol(host) == s->none || numeric_address_literal(ctx, host, true)))
		return true;
	TSNode flags = aa_call_arg(ctx, call, 5, "flags");
	return !ts_node_is_null(flags) && text_contains(ctx, flags, "NUMERIC");
}

/* `proxy.m(...)`, `proxy.system.listMethods(...)`: a remote call on a ServerProxy. */
static bool server_proxy_call(struct aa_ctx *ctx, TSNode call)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode node = ts_node_child_by_field_id(call, s->f.function);
	for (int depth = 0; depth < MAX_PROXY_CHAIN; depth++) {
		if (ts_node_is_null(node) || ts_node_symbol(node) != s->attribute)
			return false;
		TSNode obj = ts_node_child_by_field_id(node, s->f.object);
		TSNode attr = ts_node_child_by_field_id(node, s->f.attribute);
		if (ts_node_is_null(obj) || ts_node_is_null(attr))
			return false;
		struct aa_meaning m = aa_ctx_eval(ctx, obj);
		if (m.kind == AA_MEANING_INSTANCE && !strcmp(m.qualname, "xmlrpc.client.ServerProxy")) {
			uint32_t len;
			const char *t = aa_ctx_text(ctx, attr, &len);
			/* Dunders and the proxy's name-mangled privates are its own attributes. */
			return !(len >= 2 && t[0] == '_' && t[1] == '_') &&
			       !(len >= 14 && !memcmp(t, "_ServerProxy__", 14));
		}
		if (m.kind != AA_MEANING_UNKNOWN)
			return false;
		node = obj;
	}
	return false;
}

static const struct aa_target *proxy_target(void)
{
	for (size_t i = 0; i < N_TARGETS; i++)
		if (!strcmp(targets[i].name, PROXY_ANY))
			return &targets[i];
	return NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void check(struct aa_ctx *ctx, TSNode call)
{
	if (!aa_ctx_in_async(ctx) || aa_call_is_awaited(ctx, call))
		return;
	const struct aa_callee *c;
	const struct aa_target *t = aa_ctx_match_call(ctx, &aa_rule_blocking_network_io, call, &c);
	if (!t) {
		if (!server_proxy_call(ctx, call))
			return;
		t = proxy_target();
	} else if (t->flags & AA_TARGET_CONDITIONAL) {
		if (starts_with(t->name, "socket.socket.") && !socket_blocking(ctx, call, c))
			return;
		if ((!strcmp(t->name, "socket.socket.connect") || !strcmp(t->name, "socket.socket.connect_ex")) &&
		    udp_numeric_connect(ctx, call, c))
			return;
		if (starts_with(t->name, "smtplib.") && !(t->flags & AA_TARGET_METHOD) && !smtp_ctor_blocks(ctx, call))
			return;
		if (starts_with(t->name, "ftplib.") && !(t->flags & AA_TARGET_METHOD) && !ftp_ctor_blocks(ctx, call))
			return;
		if (!strcmp(t->name, "socket.getaddrinfo") && getaddrinfo_numeric(ctx, call))
			return;
		if (!strcmp(t->name, "socket.gethostbyname") &&
		    numeric_address_literal(ctx, aa_call_arg(ctx, call, 0, NULL), false))
			return;
	}
	aa_blocking_report(ctx, &aa_rule_blocking_network_io, call, t, NULL);
}

static const char *const kinds[] = { "call", NULL };

const struct aa_rule aa_rule_blocking_network_io = {
	.code = "AA105",
	.name = "blocking-network-io",
	.family = &aa_family_blocking,
	/* a finding in a coroutine that may run alone waits for the index (loop_uses.h); files
	 * not parsed are scanned for the names they import, which may use it */
	.index_use = AA_INDEX_DEFERS | AA_INDEX_IMPORT_SCAN,
	.severity = AA_SEVERITY_ERROR,
	.travels = true,
	.default_on = true,
	.summary = "A synchronous socket, DNS, mail, FTP or XML-RPC call blocks the event loop inside an async function",
	.equivalents = NULL,
	AA_TARGETS(targets),
	.node_kinds = kinds,
	.check = check,
	.doc = {
		.what = "Finds synchronous network I/O in async context (the body of an `async def`, outside nested "
			"`def`s and lambdas): blocking `socket` connection set-up and DNS lookups, I/O methods of "
			"`socket.socket` objects that are not set non-blocking, the `smtplib`, `ftplib`, `imaplib` and "
			"`poplib` clients (their constructors connect), remote calls through an "
			"`xmlrpc.client.ServerProxy`, and AWS SDK calls: every public method of a boto3/botocore "
			"client (`boto3.client(\"s3\")`, `session.client(...)`, `botocore` `create_client(...)`) "
			"and the actions of a `boto3.resource(...)` are HTTPS requests.",
		.why = "These calls wait for the network, or for a DNS resolver, on the event loop's thread. Until "
		       "the peer answers no other task runs and no timeout fires; a server that never answers hangs "
		       "the whole program. asyncio has non-blocking equivalents for sockets and DNS "
		       "(`asyncio.open_connection()`, `loop.sock_recv()`, `loop.getaddrinfo()`), and there are async "
		       "clients for mail and FTP; anything else can run in a thread with `asyncio.to_thread()`.",
		.example = "import socket\n\nasync def ping(host, port):\n"
			   "    sock = socket.create_connection((host, port))\n"
			   "    sock.sendall(b\"PING\\n\")\n"
			   "    return sock.recv(1024)\n",
		.use_instead = "import asyncio\n\nasync def ping(host, port):\n"
			       "    reader, writer = await asyncio.open_connection(host, port)\n"
			       "    writer.write(b\"PING\\n\")\n"
			       "    await writer.drain()\n"
			       "    return await reader.read(1024)\n",
		.anchor = "The call; its start is the start of the callee (`socket.getaddrinfo`, `sock.recv`, "
			  "`smtp.sendmail`).",
		.exceptions = "A socket set non-blocking is not a finding: when the same receiver has "
			      "`setblocking(False)` or `settimeout(0)` called in the same function (for a `self` "
			      "attribute: in any method of the class; for a socket made at module level or in another "
			      "function: there too), or was made with `SOCK_NONBLOCK`, or the argument of `setblocking`/"
			      "`settimeout` is not a literal (it may be non-blocking: unknown, so nothing is reported). "
			      "`setblocking`, `settimeout`, `close`, `fileno`, `getsockname` and building a socket are "
			      "not I/O. `smtplib.SMTP(local_hostname=...)` without a host and `ftplib.FTP()` without a "
			      "host do not connect. `connect`/`connect_ex` of a `SOCK_DGRAM` socket to a numeric "
			      "address only records the peer (UDP sends nothing, and nothing is resolved): the "
			      "\"which address is mine\" idiom. Building an `xmlrpc.client.ServerProxy` does not connect; its calls "
			      "do (the proxy's own dunder methods do not). Of an AWS client, the methods that make "
			      "no request are not findings (the table's `never` rows); a resource's Capitalised "
			      "methods (`s3.Bucket(\"b\")`, `ddb.Table(name)`) build lazy sub-resources and are "
			      "not findings, and those sub-resources and collections (`bucket.objects.all()`, "
			      "requested when iterated) are not followed: a missed alarm, not a false one. "
			      "aiobotocore and aioboto3 clients are async and never findings. Only calls are findings: "
			      "`await asyncio.to_thread(socket.getfqdn)` and "
			      "`loop.run_in_executor(None, smtp.sendmail, ...)` are the fix. Calls in a nested `def` or "
			      "`lambda` are not findings (they may run in a worker thread), and an awaited call is never "
			      "one of these sync calls. Methods count only on receivers known to be one of these objects. "
			      "Suppress a line with `# noqa: AA105` or `# noqa: blocking-network-io`."
			      AA_BLOCKING_ALONE_DOC AA_BLOCKING_OPERATOR_DOC,
		.equivalents_note = "flake8-async and Ruff have no rule for blocking socket, DNS, mail, FTP or XML-RPC "
				    "calls: no peer code suppresses AA105.",
		.references = "- [asyncio: Low-level socket operations](https://docs.python.org/3/library/asyncio-eventloop.html#working-with-socket-objects-directly)\n"
			      "- [asyncio: Streams](https://docs.python.org/3/library/asyncio-stream.html)\n"
			      "- [aiosmtplib](https://aiosmtplib.readthedocs.io/)\n"
			      "- [asyncio: Running blocking code](https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code)\n",
	},
};
