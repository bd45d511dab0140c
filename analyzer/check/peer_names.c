#include "analyzer/check/peer_names.h"

#include <stddef.h>
#include <strings.h>

/* From Ruff's rule list (docs.astral.sh/ruff/rules/): the ASYNC rules Ruff implements,
 * and its other codes that rules list as equivalents. */
static const char *const ruff_names[][2] = {
	{ "ASYNC100", "cancel-scope-no-checkpoint" },
	{ "ASYNC105", "trio-sync-call" },
	{ "ASYNC109", "async-function-with-timeout" },
	{ "ASYNC110", "async-busy-wait" },
	{ "ASYNC115", "async-zero-sleep" },
	{ "ASYNC116", "long-sleep-not-forever" },
	{ "ASYNC119", "yield-in-context-manager-in-async-generator" },
	{ "ASYNC210", "blocking-http-call-in-async-function" },
	{ "ASYNC212", "blocking-http-call-httpx-in-async-function" },
	{ "ASYNC220", "create-subprocess-in-async-function" },
	{ "ASYNC221", "run-process-in-async-function" },
	{ "ASYNC222", "wait-for-process-in-async-function" },
	{ "ASYNC230", "blocking-open-call-in-async-function" },
	{ "ASYNC240", "blocking-path-method-in-async-function" },
	{ "ASYNC250", "blocking-input-in-async-function" },
	{ "ASYNC251", "blocking-sleep-in-async-function" },
	{ "B012", "jump-statement-in-finally" },
	{ "F704", "yield-outside-function" },
	{ "PLE1142", "await-outside-async" },
	{ "RUF006", "asyncio-dangling-task" },
	{ "RUF029", "unused-async" },
};

const char *aa_peer_ruff_name(const char *code)
{
	for (size_t i = 0; i < sizeof(ruff_names) / sizeof(ruff_names[0]); i++)
		if (!strcasecmp(ruff_names[i][0], code))
			return ruff_names[i][1];
	return NULL;
}
