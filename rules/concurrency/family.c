/* The AA3xx family, concurrency control: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_concurrency = {
	.prefix = "AA3",
	.tag = "concurrency",
	.title = "concurrency control",
	.program = "concurrency-checker",
	/* Fan-out limits and lock hand-offs matter under a service's load, not in a test. */
	.spares_tests = true,
};
