/*
 * fingerprint.h: the identity of a finding that survives unrelated edits. One value
 * serves SARIF's partialFingerprints, GitLab Code Quality's fingerprint and the
 * baseline file (baseline.h), so a finding keeps one name everywhere.
 *
 * It hashes (FNV-1a, 64 bits, as 16 hex digits) the rule's code, the file's artifact URI
 * (aa_emit_artifact_uri: relative to the project root, so another checkout gives the
 * same value), the anchor line's text without its leading and trailing blanks, and how
 * many findings with the same (code, URI, text) come before it in the list's order.
 * Line and column numbers are left out on purpose: lines inserted or removed above a
 * finding do not change it; editing the anchor line itself does.
 */
#ifndef AA_FINGERPRINT_H
#define AA_FINGERPRINT_H

#include <stdint.h>

#include "analyzer/check/diag.h"
#include "analyzer/report/emit.h"

/* The SARIF partialFingerprints key. Versioned, as SARIF 3.27.17 asks: a new scheme
 * gets a new key, never new values under the old one. */
#define AA_FINGERPRINT_KEY "asyncAnalyzer/v1"

/* Sets every finding's fingerprint (diag.h's fingerprint and has_fingerprint). diags
 * must be sorted (aa_diag_list_sort): the occurrence index follows that order, and
 * counts the keys of this list only. Equal keys share a path, so a list that holds all
 * the findings of each of its paths (the report's groups, report.h) gives each finding
 * the value a list of the whole run would. (Two display paths with one URI, a lexical
 * ".." through a symbolic link, count apart.) Assign them before findings are dropped
 * (a baseline): the findings left keep the values they had. opts->cwd and srcroot place
 * the paths (borrowed for the call). Allocation failure exits (xalloc.h). */
void aa_fingerprint_assign(struct aa_diag_list *diags, const struct aa_emit_opts *opts);

/* The 16 lowercase hex digits and NUL a fingerprint is written as. */
#define AA_FINGERPRINT_SIZE 17
/* Writes fingerprint as its 16 hex digits ("%016" PRIx64) to out. */
void aa_fingerprint_format(uint64_t fingerprint, char out[AA_FINGERPRINT_SIZE]);

#endif
