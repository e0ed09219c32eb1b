-- A small test harness for specs run by headless Neovim (`nvim -l`): named tests run in order,
-- each in a protected call, with assertions that say what was expected and what was found, and
-- waits that give up after a timeout instead of hanging.

local M = {}

local tests = {}

--- Declares a test.
---@param name string
---@param fn fun()
function M.test(name, fn)
  table.insert(tests, { name = name, fn = fn })
end

--- Fails the current test with `message` unless `condition` holds.
function M.check(condition, message)
  if not condition then
    error(message, 2)
  end
end

--- Fails unless `actual` equals `expected` (deeply, for tables).
function M.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(("%s: expected %s, got %s"):format(what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

--- Processes events until `condition()` returns a truthy value, which it returns; fails after
--- `timeout_ms` with a message naming `what` and, when given, the state `describe()` reports.
function M.wait_for(what, timeout_ms, condition, describe)
  local value
  local ok = vim.wait(timeout_ms, function()
    value = condition()
    return value and true or false
  end, 10)
  if not ok then
    local state = describe and ("\n  state: " .. describe()) or ""
    error(("timed out after %d ms waiting for %s%s"):format(timeout_ms, what, state), 2)
  end
  return value
end

--- Runs every declared test, prints one line per test and a summary; returns the number of
--- failed tests.
function M.run()
  local started, failed = vim.uv.hrtime(), {}
  for _, t in ipairs(tests) do
    local t0 = vim.uv.hrtime()
    local ok, err = xpcall(t.fn, debug.traceback)
    local ms = math.floor((vim.uv.hrtime() - t0) / 1e6)
    if ok then
      io.stdout:write(("PASS  %s (%d ms)\n"):format(t.name, ms))
    else
      table.insert(failed, t.name)
      io.stdout:write(
        ("FAIL  %s (%d ms)\n      %s\n"):format(t.name, ms, err:gsub("\n", "\n      "))
      )
    end
  end
  local seconds = (vim.uv.hrtime() - started) / 1e9
  io.stdout:write(
    ("\n%d passed, %d failed, %d total in %.1f s\n"):format(
      #tests - #failed,
      #failed,
      #tests,
      seconds
    )
  )
  for _, name in ipairs(failed) do
    io.stdout:write("  failed: " .. name .. "\n")
  end
  io.stdout:flush()
  return #failed
end

return M
