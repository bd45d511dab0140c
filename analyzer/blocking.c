#include "analyzer/blocking.h"

const struct aa_target *aa_blocking_match(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee)
{
	if (!aa_ctx_in_async(ctx))
		return NULL;
	return aa_ctx_match_call(ctx, rule, call, callee);
}

void aa_blocking_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			const char *fix)
{
	if (!fix)
		fix = target && target->fix ? target->fix : AA_FIX_TO_THREAD;
	aa_ctx_report(ctx, rule, call, "%s() blocks the event loop in async function '%s'; use '%s'",
		      aa_ctx_callee_text(ctx, call), aa_ctx_function_name(ctx), fix);
}

bool aa_blocking_check(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call)
{
	const struct aa_target *t = aa_blocking_match(ctx, rule, call, NULL);
	if (!t)
		return false;
	aa_blocking_report(ctx, rule, call, t, NULL);
	return true;
}
