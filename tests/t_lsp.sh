#!/bin/sh
# The language server (`async-analyzer server`) driven by the LSP client libraries VS Code
# uses (tests/lsp-client/client.js: vscode-languageserver-protocol and vscode-jsonrpc,
# pinned in tests/lsp-client/package-lock.json, installed into $AA_BUILD/lsp-client with
# `npm ci`), and by raw malformed input. Runs in both builds: under ASan+UBSan it checks
# the server's threads and memory too.
# Env: AA_BIN, AA_BUILD. Run from the repository root.
set -eu

fail() {
	echo "t_lsp: FAIL: $*" >&2
	exit 1
}

[ -n "${AA_BIN:-}" ] && [ -n "${AA_BUILD:-}" ] || fail "AA_BIN and AA_BUILD must be set"
command -v node >/dev/null 2>&1 || fail "node is missing (tools/deps.sh installs nodejs)"
. "$(dirname "$0")/npm_pins.sh"
npm_pins lsp-client

work=$(mktemp -d "${TMPDIR:-/tmp}/aa-lsp.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
out="$work/client.out"
status=0
NODE_PATH="$tools/node_modules" node "$pins/client.js" "$AA_BIN" "$work/ws" >"$out" 2>&1 || status=$?
cat "$out"
grep -q '^ok - ' "$out" || fail "the client ran no check"
[ "$status" = 0 ] || fail "$status check(s) failed"
