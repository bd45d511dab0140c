#!/usr/bin/env bash
# bench/run.sh [TREE]: speed and memory of async-analyzer against its baselines.
#
# TREE defaults to /root/.pyenv/versions/3.11.7 (a whole Python installation: about
# 17,200 .py/.pyi files, 141 MB). Every *.py / *.pyi regular file under TREE is measured by
#   (a) async-analyzer check --jobs 2 --exit-zero --format json --timings, again with
#       --jobs 1, and again with --jobs 2 without the cross-file rules (--ignore AA109,
#       AA201,AA202,AA301,AA302): whole-process wall time and peak RSS; from --timings,
#       the per-file phase (reading, parsing, local rules, summaries) and the cross-file
#       phase (module map, on-demand reading, linking) of the same run;
#   (b) ts_parse_all: a plain single-threaded tree-sitter parse of every file, same pinned
#       runtime and grammar (its own parse-loop time, reading excluded);
#   (c) Ruff's WebAssembly build, rules ASYNC + RUF006, `node --liftoff-only`:
#       whole-process wall time.
# One warm-up round, then BENCH_RUNS (default 3) rounds; the tools alternate within a
# round. Seconds are medians; ratios are medians of the per-round ratios (both tools ran
# back to back, so machine noise hits both); peak RSS is the largest of the timed rounds.
# MB means 10^6 bytes, RSS included.
#
# The analyzer skips "noise" directories (site-packages, venv, build, ...) when it walks
# a tree, but never a directory named on its command line: so that every tool sees the
# same files, run.sh also names each noise directory under TREE that holds a listed file.
# BENCH_ANALYZER_TREE_ONLY=1 passes TREE alone.
#
# Nothing is built here. Set up first with bench/setup.sh [BUILD_DIR]. Environment:
#   AA_BUILD   build directory (default <repo>/build)
#   BENCH_RUNS timed rounds (default 3)
#   BENCH_OUT  output directory (default <repo>/bench/out, git-ignored): files.txt, the
#              analyzer's warm-up findings, the tools' stderr, and results.json.
# Exit: 0 when the bench ran (targets may still FAIL: read the report), 1 when the
# analyzer exited non-zero (the baselines are still reported), 2 on other errors.
# The analyzer may be absent ("analyzer: not built"); the baselines then still run.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
tree=${1:-/root/.pyenv/versions/3.11.7}
build=${AA_BUILD:-$repo/build}
runs=${BENCH_RUNS:-3}
out=${BENCH_OUT:-$repo/bench/out}
setup_cmd="bench/setup.sh $build"

die() {
	echo "bench: error: $*" >&2
	exit 2
}

# --- checks: tools and binaries ------------------------------------------------------
(($# <= 1)) || die "usage: bench/run.sh [TREE]"
[[ -d $tree ]] || die "$tree is not a directory"
tree=$(cd "$tree" && pwd -P)
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$runs'"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or newer is needed (EPOCHREALTIME)"
if ! { [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; }; then
	die "GNU time (/usr/bin/time) is needed for peak RSS; install it with: apt-get install -y time"
fi
command -v node >/dev/null || die "node is needed for the Ruff peer; install it with: apt-get install -y nodejs npm"

ts_bin=$build/ts_parse_all
[[ -x $ts_bin ]] || die "$ts_bin is not built; run: $setup_cmd"
ruff_dir=$build/bench-ruff
[[ -f $ruff_dir/node_modules/@astral-sh/ruff-wasm-nodejs/package.json ]] ||
	die "ruff-wasm is not installed in $ruff_dir; run: $setup_cmd  (or: bench/setup.sh --ruff-only $build)"
cmp -s "$here/ruff/package-lock.json" "$ruff_dir/package-lock.json" ||
	die "$ruff_dir is stale (bench/ruff/package-lock.json changed); run: bench/setup.sh --ruff-only $build"
analyzer=$build/async-analyzer
have_analyzer=0
if [[ -x $analyzer ]]; then
	have_analyzer=1
else
	echo "analyzer: not built ($analyzer); run: $setup_cmd"
fi

mkdir -p "$out"
tmp=$out/tmp
rm -rf "$tmp"
mkdir -p "$tmp"

# --- the corpus ----------------------------------------------------------------------
list=$out/files.txt
# Paths holding a newline cannot go into a one-per-line list; there are none in practice.
find "$tree" \( -name '*.py' -o -name '*.pyi' \) -type f ! -path $'*\n*' -printf '%s\t%p\n' |
	sort -t $'\t' -k2 >"$tmp/sized.txt"
cut -f2- "$tmp/sized.txt" >"$list"
files=$(wc -l <"$list")
((files > 0)) || die "no .py/.pyi files under $tree"
bytes=$(awk -F '\t' '{ s += $1 } END { printf "%d", s }' "$tmp/sized.txt")
# Reading every file here also warms the page cache for the first tool.
async_files=$( (tr '\n' '\0' <"$list" | xargs -0 grep -lwE -- 'async|await' || true) | wc -l)

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) printf "%.6f", v[(NR + 1) / 2]; else printf "%.6f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maxof() { printf '%s\n' "$@" | sort -g | tail -n1; }
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$2"; }

printf 'corpus: %s\n' "$tree"
printf 'files:  %d .py/.pyi, %.1f MB; %d (%.0f %%) contain async or await\n' \
	"$files" "$(calc "$bytes / 1e6")" "$async_files" "$(calc "100 * $async_files / $files")"

analyzer_args=("$tree")
noise_dirs=()
if ((have_analyzer)) && [[ ${BENCH_ANALYZER_TREE_ONLY:-0} != 1 ]]; then
	# The analyzer's built-in noise list (analyzer/input/discover.h); keep the two in step.
	mapfile -t noise_dirs < <(
		{
			awk -v root="$tree/" '
				BEGIN { n = split(".git .hg .svn .venv venv .tox .nox __pycache__ node_modules build dist site-packages", a, " ")
					for (i = 1; i <= n; i++) noise[a[i]] = 1 }
				index($0, root) == 1 {
					n = split(substr($0, length(root) + 1), c, "/"); d = substr(root, 1, length(root) - 1)
					for (i = 1; i < n; i++) { d = d "/" c[i]; if ((c[i] in noise) || c[i] ~ /\.egg-info$/) print d }
				}' "$list"
			find "$tree" -name pyvenv.cfg -printf '%h\n'
		} | sort -u
	)
	analyzer_args+=("${noise_dirs[@]}")
	((${#noise_dirs[@]} == 0)) ||
		printf 'analyzer: also named %d noise director%s it skips by default, so it sees the same files\n' \
			"${#noise_dirs[@]}" "$([[ ${#noise_dirs[@]} == 1 ]] && echo y || echo ies)"
fi

# --- measuring -----------------------------------------------------------------------
# measure OUTFILE CMD...: sets m_wall (seconds), m_rss (KiB), m_rc; stderr in $tmp/stderr.
measure() {
	local outf=$1 t0 t1
	shift
	m_rc=0
	t0=$EPOCHREALTIME
	/usr/bin/time -f %M -o "$tmp/rss" "$@" >"$outf" 2>"$tmp/stderr" || m_rc=$?
	t1=$EPOCHREALTIME
	m_wall=$(calc "$t1 - $t0")
	# GNU time puts "Command exited with non-zero status N" before the format line.
	m_rss=$(tail -n1 "$tmp/rss")
	[[ $m_rss =~ ^[0-9]+$ ]] || m_rss=0
}

declare -A wall rss
tools=()
((have_analyzer)) && tools+=(a2 a2x a1)
tools+=(ts ruff)
declare -A label=([a2]="analyzer --jobs 2" [a2x]="  w/o cross-file rules" [a1]="analyzer --jobs 1"
	[ts]="ts-parse (1 thread)" [ruff]="ruff-wasm (liftoff)")
ts_parse=() ts_read=() ruff_inner=() per_file_phase=() cross_phase=() per_file_plain=()
analyzer_status="not built"
((have_analyzer)) && analyzer_status=ok

for ((round = 0; round <= runs; round++)); do
	if ((round == 0)); then
		printf 'warm-up round...\n'
	else
		printf 'round %d/%d...\n' "$round" "$runs"
	fi
	# The two runs whose ratio is reported (with and without the cross-file rules)
	# swap places every other round, so that neither always follows the same tool.
	order=("${tools[@]}")
	if ((round % 2 == 0)) && [[ ${order[0]} == a2 && ${order[1]} == a2x ]]; then
		order[0]=a2x
		order[1]=a2
	fi
	for t in "${order[@]}"; do
		case $t in
		a2 | a2x | a1)
			[[ $analyzer_status == ok ]] || continue
			jobs=${t#a}
			jobs=${jobs%x}
			# a2x: the per-file phase alone (no rule that needs the project index).
			extra=()
			[[ $t == a2x ]] && extra=(--ignore AA109,AA201,AA202,AA301,AA302)
			dest=/dev/null
			((round == 0)) && dest=$out/analyzer-$t.json
			# --timings: the phases' wall-clock split, on stderr (the report is unchanged).
			[[ $t == a2 || $t == a2x ]] && extra+=(--timings)
			measure "$dest" "$analyzer" check --jobs "$jobs" --exit-zero --format json "${extra[@]}" "${analyzer_args[@]}"
			cp "$tmp/stderr" "$out/analyzer-$t.stderr"
			if [[ $t == a2 ]] && ((round > 0)); then
				per_file_phase+=("$(sed -n 's/^timings: .*per-file phase \([0-9.]*\) s.*/\1/p' "$tmp/stderr")")
				cross_phase+=("$(sed -n 's/^timings: .*cross-file phase \([0-9.]*\) s.*/\1/p' "$tmp/stderr")")
			elif [[ $t == a2x ]] && ((round > 0)); then
				per_file_plain+=("$(sed -n 's/^timings: .*per-file phase \([0-9.]*\) s.*/\1/p' "$tmp/stderr")")
			fi
			if ((m_rc != 0)); then
				echo "analyzer ($t): failed with exit $m_rc; stderr in $out/analyzer-$t.stderr:" >&2
				head -n 5 "$tmp/stderr" >&2
				analyzer_status="failed (exit $m_rc)"
				continue
			fi
			;;
		ts)
			measure "$tmp/ts.json" "$ts_bin" "$list"
			cp "$tmp/stderr" "$out/ts_parse_all.stderr"
			((m_rc == 0)) || { cat "$tmp/stderr" >&2; die "ts_parse_all failed with exit $m_rc"; }
			((round == 0)) || ts_parse+=("$(field parse_seconds "$tmp/ts.json")")
			((round == 0)) || ts_read+=("$(field read_seconds "$tmp/ts.json")")
			ts_files=$(field files "$tmp/ts.json")
			ts_errors=$(field error_trees "$tmp/ts.json")
			;;
		ruff)
			measure "$tmp/ruff.json" node --liftoff-only "$here/ruff_async.mjs" "$list" "$ruff_dir"
			cp "$tmp/stderr" "$out/ruff_async.stderr"
			((m_rc == 0)) || { cat "$tmp/stderr" >&2; die "ruff_async.mjs failed with exit $m_rc"; }
			((round == 0)) || ruff_inner+=("$(field seconds "$tmp/ruff.json")")
			ruff_version=$(field version "$tmp/ruff.json")
			ruff_files=$(field files "$tmp/ruff.json")
			ruff_findings=$(field findings "$tmp/ruff.json")
			ruff_syntax=$(field syntax_errors "$tmp/ruff.json")
			;;
		esac
		((round == 0)) && continue
		wall[$t]="${wall[$t]:-} $m_wall"
		rss[$t]="${rss[$t]:-} $m_rss"
	done
done
[[ $ts_files == "$files" ]] || die "ts_parse_all parsed $ts_files files of $files"
[[ $ruff_files == "$files" ]] || die "ruff_async.mjs checked $ruff_files files of $files"

# --- results -------------------------------------------------------------------------
# The analyzer's rows count only if every round succeeded.
[[ $analyzer_status == ok ]] || tools=(ts ruff)
declare -A secs rss_mb
secs[ts]=$(median "${ts_parse[@]}")
for t in "${tools[@]}"; do
	# shellcheck disable=SC2086 # word splitting of the sample lists is intended
	[[ $t == ts ]] || secs[$t]=$(median ${wall[$t]})
	# shellcheck disable=SC2086
	rss_mb[$t]=$(calc "$(maxof ${rss[$t]}) * 1024 / 1e6")
done

# Per-round ratio: analyzer wall time over the other tool's time in the same round.
ratio() {
	local -a num den r=()
	local i
	read -ra num <<<"${wall[$1]}"
	if [[ $2 == ts ]]; then den=("${ts_parse[@]}"); else read -ra den <<<"${wall[$2]}"; fi
	for ((i = 0; i < ${#num[@]}; i++)); do r+=("$(calc "${num[$i]} / ${den[$i]}")"); done
	median "${r[@]}"
}

printf '\n%-22s %9s %9s %9s %12s\n' tool seconds MB/s files/s "peak RSS MB"
for t in a2 a2x a1 ts ruff; do
	if [[ " ${tools[*]} " != *" $t "* ]]; then
		[[ $t == a1 || $t == a2x ]] || printf '%-22s %s\n' "analyzer" "$analyzer_status"
		continue
	fi
	printf '%-22s %9.2f %9.1f %9.0f %12.1f\n' "${label[$t]}" "${secs[$t]}" \
		"$(calc "$bytes / 1e6 / ${secs[$t]}")" "$(calc "$files / ${secs[$t]}")" "${rss_mb[$t]}"
done
printf '(ts-parse: parse loop only, read %.2f s more; others: whole process. ruff-wasm %s: %s findings, %s syntax errors; tree-sitter error trees: %s)\n' \
	"$(median "${ts_read[@]}")" "$ruff_version" "$ruff_findings" "$ruff_syntax" "$ts_errors"

declare -A ratios
targets_json=""
if [[ $analyzer_status == ok ]]; then
	printf '\n'
	for pair in a2:ts a2:ruff a1:ts a1:ruff a2:a2x; do
		ratios[$pair]=$(ratio "${pair%:*}" "${pair#*:}")
		printf 'ratio %-17s / %-20s %6.3f\n' "${label[${pair%:*}]}" "${label[${pair#*:}]}" "${ratios[$pair]}"
	done
	# The phases of the same --jobs 2 runs (--timings): what the project index adds
	# (module map, on-demand reading, linking) over reading, parsing, local rules and
	# the per-file summaries.
	phase_r=()
	for ((i = 0; i < ${#cross_phase[@]}; i++)); do phase_r+=("$(calc "${cross_phase[$i]} / ${per_file_phase[$i]}")"); done
	ratios[cross:per_file]=$(median "${phase_r[@]}")
	printf 'phases of analyzer --jobs 2: per-file %.3f s, cross-file %.3f s (medians); cross-file / per-file %6.3f\n' \
		"$(median "${per_file_phase[@]}")" "$(median "${cross_phase[@]}")" "${ratios[cross:per_file]}"
	printf '  (the per-file phase without the cross-file rules: %.3f s; with them it also builds the summaries,\n' \
		"$(median "${per_file_plain[@]}")"
	printf '   scans the imports of skipped files and checks sync files that name asyncio coroutines)\n'
fi
printf '\ntargets (analyzer --jobs 2):\n'
target() { # name limit-expression shown-limit value-or-empty unit
	local result=SKIP shown="analyzer $analyzer_status" limit
	limit=$(calc "$2")
	if [[ -n $4 ]]; then
		result=$(awk -v v="$4" -v l="$limit" 'BEGIN { print (v <= l) ? "PASS" : "FAIL" }')
		shown=$(printf '%.3f%s' "$4" "$5")
	fi
	printf '  %-24s <= %-8s %-22s %s\n' "$1" "$3" "$shown" "$result"
	targets_json+="${targets_json:+,}{\"target\":\"$1\",\"limit\":$limit,\"value\":${4:-null},\"result\":\"$result\"}"
}
target "time / ts-parse time" "1 / 5" "1/5" "${ratios[a2:ts]:-}" ""
target "time / ruff-wasm time" "1 / 3" "1/3" "${ratios[a2:ruff]:-}" ""
target "peak RSS" 150 "150 MB" "${rss_mb[a2]:-}" " MB"
target "cross-file / per-file" "1 / 3" "1/3" "${ratios[cross:per_file]:-}" ""
target "time / time w/o cross-file" "4 / 3" "4/3" "${ratios[a2:a2x]:-}" ""

# --- results.json --------------------------------------------------------------------
jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/\t/\\t/g')"; }
jarr() { local IFS=,; printf '[%s]' "$*"; }
tool_json() { # key extra-json
	local t=$1
	# shellcheck disable=SC2086
	printf '"%s":{"label":%s,"seconds":%s,"mb_per_s":%s,"files_per_s":%s,"peak_rss_mb":%s,"wall_samples":%s,"rss_kib_samples":%s%s}' \
		"$t" "$(jstr "${label[$t]}")" "${secs[$t]}" "$(calc "$bytes / 1e6 / ${secs[$t]}")" \
		"$(calc "$files / ${secs[$t]}")" "${rss_mb[$t]}" "$(jarr ${wall[$t]})" "$(jarr ${rss[$t]})" "$2"
}
{
	printf '{"corpus":%s,"files":%d,"bytes":%d,"async_files":%d,"runs":%d,"warmup":1,' \
		"$(jstr "$tree")" "$files" "$bytes" "$async_files" "$runs"
	printf '"cpus":%d,"date":%s,"analyzer":{"path":%s,"status":%s,"extra_paths":[' \
		"$(nproc)" "$(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$(jstr "$analyzer")" "$(jstr "$analyzer_status")"
	sep=""
	for d in "${noise_dirs[@]}"; do printf '%s%s' "$sep" "$(jstr "$d")"; sep=,; done
	printf ']},"tools":{'
	sep=""
	for t in "${tools[@]}"; do
		extra=""
		case $t in
		ts) extra=",\"seconds_is\":\"parse loop\",\"read_seconds\":$(median "${ts_read[@]}"),\"parse_samples\":$(jarr "${ts_parse[@]}"),\"error_trees\":$ts_errors" ;;
		ruff) extra=",\"version\":$(jstr "$ruff_version"),\"in_process_seconds\":$(median "${ruff_inner[@]}"),\"findings\":$ruff_findings,\"syntax_errors\":$ruff_syntax" ;;
		*) extra=",\"seconds_is\":\"whole process\"" ;;
		esac
		printf '%s%s' "$sep" "$(tool_json "$t" "$extra")"
		sep=,
	done
	printf '},"ratios":{'
	sep=""
	for pair in "${!ratios[@]}"; do printf '%s"%s":%s' "$sep" "${pair/:/_over_}" "${ratios[$pair]}"; sep=,; done
	printf '},"targets":[%s]}\n' "$targets_json"
} >"$out/results.json.tmp"
mv "$out/results.json.tmp" "$out/results.json"
rm -rf "$tmp"
printf '\nresults: %s\n' "$out/results.json"
[[ $analyzer_status != failed* ]]
