/*
 * stdlib_modules.h: is a top-level module name part of Python's standard library?
 * The project index treats the standard library as library code even when its sources
 * are among the analyzed files: chains into `logging` or `json` internals are not the
 * project's helpers, and resolving them would read half of Lib/ on demand.
 */
#ifndef AA_STDLIB_MODULES_H
#define AA_STDLIB_MODULES_H

#include <stdbool.h>
#include <stddef.h>

/* True when name[0..len) (no terminator needed) is a top-level standard-library module
 * (sys.stdlib_module_names of CPython 3.11, private modules excluded). Immutable table;
 * thread-safe. */
bool aa_stdlib_module(const char *name, size_t len);

#endif
