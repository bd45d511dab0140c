#!/usr/bin/env python3
"""Hostile inputs: no crash, no hang, nothing on the sanitizer's stderr, exit 0 or 1,
a clear AA001/AA002 where relevant, and correct positions for the rest. Run against the
release build and the ASan+UBSan build by the suite."""
import os
import re
import stat
import subprocess
import sys
import tempfile

AA_BIN = os.environ["AA_BIN"]
FINDING = re.compile(r"^(.*?):(\d+):(\d+): (?:error|warning|note): (AA\d{3}) ")
SLEEP = b"import time\nasync def f():\n    time.sleep(1)\n"
failures = []


def analyze(paths, *args, timeout=120, cwd=None):
    try:
        p = subprocess.run([AA_BIN, "check", "--color", "never", *args, *paths], capture_output=True,
                           timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return None, [], "timed out"
    err = p.stderr.decode("utf-8", "replace")
    found = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        m = FINDING.match(line)
        if m:
            found.append((os.path.basename(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)))
    return p.returncode, found, err


def case(name, content, expect, mode=None, timeout=120, args=(), count=None):
    """Writes content to a file called name, analyzes it (with args), compares (line, col,
    code) triples; expect=None only requires a clean exit. count=(code, n): exactly n
    findings of code. A run past timeout seconds fails (a hang, not a timing: the
    inputs' times are measured by bench/hostile.sh)."""
    path = os.path.join(tmp, name)
    if content is not None:
        with open(path, "wb") as f:
            f.write(content)
        if mode is not None:
            os.chmod(path, mode)
    rc, found, err = analyze([path], *args, timeout=timeout)
    problems = []
    if rc not in (0, 1):
        problems.append(f"timed out after {timeout} s" if rc is None else f"exit {rc}")
    if "Sanitizer" in err or "runtime error" in err or "AddressSanitizer" in err:
        problems.append("sanitizer report:\n" + err[:3000])
    got = sorted((l, c, code) for (_, l, c, code) in found)
    if expect is not None and got != sorted(expect):
        problems.append(f"findings {got}, expected {sorted(expect)}")
    if count is not None and sum(1 for f in found if f[3] == count[0]) != count[1]:
        problems.append(f"{sum(1 for f in found if f[3] == count[0])} {count[0]} findings, expected {count[1]}")
    if problems:
        failures.append(f"{name}: " + "; ".join(problems))


def project_case(what, root, code, n):
    """Analyzes the project at root (the run's directory) with code selected: it must end
    within 10 s with exactly n findings of code (a hang or a quadratic index, not a
    timing)."""
    rc, found, err = analyze(["."], "--select", code, timeout=10, cwd=root)
    if rc != 1 or "Sanitizer" in err or sum(f[3] == code for f in found) != n:
        failures.append(f"{what}: exit {rc}, {len(found)} findings {err[:300]}")


with tempfile.TemporaryDirectory() as tmp:
    case("empty.py", b"", [])
    case("only_async.py", b"async", None)
    case("binary.py", bytes(range(256)) * 256, None)
    case("random.py", os.urandom(65536), None)
    case("nul.py", b"import time\nasync def f():\n    x = 1\x00\n", [(3, 10, "AA002")])
    case("bad_utf8.py", b"import time\nasync def f():\n    s = '\xff'\n    time.sleep(1)\n", [(3, 10, "AA002")])
    case("bom.py", b"\xef\xbb\xbf" + SLEEP, [(3, 5, "AA101")])
    case("crlf.py", SLEEP.replace(b"\n", b"\r\n"), [(3, 5, "AA101")])
    case("cr_only.py", SLEEP.replace(b"\n", b"\r"), [(3, 5, "AA101")])
    case("mixed_eol.py", b"import time\r\nasync def f():\r    x = 1\n    time.sleep(1)\n", [(4, 5, "AA101")])
    case("tabs.py", b"import time\nasync def f():\n\tif 1:\n\t\ttime.sleep(1)\n", [(4, 3, "AA101")])
    case("latin1.py", "# -*- coding: latin-1 -*-\nimport time\nasync def f():\n    s = 'caf\xe9'; time.sleep(1)\n"
         .encode("latin-1"), [(4, 17, "AA101")])
    case("unknown_coding.py", b"# -*- coding: no-such-codec -*-\n" + SLEEP, [(1, 1, "AA002")])
    case("nonascii_col.py", "import time\nasync def f():\n    s = 'żółw'; time.sleep(1)\n".encode(), [(3, 17, "AA101")])
    long_line = b"x = '" + b"a" * (10 * 1024 * 1024) + b"'\n"
    case("long_line.py", long_line + SLEEP, [(4, 5, "AA101")])
    deep = b"import time\nasync def f():\n    x = " + b"(" * 100000 + b"1" + b")" * 100000 + b"\n    time.sleep(1)\n"
    case("deep_parens.py", deep, None)
    deep_open = b"import time\nasync def f():\n    x = " + b"(" * 100000 + b"\n"
    case("deep_unclosed.py", deep_open, None)
    deep_lists = b"async def f():\n    x = " + b"[" * 50000 + b"]" * 50000 + b"\n"
    case("deep_lists.py", deep_lists, None)
    many = b"import time\n" + b"".join(b"async def f%d():\n    pass\n" % i for i in range(200000)) + \
        b"async def last():\n    time.sleep(1)\n"
    case("many_functions.py", many, [(400003, 5, "AA101")])
    nested_defs = b"".join(b" " * i + b"async def f%d():\n" % i for i in range(0, 400, 1)) + b" " * 400 + b"pass\n"
    case("nested_defs.py", nested_defs, None)
    # Found by fuzzing (tests/fuzz/): each call of a chain evaluated its object twice, so a
    # 420-byte file took 20 s (Fibonacci growth up to the evaluation's depth bound); now
    # milliseconds.
    chain = b"import socket\nasync def f():\n    x = socket" + b".a()" * 100 + b"\n"
    case("call_chain.py", chain, [], timeout=10)
    # Issue 10's inputs (bench/hostile.sh measures them scaled up against a bare parse):
    # each finishes; some were quadratic or worse.
    case("nested_calls.py", b"async def f():\n    await " + b"g(" * 3000 + b")" * 3000 + b"\n", [])
    case("method_chain.py", b"async def f():\n    await x" + b".a()" * 10000 + b"\n", [])
    case("await_chain.py", b"async def f():\n    return " + b"await " * 20000 + b"g()\n", None)
    case("broken_defs.py", b"async def f(:\n" * 3000, None)
    # --select ALL: 20,000 AA207 findings (unused async), one pass over the file.
    small = b"".join(b"async def f%d():\n    return %d\n" % (i, i) for i in range(20000))
    case("small_functions.py", small, None, args=("--select", "ALL"), count=("AA207", 20000))
    # Every call of a 4,000-deep chain of ternaries is discarded (AA201): deeper than the
    # 1,024 steps the climb was once capped at.
    ternary = b"async def g():\n    pass\nasync def f(c):\n    " + b"g() if c else (" * 4000 + b"g()" + \
        b")" * 4000 + b"\n"
    case("nested_ternary.py", ternary, None, count=("AA201", 4001))
    # AA105 asked, at each socket call, whether its function sets the socket non-blocking by
    # walking the whole function: 4,000 calls took 29 s. One index per file now; `t` is set
    # non-blocking after its calls, `s` never.
    sockets = b"import socket\nasync def f():\n    s = socket.socket()\n    t = socket.socket()\n" + \
        b'    s.connect(("h", 1))\n' * 2000 + b"    t.recv(1)\n" * 2000 + b"    t.setblocking(False)\n"
    case("socket_calls.py", sockets, None, count=("AA105", 2000), timeout=10)
    # AA304 walked the whole function at each acquire for its receiver's releases: 3,000
    # acquire/release pairs took 25 s; one walk per function now.
    pairs = b"import asyncio\nsem = asyncio.Semaphore(3)\nasync def f():\n" + \
        b"    await sem.acquire()\n    work()\n    sem.release()\n" * 3000
    case("acquire_pairs.py", pairs, None, count=("AA304", 3000), timeout=10)
    # AA502 and AA303 walked the whole function at each assignment for the uses of its name:
    # 4,000 sessions took 16 s, 3,000 semaphores 19 s; one walk per function now.
    sessions = b"import aiohttp\nasync def f():\n" + \
        b"".join(b"    s%d = aiohttp.ClientSession()\n" % i for i in range(4000))
    case("sessions.py", sessions, None, count=("AA502", 4000), timeout=10)
    sems = b"import asyncio\nasync def f():\n" + \
        b"".join(b"    sem%d = asyncio.Semaphore(1)\n    async with sem%d:\n        pass\n" % (i, i) for i in range(3000))
    case("semaphores.py", sems, None, args=("--select", "AA303"), count=("AA303", 3000), timeout=10)
    # AA401 walked the function from its start to each handler for the tasks it cancelled
    # and the helpers it called: 4,000 handlers (350 KB) took 36 s; one walk per function now.
    # 8,000 handlers followed only by clean-up, in one loop and in one block: what follows
    # each is found once per statement, not once per handler (minutes before).
    cleanup = b"    try:\n        await c.close()\n    except asyncio.CancelledError:\n        pass\n"
    case("cleanup_handlers.py", b"import asyncio\nasync def f(cs, c):\n" + cleanup * 8000 +
         b"async def g(cs):\n    for c in cs:\n" + cleanup.replace(b"\n    ", b"\n        ").replace(b"    try", b"        try", 1) * 8000,
         None, args=("--select", "AA407"), count=("AA407", 16000), timeout=10)
    handlers = b"import asyncio\nasync def f(t, x):\n" + \
        b"    try:\n        await t\n    except asyncio.CancelledError:\n        pass\n    await x()\n" * 3000
    case("handlers.py", handlers, None, count=("AA401", 3000), timeout=10)
    # AA203 walked the whole function at each stored task for the reads of its name: 3,000
    # tasks took 15 s; one walk per function now.
    tasks = b"import asyncio\nasync def f():\n" + \
        b"".join(b"    t%d = asyncio.create_task(g())\n" % i for i in range(3000))
    case("stored_tasks.py", tasks, None, count=("AA203", 3000), args=("--select", "AA203"), timeout=10)
    # AA103 and AA108 walked the function up to each wait for an earlier poll() / done(),
    # and AA103 from each call to the function's end for an exit or restart: 20,000 of
    # either took over two minutes; one walk per function now. The poll() spares the
    # waits after it, and the exec the runs before it.
    waits = b"import subprocess, threading, os\nasync def f(cmd, ev: threading.Event):\n" + \
        b"    p = subprocess.Popen(cmd)  # noqa\n" + b"    p.wait()\n    ev.wait()\n" * 5000 + \
        b"    p.poll()\n" + b"    p.wait()\n" * 5000
    case("waits.py", waits, None, count=("AA103", 5000), args=("--select", "AA103"), timeout=10)
    case("event_waits.py", waits, None, count=("AA108", 5000), args=("--select", "AA108"), timeout=10)
    runs = b"import subprocess, os\nasync def f(cmd):\n" + b"    subprocess.run(cmd)\n" * 10000 + \
        b"    os.execv(cmd[0], cmd)\n" + b"    subprocess.run(cmd)\n" * 10000
    case("runs.py", runs, None, count=("AA103", 10000), args=("--select", "AA103"), timeout=10)
    # The loop uses looked for a fresh run's argument at every identifier in its argument
    # list: 10,000 arguments after a *splat took 39 s; found once per call now. Many
    # awaits and many run_until_complete calls in one scope stay linear too.
    run_args = b"import asyncio\nasync def g():\n    pass\nloop = asyncio.new_event_loop()\n" + \
        b"loop.run_until_complete(*xs, " + b", ".join(b"a%d" % i for i in range(10000)) + b")\n" + \
        b"def h(loop):\n" + b"    loop.run_until_complete(g())\n" * 5000
    case("run_args.py", run_args, [], timeout=10)
    awaits = b"import asyncio, time\n" + b"".join(
        b"async def f%d():\n    time.sleep(1)\n    await f%d()\n    await f%d()\n" % (i, (i * 7 + 1) % 20000, (i * 13 + 5) % 20000)
        for i in range(20000)) + b"def main():\n    asyncio.run(f0())\n"
    # f0 runs alone, and what it reaches through awaits; the rest nothing starts.
    seen, todo = {0}, [0]
    while todo:
        i = todo.pop()
        for j in ((i * 7 + 1) % 20000, (i * 13 + 5) % 20000):
            if j not in seen:
                seen.add(j)
                todo.append(j)
    case("await_mesh.py", awaits, None, count=("AA101", 20000 - len(seen)), timeout=10)
    # Whether a call is in an operator-only handler climbed the call's parents to its
    # function, for every call in async code: 16,000 nested calls took 12 s
    # (bench/hostile.sh's nested_ternary_16k), 32,000 over 25 s; the model's scope answers at
    # once now.
    ternary = b"async def g():\n    pass\n@app.on_message(filters.command('x') & SUDOERS)\nasync def f(c):\n" + \
        b"    x = " + b"g() if c else (" * 32000 + b"g()" + b")" * 32000 + b"\n"
    case("operator_ternary.py", ternary, [], timeout=10)
    # Who may run a handler is judged by walking its registration's unions and negations,
    # each side on its own: 20,000 unions deep and 3,000 nested negations are judged to a
    # bound (unknown: the handler is public and its call reported), neither recursing
    # without end nor walking the chain once per level.
    unions = b"import time\n@app.on_message(" + b"filters.me | " * 20000 + b"filters.me)\n" + \
        b"async def h(_, m):\n    time.sleep(1)\n@app.on_message(" + b"~(" * 3000 + b"filters.me" + \
        b")" * 3000 + b")\nasync def g(_, m):\n    time.sleep(1)\n"
    case("operator_unions.py", unions, None, count=("AA101", 2), timeout=10)
    # Boolean annotations the grammar misreads (parse.c): each ERROR's parent is found from
    # the walk's cursor, not by a search from the root through 40,000 siblings.
    misread = b"import time\n" + b"def f(x: list[int] or str = None):\n    pass\n" * 40000 + \
        b"async def g():\n    time.sleep(1)\n"
    case("misread_annotations.py", misread, None, count=("AA101", 1), timeout=10)
    # An engine whose URL is a name has the module's assignments to it read: at most 64
    # times per file (20,000 such engines among 20,000 assignments would be quadratic).
    engines = b"import time\nfrom sqlalchemy import create_engine\n" + \
        b"".join(b"U%d = 'sqlite:///a.db'\ne%d = create_engine(URL)\n" % (i, i) for i in range(20000)) + \
        b"async def g():\n    time.sleep(1)\n"
    case("many_engines.py", engines, None, count=("AA101", 1), timeout=10)
    # The same chain on one long line after non-ASCII text: each finding shows a window of
    # the line (a whole copy per finding was quadratic: 4 GB at 16,000), its carets under
    # the call, and columns count code points.
    long_line = "async def g():\n    pass\nasync def f(c):\n    s = 'żółw' * 99; ".encode() + \
        b"g() if c else (" * 1000 + b"g()" + b")" * 1000 + b"\n"
    path = os.path.join(tmp, "long_line.py")
    with open(path, "wb") as f:
        f.write(long_line)
    p = subprocess.run([AA_BIN, "check", "--color", "never", path], capture_output=True, timeout=120)
    out = p.stdout.decode("utf-8", "replace").splitlines()
    heads = [i for i, l in enumerate(out) if FINDING.match(l)]
    shown = []
    for i in heads:
        m = FINDING.match(out[i])
        text, carets = out[i + 1], out[i + 2]
        at = carets.index("^")
        shown.append((int(m.group(3)), len(text), text[at:at + 3], carets.count("^")))
    want_cols = [22 + 15 * k for k in range(1001)]
    if p.returncode != 1 or len(heads) != 1001 or "Sanitizer" in p.stderr.decode("utf-8", "replace"):
        failures.append(f"long_line.py: exit {p.returncode}, {len(heads)} findings, expected 1001")
    elif sorted(c for c, _, _, _ in shown) != want_cols or any(n > 400 or t != "g()" or k != 3
                                                                 for _, n, t, k in shown):
        failures.append(f"long_line.py: excerpts {shown[:3]}..., expected a window of at most 400 characters "
                        "with 3 carets under g() at columns 22, 37, ...")
    case("py2.py", b"print 'hello'\nexec 'x = 1'\nasync def f():\n    pass\n", None)
    case("syntax_error.py", b"import time\nasync def f(:\n    pass\nasync def g():\n    time.sleep(1)\n", None)
    case("null_in_string_utf8.py", b"async def f():\n    return '\xc3\x28'\n", [(2, 13, "AA002")])
    case("truncated_utf8.py", b"async def f():\n    return 1\n\xf0\x9f", None)
    case("lone_surrogate.py", b"async def f():\n    return '\xed\xa0\x80'\n", None)

    # A directory named like a source file, a FIFO and a dangling symlink met while walking.
    walk = os.path.join(tmp, "walk")
    os.mkdir(walk)
    os.mkdir(os.path.join(walk, "dir.py"))
    os.mkfifo(os.path.join(walk, "fifo.py"))
    os.symlink(os.path.join(walk, "missing-target.py"), os.path.join(walk, "dangling.py"))
    with open(os.path.join(walk, "ok.py"), "wb") as f:
        f.write(SLEEP)
    loop = os.path.join(walk, "loop")
    os.mkdir(loop)
    os.symlink("..", os.path.join(loop, "up"))
    rc, found, err = analyze([walk], timeout=60)
    if rc not in (0, 1) or "Sanitizer" in err:
        failures.append(f"walk: exit {rc} {err[:500]}")
    names = {(f[0], f[3]) for f in found}
    if ("dangling.py", "AA002") not in names:
        failures.append(f"walk: dangling symlink not reported as AA002: {found}")
    if ("ok.py", "AA101") not in names:
        failures.append(f"walk: ok.py not analyzed: {found}")
    if sum(1 for f in found if f[0] == "ok.py") != 1:
        failures.append(f"walk: ok.py reported more than once (symlink loop): {found}")
    # A FIFO named on the command line must not hang the run.
    rc, found, err = analyze([os.path.join(walk, "fifo.py")], timeout=30)
    if rc is None or rc not in (1, 2):
        failures.append(f"fifo named explicitly: exit {rc} {err[:300]}")

    # 2,000 files named one by one on the command line, as pre-commit passes them.
    many_dir = os.path.join(tmp, "many")
    os.mkdir(many_dir)
    for i in range(2000):
        with open(os.path.join(many_dir, "%d.py" % i), "wb") as f:
            f.write(SLEEP)
    rc, found, err = analyze(["%d.py" % i for i in range(2000)], timeout=120, cwd=many_dir)
    if rc != 1 or "Sanitizer" in err or sorted(f[0] for f in found if f[3] == "AA101") != \
            sorted("%d.py" % i for i in range(2000)):
        failures.append(f"2,000 files named one by one: exit {rc}, {len(found)} findings {err[:300]}")

    # Packages that star-import each other in a cycle (four each), and names none of them
    # defines: each lookup branches at every star import, bounded by the index's budget.
    stars_dir = os.path.join(tmp, "stars")
    for i in range(64):
        os.makedirs(os.path.join(stars_dir, "p%d" % i))
        with open(os.path.join(stars_dir, "p%d" % i, "__init__.py"), "w") as f:
            f.write("".join("from p%d import *\n" % ((i + j) % 64) for j in range(1, 5)) +
                    "import asyncio\nasync def own%d():\n    await asyncio.sleep(1)\n" % i)
    with open(os.path.join(stars_dir, "m.py"), "w") as f:
        f.write("import asyncio\nimport p0\ndef go():\n" +
                "".join("    asyncio.create_task(p0.missing%d())\n" % k for k in range(300)))
    project_case("star-import cycle", stars_dir, "AA203", 300)
    # A package with 20,000 star imports of modules that do not exist, and 20,000 names
    # looked up through it.
    many_stars = os.path.join(tmp, "many_stars")
    os.makedirs(os.path.join(many_stars, "pool"))
    with open(os.path.join(many_stars, "pool", "__init__.py"), "w") as f:
        f.write("from .workers import *\n" + "".join("from .ext%d import *\n" % k for k in range(20000)))
    with open(os.path.join(many_stars, "pool", "workers.py"), "w") as f:
        f.write("async def ready(event):\n    await event.wait()\n")
    with open(os.path.join(many_stars, "main.py"), "w") as f:
        f.write("import asyncio\nimport pool\ndef go(e):\n" +
                "".join("    asyncio.create_task(pool.ready%d(e))\n" % k for k in range(20000)))
    project_case("20,000 star imports", many_stars, "AA203", 20000)

    # Unreadable file (as root, permissions do not stop reads: skip that part).
    if os.geteuid() != 0:
        case("unreadable.py", SLEEP, [(1, 1, "AA002")], mode=0)

print("\n".join(failures) or "robustness: all hostile inputs handled")
sys.exit(1 if failures else 0)
