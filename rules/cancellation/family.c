/* The AA4xx family, cancellation and timeouts: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_cancellation = {
	.prefix = "AA4",
	.tag = "cancellation",
	.title = "cancellation and timeouts",
	.program = NULL,
	/* A test that injects or swallows cancellation, or waits without a timeout, is
	 * exercising or driving the code, not serving (docs/precision.md). */
	.spares_tests = true,
};
