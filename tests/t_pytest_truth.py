#!/usr/bin/env python3
"""AA601/AA602 against what pytest really does on the fixture projects of fixtures/aa6.

Each project is copied to a temporary directory (with an empty .git, the analyzer's project
root), then pytest runs once per directory that holds Python files, its subdirectories
ignored, so that pytest picks the configuration nearest to those files as the analyzer does.

- AA601 (no false alarm): every test the analyzer reports is one pytest skips with "async
  def function and no async plugin installed".
- AA601 (no missed alarm): every test pytest skips so is reported, except the few in
  EXPECTED_MISSES (each with the reason the analyzer stays quiet on purpose).
- AA602: fixture FX is reported exactly when its consumer test `test_uses_FX` fails (the
  consumer asserts it did not get an awaitable); the consumer is in FX's file, or in any
  file when FX is a conftest.py's.
- A directory whose configuration pytest refuses runs no test: no finding there.
- A test file that a run of pytest from its rootdir does not collect (the configuration's
  --ignore, --ignore-glob, norecursedirs, a conftest's collect_ignore) counts as not
  collected, though the per-directory run names its directory and so collects it: pytest
  applies those exclusions only below the paths it is given.

Needs pytest and pytest-asyncio in some interpreter (Debian: python3-pytest-asyncio,
installed by tools/deps.sh --tests). Without them the test fails, saying what to install:
a missing dependency must not pass for a verdict.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AA_BIN = os.environ.get("AA_BIN", os.path.join(ROOT, "build", "async-analyzer"))
FIXTURES = os.path.join(ROOT, "fixtures", "aa6")
NOT_RUN = "async def function and no async plugin installed"
FINDING_RE = re.compile(r"^(.*?):(\d+):(\d+): (?:error|warning|note): (AA60[12]) \[[^\]]*\] async (?:test|fixture) `([^`]+)`")

# (project, file, test): skipped by pytest here, not reported on purpose.
EXPECTED_MISSES = {
    # anyio / trio marks and modes: the analyzer trusts them; their plugins are not
    # installed next to Debian's pytest-asyncio, so pytest skips these tests here.
    ("strict_project", "test_anyio.py", "test_root"),
    ("strict_project", "test_trio_mark.py", "test_trio"),
    ("strict_project", "test_anyio_backend.py", "test_uses_backend"),
    ("pyproject_project", "test_trio_mode.py", "test_runs"),
    # fixtures and marks of other plugins (aiohttp's legacy plugin, pytest-tornasync,
    # pytest-asyncio-cooperative) that are not installed here
    ("strict_project", "test_other_plugins.py", "test_legacy_aiohttp_plugin"),
    ("strict_project", "test_other_plugins.py", "test_tornasync"),
    ("strict_project", "test_other_plugins.py", "test_cooperative"),
    # the project declares a plugin that runs coroutine tests (not installed here) and
    # not pytest-asyncio: strict mode is not what runs them
    ("sanic_requirements_project", "test_app.py", "test_handler"),
    ("setup_extras_project", "test_web.py", "test_get"),
    ("tox_anyio_project", "test_any.py", "test_any"),
    ("trio_groups_project", "test_trio.py", "test_nursery"),
    # a decorator the analyzer cannot name may run the coroutine: quiet (precision first)
    ("strict_project", "test_unmarked.py", "test_unknown_decorator"),
    # a script run by hand (its __main__ block runs an event loop): its async tests are its
    # steps, and readers did not act on such findings (docs/precision.md, study 16)
    ("strict_project", "test_manual_script.py", "test_connection"),
    # suppressed with noqa
    ("strict_project", "test_other_plugins.py", "test_suppressed"),
    # the lazy lookup reads the configuration only for files with `async def test*`
    ("tox_project", "check_api.py", "check_unmarked"),
}


def find_python():
    for exe in (sys.executable, "/usr/bin/python3", shutil.which("python3")):
        if not exe or not os.path.exists(exe):
            continue
        p = subprocess.run([exe, "-c", "import pytest, pytest_asyncio"], capture_output=True)
        if p.returncode == 0:
            return exe
    return None


def analyzer_findings(project_dir):
    p = subprocess.run([AA_BIN, "check", "--color", "never", "--select", "AA601,AA602", "."], cwd=project_dir,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"FAIL analyzer exit {p.returncode}: {p.stderr}")
    found = set()
    for line in p.stdout.splitlines():
        m = FINDING_RE.match(line)
        if m:
            found.add((m.group(4), os.path.basename(m.group(1)), m.group(5)))
    return found


ROOTDIR_RE = re.compile(r"^rootdir: (.*?)(?:, (?:configfile|inifile|testpaths|plugins): .*)?$", re.M)


def collected_files(python, rootdir, cache):
    """The absolute paths of the files a plain run of pytest from rootdir collects."""
    if rootdir not in cache:
        p = subprocess.run([python, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", rootdir],
                           cwd=rootdir, capture_output=True, text=True)
        cache[rootdir] = {os.path.normpath(os.path.join(rootdir, line.split("::", 1)[0]))
                          for line in p.stdout.splitlines() if "::" in line}
    return cache[rootdir]


def pytest_outcomes(python, project_dir):
    """{(file basename, [Class.]test): outcome} with outcome 'not-run', 'failed', 'passed', ...
    Tests in files that a run from the rootdir does not collect are left out."""
    outcomes = {}
    collected = {}
    for dirpath, dirnames, filenames in os.walk(project_dir):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        if not any(f.endswith(".py") for f in filenames):
            continue
        xml = os.path.join(tempfile.mkdtemp(), "out.xml")
        cmd = [python, "-m", "pytest", "-p", "no:cacheprovider", "-o", "junit_family=xunit1",
               f"--junitxml={xml}", dirpath]
        cmd += [f"--ignore={os.path.join(dirpath, d)}" for d in dirnames]
        p = subprocess.run(cmd, cwd=project_dir, capture_output=True, text=True)
        if not os.path.exists(xml):
            continue  # pytest refused to start (a malformed configuration): nothing ran
        m = ROOTDIR_RE.search(p.stdout)
        if not m:
            raise SystemExit(f"FAIL t_pytest_truth: no rootdir in pytest's header for {dirpath}:\n{p.stdout}")
        rootdir = m.group(1)
        for tc in ET.parse(xml).iter("testcase"):
            if os.path.normpath(os.path.join(rootdir, tc.get("file") or "")) not in collected_files(python, rootdir,
                                                                                                    collected):
                continue
            f = os.path.basename(tc.get("file") or "")
            stem = f[:-3]
            parts = (tc.get("classname") or "").split(".")
            name = re.sub(r"\[.*\]$", "", tc.get("name") or "")
            if parts and parts[-1] != stem:
                name = f"{parts[-1]}.{name}"
            kids = list(tc)
            if any(k.tag == "skipped" and NOT_RUN in (k.get("message") or "") for k in kids):
                outcome = "not-run"
            elif any(k.tag in ("failure", "error") for k in kids):
                outcome = "failed"
            elif any(k.tag == "skipped" for k in kids):
                outcome = "skipped"
            else:
                outcome = "passed"
            outcomes[(f, name)] = outcome
    return outcomes


def main():
    python = find_python()
    if python is None:
        print("FAIL t_pytest_truth: no interpreter with pytest and pytest-asyncio "
              "(install python3-pytest-asyncio: tools/deps.sh --tests)")
        return 1
    problems = []
    projects = sorted(d for d in os.listdir(FIXTURES) if os.path.exists(os.path.join(FIXTURES, d, "FIXTURE_PROJECT")))
    if not projects:
        print("FAIL no fixture project under fixtures/aa6")
        return 1
    checked = 0
    for project in projects:
        tmp = tempfile.mkdtemp(prefix="aa6-truth-")
        try:
            copy = os.path.join(tmp, project)
            shutil.copytree(os.path.join(FIXTURES, project), copy)
            os.mkdir(os.path.join(copy, ".git"))
            found = analyzer_findings(copy)
            outcomes = pytest_outcomes(python, copy)
            checked += len(outcomes)
            reported = {(f, n) for code, f, n in found if code == "AA601"}
            not_run = {k for k, v in outcomes.items() if v == "not-run"}
            for f, n in sorted(reported - not_run):
                problems.append(f"  {project}: AA601 on {f}::{n}, but pytest says {outcomes.get((f, n), 'not collected')}")
            for f, n in sorted(not_run - reported):
                if (project, f, n) not in EXPECTED_MISSES:
                    problems.append(f"  {project}: pytest does not run {f}::{n}, and AA601 is quiet")
            fixtures = {(f, n) for code, f, n in found if code == "AA602"}
            for (f, test), outcome in sorted(outcomes.items()):
                if not test.startswith("test_uses_"):
                    continue
                fx = test[len("test_uses_"):]
                reported = (f, fx) in fixtures or ("conftest.py", fx) in fixtures
                if (outcome == "failed") != reported:
                    problems.append(f"  {project}: {f}::{test} {outcome}, AA602 on fixture {fx}: {reported}")
            for f, fx in sorted(fixtures):
                if not any(t == "test_uses_" + fx and (tf == f or f == "conftest.py") for tf, t in outcomes):
                    problems.append(f"  {project}: AA602 on {f}::{fx}, which no test_uses_{fx} checks")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if not checked:
        problems.append("  pytest ran no test at all")
    if problems:
        print("FAIL t_pytest_truth: the analyzer and pytest disagree")
        print("\n".join(problems))
        return 1
    print(f"t_pytest_truth: {len(projects)} projects, {checked} pytest outcomes agree with AA601/AA602 ({python})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
