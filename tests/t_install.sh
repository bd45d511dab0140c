#!/bin/sh
# suite: release-only
# Installing, as a user does (README "Install"):
#  1. `cmake --install BUILD --prefix P` into a scratch prefix: the program, the
#     concurrency-checker link and the manual page (rendered by man, every option of
#     --help in it), and nothing else; the installed programs report what the built ones do.
#  2. `cpack -G DEB`: the package's files and its Depends, computed by dpkg-shlibdeps.
#  3. `apt-get install ./async-analyzer_*.deb` in a clean Debian root (debootstrap's
#     minbase of this machine's release, in a chroot): apt fetches the declared
#     dependencies from the Debian mirror, and the installed program runs there. The root
#     is bootstrapped once into BUILD/clean-root/ (a tar of the pristine root, a few
#     minutes) and unpacked afresh for each run. Needs root (chroot), like tests/run.sh.
# Nothing is written outside the scratch folder but BUILD (its install manifest, the
# package staging and the cached root). Mounts that debootstrap makes live in a private
# mount namespace (unshare), so an interrupted run leaves none behind.
set -eu
cd "$(dirname "$0")/.."
src=$(pwd)
build=${AA_BUILD:?AA_BUILD names the build directory (tests/suite.sh sets it)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ ! -s "$tmp/out" ] || tail -n 30 "$tmp/out" | sed 's/^/    /'; exit 1; }
sleep_fixture=fixtures/aa1/blocking_sleep.py
gather_fixture=fixtures/aa3/unbounded_gather.py

# --- 1. cmake --install ---------------------------------------------------------------
p="$tmp/prefix"
cmake --install "$build" --prefix "$p" >"$tmp/out" 2>&1 || fail "cmake --install failed"
(cd "$p" && find . ! -type d | sort) >"$tmp/files"
printf '%s\n' ./bin/async-analyzer ./bin/concurrency-checker ./share/man/man1/async-analyzer.1 \
	./share/man/man1/concurrency-checker.1 >"$tmp/want"
diff "$tmp/want" "$tmp/files" >"$tmp/out" || fail "installed files differ from the expected four"
[ "$(readlink "$p/bin/concurrency-checker")" = async-analyzer ] || fail "bin/concurrency-checker is not a link to async-analyzer"
[ "$(readlink "$p/share/man/man1/concurrency-checker.1")" = async-analyzer.1 ] || fail "concurrency-checker.1 is not a link"
for args in "async-analyzer check --format json $sleep_fixture" "concurrency-checker --format json $gather_fixture"; do
	# shellcheck disable=SC2086 # a program name and its arguments
	set -- $args
	prog=$1
	shift
	rc=0
	"$p/bin/$prog" "$@" >"$tmp/got" 2>"$tmp/out" || rc=$?
	[ "$rc" = 1 ] || fail "installed $prog exited $rc on $*, want 1 (findings)"
	"$build/$prog" "$@" >"$tmp/ref" 2>/dev/null || true
	cmp -s "$tmp/ref" "$tmp/got" || fail "installed $prog reports differently from $build/$prog on $*"
done
grep -q '"AA301"' "$tmp/got" || fail "installed concurrency-checker did not report AA301"
grep -q '"AA101"' "$tmp/ref" && fail "concurrency-checker ran more than the AA3xx rules"
# The page renders, and every option of --help is in it: one source.
LC_ALL=C MANWIDTH=1000 man -l "$p/share/man/man1/async-analyzer.1" >"$tmp/man" 2>"$tmp/out" || fail "man -l failed"
grep -q '^ *async-analyzer - find blocking calls' "$tmp/man" || fail "the page has no NAME line"
"$p/bin/async-analyzer" --help | grep -o -E -- '--[a-z][a-z-]*' | sort -u >"$tmp/options"
[ -s "$tmp/options" ] || fail "no options found in --help"
while read -r opt; do
	grep -q -F -- "$opt" "$tmp/man" || fail "the manual page lacks $opt, which --help has"
done <"$tmp/options"
grep -q -F "async-analyzer $("$p/bin/async-analyzer" --version | cut -d' ' -f2)" "$tmp/man" || fail "the page's version differs"

# --- 2. cpack -G DEB ------------------------------------------------------------------
(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg") >"$tmp/out" 2>&1 || fail "cpack -G DEB failed"
version=$("$build/async-analyzer" --version | cut -d' ' -f2)
deb="$tmp/pkg/async-analyzer_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || fail "no $(basename "$deb")"
dpkg-deb --contents "$deb" | awk '{ print $6 }' | grep -v '/$' | sort >"$tmp/files"
printf '%s\n' ./usr/bin/async-analyzer ./usr/bin/concurrency-checker ./usr/share/man/man1/async-analyzer.1 \
	./usr/share/man/man1/concurrency-checker.1 >"$tmp/want"
diff "$tmp/want" "$tmp/files" >"$tmp/out" || fail "the package's files differ from the expected four"
depends=$(dpkg-deb --field "$deb" Depends)
# Every library the program links directly (its ELF NEEDED entries, located by ldd)
# belongs to a package the Depends line names; what those libraries link in turn is
# their own packages' Depends (libgit2's Kerberos, say), not ours.
readelf -d "$build/async-analyzer" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$tmp/needed"
[ -s "$tmp/needed" ] || fail "readelf found no NEEDED entry in $build/async-analyzer"
ldd "$build/async-analyzer" | awk 'NR == FNR { need[$1] = 1; next } ($1 in need) && $3 ~ /^\// { print $3 }' \
	"$tmp/needed" - >"$tmp/libs"
[ -s "$tmp/libs" ] || fail "ldd located none of the NEEDED libraries"
while read -r lib; do
	pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib") || fail "no package holds $lib"
	pkg=${pkg%%:*}
	echo "$depends" | grep -q -E "(^|, )$pkg( |,|$)" || fail "Depends ($depends) lacks $pkg, which holds $lib"
done <"$tmp/libs"
# libclang is loaded with dlopen (AA112): the package holding it is recommended.
recommends=$(dpkg-deb --field "$deb" Recommends)
clang_pkg=$(dpkg-query -S "$(readlink -f "$(sed -n 's/^AA_LIBCLANG:FILEPATH=//p' "$build/CMakeCache.txt")")" | cut -d: -f1)
[ -n "$clang_pkg" ] && [ "$recommends" = "$clang_pkg" ] || fail "Recommends ($recommends) is not libclang's package ($clang_pkg)"

# --- 3. apt-get install on a clean Debian root ---------------------------------------
[ "$(id -u)" = 0 ] || fail "the clean-root install needs root (chroot): run the suite as root, as tests/run.sh does"
command -v debootstrap >/dev/null || fail "debootstrap is missing: tools/deps.sh --tests installs it"
. /etc/os-release
cache="$build/clean-root/debian-$VERSION_CODENAME-minbase.tar"
if [ ! -f "$cache" ]; then
	echo "bootstrapping a clean Debian $VERSION_CODENAME root into $cache (once)"
	mkdir -p "$build/clean-root"
	work="$build/clean-root/work.$$"
	rm -rf "$work"
	unshare --mount --propagation private debootstrap --variant=minbase "$VERSION_CODENAME" "$work/root" \
		>"$work.log" 2>&1 || { cp "$work.log" "$tmp/out"; rm -rf "$work" "$work.log"; fail "debootstrap failed"; }
	tar -C "$work/root" -cf "$cache.part" . && mv "$cache.part" "$cache"
	rm -rf "$work" "$work.log"
fi
root="$tmp/root"
mkdir "$root"
tar -C "$root" -xf "$cache"
cp "$deb" "$root/tmp/"
cp "$sleep_fixture" "$root/tmp/fixture.py"
# The root's own apt, on the mirror it was bootstrapped from; no service may start.
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
in_root() { unshare --mount --propagation private chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
in_root dpkg-query -W libcjson1 >/dev/null 2>&1 && fail "the clean root already has libcjson1: not a test of Depends"
in_root apt-get update -qq >"$tmp/out" 2>&1 || fail "apt-get update in the clean root failed"
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >"$tmp/out" 2>&1 ||
	fail "apt-get install ./$(basename "$deb") failed in the clean root"
in_root dpkg-query -W libcjson1 >/dev/null 2>&1 || fail "apt did not install libcjson1: it is not declared"
rc=0
in_root async-analyzer check /tmp/fixture.py >"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "the packaged async-analyzer exited $rc in the clean root, want 1 (findings)"
grep -q 'error: AA101' "$tmp/out" || fail "the packaged async-analyzer did not report AA101"
in_root concurrency-checker --version >"$tmp/out" 2>&1 || fail "the packaged concurrency-checker does not run"
echo "ok: installed into a prefix, packaged $(basename "$deb") (Depends: $depends), installed by apt on a clean root"
