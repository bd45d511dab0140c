/* The AA0xx family, the analyzer: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_analyzer = {
	.prefix = "AA0",
	.tag = "analyzer",
	.title = "the analyzer",
	.program = NULL,
};
