#!/bin/sh
# Runs every test against one build: each $BUILD/*_test program (from tests/*_test.c),
# then each tests/t_*.sh and tests/t_*.py with AA_BIN and AA_BUILD set. A script with the
# line "# suite: release-only" is skipped in the sanitizer run (it checks output formats
# with external validators, not memory safety).
# Usage: tests/suite.sh BUILD_DIR release|asan
set -u
build=$(cd "$1" && pwd)
mode=$2
cd "$(dirname "$0")/.."
export AA_BIN="$build/async-analyzer" AA_BUILD="$build" AA_MODE="$mode"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
pass=0; fail=0; failed=""
# LeakSanitizer's exit scan itself sometimes dies ("Tracer caught signal 11", a known
# sanitizer flake, google/sanitizers#1353): that says nothing about the test, so the test
# runs once more and must then pass whole. A leak report is a failure, never retried.
lsan_flake() {
  echo "$1" | grep -q 'LeakSanitizer has encountered a fatal error' &&
    ! echo "$1" | grep -q 'ERROR: LeakSanitizer: detected memory leaks'
}
run() {
  name=$1; shift
  out=$("$@" 2>&1); rc=$?
  if [ $rc != 0 ] && [ "$mode" = asan ] && lsan_flake "$out"; then
    echo "note [$mode] $name: LeakSanitizer's tracer failed; running it again"
    out=$("$@" 2>&1); rc=$?
  fi
  if [ $rc = 0 ]; then pass=$((pass + 1)); echo "ok   [$mode] $name"
  else fail=$((fail + 1)); failed="$failed $name"; echo "FAIL [$mode] $name (exit $rc)"; echo "$out" | tail -n 60 | sed 's/^/    /'; fi
}
for t in "$build"/*_test; do
  [ -x "$t" ] || continue
  run "$(basename "$t")" "$t"
done
for t in tests/t_*.sh tests/t_*.py; do
  [ -f "$t" ] || continue
  if [ "$mode" = asan ] && grep -q '^# suite: release-only' "$t"; then continue; fi
  case "$t" in
    *.sh) run "$t" sh "$t" ;;
    *.py) run "$t" python3 "$t" ;;
  esac
done
# The plain closing-line form test harnesses read: "<word>: N passed, N failed".
echo "$mode: $pass passed, $fail failed"
[ -z "$failed" ] || echo "$mode failed:$failed"
[ "$fail" = 0 ]
