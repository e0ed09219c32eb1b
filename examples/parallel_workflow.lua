-- parallel_workflow.lua: running independent branches concurrently and collecting their outputs.
--
-- Run it:  llmspell run examples/parallel_workflow.lua
--
-- Workflow.parallel starts every branch at once, or at most `max_concurrency` at a time when it
-- is set: useful to stay under a provider's rate limit. The output is the list of the branches'
-- outputs in the order the branches are written, whichever finished first.

local summariser = Agent.create{ model = "mock/echo", name = "summariser" }

local research = Workflow.parallel{
  name = "research",
  max_concurrency = 2,
  branches = {
    { name = "area", tool = "calculator", params = { expression = "3.0 * 4.5" } },
    { name = "summary", agent = summariser, input = "summarise: {{input}}" },
    -- The sleep tool stands in for a slow call (an HTTP request, a big model). With
    -- max_concurrency = 2 these two waits share the two slots with the branches above.
    { name = "slow", tool = "sleep", params = { ms = 20 } },
    { name = "slower", tool = "sleep", params = { ms = 40 } },
    { name = "count", run = function(ctx) return #ctx.input end },
  },
}

local out = research:execute("parallel branches")
print("area:", out.output[1].result)
print("summary:", out.output[2])
print("count:", out.output[5])
print(#out.output .. " outputs")

-- out.steps reports every branch too, also in the order written, with its name and status.
local statuses = {}
for _, step in ipairs(out.steps) do
  statuses[#statuses + 1] = step.name .. "=" .. step.status
end
print(table.concat(statuses, " "))
