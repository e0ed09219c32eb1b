-- Defines the plugin's commands at startup; nothing starts until `require("llmspell").setup()`
-- (or a server configured elsewhere attaches). See `:help llmspell`.

if vim.g.loaded_llmspell then
  return
end
vim.g.loaded_llmspell = true

if vim.fn.has("nvim-0.10") == 0 then
  vim.api.nvim_echo({ { "llmspell.nvim needs Neovim 0.10 or newer", "ErrorMsg" } }, true, {})
  return
end

require("llmspell.commands").define()
