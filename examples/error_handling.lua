-- error_handling.lua: catching the errors that API calls raise, and raising your own.
--
-- Run it:  llmspell run examples/error_handling.lua
--
-- Every API error is an ordinary Lua error, so `pcall(f, ...)` catches it and returns false and
-- the message. Messages name the call and the field at fault. When the call is made from a
-- script function, Lua puts the script's file:line in front, just as for `error("...")`.
-- An error nobody catches ends the run with exit code 1 and `error: FILE:LINE: message`.

-- 1. A bad configuration: pcall calls Agent.create directly, so there is no script line to add.
local ok, err = pcall(Agent.create, { model = "mock/echo", temperature = 5 })
print("1", ok, err)

-- 2. A tool parameter of the wrong type: parameters are checked before the tool runs.
ok, err = pcall(function()
  local calc = Tool.get("calculator")
  local answer = calc:execute{ expression = 6 * 7 } -- should be the string "6 * 7"
  print("not reached", answer.result)
end)
print("2", ok, err)

-- 3. A failing workflow step: the message names the workflow and the step, and keeps the
-- original error (here with the line of the `error` call inside the step).
local fragile = Workflow.sequential{ name = "fragile", steps = {
  { name = "fine", run = function() return "ok" end },
  { name = "broken", run = function(ctx) error("no data for " .. ctx.input) end },
}}
-- pcall(object.method, object, args...) is how pcall calls a method: `:` passes `object` itself.
ok, err = pcall(fragile.execute, fragile, "tuesday")
print("3", ok, err)

-- 4. Your own errors can be tables, to carry structured details to the handler. Only string
-- messages get a file:line prefix; a table arrives exactly as raised.
local function check_age(age)
  if type(age) ~= "number" then
    error({ code = "bad_type", field = "age", got = type(age) })
  end
  return age
end
ok, err = pcall(check_age, "forty")
print("4", ok, type(err), err.code, err.field, err.got)

-- 5. error(message, 0) leaves the position out; the default level 1 adds the line of `error`.
print("5", pcall(error, "without position", 0))
print("5", pcall(function() error("with position") end))

-- 6. A call that succeeds returns true followed by the function's results.
local fine, answer = pcall(Tool.execute, "calculator", { expression = "6 * 7" })
print("6", fine, answer.result)
