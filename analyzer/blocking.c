#include "analyzer/blocking.h"

#include <string.h>

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
	/* asyncio.to_thread does not work under trio; suggest the thread runner of the
	 * library the module uses. */
	static const char to_thread[] = "await asyncio.to_thread(";
	const char *runner = NULL;
	if (!strncmp(fix, to_thread, sizeof(to_thread) - 1))
		runner = aa_ctx_imports(ctx, "trio")  ? "await trio.to_thread.run_sync(" :
			 aa_ctx_imports(ctx, "anyio") ? "await anyio.to_thread.run_sync(" :
							NULL;
	if (runner)
		aa_ctx_report(ctx, rule, call, "%s() blocks the event loop in async function '%s'; use '%s%s'",
			      aa_ctx_callee_text(ctx, call), aa_ctx_function_name(ctx), runner,
			      fix + sizeof(to_thread) - 1);
	else
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
