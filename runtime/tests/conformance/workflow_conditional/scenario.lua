-- A conditional workflow: the first branch whose `when` holds runs, else `default`; only nil
-- and false are false; no default means no steps and no output; `when` sees ctx.input.
local function constant(value) return { { run = function() return value end } } end
local sizes = Workflow.conditional{ name = "sizes",
  branches = {
    { when = function(ctx) return ctx.input > 10 end, steps = constant("big") },
    { when = function(ctx) return ctx.input > 5 end, steps = {
        { name = "medium", run = function(ctx) return "medium " .. ctx.input end },
        { name = "shout", tool = "text", params = { text = "{{prev}}", operation = "upper" } } } },
  },
  default = constant("small"),
}
print(sizes.kind)
print(sizes:execute(20).output)
print(sizes:execute(7).output.result)
print(sizes:execute(1).output)

-- Truthiness: 0 and "" are true (only nil and false are not), as in Lua.
local truthy = Workflow.conditional{ branches = {
  { when = function() return false end, steps = constant("false") },
  { when = function() return nil end, steps = constant("nil") },
  { when = function() return 0 end, steps = constant("zero counts as true") },
}}
print(truthy:execute().output)

local none = Workflow.conditional{ branches = { { when = function() return false end, steps = constant(1) } } }
local r = none:execute("x")
print(r.output == nil)
print(#r.steps)
