#!/bin/sh
# Emacs (Debian's emacs-nox with elpa-eglot, pinned and installed by tools/deps.sh --tests)
# drives `async-analyzer server` through eglot, in batch mode, configured by the Emacs
# snippet of docs/editors.md itself (the first ```elisp block, so the page cannot drift
# from what is tested): a diagnostic with the right code, on the right text, with the
# severity the workspace's pyproject.toml gives (tests/lsp-client/emacs_check.el).
# Env: AA_BIN. Run from the repository root.
set -eu
fail() {
	echo "t_lsp_emacs: FAIL: $*" >&2
	exit 1
}
[ -n "${AA_BIN:-}" ] || fail "AA_BIN is not set"
command -v emacs >/dev/null 2>&1 || fail "emacs is missing (tools/deps.sh --tests installs emacs-nox and elpa-eglot)"
check="$(pwd)/tests/lsp-client/emacs_check.el"
work=$(mktemp -d "${TMPDIR:-/tmp}/aa-emacs.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
awk '/^```elisp$/ { on = 1; next } on && /^```$/ { exit } on' docs/editors.md >"$work/snippet.el"
grep -q 'eglot-server-programs' "$work/snippet.el" || fail "no Emacs snippet in docs/editors.md"
mkdir "$work/ws" "$work/bin"
# The snippet runs "async-analyzer" from PATH, as an installed one would be.
ln -s "$AA_BIN" "$work/bin/async-analyzer"
printf 'import time\n\n\nasync def handler():\n    time.sleep(1)\n' >"$work/ws/handler.py"
printf '[tool.async-analyzer]\nseverity = { AA101 = "warning" }\n' >"$work/ws/pyproject.toml"
status=0
# --batch reads no init file but Debian's site-start, which puts the elpa-* packages on the
# load path.
(cd "$work/ws" && PATH="$work/bin:$PATH" HOME="$work" timeout 60 emacs --batch -l "$work/snippet.el" -l "$check") \
	>"$work/out" 2>&1 || status=$?
cat "$work/out"
grep -q '^ok - ' "$work/out" || fail "Emacs ran no check"
[ "$status" = 0 ] || fail "Emacs exited with $status"
