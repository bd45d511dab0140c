#include <string.h>

#include "rules/concurrency/concurrency.h"

bool aa_concurrency_in_test(const struct aa_model *model, uint32_t scope)
{
	/* At most one step per scope, whatever the parent links say. */
	uint32_t n = aa_model_scope_count(model);
	uint32_t id = scope;
	for (uint32_t steps = 0; id != AA_NO_SCOPE && id < n && steps < n; steps++) {
		const struct aa_scope_info *info = aa_model_scope(model, id);
		if (info->kind == AA_SCOPE_FUNCTION && info->name && info->name_len >= 4 &&
		    !memcmp(info->name, "test", 4))
			return true;
		id = info->parent;
	}
	return false;
}
