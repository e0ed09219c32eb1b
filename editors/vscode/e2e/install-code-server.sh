#!/usr/bin/env bash
# (A copy of ../shared/tools/install-code-server.sh from beside the repository, which run.mjs
# prefers; this copy is used when the repository is cloned somewhere without that folder.)
#
# Installs a real VS Code (code-server, the browser build of VS Code) and Debian's Chromium for
# end-to-end tests of the VS Code extension, on a machine whose only network is the package registries.
#
#   install-code-server.sh [PREFIX]      (default PREFIX: ~/.cache/llmspell-e2e)
#
# Afterwards: PREFIX/node_modules/.bin/code-server and /usr/bin/chromium exist, and
# PREFIX/node_modules/playwright-core is there to drive Chromium (launch it with
# executablePath '/usr/bin/chromium' and the flags in CHROMIUM_FLAGS below).
# It is idempotent: a second run with everything in place returns at once.
#
# Why the tricks: code-server's install builds VS Code's native modules (needs the -dev packages
# below), its node-pty step runs `npx node-gyp` (needs npm_config_yes), and @vscode/ripgrep
# downloads a binary from the internet in its postinstall: we hand it Debian's ripgrep through
# the download cache that @vscode/ripgrep checks first (TMPDIR/vscode-ripgrep-cache-VERSION/).
set -euo pipefail
PREFIX=${1:-$HOME/.cache/llmspell-e2e}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.100.3}
PLAYWRIGHT_VERSION=${PLAYWRIGHT_VERSION:-1}
export CHROMIUM_FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"

if [[ -x $PREFIX/node_modules/.bin/code-server && -d $PREFIX/node_modules/playwright-core && -x /usr/bin/chromium ]]; then
  echo "code-server and chromium already installed under $PREFIX"
  exit 0
fi

need_apt=()
for pkg in chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if ((${#need_apt[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Debian's ripgrep, packed the way @vscode/ripgrep's cache expects, for every version it may want.
rgtmp=$(mktemp -d)
trap 'rm -rf "$rgtmp"' EXIT
( cd "$rgtmp" && cp "$(command -v rg)" rg && tar czf rg.tgz rg )
for minor in 15 16 17; do
  for patch in $(seq 0 20); do
    d=$rgtmp/vscode-ripgrep-cache-1.$minor.$patch
    mkdir -p "$d"
    for tag in 4 9 10 11 12 13 14 15; do
      ln -sf "$rgtmp/rg.tgz" "$d/ripgrep-v13.0.0-$tag-x86_64-unknown-linux-musl.tar.gz"
    done
  done
done

mkdir -p "$PREFIX"
cd "$PREFIX"
[[ -f package.json ]] || echo '{"name":"llmspell-e2e-tools","private":true}' > package.json
TMPDIR=$rgtmp npm_config_yes=true npm_config_unsafe_perm=true \
  npm install --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
"$PREFIX/node_modules/.bin/code-server" --version | head -1
