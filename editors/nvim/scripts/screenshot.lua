-- The Neovim session behind docs/images/nvim.png (see screenshot.sh): the plugin on a demo
-- script, its run output in the split, and completion after `Agent.` open. When the screen is
-- ready it writes the file named by $SCREENSHOT_READY, and screenshot.sh captures the pane.

local bin = assert(os.getenv("LLMSPELL_BIN"), "LLMSPELL_BIN must name the llmspell binary")
local ready_file = assert(os.getenv("SCREENSHOT_READY"), "SCREENSHOT_READY must name a file")
local plugin = vim.fs.dirname(vim.fs.dirname(debug.getinfo(1, "S").source:sub(2)))

vim.opt.rtp:prepend(plugin)
vim.cmd("filetype plugin on")
vim.cmd("syntax on")
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.laststatus = 2
vim.o.showmode = false
vim.o.completeopt = "menu,menuone,noinsert"
vim.o.pumheight = 6
vim.o.shortmess = vim.o.shortmess .. "cI"
vim.diagnostic.config({ virtual_text = true })

require("llmspell").setup({ cmd = { bin, "lsp" }, output = { height = 12 } })

--- Calls `fn` once `condition()` holds, checking every 50 ms; gives up (and quits with an
--- error status, so screenshot.sh fails) after `timeout_ms`.
local function when(condition, timeout_ms, fn)
  local waited = 0
  local timer = assert(vim.uv.new_timer())
  timer:start(0, 50, vim.schedule_wrap(function()
    waited = waited + 50
    if condition() then
      timer:stop()
      timer:close()
      fn()
    elseif waited > timeout_ms then
      timer:stop()
      timer:close()
      vim.cmd("cquit 3")
    end
  end))
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local bufnr = vim.api.nvim_get_current_buf()
    when(function()
      return require("llmspell.lsp").client_for(bufnr) ~= nil
    end, 15000, function()
      vim.api.nvim_create_autocmd("User", {
        pattern = "LlmspellRunFinished",
        once = true,
        callback = function()
          -- Type a new line ending in `Agent.` and ask for completion, as a user would.
          local keys = vim.api.nvim_replace_termcodes("Golocal critic = Agent.<C-x><C-o>", true, false, true)
          vim.api.nvim_feedkeys(keys, "t", false)
          when(function()
            return vim.fn.pumvisible() == 1
          end, 10000, function()
            vim.defer_fn(function()
              vim.fn.writefile({ "ready" }, ready_file)
            end, 300)
          end)
        end,
      })
      vim.cmd("LlmspellRun")
    end)
  end,
})
