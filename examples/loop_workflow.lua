-- loop_workflow.lua: repeating steps until a condition holds, with a cap on the repetitions.
--
-- Run it:  llmspell run examples/loop_workflow.lua
--
-- Workflow.loop runs its steps, then calls `stop_when(ctx)` with ctx.prev set to that iteration's
-- output, and stops when it returns true. `max_iterations` (default 10) caps the loop either way,
-- so a condition that is never met cannot run forever. Each iteration's first step sees the
-- previous iteration's output as ctx.prev (the workflow's input in the first iteration), so a
-- loop can refine a value step by step: a draft an agent improves, a number converging, ...

-- The Collatz sequence: halve even numbers, triple odd ones and add one, until reaching 1.
local path = {}
local collatz = Workflow.loop{
  name = "collatz",
  max_iterations = 100,
  steps = {
    { name = "next", run = function(ctx)
        local n = ctx.prev
        if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
        path[#path + 1] = n -- a local captured by the function collects the values
        return n
      end },
  },
  stop_when = function(ctx) return ctx.prev == 1 end,
}

local out = collatz:execute(6)
print("6 -> " .. table.concat(path, " -> "))
print("reached " .. out.output .. " after " .. out.iterations .. " iterations")

-- A loop whose stop condition is not met in time ends at max_iterations. The result does not
-- fail: check out.iterations (or the output) to tell the two endings apart.
local doubling = Workflow.loop{
  name = "doubling",
  max_iterations = 4,
  steps = { { run = function(ctx) return ctx.prev * 2 end } },
  stop_when = function(ctx) return ctx.prev > 1000 end,
}
out = doubling:execute(3)
print("stopped at " .. out.output .. " after " .. out.iterations .. " iterations (the cap)")
print(#out.steps .. " step results, one per iteration")
