#!/usr/bin/env bash
# Every test of the VS Code extension, as `cargo xtask test` runs it: install the locked
# dependencies, lint, type-check, unit tests, package the .vsix, and the end-to-end test in the
# real VS Code (code-server in headless Chromium; see e2e/run.mjs).
#
#   editors/vscode/scripts/test.sh
#
# Needs Node 20+ and npm; the end-to-end test also needs the llmspell binary (target/debug,
# built when missing, or $LLMSPELL_BIN) and installs code-server, Chromium and playwright-core
# into ~/.cache/llmspell-e2e the first time (from the npm registry and Debian's apt).
# About a minute when those caches are warm. Every step has a time limit, so nothing hangs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() {
  local limit=$1 name=$2
  shift 2
  local t0=$SECONDS
  echo "== vscode: $name"
  if ! timeout --kill-after=10 "$limit" "$@"; then
    echo "== vscode: $name FAILED (or took longer than $limit)" >&2
    return 1
  fi
  echo "== vscode: $name done in $((SECONDS - t0)) s"
}

# --ignore-scripts: no dependency needs its install script here (esbuild finds its binary
# package without it; vsce's optional keytar is only for publishing, and its script would try to
# download a prebuilt binary from GitHub).
step 10m "npm ci" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
step 5m "lint" npm run --silent lint
step 5m "typecheck" npm run --silent typecheck
step 5m "unit tests" npm run --silent test
step 5m "package" npm run --silent package
# The first run installs code-server (minutes); e2e/run.mjs limits the editor checks themselves
# to LLMSPELL_E2E_TIMEOUT_S (300 s by default).
step 45m "end-to-end (code-server)" node e2e/run.mjs --vsix llmspell.vsix
