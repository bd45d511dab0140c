#!/bin/sh
# Set-up: install what is missing, build build/async-analyzer, and run it on examples/.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
echo "built build/async-analyzer ($(build/async-analyzer --version))"
echo "== async-analyzer check examples/ =="
# Exit 1 means findings were reported: the bundled example has them on purpose.
rc=0
build/async-analyzer check examples/ || rc=$?
[ "$rc" -le 1 ]
