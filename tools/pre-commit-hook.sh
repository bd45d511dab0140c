#!/bin/sh
# The entry of the hooks in .pre-commit-hooks.yaml (pre-commit's `language: script`: it runs
# this file from its clone of this repository at the rev the user's configuration names).
# On first use it builds the analyzer inside that clone (build-pre-commit/), which
# pre-commit keeps in its cache until `pre-commit clean`; later runs start at once. The
# build needs what tools/deps.sh installs (cmake, gcc, make, libcjson-dev, npm) and the npm
# registry once, for the pinned tree-sitter sources; pre-commit itself downloads nothing.
# Usage: tools/pre-commit-hook.sh async-analyzer|concurrency-checker [OPTION...] [FILE...]
set -eu
program=${1:-}
case "$program" in
async-analyzer | concurrency-checker) shift ;;
*)
  echo "usage: $0 async-analyzer|concurrency-checker [OPTION...] [FILE...]" >&2
  exit 2
  ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-pre-commit"
# Two commits in two repositories may start the first build at once: one builds, the other
# waits for it (flock is util-linux's, on every Debian system).
exec 9>"$root/.pre-commit-build.lock"
flock 9
if [ ! -x "$build/async-analyzer" ]; then
  echo "async-analyzer: first use: building the analyzer in $build (once per hook version)" >&2
  log="$root/.pre-commit-build.log"
  # The manual page is for installs: the hook needs only the program (and no help2man).
  # The user's compiler may warn where the tested one does not: no -Werror.
  if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAA_MAN=OFF -DAA_WERROR=OFF &&
    cmake --build "$build" -j "$(nproc)" --target async-analyzer; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "async-analyzer: the build failed (whole log: $log); tools/deps.sh says what to install" >&2
    exit 2
  fi
fi
flock -u 9
# pre-commit runs hooks at the repository's top and passes the staged files: the rest of
# the repository is context, read where the cross-file rules need it (a helper in an
# unchanged module), never reported.
if [ "$program" = async-analyzer ]; then
  exec "$build/async-analyzer" check --context . "$@"
fi
exec "$build/concurrency-checker" --context . "$@"
