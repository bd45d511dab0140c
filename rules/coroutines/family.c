/* The AA2xx family, coroutines and tasks: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_coroutines = {
	.prefix = "AA2",
	.tag = "coroutine",
	.title = "coroutines and tasks",
	.program = NULL,
};
