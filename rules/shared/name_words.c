#include "rules/shared/name_words.h"
#include "parsers/python/node.h"

#include <ctype.h>
#include <string.h>

uint32_t aa_name_words_past_string(const char *t, uint32_t len, uint32_t i)
{
	char quote = t[i];
	uint32_t j = i + 1;
	while (j < len && t[j] != quote)
		j += t[j] == '\\' ? 2 : 1;
	return j < len ? j + 1 : len;
}

bool aa_name_words_any(const char *t, uint32_t len, const char *const *words)
{
	char part[32]; /* the part so far, lower case */
	size_t n = 0;
	bool over = false; /* the part is longer than any word */
	bool prev_lower = false;
	for (uint32_t i = 0; i <= len; i++) {
		char c = i < len ? t[i] : ' ';
		if (c == '"' || c == '\'') { /* a string literal: to its closing quote */
			i = aa_name_words_past_string(t, len, i) - 1;
			c = ' ';
		}
		bool alpha = isalpha((unsigned char)c) != 0;
		bool camel = alpha && prev_lower && isupper((unsigned char)c);
		prev_lower = alpha && islower((unsigned char)c);
		if ((!alpha || camel) && (n || over)) {
			if (!over && aa_text_in(part, n, words))
				return true;
			n = 0;
			over = false;
		}
		if (!alpha)
			continue;
		if (n < sizeof(part))
			part[n++] = (char)tolower((unsigned char)c);
		else
			over = true;
	}
	return false;
}
