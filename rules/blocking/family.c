/* The AA1xx family, blocking calls: its descriptor (rule.h). */
#include "rules/rules.h"

const struct aa_family aa_family_blocking = {
	.prefix = "AA1",
	.tag = "blocking-call",
	.title = "blocking calls",
	.program = NULL,
	/* The precision study's largest class of findings nobody would act on: blocking
	 * calls in async tests and fixtures (docs/precision.md). */
	.exceptions = "Test code is not checked unless `blocking-in-tests = true` (or `--blocking-in-tests`): "
		      "a blocking call in an async test or fixture stalls that test's own event loop, which "
		      "makes the test slower but blocks no service. Test code is a file pytest collects by "
		      "default (`test_*.py`, `*_test.py`), a `conftest.py`, a file under a directory called "
		      "`tests` or `test` (on its path relative to the working directory, or in its module "
		      "name), and the body of a function decorated `@pytest.fixture` or "
		      "`@pytest_asyncio.fixture` anywhere. A test that runs the service under test on its "
		      "own loop (an aiohttp or httpx test client) can deadlock on a blocking call: turn the "
		      "setting on to see those.",
};
