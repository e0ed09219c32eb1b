-- llmspell for Neovim: starts `llmspell lsp` for the Lua and JavaScript buffers of llmspell
-- workspaces (folders with an llmspell.toml), and runs scripts through it with their output
-- streamed into a split. See `:help llmspell`.

local config = require("llmspell.config")

local M = {}

-- Whether `setup()` has run, for `:checkhealth llmspell`.
M.did_setup = false

--- Attaches every loaded buffer that qualifies, so that calling `setup()` late (a lazily loaded
--- plugin) still serves the files opened before it.
local function attach_loaded_buffers()
  local lsp = require("llmspell.lsp")
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if
      vim.api.nvim_buf_is_loaded(bufnr)
      and vim.tbl_contains(config.options.filetypes, vim.bo[bufnr].filetype)
    then
      lsp.attach(bufnr)
    end
  end
end

--- Configures the plugin; see `:help llmspell-options`. Calling it again replaces the options
--- (clients already running keep theirs until they are restarted).
---@param opts llmspell.Options|nil
function M.setup(opts)
  if vim.fn.has("nvim-0.10") == 0 then
    vim.notify("llmspell.nvim needs Neovim 0.10 or newer", vim.log.levels.ERROR)
    return
  end
  local problems = config.set(opts)
  if #problems > 0 then
    vim.notify(
      "llmspell.setup: " .. table.concat(problems, "; ") .. " (see :help llmspell-options)",
      vim.log.levels.ERROR
    )
    return
  end
  M.did_setup = true
  require("llmspell.commands").define()

  local group = vim.api.nvim_create_augroup("llmspell", { clear = true })
  if config.options.autostart then
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = config.options.filetypes,
      desc = "Start or join the llmspell language server of the buffer's workspace",
      callback = function(args)
        require("llmspell.lsp").attach(args.buf)
      end,
    })
    attach_loaded_buffers()
  end
end

--- What an LSP client configuration needs for runs to show in Neovim: the
--- `llmspell/runOutput` handler and the client-side commands behind the code lens. This plugin
--- uses it for its own clients; merge it into an nvim-lspconfig or `vim.lsp.config` setup of
--- the server (see `:help llmspell-lspconfig`).
---@return {handlers: table<string, function>, commands: table<string, function>}
function M.lsp_config()
  local run = require("llmspell.run")
  return {
    handlers = { [run.OUTPUT_METHOD] = run.on_output },
    commands = run.commands,
    on_exit = function(_, _, client_id)
      vim.schedule(function()
        run.on_client_exit(client_id)
      end)
    end,
  }
end

--- Starts (or joins) the llmspell client of `bufnr` by hand, whatever `autostart` says.
--- Returns the client id, or nil outside an llmspell workspace.
---@param bufnr integer|nil
---@return integer|nil
function M.start(bufnr)
  return require("llmspell.lsp").attach(bufnr or vim.api.nvim_get_current_buf())
end

--- Runs the script in `bufnr` (default: the current buffer); see `:LlmspellRun`.
---@param bufnr integer|nil
---@param args string[]|nil
function M.run(bufnr, args)
  require("llmspell.run").start(bufnr or 0, args)
end

--- Stops the run of `bufnr` (default: the current buffer), or every run with `all`; see
--- `:LlmspellStop`.
---@param bufnr integer|nil
---@param all boolean|nil
function M.stop(bufnr, all)
  require("llmspell.run").stop(bufnr or 0, all)
end

return M
