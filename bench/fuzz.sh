#!/usr/bin/env bash
# bench/fuzz.sh [SECONDS] [TARGET...]: builds the libFuzzer targets of tests/fuzz/ and runs
# each for SECONDS (default 600), one after the other, one fuzzer process at a time.
#
# Targets (default: both):
#   pipeline  tests/fuzz/pipeline_fuzz.c: one Python file through the per-file pipeline
#             with every rule enabled, the cross-file stage, and the text and JSON writers;
#   config    tests/fuzz/config_fuzz.c: the TOML decoder (parsers/toml/) and the pytest
#             configuration readers (pyproject.toml, pytest.ini, tox.ini, setup.cfg) and
#             the name patterns they configure.
#
# The build is its own: $AA_FUZZ_BUILD (default <repo>/build-fuzz), configured with clang,
# -DAA_FUZZ=ON (libFuzzer coverage, ASan and UBSan on every file, tree-sitter included)
# and -O1 -g; the tree-sitter sources are copied from <repo>/build/deps when present.
# Everything the fuzzer writes stays under $AA_FUZZ_BUILD/fuzz/ (git-ignored):
#   seeds/TARGET/      rebuilt from the repository on every run (tests/fuzz/seed_corpus.py)
#   corpus/TARGET/     the inputs the fuzzer found new coverage with: kept, so that runs
#                      in chunks continue one another
#   artifacts/TARGET/  crash-*, leak-*, timeout-*, oom-* and slow-unit-* inputs
#   TARGET.log         the last run's libFuzzer output
#   history.tsv        one line per run: date, target, seconds, executions, exec/s,
#                      peak RSS in MB, findings (add up the seconds for the time run)
# libFuzzer options: -max_total_time=SECONDS -rss_limit_mb=2048 -timeout=10 (an input
# that takes longer is a finding: analysis must stay linear) -report_slow_units=2, the
# target's dictionary (tests/fuzz/TARGET.dict); AA_FUZZ_FLAGS adds more (for example
# AA_FUZZ_FLAGS=-max_len=65536).
#
# Prints, per target, seconds, executions, exec/s, corpus size, peak RSS and the findings.
# Exit 0 when no target found anything, 1 when one did, 2 on a usage or build error.
# Reproduce a finding: $AA_FUZZ_BUILD/pipeline_fuzz ARTIFACT (runs it once); shrink it:
# $AA_FUZZ_BUILD/pipeline_fuzz -minimize_crash=1 -max_total_time=60 ARTIFACT.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${AA_FUZZ_BUILD:-$repo/build-fuzz}

die() {
	echo "fuzz: error: $*" >&2
	exit 2
}

secs=600
if (($#)) && [[ $1 =~ ^[0-9]+$ ]]; then
	secs=$1
	shift
fi
targets=("$@")
((${#targets[@]})) || targets=(pipeline config)
for t in "${targets[@]}"; do
	[[ $t == pipeline || $t == config ]] || die "unknown target '$t' (pipeline, config); usage: bench/fuzz.sh [SECONDS] [TARGET...]"
done

# --- build ---------------------------------------------------------------------------
command -v clang >/dev/null || die "clang is missing (libFuzzer ships with it): apt-get install -y clang"
if [[ ! -d $build/deps && -d $repo/build/deps ]]; then
	mkdir -p "$build"
	cp -a "$repo/build/deps" "$build/"
fi
cmake -S "$repo" -B "$build" -DCMAKE_C_COMPILER=clang -DAA_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_FLAGS_DEBUG="-g -O1" >/dev/null || die "configuring $build failed"
cmake --build "$build" -j2 --target "${targets[@]/%/_fuzz}" >/dev/null || die "building the fuzz targets failed"

# --- run -----------------------------------------------------------------------------
work=$build/fuzz
mkdir -p "$work"
python3 "$repo/tests/fuzz/seed_corpus.py" "$work/seeds" >/dev/null || die "building the seed corpus failed"
found=0
for t in "${targets[@]}"; do
	corpus=$work/corpus/$t
	artifacts=$work/artifacts/$t
	mkdir -p "$corpus" "$artifacts"
	before=$(ls "$artifacts")
	log=$work/$t.log
	echo "fuzz: $t for $secs s (log: $log)"
	# libFuzzer exits non-zero on a finding; the log says which.
	(cd "$work" && "$build/${t}_fuzz" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-report_slow_units=2 -print_final_stats=1 -dict="$repo/tests/fuzz/$t.dict" \
		-artifact_prefix="$artifacts/" ${AA_FUZZ_FLAGS:-} "$corpus" "$work/seeds/$t") >"$log" 2>&1 || true
	stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
	runs=$(stat number_of_executed_units)
	rate=$(stat average_exec_per_sec)
	rss=$(stat peak_rss_mb)
	ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	new=$(comm -13 <(echo "$before") <(ls "$artifacts"))
	findings=$(grep -E '^(==[0-9]+==ERROR|SUMMARY|.*ERROR: libFuzzer|Slowest unit)' "$log" | head -n 5 || true)
	if [[ -z $runs ]]; then
		tail -n 5 "$log" >&2
		die "$t did not run (see $log)"
	fi
	printf 'fuzz: %s: %s s, %s executions, %s exec/s, corpus %s files, peak RSS %s MB\n' "$t" "${ran:-?}" "$runs" \
		"${rate:-?}" "$(find "$corpus" -type f | wc -l)" "${rss:-?}"
	verdict=none
	if [[ -n $findings ]]; then
		found=1
		verdict=$(echo "$findings" | head -n 1 | tr '\t' ' ')
		echo "$findings" | sed 's/^/fuzz:   /'
		echo "$new" | sed "/^\$/d; s|^|fuzz:   artifact: $artifacts/|"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "${ran:-?}" "${runs:-?}" "${rate:-?}" \
		"${rss:-?}" "$verdict" >>"$work/history.tsv"
done
exit $found
