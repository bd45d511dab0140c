#!/usr/bin/env python3
"""The progress line: on standard error only when it is a terminal (a pty here), erased
at the end, never on standard output, silenced by --quiet; the report is the same bytes
either way. ASYNC_ANALYZER_PROGRESS_DELAY=0 shows it from the start; a delay longer than
the run shows nothing."""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile

AA_BIN = os.environ.get("AA_BIN") or sys.exit("AA_BIN must name the analyzer")
failures = []


def run(args, tty, env_delay="0"):
    """Runs the analyzer on the project with stderr on a pty (tty) or a pipe; returns
    (exit status, stdout bytes, stderr bytes)."""
    env = dict(os.environ, ASYNC_ANALYZER_PROGRESS_DELAY=env_delay)
    if not tty:
        p = subprocess.run([AA_BIN, "check", *args, "."], cwd=project, env=env, capture_output=True)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    p = subprocess.Popen([AA_BIN, "check", *args, "."], cwd=project, env=env, stdout=subprocess.PIPE,
                         stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    out = p.stdout.read()
    err = b""
    while True:
        ready, _, _ = select.select([master], [], [], 5)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the pty
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    return p.wait(), out, err


with tempfile.TemporaryDirectory() as project:
    for i in range(300):
        with open(os.path.join(project, f"m{i}.py"), "w") as f:
            f.write("import time\n\n\nasync def handler():\n    time.sleep(1)\n" + "x = 1\n" * 200)

    rc, out, err = run(["-j1"], tty=True)
    if rc != 1:
        failures.append(f"tty: exit {rc}")
    if b"/300 files" not in err:
        failures.append(f"tty: no progress line on the terminal: {err[-300:]!r}")
    # Erased: the last progress text is overwritten by blanks (as long as it) between
    # carriage returns, and the summary starts at the left margin.
    m = re.search(rb"(async-analyzer: \d+/300 files[^\r]*)\r( +)\rFound ", err)
    if not m or len(m.group(2)) < len(m.group(1)) or err.count(b"Found ") != 1:
        failures.append(f"tty: the line is not erased before the summary: {err[-200:]!r}")
    if b"files" in out.replace(b"file", b"") or b"\r" in out:
        failures.append("tty: progress text on standard output")
    rc_q, out_q, err_q = run(["-j1", "--quiet"], tty=True)
    if err_q.strip():
        failures.append(f"--quiet on a tty: stderr not empty: {err_q[-200:]!r}")
    rc_p, out_p, err_p = run(["-j1"], tty=False)
    if b"/300 files" in err_p or b"\r" in err_p:
        failures.append(f"pipe: progress line on a pipe: {err_p[-200:]!r}")
    rc_d, out_d, err_d = run(["-j1"], tty=True, env_delay="60")
    if b"/300 files" in err_d:
        failures.append("a run shorter than the delay showed the progress line")
    rc_8, out_8, _ = run(["-j8"], tty=True)
    if not (out == out_q == out_p == out_8 == out_d):
        failures.append("the report differs with the progress line, --quiet, a pipe or -j8")

for f in failures:
    print("FAIL:", f)
print("progress:", "all checks passed" if not failures else f"{len(failures)} failures")
sys.exit(1 if failures else 0)
