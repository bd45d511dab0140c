#include "parsers/python/syms.h"

#include <string.h>

TSSymbol aa_syms_lookup(const struct aa_syms *syms, const char *kind)
{
	return ts_language_symbol_for_name(syms->lang, kind, (uint32_t)strlen(kind), true);
}

int aa_syms_init(struct aa_syms *syms, const TSLanguage *lang, const char **missing)
{
	memset(syms, 0, sizeof(*syms));
	syms->lang = lang;
#define AA_SYM_INTERN(f, s) \
	if (!(syms->f = aa_syms_lookup(syms, s))) { *missing = s; return -1; }
	AA_SYM_LIST(AA_SYM_INTERN)
#undef AA_SYM_INTERN
	syms->kw_async = ts_language_symbol_for_name(lang, "async", 5, false);
	if (!syms->kw_async) {
		*missing = "async";
		return -1;
	}
#define AA_FIELD_INTERN(fld, s) \
	if (!(syms->f.fld = ts_language_field_id_for_name(lang, s, (uint32_t)strlen(s)))) { *missing = s; return -1; }
	AA_FIELD_LIST(AA_FIELD_INTERN)
#undef AA_FIELD_INTERN
	return 0;
}
