#include "rules/blocking/operator_only.h"

#include <ctype.h>
#include <string.h>

#include "analyzer/check/context.h"
#include "parsers/python/node.h"
#include "parsers/python/subtree.h"
#include "rules/shared/name_words.h"

static const char *const operator_words[] = { "owner", "owners", "sudo", "sudoer", "sudoers", NULL };
/* Words that turn a keyword against its name (`no_sudo=True`, `disable_owner=True`). */
static const char *const negating_words[] = { "no", "not", "disable", "disabled", "without", "skip", "except", NULL };
/* Owners that are not the program's operator: a Discord server's, a group's, a chat's. */
static const char *const other_owners[] = { "guild", "server", "group", "chat", "channel", "not", NULL };

/* Does a check's name (`commands.is_owner`, `owner_only`) say only the operator passes? */
static bool check_names_operator(struct aa_ctx *ctx, TSNode callee)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, callee, &len);
	return aa_name_words_any(t, len, operator_words) && !aa_name_words_any(t, len, other_owners);
}

/* Does text (len bytes) name the operator: an upper-case name with an owner or sudo
 * part (`SUDOERS`, `OWNER_ID`), strings and comments aside? */
static bool names_operator_constant(const char *t, uint32_t len)
{
	for (uint32_t i = 0; i < len;) {
		char c = t[i];
		if (c == '"' || c == '\'') {
			i = aa_name_words_past_string(t, len, i);
			continue;
		}
		if (c == '#') { /* a comment: to the line's end */
			while (i < len && t[i] != '\n')
				i++;
			continue;
		}
		if (!isalnum((unsigned char)c) && c != '_') {
			i++;
			continue;
		}
		uint32_t start = i;
		bool lower = false;
		while (i < len && (isalnum((unsigned char)t[i]) || t[i] == '_'))
			lower |= islower((unsigned char)t[i++]) != 0;
		if (!lower && aa_name_words_any(t + start, i - start, operator_words))
			return true;
	}
	return false;
}

/* What a registration's arguments say of who may run the handler: RESTRICTED when they
 * name the operator: a constant (names_operator_constant: `filters.user(OWNER)`), a call
 * of a check named for them (`fox_sudo()`), a keyword named for them set to True
 * (`sudo=True`, `allow_sudo=True`), or the account's own messages (Telethon's
 * `outgoing=True`, Pyrogram's `filters.me` and `filters.outgoing`: a userbot's commands);
 * OPEN otherwise, and OPEN as well when what names them is negated
 * (`~filters.user(OWNER_ID)`, `not`, `!=`, `not in`, `is not`: everyone but the owner),
 * joined by `|`, `or` or `and` to something that does not (`filters.me | filters.private`),
 * (`outgoing=True` beside `incoming=True` is all messages). A negation of something else
 * (`~filters.forwarded`) says nothing of who. */
enum who { OPEN, RESTRICTED };

struct who_walk {
	struct aa_ctx *ctx;
	bool named, negated;
	bool in_negation; /* the walk of a negation's operand: what it names, negated or not */
	int depth;        /* walks of unions and negations this one is inside */
};

/* Unions and negations nested deeper than this are not judged: OPEN. */
#define MAX_WHO_DEPTH 16

/* Is a keyword argument named name set to True beside kw (in its argument list)? */
static bool sibling_set(struct aa_ctx *ctx, TSNode kw, const char *name)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode list = aa_ctx_parent(ctx, kw);
	uint32_t n = ts_node_is_null(list) ? 0 : ts_node_named_child_count(list);
	for (uint32_t i = 0; i < n && i < 256; i++) {
		TSNode a = ts_node_named_child(list, i);
		if (ts_node_symbol(a) == s->keyword_argument &&
		    aa_ctx_text_is(ctx, ts_node_child_by_field_id(a, s->f.name), name) &&
		    ts_node_symbol(ts_node_child_by_field_id(a, s->f.value)) == s->true_)
			return true;
	}
	return false;
}

/* Nodes a registration's walk visits at most (beyond: OPEN). */
#define MAX_WHO_NODES 4096

/* Is n `a | b`, `a or b` or `a and b`? Each side of a union admits its own; `a and b`
 * is b when a is true, as a filter object is: both sides must name the operator. */
static bool union_of(struct aa_ctx *ctx, TSNode n)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(n);
	if (k == s->boolean_operator)
		return true;
	return k == s->binary_operator && aa_ctx_text_is(ctx, ts_node_child_by_field_id(n, s->f.operator), "|");
}

/* Is n `~x`, `not x`, or a comparison with `!=`? */
static bool negation(struct aa_ctx *ctx, TSNode n)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(n);
	if (k == s->not_operator)
		return true;
	if (k == s->unary_operator)
		return aa_ctx_text_is(ctx, ts_node_child_by_field_id(n, s->f.operator), "~");
	if (k != s->comparison_operator)
		return false;
	/* `!=`, `not in`, `is not` (tree-sitter makes `not in` one token or two) */
	uint32_t c = ts_node_child_count(n);
	for (uint32_t i = 0; i < c; i++) {
		TSNode op = ts_node_child(n, i);
		if (ts_node_is_named(op))
			continue;
		uint32_t len;
		const char *t = aa_ctx_text(ctx, op, &len);
		if ((len == 2 && !memcmp(t, "!=", 2)) || (len >= 3 && !memcmp(t, "not", 3)) ||
		    (len >= 3 && !memcmp(t + len - 3, "not", 3)))
			return true;
	}
	return false;
}

static enum aa_visit who_visit(void *ud, TSNode n)
{
	struct who_walk *w = ud;
	struct aa_ctx *ctx = w->ctx;
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSSymbol k = ts_node_symbol(n);
	if (k == s->string || k == s->comment)
		return AA_VISIT_SKIP;
	if ((union_of(ctx, n) || negation(ctx, n)) && w->depth >= MAX_WHO_DEPTH) {
		w->negated = true;
		return AA_VISIT_STOP;
	}
	if (!w->in_negation && negation(ctx, n)) {
		struct who_walk inner = { ctx, false, false, true, w->depth + 1 };
		aa_subtree_walk(n, MAX_WHO_NODES, who_visit, &inner);
		w->negated |= inner.named;
		return AA_VISIT_SKIP;
	}
	if (union_of(ctx, n)) {
		/* `filters.me | filters.private`: each side admits its own; one that names no
		 * operator admits anyone */
		for (int side = 0; side < 2; side++) {
			struct who_walk part = { ctx, false, false, w->in_negation, w->depth + 1 };
			TSNode operand = ts_node_child_by_field_id(n, side ? s->f.right : s->f.left);
			if (ts_node_is_null(operand) || !aa_subtree_walk(operand, MAX_WHO_NODES, who_visit, &part))
				part.named = false;
			w->negated |= part.negated || (!part.named && !w->in_negation);
			w->named |= part.named;
		}
		return AA_VISIT_SKIP;
	}
	if (k == s->keyword_argument) {
		TSNode name = ts_node_child_by_field_id(n, s->f.name);
		TSNode value = ts_node_child_by_field_id(n, s->f.value);
		uint32_t len;
		const char *t = ts_node_is_null(name) ? NULL : aa_ctx_text(ctx, name, &len);
		bool set = !ts_node_is_null(value) && ts_node_symbol(value) == s->true_;
		/* `incoming=True` is others' messages: it restricts nothing, and beside
		 * `outgoing=True` makes the account's own no restriction either (all messages);
		 * `incoming=True, from_users=SUDO_USERS` is the sudoers' */
		if (t && set && len == 8 && !memcmp(t, "incoming", 8))
			return AA_VISIT_SKIP;
		if (t && set &&
		    ((len == 8 && !memcmp(t, "outgoing", 8) && !sibling_set(ctx, n, "incoming")) ||
		     (aa_name_words_any(t, len, operator_words) && !aa_name_words_any(t, len, other_owners) &&
		      !aa_name_words_any(t, len, negating_words)))) {
			w->named = true;
			return AA_VISIT_SKIP;
		}
		return AA_VISIT_DESCEND;
	}
	if (k == s->attribute) {
		TSNode obj = ts_node_child_by_field_id(n, s->f.object);
		TSNode attr = ts_node_child_by_field_id(n, s->f.attribute);
		if (ts_node_symbol(obj) == s->attribute)
			obj = ts_node_child_by_field_id(obj, s->f.attribute);
		if (!ts_node_is_null(obj) && aa_ctx_text_is(ctx, obj, "filters") &&
		    (aa_ctx_text_is(ctx, attr, "me") || aa_ctx_text_is(ctx, attr, "outgoing"))) {
			w->named = true;
			return AA_VISIT_SKIP;
		}
		return AA_VISIT_DESCEND;
	}
	if (k == s->call) {
		TSNode callee = ts_node_child_by_field_id(n, s->f.function);
		if (!ts_node_is_null(callee) && check_names_operator(ctx, callee))
			w->named = true;
		return AA_VISIT_DESCEND;
	}
	if (k == s->identifier) {
		uint32_t len;
		const char *t = aa_ctx_text(ctx, n, &len);
		w->named |= names_operator_constant(t, len);
	}
	return AA_VISIT_DESCEND;
}

static enum who registration_names_operator(struct aa_ctx *ctx, TSNode args)
{
	struct who_walk w = { ctx, false, false, false, 0 };
	if (!aa_subtree_walk(args, MAX_WHO_NODES, who_visit, &w) || w.negated)
		return OPEN;
	return w.named ? RESTRICTED : OPEN;
}

bool aa_blocking_operator_only(struct aa_ctx *ctx)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	/* The innermost function from the model's scopes: a climb through the parents would
	 * cost the depth of node for every call asked about (quadratic in a deep expression). */
	const struct aa_model *model = aa_ctx_model(ctx);
	uint32_t f = aa_model_scope(model, aa_ctx_scope(ctx))->function;
	if (f == AA_NO_SCOPE)
		return false;
	TSNode fn = aa_model_scope(model, f)->node;
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->function_definition)
		return false;
	TSNode decorated = aa_ctx_parent(ctx, fn);
	if (ts_node_is_null(decorated) || ts_node_symbol(decorated) != s->decorated_definition)
		return false;
	bool restricted = false, open = false;
	uint32_t n = ts_node_named_child_count(decorated);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(decorated, i);
		if (ts_node_symbol(d) != s->decorator)
			continue;
		TSNode e = aa_node_first_code_child(s, d);
		bool call = !ts_node_is_null(e) && ts_node_symbol(e) == s->call;
		TSNode callee = call ? ts_node_child_by_field_id(e, s->f.function) : e;
		TSNode args = call ? ts_node_child_by_field_id(e, s->f.arguments) : (TSNode){ 0 };
		if (ts_node_is_null(callee))
			continue;
		if (check_names_operator(ctx, callee))
			return true; /* a check: `@commands.is_owner()` */
		if (ts_node_is_null(args) || !ts_node_named_child_count(args))
			continue; /* `@commands.command()`, `@language`: who may run it is not said here */
		if (registration_names_operator(ctx, args) == RESTRICTED)
			restricted = true;
		else
			open = true;
	}
	return restricted && !open;
}
