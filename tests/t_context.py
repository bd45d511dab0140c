#!/usr/bin/env python3
"""`check --context PATH FILE...` (input/context.h): checking some files of a project
finds in them exactly what checking the whole project finds in them, and nothing in
the other files.

For every multi-file fixture project (a directory holding FIXTURE_PROJECT, with its
arguments) and every Python file F in it, run from the project's directory:
  check --format json ARGS --context . F   ==   (check --format json ARGS .) restricted to F
and the same for each pair of neighbouring files. Without --context some file must lose a finding
(so the projects do exercise the cross-file rules and the test can fail); a context path
that does not exist is exit 2, and --context with standard input is a usage error.

Usage: t_context.py   (AA_BIN names the analyzer binary; AA_BUILD its build directory)
"""
import json
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AA_BIN = os.environ.get("AA_BIN", os.path.join(ROOT, "build", "async-analyzer"))
failures = []


# fixtures/aa9/ holds the test-only rules' projects: the test build has those rules.
AA_TEST_BIN = os.path.join(os.path.dirname(AA_BIN), "async-analyzer-testrules")


def run(cwd, args):
    binary = AA_TEST_BIN if os.path.relpath(cwd, ROOT).startswith("fixtures/aa9") else AA_BIN
    p = subprocess.run([binary, "check", "--format", "json", *args], cwd=cwd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        failures.append(f"{cwd}: {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
        return None
    # Findings only: a run that read C files ends with a metadata object (docs/output.md).
    return [d for d in json.loads(p.stdout) if "code" in d]


def projects():
    for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, "fixtures")):
        dirnames.sort()
        if "FIXTURE_PROJECT" in filenames:
            with open(os.path.join(dirpath, "FIXTURE_PROJECT"), encoding="utf-8") as f:
                first = f.readline().strip()
            yield dirpath, shlex.split(first) if first else []


def python_files(project):
    out = []
    for dirpath, dirnames, filenames in os.walk(project):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".py", ".pyi")):
                out.append(os.path.relpath(os.path.join(dirpath, name), project))
    return out


n_checked = 0
lost_without_context = 0
for project, args in projects():
    whole = run(project, [*args, "."])
    if whole is None:
        continue
    files = python_files(project)
    # Each file, and each pair of neighbours (two named files, often a caller and its callee).
    subsets = [[f] for f in files] + [files[i:i + 2] for i in range(len(files) - 1)]
    for subset in subsets:
        want = [d for d in whole if d["path"] in subset]
        got = run(project, [*args, "--context", ".", *subset])
        n_checked += 1
        if got is not None and got != want:
            rel = os.path.relpath(project, ROOT)
            failures.append(f"{rel}: --context . {' '.join(subset)}: findings differ from the whole run's:\n"
                            f"  want {[(d['path'], d['line'], d['code']) for d in want]}\n"
                            f"  got  {[(d['path'], d['line'], d['code']) for d in got]}")
        if len(subset) == 1:
            alone = run(project, [*args, *subset])
            if alone is not None and len(alone) < len(want):
                lost_without_context += 1

if n_checked < 20:
    failures.append(f"only {n_checked} subsets checked: the fixture projects are missing")
if not lost_without_context:
    failures.append("no file lost a finding without --context: the projects do not exercise it")

# A context path that does not exist is an error (exit 2), as a named one is.
helper = os.path.join(ROOT, "fixtures", "aa1", "helper_project")
p = subprocess.run([AA_BIN, "check", "--context", "no-such-dir", "."], cwd=helper, capture_output=True, text=True)
if p.returncode != 2 or "no-such-dir" not in p.stderr:
    failures.append(f"--context no-such-dir: exit {p.returncode}, stderr {p.stderr!r}; want 2 naming it")
p = subprocess.run([AA_BIN, "check", "--context", ".", "--stdin-filename", "x.py"], cwd=helper, input="",
                   capture_output=True, text=True)
if p.returncode != 2 or "--context" not in p.stderr:
    failures.append(f"--context with --stdin-filename: exit {p.returncode}; want a usage error (2)")
# The summary counts the files named, not the context.
p = subprocess.run([AA_BIN, "check", "--context", ".", python_files(helper)[0]], cwd=helper, capture_output=True,
                   text=True)
if " 1 file" not in p.stderr:
    failures.append(f"the summary does not count only the named file: {p.stderr.strip()!r}")

for f in failures:
    print("FAIL:", f)
print(f"context: {n_checked} subsets checked, {lost_without_context} files need the context")
sys.exit(1 if failures else 0)
