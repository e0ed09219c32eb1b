-- Running scripts through the language server (docs/lsp-extensions.md): `llmspell.runScript`
-- starts a run of the buffer's current, unsaved text and answers at once with a run id; the
-- run's events then arrive one by one as `llmspell/runOutput` notifications, which are drawn
-- into the script's output buffer as they come; `llmspell.cancelRun` stops it.

local lsp = require("llmspell.lsp")
local output = require("llmspell.output")

local M = {}

M.OUTPUT_METHOD = "llmspell/runOutput"
M.CANCEL_COMMAND = "llmspell.cancelRun"

---@class llmspell.Run
---@field key string The client id and the run id: run ids are only unique per server.
---@field client_id integer
---@field run_id integer
---@field output integer|nil The output buffer, once known.
---@field queue table[] Events received before the output buffer was known.
---@field last_seq integer
---@field finished boolean
---@field exit_code integer|nil

---@type table<string, llmspell.Run>
local runs = {}

-- How many `llmspell.runScript` requests of each client still await their answer. While one
-- does, a run nobody here knows may be that request's run (the server may send the first event
-- before its answer), so its events wait; with none in flight, such a run was started by someone
-- else (a code lens run through another configuration, a command typed by hand) and is shown too.
local starting = {}

local function key_of(client_id, run_id)
  return client_id .. ":" .. tostring(run_id)
end

local function notify(message, level)
  vim.notify("llmspell: " .. message, level or vim.log.levels.ERROR)
end

local function fire(pattern, data)
  vim.api.nvim_exec_autocmds("User", { pattern = pattern, data = data, modeline = false })
end

local function get_run(client_id, run_id)
  local key = key_of(client_id, run_id)
  local run = runs[key]
  if not run then
    run = {
      key = key,
      client_id = client_id,
      run_id = run_id,
      output = nil,
      queue = {},
      last_seq = 0,
      finished = false,
    }
    runs[key] = run
  end
  return run
end

--- Draws `event` if the run's output buffer still shows this run (a newer run of the same
--- script takes the buffer over, and the older run's last events are then dropped).
local function draw(run, event)
  if run.output and output.run_of(run.output) == run.key then
    output.draw(run.output, event)
  end
end

--- Connects `run` to the output buffer `bufnr` and draws the events that waited for it.
local function adopt(run, bufnr)
  run.output = bufnr
  output.assign(bufnr, run.key)
  local queued = run.queue
  run.queue = {}
  for _, event in ipairs(queued) do
    draw(run, event)
  end
end

--- Shows a run this plugin did not start, in the output buffer of the script its `started`
--- event names.
local function adopt_foreign(run)
  local first = run.queue[1]
  local path = first and first.type == "started" and first.file or "(run)"
  local bufnr = output.buffer_for(path)
  output.claim(bufnr, run.key)
  output.show(bufnr)
  adopt(run, bufnr)
end

--- The `llmspell/runOutput` handler: one event of a run, `{runId, seq, event}`.
---@param params {runId: integer, seq: integer, event: table}
---@param ctx {client_id: integer}
function M.on_output(_, params, ctx)
  if type(params) ~= "table" or type(params.event) ~= "table" then
    return
  end
  local run = get_run(ctx.client_id, params.runId)
  -- Events arrive in order; a repeated or older one is ignored rather than drawn twice.
  if type(params.seq) == "number" then
    if params.seq <= run.last_seq then
      return
    end
    run.last_seq = params.seq
  end
  local event = params.event
  if run.output then
    draw(run, event)
  else
    table.insert(run.queue, event)
    if (starting[ctx.client_id] or 0) == 0 then
      adopt_foreign(run)
    end
  end
  if event.type == "finished" then
    run.finished = true
    run.exit_code = event.exitCode
    fire("LlmspellRunFinished", {
      client_id = run.client_id,
      run_id = run.run_id,
      exit_code = event.exitCode,
      duration_ms = event.durationMs,
      output_bufnr = run.output,
    })
  end
end

--- Sends `llmspell.cancelRun` for `run`.
local function cancel(run)
  local client = vim.lsp.get_client_by_id(run.client_id)
  if not client then
    return
  end
  local params = { command = M.CANCEL_COMMAND, arguments = { { runId = run.run_id } } }
  lsp.request(client, "workspace/executeCommand", params, function(err)
    if err then
      notify("could not stop the run: " .. tostring(err.message))
    end
  end)
end

--- The run shown in `bufnr`'s output buffer (or in `bufnr` itself, when it is one), if any.
local function run_shown_for(bufnr)
  local out = output.is_output(bufnr) and bufnr or output.find(vim.api.nvim_buf_get_name(bufnr))
  local key = out and output.run_of(out)
  return key and runs[key] or nil
end

--- Makes sure `client` draws run output even if this plugin did not configure it (nvim-lspconfig
--- or `vim.lsp.config` without this plugin's handlers).
local function ensure_handler(client)
  client.handlers = client.handlers or {}
  if not client.handlers[M.OUTPUT_METHOD] then
    client.handlers[M.OUTPUT_METHOD] = M.on_output
  end
end

--- Runs the script in `bufnr` (its unsaved text) with `args` as its `ARGS`. A run of the same
--- script still in flight is stopped first, since its output buffer is taken over.
---@param bufnr integer
---@param args string[]|nil
function M.start(bufnr, args)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if output.is_output(bufnr) then
    notify("this is an output buffer; run :LlmspellRun from the script's buffer")
    return
  end
  local client = lsp.client_for(bufnr)
  if not client then
    if #vim.lsp.get_clients({ bufnr = bufnr, name = lsp.name }) > 0 then
      notify(
        "the llmspell language server is still starting; try again in a moment",
        vim.log.levels.WARN
      )
    else
      notify(
        "no llmspell language server is attached to this buffer "
          .. "(is there an llmspell.toml above it? See :checkhealth llmspell)"
      )
    end
    return
  end
  ensure_handler(client)

  -- Finished runs no buffer shows any more are forgotten.
  for key, run in pairs(runs) do
    if run.finished and not (run.output and output.run_of(run.output) == key) then
      runs[key] = nil
    end
  end

  local previous = run_shown_for(bufnr)
  if previous and not previous.finished then
    cancel(previous)
  end
  local out = output.buffer_for(vim.api.nvim_buf_get_name(bufnr))
  output.claim(out, false)
  output.show(out)

  local client_id = client.id
  starting[client_id] = (starting[client_id] or 0) + 1
  local params = {
    command = lsp.RUN_COMMAND,
    arguments = { { uri = vim.uri_from_bufnr(bufnr), args = args or {} } },
  }
  lsp.request(client, "workspace/executeCommand", params, function(err, result)
    starting[client_id] = math.max((starting[client_id] or 1) - 1, 0)
    if err or type(result) ~= "table" or result.runId == nil then
      output.note(
        out,
        "✗ the run did not start: " .. (err and tostring(err.message) or "no run id")
      )
    else
      local run = get_run(client_id, result.runId)
      adopt(run, out)
      fire("LlmspellRunStarted", {
        client_id = client_id,
        run_id = result.runId,
        bufnr = bufnr,
        output_bufnr = out,
      })
    end
    -- Runs whose events came in while this request was pending and are not its own were
    -- started elsewhere.
    if starting[client_id] == 0 then
      for _, run in pairs(runs) do
        if run.client_id == client_id and not run.output and #run.queue > 0 then
          adopt_foreign(run)
        end
      end
    end
  end, bufnr)
end

--- Stops the run of `bufnr` (a script or its output buffer); with `all`, every run in flight.
---@param bufnr integer
---@param all boolean|nil
function M.stop(bufnr, all)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local targets = {}
  if all then
    for _, run in pairs(runs) do
      if not run.finished then
        table.insert(targets, run)
      end
    end
  else
    local run = run_shown_for(bufnr)
    if run and not run.finished then
      targets = { run }
    else
      -- From any other buffer, the only run in flight is unambiguous.
      local in_flight = M.in_flight()
      if #in_flight == 1 then
        targets = in_flight
      end
    end
  end
  if #targets == 0 then
    notify("no run to stop", vim.log.levels.WARN)
    return
  end
  for _, run in ipairs(targets) do
    cancel(run)
  end
end

--- The runs in flight.
---@return llmspell.Run[]
function M.in_flight()
  local list = {}
  for _, run in pairs(runs) do
    if not run.finished then
      table.insert(list, run)
    end
  end
  return list
end

--- Forgets the runs of a server that exited; a run it had in flight can no longer report, so
--- its output says so.
---@param client_id integer
function M.on_client_exit(client_id)
  for key, run in pairs(runs) do
    if run.client_id == client_id then
      if not run.finished and run.output and output.run_of(run.output) == run.key then
        output.note(run.output, "■ the language server stopped during the run")
      end
      runs[key] = nil
    end
  end
  starting[client_id] = nil
end

--- The client-side commands behind the server's code lens, so that "▶ Run" and "■ Stop" go
--- through this plugin (and open the output window) instead of straight to the server.
M.commands = {
  [lsp.RUN_COMMAND] = function(command, ctx)
    local argument = command.arguments and command.arguments[1] or {}
    local bufnr = argument.uri and vim.uri_to_bufnr(argument.uri) or ctx.bufnr
    M.start(bufnr, argument.args)
  end,
  [M.CANCEL_COMMAND] = function(command, ctx)
    local argument = command.arguments and command.arguments[1] or {}
    local run = argument.runId and runs[key_of(ctx.client_id, argument.runId)]
    if run then
      cancel(run)
    else
      M.stop(ctx.bufnr)
    end
  end,
}

return M
