#!/bin/sh
# Installs what building and testing need, on Debian, when it is missing. Run as root
# (CI and the README's set-up do); as another user it only says what to install.
# Usage: tools/deps.sh [--tests]
set -eu
need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }
# A NAME=VERSION entry pins a Debian version: another installed version counts as missing.
have_pkg() {
  name=${1%%=*}
  st=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null) || return 1
  case "$st" in *"ok installed"*) ;; *) return 1 ;; esac
  [ "$name" = "$1" ] || [ "${st##* }" = "${1#*=}" ]
}
# help2man: the manual page is made from --help at build time.
for p in cmake gcc make libcjson-dev libgit2-dev libclang-dev python3-dev nodejs npm python3 git help2man; do
  have_pkg "$p" || need="$need $p"
done
if [ "${1:-}" = "--tests" ]; then
  # libicu: the SARIF Multitool (.NET) wants it; time: peak RSS in the bench; python3-yaml:
  # docs/ci.md's snippets (tests/t_ci_docs.py); neovim: its built-in LSP client drives the
  # language server (tests/t_lsp_nvim.sh), as Emacs's eglot does (emacs-nox and elpa-eglot,
  # pinned: tests/t_lsp_emacs.sh); pre-commit (pinned) runs the hooks in
  # tests/t_precommit.sh; tests/t_install.sh renders the manual page (man-db), builds the
  # .deb (dpkg-dev's dpkg-shlibdeps) and installs it into a clean Debian root that
  # debootstrap makes.
  for p in python3-pytest-asyncio python3-yaml libicu72 time neovim emacs-nox=1:28.2+1-15+deb12u4 elpa-eglot=1.9-2 \
    pre-commit=3.0.4-1 man-db dpkg-dev debootstrap; do
    have_pkg "$p" || need="$need $p"
  done
fi
# npm from a non-Debian install (nvm, nodesource) is fine too.
if have_cmd npm && have_cmd node; then
  need=$(echo "$need" | sed 's/ nodejs//; s/ npm//')
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "async-analyzer: missing packages:$need" >&2
  echo "install them with: sudo apt-get install -y$need" >&2
  exit 1
fi
echo "tools/deps.sh: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || { echo "apt-get update failed: is a Debian mirror reachable?" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
