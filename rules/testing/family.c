/* The AA6xx family, async tests: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_testing = {
	.prefix = "AA6",
	.tag = "async-test",
	.title = "async tests",
	.program = NULL,
};
