/*
 * known_types.h: what well-known library calls return, for object tracking. Immutable
 * tables; names are qualified the way the model forms them ("requests.Session",
 * "sqlite3.Connection"). Rules' target tables name classes by these canonical names.
 */
#ifndef AA_KNOWN_TYPES_H
#define AA_KNOWN_TYPES_H

#include <stddef.h>

/* The class of the object that calling the module-level callable `qualname` returns:
 * a factory's product ("sqlite3.connect" -> "sqlite3.Connection"), the canonical name of
 * a class ("pathlib.PosixPath" -> "pathlib.Path"), or qualname itself (any other call is
 * taken as a constructor: the tables of rules only ever match known classes). qualname
 * is NUL-terminated; the result is static storage, or qualname itself. */
const char *aa_known_call_result(const char *qualname);

/* The class returned by calling method method[0..method_len) (no terminator needed) on
 * an instance of cls (NUL-terminated), or NULL. Static storage. */
const char *aa_known_method_result(const char *cls, const char *method, size_t method_len);

/* The class of attribute attr[0..attr_len) of an instance of cls ("pathlib.Path".parent),
 * or NULL. Static storage. */
const char *aa_known_attribute(const char *cls, const char *attr, size_t attr_len);

/* The class of the library object named qualname (NUL-terminated), a module-level object
 * or an attribute of one ("fastapi_sqlalchemy.db.session" is a sqlalchemy.orm.Session),
 * or NULL. Static storage. */
const char *aa_known_object(const char *qualname);

/* The canonical name of a class used in an annotation ("requests.sessions.Session" ->
 * "requests.Session"), or qualname itself (NUL-terminated). Static storage, or
 * qualname. */
const char *aa_known_canonical(const char *qualname);

/* Calls fn(source, result, ud) for each entry of the call table (factories, aliases
 * and canonical names), in table order: for tests that check other tables against it. */
void aa_known_each_call(void (*fn)(const char *source, const char *result, void *ud), void *ud);

#endif
