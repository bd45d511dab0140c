/*
 * test_code.h: which files are test code, by their names.
 *
 * The rules about a running service (rule.h's spares_tests) do not report in test code
 * unless asked (`report-in-tests`, docs/configuration.md): a test's loop runs only the test.
 * A file is test code when pytest's default patterns name it (`test_*.py`, `*_test.py`,
 * `conftest.py`), or when a directory called `tests`, `test` or `testing`, or `examples`,
 * `example`, `demos`, `demo`, `docs`, `doc` or `scripts` (one-shot programs: an example's
 * loop runs one task, as a test's does) is on its path as written
 * relative to the working directory (`tests/helpers.py`, `pkg/tests/util.py`) or is a
 * package in its module name. Directories of an absolute path are not read (the
 * directory a user keeps projects in may be called `test`); the module name still counts,
 * and so does the path below the root that found the file, which the engine asks about
 * too (`check /ws` and the language server see "/ws/tests/helpers.py" as "tests/helpers.py").
 */
#ifndef AA_TEST_CODE_H
#define AA_TEST_CODE_H

#include <stdbool.h>

/* True when the file at display path (as reported; NUL-terminated) of module (dotted,
 * "tests.helpers"; NUL-terminated, may be NULL) is test code as above. Pure. */
bool aa_is_test_code(const char *display, const char *module);

#endif
