/* The AA1xx family, blocking calls: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_blocking = {
	.prefix = "AA1",
	.tag = "blocking-call",
	.title = "blocking calls",
	.program = NULL,
};
