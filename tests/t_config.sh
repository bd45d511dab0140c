#!/bin/sh
# Configuration files and .gitignore (docs/configuration.md, docs/files.md): the closest
# configuration above each file on a two-project tree, --config and --isolated, every
# key's effect, the command line overriding the file, errors (TOML syntax, unknown key,
# wrong type, unknown rule) as FILE:LINE:COL and exit 2 while valid files pass, severity
# in every output format, --show-settings and --show-files against expected text, and
# git's ignore semantics (negation, directory-only, anchored, nested, **, info/exclude,
# core.excludesFile) with --no-respect-gitignore and a tree outside any repository, and
# the Ruff configuration's ignores (respect-ruff-ignores).
set -u
AA=${AA_BIN:?AA_BIN must name the analyzer}
. "$(dirname "$0")/cli_helpers.sh"
same() { printf '%s\n' "$2" | diff -u - "$tmp/$1" >"$tmp/diff" || { fail "$3"; sed 's/^/    /' "$tmp/diff"; }; }

blocking() { printf 'import time\nasync def f():\n    time.sleep(1)\n' >"$1"; }
fileio() { printf 'async def g(p):\n    return open(p).read()\n' >"$1"; }

# --- the closest configuration file applies (a monorepo of two projects) ---------------
mono=$tmp/mono
mkdir -p "$mono/a/pkg" "$mono/b/sub" "$mono/c"
cat >"$mono/pyproject.toml" <<'EOF'
[project]
name = "mono"

[tool.async-analyzer]
ignore = ["AA104"]
EOF
cat >"$mono/a/pyproject.toml" <<'EOF'
[tool.async-analyzer]
ignore = ["blocking-sleep"]
extend-select = ["AA104"]
EOF
# b: async-analyzer.toml wins over b's pyproject.toml in the same directory.
printf '[tool.async-analyzer]\nselect = ["AA104"]\n' >"$mono/b/pyproject.toml"
printf 'select = ["AA101"]\n' >"$mono/b/async-analyzer.toml"
# c: a pyproject.toml of another tool (not even TOML) is passed over: mono's applies.
printf '[tool.other\nx = 1\n' >"$mono/c/pyproject.toml"
for d in . a/pkg b/sub c; do blocking "$mono/$d/s.py"; fileio "$mono/$d/io.py"; done
expect "monorepo" 1 in_dir "$mono" "$AA" check --format json .
python3 - "$tmp/out" >"$tmp/found" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1])):
    print(f["path"], f["code"])
PY
same found "a/pkg/io.py AA104
b/sub/s.py AA101
c/s.py AA101
s.py AA101" "each file gets the closest configuration's selection"
expect "--show-files" 0 in_dir "$mono" "$AA" check --show-files .
same out "a/pkg/io.py	a/pyproject.toml
a/pkg/s.py	a/pyproject.toml
b/sub/io.py	b/async-analyzer.toml
b/sub/s.py	b/async-analyzer.toml
c/io.py	pyproject.toml
c/s.py	pyproject.toml
io.py	pyproject.toml
s.py	pyproject.toml" "--show-files lists each file with its configuration"
# Run from inside a sub-project, naming a file of the other: each keeps its own.
expect "from inside a" 1 in_dir "$mono/a" "$AA" check pkg ../b/sub/s.py
contains out "../b/sub/s.py:3:5: error: AA101" "b's configuration applies from a's directory"
lacks out "pkg/s.py" "a's configuration applies from a's directory"
expect "--config" 1 in_dir "$mono" "$AA" check --config a/pyproject.toml --format json .
lacks out '"AA101"' "--config applies one file to all"
contains out '"AA104"' "--config: a's selection everywhere"
expect "--isolated" 1 in_dir "$mono" "$AA" check --isolated --format json .
[ "$(grep -o '"code": *"AA10[14]"' "$tmp/out" | wc -l)" = 4 ] || fail "--isolated: every default finding (4 AA101; AA104 is opt-in)"
expect "--config and --isolated" 2 in_dir "$mono" "$AA" check --config pyproject.toml --isolated .

# --- --show-settings: every key and where it came from ----------------------------------
expect "--show-settings" 0 in_dir "$mono" "$AA" check --show-settings a/pkg/s.py --target-version py310
same out "# settings for a/pkg/s.py
# configuration file: a/pyproject.toml
select = []  # default
extend-select = [\"AA104\"]  # a/pyproject.toml:3:1
ignore = [\"blocking-sleep\"]  # a/pyproject.toml:2:1
per-file-ignores = {}  # default
extend-per-file-ignores = {}  # default
severity = { }  # default
blocking-calls = []  # default
transparent-decorators = []  # default
target-version = \"py310\"  # command line (--target-version)
report-in-tests = false  # default
exclude = []  # default
extend-exclude = []  # default
respect-gitignore = true  # default
respect-ruff-ignores = false  # default
src = []  # default
output-format = \"text\"  # default
jobs = (the number of online CPUs)  # default
# rules enabled: AA001 AA002 AA102 AA103 AA104 AA105 AA106 AA108 AA110 AA112 AA201 AA202 AA204 AA206 AA304 AA401 AA402 AA406 AA501 AA502 AA503 AA601 AA602 AA603" \
  "--show-settings output"

# --- keys, and the command line over the file ----------------------------------------------
proj=$tmp/proj
mkdir -p "$proj/tests" "$proj/gen" "$proj/src/app"
cat >"$proj/.async-analyzer.toml" <<'EOF'
# every key once
select = ["AA1", "AA2"]
extend-select = ["AA404"]
exclude = ["gen"]
extend-exclude = ["skip_*.py"]
blocking-calls = ["mylib.fetch_sync"]
transparent-decorators = ["mylib.traced"]
target-version = "py39"
output-format = "json"
jobs = 2
respect-gitignore = true
report-in-tests = true
src = ["src"]

[per-file-ignores]
"tests/*.py" = ["AA101"]

[extend-per-file-ignores]
"tests/**" = ["AA110"]

[severity]
AA101 = "note"
blocking-file-io = "warning"
EOF
blocking "$proj/app.py"
blocking "$proj/tests/test_x.py"
blocking "$proj/gen/g.py"
blocking "$proj/skip_me.py"
cat >"$proj/calls.py" <<'EOF'
import mylib

@mylib.traced
async def traced():
    pass

async def run(timeout=3):
    mylib.fetch_sync()
    traced()
EOF
printf 'import mylib\nasync def t():\n    mylib.fetch_sync()\n' >"$proj/tests/test_y.py"
expect "every key" 1 in_dir "$proj" "$AA" check .
python3 - "$tmp/out" >"$tmp/found" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1])):
    print(f["path"], f["line"], f["code"], f["severity"])
PY
same found "app.py 3 AA101 note
calls.py 7 AA404 note
calls.py 8 AA110 error
calls.py 9 AA201 error" "output-format json, exclude, extend-exclude, per-file-ignores, severity, blocking-calls, transparent-decorators"
contains out "asyncio.wait_for() at the call site" "target-version py39 reaches AA404's message"
# Without transparent-decorators, the decorated coroutine is opaque: no AA201.
expect "--transparent-decorator on the command line replaces the file's" 1 \
  in_dir "$proj" "$AA" check --transparent-decorator other.deco --format text calls.py
lacks out "AA201" "the command line's transparent-decorators replace the file's"
expect "--select over the file" 1 in_dir "$proj" "$AA" check --select AA110 --format text --target-version py312 .
same out "calls.py:8:5: error: AA110 [configured-blocking-call] mylib.fetch_sync() blocks the event loop in async function 'run'; use 'await asyncio.to_thread(...)'
    mylib.fetch_sync()
    ^^^^^^^^^^^^^^^^^^" "--select and --format override the file; tests/** keeps extend-per-file-ignores"
expect "--per-file-ignores over the file" 1 in_dir "$proj" "$AA" check --per-file-ignores 'app.py:AA1' .
contains out '"path": *"tests/test_x.py"' "--per-file-ignores replaces the file's per-file-ignores"
lacks out '"path": *"app.py"' "--per-file-ignores drops app.py's AA101"
expect "--exclude over the file" 1 in_dir "$proj" "$AA" check --exclude nothing .
contains out '"path": *"gen/g.py"' "--exclude replaces the file's exclude"
lacks out "skip_me.py" "extend-exclude still applies"
expect "excluded named file" 0 in_dir "$proj" "$AA" check gen/g.py
for fmt in text sarif github; do
  expect "severity in $fmt" 1 in_dir "$proj" "$AA" check --format $fmt app.py
done
expect "severity text" 1 in_dir "$proj" "$AA" check --format text app.py
contains out "app.py:3:5: note: AA101" "severity in text"
expect "severity sarif" 1 in_dir "$proj" "$AA" check --format sarif app.py
contains out '"level": *"note"' "severity in SARIF"
expect "severity github" 1 in_dir "$proj" "$AA" check --format github app.py
contains out "^::notice file=app.py" "severity in GitHub annotations"
# src: src/app is named app from the src root (although src/ holds an __init__.py), so
# `from app.helper import wait` resolves to src/app/helper.py.
touch "$proj/src/__init__.py" "$proj/src/app/__init__.py"
printf 'import time\ndef wait():\n    time.sleep(1)\n' >"$proj/src/app/helper.py"
printf 'from app.helper import wait\nasync def main():\n    wait()\n' >"$proj/src/app/main.py"
expect "src" 1 in_dir "$proj" "$AA" check --select AA109 --format text .
contains out "src/app/main.py:3:5: error: AA109" "src names modules from the package root"
expect "without src" 0 in_dir "$proj" "$AA" check --isolated --select AA109 .
expect "--src" 1 in_dir "$proj" "$AA" check --isolated --select AA109 --src src .

# --- errors: FILE:LINE:COL, exit 2; valid files pass -----------------------------------------
bad=$tmp/bad
mkdir -p "$bad"
blocking "$bad/x.py"
check_error() { # DESC TOML EXPECTED-MESSAGE
  printf '%s\n' "$2" >"$bad/async-analyzer.toml"
  expect "$1" 2 in_dir "$bad" "$AA" check x.py
  contains err "$3" "$1"
}
check_error "TOML syntax" 'select = ["AA101"' "async-analyzer.toml:1:1: TOML syntax error"
check_error "unknown key" 'selct = ["AA101"]' "async-analyzer.toml:1:1: unknown key 'selct'"
check_error "wrong type" 'select = "AA101"' "async-analyzer.toml:1:10: 'select' must be an array of rule codes, not a string"
check_error "wrong item type" 'ignore = ["AA101", 3]' "async-analyzer.toml:1:20: 'ignore' must be an array of rule codes: item 2 is a integer"
check_error "unknown rule" 'extend-select = ["AA999"]' "async-analyzer.toml:1:18: 'extend-select': unknown rule selector 'AA999'"
check_error "unknown rule in per-file-ignores" '[per-file-ignores]
"x.py" = ["AA1", "nope"]' "async-analyzer.toml:2:18: 'x.py': unknown rule selector 'nope'"
check_error "unknown severity rule" '[severity]
AA999 = "note"' "async-analyzer.toml:2:1: 'severity': unknown rule 'AA999'"
check_error "bad severity" '[severity]
AA101 = "fatal"' "async-analyzer.toml:2:9: 'severity': the severity of AA101 must be"
check_error "bad jobs" 'jobs = 0' "async-analyzer.toml:1:8: 'jobs' must be an integer from 1 to 1024"
check_error "bad version" 'target-version = "3.11"' "async-analyzer.toml:1:18: 'target-version': expected \"py38\" to \"py314\""
check_error "bad format" 'output-format = "xml"' "async-analyzer.toml:1:17: 'output-format': expected"
check_error "bad bool" 'respect-gitignore = "yes"' "async-analyzer.toml:1:21: 'respect-gitignore' must be true or false"
check_error "bad name" 'blocking-calls = ["fetch"]' "async-analyzer.toml:1:19: blocking-calls 'fetch': expected a qualified name"
check_error "duplicate key" 'jobs = 1
jobs = 2' "async-analyzer.toml:2:1: TOML syntax error\|async-analyzer.toml:2:1: key 'jobs' is defined twice"
rm "$bad/async-analyzer.toml"
printf '[tool.async-analyzer]\nselect = 3\n' >"$bad/pyproject.toml"
expect "pyproject error" 2 in_dir "$bad" "$AA" check x.py
contains err "pyproject.toml:2:10: 'select' must be an array" "an error in [tool.async-analyzer]"
printf '[tool]\nasync-analyzer = 1\n' >"$bad/pyproject.toml"
expect "tool.async-analyzer not a table" 2 in_dir "$bad" "$AA" check x.py
printf '[tool.async-analyzer]\nselect = ["AA101"]\n' >"$bad/pyproject.toml"
expect "valid pyproject" 1 in_dir "$bad" "$AA" check x.py
expect "--show-settings with an error" 2 in_dir "$mono" "$AA" check --config "$bad/nope.toml" --show-settings x.py
expect "--config without the table" 2 in_dir "$mono" "$AA" check --config c/pyproject.toml .
expect "bad --per-file-ignores" 2 "$AA" check --per-file-ignores 'x.py' "$bad/x.py"
expect "unknown code in --per-file-ignores" 2 "$AA" check --per-file-ignores 'x.py:AA999' "$bad/x.py"

# --- .gitignore, with git's semantics ----------------------------------------------------
if command -v git >/dev/null 2>&1; then
  repo=$tmp/repo
  mkdir -p "$repo/keep" "$repo/out/deep" "$repo/sub/inner" "$repo/docs" "$repo/a/b/c" "$repo/priv"
  git -C "$repo" init -q
  # negation, directory-only, anchored, **, nested .gitignore, info/exclude, global.
  cat >"$repo/.gitignore" <<'EOF'
*.gen.py
!keep/important.gen.py
out/
/top.py
**/c/*.py
EOF
  printf 'local_*.py\n!local_ok.py\n' >"$repo/sub/.gitignore"
  printf 'priv/\n' >"$repo/.git/info/exclude"
  printf 'global_*.py\n' >"$tmp/global-ignore"
  git -C "$repo" config core.excludesFile "$tmp/global-ignore"
  for f in keep/a.gen.py keep/important.gen.py out/deep/x.py top.py docs/top.py a/b/c/x.py a/x.py \
           sub/local_a.py sub/local_ok.py sub/inner/local_b.py priv/p.py global_g.py main.py; do
    blocking "$repo/$f"
  done
  expect "gitignore" 0 in_dir "$repo" "$AA" check --show-files .
  same out "a/x.py	-
docs/top.py	-
keep/important.gen.py	-
main.py	-
sub/local_ok.py	-" "git's ignore semantics"
  # git itself agrees.
  (cd "$repo" && git add -A && git ls-files -- '*.py' | sort) >"$tmp/gitfiles" 2>/dev/null
  cut -f1 "$tmp/out" | diff - "$tmp/gitfiles" >/dev/null || fail "the files analyzed are the files git tracks"
  expect "--no-respect-gitignore" 0 in_dir "$repo" "$AA" check --show-files --no-respect-gitignore .
  [ "$(wc -l <"$tmp/out")" = 13 ] || fail "--no-respect-gitignore lists all 13 files"
  printf 'respect-gitignore = false\n' >"$repo/async-analyzer.toml"
  expect "respect-gitignore = false" 0 in_dir "$repo" "$AA" check --show-files .
  [ "$(wc -l <"$tmp/out")" = 13 ] || fail "respect-gitignore = false lists all 13 files"
  expect "--respect-gitignore over the file" 0 in_dir "$repo" "$AA" check --show-files --respect-gitignore .
  [ "$(wc -l <"$tmp/out")" = 5 ] || fail "--respect-gitignore overrides the file"
  rm "$repo/async-analyzer.toml"
  expect "a named ignored directory is walked" 0 in_dir "$repo" "$AA" check --show-files out
  same out "out/deep/x.py	-" "a named ignored directory is analyzed"
  expect "a named ignored file is analyzed" 1 in_dir "$repo" "$AA" check top.py
  # Outside any repository nothing is ignored.
  mkdir -p "$tmp/plain"
  cp "$repo/.gitignore" "$tmp/plain/.gitignore"
  blocking "$tmp/plain/top.py"
  expect "no repository" 0 in_dir "$tmp/plain" "$AA" check --show-files .
  same out "top.py	-" "a .gitignore outside a repository is not read"
fi

# --- the project's Ruff configuration: off by default, switched on by the flag or the key
# (fixtures/aa2/ruff_config_project checks what it ignores) ------------------------------
ruff=$tmp/ruff
mkdir -p "$ruff"
blocking "$ruff/s.py"
printf '[tool.ruff.lint]\nignore = ["ASYNC251"]\n' >"$ruff/pyproject.toml"
expect "Ruff's ignore not respected by default" 1 in_dir "$ruff" "$AA" check s.py
expect "--respect-ruff-ignores" 0 in_dir "$ruff" "$AA" check --respect-ruff-ignores s.py
printf 'respect-ruff-ignores = true\n' >"$ruff/async-analyzer.toml"
expect "respect-ruff-ignores = true" 0 in_dir "$ruff" "$AA" check s.py
expect "--no-respect-ruff-ignores over the file" 1 in_dir "$ruff" "$AA" check --no-respect-ruff-ignores s.py

# --- test code is read below the root that found a file, absolute or not -------------
spare=$tmp/spare
mkdir -p "$spare/tests" "$spare/scripts" "$spare/app"
blocking "$spare/tests/helper.py"
blocking "$spare/scripts/job.py"
blocking "$spare/app/service.py"
expect "test code under an absolute root" 1 in_dir "$tmp" "$AA" check --format json "$spare"
python3 -c 'import json,sys; print(" ".join(sorted(f["path"] for f in json.load(open(sys.argv[1])) if "code" in f)))' \
  "$tmp/out" >"$tmp/paths"
same paths "$spare/app/service.py" "below an absolute root, tests/ and scripts/ are spared, app/ is not"
# A directory named on the command line is what the user asked about; a file named itself
# (pre-commit's way) is judged by its path.
expect "scripts/ named" 1 in_dir "$spare" "$AA" check scripts
expect "scripts/job.py named" 0 in_dir "$spare" "$AA" check scripts/job.py app/../scripts/job.py

[ "$failures" = 0 ] && echo "config: all checks passed"
[ "$failures" = 0 ]
