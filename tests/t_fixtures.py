#!/usr/bin/env python3
"""Fixture runner: every fixture's findings must equal its expectations, both ways.

Fixtures are Python files under fixtures/<family>/. A line that must be flagged ends
with a comment `# error: AA101` (several: `# error: AA101, AA104`; with a column:
`# error: AA101@9`). Every other line must stay quiet; `# ok` marks a near-miss on
purpose (documentation only: quiet is already required).

Header comments in the first lines configure a fixture:
  # fixture-args: --extend-select AA111     extra analyzer arguments
  # fixture: syntax-error                   the file is not valid Python on purpose
Fixtures under fixtures/aa9/ (test-only rules) run against async-analyzer-testrules.
A directory holding a file named FIXTURE_PROJECT is one multi-file fixture: it is
analyzed in one run (the arguments come from FIXTURE_PROJECT's first line, if any) and
the expectations of all its files are compared together.

Usage: t_fixtures.py [FIXTURE_OR_DIR...]   (AA_BIN names the analyzer binary)
"""
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AA_BIN = os.environ.get("AA_BIN", os.path.join(ROOT, "build", "async-analyzer"))
# fixtures/aa9/ holds the test-only rules' fixtures: they run against the test build,
# which has those rules registered (CMakeLists.txt's async-analyzer-testrules).
AA_TEST_BIN = os.path.join(os.path.dirname(AA_BIN), "async-analyzer-testrules")
TEST_ONLY_DIR = os.path.join(ROOT, "fixtures", "aa9")
EXPECT_RE = re.compile(r"#\s*error:\s*((?:AA\d{3}(?:@\d+)?)(?:\s*,\s*AA\d{3}(?:@\d+)?)*)")
FINDING_RE = re.compile(r"^(.*?):(\d+):(\d+): (?:error|warning|note): (AA\d{3}) ")


def header_args(path):
    args = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f):
            if i > 10:
                break
            m = re.match(r"\s*#\s*fixture-args:\s*(.*)", line)
            if m:
                args += shlex.split(m.group(1))
    return args


def expectations(path, display):
    """{(display, line, code): column or None}; a code listed n times on a line expects n
    findings there (key[3] counts them, through expected_counts)."""
    exp = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            m = EXPECT_RE.search(line)
            if not m:
                continue
            for item in m.group(1).split(","):
                item = item.strip()
                code, _, col = item.partition("@")
                exp[(display, lineno, code)] = int(col) if col else None
                COUNTS[(display, lineno, code)] = COUNTS.get((display, lineno, code), 0) + 1
    return exp


def run(paths, args, cwd):
    binary = AA_TEST_BIN if os.path.abspath(cwd).startswith(TEST_ONLY_DIR + os.sep) else AA_BIN
    if not os.access(binary, os.X_OK):
        return None, f"{binary} is not built"
    cmd = [binary, "check", "--color", "never", "--jobs", "2", *args, *paths]
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace")
    if p.returncode not in (0, 1):
        return None, f"exit {p.returncode}: {p.stderr.strip()}"
    found = {}
    for line in p.stdout.splitlines():
        m = FINDING_RE.match(line)
        if m:
            found.setdefault((m.group(1), int(m.group(2)), m.group(4)), []).append(int(m.group(3)))
    if (p.returncode == 1) != bool(found):
        return None, f"exit status {p.returncode} does not match {len(found)} findings"
    return found, None


# How many findings each (display, line, code) expects; one unless the code is listed
# again on the line. A line that reports the same code twice is a duplicate finding.
COUNTS = {}


def compare(name, exp, found):
    problems = []
    for key, cols in sorted(found.items()):
        if key in exp and len(cols) != COUNTS.get(key, 1):
            problems.append(f"  count:      {key[0]}:{key[1]}: {key[2]} reported {len(cols)} times, "
                            f"expected {COUNTS.get(key, 1)} (columns {cols})")
    for key, col in sorted(exp.items()):
        if key not in found:
            problems.append(f"  missing:    {key[0]}:{key[1]}: {key[2]}")
        elif col is not None and col not in found[key]:
            problems.append(f"  wrong col:  {key[0]}:{key[1]}: {key[2]} expected col {col}, got {found[key]}")
    for key, cols in sorted(found.items()):
        if key not in exp:
            problems.append(f"  unexpected: {key[0]}:{key[1]}:{cols[0]}: {key[2]}")
    if problems:
        print(f"FAIL {name}")
        print("\n".join(problems))
        return False
    return True


def collect(targets):
    """Yields ('file', path) and ('project', dir)."""
    for t in targets:
        if os.path.isfile(t):
            yield ("file", t)
            continue
        for dirpath, dirnames, filenames in os.walk(t):
            dirnames.sort()
            if "FIXTURE_PROJECT" in filenames:
                dirnames[:] = []
                yield ("project", dirpath)
                continue
            for fn in sorted(filenames):
                if fn.endswith(".py"):
                    yield ("file", os.path.join(dirpath, fn))


def main():
    targets = sys.argv[1:] or [os.path.join(ROOT, "fixtures")]
    ok = True
    count = 0
    for kind, path in collect(targets):
        count += 1
        COUNTS.clear()
        if kind == "file":
            display = os.path.basename(path)
            exp = expectations(path, display)
            found, err = run([display], header_args(path), os.path.dirname(os.path.abspath(path)))
        else:
            marker = os.path.join(path, "FIXTURE_PROJECT")
            with open(marker, encoding="utf-8") as f:
                args = shlex.split(f.readline())
            exp = {}
            for dirpath, _, filenames in os.walk(path):
                for fn in filenames:
                    if fn.endswith(".py"):
                        full = os.path.join(dirpath, fn)
                        exp.update(expectations(full, os.path.relpath(full, path)))
            found, err = run(["."], args, path)
        if err:
            print(f"FAIL {path}: {err}")
            ok = False
            continue
        ok &= compare(os.path.relpath(path, ROOT), exp, found)
    print(f"fixtures: {count} checked, {'all passed' if ok else 'FAILURES above'}")
    return 0 if ok and count else 1


if __name__ == "__main__":
    sys.exit(main())
