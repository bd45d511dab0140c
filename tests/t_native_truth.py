#!/usr/bin/env python3
"""AA112 against what the event loop really does: the fixture extension
(fixtures/aa1/native_project) is compiled with the machine's C compiler and Python
headers, each of its Python-visible functions is called from a coroutine while a ticker
task measures the loop's lag, and the functions that stall the loop must be exactly those
AA112 reports for a caller that calls each one from async code.

A missing compiler or Python.h is a failure, not a skip: tools/deps.sh installs both."""
import asyncio
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time

AA_BIN = os.environ.get("AA_BIN")
if not AA_BIN:
    sys.exit("AA_BIN must name the analyzer")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "fixtures", "aa1", "native_project")
STALL_MS = 150  # what a blocking call is asked to wait
LAG_LIMIT = 0.08  # a loop that could not tick for this long was stalled

# name -> (setup statement, call expression); FIFO is a named pipe written after STALL_MS.
CALLS = {
    "sleep_ms": ("", f"_native.sleep_ms({STALL_MS})"),
    "sleep_nogil": ("", f"_native.sleep_nogil({STALL_MS})"),
    "pause": ("", f"_native.pause({STALL_MS})"),
    "read_all": ("", "_native.read_all(FIFO)"),
    "checksum": ("", "_native.checksum(3)"),
    "apply": ("", "_native.apply(3)"),
    "timer_wait": ("t = _native.Timer()", f"t.wait({STALL_MS})"),
    "timer_ticks": ("t = _native.Timer()", "t.ticks()"),
    "clock_sleep": ("c = _native.Clock()", f"c.sleep({STALL_MS})"),
}


def build(work):
    include = sysconfig.get_paths()["include"]
    if not os.path.exists(os.path.join(include, "Python.h")):
        sys.exit(f"Python.h is missing in {include}: install python3-dev")
    cc = shutil.which(os.environ.get("CC", "cc"))
    if not cc:
        sys.exit("no C compiler")
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    out = os.path.join(work, "pkg", "_native" + suffix)
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-I" + include, "-o", out,
                    os.path.join(work, "src", "native.c"), os.path.join(work, "src", "waits.c")], check=True)


def write_callers(work):
    """pkg/truth.py: one coroutine per function, which calls it."""
    lines = ["from pkg import _native", "", "FIFO = None", ""]
    lines_of = {}
    for name, (setup, call) in CALLS.items():
        lines += ["", f"async def call_{name}():"]
        if setup:
            lines.append(f"    {setup}")
        lines.append(f"    {call}")
        lines_of[len(lines)] = name
        lines.append("")
    with open(os.path.join(work, "pkg", "truth.py"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return lines_of


def reported(work, lines_of):
    r = subprocess.run([AA_BIN, "check", "--select", "AA112", "--format", "json", "."], cwd=work,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"analyzer failed ({r.returncode}): {r.stderr}")
    names = set()
    report = json.loads(r.stdout)
    # The last object is the run's metadata (docs/output.md): both C files read fully, or
    # what was reported could be right by luck.
    meta = report.pop() if report and "code" not in report[-1] else {}
    if meta != {"c_files_read": 2, "c_files_not_read_fully": 0}:
        sys.exit(f"the C files were not all read fully: {meta}")
    for d in report:
        if d["path"].endswith("truth.py"):
            names.add(lines_of[d["line"]])
    return names


def feed_fifo(path):
    """A writer in another process: a thread would need the GIL that read_all holds."""
    return subprocess.Popen(["sh", "-c", f"sleep {STALL_MS / 1000}; echo rows > '{path}'"])


async def lag_of(coro_fn):
    """The longest the loop went without ticking while coro_fn ran."""
    worst = 0.0
    stop = False

    async def ticker():
        nonlocal worst
        last = time.monotonic()
        while not stop:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            worst = max(worst, now - last)
            last = now

    t = asyncio.ensure_future(ticker())
    await asyncio.sleep(0.02)
    await coro_fn()
    await asyncio.sleep(0.02)
    stop = True
    await t
    return worst


def stalling(work):
    sys.path.insert(0, work)
    import pkg.truth as truth  # noqa: E402 (built above)
    fifo = os.path.join(work, "fifo")
    os.mkfifo(fifo)
    truth.FIFO = fifo
    names = set()
    for name in CALLS:
        feeder = feed_fifo(fifo) if name == "read_all" else None
        lag = asyncio.run(lag_of(getattr(truth, f"call_{name}")))
        if feeder and feeder.wait(timeout=10) != 0:
            sys.exit("the FIFO's writer failed")
        print(f"  {name}: loop lag {lag * 1000:.0f} ms")
        if lag > LAG_LIMIT:
            names.add(name)
    return names


def main():
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "native_project")
        shutil.copytree(FIXTURE, work)
        build(work)
        lines_of = write_callers(work)
        said = reported(work, lines_of)
        real = stalling(work)
    print(f"reported by AA112: {sorted(said)}")
    print(f"stall the loop:    {sorted(real)}")
    if said != real:
        print(f"FAIL: reported but not stalling {sorted(said - real)}, stalling but not reported {sorted(real - said)}")
        return 1
    if not real or len(real) == len(CALLS):
        print("FAIL: the fixture must have functions that stall and functions that do not")
        return 1
    print("native truth: AA112 reports exactly the functions that stall the loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
