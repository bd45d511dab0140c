/* AA001 syntax-error: reported by the parse stage (parsers/python/parse.c), not by a check. */
#include "rules/rules.h"

const struct aa_rule aa_rule_syntax_error = {
	.code = "AA001",
	.name = "syntax-error",
	.family = &aa_family_analyzer,
	.severity = AA_SEVERITY_ERROR,
	.always_on = true,
	.role = AA_ROLE_SYNTAX_ERROR,
	.default_on = true,
	.summary = "The file does not parse",
	.doc = {
		.what = "Reports the first syntax error of a file the analyzer parses. The rest of the file is "
			"still analyzed: where the parser's error recovery swallows later top-level definitions, "
			"they are parsed again from the next top-level statement. These reparses stop after 15, "
			"or before they would cover more than the file's length once more (so that a file broken "
			"on every line still costs time linear in its size); what the recovery swallowed past "
			"that point is not analyzed.",
		.why = "Code that does not parse does not run, and the analyzer cannot see what is inside the "
		       "broken region: findings there would be guesses, so none is reported.",
		.example = "async def handler(:\n    pass\n",
		.use_instead = "async def handler():\n    pass\n",
		.anchor = "The first ERROR or MISSING node of the parse tree.",
		.exceptions = "Files in syntax newer than the grammar understands are reported too, and so are the "
			      "valid constructs the pinned tree-sitter-python grammar (0.25.0, the newest on npm) does "
			      "not parse: a line that dedents inside parentheses, as in CPython's own "
			      "`test_compile.py` (the only one on the 17,255 files of a Python installation), and, "
			      "seen in applications, an annotation that is a boolean expression outside a parameter "
			      "(`x: list[str] or str = []`), a starred element in a returned tuple after a name (`return state, *rest`) "
			      "and a type parameter's default (PEP 696, `class C[T: Base = Base]`). The analyzer has "
			      "no CPython parser to tell these from syntax errors: the message says both. A parameter's "
			      "annotation continued by `or` or `and` after a subscript (`pattern: Tuple[str, int] or str "
			      "= None`, `m: list[str] or str`, `x: dict[str, int] or list[int] or None = None`), which "
			      "the grammar reads as a generic type and errs on, is not reported when the rest of the "
			      "annotation is an expression of names, `None`, subscripts and parentheses joined by `or`, "
			      "`and`, `not` or `|` (`x: list[int] or class` is still a syntax error), and the rest of the "
			      "function is checked. Syntax is checked only in "
			      "files the analyzer parses: those that contain `async def` or `await` (or a word an "
			      "enabled rule asks for). AA001 is always reported unless ignored by its exact code "
			      "(`--ignore AA001`); `# noqa: AA001` on the reported line suppresses it.",
	},
};
