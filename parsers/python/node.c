#include "parsers/python/node.h"

#include <string.h>

const char *aa_node_text(const char *src, TSNode n, uint32_t *len)
{
	uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
	*len = end - start;
	return src + start;
}

bool aa_node_text_is(const char *src, TSNode n, const char *text, uint32_t len)
{
	uint32_t l;
	const char *t = aa_node_text(src, n, &l);
	return l == len && !memcmp(t, text, len);
}

bool aa_node_same_text(const char *src, TSNode a, TSNode b)
{
	uint32_t len;
	const char *t = aa_node_text(src, b, &len);
	return aa_node_text_is(src, a, t, len);
}
