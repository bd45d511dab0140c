/*
 * uri.h: file URIs (RFC 8089, as LSP clients send them) and filesystem paths.
 * Allocation failure exits (analyzer/base/xalloc.h).
 */
#ifndef AA_URI_H
#define AA_URI_H

/* The absolute path a "file://" URI names (percent-escapes decoded, an authority of
 * "localhost" or empty accepted), or NULL when uri is not such a URI or decodes to a
 * string with a NUL byte. Caller frees. */
char *aa_uri_to_path(const char *uri);

/* The "file://" URI of an absolute path, every byte outside RFC 3986's unreserved set
 * and '/' percent-encoded. Caller frees. */
char *aa_uri_from_path(const char *path);

#endif
