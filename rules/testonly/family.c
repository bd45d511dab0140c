/* The AA9xx family: rules compiled only into the test build (registry.h). */
#include "rules/testonly/registry.h"

const struct aa_family aa_family_testonly = {
	.prefix = "AA9",
	.tag = "test-only",
	.title = "test-only rules",
	.program = NULL,
};
