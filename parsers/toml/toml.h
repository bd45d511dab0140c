/*
 * toml.h: a TOML document, parsed with the pinned tree-sitter TOML grammar and decoded
 * into values: the one TOML reader of the analyzer (the configuration files,
 * analyzer/config/; pytest's [tool.pytest.ini_options], rules/testing/pytest_config.c).
 *
 * Decoded: basic strings (escapes \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX; a code point
 * that is not a Unicode scalar value is an error), literal strings, multi-line strings of
 * both kinds (the newline right after the opening quotes dropped; in a basic one, a
 * backslash at the end of a line drops it and the whitespace after it), integers
 * (decimal, 0x, 0o, 0b, underscores between digits; out of range is an error), booleans,
 * floats (also inf and nan), arrays, inline tables, dotted keys, [table] headers and
 * [[array of tables]] headers. Dates and times are kept as their text (AA_TOML_DATETIME).
 * TOML's structural rules are checked: a key defined twice, a table defined twice, a
 * value extended as a table, an inline table extended afterwards are errors.
 *
 * Positions are 1-based lines and columns; columns count Unicode code points. Nesting
 * (tables, arrays, inline tables, key components together) deeper than
 * AA_TOML_MAX_DEPTH is an error, so every walk over a document is bounded. Thread-safe
 * (no shared state: a parser per call). Allocation failure exits (analyzer/base/xalloc.h).
 */
#ifndef AA_TOML_H
#define AA_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AA_TOML_MAX_DEPTH 64

enum aa_toml_kind {
	AA_TOML_STRING,
	AA_TOML_INTEGER,
	AA_TOML_FLOAT,
	AA_TOML_BOOLEAN,
	AA_TOML_DATETIME,
	AA_TOML_ARRAY,
	AA_TOML_TABLE,
};

struct aa_toml_pair;

struct aa_toml_value {
	enum aa_toml_kind kind;
	uint32_t line, col; /* where the value starts (a header's table: the header) */
	/* STRING: the decoded text (owned, NUL-terminated; it may hold NUL bytes: len says);
	 * INTEGER, FLOAT, BOOLEAN, DATETIME: the source text (owned) */
	char *str;
	size_t len;
	long long integer; /* INTEGER */
	double number;     /* FLOAT */
	bool boolean;      /* BOOLEAN */
	struct aa_toml_value *items; /* ARRAY: owned, n_items */
	size_t n_items, items_cap;
	struct aa_toml_pair *pairs; /* TABLE: owned, n_pairs, in the order written */
	size_t n_pairs, pairs_cap;
	unsigned char origin; /* TABLE: how it was made (toml.c; for TOML's redefinition rules) */
	bool of_tables;       /* ARRAY: made by [[header]]s */
};

struct aa_toml_pair {
	char *key; /* owned; one decoded key component */
	uint32_t line, col; /* where the key component is written */
	struct aa_toml_value value;
};

struct aa_toml_error {
	uint32_t line, col;
	char message[160];
};

/* Parses text (len bytes; need not be NUL-terminated) into *root, a TABLE (need not be
 * initialised). Returns 0, or -1 with *err filled (the first syntax error, or the first
 * breach of TOML's rules or of the depth bound) and *root empty; release *root with
 * aa_toml_release either way. Text over 4 GiB is an error. */
int aa_toml_parse(const char *text, size_t len, struct aa_toml_value *root, struct aa_toml_error *err);

/* Frees what v owns (recursively: depth is bounded) and leaves it an empty table. */
void aa_toml_release(struct aa_toml_value *v);

/* The pair of table whose key is key (NUL-terminated), or NULL (also when table is not a
 * TABLE). Borrowed from table. */
const struct aa_toml_pair *aa_toml_find(const struct aa_toml_value *table, const char *key);

/* The value at a dotted path of plain keys ("tool.async-analyzer"), descending through
 * tables only; NULL when a component is missing or not a table on the way. */
const struct aa_toml_value *aa_toml_path(const struct aa_toml_value *table, const char *dotted);

/* "string", "integer", "float", "boolean", "date-time", "array", "table". */
const char *aa_toml_kind_name(enum aa_toml_kind kind);

#endif
