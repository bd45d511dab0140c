#!/bin/sh
# Regenerates docs/rules/AAnnn.md from the rule descriptors (via `async-analyzer rule`).
# tests/t_docs.py fails when a committed page differs from what this writes.
set -eu
cd "$(dirname "$0")/.."
AA=${AA_BIN:-build/async-analyzer}
mkdir -p docs/rules
rm -f docs/rules/AA*.md
for code in $("$AA" rule --all | sed -n 's/^# \(AA[0-9][0-9][0-9]\) .*/\1/p'); do
  "$AA" rule "$code" >"docs/rules/$code.md"
done
ls docs/rules | wc -l | sed 's/$/ rule pages written/'
