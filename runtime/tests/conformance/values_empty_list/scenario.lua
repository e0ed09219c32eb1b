-- Empty lists from the API (an answer's tool_calls, the words of an empty text, a parsed
-- `[]`) are still lists when they go back to the API or become the script's value.
local calls = Agent.create{}:execute("no tools here").tool_calls
local words = Tool.execute("text", { text = "", operation = "words" }).result
local parsed = Tool.execute("json", { operation = "parse", input = '{"items":[]}' }).result
print(#calls, #words, #parsed.items)
print(Tool.execute("json", { operation = "stringify", input = parsed }).result)
return { calls = calls, words = words, parsed = parsed }
