/*
 * dangling.h: AA203 dangling-task and AA208 dangling-handled-task share one search for a
 * task that is made and thrown away (dangling_task.c). The project index gives each
 * finding to one of the two (rules/shared/suspension.h): AA208 when the task's coroutine
 * is project code that handles its own exceptions, AA203 otherwise.
 */
#ifndef AA_DANGLING_H
#define AA_DANGLING_H

#include <tree_sitter/api.h>

#include "analyzer/check/context.h"

extern const struct aa_rule aa_rule_dangling_task;

/* For call (a `call` node), reports or defers rule's finding (rule is AA203 or AA208)
 * when the task it makes is thrown away. AA208 reports only tasks whose coroutine the
 * index can resolve. Never fails. */
void aa_dangling_task_check(struct aa_ctx *ctx, TSNode call, const struct aa_rule *rule);

/* What the two descriptors share: the targets (AA_DANGLING_TASK_N_TARGETS of them), the
 * peer codes, the node kinds and the prefilter words (NULL-terminated). */
#define AA_DANGLING_TASK_N_TARGETS 5
extern const struct aa_target aa_dangling_task_targets[];
extern const char *const aa_dangling_task_equivalents[];
extern const char *const aa_dangling_task_kinds[];
extern const char *const aa_dangling_task_prefilter[];

#endif
