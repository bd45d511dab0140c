/*
 * test_code.h: which files are test or example code, by their names.
 *
 * The rules about a running service (rule.h's spares_tests) do not report there unless
 * asked (`report-in-tests`, docs/configuration.md): a test's loop runs only the test, and
 * an example, a demo, a script or a database migration is a one-shot program with one
 * task on its loop.
 *
 * Test code: a file pytest's default patterns name (`test_*.py`, `*_test.py`,
 * `conftest.py`); a file under a directory called `tests`, `test` or `testing`, on its path
 * as written relative to the working directory (`tests/helpers.py`, `pkg/tests/util.py`),
 * on its path below the command-line directory that found it (`check /ws` sees
 * "/ws/tests/helpers.py" as "tests/helpers.py", as the language server does), or as a
 * package in its module name.
 *
 * Example code: a file under a directory called `examples`, `example`, `samples`,
 * `sample`, `demos`, `demo`, `docs`, `doc`, `scripts`, `migrations`, `alembic`,
 * `benchmarks`, `benchmark` or `evals`, or `vendor`, `_vendor`, `vendored` or
 * `third_party` (third-party code copied in), or whose name has `deprecated`, `obsolete`
 * or `archived` in it (code kept but no longer run), below the
 * command-line directory that found it, or on its
 * relative path when it was named itself (pre-commit names files one by one). A directory
 * named on the command line is what the user asked about: `check examples/` reports there.
 *
 * Directories of an absolute path above the command line's are never read (the directory
 * a user keeps projects in may be called `test`).
 */
#ifndef AA_TEST_CODE_H
#define AA_TEST_CODE_H

#include <stdbool.h>

/* True when the file is test or example code as above. display: its path as reported;
 * below_root: the rest of display below the command-line directory that found it, or
 * NULL when the file was named itself (or is analyzed alone); module: its dotted module
 * name ("tests.helpers"), or NULL. All NUL-terminated. Pure. */
bool aa_is_test_code(const char *display, const char *below_root, const char *module);

/* Which of the two aa_is_test_code says yes to, or neither: test code (its checks come
 * first), example code, or the program. Same arguments. */
enum aa_code_kind { AA_CODE_PROGRAM, AA_CODE_TEST, AA_CODE_EXAMPLE };
enum aa_code_kind aa_code_kind(const char *display, const char *below_root, const char *module);

#endif
