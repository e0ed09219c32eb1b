-- `:checkhealth llmspell`: what a user checks first when no completion shows up. Is Neovim new
-- enough, is the server there and does it run, is the file inside an llmspell workspace, and is
-- a client attached to it?

local M = {}

local health = vim.health

--- The buffer the user was looking at. `:checkhealth` runs in a buffer of its own, opened in a
--- new tab page (or in place of an empty buffer), so the script buffer is the alternate buffer
--- or the one shown in the previous tab page.
local function user_buffer()
  local candidates = { vim.api.nvim_get_current_buf(), vim.fn.bufnr("#") }
  local previous_tab = vim.fn.tabpagenr("#")
  if previous_tab > 0 then
    local tab = vim.api.nvim_list_tabpages()[previous_tab]
    if tab then
      table.insert(candidates, vim.api.nvim_win_get_buf(vim.api.nvim_tabpage_get_win(tab)))
    end
  end
  local lsp = require("llmspell.lsp")
  for _, bufnr in ipairs(candidates) do
    if bufnr > 0 and lsp.is_file_buffer(bufnr) then
      return bufnr
    end
  end
  return nil
end

local function check_neovim()
  health.start("llmspell: Neovim")
  local v = vim.version()
  local version = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.10") == 1 then
    health.ok("Neovim " .. version)
  else
    health.error(
      "Neovim " .. version .. " is too old",
      { "llmspell.nvim needs Neovim 0.10 or newer" }
    )
  end
  if require("llmspell").did_setup then
    health.ok("require('llmspell').setup() was called")
  else
    health.info(
      "require('llmspell').setup() was not called: no client starts on its own "
        .. "(fine when the server is configured through nvim-lspconfig or vim.lsp.config)"
    )
  end
end

local function check_server()
  health.start("llmspell: server")
  local cmd = require("llmspell.config").options.cmd
  local program = cmd[1]
  local path = vim.fn.exepath(program)
  if path == "" then
    health.error(("server command not found: %s"):format(program), {
      "Install it: cargo install --path server (in the llmspell repository), "
        .. "or put the llmspell binary on PATH",
      "Or point the plugin at it: require('llmspell').setup{ cmd = { '/path/to/llmspell', 'lsp' } }",
    })
    return
  end
  if vim.fn.executable(path) ~= 1 then
    health.error(("%s is not executable"):format(path))
    return
  end
  if not vim.fs.basename(path):match("^llmspell") then
    health.ok(("server command found: %s (a wrapper, so its --version is not asked)"):format(path))
    return
  end
  local ok, result = pcall(function()
    return vim.system({ path, "--version" }, { text = true }):wait(5000)
  end)
  if not ok then
    health.error(("%s --version could not start: %s"):format(path, tostring(result)))
  elseif result.code ~= 0 then
    health.error(
      ("%s --version failed (exit code %d)"):format(path, result.code),
      { vim.trim(result.stderr or "") }
    )
  else
    health.ok(("server binary: %s (%s)"):format(path, vim.trim(result.stdout or "")))
  end
end

local function check_buffer()
  health.start("llmspell: current buffer")
  local lsp = require("llmspell.lsp")
  local options = require("llmspell.config").options
  local bufnr = user_buffer()
  if not bufnr then
    health.info("no file buffer to check: open a script and run :checkhealth llmspell again")
    return
  end
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":~:.")
  local filetype = vim.bo[bufnr].filetype
  if not vim.tbl_contains(options.filetypes, filetype) then
    health.info(
      ("%s has filetype '%s', not one of %s"):format(
        name,
        filetype,
        table.concat(options.filetypes, ", ")
      )
    )
  end
  local root = lsp.root_dir(bufnr)
  if root then
    health.ok(("%s is in the llmspell workspace %s"):format(name, root))
  else
    health.warn(
      ("%s is outside every llmspell workspace: no %s above it"):format(
        name,
        table.concat(options.root_markers, " or ")
      ),
      { "Create an llmspell.toml in the scripts' folder (it may be empty)" }
    )
  end
  local servers = vim.tbl_filter(lsp.is_llmspell, vim.lsp.get_clients({ bufnr = bufnr }))
  if #servers > 1 then
    health.warn(("%d llmspell clients are attached to this buffer"):format(#servers), {
      "Completion items and diagnostics then show twice",
      "When the server is configured through nvim-lspconfig or vim.lsp.config, "
        .. "call setup{ autostart = false } (see :help llmspell-lspconfig)",
    })
  end
  local client = servers[1]
  if client then
    local info = client.server_info or {}
    health.ok(
      ("llmspell client %d attached (%s %s, root %s)"):format(
        client.id,
        info.name or client.name,
        info.version or "",
        client.root_dir or client.config.root_dir or "none"
      )
    )
  elseif root then
    health.error("no llmspell client is attached to this buffer", {
      "Check :messages and the LSP log (:lua vim.cmd.edit(vim.lsp.get_log_path()))",
      "Without setup(), start it yourself (see :help llmspell-lspconfig)",
    })
  else
    health.info("no llmspell client is attached (expected outside a workspace)")
  end
  local in_flight = #require("llmspell.run").in_flight()
  if in_flight > 0 then
    health.info(("%d run(s) in flight"):format(in_flight))
  end
end

function M.check()
  check_neovim()
  check_server()
  check_buffer()
end

return M
