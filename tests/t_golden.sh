#!/bin/sh
# Golden tests: the six output formats on a small multi-file project with non-ASCII
# paths and text, compared byte for byte with tests/golden/expected.*. The SARIF log is
# also validated (tests/t_sarif_validate.sh, which must be there), the JUnit report
# parsed as XML, and the GitLab report checked for the members GitLab requires. Regenerate after an
# intended change with:
#   AA_BIN=build/async-analyzer tests/t_golden.sh --update
# suite: release-only
set -u
AA=${AA_BIN:?AA_BIN must name the analyzer}
root=$(cd "$(dirname "$0")/.." && pwd)
golden=$root/tests/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for fmt in text json sarif github gitlab junit; do
  (cd "$golden/project" && "$AA" check --color never --format "$fmt" . >"$tmp/out.$fmt" 2>/dev/null)
  rc=$?
  [ "$rc" = 1 ] || { echo "FAIL: --format $fmt exited $rc, expected 1"; status=1; }
  # The SARIF log names absolute directories and the version, and embeds every rule's
  # documentation: normalise them.
  if [ "$fmt" = sarif ]; then
    python3 - "$tmp/out.sarif" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p, encoding="utf-8"))
run = d["runs"][0]
for base in run.get("originalUriBaseIds", {}).values():
    base["uri"] = "file:///SRCROOT/"
for inv in run.get("invocations", []):
    if "workingDirectory" in inv:
        inv["workingDirectory"]["uri"] = "file:///CWD/"
run["tool"]["driver"]["version"] = "VERSION"
# Rule metadata is each rule's whole documentation, checked by t_docs.py and validated
# below; here only which rules are listed matters.
run["tool"]["driver"]["rules"] = [{"id": r["id"], "name": r["name"]} for r in run["tool"]["driver"]["rules"]]
run["tool"]["driver"].pop("semanticVersion", None)
open(p, "w", encoding="utf-8").write(json.dumps(d, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
PY
  fi
  if [ "${1:-}" = --update ]; then
    cp "$tmp/out.$fmt" "$golden/expected.$fmt"
  elif ! cmp -s "$tmp/out.$fmt" "$golden/expected.$fmt"; then
    echo "FAIL: --format $fmt differs from tests/golden/expected.$fmt:"
    diff -u "$golden/expected.$fmt" "$tmp/out.$fmt" | head -40
    status=1
  fi
done
# The validator is part of this test: without it the SARIF log is unchecked, a failure.
if [ "${1:-}" != --update ]; then
  if [ ! -f "$root/tests/t_sarif_validate.sh" ]; then
    echo "FAIL: tests/t_sarif_validate.sh is missing: the real SARIF log cannot be validated"
    status=1
  else
    (cd "$golden/project" && "$AA" check --format sarif . >"$tmp/real.sarif" 2>/dev/null)
    sh "$root/tests/t_sarif_validate.sh" "$tmp/real.sarif" || { echo "FAIL: the real SARIF log does not validate"; status=1; }
  fi
fi
# Well-formed XML, one test case per finding; GitLab's required members, unique fingerprints.
python3 - "$tmp/out.junit" "$tmp/out.gitlab" <<'PY' || status=1
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall("./testsuite/testcase")
fails = [c for c in cases if c.find("failure") is not None]
assert root.tag == "testsuites" and len(root.findall("testsuite")) == 1, "junit: one testsuite"
assert len(fails) == len(cases) == int(root.get("failures")) > 0, "junit: a failing test case per finding"
issues = json.load(open(sys.argv[2], encoding="utf-8"))
for i in issues:
    assert isinstance(i["description"], str) and isinstance(i["check_name"], str), i
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker"), i
    assert isinstance(i["location"]["path"], str) and isinstance(i["location"]["lines"]["begin"], int), i
assert len({i["fingerprint"] for i in issues}) == len(issues) == len(cases), "gitlab: unique fingerprints"
PY
[ "$status" = 0 ] && echo "golden: text, json, sarif, github, gitlab, junit match"
exit $status
