#include "rules/blocking/operator_only.h"

#include "analyzer/check/context.h"
#include "rules/shared/name_words.h"

bool aa_blocking_operator_only(struct aa_ctx *ctx, TSNode node)
{
	static const char *const words[] = { "owner", "owners", "sudo", "sudoer", "sudoers", NULL };
	const struct aa_syms *s = aa_ctx_syms(ctx);
	TSNode fn = aa_ctx_parent(ctx, node);
	while (!ts_node_is_null(fn) && ts_node_symbol(fn) != s->function_definition)
		fn = aa_ctx_parent(ctx, fn);
	TSNode decorated = ts_node_is_null(fn) ? fn : aa_ctx_parent(ctx, fn);
	if (ts_node_is_null(decorated) || ts_node_symbol(decorated) != s->decorated_definition)
		return false;
	uint32_t n = ts_node_named_child_count(decorated);
	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(decorated, i);
		if (ts_node_symbol(d) != s->decorator)
			continue;
		uint32_t len;
		const char *t = aa_ctx_text(ctx, d, &len);
		if (aa_name_words_any(t, len, words))
			return true;
	}
	return false;
}
