-- agent:execute on the mock provider: the answer's text, model, usage, finish_reason and tool
-- calls; agent names, the default model, Agent.get and Agent.list; max_tokens cutting an answer.
local writer = Agent.create{ name = "writer", model = "mock/echo", system = "Be terse.", temperature = 0.5 }
print(writer.name)
print(writer.model)
local r = writer:execute("What is 17 * 23?")
print(r.text)
print(r.model)
print(r.usage.input_tokens)
print(r.usage.output_tokens)
print(r.finish_reason)
print(#r.tool_calls)

-- No model: default_model of the config; no name: one made from the model.
local default = Agent.create{}
print(default.model)
print(default.name)
print(Agent.get("writer").model)
print(Agent.get("nobody") == nil)
print(table.concat(Agent.list(), ","))

-- max_tokens cuts the answer short, and finish_reason says so.
local short = Agent.create{ model = "mock/echo", max_tokens = 2 }
local s = short:execute("one two three four")
print(s.text)
print(s.finish_reason)

-- The result's fields as a value (its empty tool_calls list: see values_empty_list).
return { text = r.text, model = r.model, usage = r.usage, finish_reason = r.finish_reason }
