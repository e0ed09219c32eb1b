-- Script functions called by the API that themselves call the API: a step that runs an agent,
-- a tool and another workflow; a `when` that asks a tool; a tool whose run executes a
-- workflow. (In the JavaScript twin these callbacks are async and await those calls.)
local echo = Agent.create{ name = "echo" }
local inner = Workflow.sequential{ name = "inner", steps = {
  { tool = "text", params = { text = "{{input}}", operation = "reverse" } },
}}
local outer = Workflow.sequential{ name = "outer", steps = {
  { name = "ask", run = function(ctx) return echo:execute("asked " .. ctx.input).text end },
  { name = "nest", run = function(ctx) return inner:execute(ctx.prev).output.result end },
  { name = "both", run = function(ctx)
      local a = Tool.execute("hash", { input = ctx.prev, algorithm = "md5" }).hash
      local b = Tool.execute("text", { text = ctx.prev, operation = "length" }).result
      return a:sub(1, 8) .. " " .. b
    end },
  { name = "stream", run = function(ctx)
      local parts = {}
      for chunk in echo:stream("x y") do parts[#parts + 1] = chunk end
      return table.concat(parts, "|")
    end },
}}
print(outer:execute("question").output)

local router = Workflow.conditional{ name = "router", branches = {
  { when = function(ctx)
      return Tool.execute("text", { text = ctx.input, operation = "length" }).result > 3
    end, steps = { { run = function() return "long" end } } },
}, default = { { run = function() return "short" end } } }
print(router:execute("abcdef").output .. " " .. router:execute("ab").output)

Tool.register{ name = "via-workflow", description = "Runs a workflow",
  params = { text = { type = "string", required = true } },
  run = function(p) return { reversed = inner:execute(p.text).output.result } end }
print(Tool.execute("via-workflow", { text = "stressed" }).reversed)
