#!/usr/bin/env python3
"""Every fixture is valid Python (what `python3 -m py_compile` checks: compile() of the bytes), except those marked `# fixture: syntax-error`.
A fixture that does not compile would test the analyzer's error recovery by accident."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bad = []
count = 0
for dirpath, _, files in os.walk(os.path.join(ROOT, "fixtures")):
    for fn in sorted(files):
        if not fn.endswith(".py"):
            continue
        path = os.path.join(dirpath, fn)
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(2000)
        expect_error = "# fixture: syntax-error" in head
        with open(path, "rb") as f:
            data = f.read()
        try:
            compile(data, path, "exec", dont_inherit=True)
            compiled = True
        except (SyntaxError, ValueError):
            compiled = False
        count += 1
        if compiled == expect_error:
            bad.append(f"{os.path.relpath(path, ROOT)}: " + ("compiles but is marked syntax-error" if compiled else "does not compile"))
print("\n".join(bad) or f"{count} fixtures checked")
sys.exit(1 if bad or not count else 0)
