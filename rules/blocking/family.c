/* The AA1xx family, blocking calls: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_blocking = {
	.prefix = "AA1",
	.tag = "blocking-call",
	.title = "blocking calls",
	.program = NULL,
	/* A blocking call in a test stalls the test's own loop (docs/precision.md). */
	.spares_tests = true,
};
