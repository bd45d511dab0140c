#!/usr/bin/env python3
"""--fix, --diff, --unsafe-fixes and --add-noqa (analyzer/fix/).

1. Every fixture with a fix: a copy is fixed (--fix, then --fix --unsafe-fixes); the
   result compiles, no finding that had an allowed fix is left, no code gains
   findings, and a second --fix changes no byte.
2. Encodings and line ends: a CRLF file, a UTF-8 file with a BOM and a latin-1 file with a
   coding declaration are fixed to exactly the expected bytes (the rest byte for byte).
3. --diff on tests/fix/diff_project prints tests/fix/expected.diff and exits 1, writes
   nothing; on the fixed copy it prints nothing and exits 0.
4. --unsafe-fixes gates the unsafe fix both ways; the lines of tests/fix/no_fix.py are
   flagged without a fix (a shadowed asyncio, a comprehension, `_ = f()`, a mixed with).
5. --add-noqa on tests/fix/noqa_input.py writes tests/fix/noqa_expected.py (merged into
   an existing noqa, after another comment, after a multi-line string, after a
   continuation); then nothing is reported and a second run changes nothing; CRLF kept.
6. A symlink is written through (the link stays a link), the mode is kept; standard
   input with --fix prints the fixed source.
Exit 0 when all hold, 1 with each failure on stdout.
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from t_fixtures import header_args  # noqa: E402  (the fixture header syntax, one reader)
AA = os.environ.get("AA_BIN", os.path.join(ROOT, "build", "async-analyzer"))
FIX = os.path.join(ROOT, "tests", "fix")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(args, cwd, stdin=None):
    return subprocess.run([AA] + args, cwd=cwd, input=stdin, capture_output=True)


def findings(args, cwd, target):
    p = run(["check", "--format", "json"] + args + [target], cwd)
    if p.returncode not in (0, 1):
        fail("%s: exit %d: %s" % (target, p.returncode, p.stderr.decode(errors="replace")))
        return []
    return json.loads(p.stdout)


def compiles(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        compile(data, path, "exec")  # honours a BOM and a coding declaration
        return True
    except SyntaxError:
        return False


def fixture_targets():
    """(path to copy, analyzer args): single files and FIXTURE_PROJECT directories."""
    out = []
    base = os.path.join(ROOT, "fixtures")
    for family in sorted(os.listdir(base)):
        if family == "aa9":
            continue  # test-only rules: another binary, no fixes
        fam = os.path.join(base, family)
        for name in sorted(os.listdir(fam)):
            p = os.path.join(fam, name)
            if os.path.isdir(p) and os.path.exists(os.path.join(p, "FIXTURE_PROJECT")):
                with open(os.path.join(p, "FIXTURE_PROJECT")) as f:
                    first = f.readline()
                out.append((p, shlex.split(first) if first.strip() and not first.startswith("#") else []))
            elif name.endswith(".py"):
                out.append((p, header_args(p)))
    return out


def check_fixture(src, args, unsafe, tmp):
    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    extra = ["--unsafe-fixes"] if unsafe else []
    work = os.path.join(tmp, "w")
    shutil.rmtree(work, ignore_errors=True)
    if os.path.isdir(src):
        shutil.copytree(src, work)
        target = "."
    else:
        os.makedirs(work)
        shutil.copy(src, work)
        target = os.path.basename(src)
    before = findings(args, work, target)
    fixable = [d for d in before if d.get("fix") and d["fix"]["applicability"] in allowed]
    if not fixable:
        return 0
    pyfiles = []
    for dirpath, _, files in os.walk(work):
        pyfiles += [os.path.join(dirpath, f) for f in files if f.endswith(".py")]
    compiled_before = {f: compiles(f) for f in pyfiles}
    p = run(["check", "--fix"] + extra + args + [target], work)
    name = os.path.relpath(src, ROOT) + (" (unsafe)" if unsafe else "")
    if p.returncode not in (0, 1):
        fail("%s: --fix exited %d: %s" % (name, p.returncode, p.stderr.decode(errors="replace")))
        return 0
    for f in pyfiles:
        if compiled_before[f] and not compiles(f):
            fail("%s: %s no longer compiles after --fix" % (name, os.path.relpath(f, work)))
    after = findings(args, work, target)
    left = [d for d in after if d.get("fix") and d["fix"]["applicability"] in allowed]
    if left:
        fail("%s: fixable findings left: %s" % (name, [(d["code"], d["path"], d["line"]) for d in left]))
    count = lambda ds, c: sum(1 for d in ds if d["code"] == c)
    for code in sorted({d["code"] for d in before} | {d["code"] for d in after}):
        fixed = sum(1 for d in fixable if d["code"] == code)
        if count(after, code) > count(before, code) - fixed:
            fail("%s: %s: %d findings before, %d fixed, %d after" %
                 (name, code, count(before, code), fixed, count(after, code)))
    snapshot = {f: open(f, "rb").read() for f in pyfiles}
    run(["check", "--fix"] + extra + args + [target], work)
    for f in pyfiles:
        if open(f, "rb").read() != snapshot[f]:
            fail("%s: a second --fix changed %s" % (name, os.path.relpath(f, work)))
    return len(fixable)


def check_encodings(tmp):
    src = '"""Doc: caf\u00e9."""\nimport time\n\n\nasync def f(x):\n    time.sleep(x)  # caf\u00e9\n'
    want = ('"""Doc: caf\u00e9."""\nimport asyncio\nimport time\n\n\nasync def f(x):\n'
            '    await asyncio.sleep(x)  # caf\u00e9\n')
    latin = "# -*- coding: latin-1 -*-\n"
    cases = {
        "crlf.py": (src.replace("\n", "\r\n").encode(), want.replace("\n", "\r\n").encode()),
        "bom.py": (b"\xef\xbb\xbf" + src.encode(), b"\xef\xbb\xbf" + want.encode()),
        "latin1.py": ((latin + src).encode("latin-1"), (latin + want).encode("latin-1")),
    }
    for name, (data, expected) in cases.items():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        p = run(["check", "--fix", name], tmp)
        got = open(path, "rb").read()
        if p.returncode != 0 or got != expected:
            fail("%s: --fix exit %d, got %r, expected %r (%s)" %
                 (name, p.returncode, got, expected, p.stderr.decode(errors="replace")))


def check_diff(tmp):
    work = os.path.join(tmp, "diff")
    shutil.copytree(os.path.join(FIX, "diff_project"), work)
    original = open(os.path.join(work, "app.py"), "rb").read()
    p = run(["check", "--select", "ALL", "--diff", "."], work)
    expected = open(os.path.join(FIX, "expected.diff"), "rb").read()
    if p.returncode != 1 or p.stdout != expected:
        fail("--diff: exit %d (expected 1), output:\n%s" % (p.returncode, p.stdout.decode(errors="replace")))
    if open(os.path.join(work, "app.py"), "rb").read() != original:
        fail("--diff wrote the file")
    run(["check", "--select", "ALL", "--fix", "."], work)
    p = run(["check", "--select", "ALL", "--diff", "."], work)
    if p.returncode != 0 or p.stdout:
        fail("--diff on fixed code: exit %d, output %r" % (p.returncode, p.stdout))


def check_unsafe(tmp):
    path = os.path.join(tmp, "unsafe.py")
    text = "import os\n\n\nasync def f(p):\n    return os.listdir(p)\n"
    with open(path, "w") as f:
        f.write(text)
    p = run(["check", "--extend-select", "AA104", "--fix", "unsafe.py"], tmp)
    if p.returncode != 1 or open(path).read() != text:
        fail("--fix without --unsafe-fixes: exit %d, file %r" % (p.returncode, open(path).read()))
    p = run(["check", "--extend-select", "AA104", "--fix", "--unsafe-fixes", "unsafe.py"], tmp)
    want = "import asyncio\nimport os\n\n\nasync def f(p):\n    return await asyncio.to_thread(os.listdir, p)\n"
    if p.returncode != 0 or open(path).read() != want:
        fail("--fix --unsafe-fixes: exit %d, file %r" % (p.returncode, open(path).read()))


def check_type_checking_import(tmp):
    """An `import asyncio` under `if TYPE_CHECKING:` binds nothing at run time: the fix adds one."""
    path = os.path.join(tmp, "typing_only.py")
    text = ("import time\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import asyncio\n\n\n"
            "async def f():\n    time.sleep(1)\n")
    with open(path, "w") as f:
        f.write(text)
    p = run(["check", "--fix", "typing_only.py"], tmp)
    want = ("import asyncio\nimport time\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import asyncio\n\n\n"
            "async def f():\n    await asyncio.sleep(1)\n")
    if p.returncode != 0 or open(path).read() != want:
        fail("--fix with a TYPE_CHECKING-only import: exit %d, file %r" % (p.returncode, open(path).read()))


def check_add_noqa(tmp):
    work = os.path.join(tmp, "noqa")
    os.makedirs(work)
    shutil.copy(os.path.join(FIX, "noqa_input.py"), os.path.join(work, "n.py"))
    with open(os.path.join(work, "crlf.py"), "wb") as f:
        f.write(b"import time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n")
    p = run(["check", "--extend-select", "AA104", "--add-noqa", "."], work)
    if p.returncode != 0:
        fail("--add-noqa exited %d: %s" % (p.returncode, p.stderr.decode(errors="replace")))
    got = open(os.path.join(work, "n.py"), "rb").read()
    if got != open(os.path.join(FIX, "noqa_expected.py"), "rb").read():
        fail("--add-noqa wrote:\n" + got.decode(errors="replace"))
    crlf = open(os.path.join(work, "crlf.py"), "rb").read()
    if crlf != b"import time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)  # noqa: AA101\r\n":
        fail("--add-noqa on a CRLF file wrote %r" % crlf)
    p = run(["check", "--extend-select", "AA104", "."], work)
    if p.returncode != 0:
        fail("after --add-noqa, findings are still reported:\n" + p.stdout.decode(errors="replace"))
    run(["check", "--extend-select", "AA104", "--add-noqa", "."], work)
    if open(os.path.join(work, "n.py"), "rb").read() != got:
        fail("a second --add-noqa changed the file")


def check_no_fix(tmp):
    """Each `# no-fix: AAnnn` line of tests/fix/no_fix.py is flagged with that code and no fix."""
    path = os.path.join(FIX, "no_fix.py")
    got = {(d["line"], d["code"]): bool(d.get("fix")) for d in findings(["--select", "ALL"], tmp, path)}
    with open(path, encoding="utf-8") as f:
        marked = [(n, line.split("# no-fix: ")[1][:5]) for n, line in enumerate(f, 1) if "# no-fix: " in line]
    if len(marked) < 7:
        fail("no_fix.py: only %d marked lines" % len(marked))
    for key in marked:
        if key not in got or got[key]:
            fail("no_fix.py:%d: %s %s" % (key[0], key[1], "has a fix" if key in got else "not flagged"))


def check_link_mode_stdin(tmp):
    real = os.path.join(tmp, "real.py")
    with open(real, "w") as f:
        f.write("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    os.chmod(real, 0o640)
    link = os.path.join(tmp, "link.py")
    os.symlink("real.py", link)
    run(["check", "--fix", "link.py"], tmp)
    if not os.path.islink(link) or "await asyncio.sleep(1)" not in open(real).read():
        fail("--fix through a symlink: link kept %s, target %r" % (os.path.islink(link), open(real).read()))
    if os.stat(real).st_mode & 0o777 != 0o640:
        fail("--fix changed the mode to %o" % (os.stat(real).st_mode & 0o777))
    p = run(["check", "--fix", "--stdin-filename", "s.py"], tmp,
            stdin=b"import time\n\n\nasync def f():\n    time.sleep(1)\n")
    want = b"import asyncio\nimport time\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
    if p.returncode != 0 or p.stdout != want:
        fail("--fix on stdin: exit %d, stdout %r" % (p.returncode, p.stdout))


def main():
    tmp = tempfile.mkdtemp()
    try:
        n_fixtures = n_fixes = 0
        for src, args in fixture_targets():
            for unsafe in (False, True):
                k = check_fixture(src, args, unsafe, tmp)
                n_fixtures += k > 0
                n_fixes += k
        # The test must have something to test: the fixtures hold fixes of each kind.
        if n_fixtures < 5:
            fail("only %d fixture runs had fixes" % n_fixtures)
        for check in (check_no_fix, check_encodings, check_diff, check_unsafe, check_type_checking_import, check_add_noqa, check_link_mode_stdin):
            sub = tempfile.mkdtemp(dir=tmp)
            check(sub)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("fix: %d failure(s)" % len(failures))
        return 1
    print("fix: %d fixture runs with %d fixes applied and re-analyzed; encodings, --diff, --unsafe-fixes, "
          "--add-noqa, links, stdin hold" % (n_fixtures, n_fixes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
