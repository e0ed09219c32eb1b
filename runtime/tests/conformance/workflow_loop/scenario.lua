-- A loop workflow: stop_when after each iteration, max_iterations as a cap, ctx.prev carried
-- from one iteration to the next, several steps per iteration, and the iteration count.
local counter = Workflow.loop{ name = "counter", max_iterations = 10,
  steps = { { name = "inc", run = function(ctx) return (ctx.prev or 0) + 1 end } },
  stop_when = function(ctx) return ctx.prev >= 3 end }
print(counter.kind)
local out = counter:execute()
print(out.output .. " after " .. out.iterations)
print(#out.steps)

local capped = Workflow.loop{ name = "capped", max_iterations = 4,
  steps = { { run = function(ctx) return ctx.prev * 2 end } },
  stop_when = function(ctx) return ctx.prev > 1000 end }
out = capped:execute(3)
print(out.output .. " after " .. out.iterations)

-- Two steps per iteration; vars persist across iterations.
local two = Workflow.loop{ name = "two", max_iterations = 3,
  steps = {
    { name = "add", run = function(ctx) ctx.vars.total = (ctx.vars.total or 0) + ctx.prev return ctx.prev + 1 end },
    { name = "fmt", tool = "template", params = { template = "n={{prev}}", values = { x = 1 } } },
    { name = "back", run = function(ctx) return ctx.steps.add end },
  } }
out = two:execute(1)
print(out.output .. " after " .. out.iterations .. ", " .. #out.steps .. " steps")

-- The default cap is 10.
out = Workflow.loop{ steps = { { run = function(ctx) return ctx.prev + 1 end } } }:execute(0)
print(out.output .. " after " .. out.iterations)
