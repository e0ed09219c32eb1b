-- Tool.register: a tool written in the script, its parameter checks and defaults, a bare
-- return value, a tool that fails, registration errors, and the tool as a workflow step.
-- (The JavaScript twin registers one tool with an async `run`.)
local shout = Tool.register{
  name = "shout",
  description = "Upper-cases text",
  params = {
    text = { type = "string", required = true, description = "What to shout" },
    times = { type = "integer", default = 1 },
    mood = { type = "string", enum = { "calm", "loud" }, default = "loud" },
  },
  run = function(p)
    local parts = {}
    for i = 1, p.times do parts[i] = p.text:upper() end
    return { text = table.concat(parts, " "), mood = p.mood }
  end,
}
print(shout.name .. " " .. shout.description)
print(Tool.exists("shout"))
local r = shout:execute{ text = "hey", times = 2 }
print(r.text .. " " .. r.mood)
print(Tool.execute("shout", { text = "hi", mood = "calm" }).text)
print(Tool.get("shout").schema.params.times.default)

Tool.register{ name = "slow-double", description = "Waits, then doubles",
  params = { n = { type = "number", required = true } },
  run = function(p)
    Tool.execute("sleep", { ms = 5 })
    return { doubled = p.n * 2 }
  end }
print(Tool.execute("slow-double", { n = 21 }).doubled)

Tool.register{ name = "plain", description = "Returns a bare value", run = function() return "bare" end }
print(Tool.execute("plain").result)
Tool.register{ name = "fails", description = "Raises", run = function() error("tool exploded") end }

for _, bad in ipairs{
  { "shout", {} },
  { "shout", { text = 5 } },
  { "shout", { text = "x", times = "two" } },
  { "shout", { text = "x", mood = "angry" } },
  { "shout", { txt = "x" } },
  { "fails", {} },
} do
  local ok, err = pcall(Tool.execute, bad[1], bad[2])
  print(ok and "no error" or "error: " .. tostring(err))
end
for _, spec in ipairs{
  { name = "calculator", description = "again", run = function() end },
  { name = "shout", description = "again", run = function() end },
  { name = "no-run", description = "missing run" },
  { name = "bad-type", description = "x", params = { a = { type = "text" } }, run = function() end },
} do
  local ok, err = pcall(Tool.register, spec)
  print(ok and "no error" or "error: " .. tostring(err))
end

local wf = Workflow.sequential{ name = "tool-steps", steps = {
  { name = "loud", tool = "shout", params = { text = "{{input}}" } },
  { name = "twice", tool = shout, params = { text = "{{prev.text}}", times = 2 } },
}}
return wf:execute("step").output
