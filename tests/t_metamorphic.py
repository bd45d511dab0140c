#!/usr/bin/env python3
"""Metamorphic test (flake8-async's test_noerror_on_sync_code): rewrite every AA1xx
fixture to sync code (drop the `async` and `await` keywords) and expect no AA1xx
finding. Each fixture must have at least one AA1xx finding before the rewrite, so an
analyzer that finds nothing cannot pass."""
import io
import os
import re
import subprocess
import sys
import tempfile
import tokenize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AA_BIN = os.environ.get("AA_BIN", os.path.join(ROOT, "build", "async-analyzer"))
FINDING = re.compile(r"^.*?:(\d+):(\d+): (?:error|warning|note): (AA1\d\d) ")


def to_sync(source):
    """Drops `async`/`await` keyword tokens, keeping everything else byte for byte."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    # Remove from the end so earlier positions stay valid.
    for tok in reversed(tokens):
        if tok.type == tokenize.NAME and tok.string in ("async", "await"):
            (row, col), (_, end) = tok.start, tok.end
            line = lines[row - 1]
            # Also drop one following space: `await f()` -> `f()`.
            if line[end:end + 1] == " ":
                end += 1
            lines[row - 1] = line[:col] + line[end:]
    return "".join(lines)


def aa1_findings(path, args):
    p = subprocess.run([AA_BIN, "check", "--color", "never", *args, path], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{path}: analyzer exit {p.returncode}: {p.stderr}")
    return [m.groups() for m in map(FINDING.match, p.stdout.splitlines()) if m]


def header_args(source):
    m = re.search(r"^#\s*fixture-args:\s*(.*)$", source, re.M)
    return m.group(1).split() if m else []


def main():
    failures = []
    checked = 0
    folder = os.path.join(ROOT, "fixtures", "aa1")
    with tempfile.TemporaryDirectory() as tmp:
        for fn in sorted(os.listdir(folder)):
            if not fn.endswith(".py"):
                continue
            path = os.path.join(folder, fn)
            with open(path, encoding="utf-8") as f:
                source = f.read()
            if not re.search(r"#\s*error:.*AA1\d\d", source):
                continue  # a fixture of near-misses only: nothing to compare
            args = header_args(source)
            before = aa1_findings(path, args)
            if not before:
                failures.append(f"{fn}: no AA1xx finding before the rewrite (the test would prove nothing)")
                continue
            sync_path = os.path.join(tmp, fn)
            with open(sync_path, "w", encoding="utf-8") as f:
                f.write(to_sync(source))
            compile(open(sync_path, encoding="utf-8").read(), sync_path, "exec")
            after = aa1_findings(sync_path, args)
            if after:
                failures.append(f"{fn}: AA1xx findings in the sync rewrite: {after}")
            checked += 1
    print("\n".join(failures) or f"{checked} fixtures: quiet once rewritten to sync code")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
