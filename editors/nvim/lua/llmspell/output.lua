-- The output of runs: one scratch buffer per script, shown in a split, into which a run's events
-- are written as they arrive. This module knows how to draw events; which run owns which buffer
-- is decided in `run.lua`.

local config = require("llmspell.config")

local M = {}

local ns = vim.api.nvim_create_namespace("llmspell_output")

-- Highlight groups, linked with `default` so a colour scheme or the user can restyle them.
local highlights = {
  LlmspellRunHeader = "Title",
  LlmspellRunStderr = "WarningMsg",
  LlmspellRunToken = "Special",
  LlmspellRunTool = "Function",
  LlmspellRunStep = "Comment",
  LlmspellRunResult = "String",
  LlmspellRunError = "ErrorMsg",
  LlmspellRunExitOk = "DiagnosticOk",
  LlmspellRunExitFailed = "DiagnosticError",
}
for group, link in pairs(highlights) do
  vim.api.nvim_set_hl(0, group, { link = link, default = true })
end

-- The output buffer of each script, by the script's path.
local buffers = {}

-- What each output buffer shows: `run` (the key of the run it belongs to, false while a run is
-- being started) and `unechoed` (streamed tokens drawn but not yet printed by the script; see
-- `draw_stdout`).
local state = {}

--- The output buffer of the script `path` (created on first use). `path` names the buffer, so
--- `:ls!` and the window bar tell which script's output it is.
---@param path string
---@return integer bufnr
function M.buffer_for(path)
  local existing = buffers[path]
  if existing and vim.api.nvim_buf_is_valid(existing) then
    return existing
  end
  local bufnr = vim.api.nvim_create_buf(false, true)
  -- The name shows in the status line, so it is short (relative to the current folder, as
  -- Neovim shows file names) unless another output buffer has that name already.
  local short = "llmspell://output/" .. vim.fn.fnamemodify(path, ":~:.")
  if not pcall(vim.api.nvim_buf_set_name, bufnr, short) then
    vim.api.nvim_buf_set_name(bufnr, "llmspell://output/" .. path)
  end
  vim.bo[bufnr].bufhidden = "hide"
  vim.bo[bufnr].swapfile = false
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].filetype = "llmspellrun"
  vim.keymap.set("n", "q", function()
    -- The last window cannot be closed; `q` then does nothing rather than raise an error.
    pcall(vim.cmd.close)
  end, {
    buffer = bufnr,
    nowait = true,
    desc = "Close the llmspell output window",
  })
  vim.keymap.set("n", "<C-c>", "<Cmd>LlmspellStop<CR>", {
    buffer = bufnr,
    desc = "Stop the run shown in this buffer",
  })
  buffers[path] = bufnr
  state[bufnr] = { run = nil, unechoed = "" }
  return bufnr
end

--- The output buffer of the script `path`, if it has one already.
---@param path string
---@return integer|nil
function M.find(path)
  local bufnr = buffers[path]
  if bufnr and vim.api.nvim_buf_is_valid(bufnr) then
    return bufnr
  end
  return nil
end

--- Whether `bufnr` is one of the output buffers.
function M.is_output(bufnr)
  return state[bufnr] ~= nil and vim.api.nvim_buf_is_valid(bufnr)
end

--- The key of the run `bufnr` shows (nil if none, false while one is starting).
function M.run_of(bufnr)
  return state[bufnr] and state[bufnr].run
end

--- Empties `bufnr` and hands it to the run `run_key` (false: a run that is being started and
--- has no id yet). Events of any other run are no longer drawn into it.
function M.claim(bufnr, run_key)
  vim.bo[bufnr].modifiable = true
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, {})
  vim.bo[bufnr].modifiable = false
  vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  state[bufnr] = { run = run_key, unechoed = "" }
end

--- Hands `bufnr` to `run_key` without clearing it (the run that was being started got its id).
function M.assign(bufnr, run_key)
  state[bufnr].run = run_key
end

-- Where each `output.position` opens the split; `win = -1` makes it span the whole tab page
-- (as `:botright` does) rather than split the current window.
local splits = { bottom = "below", top = "above", left = "left", right = "right" }

--- Shows `bufnr` in a split of the current tab page, unless a window there shows it already;
--- returns that window. The cursor stays where it was unless `output.focus` is set.
---@param bufnr integer
---@return integer winid
function M.show(bufnr)
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.api.nvim_win_get_buf(win) == bufnr then
      return win
    end
  end
  local opts = config.options.output
  local vertical = opts.position == "left" or opts.position == "right"
  local win_config = { split = splits[opts.position], win = -1 }
  if vertical then
    win_config.width = opts.width
  else
    win_config.height = opts.height
  end
  local win = vim.api.nvim_open_win(bufnr, opts.focus, win_config)
  for option, value in pairs({
    number = false,
    relativenumber = false,
    signcolumn = "no",
    foldcolumn = "0",
    spell = false,
    list = false,
    wrap = true,
    winfixheight = not vertical,
    winfixwidth = vertical,
  }) do
    vim.api.nvim_set_option_value(option, value, { win = win, scope = "local" })
  end
  return win
end

--- Appends `text` at the very end of `bufnr`, continuing its last line (text without a line
--- break stays on that line, as a terminal shows `io.write`), highlighted with `hl`. Windows
--- showing the end of the buffer keep showing it.
local function append(bufnr, text, hl)
  if text == "" or not vim.api.nvim_buf_is_valid(bufnr) then
    return
  end
  local lines = vim.split(text:gsub("\r\n", "\n"), "\n", { plain = true })
  local last_row = vim.api.nvim_buf_line_count(bufnr) - 1
  local last_line = vim.api.nvim_buf_get_lines(bufnr, last_row, last_row + 1, false)[1] or ""
  local start_col = #last_line

  -- A window follows the output if it is not the one being read, or if its cursor was already
  -- on the last line; a user scrolled back to read earlier output is left there.
  local following = {}
  if config.options.output.follow then
    local current = vim.api.nvim_get_current_win()
    for _, win in ipairs(vim.fn.win_findbuf(bufnr)) do
      if win ~= current or vim.api.nvim_win_get_cursor(win)[1] == last_row + 1 then
        table.insert(following, win)
      end
    end
  end

  vim.bo[bufnr].modifiable = true
  vim.api.nvim_buf_set_text(bufnr, last_row, start_col, last_row, start_col, lines)
  vim.bo[bufnr].modifiable = false

  local end_row = last_row + #lines - 1
  local end_col = #lines == 1 and start_col + #lines[1] or #lines[#lines]
  if hl and (end_row > last_row or end_col > start_col) then
    vim.api.nvim_buf_set_extmark(bufnr, ns, last_row, start_col, {
      end_row = end_row,
      end_col = end_col,
      hl_group = hl,
    })
  end
  for _, win in ipairs(following) do
    vim.api.nvim_win_set_cursor(win, { vim.api.nvim_buf_line_count(bufnr), 0 })
  end
end

--- Starts a new line unless the buffer's last line is empty, so that a structured event (a tool
--- call, a step, the exit line) never trails printed text.
local function new_line(bufnr)
  local last = vim.api.nvim_buf_get_lines(bufnr, -2, -1, false)[1] or ""
  if last ~= "" then
    append(bufnr, "\n")
  end
end

--- Appends a whole line of its own.
local function line(bufnr, text, hl)
  new_line(bufnr)
  append(bufnr, text .. "\n", hl)
end

--- One line of JSON (or the string itself), shortened to `max` characters.
local function brief(value, max)
  local text = type(value) == "string" and value or vim.json.encode(value)
  text = text:gsub("\n", "\\n")
  if vim.fn.strchars(text) > max then
    text = vim.fn.strcharpart(text, 0, max - 1) .. "…"
  end
  return text
end

local function duration(ms)
  if type(ms) ~= "number" then
    return ""
  end
  if ms < 1000 then
    return ("%d ms"):format(ms)
  end
  return ("%.1f s"):format(ms / 1000)
end

--- Draws printed text. A script that streams an answer usually prints each chunk too, and the
--- server then sends each chunk twice: as a `token` event and as the `stdout` event of the
--- print. Printed text that repeats tokens already drawn is therefore skipped, so the answer
--- appears once; printed text that does not (the script prints something else) starts on a
--- line of its own below the tokens.
local function draw_stdout(bufnr, st, text, hl)
  if st.unechoed ~= "" and vim.startswith(st.unechoed, text) then
    st.unechoed = st.unechoed:sub(#text + 1)
    return
  end
  if st.unechoed ~= "" then
    st.unechoed = ""
    new_line(bufnr)
  end
  append(bufnr, text, hl)
end

local step_marks = { running = "»", ok = "✓", error = "✗" }

-- How each event type is drawn; `st` is the buffer's state.
local draw = {
  started = function(bufnr, _, event)
    local name = event.file and vim.fs.basename(event.file) or "script"
    line(bufnr, ("▶ %s (%s)"):format(name, event.engine or "?"), "LlmspellRunHeader")
  end,
  stdout = function(bufnr, st, event)
    draw_stdout(bufnr, st, event.text or "", nil)
  end,
  stderr = function(bufnr, st, event)
    draw_stdout(bufnr, st, event.text or "", "LlmspellRunStderr")
  end,
  token = function(bufnr, st, event)
    append(bufnr, event.text or "", "LlmspellRunToken")
    st.unechoed = st.unechoed .. (event.text or "")
  end,
  tool_call = function(bufnr, _, event)
    local text = ("⚙ %s %s"):format(event.tool or "?", brief(event.params or {}, 120))
    if event.error ~= nil then
      text = text .. " → error: " .. brief(event.error, 200)
    elseif event.result ~= nil then
      text = text .. " → " .. brief(event.result, 200)
    end
    line(bufnr, text, "LlmspellRunTool")
  end,
  step = function(bufnr, _, event)
    local text = ("%s %s › %s"):format(
      step_marks[event.status] or "·",
      event.workflow or "workflow",
      event.step or tostring(event.index or "?")
    )
    if event.durationMs then
      text = text .. " (" .. duration(event.durationMs) .. ")"
    end
    if event.error ~= nil then
      text = text .. ": " .. brief(event.error, 200)
    elseif event.status == "ok" and event.output ~= nil then
      text = text .. " → " .. brief(event.output, 120)
    end
    line(bufnr, text, event.status == "error" and "LlmspellRunError" or "LlmspellRunStep")
  end,
  -- A script that returns nothing has a null result (absent once decoded): not worth a line.
  result = function(bufnr, _, event)
    if event.value ~= nil and event.value ~= vim.NIL then
      line(bufnr, "⇐ " .. brief(event.value, 1000), "LlmspellRunResult")
    end
  end,
  error = function(bufnr, _, event)
    local text = "✗ " .. tostring(event.message or "error")
    if event.limit then
      text = text .. (" (limit: %s)"):format(tostring(event.limit))
    end
    line(bufnr, text, "LlmspellRunError")
  end,
  finished = function(bufnr, _, event)
    local ok = event.exitCode == 0
    line(
      bufnr,
      ("■ finished: exit code %s in %s"):format(
        tostring(event.exitCode),
        duration(event.durationMs)
      ),
      ok and "LlmspellRunExitOk" or "LlmspellRunExitFailed"
    )
  end,
}

--- Draws one event of a run into its output buffer. Event types this version does not know are
--- shown as JSON rather than dropped, so a newer server's output is never lost.
---@param bufnr integer
---@param event table
function M.draw(bufnr, event)
  local st = state[bufnr]
  if not st or not vim.api.nvim_buf_is_valid(bufnr) then
    return
  end
  local drawer = draw[event.type]
  if event.type ~= "stdout" and event.type ~= "stderr" and event.type ~= "token" then
    st.unechoed = ""
  end
  if drawer then
    drawer(bufnr, st, event)
  else
    line(bufnr, ("%s %s"):format(tostring(event.type), brief(event, 200)), "LlmspellRunStep")
  end
end

--- Writes a line of the plugin's own (not an event of the run) into `bufnr`.
function M.note(bufnr, text, hl)
  if vim.api.nvim_buf_is_valid(bufnr) then
    line(bufnr, text, hl or "LlmspellRunError")
  end
end

return M
