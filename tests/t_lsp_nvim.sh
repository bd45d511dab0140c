#!/bin/sh
# Debian's Neovim (installed by tools/deps.sh --tests) with its built-in LSP client drives
# `async-analyzer server`: diagnostics on open (with the severity the workspace's
# pyproject.toml gives), hover, an edit, stop
# (tests/lsp-client/nvim_check.lua). The docs/editors.md snippet for Neovim is the same
# start_client call.
# Env: AA_BIN. Run from the repository root.
set -eu
fail() {
	echo "t_lsp_nvim: FAIL: $*" >&2
	exit 1
}
[ -n "${AA_BIN:-}" ] || fail "AA_BIN is not set"
command -v nvim >/dev/null 2>&1 || fail "nvim is missing (tools/deps.sh --tests installs neovim)"
script="$(pwd)/tests/lsp-client/nvim_check.lua"
work=$(mktemp -d "${TMPDIR:-/tmp}/aa-nvim.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
printf 'import time\n\n\nasync def handler():\n    s = "\360\237\230\200\303\251"; time.sleep(1)\n' >"$work/handler.py"
# The workspace's configuration applies: AA101's findings are warnings here.
printf '[tool.async-analyzer]\nseverity = { AA101 = "warning" }\n' >"$work/pyproject.toml"
status=0
# -u NONE: no user configuration; -i NONE: no shada file; output comes through print().
(cd "$work" && HOME="$work" XDG_CONFIG_HOME="$work/cfg" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" \
	timeout 60 nvim --headless -u NONE -i NONE -c "luafile $script" handler.py) >"$work/out" 2>&1 || status=$?
cat "$work/out"
grep -q '^ok - ' "$work/out" || fail "Neovim ran no check"
[ "$status" = 0 ] || fail "Neovim exited with $status"
