#!/bin/sh
# Command-line contract: exit statuses, option syntax, selection semantics, file-wide
# noqa, walking (unreadable directories, symbolic links), decoding failures, stdin,
# --output (special files, write failures), escaped file names, SARIF's rule list,
# determinism across --jobs, --statistics, the concurrency-checker preset, `rule`.
set -u
AA=${AA_BIN:?AA_BIN must name the analyzer}
BUILD=${AA_BUILD:-$(dirname "$AA")}
. "$(dirname "$0")/cli_helpers.sh"

mkdir -p "$tmp/p/sub"
cat >"$tmp/p/bad.py" <<'PY'
import time
async def f():
    time.sleep(1)
PY
cat >"$tmp/p/clean.py" <<'PY'
import asyncio
async def f():
    await asyncio.sleep(1)
PY
cp "$tmp/p/bad.py" "$tmp/p/sub/bad2.py"
printf '# async-analyzer: noqa\n' | cat - "$tmp/p/bad.py" >"$tmp/p/skipped.py"

expect "clean file" 0 "$AA" check "$tmp/p/clean.py"
expect "finding" 1 "$AA" check "$tmp/p/bad.py"
contains out "bad.py:3:5: error: AA101 \[blocking-sleep\] time.sleep() blocks the event loop in async function 'f'" "text format"
contains err "Found 1 finding" "summary on stderr"
expect "--exit-zero" 0 "$AA" check --exit-zero "$tmp/p/bad.py"
expect "file noqa" 0 "$AA" check "$tmp/p/skipped.py"
cat "$tmp/p/bad.py" - >"$tmp/p/file_codes.py" <<'PY'
# async-analyzer: noqa: AA101,AA104
PY
expect "file-wide noqa codes" 0 "$AA" check "$tmp/p/file_codes.py"
expect "file-wide noqa codes, another file" 1 "$AA" check "$tmp/p/file_codes.py" "$tmp/p/bad.py"
contains out "^$tmp/p/bad.py:3:5: error: AA101" "a file-wide noqa does not reach other files"
lacks out "file_codes.py" "file-wide noqa codes"
expect "unknown selector" 2 "$AA" check --select AA999 "$tmp/p/bad.py"
contains err "unknown rule selector 'AA999'" "unknown selector message"
expect "unknown option" 2 "$AA" check --frobnicate "$tmp/p/bad.py"
expect "missing path" 2 "$AA" check "$tmp/p/nope.py"
expect "missing path wins over findings" 2 "$AA" check "$tmp/p/bad.py" "$tmp/p/nope.py"
expect "bad --jobs" 2 "$AA" check --jobs 0 "$tmp/p/bad.py"
expect "bad --format" 2 "$AA" check --format xml "$tmp/p/bad.py"
# A short option's value may be attached, as getopt allows: -j1 is -j 1.
expect "-j1" 1 "$AA" check -j1 "$tmp/p/bad.py"
expect "-j0" 2 "$AA" check -j0 "$tmp/p/bad.py"
contains err "--jobs '0'" "-j0 is a bad --jobs value"
expect "-oFILE" 1 "$AA" check --format json "-o$tmp/attached.json" "$tmp/p/bad.py"
grep -q '"code": "AA101"' "$tmp/attached.json" || fail "-oFILE did not write FILE"
# A selection that names nothing is a usage error, not an empty selection.
expect "--select ''" 2 "$AA" check --select '' "$tmp/p/bad.py"
contains err "--select '': expected a rule code, name, prefix or ALL" "--select '' message"
expect "--select ," 2 "$AA" check --select , "$tmp/p/bad.py"
expect "--select=" 2 "$AA" check --select= "$tmp/p/bad.py"
# --stdin-filename reads standard input only: paths beside it are a usage error.
expect "--stdin-filename with paths" 2 sh -c "\"$AA\" check --stdin-filename x.py \"$tmp/p/bad.py\" < \"$tmp/p/clean.py\""
contains err "--stdin-filename reads standard input: remove the paths" "--stdin-filename with paths message"

# Selection: the more specific selector wins, whatever the order.
expect "select code, ignore prefix" 1 "$AA" check --select AA101 --ignore AA1 "$tmp/p/bad.py"
expect "ignore prefix, select code" 1 "$AA" check --ignore AA1 --select AA101 "$tmp/p/bad.py"
expect "select prefix, ignore code" 0 "$AA" check --select AA1 --ignore AA101 "$tmp/p/bad.py"
expect "ignore by name" 0 "$AA" check --ignore blocking-sleep "$tmp/p/bad.py"
expect "select by name" 1 "$AA" check --select blocking-sleep "$tmp/p/bad.py"
expect "select ALL" 1 "$AA" check --select ALL "$tmp/p/bad.py"
expect "select other family" 0 "$AA" check --select AA0 "$tmp/p/bad.py"
expect "extend-select" 1 "$AA" check --select AA0 --extend-select AA101 "$tmp/p/bad.py"
if "$AA" rule AA111 >/dev/null 2>&1; then
  printf 'import os\nasync def f(p):\n    return os.path.exists(p)\n' >"$tmp/opt.py"
  expect "opt-in rule off by default" 0 "$AA" check "$tmp/opt.py"
  expect "a prefix does not enable an opt-in rule" 0 "$AA" check --select AA1 "$tmp/opt.py"
  expect "exact code enables an opt-in rule" 1 "$AA" check --select AA111 "$tmp/opt.py"
  expect "ALL enables an opt-in rule" 1 "$AA" check --select ALL "$tmp/opt.py"
fi

# Directories and excludes.
expect "directory" 1 "$AA" check "$tmp/p"
contains out "sub/bad2.py:3:5" "walked into sub/"
expect "exclude a directory component" 1 "$AA" check --exclude sub "$tmp/p"
lacks out "bad2.py" "--exclude sub"
expect "exclude a file named explicitly" 0 in_dir "$tmp/p" "$AA" check --exclude 'bad.py' bad.py

# Walking: an unreadable sub-directory is an AA002, a symbolic link loop is called one
# (not "dangling"), a directory link that leads out of the command-line root is not
# followed. Permissions bind root only without the capabilities that bypass them.
mkdir -p "$tmp/w/d/secret" "$tmp/w/d/loop"
cp "$tmp/p/bad.py" "$tmp/w/d/top.py"
cp "$tmp/p/bad.py" "$tmp/w/d/secret/hidden.py"
ln -s b.py "$tmp/w/d/a.py"
ln -s a.py "$tmp/w/d/b.py"
ln -s .. "$tmp/w/d/loop/up"
expect "symbolic link loop" 1 in_dir "$tmp/w" "$AA" check d
contains out "^d/a.py:1:1: error: AA002 \[unreadable-file\] symbolic link loop" "a link loop is called a loop"
lacks out "dangling" "a link loop is not dangling"
expect "directory link out of the root" 0 in_dir "$tmp/w" "$AA" check --format json d/loop
lacks out "d/loop/up" "a directory link out of the root is not followed"
unpriv=
[ "$(id -u)" = 0 ] && unpriv="setpriv --bounding-set=-dac_override,-dac_read_search"
chmod 0 "$tmp/w/d/secret"
if $unpriv sh -c "! cat '$tmp/w/d/secret/hidden.py'" 2>/dev/null; then
  expect "unreadable sub-directory" 1 in_dir "$tmp/w" $unpriv "$AA" check d
  contains out "^d/secret:1:1: error: AA002 \[unreadable-file\] cannot read directory: Permission denied" \
    "an unreadable sub-directory is an AA002"
else
  echo "note: permissions do not bind here (no setpriv?): unreadable sub-directory check skipped"
fi
chmod 755 "$tmp/w/d/secret"

# A PEP 263 declaration of an encoding that is not ASCII-compatible: an AA002 with the
# reason, not a file of other text (an even length decodes without an error).
printf '# coding: utf-16\nx = 12\n' >"$tmp/utf16.py"
expect "coding: utf-16 on an ASCII file" 1 "$AA" check "$tmp/utf16.py"
contains out "utf16.py:1:1: error: AA002 \[unreadable-file\] encoding problem: 'utf-16' is not ASCII-compatible" \
  "an ASCII-incompatible declaration is an AA002"

# stdin.
expect "stdin" 1 sh -c "\"$AA\" check --stdin-filename app/handler.py < \"$tmp/p/bad.py\""
contains out "app/handler.py:3:5: error: AA101" "stdin reported under --stdin-filename"
expect "stdin excluded" 0 sh -c "\"$AA\" check --stdin-filename app/handler.py --exclude 'app/**' < \"$tmp/p/bad.py\""

# A pyproject.toml with a key before any table, beside an async test: read, no crash.
mkdir -p "$tmp/toml"
printf 'line-length = 100\n' >"$tmp/toml/pyproject.toml"
printf 'async def test_x():\n    pass\n' >"$tmp/toml/test_a.py"
expect "pyproject.toml key before any table" 0 "$AA" check "$tmp/toml"

# --output: whole or nothing; failures are exit 2.
expect "--output" 1 "$AA" check --format json -o "$tmp/report.json" "$tmp/p/bad.py"
[ -s "$tmp/report.json" ] || fail "--output wrote nothing"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[0]['code']=='AA101'" "$tmp/report.json" || fail "--output is not the JSON report"
[ -z "$(ls "$tmp" | grep 'tmp[A-Za-z0-9]\{6\}$')" ] || fail "--output left a temporary file"
[ ! -s "$tmp/out" ] || fail "--output also wrote to stdout"
expect "--output into a missing directory" 2 "$AA" check -o "$tmp/missing/dir/r.txt" "$tmp/p/bad.py"
contains err "cannot write '$tmp/missing/dir/r.txt': No such file or directory" "--output failure says why"
lacks err "Found 1 finding" "no summary of a report that was not written"
# Only a regular file is replaced (atomically); a FIFO, a device or a symbolic link at
# the path is written through and stays what it is.
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" >"$tmp/fifo.got" &
reader=$!
expect "--output into a FIFO" 1 timeout 20 "$AA" check --format json -o "$tmp/fifo" "$tmp/p/bad.py"
wait "$reader"
[ -p "$tmp/fifo" ] || fail "--output replaced a FIFO"
grep -q '"code": "AA101"' "$tmp/fifo.got" || fail "--output did not write into the FIFO's reader"
printf 'old\n' >"$tmp/target.json"
ln -s target.json "$tmp/link.json"
expect "--output through a symbolic link" 1 "$AA" check --format json -o "$tmp/link.json" "$tmp/p/bad.py"
[ -L "$tmp/link.json" ] || fail "--output replaced a symbolic link"
grep -q '"code": "AA101"' "$tmp/target.json" || fail "--output did not write the link's target"
# A character device: a null device of our own when we may make one (as root), else
# /dev/null itself (which then cannot be replaced anyway).
null=/dev/null
mknod "$tmp/null" c 1 3 2>/dev/null && null=$tmp/null
expect "--output onto a character device" 1 "$AA" check -o "$null" "$tmp/p/bad.py"
[ -c "$null" ] || fail "--output replaced the character device $null"
if [ -w /dev/full ]; then
  expect "full disk on stdout" 2 sh -c "\"$AA\" check --format json \"$tmp/p\" > /dev/full"
fi
python3 - "$AA" "$tmp/p" <<'PY' || fail "closed pipe is not exit 2"
import subprocess, sys
p = subprocess.Popen([sys.argv[1], "check", "--format", "sarif", sys.argv[2]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
p.stdout.close()
sys.exit(0 if p.wait() == 2 else 1)
PY

# SARIF: executionSuccessful is false exactly when the exit status is 2.
expect "sarif with findings" 1 "$AA" check --format sarif "$tmp/p/bad.py"
python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['runs'][0]['invocations'][0]['executionSuccessful'] is True" "$tmp/out" || fail "executionSuccessful should be true on exit 1"
expect "sarif with a usage error" 2 "$AA" check --format sarif "$tmp/p/bad.py" "$tmp/p/nope.py"
python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['runs'][0]['invocations'][0]['executionSuccessful'] is False" "$tmp/out" || fail "executionSuccessful should be false on exit 2"

# SARIF embeds the rules of the selection (AA001 and AA002 are always on), not all.
expect "sarif of a selection" 1 "$AA" check --format sarif --select AA101 "$tmp/p/bad.py"
python3 - "$tmp/out" <<'PY' || fail "sarif: driver.rules is not the selection"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
res = run["results"][0]
sys.exit(not (ids == ["AA001", "AA002", "AA101"] and res["ruleId"] == "AA101" and res["ruleIndex"] == 2))
PY

# Determinism: any --jobs gives byte-identical output.
"$AA" check --format json --jobs 1 fixtures >"$tmp/j1.json" 2>/dev/null
"$AA" check --format json --jobs 8 fixtures >"$tmp/j8.json" 2>/dev/null
cmp -s "$tmp/j1.json" "$tmp/j8.json" || fail "--jobs 1 and --jobs 8 differ"
[ -s "$tmp/j1.json" ] || fail "no output on fixtures"

# --timings: phases on stderr, the report on stdout unchanged; on-demand reading counted
# (the helper project's sync modules are read only because async code calls into them).
"$AA" check --format json --jobs 2 --timings fixtures >"$tmp/jt.json" 2>"$tmp/err"
cmp -s "$tmp/j1.json" "$tmp/jt.json" || fail "--timings changed the report"
contains err "^timings: discovery [0-9.]* s; per-file phase [0-9.]* s ([0-9]* files\?, [0-9]* parsed); cross-file phase" "--timings line"
grep -q "on-demand [0-9.]* s: [1-9][0-9]* rounds\?, [1-9][0-9]* files\?" "$tmp/err" || fail "--timings: no on-demand round on fixtures: $(cat "$tmp/err")"

# Colour only when asked (stdout is not a TTY here).
expect "colour never on a pipe" 1 "$AA" check "$tmp/p/bad.py"
lacks out "$(printf '\033')" "no ANSI escapes on a pipe"
expect "--color always" 1 "$AA" check --color always "$tmp/p/bad.py"
contains out "$(printf '\033')" "--color always"

# File names are arbitrary bytes: in text and GitHub output an escape sequence does not
# reach the terminal and a newline does not forge a finding line (both shown as \xHH).
mkdir -p "$tmp/names"
python3 - "$tmp/names" "$tmp/p/bad.py" <<'PY'
import os, shutil, sys
shutil.copy(sys.argv[2], os.path.join(sys.argv[1], "a\033[2J.py"))
shutil.copy(sys.argv[2], os.path.join(sys.argv[1], "b.py:9:9: error: AA999 forged\nc.py"))
PY
for fmt in text github; do
  expect "control characters in file names ($fmt)" 1 "$AA" check --format "$fmt" "$tmp/names"
  lacks out "$(printf '\033')" "no escape sequence from a file name ($fmt)"
  contains out 'a\\x1b\[2J\.py' "an escaped ESC in a file name ($fmt)"
  # GitHub's own escaping of a line end is %0A.
  nl='\\x0a'; [ "$fmt" = github ] && nl=%0A
  contains out "forged${nl}c\\.py" "an escaped newline in a file name ($fmt)"
  lacks out '^c\.py' "no forged line ($fmt)"
done

# --statistics: one line per code, most frequent first, counted across files; a
# suppressed finding is not counted.
mkdir -p "$tmp/stats/sub"
cat >"$tmp/stats/a.py" <<'PY'
import subprocess
import time
async def f():
    time.sleep(1)
    subprocess.run(["ls"])
    time.sleep(2)
PY
cat >"$tmp/stats/sub/b.py" <<'PY'
import subprocess
import time
async def g():
    subprocess.run(["ls"])
    time.sleep(3)  # noqa: AA101
async def h():
    subprocess.run(["ls"])
PY
printf '  3  AA103  [blocking-subprocess]\n  2  AA101  [blocking-sleep]\n  5  total\n' >"$tmp/stats.want"
expect "--statistics" 1 "$AA" check --statistics "$tmp/stats"
cmp -s "$tmp/stats.want" "$tmp/out" ||
  { fail "--statistics: output differs (- expected, + got)"; diff -u "$tmp/stats.want" "$tmp/out" | sed 's/^/    /'; }
expect "--statistics --format json" 1 "$AA" check --statistics --format json "$tmp/stats"
python3 - "$tmp/out" <<'PY' || fail "--statistics --format json: not the JSON counts: $(cat "$tmp/out")"
import json, sys
want = [{"code": "AA103", "name": "blocking-subprocess", "count": 3},
        {"code": "AA101", "name": "blocking-sleep", "count": 2}]
sys.exit(json.load(open(sys.argv[1])) != want)
PY

# The concurrency-checker preset runs the AA3xx family only.
if [ -e "$BUILD/concurrency-checker" ]; then
  expect "concurrency-checker preset" 0 "$BUILD/concurrency-checker" check "$tmp/p/bad.py"
  expect "concurrency-checker --select" 1 "$BUILD/concurrency-checker" check --select AA101 "$tmp/p/bad.py"
else
  fail "build/concurrency-checker is missing"
fi

# A long callee keeps its final name whole in the message: the receiver is shortened.
cat >"$tmp/long.py" <<'PY'
import pathlib
async def f():
    pathlib.Path(__file__).parent.parent.parent.parent.parent.parent.parent.parent.touch()
PY
expect "long callee" 1 "$AA" check --extend-select AA104 "$tmp/long.py"
contains out "pathlib.Path(__file__).parent.parent.parent.parent...touch() blocks" "long callee shortened before its name"

# Callees are quoted as written (arguments and blanks kept), on one line.
cat >"$tmp/written.py" <<'PY'
import pathlib
import time
async def f():
    time . sleep(1)
    pathlib.Path( "a b" ).write_text("x")
    time.\
        sleep(2)
PY
expect "callee as written" 1 "$AA" check --extend-select AA104 "$tmp/written.py"
contains out "time . sleep() blocks" "callee quoted as written"
contains out "pathlib.Path( \"a b\" ).write_text() blocks" "arguments of a receiver quoted as written"
contains out ":6:5: error: AA101 .blocking-sleep. time.sleep() blocks" "a continued callee on one line"

# An aliased import is named for what it is; a fix's prose is not quoted as code.
cat >"$tmp/alias.py" <<'PY'
import sqlite3
from time import sleep as zz
async def f(conn: sqlite3.Connection):
    zz(1)
    conn.execute("select 1")
PY
expect "aliased callee" 1 "$AA" check --extend-select AA113 "$tmp/alias.py"
contains out "time.sleep() (imported as zz) blocks" "an aliased import is named by what it is"
contains out "use 'aiosqlite' (the same calls, awaited)" "the fix's prose stays outside the quotes"

# rule, --version, --help.
expect "rule AA101" 0 "$AA" rule AA101
contains out "# AA101 blocking-sleep" "rule page title"
expect "rule by name" 0 "$AA" rule blocking-sleep
expect "unknown rule" 2 "$AA" rule AA999
expect "rule by a peer's code" 0 "$AA" rule ASYNC251
contains out "# AA101 blocking-sleep" "rule ASYNC251 shows AA101's page"
expect "rule --all" 0 "$AA" rule --all
contains out "AA001" "rule --all lists AA001"
expect "--version" 0 "$AA" --version
contains out "async-analyzer " "--version"
expect "--help" 0 "$AA" --help
for flag in --select --ignore --extend-select --exclude --stdin-filename --jobs --format --output --color --exit-zero --statistics --timings --blocking-call --context; do
  contains out "$flag" "--help explains $flag"
done

[ "$failures" = 0 ] && echo "cli: all checks passed"
[ "$failures" = 0 ]
