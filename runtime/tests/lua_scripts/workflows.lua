-- Workflows of every kind, placeholders, shared vars, nesting and failing steps.
local echo = Agent.create{ name = "echo" }
local seq = Workflow.sequential{ name = "pipeline", steps = {
  { name = "draft", agent = echo, input = "haiku about {{input}}" },
  { name = "loud", tool = "text", params = { text = "{{steps.draft}}!", operation = "upper" } },
  { name = "count", run = function(ctx) ctx.vars.seen = ctx.prev.result; return #ctx.prev.result end },
  { name = "by-name", agent = "echo", input = "{{vars.seen}} has {{prev}} characters" },
}}
print(seq.name, seq.kind)
local out = seq:execute("autumn")
print(out.output)
for _, step in ipairs(out.steps) do print(step.name, step.status, type(step.duration_ms)) end

local par = Workflow.parallel{ branches = {
  { name = "a", tool = "calculator", params = { expression = "1+1" } },
  { name = "b", agent = echo, input = "branch b got {{input}}" },
  { name = "c", run = function(ctx) return ctx.input .. "!" end },
}, max_concurrency = 1 } -- one at a time keeps this transcript's event order fixed
local p = par:execute("go")
print(p.output[1].result, p.output[2], p.output[3], #p.steps)

local cond = Workflow.conditional{
  branches = {
    { when = function(ctx) return ctx.input > 10 end, steps = { { run = function() return "big" end } } },
    { when = function(ctx) return ctx.input > 5 end, steps = { { run = function() return "medium" end } } },
  },
  default = { { run = function() return "small" end } },
}
print(cond:execute(20).output, cond:execute(7).output, cond:execute(1).output)
local none = Workflow.conditional{ branches = { { when = function() return false end, steps = { { run = function() return 1 end } } } } }
print(none:execute().output, #none:execute().steps)

local loop = Workflow.loop{ max_iterations = 10,
  steps = { { run = function(ctx) return (ctx.prev or 0) + 1 end } },
  stop_when = function(ctx) return ctx.prev >= 3 end }
local l = loop:execute(0)
print(l.output, l.iterations)
local capped = Workflow.loop{ max_iterations = 4, steps = { { run = function(ctx) return ctx.prev * 2 end } } }
local c = capped:execute(1)
print(c.output, c.iterations)

local nested = Workflow.sequential{ steps = {
  { workflow = seq, input = "{{input}} leaves" },
  { run = function(ctx) return "nested saw: " .. ctx.prev end },
}}
print(nested:execute("red").output)

local failing = Workflow.sequential{ name = "fragile", steps = {
  { name = "ok", run = function() return 1 end },
  { name = "boom", run = function() error("step exploded") end },
  { name = "never", run = function() return 3 end },
}}
print(pcall(failing.execute, failing, "x"))
print(pcall(Workflow.sequential, { steps = { { tool = "calculator", run = function() end } } }))
print(pcall(Workflow.sequential, { steps = { { tool = "nope" } } }))
print(pcall(Workflow.parallel, { branches = {}, max_concurrency = 0 }))
print(pcall(Workflow.loop, { steps = { { agent = "ghost" } } }))
local missing = Workflow.sequential{ steps = { { tool = "text", params = { text = "{{steps.later}}", operation = "upper" } } } }
print(pcall(missing.execute, missing))
print(pcall(Workflow.sequential, { steps = {} }))
print(pcall(Workflow.sequential, { steps = { { name = "x", run = print }, { name = "x", run = print } } }))
local search = Workflow.sequential{ steps = {
  { name = "up", tool = "text", params = { text = "deep", operation = "upper" } },
  { run = function(ctx) return { items = { "a", "b" } } end },
  { tool = "text", params = { text = "{{steps.up.result}} {{prev.items.2}}", operation = "lower" } },
}}
print(search:execute().output.result)
local typo = Workflow.sequential{ steps = { { name = "up", tool = "text", params = { text = "x", operation = "upper" } },
                                            { run = function() return 1 end, name = "p" },
                                            { tool = "text", params = { text = "{{steps.up.reslt}}", operation = "upper" } } } }
print(pcall(typo.execute, typo))
