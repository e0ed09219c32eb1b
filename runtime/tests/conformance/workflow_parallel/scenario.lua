-- A parallel workflow with max_concurrency 1, so the events come in a fixed order: outputs
-- in branch order, the result's steps, and a branch that fails.
local echo = Agent.create{ name = "echo" }
local research = Workflow.parallel{ name = "research", max_concurrency = 1, branches = {
  { name = "area", tool = "calculator", params = { expression = "3.0 * 4.5" } },
  { name = "summary", agent = echo, input = "summarise: {{input}}" },
  { name = "wait", tool = "sleep", params = { ms = 10 } },
  { name = "count", run = function(ctx) return #ctx.input end },
  { run = function(ctx)
      -- A branch function that waits for a tool of its own.
      return Tool.execute("text", { text = ctx.input, operation = "reverse" }).result
    end },
}}
print(research.kind)
local out = research:execute("parallel branches")
print(out.output[1].result)
print(out.output[2])
print(out.output[4])
print(out.output[5])
print(#out.output .. " outputs")
local statuses = {}
for _, step in ipairs(out.steps) do statuses[#statuses + 1] = step.name .. "=" .. step.status end
print(table.concat(statuses, " "))

-- Every branch runs even when one fails; the error names the failed branch.
local shaky = Workflow.parallel{ name = "shaky", max_concurrency = 1, branches = {
  { name = "fine", run = function() return "fine" end },
  { name = "bad", tool = "calculator", params = { expression = "1 +" } },
  { name = "after", run = function() return "after" end },
}}
local ok, err = pcall(shaky.execute, shaky)
print(ok and "no error" or "error: " .. tostring(err))
