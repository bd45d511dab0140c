/*
 * pytest_config.h: what the project's pytest configuration says about one test file
 * (AA601, AA602, AA603).
 *
 * aa_pytest_config_load() looks up, from the test file's directory upwards to the
 * project root (a directory holding `.git`, which is still searched, or the filesystem
 * root), the nearest configuration pytest would read, checking in each directory, in
 * pytest's order: `pytest.ini`, `.pytest.ini` (always a config), `pyproject.toml` (only
 * when it has `[tool.pytest.ini_options]` or `[tool.pytest]`; read with the tree-sitter
 * TOML grammar), `tox.ini` (only with `[pytest]`), `setup.cfg` (only with
 * `[tool:pytest]`). INI files are read as pytest's iniconfig reads them (sections,
 * `key = value` / `key: value`, indented continuation lines, `#`/`;` comment lines).
 * It also reads every `conftest.py` from the test file's directory up to the config's
 * directory (pytest's confcutdir), or up to the project root when there is no config;
 * those that name collect_ignore or collect_ignore_glob are parsed with the Python grammar
 * for their literal lists (aa_pytest_excluded).
 *
 * The answer is conservative: whenever run-time behaviour cannot be known (a malformed
 * or unreadable config, a conftest hook or plugin list that may add marks or run
 * coroutines, a file that does not exist on disk, a file under `site-packages` or
 * `dist-packages`, or no configuration and no `.git` up to the filesystem root: an
 * installed package's tests, whose configuration and plugins were not shipped)
 * `unknown` is set and the rules report nothing. Nothing is ever printed.
 *
 * Thread-safe: no shared state; each call does its own I/O (a handful of stat calls per
 * directory level, and reads only the nearest config and the conftests). Callers load
 * once per file, and only for files that hold an async test or fixture.
 */
#ifndef AA_PYTEST_CONFIG_H
#define AA_PYTEST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct aa_ctx; /* analyzer/check/context.h */

struct aa_pytest_config {
	bool unknown;      /* report nothing: see above */
	bool asyncio_auto; /* asyncio_mode is not strict (auto, legacy; also via addopts) */
	bool trio_mode;    /* trio_mode = true (pytest-trio runs every async test) */
	bool anyio_conftest; /* a conftest mentions anyio_backend (the anyio plugin runs tests / fixtures) */
	/* Owned, NUL-terminated, whitespace-separated patterns as configured, or NULL for
	 * pytest's defaults ("test_*.py *_test.py", "test", "Test"). */
	char *python_files;
	char *python_functions;
	char *python_classes;
	char *dir;         /* owned; absolute directory of the test file, or NULL when unknown */
	/* Owned; pytest's rootdir: the directory of the configuration read, or the project root
	 * (`.git`) when there is none. NULL when neither was found, or the configuration could
	 * not be read: then nothing is known to be excluded (aa_pytest_excluded). */
	char *rootdir;
	bool has_config;   /* rootdir holds the configuration read */
	/* Owned, as configured (whitespace-separated patterns), or NULL for pytest's default. */
	char *norecursedirs;
	/* The values of addopts' --ignore and --ignore-glob, as written (relative to the
	 * rootdir unless absolute). Owned arrays of owned strings. */
	char **ignore, **ignore_glob;
	size_t n_ignore, n_ignore_glob, ignore_cap, ignore_glob_cap;
	/* The conftest.py files read that name collect_ignore or collect_ignore_glob, the
	 * deepest first. Owned; private to pytest_config.c. */
	struct aa_pytest_conftest *conftests;
	size_t n_conftests, conftests_cap;
};

/* Fills cfg (need not be initialised) for the Python file at path (relative to the
 * working directory, or absolute). Never fails: problems set cfg->unknown (allocation
 * failure exits, xalloc.h). Release with aa_pytest_config_release. */
void aa_pytest_config_load(struct aa_pytest_config *cfg, const char *path);
/* Frees the strings cfg owns. */
void aa_pytest_config_release(struct aa_pytest_config *cfg);

/* What the project of cfg's test file declares among its dependencies. */
enum aa_pytest_declaration {
	/* a plugin that runs coroutine tests without pytest-asyncio (pytest-sanic,
	 * pytest-aiohttp, pytest-tornasync, pytest-trio, anyio), and not pytest-asyncio: then
	 * pytest-asyncio's strict mode is not what runs its async tests */
	AA_PYTEST_OTHER_RUNNER = 1u,
	/* pytest-asyncio bounded below 0.17 by one of its requirements (`<0.11`, `==0.10.0`,
	 * `~=0.10.0`, Poetry's `^0.10`): a release before asyncio_mode, which runs every async
	 * fixture, `@pytest.fixture` ones too */
	AA_PYTEST_ASYNCIO_BEFORE_MODES = 2u,
};

/* The aa_pytest_declaration bits of the project of cfg's test file. Read from cfg->dir
 * up to the project root (a directory with
 * `.git`, or the filesystem root): pyproject.toml (project dependencies, optional
 * dependencies, dependency groups, Poetry/PDM/Hatch tables), setup.cfg's [options*],
 * setup.py, tox.ini's [testenv*], requirements*.txt / *.in and requirements/ *.txt with
 * their `-r` includes (at most 32 requirement files). Names are compared as PEP 503
 * normalises them. Unreadable files are skipped. 0 when cfg->dir is NULL. */
unsigned aa_pytest_declared(const struct aa_pytest_config *cfg);

/* Does pytest collect this file when it walks its directory (python_files: a pattern
 * without '/' matches the base name, one with '/' the end of the path)? path as given
 * to aa_pytest_config_load. */
bool aa_pytest_collects_file(const struct aa_pytest_config *cfg, const char *path);
/* Does the configuration keep a run of pytest from the rootdir from collecting path (as
 * given to aa_pytest_config_load)? Asks of each path below the rootdir down to the file,
 * as pytest's pytest_ignore_collect and norecursedirs do: addopts' `--ignore` (a path
 * equal to it; relative to the rootdir, where pytest is assumed to be started) and
 * `--ignore-glob` (fnmatch on the whole path: `*` crosses `/`); the `collect_ignore` /
 * `collect_ignore_glob` of the nearest conftest.py defining it at or above the path's
 * directory (relative to that conftest's directory; a value other than a literal list of
 * plain string literals assigned once at module level is unknown: it excludes nothing);
 * for directories, `norecursedirs` (default `*.egg .* _darcs build CVS dist node_modules
 * venv {arch}`; a pattern without '/' matches the base name). Directories above the
 * rootdir are never asked. dirs_only: only the directories count, not the file itself
 * (a conftest.py: pytest loads it for any directory it enters). False when cfg has no
 * rootdir. `testpaths` is not read: it applies only to a run without path arguments. */
bool aa_pytest_excluded(const struct aa_pytest_config *cfg, const char *path, bool dirs_only);

/* Does a function (python_functions) / class (python_classes) name match: each pattern
 * is a prefix, or a glob when it holds *, ? or [. name is len bytes, not NUL-terminated. */
bool aa_pytest_matches_function(const struct aa_pytest_config *cfg, const char *name, size_t len);
bool aa_pytest_matches_class(const struct aa_pytest_config *cfg, const char *name, size_t len);

/* Exposed for tests: parses an INI text (len bytes) as iniconfig does and reports
 * whether it holds `section`; the values of asyncio_mode, trio_mode, addopts, python_* and
 * norecursedirs found there go into cfg (the ones it already holds are replaced). Returns 0, or -1
 * when the text is malformed (cfg untouched then except for owned strings, which stay
 * valid). *has_section receives whether the section exists. */
int aa_pytest_parse_ini(struct aa_pytest_config *cfg, const char *text, size_t len, const char *section,
			bool *has_section);
/* The same for pyproject.toml text: [tool.pytest.ini_options] (or pytest 9's
 * [tool.pytest]). Returns -1 on a TOML syntax error (or text over 4 GiB), cfg then
 * untouched. Both take an initialised cfg (aa_pytest_config_load's, or zeroed). */
int aa_pytest_parse_toml(struct aa_pytest_config *cfg, const char *text, size_t len, bool *has_section);

#endif
