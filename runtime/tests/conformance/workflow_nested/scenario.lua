-- Workflows as steps of other workflows: a sequential inside a sequential, a conditional
-- routing to a nested workflow, a loop whose body is a workflow, and a parallel of workflows.
local tidy = Workflow.sequential{ name = "tidy", steps = {
  { name = "trim", tool = "text", params = { text = "{{input}}", operation = "trim" } },
  { name = "lower", tool = "text", params = { text = "{{prev.result}}", operation = "lower" } },
}}
local outer = Workflow.sequential{ name = "outer", steps = {
  { name = "clean", workflow = tidy, input = "  {{input}}  " },
  { name = "wrap", run = function(ctx) return "[" .. ctx.prev.result .. "]" end },
}}
print(outer:execute("Hello World").output)

local router = Workflow.conditional{ name = "router", branches = {
  { when = function(ctx) return ctx.input:sub(1, 1) == " " end,
    steps = { { name = "tidy-it", workflow = tidy } } },
}, default = { { name = "as-is", run = function(ctx) return { result = ctx.input } end } } }
print(router:execute("  PADDED").output.result)
print(router:execute("Plain").output.result)

local double = Workflow.sequential{ name = "double", steps = { { run = function(ctx) return ctx.input * 2 end } } }
local repeated = Workflow.loop{ name = "repeat", max_iterations = 3, steps = {
  { name = "body", workflow = double, input = "{{prev}}" },
} }
local out = repeated:execute(5)
print(out.output .. " after " .. out.iterations)

local fan = Workflow.parallel{ name = "fan", max_concurrency = 1, branches = {
  { name = "one", workflow = outer, input = "One" },
  { name = "two", workflow = double, input = "{{input}}" },
}}
out = fan:execute(21)
print(out.output[1] .. " " .. out.output[2])
