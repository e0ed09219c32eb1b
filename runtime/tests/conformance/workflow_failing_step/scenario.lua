-- A failing step stops a sequential workflow: the step event says `error`, the raised error
-- names the workflow and the step and keeps the original message; later steps do not run.
-- Also: a failing tool step, an unknown placeholder, and a failure inside a nested workflow.
local fragile = Workflow.sequential{ name = "fragile", steps = {
  { name = "fine", run = function() return 1 end },
  { name = "boom", run = function(ctx) error("no data for " .. ctx.input) end },
  { name = "never", run = function() print("not reached") return 3 end },
}}
local ok, err = pcall(fragile.execute, fragile, "tuesday")
print(ok and "no error" or "error: " .. tostring(err))

local bad_tool = Workflow.sequential{ name = "bad-tool", steps = {
  { name = "calc", tool = "calculator", params = { expression = "{{input}}" } },
}}
ok, err = pcall(bad_tool.execute, bad_tool, "1 / 0")
print(ok and "no error" or "error: " .. tostring(err))

local typo = Workflow.sequential{ name = "typo", steps = {
  { name = "up", tool = "text", params = { text = "x", operation = "upper" } },
  { tool = "text", params = { text = "{{steps.up.reslt}} {{steps.later}}", operation = "upper" } },
}}
ok, err = pcall(typo.execute, typo)
print(ok and "no error" or "error: " .. tostring(err))

local outer = Workflow.sequential{ name = "outer", steps = {
  { name = "inner", workflow = fragile, input = "{{input}}" },
}}
ok, err = pcall(outer.execute, outer, "friday")
print(ok and "no error" or "error: " .. tostring(err))

-- A loop whose stop_when fails.
local loop = Workflow.loop{ name = "stopper", steps = { { run = function() return 1 end } },
  stop_when = function() error("cannot decide") end }
ok, err = pcall(loop.execute, loop)
print(ok and "no error" or "error: " .. tostring(err))
