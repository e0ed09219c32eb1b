-- sequential_workflow.lua: a pipeline of steps run one after another, each seeing the output of
-- the ones before it.
--
-- Run it:  llmspell run examples/sequential_workflow.lua
--          llmspell run --events jsonl examples/sequential_workflow.lua   (shows `step` events)
--
-- A step is one of { agent = ..., input = ... }, { tool = ..., params = ... },
-- { workflow = ..., input = ... } or { run = function(ctx) ... end }. In `input` and `params`
-- strings, {{input}} is the workflow's input, {{prev}} the previous step's output and
-- {{steps.NAME}} the output of the step called NAME. A `run` function gets the same through `ctx`.

local writer = Agent.create{ model = "mock/echo", name = "writer", system = "Write one line." }

local pipeline = Workflow.sequential{ name = "headline", steps = {
  -- An agent step's output is the answer's text (the mock echoes the prompt back).
  { name = "draft", agent = writer, input = "breaking news about {{input}}" },
  -- A tool step's output is the tool's result table: here { result = "BREAKING NEWS ..." }.
  { name = "shout", tool = "text", params = { text = "{{steps.draft}}", operation = "upper" } },
  -- ctx.vars is shared by all steps of the run: one step stores, a later one reads.
  { name = "measure", run = function(ctx)
      ctx.vars.length = #ctx.steps.draft
      return ctx.prev.result .. "!"
    end },
  { name = "report", run = function(ctx)
      return ("%s (%d characters, from %q)"):format(ctx.prev, ctx.vars.length, ctx.input)
    end },
}}

local out = pipeline:execute("tidy tables")
print(out.output)

-- out.steps lists every step that ran, with its status and output (and its duration_ms, which
-- varies from run to run, so it is not printed here).
for i, step in ipairs(out.steps) do
  local shown = type(step.output) == "table" and "{ result = ... }" or tostring(step.output)
  print(i, step.name, step.status, shown)
end
