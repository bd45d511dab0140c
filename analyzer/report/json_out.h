/*
 * json_out.h: the cJSON documents of the JSON and SARIF writers (emit_json.c,
 * emit_sarif.c): building them and printing them.
 *
 * Building: cJSON returns NULL when it runs out of memory, and an item it failed to
 * attach is still ours to free. Every aa_json_* builder attaches what it makes to parent
 * and returns it, or returns NULL having freed it (out of memory, or parent is NULL), so
 * a chain of them stops at the first failure and the caller deletes the root. Keys are
 * string literals (or outlive the document): they are attached without a copy (cJSON's
 * CS variants). A NULL key appends to an array parent instead. Items belong to parent.
 * cJSON allocates with malloc, not xalloc.h: its failures are the values above, which
 * emit.h's writers turn into -1.
 */
#ifndef AA_JSON_OUT_H
#define AA_JSON_OUT_H

#include <stdbool.h>
#include <stdio.h>

struct cJSON;

/* A string: a copy of s (NUL-terminated, borrowed) made valid UTF-8
 * (aa_emit_utf8_clean). */
struct cJSON *aa_json_str(struct cJSON *parent, const char *key, const char *s);
struct cJSON *aa_json_num(struct cJSON *parent, const char *key, double v);
struct cJSON *aa_json_bool(struct cJSON *parent, const char *key, bool v);
/* An empty object or array, to fill. */
struct cJSON *aa_json_obj(struct cJSON *parent, const char *key);
struct cJSON *aa_json_arr(struct cJSON *parent, const char *key);

/* Writes the tree root to out, pretty printed (two-space indentation, "key": value,
 * keys in insertion order) with a final newline. Numbers must be integers, as every
 * number the writers produce is. Nesting is that of the writers' own documents (a dozen
 * levels), so the walk recurses. root is borrowed for the call. Returns 0, or -1 if
 * writing failed. */
int aa_json_write(FILE *out, const struct cJSON *root);

/* A writer's last step: writes root (aa_json_write) and frees it; a NULL root is the
 * writer's out-of-memory (cJSON could not build the document): says so on stderr.
 * Takes root. Returns 0, or -1 when root is NULL or writing failed. */
int aa_json_finish(FILE *out, struct cJSON *root);

/* What a maker of array items returns. */
enum aa_json_made { AA_JSON_ITEM, AA_JSON_END, AA_JSON_FAILED };

/* Writes an array as aa_json_write writes an array root holding its items, one item at
 * a time: make(ud, holder) appends the next item to holder (an empty array) with the
 * builders above and returns AA_JSON_ITEM, or AA_JSON_END when there is none left
 * (holder left empty), or AA_JSON_FAILED when out of memory; each item is written and
 * freed before the next is made, so memory holds one item, not the document (a tree of
 * 100,000 findings took 230 MB). Returns 0, or -1 when make failed (said on stderr, as
 * aa_json_finish does; the output is then cut short) or writing failed. */
int aa_json_write_array(FILE *out, enum aa_json_made (*make)(void *ud, struct cJSON *holder), void *ud);

#endif
