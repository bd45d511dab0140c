#include "analyzer/facts/names.h"

#include <string.h>

bool aa_names_resolve_relative(const char *module, bool is_package, const char *rel, size_t len, struct aa_buf *out)
{
	aa_buf_reset(out);
	size_t level = 0;
	while (level < len && rel[level] == '.')
		level++;
	const char *rest = rel + level;
	size_t rest_len = len - level;
	if (!level) {
		aa_buf_add(out, rel, len);
		return true;
	}
	while (rest_len && (*rest == ' ' || *rest == '\t' || *rest == '\\' || *rest == '\n' || *rest == '\r')) {
		rest++;
		rest_len--;
	}
	/* The package is the module itself for an __init__, else its parent; each further
	 * dot climbs one package. */
	size_t base = strlen(module);
	for (size_t i = is_package ? 1 : 0; i < level; i++) {
		const char *dot = memrchr(module, '.', base);
		if (!dot)
			return false;
		base = (size_t)(dot - module);
	}
	aa_buf_add(out, module, base);
	if (rest_len) {
		aa_buf_addc(out, '.');
		aa_buf_add(out, rest, rest_len);
	}
	return true;
}

bool aa_names_sorted_contains(const char *const *names, size_t n, const char *name, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(names[mid], name, len);
		if (!c)
			c = names[mid][len] ? 1 : 0;
		if (c < 0)
			lo = mid + 1;
		else if (c > 0)
			hi = mid;
		else
			return true;
	}
	return false;
}
