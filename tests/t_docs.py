#!/usr/bin/env python3
"""Rule registry and documentation meta-test (git's t0012-help, Ruff's generate-all --check).

For every rule the analyzer knows (`rule --all`):
- the code is AAnnn and the name kebab-case;
- docs/rules/CODE.md is exactly what `rule CODE` prints (regenerate: tools/gen-docs.sh),
  and no page exists for an unknown code;
- the page has every section; its Example raises the rule and its Use instead does not;
- some fixture flags the rule and that fixture also has near-miss (`# ok`) lines;
- docs/configuration.md is exactly what `help configuration` prints, and names every
  flag --help lists.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AA_BIN = os.environ.get("AA_BIN", os.path.join(ROOT, "build", "async-analyzer"))
SECTIONS = ["## What it does", "## Why is this bad", "## Example", "## Use instead", "## Anchor", "## Exceptions"]
# Rules whose examples cannot be plain text (AA002: an undecodable file) are covered by
# tests/t_robustness.py instead.
NOT_TEXT = {"AA002"}
# AA110 flags what the user configures; its doc example uses these names.
CONFIG_ARGS = ["--blocking-call", "mylib.fetch_sync", "--blocking-call", "mylib.Client.get"]
failures = []


def rule_page(code):
    return subprocess.run([AA_BIN, "rule", code], capture_output=True, text=True, check=True).stdout


def python_block(page, heading):
    m = re.search(re.escape(heading) + r"\s*\n+```python\n(.*?)```", page, re.S)
    return m.group(1) if m else None


# AA601 flags only files pytest collects (python_files: test_*.py by default). AA601 and
# AA602 read the pytest configuration from the directory of the stdin name up to the
# project root: run in the repository, which has none.
STDIN_NAMES = {"AA601": "test_example.py"}
# AA003 judges the noqa codes of rules that ran: its example's code must run too.
ALSO_SELECT = {"AA003": ",AA101"}

# AA112 needs a C extension beside the example: it is checked as a module of a copy of
# this fixture project (pkg/example.py), not on stdin.
PROJECT_EXAMPLES = {"AA112": os.path.join(ROOT, "fixtures", "aa1", "native_project")}


def codes_in_project(source, code):
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "project")
        shutil.copytree(PROJECT_EXAMPLES[code], work)
        with open(os.path.join(work, "pkg", "example.py"), "w", encoding="utf-8") as f:
            f.write(source)
        p = subprocess.run([os.path.abspath(AA_BIN), "check", "--color", "never", "--select", code, "."],
                           capture_output=True, text=True, cwd=work)
    if p.returncode not in (0, 1):
        failures.append(f"{code}: analyzer exit {p.returncode} on the doc example: {p.stderr}")
    return set(re.findall(r"example\.py:\d+:\d+: (?:error|warning|note): (AA\d{3}) \[", p.stdout))


def codes_for(source, code):
    if code in PROJECT_EXAMPLES:
        return codes_in_project(source, code)
    p = subprocess.run([AA_BIN, "check", "--color", "never", "--select", code + ALSO_SELECT.get(code, ""), *CONFIG_ARGS,
                        "--stdin-filename", STDIN_NAMES.get(code, "example.py")],
                       input=source, capture_output=True, text=True, cwd=ROOT)
    if p.returncode not in (0, 1):
        failures.append(f"{code}: analyzer exit {p.returncode} on the doc example: {p.stderr}")
    return set(re.findall(r": (?:error|warning|note): (AA\d{3}) \[", p.stdout))


everything = subprocess.run([AA_BIN, "rule", "--all"], capture_output=True, text=True, check=True).stdout
rules = re.findall(r"^# (AA\d{3}) (\S+)$", everything, re.M)
if not rules:
    failures.append("`rule --all` lists no rule")
fixture_text = {}
for path in glob.glob(os.path.join(ROOT, "fixtures", "**", "*.py"), recursive=True):
    with open(path, encoding="utf-8", errors="replace") as f:
        fixture_text[path] = f.read()

for code, name in rules:
    if not re.fullmatch(r"AA\d{3}", code):
        failures.append(f"{code}: bad code format")
    if not re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", name):
        failures.append(f"{code}: name '{name}' is not kebab-case")
    page = rule_page(code)
    doc_path = os.path.join(ROOT, "docs", "rules", f"{code}.md")
    if not os.path.exists(doc_path):
        failures.append(f"{code}: docs/rules/{code}.md is missing (run tools/gen-docs.sh)")
    elif open(doc_path, encoding="utf-8").read() != page:
        failures.append(f"{code}: docs/rules/{code}.md differs from `rule {code}` (run tools/gen-docs.sh)")
    for section in SECTIONS:
        if section not in page:
            failures.append(f"{code}: the page lacks '{section}'")
    if code not in NOT_TEXT:
        example, fix = python_block(page, "## Example"), python_block(page, "## Use instead")
        if example is None or fix is None:
            failures.append(f"{code}: Example / Use instead need a ```python block")
        else:
            if code not in codes_for(example, code):
                failures.append(f"{code}: its Example does not raise {code}")
            if code in codes_for(fix, code):
                failures.append(f"{code}: its Use instead raises {code}")
        flagged = [p for p, t in fixture_text.items() if re.search(r"#\s*error:.*\b" + code + r"\b", t)]
        if not flagged:
            failures.append(f"{code}: no fixture flags it")
        elif not any("# ok" in fixture_text[p] for p in flagged):
            failures.append(f"{code}: its fixtures have no near-miss (`# ok`) line")

known = {c for c, _ in rules}
for page in glob.glob(os.path.join(ROOT, "docs", "rules", "AA*.md")):
    code = os.path.basename(page)[:-3]
    # AA9xx pages are the test-only rules' (the test build's, checked by t_testrules.sh).
    if code not in known and not code.startswith("AA9"):
        failures.append(f"{os.path.basename(page)}: a page for a rule that does not exist")

# docs/configuration.md is what `help configuration` prints from the option table that
# prints --help too: every flag --help lists is on the page.
config_page = subprocess.run([AA_BIN, "help", "configuration"], capture_output=True, text=True, check=True).stdout
with open(os.path.join(ROOT, "docs", "configuration.md"), encoding="utf-8") as f:
    if f.read() != config_page:
        failures.append("docs/configuration.md differs from `async-analyzer help configuration` (run tools/gen-docs.sh)")
help_text = subprocess.run([AA_BIN, "--help"], capture_output=True, text=True, check=True).stdout
for flag in sorted(set(re.findall(r"^  (?:-\w, )?(--[a-z-]+)", help_text, re.M))):
    if f"`{flag}" not in config_page and f"`-" not in config_page:
        failures.append(f"docs/configuration.md does not document {flag}")
    elif f"{flag}" not in config_page:
        failures.append(f"docs/configuration.md does not document {flag}")

print("\n".join(failures) or f"docs: {len(rules)} rules documented and checked")
sys.exit(1 if failures else 0)
