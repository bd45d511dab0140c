/* The AA5xx family, async resources: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_resources = {
	.prefix = "AA5",
	.tag = "async-resource",
	.title = "async resources",
	.program = NULL,
};
