-- conditional_workflow.lua: choosing which steps run from the input, like an if/elseif/else.
--
-- Run it:  llmspell run examples/conditional_workflow.lua
--
-- Workflow.conditional tries its branches in order and runs the steps of the first one whose
-- `when(ctx)` returns true (only nil and false count as false); when none does, it runs the
-- `default` steps. Steps inside a branch are ordinary workflow steps, including whole workflows.

local helper = Agent.create{ model = "mock/echo", name = "helper" }

-- A small workflow of its own, used below as a step: it tidies up a question.
local tidy = Workflow.sequential{ name = "tidy", steps = {
  { tool = "text", params = { text = "{{input}}", operation = "trim" } },
  { run = function(ctx) return ctx.prev.result:gsub("%?+$", "") .. "?" end },
}}

local router = Workflow.conditional{
  name = "router",
  branches = {
    { when = function(ctx) return ctx.input:match("^%s*[%d%s%+%-%*/%.%(%)]+$") ~= nil end,
      steps = { { name = "calculate", tool = "calculator", params = { expression = "{{input}}" } },
                { run = function(ctx) return "calculated: " .. ctx.prev.result end } } },
    { when = function(ctx) return ctx.input:find("?", 1, true) ~= nil end,
      steps = { { name = "tidy", workflow = tidy, input = "{{input}}" },
                { agent = helper, input = "answering: {{prev}}" } } },
  },
  default = { { name = "note", run = function(ctx) return "noted: " .. ctx.input end } },
}

for _, input in ipairs{ "6 * 7", "  why is the sky blue??  ", "remember the milk" } do
  local out = router:execute(input)
  -- out.steps holds only the steps that ran, so the first one's name tells the branch taken.
  print(("%-28s -> %s  (via %s)"):format('"' .. input .. '"', out.output, out.steps[1].name))
end
