-- Starting the language server and finding it again: workspace root detection, the client
-- configuration handed to `vim.lsp.start`, and the lookup of the llmspell client of a buffer.

local config = require("llmspell.config")

local M = {}

--- The client name, which `vim.lsp.start` also uses to reuse one client per root.
M.name = "llmspell"

--- The command the server runs scripts with; a client that offers it is an llmspell server,
--- whoever configured it (this plugin, nvim-lspconfig or `vim.lsp.config`).
M.RUN_COMMAND = "llmspell.runScript"

--- Whether `bufnr` is a buffer that can belong to a workspace: a loaded, named file buffer.
--- Help, terminal, quickfix and scratch buffers (our own output included) never can.
---@param bufnr integer
---@return boolean
function M.is_file_buffer(bufnr)
  return vim.api.nvim_buf_is_valid(bufnr)
    and vim.bo[bufnr].buftype == ""
    and vim.api.nvim_buf_get_name(bufnr) ~= ""
end

--- The llmspell workspace root of `bufnr`: the nearest folder above its file that holds one of
--- `root_markers` (the same `llmspell.toml` the server itself reads), or nil outside any.
---@param bufnr integer
---@return string|nil
function M.root_dir(bufnr)
  if not M.is_file_buffer(bufnr) then
    return nil
  end
  local opts = config.options
  if opts.root_dir then
    return opts.root_dir(bufnr)
  end
  return vim.fs.root(bufnr, opts.root_markers)
end

--- Sends a request through `client`, with the method-call syntax Neovim 0.11 introduced and
--- the function-field syntax 0.10 has (0.11 keeps the latter only as a deprecated shim).
---@return boolean sent, integer|nil request_id
function M.request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- Whether `client` is an llmspell server that has finished initializing: it advertises the
--- run command.
---@param client vim.lsp.Client
---@return boolean
function M.is_llmspell(client)
  local provider = client.server_capabilities and client.server_capabilities.executeCommandProvider
  local commands = type(provider) == "table" and provider.commands or {}
  return vim.tbl_contains(commands, M.RUN_COMMAND)
end

--- The llmspell client attached to `bufnr`, whether this plugin or another configuration
--- started it; nil when none is attached or it is still initializing.
---@param bufnr integer
---@return vim.lsp.Client|nil
function M.client_for(bufnr)
  for _, client in ipairs(vim.lsp.get_clients({ bufnr = bufnr })) do
    if M.is_llmspell(client) then
      return client
    end
  end
  return nil
end

--- The configuration handed to `vim.lsp.start` for a workspace at `root`.
---@param root string
---@return table
function M.client_config(root)
  local opts = config.options
  local capabilities = vim.tbl_deep_extend(
    "force",
    vim.lsp.protocol.make_client_capabilities(),
    opts.capabilities or {}
  )
  local extension = require("llmspell").lsp_config()
  return {
    name = M.name,
    cmd = opts.cmd,
    cmd_env = opts.cmd_env,
    root_dir = root,
    workspace_folders = {
      { uri = vim.uri_from_fname(root), name = vim.fs.basename(root) },
    },
    capabilities = capabilities,
    -- The server reads them at start, and again from every didChangeConfiguration (which
    -- Neovim sends from `settings`, under the section the server looks for).
    init_options = opts.settings,
    settings = { llmspell = opts.settings },
    handlers = vim.tbl_extend("force", extension.handlers, opts.handlers or {}),
    commands = extension.commands,
    on_exit = extension.on_exit,
    on_attach = function(client, bufnr)
      if opts.codelens then
        require("llmspell.codelens").attach(client, bufnr)
      end
      if opts.on_attach then
        opts.on_attach(client, bufnr)
      end
    end,
  }
end

--- Starts the server for `bufnr`, or attaches the buffer to the running client of its root.
--- Returns the client id, or nil when the buffer is outside every llmspell workspace (which
--- is not an error: most Lua and JavaScript files are not llmspell scripts).
---@param bufnr integer
---@return integer|nil
function M.attach(bufnr)
  local root = M.root_dir(bufnr)
  if not root then
    return nil
  end
  return vim.lsp.start(M.client_config(root), { bufnr = bufnr })
end

return M
