-- Agents given tools, by name and as Tool objects, including a script tool. The mock model
-- never calls them, so the answer is the prompt and tool_calls is empty; unknown tools and a
-- bad max_tool_rounds are errors at Agent.create.
local counter = Tool.register{ name = "word-count", description = "Counts words",
  params = { text = { type = "string", required = true } },
  run = function(p) local n = 0 for _ in p.text:gmatch("%S+") do n = n + 1 end return { words = n } end }
local assistant = Agent.create{ name = "assistant", tools = { "calculator", counter, Tool.get("text") }, max_tool_rounds = 3 }
local r = assistant:execute("What is 17 * 23?")
print(r.text)
print(#r.tool_calls)
print(r.finish_reason)
for _, config in ipairs{
  { tools = { "calculater" } },
  { tools = { 42 } },
  { tools = "calculator" },
  { max_tool_rounds = 101 },
} do
  local ok, err = pcall(Agent.create, config)
  print(ok and "no error" or "error: " .. tostring(err))
end
