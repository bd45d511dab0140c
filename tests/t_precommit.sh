#!/bin/sh
# suite: release-only
# The pre-commit hooks of .pre-commit-hooks.yaml as a user meets them: Debian's pre-commit,
# a project whose .pre-commit-config.yaml names this repository by path and a commit, and
# git commit. The hook builds its own analyzer on first use (tools/pre-commit-hook.sh), so
# this test checks the hook files of the working tree, not $AA_BIN: they are committed to a
# scratch repository first. A staged blocking call fails the commit, a clean file passes,
# only staged files are reported, concurrency-checker runs only the AA3xx rules, and a
# staged coroutine calling a blocking helper in a committed module fails (AA109).
set -eu
cd "$(dirname "$0")/.."
command -v pre-commit >/dev/null || { echo "pre-commit is missing: tools/deps.sh --tests installs it"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Nothing outside $tmp: pre-commit's cache, git's global configuration and identity.
export PRE_COMMIT_HOME="$tmp/cache" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
fail() { echo "FAIL: $*"; [ ! -f "$tmp/out" ] || sed 's/^/    /' "$tmp/out"; exit 1; }

# The hook repository: the working tree's files (tracked and new, not ignored), committed.
mkdir "$tmp/hooks"
git ls-files -z -c -o --exclude-standard --deduplicate | tar --null -T - -cf - | tar -xf - -C "$tmp/hooks"
git -C "$tmp/hooks" init -q
git -C "$tmp/hooks" add -A
git -C "$tmp/hooks" commit -q -m snapshot
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

mkdir -p "$tmp/proj/app"
cd "$tmp/proj"
git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: async-analyzer
      - id: concurrency-checker
YAML
git add .pre-commit-config.yaml
pre-commit install >/dev/null

# A clean file: the commit passes (and the first use builds the analyzer).
cat >app/clean.py <<'PY'
import asyncio


async def tick():
    await asyncio.sleep(1)
PY
# A blocking call in a file that is not staged: pre-commit must not pass it to the hook.
cat >app/unstaged.py <<'PY'
import time


async def tick():
    time.sleep(1)
PY
git add app/clean.py
git commit -q -m clean >"$tmp/out" 2>&1 || fail "a clean staged file failed the commit"
grep -q '^async-analyzer\.*Passed' "$tmp/out" || fail "async-analyzer did not pass the clean commit"
grep -q '^concurrency-checker\.*Passed' "$tmp/out" || fail "concurrency-checker did not pass the clean commit"
[ -x "$PRE_COMMIT_HOME"/repo*/build-pre-commit/async-analyzer ] || fail "the hook's analyzer was not built in pre-commit's cache"

# A staged blocking call: async-analyzer fails the commit with the finding;
# concurrency-checker (AA3xx only) passes the same file.
cat >app/service.py <<'PY'
import time


async def handle():
    time.sleep(1)
PY
git add app/service.py
if git commit -q -m blocking >"$tmp/out" 2>&1; then fail "a staged time.sleep in async def did not fail the commit"; fi
grep -q '^async-analyzer\.*Failed' "$tmp/out" || fail "async-analyzer did not fail"
grep -q 'app/service.py:5:5: error: AA101' "$tmp/out" || fail "the report lacks the AA101 finding"
grep -q '^concurrency-checker\.*Passed' "$tmp/out" || fail "concurrency-checker reported a non-AA3xx finding"
grep -q 'unstaged.py' "$tmp/out" && fail "the hook analyzed a file that was not staged"
[ "$(git rev-list --count HEAD)" = 1 ] || fail "the failed commit was made"
git rm -q --cached app/service.py

# Cross-file: a committed sync helper that sleeps, then a staged coroutine calling it. Only
# the caller is staged; the hook still follows the call into the helper's module (AA109,
# opt-in: selected by the project's configuration, which the hook reads).
printf '[tool.async-analyzer]\nextend-select = ["AA109"]\n' >pyproject.toml
git add pyproject.toml
git commit -q -m config >"$tmp/out" 2>&1 || fail "the configuration failed the commit"
touch app/__init__.py
cat >app/helpers.py <<'PY'
import time


def pause():
    time.sleep(1)
PY
git add app/__init__.py app/helpers.py
git commit -q -m helpers >"$tmp/out" 2>&1 || fail "a sync helper failed the commit"
cat >app/handler.py <<'PY'
from app.helpers import pause


async def handle():
    pause()
PY
git add app/handler.py
if git commit -q -m caller >"$tmp/out" 2>&1; then fail "a staged call to a blocking helper in another module passed"; fi
grep -q 'app/handler.py:5:5: error: AA109' "$tmp/out" || fail "the report lacks AA109 through app/helpers.py"
grep -q 'app/service.py' "$tmp/out" && fail "the hook reported a file that was not staged"
echo "ok: pre-commit hooks from $rev"
