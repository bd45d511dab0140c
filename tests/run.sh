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
tests/suite.sh build release || status=1
tests/suite.sh build-asan asan || status=1
if [ "$status" = 0 ]; then echo "ALL TESTS PASSED"; else echo "TESTS FAILED"; fi
exit "$status"
