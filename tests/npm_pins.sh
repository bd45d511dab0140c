# npm_pins.sh: installs a test tool's pinned npm packages into the build tree; sourced by
# t_lsp.sh and t_sarif_validate.sh, never run by the suite (its name is not t_*).
# npm_pins NAME: `npm ci` from tests/NAME/package-lock.json into $AA_BUILD/NAME, once per
# lock file (a stamp names its hash), never into the source tree. Sets pins (the pins'
# directory, tests/NAME) and tools (the install directory). The caller defines fail (which
# exits); run from the repository root.
npm_pins() {
	pins="$(pwd)/tests/$1"
	tools="$AA_BUILD/$1"
	[ -f "$pins/package-lock.json" ] || fail "run me from the repository root ($pins/package-lock.json is missing)"
	command -v npm >/dev/null 2>&1 || fail "npm is missing (tools/deps.sh installs nodejs and npm)"
	stamp="$tools/.stamp-$(cat "$pins/package.json" "$pins/package-lock.json" | sha256sum | cut -c1-16)"
	if [ ! -f "$stamp" ]; then
		rm -rf "$tools"
		mkdir -p "$tools"
		cp "$pins/package.json" "$pins/package-lock.json" "$tools/"
		(cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund) >"$AA_BUILD/$1.log" 2>&1 ||
			{ cat "$AA_BUILD/$1.log" >&2; fail "npm ci failed in $tools"; }
		touch "$stamp"
	fi
}
