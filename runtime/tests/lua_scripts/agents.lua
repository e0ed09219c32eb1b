-- Agents on the mock provider: creation, lookup, results, streaming and config errors.
local writer = Agent.create{ name = "writer", model = "mock/echo", system = "Be terse.", temperature = 0.5 }
print(writer.name, writer.model, tostring(writer))
local r = writer:execute("What is 17 * 23?")
print(r.text, r.model, r.usage.input_tokens, r.usage.output_tokens, r.finish_reason, #r.tool_calls)

local conversation = writer:execute{ messages = { { role = "user", content = "earlier" },
                                                   { role = "assistant", content = "noted" } },
                                     prompt = "and now" }
print(conversation.text)

local default = Agent.create{}
print(default.model, default.name)
print(Agent.get("writer") ~= nil, Agent.get("nobody"), table.concat(Agent.list(), ","))

local scripted = Agent.create{ model = "scripted/any" }
print(scripted:execute("x").text, scripted:execute("y").text, scripted:execute("z").text)

local short = Agent.create{ model = "mock/echo", max_tokens = 2 }
local s = short:execute("one two three four")
print(s.text, s.finish_reason)

for chunk in writer:stream("streamed in chunks") do io.write("<", chunk, ">") end
print()

for _, bad in ipairs{
  { temperature = 3 },
  { model = "nowhere/x" },
  { model = "gpt4" },
  { tools = { "calculater" } },
  { temprature = 1 },
  { max_tokens = "many" },
} do
  local ok, err = pcall(Agent.create, bad)
  print(ok, err)
end
print(pcall(writer.execute, writer, 42))
print(pcall(function() return writer.execute("called with a dot") end))
print(pcall(function() return writer.nope end))
print(pcall(function() writer.name = "x" end))
