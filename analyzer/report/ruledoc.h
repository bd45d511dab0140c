/*
 * ruledoc.h: a rule's documentation rendered from its descriptor. The same text is
 * printed by `async-analyzer rule CODE`, committed as docs/rules/CODE.md (a test fails
 * when the committed page differs) and embedded in SARIF rule metadata.
 */
#ifndef AA_RULEDOC_H
#define AA_RULEDOC_H

#include "analyzer/check/rule.h"

/* The full Markdown page: title "# AA101 blocking-sleep", then the sections What it
 * does, Why is this bad, Example, Use instead, Anchor, Targets (the rule's target table,
 * when it has one), Fix (the descriptor's fix, or that there is none), Exceptions, Equivalents (noqa codes + equivalents_note), References,
 * and whether it is on by default. Caller frees with free(); allocation failure exits
 * (xalloc.h). */
char *aa_ruledoc_markdown(const struct aa_rule *rule);

/* The same as plain text, for the SARIF help.text field. Caller frees with free(). */
char *aa_ruledoc_text(const struct aa_rule *rule);

/* The project's home page (SARIF informationUri). */
#define AA_RULEDOC_HOME "https://github.com/async-analyzer/async-analyzer"

/* The address of the rule's page (docs/rules/CODE.md in the repository), for SARIF
 * helpUri and the editor's link. Caller frees with free(). */
char *aa_ruledoc_url(const struct aa_rule *rule);

#endif
