#!/usr/bin/env python3
"""bench/hostile.py OUTDIR [NAME...]: writes the hostile inputs that bench/hostile.sh measures.
bench/hostile.py --list: prints the case names, one a line.

Each case is one directory OUTDIR/NAME holding its files and OUTDIR/NAME.list, the paths of
its files one a line (relative to OUTDIR/NAME, which is where the analyzer and ts_parse_all
run: files are named on the command line one by one, as pre-commit passes them). With NAMEs,
only those cases are written. Prints one line per case: name, files, bytes, description.

The cases are those of issue 10 (deep nesting, long chains, many functions, broken lines, a
huge single line, many files named on the command line) and the hostile inputs of
tests/t_robustness.py scaled up. Plain Python 3, no dependency.
"""
import os
import random
import sys

SLEEP = b"import time\nasync def f():\n    time.sleep(1)\n"


def nested_calls(depth):
    return b"async def f():\n    await " + b"g(" * depth + b")" * depth + b"\n"


def method_chain(n):
    return b"async def f():\n    await x" + b".a()" * n + b"\n"


def await_chain(size):
    n = (size - 30) // 6
    return b"async def f():\n    return " + b"await " * n + b"g()\n"


def many_functions(n):
    return b"import time\n" + b"".join(b"async def f%d():\n    pass\n" % i for i in range(n)) + \
        b"async def last():\n    time.sleep(1)\n"


def small_functions(n):
    return b"".join(b"async def f%d():\n    return %d\n" % (i, i) for i in range(n))


def broken_defs(size):
    line = b"async def f(:\n"
    return line * (size // len(line))


def single_line(size):
    """One line of statements: calls, awaits, attribute reads and names, the mix a minifier
    or a generator leaves on a line."""
    unit = b"await g(x.a, y[0], z=1); "
    return b"async def f(): " + unit * ((size - 16) // len(unit)) + b"pass\n"


def nested_ternary(depth):
    """`x = g() if c else (g() if ...)`: AA201/AA202 ask how each call's value is used
    (assigned: no finding; tests/t_robustness.py has the discarded form, whose findings
    each copy the whole line)."""
    return b"async def g():\n    pass\nasync def f(c):\n    x = " + b"g() if c else (" * depth + b"g()" + \
        b")" * depth + b"\n"


def nested_defs(depth):
    return b"".join(b" " * i + b"async def f%d():\n" % i for i in range(depth)) + b" " * depth + b"pass\n"


def socket_calls(size):
    """AA105 asks, for each call, whether the socket is set non-blocking in its function
    (each call once searched the whole function)."""
    head = b"import socket\nasync def f():\n    s = socket.socket()\n"
    lines, total, i = [head], len(head), 0
    while total < size:
        line = b'    s.connect(("h", %d))\n' % i
        lines.append(line)
        total += len(line)
        i += 1
    return b"".join(lines)


def stacked_comments(n):
    """Comment lines before one statement: tree-sitter-python's scanner looks past every
    comment to the next line's indentation at each of them (the bare parse is quadratic)."""
    return b"import time\nasync def f():\n" + b"".join(b"    # comment %d\n" % i for i in range(n)) + \
        b"    time.sleep(1)\n"


def small_file(i):
    return b"import time\nasync def f%d():\n    await g()\n    time.sleep(1)\n" % i


# name -> (description, files: list of (relative path, bytes) or a generator of them)
def cases():
    rnd = random.Random(10)
    return {
        "nested_calls_400": ("await g(g(...)) nested 400 deep", lambda: [("t.py", nested_calls(400))]),
        "nested_calls_3000": ("await g(g(...)) nested 3,000 deep", lambda: [("t.py", nested_calls(3000))]),
        "method_chain_100k": ("await x.a().a()... chained 100,000 times", lambda: [("t.py", method_chain(100000))]),
        "await_chain_120k": ("120 KB of await await ... g()", lambda: [("t.py", await_chain(120 * 1000))]),
        "many_functions_200k": ("200,000 async stubs (pass), then a blocking call", lambda: [
            ("t.py", many_functions(200000))]),
        "small_functions_200k": ("200,000 async functions returning a constant", lambda: [
            ("t.py", small_functions(200000))]),
        "nested_ternary_16k": ("x = g() if c else (...) nested 16,000 deep", lambda: [
            ("t.py", nested_ternary(16000))]),
        "broken_defs_41k": ("41 KB of `async def f(:` lines", lambda: [("t.py", broken_defs(41 * 1000))]),
        "single_line_4m": ("a 4 MB single-line async def", lambda: [("t.py", single_line(4 * 1000 * 1000))]),
        "files_10k": ("10,000 small files named one by one", lambda: many_files(10000)),
        "files_40k": ("40,000 small files named one by one", lambda: many_files(40000)),
        "files_100k": ("100,000 small files named one by one", lambda: many_files(100000)),
        # tests/t_robustness.py's hostile inputs, about four times larger.
        "binary_1m": ("1 MB of every byte value", lambda: [("t.py", bytes(range(256)) * 4096)]),
        "random_1m": ("1 MB of random bytes", lambda: [("t.py", rnd.randbytes(1 << 20))]),
        "long_line_40m": ("a 40 MB string literal line", lambda: [
            ("t.py", b"x = '" + b"a" * (40 * 1024 * 1024) + b"'\n" + SLEEP)]),
        "deep_parens_400k": ("x = ((((...1...)))) 400,000 deep", lambda: [
            ("t.py", b"import time\nasync def f():\n    x = " + b"(" * 400000 + b"1" + b")" * 400000 +
             b"\n    time.sleep(1)\n")]),
        "deep_unclosed_400k": ("x = (((( unclosed, 400,000", lambda: [
            ("t.py", b"import time\nasync def f():\n    x = " + b"(" * 400000 + b"\n")]),
        "deep_lists_200k": ("x = [[[[...]]]] 200,000 deep", lambda: [
            ("t.py", b"async def f():\n    x = " + b"[" * 200000 + b"]" * 200000 + b"\n")]),
        "nested_defs_1600": ("async def nested 1,600 deep", lambda: [("t.py", nested_defs(1600))]),
        "socket_calls_200k": ("200 KB of s.connect(...) on one socket", lambda: [("t.py", socket_calls(200 * 1000))]),
        "stacked_comments_5k": ("5,000 comment lines before one statement", lambda: [
            ("t.py", stacked_comments(5000))]),
    }


def many_files(n):
    # Short names: 100,000 of them must fit in one command line (ARG_MAX, 2 MB on Linux).
    return [("%d.py" % i, small_file(i)) for i in range(n)]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: bench/hostile.py OUTDIR [NAME...] | --list")
    table = cases()
    if sys.argv[1] == "--list":
        print("\n".join(table))
        return
    out = sys.argv[1]
    names = sys.argv[2:] or list(table)
    for name in names:
        if name not in table:
            sys.exit(f"hostile.py: no case {name!r}; cases: {' '.join(table)}")
    os.makedirs(out, exist_ok=True)
    for name in names:
        desc, make = table[name]
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        total = 0
        files = make()
        with open(os.path.join(out, name + ".list"), "w") as lst:
            for rel, data in files:
                with open(os.path.join(d, rel), "wb") as f:
                    f.write(data)
                total += len(data)
                lst.write(rel + "\n")
        print(f"{name}\t{len(files)}\t{total}\t{desc}")


if __name__ == "__main__":
    main()
