#!/bin/sh
# suite: release-only
# Validates a SARIF log with both validators we trust:
#  - ajv against the SARIF 2.1.0 JSON schema that the pinned @microsoft/jest-sarif ships
#    (lib/schemas/sarif-2.1.0-rtm.5.json: the 2.1.0 schema as the SARIF SDK carries it;
#    draft-04, migrated to draft-07 with `ajv migrate` because ajv 8 has no draft-04 mode);
#  - Microsoft's Sarif.Multitool with `--rule-kind "Sarif;Gh"` (the SARIF rules plus the
#    ones GitHub code scanning enforces on upload).
# Fails on any schema error and on any Multitool error or warning (notes are allowed).
#
# Usage: tests/t_sarif_validate.sh [FILE.sarif]
#   Without FILE, validates the log `$AA_BUILD/emit_test --write-sarif` writes.
# Env: AA_BUILD = the build directory (the validators are installed into
#   $AA_BUILD/sarif-tools with `npm ci` from tests/sarif-tools/package-lock.json).
# Run from the repository root.
set -eu

fail() {
	echo "t_sarif_validate: FAIL: $*" >&2
	exit 1
}

[ -n "${AA_BUILD:-}" ] || fail "AA_BUILD is not set"
# --- install the pinned validators into the build tree, once per lock file ------------
. "$(dirname "$0")/npm_pins.sh"
npm_pins sarif-tools
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
ajv="$tools/node_modules/.bin/ajv"
schema="$tools/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
[ -f "$schema" ] || fail "$schema is missing after npm ci"
[ -f "$multitool" ] || fail "$multitool is missing after npm ci"
# npm does not run the package's postinstall, which would make the binary executable.
chmod u+x "$multitool"
# .NET needs libicu unless told to run without culture data.
if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then
	DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
	export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT
fi
# Nothing here needs the .NET telemetry or first-run banner.
DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_CLI_TELEMETRY_OPTOUT

work=$(mktemp -d "${TMPDIR:-/tmp}/aa-sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# --- the log to validate --------------------------------------------------------------
if [ $# -ge 1 ]; then
	[ -f "$1" ] || fail "$1: no such file"
	cp "$1" "$work/log.sarif"
	what=$1
else
	[ -x "$AA_BUILD/emit_test" ] || fail "$AA_BUILD/emit_test is missing (build first)"
	"$AA_BUILD/emit_test" --write-sarif "$work/log.sarif" || fail "emit_test --write-sarif failed"
	what="emit_test --write-sarif"
fi
echo "t_sarif_validate: validating $what"

status=0

# --- JSON schema (ajv picks its parser by extension, hence .json) ---------------------
cp "$work/log.sarif" "$work/log.json"
# The rtm.5 schema's `language` pattern is malformed (an unbalanced "]", rejected by
# ajv's unicode regular expressions); SARIF 2.1.0 errata 01 fixed it to the pattern below.
node -e '
const fs = require("fs");
const text = fs.readFileSync(process.argv[1], "utf8");
const bad = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
if (!text.includes(bad)) { console.error("the schema no longer has the pattern to mend"); process.exit(1); }
fs.writeFileSync(process.argv[2], text.split(bad).join("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"));
' "$schema" "$work/schema.json" || fail "cannot mend $schema"
if ! "$ajv" migrate -s "$work/schema.json" -o "$work/schema-draft7.json" >"$work/migrate.txt" 2>&1; then
	cat "$work/migrate.txt" >&2
	fail "ajv migrate failed"
fi
if "$ajv" validate --spec=draft7 -c ajv-formats --all-errors --errors=text \
	-s "$work/schema-draft7.json" -d "$work/log.json" >"$work/ajv.txt" 2>&1; then
	echo "ajv: valid against the SARIF 2.1.0 schema"
else
	echo "ajv: INVALID against the SARIF 2.1.0 schema:"
	sed 's/^/  /' "$work/ajv.txt"
	status=1
fi

# --- Sarif.Multitool --------------------------------------------------------------------
# Its exit status is not a verdict; the log it writes is.
"$multitool" validate "$work/log.sarif" --rule-kind "Sarif;Gh" --level "Error;Warning;Note" \
	-c "$pins/multitool-config.xml" -o "$work/multitool.sarif" --log ForceOverwrite \
	>"$work/multitool.txt" 2>&1 || true
if [ ! -s "$work/multitool.sarif" ]; then
	cat "$work/multitool.txt" >&2
	fail "Sarif.Multitool wrote no output log"
fi
if ! node "$pins/report.js" "$work/multitool.sarif"; then
	status=1
fi

if [ $status -ne 0 ]; then
	fail "$what is not a clean SARIF 2.1.0 log"
fi
echo "t_sarif_validate: OK"
