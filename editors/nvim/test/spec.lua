-- End-to-end specs of the plugin in a real, headless Neovim against the real `llmspell lsp`.
-- Run by test/run.sh from the repository root:
--
--   nvim --headless -u NONE -i NONE --cmd "set rtp^=editors/nvim" -l editors/nvim/test/spec.lua
--
-- with LLMSPELL_BIN naming the server binary.

-- The harness sits next to this file.
local here = vim.fs.dirname(debug.getinfo(1, "S").source:sub(2))
package.path = here .. "/?.lua;" .. package.path
local h = require("harness")
local test, check, eq, wait_for = h.test, h.check, h.eq, h.wait_for

local repo = vim.fn.getcwd()
local bin = assert(os.getenv("LLMSPELL_BIN"), "LLMSPELL_BIN must name the llmspell binary")

vim.cmd("filetype on")
vim.cmd("runtime plugin/llmspell.lua")

-- Notifications are kept (and echoed) so a failing test can show what the plugin reported.
local notifications = {}
vim.notify = function(message, level)
  table.insert(notifications, { message = message, level = level })
  io.stderr:write(("[notify %s] %s\n"):format(tostring(level), message))
end

require("llmspell").setup({ cmd = { bin, "lsp" } })

local lsp = require("llmspell.lsp")
local output = require("llmspell.output")

-- Temporary workspaces live under one folder that is removed at the end.
local scratch = vim.fn.tempname()

--- Writes `files` (name -> text) into a new folder under `scratch` and returns its path.
local function workspace(name, files)
  local dir = scratch .. "/" .. name
  vim.fn.mkdir(dir, "p")
  for file, text in pairs(files) do
    local f = assert(io.open(dir .. "/" .. file, "w"))
    f:write(text)
    f:close()
  end
  return dir
end

local TOML = 'default_model = "mock/echo"\n'

--- Opens `path` in the current window and waits until the llmspell client is attached to it.
local function open_attached(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = wait_for("the llmspell client to attach to " .. path, 15000, function()
    return lsp.client_for(bufnr)
  end, function()
    local names = vim.tbl_map(function(c)
      return c.name
    end, vim.lsp.get_clients({ bufnr = bufnr }))
    return ("filetype=%s clients=%s"):format(vim.bo[bufnr].filetype, vim.inspect(names))
  end)
  return bufnr, client
end

local function lines_of(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

--- The output buffer of the script in `bufnr`.
local function output_of(bufnr)
  return output.find(vim.api.nvim_buf_get_name(bufnr))
end

test("attaches to examples/hello.lua and completes the members of Agent.", function()
  local bufnr = open_attached(repo .. "/examples/hello.lua")
  -- Type `Agent.` on a new last line, as a user would, without saving.
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { "Agent." })
  local row = vim.api.nvim_buf_line_count(bufnr) - 1
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = row, character = #"Agent." },
  }, 10000)
  check(responses, "no completion response within 10 s")
  local labels = {}
  for _, response in pairs(responses) do
    check(not response.err, "completion failed: " .. vim.inspect(response.err))
    local result = response.result or {}
    for _, item in ipairs(result.items or result) do
      labels[item.label] = true
    end
  end
  check(
    labels.create,
    "completion after 'Agent.' lacks 'create': " .. vim.inspect(vim.tbl_keys(labels))
  )
  check(
    labels.get and labels.list,
    "completion lacks 'get'/'list': " .. vim.inspect(vim.tbl_keys(labels))
  )
  vim.cmd("silent edit!")
end)

test("reports unknown-member for Agent.craete through vim.diagnostic", function()
  local dir = workspace("typo", {
    ["llmspell.toml"] = TOML,
    ["typo.lua"] = 'local agent = Agent.craete{ model = "mock/echo" }\nprint(agent)\n',
  })
  local bufnr = open_attached(dir .. "/typo.lua")
  local found = wait_for("an unknown-member diagnostic", 10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == "unknown-member" then
        return d
      end
    end
  end, function()
    return vim.inspect(vim.diagnostic.get(bufnr))
  end)
  eq(0, found.lnum, "diagnostic line")
  eq(vim.diagnostic.severity.ERROR, found.severity, "diagnostic severity")
  check(found.message:find("create", 1, true), "the message suggests no fix: " .. found.message)
end)

test("gives one client per root and none to buffers outside an llmspell.toml root", function()
  local _, lua_client = open_attached(repo .. "/examples/hello.lua")
  local _, js_client = open_attached(repo .. "/examples/hello.js")
  eq(lua_client.id, js_client.id, "client of examples/hello.js (same root as hello.lua)")

  local other = workspace("other-root", { ["llmspell.toml"] = TOML, ["x.lua"] = "print(1)\n" })
  local _, other_client = open_attached(other .. "/x.lua")
  check(other_client.id ~= lua_client.id, "a second root reused the first root's client")
  eq(other, other_client.config.root_dir, "root of the second client")

  local outside = workspace("no-root", { ["plain.lua"] = "print(1)\n", ["plain.js"] = "1\n" })
  for _, file in ipairs({ "plain.lua", "plain.js" }) do
    vim.cmd.edit(vim.fn.fnameescape(outside .. "/" .. file))
    local bufnr = vim.api.nvim_get_current_buf()
    check(vim.bo[bufnr].filetype ~= "", "no filetype detected for " .. file)
    -- Attaching is synchronous in the FileType autocommand; a moment more rules out a late one.
    vim.wait(300, function()
      return false
    end)
    eq({}, vim.lsp.get_clients({ bufnr = bufnr }), "clients of " .. file .. " outside any root")
  end
end)

test(":LlmspellRun streams output while the script runs, unsaved text included", function()
  local dir = workspace("stream", {
    ["llmspell.toml"] = TOML,
    ["stream.lua"] = table.concat({
      'print("one")',
      'Tool.execute("sleep", { ms = 400 })',
      'print("two")',
      'Tool.execute("sleep", { ms = 400 })',
      'print("three")',
      "",
    }, "\n"),
  })
  local bufnr = open_attached(dir .. "/stream.lua")
  -- An edit that is not saved: the server must run the buffer's text, not the file's.
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { 'print("unsaved")' })
  vim.cmd("LlmspellRun")
  local out = wait_for("the output buffer", 5000, function()
    return output_of(bufnr)
  end)
  check(#vim.fn.win_findbuf(out) > 0, "the output buffer is not shown in a window")
  eq(bufnr, vim.api.nvim_get_current_buf(), "current buffer after :LlmspellRun (focus stays)")

  local first_seen = wait_for("'one' in the output", 10000, function()
    local text = lines_of(out)
    return text:find("one", 1, true) and { text = text, at = vim.uv.hrtime() }
  end, function()
    return lines_of(out)
  end)
  check(
    not first_seen.text:find("exit code", 1, true),
    "the exit line was already there when 'one' appeared, so nothing streamed:\n" .. first_seen.text
  )
  check(not first_seen.text:find("three", 1, true), "'three' came with 'one':\n" .. first_seen.text)

  local done_at = wait_for("the exit line", 15000, function()
    return lines_of(out):find("exit code", 1, true) and vim.uv.hrtime()
  end, function()
    return lines_of(out)
  end)
  local text = lines_of(out)
  local gap_ms = (done_at - first_seen.at) / 1e6
  check(gap_ms > 300, ("'one' showed only %d ms before the end of the run"):format(gap_ms))
  local one, two, three =
    text:find("\none\n", 1, true), text:find("\ntwo\n", 1, true), text:find("\nthree\n", 1, true)
  check(
    one and two and three and one < two and two < three,
    "lines missing or out of order:\n" .. text
  )
  check(text:find("\nunsaved\n", 1, true), "the unsaved line did not run:\n" .. text)
  local ms = text:match("■ finished: exit code 0 in (%d+) ms")
  local seconds = text:match("■ finished: exit code 0 in ([%d.]+) s")
  local duration = ms and tonumber(ms) or seconds and tonumber(seconds) * 1000
  check(duration, "no successful exit line with a duration:\n" .. text)
  check(
    duration >= 800,
    ("the exit line's duration (%d ms) is shorter than the sleeps"):format(duration)
  )
  vim.cmd("silent edit!")
end)

test(":LlmspellStop ends a run that never finishes", function()
  local dir = workspace("forever", {
    ["llmspell.toml"] = TOML,
    -- The timeout only matters if the stop fails: the loop then ends anyway, in 20 s.
    ["llmspell.toml"] = TOML .. "[run]\ntimeout_ms = 20000\n",
    ["forever.lua"] = 'print("looping")\nwhile true do end\n',
  })
  local bufnr = open_attached(dir .. "/forever.lua")
  vim.cmd("LlmspellRun")
  local out = wait_for("the output buffer", 5000, function()
    return output_of(bufnr)
  end)
  wait_for("'looping' in the output", 10000, function()
    return lines_of(out):find("looping", 1, true)
  end, function()
    return lines_of(out)
  end)
  eq(1, #require("llmspell.run").in_flight(), "runs in flight")
  local stopped_at = vim.uv.hrtime()
  vim.cmd("LlmspellStop")
  wait_for("the run to end after :LlmspellStop", 5000, function()
    return lines_of(out):find("exit code", 1, true)
  end, function()
    return lines_of(out)
  end)
  local ms = (vim.uv.hrtime() - stopped_at) / 1e6
  local text = lines_of(out)
  check(text:find("run cancelled", 1, true), "no 'run cancelled' error:\n" .. text)
  check(text:find("exit code 130", 1, true), "exit code is not 130:\n" .. text)
  check(ms < 2000, ("the run took %d ms to stop"):format(ms))
  eq(0, #require("llmspell.run").in_flight(), "runs in flight after the stop")
end)

test("running a script again stops its previous run; :LlmspellStop! stops every run", function()
  local run = require("llmspell.run")
  local dir = workspace("again", {
    ["llmspell.toml"] = TOML .. "[run]\ntimeout_ms = 20000\n",
    ["a.lua"] = 'print("a looping")\nwhile true do end\n',
    ["b.lua"] = 'print("b looping")\nwhile true do end\n',
  })
  local a = open_attached(dir .. "/a.lua")
  vim.cmd("LlmspellRun")
  local out = wait_for("a's output buffer", 5000, function()
    return output_of(a)
  end)
  wait_for("a's first run to print", 10000, function()
    return lines_of(out):find("a looping", 1, true)
  end)
  local first = run.in_flight()
  eq(1, #first, "runs in flight after the first run")
  local first_id = first[1].run_id
  vim.cmd("LlmspellRun")
  wait_for("the first run to end and the second to print", 10000, function()
    local runs = run.in_flight()
    return #runs == 1 and runs[1].run_id ~= first_id and lines_of(out):find("a looping", 1, true)
  end, function()
    return vim.inspect(run.in_flight()) .. "\n" .. lines_of(out)
  end)
  check(
    not lines_of(out):find("exit code", 1, true),
    "the old run's end was drawn:\n" .. lines_of(out)
  )

  local b = open_attached(dir .. "/b.lua")
  vim.cmd("LlmspellRun")
  wait_for("b's run to print", 10000, function()
    local b_out = output_of(b)
    return b_out and lines_of(b_out):find("b looping", 1, true)
  end)
  eq(2, #run.in_flight(), "runs in flight (a and b)")
  vim.cmd("LlmspellStop!")
  wait_for("every run to end", 5000, function()
    return #run.in_flight() == 0
  end, function()
    return vim.inspect(run.in_flight())
  end)
  check(
    lines_of(out):find("exit code 130", 1, true),
    "a's output lacks its end:\n" .. lines_of(out)
  )

  -- The output window closed, :LlmspellOutput shows it again.
  vim.cmd.buffer(a)
  for _, win in ipairs(vim.fn.win_findbuf(out)) do
    vim.api.nvim_win_close(win, true)
  end
  vim.cmd("LlmspellOutput")
  eq(1, #vim.fn.win_findbuf(out), "windows showing a's output after :LlmspellOutput")
end)

test("with codelens = true the ▶ Run lens shows on scripts", function()
  require("llmspell").setup({ cmd = { bin, "lsp" }, codelens = true })
  local dir = workspace("codelens", { ["llmspell.toml"] = TOML, ["c.lua"] = "print(1)\n" })
  local bufnr = open_attached(dir .. "/c.lua")
  wait_for("the ▶ Run lens", 5000, function()
    for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
      if lens.command and lens.command.title == "▶ Run" then
        return true
      end
    end
  end, function()
    return vim.inspect(vim.lsp.codelens.get(bufnr))
  end)
  require("llmspell").setup({ cmd = { bin, "lsp" } })
end)

test("the server's ▶ Run code lens runs through the plugin into the output buffer", function()
  local dir =
    workspace("lens", { ["llmspell.toml"] = TOML, ["lens.lua"] = 'print("from the lens")\n' })
  local bufnr, client = open_attached(dir .. "/lens.lua")
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeLens", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  }, 5000)
  local lens
  for _, response in pairs(responses or {}) do
    for _, l in ipairs(response.result or {}) do
      if l.command and l.command.command == "llmspell.runScript" then
        lens = l
      end
    end
  end
  check(lens, "no ▶ Run code lens: " .. vim.inspect(responses))
  -- The plugin's client-side command fires LlmspellRunStarted; a lens command sent straight to
  -- the server would not.
  local started
  vim.api.nvim_create_autocmd("User", {
    pattern = "LlmspellRunStarted",
    once = true,
    callback = function(args)
      started = args.data
    end,
  })
  -- What `vim.lsp.codelens.run()` does with the lens under the cursor.
  if vim.fn.has("nvim-0.11") == 1 then
    client:exec_cmd(lens.command, { bufnr = bufnr })
  else
    client._exec_cmd(lens.command, { bufnr = bufnr })
  end
  local out = wait_for("the output buffer", 5000, function()
    return output_of(bufnr)
  end)
  wait_for("the lens run's output and exit line", 10000, function()
    local text = lines_of(out)
    return text:find("from the lens", 1, true) and text:find("exit code 0", 1, true)
  end, function()
    return lines_of(out)
  end)
  check(started, "the lens ran without the plugin's command (no LlmspellRunStarted)")
  eq(bufnr, started.bufnr, "LlmspellRunStarted's script buffer")
end)

test(
  ":LlmspellRun works with a client configured elsewhere (nvim-lspconfig, vim.lsp.config)",
  function()
    -- No llmspell.toml, so the plugin's own autostart leaves this buffer alone, as it would a
    -- project whose server the user starts through another configuration.
    local dir = workspace("foreign", { ["foreign.lua"] = 'print("foreign")\n' })
    vim.cmd.edit(vim.fn.fnameescape(dir .. "/foreign.lua"))
    local bufnr = vim.api.nvim_get_current_buf()
    eq({}, vim.lsp.get_clients({ bufnr = bufnr }), "clients before the foreign start")
    vim.lsp.start(
      { name = "llmspell-by-hand", cmd = { bin, "lsp" }, root_dir = dir },
      { bufnr = bufnr }
    )
    wait_for("the hand-started client to initialize", 10000, function()
      return lsp.client_for(bufnr)
    end)
    vim.cmd("LlmspellRun")
    local out = wait_for("the output buffer", 5000, function()
      return output_of(bufnr)
    end)
    wait_for("the run's output and exit line", 10000, function()
      local text = lines_of(out)
      return text:find("foreign", 1, true) and text:find("exit code 0", 1, true)
    end, function()
      return lines_of(out)
    end)
  end
)

test(":checkhealth llmspell reports the binary, the root and the client", function()
  local bufnr = open_attached(repo .. "/examples/hello.lua")
  vim.cmd("silent checkhealth llmspell")
  local report = lines_of(vim.api.nvim_get_current_buf())
  local function has(pattern, what)
    check(report:find(pattern), ("health report lacks %s:\n%s"):format(what, report))
  end
  has("OK[^\n]*Neovim 0%.1", "the Neovim version")
  has("OK[^\n]*server binary: " .. vim.pesc(bin) .. " %(llmspell %d", "the binary and its version")
  has(
    "OK[^\n]*hello%.lua is in the llmspell workspace " .. vim.pesc(repo .. "/examples"),
    "the root"
  )
  has("OK[^\n]*llmspell client %d+ attached", "the attached client")
  check(not report:find("ERROR"), "the health report has errors:\n" .. report)
  vim.cmd("tabclose")
  eq(bufnr, vim.api.nvim_get_current_buf(), "buffer after closing the health tab")
end)

test(":checkhealth llmspell reports a missing binary as an error", function()
  local config = require("llmspell.config")
  local saved = config.options.cmd
  config.options.cmd = { "llmspell-does-not-exist", "lsp" }
  local ok, err = pcall(vim.cmd, "silent checkhealth llmspell")
  config.options.cmd = saved
  check(ok, "checkhealth failed: " .. tostring(err))
  local report = lines_of(vim.api.nvim_get_current_buf())
  check(
    report:find("ERROR[^\n]*server command not found: llmspell%-does%-not%-exist"),
    "no error for the missing binary:\n" .. report
  )
  vim.cmd("tabclose")
end)

test("settings reach the server at start and on didChangeConfiguration", function()
  require("llmspell").setup({ cmd = { bin, "lsp" }, settings = { diagnostics = { enable = false } } })
  local dir = workspace("settings", {
    ["llmspell.toml"] = TOML,
    ["typo.lua"] = 'local agent = Agent.craete{ model = "mock/echo" }\nprint(agent)\n',
  })
  local bufnr = open_attached(dir .. "/typo.lua")
  local client = assert(lsp.client_for(bufnr), "a client")
  local pulled = client:request_sync("textDocument/diagnostic", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  }, 10000, bufnr)
  eq({}, pulled and pulled.result and pulled.result.items, "diagnostics while they are off")
  -- Turned on in the running client, the way the help describes.
  client.settings.llmspell.diagnostics.enable = true
  client:notify("workspace/didChangeConfiguration", { settings = client.settings })
  wait_for("the unknown-member diagnostic once enabled", 10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == "unknown-member" then
        return true
      end
    end
  end, function()
    return vim.inspect(vim.diagnostic.get(bufnr))
  end)
  require("llmspell").setup({ cmd = { bin, "lsp" } })
end)

test("setup() rejects unknown and mistyped options", function()
  local problems = require("llmspell.config").validate({
    filetype = { "lua" },
    cmd = "llmspell",
    output = { height = "big", position = "middle" },
  })
  local text = table.concat(problems, "\n")
  for _, expected in ipairs({
    "unknown option 'filetype'",
    "option 'cmd' must be a table, got string",
    "option 'output.height' must be a number, got string",
    "option 'output.position' must be one of",
  }) do
    check(text:find(expected, 1, true), ("no problem '%s' in:\n%s"):format(expected, text))
  end
  eq(
    {},
    require("llmspell.config").validate({ cmd = { bin, "lsp" }, output = { height = 5 } }),
    "problems of valid options"
  )
end)

test("the help file has valid tags for every command, option section and event", function()
  -- :helptags writes a tags file next to the help; a copy keeps the repository clean.
  local doc = scratch .. "/help/doc"
  vim.fn.mkdir(doc, "p")
  vim.fn.writefile(
    vim.fn.readfile(repo .. "/editors/nvim/doc/llmspell.txt"),
    doc .. "/llmspell.txt"
  )
  vim.cmd.helptags(vim.fn.fnameescape(doc))
  local tags = {}
  for _, row in ipairs(vim.fn.readfile(doc .. "/tags")) do
    tags[vim.split(row, "\t")[1]] = true
  end
  for _, tag in ipairs({
    "llmspell.txt",
    ":LlmspellRun",
    ":LlmspellStop",
    ":LlmspellOutput",
    "llmspell-options",
    "llmspell-lspconfig",
    "llmspell-health",
    "llmspell-install",
    "llmspell-output",
    "LlmspellRunFinished",
    "llmspell.setup()",
  }) do
    check(
      tags[tag],
      ("the help has no tag %s; it has %s"):format(tag, vim.inspect(vim.tbl_keys(tags)))
    )
  end
end)

-- This one reconfigures the session (no autostart, a vim.lsp.config server), so it comes last.
test("the help's vim.lsp.config setup serves workspaces only and runs scripts", function()
  if vim.fn.has("nvim-0.11") == 0 then
    return -- vim.lsp.config is Neovim 0.11's.
  end
  -- The snippet of :help llmspell-lspconfig, with the test's binary.
  require("llmspell").setup({ autostart = false, cmd = { bin, "lsp" } })
  vim.lsp.config(
    "llmspell",
    vim.tbl_extend("force", require("llmspell").lsp_config(), {
      cmd = { bin, "lsp" },
      filetypes = { "lua", "javascript" },
      root_dir = function(bufnr, on_dir)
        local root = vim.fs.root(bufnr, { "llmspell.toml" })
        if root then
          on_dir(root)
        end
      end,
    })
  )
  vim.lsp.enable("llmspell")

  local dir = workspace(
    "lsp-config",
    { ["llmspell.toml"] = TOML, ["cfg.lua"] = 'print("via vim.lsp.config")\n' }
  )
  local bufnr = open_attached(dir .. "/cfg.lua")
  eq(1, #vim.lsp.get_clients({ bufnr = bufnr }), "clients of the buffer (autostart is off)")
  vim.cmd("LlmspellRun")
  local out = wait_for("the output buffer", 5000, function()
    return output_of(bufnr)
  end)
  wait_for("the run's output and exit line", 10000, function()
    local text = lines_of(out)
    return text:find("via vim.lsp.config", 1, true) and text:find("exit code 0", 1, true)
  end, function()
    return lines_of(out)
  end)

  local outside = workspace("lsp-config-outside", { ["plain.lua"] = "print(1)\n" })
  vim.cmd.edit(vim.fn.fnameescape(outside .. "/plain.lua"))
  vim.wait(300, function()
    return false
  end)
  eq(
    {},
    vim.lsp.get_clients({ bufnr = vim.api.nvim_get_current_buf() }),
    "clients outside a workspace"
  )
end)

local ok, failed = pcall(h.run)
vim.fn.delete(scratch, "rf")
if not ok then
  io.stderr:write("the harness itself failed: " .. tostring(failed) .. "\n")
  os.exit(2)
end
os.exit(failed == 0 and 0 or 1)
