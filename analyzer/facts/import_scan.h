/*
 * import_scan.h: the names a file's import statements bring in, by a line scan, without
 * parsing. For files the prefilter does not parse: the project index decides from them
 * whether such a file may call a project coroutine (AA201/AA202 fire in sync code).
 * An approximation: an import inside a string or under `if False:` counts too, which
 * only costs a parse; imports after the first top-level def, class or decorator (inside
 * functions, or at the bottom of a module) are not seen, which may miss a finding.
 */
#ifndef AA_IMPORT_SCAN_H
#define AA_IMPORT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/facts/summary.h"

/* Adds to sum->imports, for text[0..len): "m" for `import m`, "m.n" for `from m import n`
 * (relative modules resolved against sum->module and sum->is_package; `from . import n`
 * too), each with the local name it binds (`as` alias, "n", or "a" for `import a.b`),
 * keeping only the names keep(ud, name) accepts (project modules; name is
 * NUL-terminated and valid during the call only). Reads lines up to the first
 * top-level def, class or decorator. sum was made by aa_summary_new and is not frozen;
 * the names are interned in its arena. text needs no terminator. Allocation failure
 * exits. */
void aa_import_scan(struct aa_summary *sum, const char *text, size_t len, bool (*keep)(void *ud, const char *name),
		    void *ud);

#endif
