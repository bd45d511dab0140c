#!/bin/sh
# Regenerates docs/rules/AAnnn.md from the rule descriptors (via `async-analyzer rule`)
# and docs/configuration.md from the option table (`async-analyzer help configuration`).
# tests/t_docs.py fails when a committed page differs from what this writes. The
# test-only rules (rules/testonly/, AA9xx) get pages too, from the test build
# (tests/t_testrules.sh checks them): they are not part of the product.
set -eu
cd "$(dirname "$0")/.."
AA=${AA_BIN:-build/async-analyzer}
mkdir -p docs/rules
rm -f docs/rules/AA*.md
for code in $("$AA" rule --all | sed -n 's/^# \(AA[0-9][0-9][0-9]\) .*/\1/p'); do
  "$AA" rule "$code" >"docs/rules/$code.md"
done
TEST_AA=$(dirname "$AA")/async-analyzer-testrules
for code in $("$TEST_AA" rule --all | sed -n 's/^# \(AA9[0-9][0-9]\) .*/\1/p'); do
  "$TEST_AA" rule "$code" >"docs/rules/$code.md"
done
ls docs/rules | wc -l | sed 's/$/ rule pages written/'
# Every flag and configuration key, from the option table that prints --help too.
"$AA" help configuration >docs/configuration.md
echo "docs/configuration.md written"
