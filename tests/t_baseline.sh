#!/bin/sh
# Adoption on existing code, end to end: --write-baseline then --baseline on a git
# project, surviving lines inserted above a finding, a new finding still reported, stale
# entries counted by --statistics, the baseline used from another checkout (paths are
# relative to the project root), malformed baselines (exit 2, a message naming the
# file and the place), and the same bytes whatever --jobs is.
set -u
AA=${AA_BIN:?AA_BIN must name the analyzer}
. "$(dirname "$0")/cli_helpers.sh"

p=$tmp/repo
mkdir -p "$p/.git" "$p/src/pkg"
i=0
while [ $i -lt 12 ]; do
  cat >"$p/src/pkg/m$i.py" <<PY
import time


async def handler_$i():
    time.sleep(1)
    time.sleep(1)


async def other_$i():
    time.sleep(2)
PY
  i=$((i + 1))
done
cd "$p/src" || exit 2

expect "write the baseline (from a sub-directory of the project)" 0 "$AA" check --write-baseline "$tmp/b.json" .
contains err "Wrote 36 findings to the baseline" "the count written"
[ ! -s "$tmp/out" ] || fail "--write-baseline printed a report"
python3 - "$tmp/b.json" <<'PY' || fail "baseline content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1, d
paths = [e["path"] for e in d["findings"]]
assert all(p.startswith("src/pkg/m") for p in paths), paths[:3]
keys = [(e["path"], e["code"], e["fingerprint"]) for e in d["findings"]]
assert keys == sorted(keys) and len(set(keys)) == len(keys) == 36, "sorted and unique"
PY
expect "the baseline is stable" 0 "$AA" check --write-baseline "$tmp/b2.json" -j1 .
cmp -s "$tmp/b.json" "$tmp/b2.json" || fail "two writes (-j default and -j1) differ"

expect "everything recorded: clean" 0 "$AA" check --baseline "$tmp/b.json" .
contains err "No findings in 12 files (36 more in the baseline)" "the summary counts the baselined findings"

# Lines inserted above the findings: still matched. A new finding: reported.
{ printf '"""Docs."""\n\nimport os\n\n'; cat pkg/m0.py; printf '\n\nasync def fresh():\n    time.sleep(3)\n'; } >"$tmp/m0"
mv "$tmp/m0" pkg/m0.py
expect "an edit above the findings and a new one" 1 "$AA" check --baseline "$tmp/b.json" --format json .
python3 - "$tmp/out" <<'PY' || fail "only the new finding is reported"
import json, sys
d = json.load(open(sys.argv[1]))
assert [(f["path"], f["line"]) for f in d] == [("pkg/m0.py", 18)], d
PY

# A fixed finding: its entry is stale.
sed -i 's/    time.sleep(2)/    await asyncio.sleep(2)/' pkg/m1.py
expect "stale entry" 1 "$AA" check --baseline "$tmp/b.json" --statistics .
contains out "1  stale baseline entry" "--statistics counts the stale entry"
expect "stale entry (JSON)" 1 "$AA" check --baseline "$tmp/b.json" --statistics --format json .
contains out '"baseline_stale": 1' "JSON statistics carry the stale count"

# Another checkout: the same project elsewhere, run from its root (the project root is
# the git top level of the current directory).
cp -r "$p" "$tmp/clone"
cd "$tmp/clone" || exit 2
expect "another checkout" 1 "$AA" check --baseline "$tmp/b.json" --format json src
cd "$p/src" || exit 2
python3 - "$tmp/out" <<'PY' || fail "the clone matches the same entries"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 1 and d[0]["line"] == 18, d
PY

# The same bytes whatever --jobs is, in every format.
for fmt in text json sarif github gitlab junit; do
  "$AA" check --baseline "$tmp/b.json" --format "$fmt" -j1 . >"$tmp/j1" 2>/dev/null
  "$AA" check --baseline "$tmp/b.json" --format "$fmt" -j8 . >"$tmp/j8" 2>/dev/null
  cmp -s "$tmp/j1" "$tmp/j8" || fail "--format $fmt: -j1 and -j8 differ with a baseline"
done

# Malformed baselines.
printf '{"version": 1,\n "findings": [\n' >"$tmp/bad.json"
expect "truncated JSON" 2 "$AA" check --baseline "$tmp/bad.json" .
contains err "error: baseline $tmp/bad.json:3:1: not valid JSON" "the place of a JSON error"
printf '{"version": 1, "findings": [{"path": "a.py", "code": "AA101", "fingerprint": 7}]}' >"$tmp/bad.json"
expect "wrong member type" 2 "$AA" check --baseline "$tmp/bad.json" .
contains err "findings\[0\] 'fingerprint' is not a non-empty string" "what is wrong"
expect "missing baseline" 2 "$AA" check --baseline "$tmp/none.json" .
contains err "cannot read the baseline" "a missing file"
lacks out "AA101" "no report after a bad baseline"
expect "both flags" 2 "$AA" check --baseline "$tmp/b.json" --write-baseline "$tmp/c.json" .
contains err "remove --baseline" "why"
expect "--write-baseline with -o" 2 "$AA" check --write-baseline "$tmp/c.json" -o "$tmp/r.txt" .
expect "--write-baseline with --statistics" 2 "$AA" check --write-baseline "$tmp/c.json" --statistics .
[ ! -e "$tmp/c.json" ] || fail "a refused --write-baseline wrote its file"

[ $failures = 0 ] && echo "baseline: all checks passed"
[ $failures = 0 ]
