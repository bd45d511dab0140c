#!/bin/sh
# The test-only rules (rules/testonly/, AA9xx) are compiled into the test build only:
# async-analyzer-testrules knows AA901 and the product does not. Their findings are
# checked by tests/t_fixtures.py (fixtures/aa9/, run against the test build).
set -u
fail=0
test_bin="$AA_BUILD/async-analyzer-testrules"
if [ ! -x "$test_bin" ]; then
  echo "FAIL: $test_bin is not built"
  exit 1
fi
if ! "$test_bin" rule AA901 >/dev/null; then
  echo "FAIL: the test build does not know AA901"
  fail=1
fi
"$AA_BIN" rule AA901 >/dev/null 2>&1
rc=$?
if [ "$rc" != 2 ]; then
  echo "FAIL: the product knows AA901 (rule AA901 exited $rc, want 2: unknown rule)"
  fail=1
fi
if "$AA_BIN" rule --all | grep -q 'AA9'; then
  echo "FAIL: the product lists a test-only rule"
  fail=1
fi
# Its page is generated like every rule's (tools/gen-docs.sh), from the test build.
if ! "$test_bin" rule AA901 | cmp -s - docs/rules/AA901.md; then
  echo "FAIL: docs/rules/AA901.md differs from the test build's 'rule AA901' (run tools/gen-docs.sh)"
  fail=1
fi
exit "$fail"
