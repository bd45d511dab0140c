/*
 * native_ext.h: the C side of AA112: the C extensions of the analyzed tree, which Python
 * names they define, and which of those reach a certain blocking C call (AA112's target
 * table) through the direct calls of the extension's translation units.
 *
 * Used from a link hook (main thread): names are registered with aa_native_want, then
 * aa_native_read finds the extensions those names may belong to and reads only theirs
 * (libclang is loaded then, and only when there is a unit to read; units are read on
 * `jobs` threads), then aa_native_find answers. Extensions are found through setup.py's
 * `Extension("pkg._native", sources=[...])` (read with tree-sitter; a literal list),
 * pyproject.toml's `[[tool.setuptools.ext-modules]]` tables or meson.build's
 * `py.extension_module('_native', 'a.c', ..., subdir: 'pkg')` (literal arguments only)
 * next to the package or one or two levels up (meson.build also in the package's own
 * directory), or failing that a C or C++ source defining
 * `PyInit__native` (or a PyModuleDef and the string "_native") in the package's
 * directory, its parent or the parent's src/, or, when the parent holds a setup.py, any
 * directory directly under it; every C or C++ source of that directory is then a unit. A module
 * with a .py file is never an extension. Compile flags come from a
 * compile_commands.json beside setup.py (or above the directory found) when there is
 * one, else the configured Python include directory (as a system directory) and the
 * file's own, the extension's directory, its include/ and its parent.
 *
 * Nothing fails: what cannot be read is counted (aa_native_units) and yields nothing.
 * Allocation failure exits.
 */
#ifndef AA_NATIVE_EXT_H
#define AA_NATIVE_EXT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/check/link.h"

/* One step of a C chain: caller calls callee at path:line. */
struct aa_native_hop {
	const char *caller; /* owned by the aa_native */
	const char *callee;
	const char *path;
	unsigned line;
};

/* How a Python-visible extension function blocks. */
struct aa_native_chain {
	const char *shown;   /* "_native.Timer.wait": the module's last name, class, name */
	const char *impl;    /* the C function of its PyMethodDef entry */
	const char *path;    /* where impl is defined */
	unsigned line;
	/* impl -> ... -> the blocking call: the last hop's callee is a certain target of
	 * AA112's table. At least one hop. */
	const struct aa_native_hop *hops;
	size_t n_hops;
};

struct aa_native;

/* A new, empty view of the tree's extensions; lk gives the summaries' modules and paths
 * (borrowed until aa_native_free). jobs >= 1. */
struct aa_native *aa_native_new(const struct aa_link *lk, unsigned jobs);
void aa_native_free(struct aa_native *nv);

/* A callee that no project Python function resolves (or only a .pyi stub's), with
 * re-exports already followed: a module-level name ("pkg._native.fetch", method NULL;
 * also a method named through its class, "pkg._native.Conn.query") or a method of a
 * class ("pkg._native.Conn", "query"), where the class may also be a module function
 * whose C side returns instances of one type ("pkg._native.connect", "query"). Methods
 * are looked up in the type, then its base types (tp_base, Py_tp_base). Both borrowed
 * for the call. */
void aa_native_want(struct aa_native *nv, const char *name, const char *method);

/* Finds and reads the extensions the wanted names may belong to. Once. */
void aa_native_read(struct aa_native *nv);

/* How name/method (as given to aa_native_want) blocks, or NULL. Borrowed from nv. */
const struct aa_native_chain *aa_native_find(struct aa_native *nv, const char *name, const char *method);

/* C files read, and of those the ones libclang could not read fully (errors) or at all. */
void aa_native_units(const struct aa_native *nv, size_t *read, size_t *partial);

#endif
