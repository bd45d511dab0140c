#include "rules/blocking/blocking.h"

#include <stdio.h>
#include <string.h>

const struct aa_target *aa_blocking_match(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call,
					  const struct aa_callee **callee)
{
	/* An awaited call cannot be one of these sync calls: the tracker (or the code) is
	 * wrong, and saying nothing is the safe answer. */
	if (!aa_ctx_in_async(ctx) || aa_call_is_awaited(ctx, call))
		return NULL;
	return aa_ctx_match_call(ctx, rule, call, callee);
}

/* The fix in the vocabulary of the async library the module already uses:
 * asyncio.to_thread and aiofiles do not run under trio. */
static const char *library_fix(struct aa_ctx *ctx, const char *fix, char *buf, size_t size)
{
	static const char to_thread[] = "await asyncio.to_thread(";
	static const char open_[] = "async with aiofiles.open(";
	static const char temp[] = "async with aiofiles.tempfile.";
	const char *lib = aa_ctx_imports(ctx, "trio") ? "trio" : aa_ctx_imports(ctx, "anyio") ? "anyio" : NULL;
	if (!lib)
		return fix;
	if (!strncmp(fix, to_thread, sizeof(to_thread) - 1))
		snprintf(buf, size, "await %s.to_thread.run_sync(%s", lib, fix + sizeof(to_thread) - 1);
	else if (!strncmp(fix, open_, sizeof(open_) - 1))
		snprintf(buf, size, "await %s.open_file(%s", lib, fix + sizeof(open_) - 1);
	else if (!strncmp(fix, temp, sizeof(temp) - 1))
		snprintf(buf, size, "await %s.to_thread.run_sync(tempfile.%.*s)", lib,
			 (int)strcspn(fix + sizeof(temp) - 1, "("), fix + sizeof(temp) - 1);
	else if (strstr(fix, "create_subprocess_"))
		snprintf(buf, size, "await %s.run_process()", lib);
	else
		return fix;
	return buf;
}

void aa_blocking_report(struct aa_ctx *ctx, const struct aa_rule *rule, TSNode call, const struct aa_target *target,
			const char *fix)
{
	if (!fix)
		fix = target && target->fix ? target->fix : AA_FIX_TO_THREAD;
	char buf[200];
	aa_ctx_report(ctx, rule, call, "%s() blocks the event loop in async function '%s'; use '%s'",
		      aa_ctx_callee_text(ctx, call), aa_ctx_function_name(ctx), library_fix(ctx, fix, buf, sizeof(buf)));
}
