#!/usr/bin/env bash
# bench/hostile.sh [CASE...]: the analyzer on hostile inputs, against a bare tree-sitter parse.
#
# bench/hostile.py writes the inputs (issue 10's: deep nesting, long chains, many functions,
# broken lines, a huge single line, many files named one by one; and tests/t_robustness.py's
# hostile inputs scaled up) into a temporary directory, one case at a time. For each case,
# in that case's directory, with the case's files named one by one on the command line:
#   ts        build/ts_parse_all LIST: a plain single-threaded tree-sitter parse of the files
#             (bench/ts_parse_all.c), whole process;
#   default   async-analyzer check --jobs 1 --exit-zero --format json FILES...;
#   ALL       the same with --select ALL.
# One thread each: the analyzer's time is compared with a one-thread parse. Each tool runs
# BENCH_RUNS times (default 3), alternating; seconds are the median CPU time (user + system,
# GNU time) of the whole process, peak RSS the largest. MB means 10^6 bytes. CPU time, not
# wall time: both tools run one thread, so it is the work done, while on a machine shared
# with other jobs the wall time mostly measures their load (results.tsv keeps both).
#
# The target (issue 10): analyzer time <= 3 x ts time + 0.05 s and peak RSS <= 2 x ts
# RSS + 50 MB, for both selections; PASS or FAIL per case. A run that takes more than
# BENCH_TIMEOUT seconds (default 60) of CPU time is stopped (ulimit -St; and after ten times
# that in wall time) and its case FAILs (">60" in the table): the slow inputs of old
# builds are not waited for.
#
# Environment:
#   AA_BUILD       build directory (default <repo>/build): its ts_parse_all, and its
#                  async-analyzer unless AA_BIN says otherwise
#   AA_BIN         the analyzer to measure (an older build, say)
#   BENCH_RUNS     timed runs per tool (default 3)
#   BENCH_TIMEOUT  CPU seconds before a run is stopped (default 60)
#   BENCH_OUT      where results.tsv goes (default <repo>/bench/out/hostile; git-ignored)
# CASE names a case of bench/hostile.py (default: all). Nothing is built here: run
# bench/setup.sh first (or cmake --build). Exit: 0 when every case passed, 1 when one
# failed, 2 on other errors.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${AA_BUILD:-$repo/build}
analyzer=${AA_BIN:-$build/async-analyzer}
ts_bin=$build/ts_parse_all
runs=${BENCH_RUNS:-3}
limit=${BENCH_TIMEOUT:-60}
out=${BENCH_OUT:-$repo/bench/out/hostile}

die() {
	echo "hostile: error: $*" >&2
	exit 2
}

[[ -x $ts_bin ]] || die "$ts_bin is not built; run: bench/setup.sh $build"
[[ -x $analyzer ]] || die "$analyzer is not built; run: bench/setup.sh $build"
analyzer=$(cd "$(dirname "$analyzer")" && pwd)/$(basename "$analyzer")
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$runs'"
[[ $limit =~ ^[1-9][0-9]*$ ]] || die "BENCH_TIMEOUT must be a positive integer, not '$limit'"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or newer is needed (EPOCHREALTIME)"
if ! { [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; }; then
	die "GNU time (/usr/bin/time) is needed for peak RSS; install it with: apt-get install -y time"
fi
command -v timeout >/dev/null || die "timeout (coreutils) is needed"
command -v python3 >/dev/null || die "python3 is needed to write the inputs"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aa-hostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) printf "%.6f", v[(NR + 1) / 2]; else printf "%.6f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maxof() { printf '%s\n' "$@" | sort -g | tail -n1; }

# measure CMD...: runs CMD under the time limit; sets m_wall and m_cpu (seconds), m_rss
# (KiB) and m_rc (124 or 152 when stopped). Output goes to $tmp/stdout and $tmp/stderr.
measure() {
	local t0 t1
	m_rc=0
	t0=$EPOCHREALTIME
	# A CPU-time limit: on a loaded machine a wall-time one stops runs that did little.
	(
		ulimit -St "$limit"
		exec timeout $((limit * 10)) /usr/bin/time -f '%M %U %S' -o "$tmp/rss" "$@"
	) >"$tmp/stdout" 2>"$tmp/stderr" || m_rc=$?
	t1=$EPOCHREALTIME
	m_wall=$(calc "$t1 - $t0")
	local user=0 sys=0
	read -r m_rss user sys < <(tail -n1 "$tmp/rss" 2>/dev/null || true) || true
	[[ $m_rss =~ ^[0-9]+$ && $user =~ ^[0-9.]+$ && $sys =~ ^[0-9.]+$ ]] || { m_rss=0 user=0 sys=0; }
	m_cpu=$(calc "$user + $sys")
}

if (($# == 0)); then
	mapfile -t names < <(python3 "$here/hostile.py" --list)
else
	names=("$@")
fi

printf 'analyzer: %s\n' "$analyzer"
printf 'runs: %d per tool (median CPU seconds, largest peak RSS); limit %d s per run\n' "$runs" "$limit"
printf 'target: time <= 3 x ts + 0.05 s, peak RSS <= 2 x ts + 50 MB (both selections)\n\n'
fmt='%-20s %8s %6s | %7s %7s | %7s %6s %7s | %7s %6s %7s | %s\n'
# shellcheck disable=SC2059 # the format is the table's
printf "$fmt" case MB files "ts s" "ts MB" "dflt s" x "dflt MB" "ALL s" x "ALL MB" result
printf '%s\n' "$(printf '%.0s-' {1..112})"
results=$out/results.tsv
printf 'case\tbytes\tfiles\tts_s\tts_mb\tdefault_s\tdefault_mb\tall_s\tall_mb\tresult\tts_wall\tdefault_wall\tall_wall\n' \
	>"$results"
failed=0
for name in "${names[@]}"; do
	# One case at a time: the inputs of all of them take hundreds of MB.
	IFS=$'\t' read -r _ nfiles bytes _ < <(python3 "$here/hostile.py" "$tmp/in" "$name") ||
		die "bench/hostile.py $name failed"
	dir=$tmp/in/$name
	mapfile -t files <"$tmp/in/$name.list"
	declare -A walls=() cpus=() rsss=() stopped=()
	for ((round = 1; round <= runs; round++)); do
		for tool in ts default all; do
			[[ -z ${stopped[$tool]:-} ]] || continue
			case $tool in
			ts) cmd=("$ts_bin" "$tmp/in/$name.list") ;;
			default) cmd=("$analyzer" check --jobs 1 --exit-zero --format json "${files[@]}") ;;
			all) cmd=("$analyzer" check --jobs 1 --exit-zero --format json --select ALL "${files[@]}") ;;
			esac
			cd "$dir"
			measure "${cmd[@]}"
			cd "$repo"
			# 124: timeout's wall limit; 128 + SIGXCPU (24): the CPU limit.
			if ((m_rc == 124 || m_rc == 152)); then
				stopped[$tool]=">$limit"
			elif ((m_rc != 0)); then
				echo "hostile: $name: $tool exited $m_rc:" >&2
				head -n 5 "$tmp/stderr" >&2
				stopped[$tool]=error
			fi
			walls[$tool]="${walls[$tool]:-} $m_wall"
			cpus[$tool]="${cpus[$tool]:-} $m_cpu"
			rsss[$tool]="${rsss[$tool]:-} $m_rss"
		done
	done
	declare -A secs=() wall=() mb=()
	for tool in ts default all; do
		# shellcheck disable=SC2086 # word splitting of the sample lists is intended
		secs[$tool]=$(median ${cpus[$tool]})
		# shellcheck disable=SC2086
		wall[$tool]=$(median ${walls[$tool]})
		# shellcheck disable=SC2086
		mb[$tool]=$(calc "$(maxof ${rsss[$tool]}) * 1024 / 1e6")
	done
	[[ -z ${stopped[ts]:-} ]] || die "$name: ts_parse_all ${stopped[ts]}"
	tlim=$(calc "3 * ${secs[ts]} + 0.05")
	mlim=$(calc "2 * ${mb[ts]} + 50")
	result=PASS
	shown=()
	for tool in default all; do
		if [[ -n ${stopped[$tool]:-} ]]; then
			result=FAIL
			shown+=("${stopped[$tool]}" "-" "-")
			secs[$tool]=null
			mb[$tool]=null
			continue
		fi
		awk -v t="${secs[$tool]}" -v tl="$tlim" -v m="${mb[$tool]}" -v ml="$mlim" \
			'BEGIN { exit !(t <= tl && m <= ml) }' || result=FAIL
		ratio=-
		awk -v t="${secs[ts]}" 'BEGIN { exit !(t > 0) }' && ratio=$(printf '%.1f' "$(calc "${secs[$tool]} / ${secs[ts]}")")
		shown+=("$(printf '%.2f' "${secs[$tool]}")" "$ratio"
			"$(printf '%.1f' "${mb[$tool]}")")
	done
	[[ $result == PASS ]] || failed=1
	# shellcheck disable=SC2059
	printf "$fmt" "$name" "$(printf '%.3f' "$(calc "$bytes / 1e6")")" "$nfiles" \
		"$(printf '%.3f' "${secs[ts]}")" "$(printf '%.1f' "${mb[ts]}")" "${shown[@]}" "$result"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$bytes" "$nfiles" "${secs[ts]}" \
		"${mb[ts]}" "${secs[default]}" "${mb[default]}" "${secs[all]}" "${mb[all]}" "$result" "${wall[ts]}" \
		"${wall[default]}" "${wall[all]}" >>"$results"
	rm -rf "$dir" "$tmp/in/$name.list"
	unset walls cpus rsss stopped secs wall mb
done
printf '\n(x: analyzer seconds / ts seconds; results: %s)\n' "$results"
exit "$failed"
