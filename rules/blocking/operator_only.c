#include "rules/blocking/operator_only.h"

#include <ctype.h>
#include <string.h>

#include "analyzer/check/context.h"
#include "parsers/python/node.h"
#include "rules/shared/name_words.h"

static const char *const operator_words[] = { "owner", "owners", "sudo", "sudoer", "sudoers", NULL };
/* Owners that are not the program's operator: a Discord server's, a group's, a chat's. */
static const char *const other_owners[] = { "guild", "server", "group", "chat", "channel", "not", NULL };

/* Does a check's name (`commands.is_owner`, `owner_only`) say only the operator passes? */
static bool check_names_operator(struct aa_ctx *ctx, TSNode callee)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, callee, &len);
	return aa_name_words_any(t, len, operator_words) && !aa_name_words_any(t, len, other_owners);
}

/* What a registration's arguments say of who may run the handler: RESTRICTED when they
 * name the operator by a constant (an upper-case name with an owner or sudo part:
 * `SUDOERS`, `OWNER_ID`, `filters.user(OWNER)`), OPEN otherwise, and OPEN as well when
 * they negate something (`~filters.user(OWNER_ID)`, `not`, `!=`): everyone but the owner.
 * Strings and comments aside. */
enum who { OPEN, RESTRICTED };

static enum who registration_names_operator(struct aa_ctx *ctx, TSNode args)
{
	uint32_t len;
	const char *t = aa_ctx_text(ctx, args, &len);
	bool named = false;
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
		if (c == '~' || (c == '!' && i + 1 < len && t[i + 1] == '='))
			return OPEN;
		if (!isalnum((unsigned char)c) && c != '_') {
			i++;
			continue;
		}
		uint32_t start = i;
		bool lower = false;
		while (i < len && (isalnum((unsigned char)t[i]) || t[i] == '_'))
			lower |= islower((unsigned char)t[i++]) != 0;
		if (i - start == 3 && !memcmp(t + start, "not", 3))
			return OPEN;
		named |= !lower && aa_name_words_any(t + start, i - start, operator_words);
	}
	return named ? RESTRICTED : OPEN;
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
