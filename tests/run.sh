#!/bin/sh
# The whole test suite: builds a release and an ASan+UBSan tree (in build/ and
# build-asan/) and runs every test against both. CI runs exactly this.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh --tests
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs" >/dev/null
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DAA_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
status=0
log=$(mktemp)
trap 'rm -f "$log" "$log.one"' EXIT
# Each suite's output goes to the log first (a pipe into tee would hide its exit status).
for run in "build release" "build-asan asan"; do
  # shellcheck disable=SC2086 # two words: the build directory and the mode
  tests/suite.sh $run >"$log.one" 2>&1 || status=1
  cat "$log.one"
  cat "$log.one" >>"$log"
done
rm -f "$log.one"
# One closing line for both builds, in the plain "N passed, N failed" form.
sed -n 's/^\(release\|asan\): \([0-9]*\) passed, \([0-9]*\) failed$/\2 \3/p' "$log" |
  awk -v st="$status" '{ p += $1; f += $2 } END { if (st != 0 && f == 0) f = 1; printf "%s\ntests: %d passed, %d failed\n", (f ? "TESTS FAILED" : "ALL TESTS PASSED"), p, f }'
exit "$status"
