/*
 * aa_buf: a growable byte string (git's strbuf).
 *
 * Invariant: buf->data is always NUL-terminated and buf->len excludes that NUL, so
 * buf->data can be handed to any C string function. An initialised empty buffer points
 * at a static "" and owns nothing; aa_buf_release() returns it to that state.
 * Allocation failure exits (see xalloc.h).
 */
#ifndef AA_BUF_H
#define AA_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct aa_buf {
	char *data;  /* owned unless cap == 0 (then it is the static "") */
	size_t len;
	size_t cap;
};

#define AA_BUF_INIT { (char *)"", 0, 0 }

/* Makes buf empty, as AA_BUF_INIT does. Whatever buf held is not freed: call it on a
 * new buffer, aa_buf_release on a used one. */
void aa_buf_init(struct aa_buf *buf);
/* Frees the storage and leaves buf empty and reusable. */
void aa_buf_release(struct aa_buf *buf);
/* Returns the string, NUL-terminated (a fresh "" when buf owned nothing); the caller
 * frees it with free(). buf is left empty. */
char *aa_buf_detach(struct aa_buf *buf);

/* Appends: data[0..len) (any bytes; data must not point into buf, which may move), the
 * NUL-terminated s, the byte c, or printf's output for fmt (up to a NUL it prints).
 * buf's data pointer may change; earlier pointers into it are then invalid. */
void aa_buf_add(struct aa_buf *buf, const char *data, size_t len);
void aa_buf_adds(struct aa_buf *buf, const char *s);
void aa_buf_addc(struct aa_buf *buf, char c);
void aa_buf_addf(struct aa_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The largest configuration file (pyproject.toml, ruff.toml, pytest.ini, a conftest.py)
 * any reader takes whole: real ones are a few kilobytes, and a larger one is an error or
 * "unknown" as each reader says. */
enum { AA_BUF_CONFIG_MAX = 4u << 20 };

/* Appends the whole file at path to buf (the configuration readers' files). Returns 0,
 * or an errno value: fopen's, fread's or fclose's, or EFBIG when the file holds more
 * than max bytes (reading stops soon after max; buf keeps what was read either way).
 * *opened (when not NULL) says whether the file could be opened. */
int aa_buf_read_file(struct aa_buf *buf, const char *path, size_t max, bool *opened);

/* Empties buf and keeps its storage for reuse. */
void aa_buf_reset(struct aa_buf *buf);
/* Cuts buf to its first len bytes (len <= buf->len), keeping the NUL invariant; safe on
 * an empty buffer, whose static "" is never written (git's strbuf_setlen). */
void aa_buf_setlen(struct aa_buf *buf, size_t len);

#endif
