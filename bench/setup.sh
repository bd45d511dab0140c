#!/usr/bin/env bash
# bench/setup.sh [BUILD_DIR]: builds what bench/run.sh measures.
#   - configures and builds the project (async-analyzer, ts_parse_all) in BUILD_DIR
#     (default: $AA_BUILD, else <repo>/build), Release;
#   - installs the pinned Ruff WebAssembly peer (bench/ruff/package-lock.json) into
#     BUILD_DIR/bench-ruff with `npm ci --ignore-scripts`: into the build tree, never
#     into the source tree.
# With --ruff-only, only the second step runs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
ruff_only=0
if [[ ${1:-} == --ruff-only ]]; then
	ruff_only=1
	shift
fi
build=${1:-${AA_BUILD:-$repo/build}}

if ((!ruff_only)); then
	cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release
	cmake --build "$build" -j2
fi

command -v npm >/dev/null || { echo "setup: npm is missing (apt-get install -y nodejs npm)" >&2; exit 2; }
dest=$build/bench-ruff
mkdir -p "$dest"
cp "$here/ruff/package.json" "$here/ruff/package-lock.json" "$dest/"
(cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund)
echo "setup: ruff-wasm installed in $dest"
