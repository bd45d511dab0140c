#include <string.h>

#include "parsers/python/call_args.h"
#include "parsers/python/node.h"

TSNode aa_call_args_find(const struct aa_syms *s, const char *text, TSNode call, int index, const char *keyword)
{
	TSNode args = ts_node_child_by_field_id(call, s->f.arguments);
	TSNode none = { 0 };
	if (ts_node_is_null(args) || ts_node_symbol(args) != s->argument_list)
		return none;
	uint32_t n = ts_node_named_child_count(args);
	int pos = 0;
	bool splat = false;
	for (uint32_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(args, i);
		TSSymbol k = ts_node_symbol(a);
		if (k == s->comment)
			continue;
		if (k == s->keyword_argument) {
			if (keyword) {
				TSNode name = ts_node_child_by_field_id(a, s->f.name);
				if (!ts_node_is_null(name) &&
				    aa_node_text_is(text, name, keyword, (uint32_t)strlen(keyword)))
					return ts_node_child_by_field_id(a, s->f.value);
			}
			continue;
		}
		if (k == s->list_splat || k == s->dictionary_splat) {
			splat = true;
			continue;
		}
		if (!splat && index >= 0 && pos == index)
			return a;
		pos++;
	}
	return none;
}
