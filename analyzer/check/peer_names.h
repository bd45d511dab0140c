/*
 * peer_names.h: the names Ruff gives the peer codes that rules list as equivalents,
 * so that `# ruff: ignore[asyncio-dangling-task]` suppresses what `# noqa: RUF006` does
 * (Ruff's suppression comments take a rule's code or its name). A fact about Ruff, kept
 * in one table; a code Ruff does not implement (flake8-async's ASYNC101) has no name.
 */
#ifndef AA_PEER_NAMES_H
#define AA_PEER_NAMES_H

/* Ruff's name for the peer code (case-insensitive), a static string, or NULL when Ruff
 * has no rule of that code. */
const char *aa_peer_ruff_name(const char *code);

#endif
