#include "rules/shared/call_name.h"

#include <string.h>

#include "analyzer/check/context.h"

bool aa_call_named(struct aa_ctx *ctx, TSNode call, const char *const *verbs, const char *const *whole)
{
	const struct aa_syms *s = aa_ctx_syms(ctx);
	if (ts_node_is_null(call) || ts_node_symbol(call) != s->call)
		return false;
	TSNode fn = ts_node_child_by_field_id(call, s->f.function);
	if (!ts_node_is_null(fn) && ts_node_symbol(fn) == s->attribute)
		fn = ts_node_child_by_field_id(fn, s->f.attribute);
	if (ts_node_is_null(fn) || ts_node_symbol(fn) != s->identifier)
		return false;
	uint32_t len;
	const char *name = aa_ctx_text(ctx, fn, &len);
	while (len && *name == '_')
		name++, len--;
	for (const char *const *w = whole; w && *w; w++)
		if (strlen(*w) == len && !memcmp(name, *w, len))
			return true;
	for (const char *const *v = verbs; *v; v++) {
		size_t n = strlen(*v);
		if (n <= len && !memcmp(name, *v, n) && (n == len || name[n] == '_'))
			return true;
	}
	return false;
}
