#!/usr/bin/env bash
# Tests the Neovim plugin in a real, headless Neovim against the real language server.
#
#   editors/nvim/test/run.sh
#
# Neovim comes from ../shared/tools/install-neovim.sh (cached in ~/.cache; NVIM_BIN overrides
# it); the server is target/debug/llmspell, built here if needed (LLMSPELL_BIN overrides it).
# Exits non-zero when any spec fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)

if [[ -n ${NVIM_BIN:-} ]]; then
  nvim=$NVIM_BIN
else
  nvim=$(bash "$root/../shared/tools/install-neovim.sh" | tail -n 1)
fi

if [[ -z ${LLMSPELL_BIN:-} ]]; then
  (cd "$root" && cargo build --quiet -p llmspell-server)
  LLMSPELL_BIN=$root/target/debug/llmspell
fi
# The specs compare paths with the binary's, so a relative path or a bare name becomes absolute.
if [[ $LLMSPELL_BIN != /* ]]; then
  LLMSPELL_BIN=$(cd "$root" && realpath -e "$LLMSPELL_BIN" 2>/dev/null || command -v "$LLMSPELL_BIN" || echo "$LLMSPELL_BIN")
fi
if [[ ! -x $LLMSPELL_BIN ]]; then
  echo "run.sh: the server binary $LLMSPELL_BIN is not an executable file" >&2
  exit 2
fi
export LLMSPELL_BIN

# Neovim's config, data and state (the LSP log) go to a folder of their own, so neither the
# user's setup nor an earlier run can change what the specs see.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state
export XDG_CACHE_HOME=$home/cache

cd "$root"
status=0
# The specs wait with timeouts of their own; this outer one only catches a Neovim that hangs.
timeout 300 "$nvim" --headless -u NONE -i NONE --cmd "set rtp^=$root/editors/nvim" \
  -l "$here/spec.lua" || status=$?
if [[ $status -ne 0 && -s $home/state/nvim/lsp.log ]]; then
  echo "--- the end of Neovim's LSP log:" >&2
  tail -n 40 "$home/state/nvim/lsp.log" >&2
fi
exit $status
