-- A sequential workflow: agent, tool and function steps; the placeholders {{input}}, {{prev}},
-- {{steps.NAME}} (with paths into tables) and {{vars.NAME}}; ctx.vars shared between steps;
-- default step names; the result's steps.
local echo = Agent.create{ name = "echo" }
local pipeline = Workflow.sequential{ name = "pipeline", steps = {
  { name = "draft", agent = echo, input = "haiku about {{input}}" },
  { name = "loud", tool = "text", params = { text = "{{steps.draft}}!", operation = "upper" } },
  { name = "count", run = function(ctx)
      ctx.vars.seen = ctx.prev.result
      ctx.vars.n = #ctx.prev.result
      return { chars = #ctx.prev.result, words = { "a", "b" } }
    end },
  { name = "by-name", agent = "echo", input = "{{vars.seen}} has {{prev.chars}} characters, {{steps.count.words.1}}" },
  { run = function(ctx) return ctx.prev .. " / " .. ctx.input .. " / " .. ctx.vars.n .. " / " .. ctx.steps.draft end },
}}
print(pipeline.name)
print(pipeline.kind)
local out = pipeline:execute("autumn")
print(out.output)
for i, step in ipairs(out.steps) do
  print(i .. " " .. step.name .. " " .. step.status .. " " .. type(step.duration_ms))
end
print(out.iterations == nil)

-- Each run starts with fresh vars; a workflow runs again with a new input.
print(pipeline:execute("spring").output)

-- A workflow's input may be any value; {{input}} of a table is its JSON.
local shapes = Workflow.sequential{ steps = {
  { tool = "text", params = { text = "{{input}}", operation = "length" } },
  { run = function(ctx) return ctx.input.n * ctx.prev.result end },
}}
print(shapes:execute{ n = 2 }.output)
