# cli_helpers.sh: what the command-line tests (t_cli.sh, t_config.sh, t_baseline.sh) share; sourced,
# never run by the suite (its name is not t_*). Sets tmp (a temporary directory removed
# on exit) and failures; the script ends with `[ "$failures" = 0 ]`.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect DESC STATUS CMD...: runs CMD with stdout in $tmp/out, stderr in $tmp/err.
expect() {
  desc=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
  [ "$got" = "$want" ] || { fail "$desc: exit $got, expected $want"; sed 's/^/    /' "$tmp/err" | head -5; }
}
# in_dir DIR CMD...: runs CMD in DIR (a subshell of its own, so that expect's failure
# count stays in this shell).
in_dir() { (cd "$1" && shift && exec "$@"); }
contains() { grep -q -- "$2" "$tmp/$1" || fail "$3: '$2' not in $1"; }
lacks() { ! grep -q -- "$2" "$tmp/$1" || fail "$3: '$2' unexpectedly in $1"; }
