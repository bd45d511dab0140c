#!/usr/bin/env python3
"""AA501 against what Python really does: every plain `with` the rule reports on an
asyncio resource fails when it runs, and the trio/anyio cancel scopes it must leave alone
work with a plain `with` (run only for the libraries installed here)."""
import asyncio
import importlib.util
import os
import subprocess
import sys
import tempfile

AA_BIN = os.environ.get("AA_BIN")
if not AA_BIN:
    sys.exit("AA_BIN must name the analyzer")

# (expression, needs) -- the object a plain `with` is tried on inside a coroutine.
ASYNC_ONLY = [
    ("asyncio.Lock()", None),
    ("asyncio.Semaphore(1)", None),
    ("asyncio.BoundedSemaphore(1)", None),
    ("asyncio.Condition()", None),
    ("asyncio.timeout(1)", "timeout"),
    ("asyncio.TaskGroup()", "TaskGroup"),
]
SYNC_SCOPES = [("trio.move_on_after(1)", "trio"), ("trio.fail_after(1)", "trio"), ("trio.CancelScope()", "trio"),
               ("anyio.move_on_after(1)", "anyio"), ("anyio.fail_after(1)", "anyio"), ("anyio.CancelScope()", "anyio")]


def fails_at_run_time(expr):
    async def body():
        with eval(expr):  # a plain with on an async-only object: the point of the test
            pass
    try:
        asyncio.run(body())
    except (TypeError, AttributeError):
        return True
    return False


def analyzer_flags(expr, module):
    src = f"import {module}\n\n\nasync def f():\n    with {expr}:\n        await {module}.sleep(0)\n"
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "case.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(src)
        p = subprocess.run([AA_BIN, "check", "--select", "AA501", "--color", "never", path],
                           capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"analyzer failed on {expr!r}: exit {p.returncode}\n{p.stderr}")
    return p.returncode == 1


failures = []
checked = 0
for expr, needs in ASYNC_ONLY:
    if needs and not hasattr(asyncio, needs):
        continue
    checked += 1
    if not fails_at_run_time(expr):
        failures.append(f"{expr}: a plain with did not fail at run time (the rule's premise)")
    if not analyzer_flags(expr, "asyncio"):
        failures.append(f"{expr}: AA501 expected, not reported")
for expr, module in SYNC_SCOPES:
    if importlib.util.find_spec(module) is None:
        continue
    checked += 1
    lib = __import__(module)

    async def scope_body(expr=expr, lib=lib):
        with eval(expr, {module: lib}):
            await lib.sleep(0)
    try:
        lib.run(scope_body)
    except Exception as e:  # a sync scope must just work
        failures.append(f"{expr}: plain with failed at run time: {e!r}")
    if analyzer_flags(expr, module):
        failures.append(f"{expr}: a sync cancel scope reported by AA501")
print("\n".join(failures) or f"AA501 truth: {checked} cases agree with Python")
sys.exit(1 if failures or not checked else 0)
