#!/usr/bin/env bash
# Makes docs/images/nvim.png: a real Neovim with the plugin, run in a detached tmux at a fixed
# size, showing a demo script, its streamed run output and completion after `Agent.`; the pane
# is captured with its colours and drawn to a PNG (ansi_to_png.py, with Pillow).
#
#   editors/nvim/scripts/screenshot.sh [OUT.png]     (default: docs/images/nvim.png)
#
# Needs tmux and the DejaVu fonts; Neovim and Pillow are installed under ~/.cache/llmspell-e2e.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
out=${1:-$root/docs/images/nvim.png}

nvim=${NVIM_BIN:-$(bash "$root/../shared/tools/install-neovim.sh" | tail -n 1)}
if [[ -z ${LLMSPELL_BIN:-} ]]; then
  (cd "$root" && cargo build --quiet -p llmspell-server)
  LLMSPELL_BIN=$root/target/debug/llmspell
fi

venv=$HOME/.cache/llmspell-e2e/screenshot-venv
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -c 'import PIL' 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check "pillow==13.0.0"

work=$(mktemp -d)
socket=llmspell-screenshot-$$
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The demo workspace: the offline mock model, and a script with an agent, a tool and a workflow.
demo=$work/demo
mkdir -p "$demo"
echo 'default_model = "mock/echo"' >"$demo/llmspell.toml"
cat >"$demo/haiku.lua" <<'LUA'
-- haiku.lua: a streamed answer, a tool call and a workflow.
local poet = Agent.create{ name = "poet", system = "You write haiku." }
local calc = Tool.get("calculator")
print("syllables: " .. calc:execute{ expression = "5 + 7 + 5" }.result)

for chunk in poet:stream("Autumn rain drums on the old tin roof") do
  io.write(chunk)
end
print()

local wf = Workflow.sequential{ steps = {
  { name = "draft", agent = poet, input = "{{input}} at dusk" },
  { name = "loud", tool = "text", params = { text = "{{prev}}", operation = "upper" } },
}}
print(wf:execute("Cold moon").output.result)
LUA

ready=$work/ready
tmux -L "$socket" -f /dev/null new-session -d -s shot -x 100 -y 34 \
  "cd '$demo' && env TERM=tmux-256color COLORTERM=truecolor LLMSPELL_BIN='$LLMSPELL_BIN' \
   SCREENSHOT_READY='$ready' XDG_STATE_HOME='$work/state' XDG_CONFIG_HOME='$work/config' \
   '$nvim' -u '$here/screenshot.lua' -i NONE haiku.lua; sleep 30"
tmux -L "$socket" set-option -g default-terminal tmux-256color >/dev/null

for _ in $(seq 300); do
  [[ -f $ready ]] && break
  sleep 0.1
done
if [[ ! -f $ready ]]; then
  echo "screenshot.sh: Neovim did not get ready within 30 s; the screen was:" >&2
  tmux -L "$socket" capture-pane -p -t shot >&2
  exit 1
fi
tmux -L "$socket" capture-pane -p -e -N -t shot >"$work/capture.txt"

fonts=/usr/share/fonts/truetype/dejavu
mkdir -p "$(dirname "$out")"
"$venv/bin/python" "$here/ansi_to_png.py" "$work/capture.txt" "$out" \
  --font "$fonts/DejaVuSansMono.ttf" --bold-font "$fonts/DejaVuSansMono-Bold.ttf" \
  --fallback "$fonts/DejaVuSans.ttf"
echo "$out"
