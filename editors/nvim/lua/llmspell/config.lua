-- The plugin's options: their defaults, a check of what the user passed, and the merged result
-- every other module reads. Unknown or mistyped options are reported rather than ignored, because
-- a silently ignored typo ("filetype" for "filetypes") is the hardest setup mistake to find.

local M = {}

---@class llmspell.OutputOptions
---@field position "bottom"|"top"|"left"|"right" Where the output split opens.
---@field height integer Rows of a bottom or top split.
---@field width integer Columns of a left or right split.
---@field focus boolean Whether running a script moves the cursor into the output window.
---@field follow boolean Whether the output window scrolls to new output as it arrives.

---@class llmspell.Options
---@field cmd string[] The server command.
---@field cmd_env table<string,string>|nil Extra environment variables for the server.
---@field filetypes string[] Filetypes whose buffers get the server.
---@field root_markers string[] Files or folders that mark an llmspell workspace root.
---@field root_dir nil|fun(bufnr: integer): string|nil Overrides the root detection.
---@field autostart boolean Whether matching buffers start (or join) a client on their own.
---@field on_attach nil|fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities table|nil Merged over Neovim's own client capabilities.
---@field handlers table<string,function>|nil Extra LSP handlers (they win over the plugin's).
---@field codelens boolean Whether to show and refresh the server's "▶ Run" code lens.
---@field settings table The server's settings (`diagnostics.enable`, `codeLens.enable`).
---@field output llmspell.OutputOptions

---@type llmspell.Options
M.defaults = {
  cmd = { "llmspell", "lsp" },
  cmd_env = nil,
  filetypes = { "lua", "javascript" },
  root_markers = { "llmspell.toml" },
  root_dir = nil,
  autostart = true,
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
  codelens = false,
  settings = {},
  output = {
    position = "bottom",
    height = 12,
    width = 80,
    focus = false,
    follow = true,
  },
}

-- The type each option must have; "?" marks one that may be nil.
local schema = {
  cmd = "table",
  cmd_env = "table?",
  filetypes = "table",
  root_markers = "table",
  root_dir = "function?",
  autostart = "boolean",
  on_attach = "function?",
  capabilities = "table?",
  handlers = "table?",
  codelens = "boolean",
  settings = "table",
  output = "table",
}

local output_schema = {
  position = "string",
  height = "number",
  width = "number",
  focus = "boolean",
  follow = "boolean",
}

local positions = { bottom = true, top = true, left = true, right = true }

--- Returns the problems found in `opts` against `spec`, each a sentence naming the option.
local function check(opts, spec, prefix, problems)
  for key, value in pairs(opts) do
    local expected = spec[key]
    if expected == nil then
      table.insert(problems, ("unknown option '%s%s'"):format(prefix, tostring(key)))
    else
      local optional = expected:sub(-1) == "?"
      local kind = optional and expected:sub(1, -2) or expected
      if type(value) ~= kind and not (optional and value == nil) then
        table.insert(
          problems,
          ("option '%s%s' must be a %s, got %s"):format(prefix, key, kind, type(value))
        )
      end
    end
  end
  return problems
end

--- Checks the user's options; returns a list of problems (empty when all is well).
---@param opts table
---@return string[]
function M.validate(opts)
  local problems = check(opts, schema, "", {})
  if type(opts.output) == "table" then
    check(opts.output, output_schema, "output.", problems)
    if opts.output.position ~= nil and not positions[opts.output.position] then
      table.insert(
        problems,
        "option 'output.position' must be one of bottom, top, left, right, got "
          .. tostring(opts.output.position)
      )
    end
  end
  if type(opts.cmd) == "table" and (#opts.cmd == 0 or type(opts.cmd[1]) ~= "string") then
    table.insert(problems, "option 'cmd' must be a non-empty list of strings")
  end
  return problems
end

---@type llmspell.Options
M.options = vim.deepcopy(M.defaults)

--- Replaces the current options with the defaults merged with `opts`. Lists (`cmd`,
--- `filetypes`, `root_markers`) are replaced as a whole, not merged item by item, so that
--- `filetypes = { "lua" }` really means only Lua.
---@param opts table|nil
---@return string[] problems
function M.set(opts)
  opts = opts or {}
  local problems = M.validate(opts)
  if #problems > 0 then
    return problems
  end
  local merged = vim.deepcopy(M.defaults)
  for key, value in pairs(opts) do
    if key == "output" then
      merged.output = vim.tbl_extend("force", merged.output, value)
    else
      merged[key] = value
    end
  end
  M.options = merged
  return problems
end

return M
