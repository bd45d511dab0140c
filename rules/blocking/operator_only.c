#include "rules/blocking/operator_only.h"

#include "analyzer/check/context.h"
#include "parsers/python/node.h"
#include "rules/shared/name_words.h"

static bool names_operator(struct aa_ctx *ctx, TSNode n)
{
	static const char *const words[] = { "owner", "owners", "sudo", "sudoer", "sudoers", NULL };
	uint32_t len;
	const char *t = aa_ctx_text(ctx, n, &len);
	return aa_name_words_any(t, len, words);
}

bool aa_blocking_operator_only(struct aa_ctx *ctx, TSNode node)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = aa_ctx_parent(ctx, node);
	while (!ts_node_is_null(fn) && ts_node_symbol(fn) != s->function_definition)
		fn = aa_ctx_parent(ctx, fn);
	TSNode decorated = ts_node_is_null(fn) ? fn : aa_ctx_parent(ctx, fn);
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
		if (names_operator(ctx, callee))
			return true; /* a check: `@commands.is_owner()` */
		if (ts_node_is_null(args) || !ts_node_named_child_count(args))
			continue; /* `@commands.command()`, `@language`: who may run it is not said here */
		if (names_operator(ctx, args))
			restricted = true;
		else
			open = true;
	}
	return restricted && !open;
}
