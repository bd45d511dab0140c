/* AA002 unreadable-file: reported by the pipeline when a file (or a sub-directory met while
 * walking) cannot be read or decoded. */
#include "rules/rules.h"

const struct aa_rule aa_rule_unreadable_file = {
	.code = "AA002",
	.name = "unreadable-file",
	.family = &aa_family_analyzer,
	.severity = AA_SEVERITY_ERROR,
	.always_on = true,
	.role = AA_ROLE_UNREADABLE,
	.default_on = true,
	.summary = "The file cannot be read or decoded",
	.doc = {
		.what = "Reports a file that cannot be read (permissions, I/O error), that cannot be decoded "
			"(NUL bytes, invalid UTF-8, an unknown PEP 263 encoding or one that is not ASCII-compatible "
			"such as `# coding: utf-16`), and what a directory walk "
			"meets but cannot read: a dangling symbolic link, a symbolic link loop, a sub-directory "
			"it may not list (reported at the directory's path). The run goes on with the other "
			"files.",
		.why = "A file the analyzer cannot read is a file it cannot check: saying nothing would pass it "
		       "silently. Python itself refuses to import such a file.",
		.example = "# a file holding the bytes b'\\xff\\xfe\\x00' (not shown: it is not text)\n",
		.use_instead = "# -*- coding: latin-1 -*-\nname = 'caf\\xe9'\n",
		.anchor = "Line 1, column 1, or the first undecodable byte.",
		.exceptions = "A PEP 263 coding declaration (`# -*- coding: latin-1 -*-`) is honoured and is not "
			      "an error. AA002 is always reported unless ignored by its exact code.",
	},
};
