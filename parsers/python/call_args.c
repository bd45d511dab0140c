#include <string.h>

#include "parsers/python/call_args.h"

static bool text_is(const char *text, TSNode n, const char *s)
{
	uint32_t start = ts_node_start_byte(n), len = ts_node_end_byte(n) - start;
	return strlen(s) == len && !memcmp(text + start, s, len);
}

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
				if (!ts_node_is_null(name) && text_is(text, name, keyword))
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
