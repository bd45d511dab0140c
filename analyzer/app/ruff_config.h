/*
 * ruff_config.h: what a project's Ruff configuration ignores. A project that turned a
 * Ruff rule off (`[tool.ruff.lint] ignore = ["RUF006"]`) has decided about that pattern;
 * the equivalent rule here can say nothing there either (respect-ruff-ignores, off by
 * default: of three projects read that ignore RUF006, two had real dropped tasks
 * behind it; docs/precision.md).
 *
 * The Ruff configuration of a file is the closest `.ruff.toml`, `ruff.toml` or
 * `pyproject.toml` holding `[tool.ruff]` above it (in that order within a directory), as
 * Ruff finds it. Read from it: `ignore` and `extend-ignore` and `per-file-ignores` and
 * `extend-per-file-ignores`, in its `lint` table or at its top (Ruff's older place).
 * Selectors are codes, prefixes of codes (`ASYNC`, `RUF0`), `ALL`, or Ruff's rule
 * names. Not read: `extend` (a configuration this one extends), `select` (a rule Ruff
 * does not run is no decision about it). A file that cannot be read or parsed counts as
 * no configuration: reporting it is Ruff's business.
 *
 * Not thread-safe: used by one thread (the configs' owner). Allocation failure exits.
 */
#ifndef AA_RUFF_CONFIG_H
#define AA_RUFF_CONFIG_H

#include <stdbool.h>

#include "analyzer/check/rule.h"

struct aa_ruff_configs;

/* An empty cache of Ruff configurations; free with aa_ruff_configs_free. */
struct aa_ruff_configs *aa_ruff_configs_new(void);
void aa_ruff_configs_free(struct aa_ruff_configs *rc);

/* True when rule has Ruff equivalents (peer_names.h) and the Ruff configuration of the
 * file at abs (an absolute path) ignores every one of them for that file. Reads the
 * configuration files it meets, once each. */
bool aa_ruff_ignores(struct aa_ruff_configs *rc, const char *abs, const struct aa_rule *rule);

#endif
