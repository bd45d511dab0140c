/*
 * name_words.h: whether source text names something with a given word. Rules guess
 * intent from names: AA401 from a condition about the program's end (`if not
 * SHUTTING_DOWN.is_set(): raise`), the blocking rules from a decorator that lets only the
 * program's operator run a handler (`@commands.is_owner()`, `& SUDOERS`).
 */
#ifndef AA_NAME_WORDS_H
#define AA_NAME_WORDS_H

#include <stdbool.h>
#include <stdint.h>

/* Does text (len bytes, not NUL-terminated) hold a name with one of words (lower case,
 * NULL-terminated, each shorter than 32 bytes) as a part? Names are split into parts at
 * every character that is not a letter and at a lower-case letter followed by a capital
 * (`_cancellation_count`, `SHUTTING_DOWN`, `isClosing`, `OWNER_IDS`); parts are compared
 * without case; string literals are skipped (to their closing quote). Linear in len;
 * never fails. */
bool aa_name_words_any(const char *text, uint32_t len, const char *const *words);

/* text[i] (i below len) opens a string literal (a quote): the index just past its closing
 * quote (escapes honoured; len when it does not close). */
uint32_t aa_name_words_past_string(const char *text, uint32_t len, uint32_t i);

#endif
