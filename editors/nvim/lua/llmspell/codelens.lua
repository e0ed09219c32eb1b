-- The server's code lens ("▶ Run", and "■ Stop" while the script runs) for users who turn on
-- the `codelens` option. Neovim shows code lenses only after asking for them, so the lenses are
-- refreshed when the buffer is entered or edited; the server itself asks for a refresh when a
-- run starts or ends (`workspace/codeLens/refresh`, which Neovim answers on its own).

local M = {}

local function refresh(bufnr)
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.lsp.codelens.refresh({ bufnr = bufnr })
  end
end

---@param _ vim.lsp.Client
---@param bufnr integer
function M.attach(_, bufnr)
  local group = vim.api.nvim_create_augroup("llmspell_codelens_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      refresh(bufnr)
    end,
  })
  refresh(bufnr)
end

return M
