-- The user commands. Both `plugin/llmspell.lua` (at startup) and `setup()` define them, so they
-- exist whether the plugin directory was on 'runtimepath' at startup or was added later by a
-- plugin manager, and also without `setup()`, for a server configured through nvim-lspconfig or
-- `vim.lsp.config`. Defining them again replaces them with the same thing.

local M = {}

function M.define()
  vim.api.nvim_create_user_command("LlmspellRun", function(cmd)
    require("llmspell.run").start(0, cmd.fargs)
  end, {
    nargs = "*",
    desc = "Run the current llmspell script (unsaved text included); arguments become ARGS",
  })

  vim.api.nvim_create_user_command("LlmspellStop", function(cmd)
    require("llmspell.run").stop(0, cmd.bang)
  end, {
    bang = true,
    desc = "Stop the current script's run (with !, every run)",
  })

  vim.api.nvim_create_user_command("LlmspellOutput", function()
    local output = require("llmspell.output")
    local bufnr = vim.api.nvim_get_current_buf()
    local out = output.is_output(bufnr) and bufnr or output.find(vim.api.nvim_buf_get_name(bufnr))
    if out then
      output.show(out)
    else
      vim.notify("llmspell: this script has not been run yet", vim.log.levels.WARN)
    end
  end, {
    desc = "Show the current script's run output again",
  })
end

return M
