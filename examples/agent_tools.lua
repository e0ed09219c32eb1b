-- agent_tools.lua: an agent that may call tools. The model decides when to use the calculator
-- (or the script's own `word_count` tool); llmspell runs each call, feeds the result back and
-- lets the model finish its answer.
--
-- Run it:  llmspell run examples/agent_tools.lua
-- On a real model:  llmspell run examples/agent_tools.lua --model openai/gpt-4o-mini
--
-- With the offline mock model the answer is the prompt itself and no tool is called; with a
-- real model (or the loopback test server of server/tests/providers_e2e.rs) the calls appear in
-- `result.tool_calls`, and as `tool_call` events with `--events jsonl`.

Tool.register{
  name = "word_count",
  description = "Counts the words of a text",
  params = { text = { type = "string", required = true, description = "The text to count" } },
  run = function(p)
    local n = 0
    for _ in p.text:gmatch("%S+") do n = n + 1 end
    return { words = n }
  end,
}

local assistant = Agent.create{
  name = "assistant",
  system = "Use the calculator for arithmetic and word_count for counting words.",
  tools = { "calculator", "word_count" },
  max_tool_rounds = 3,
}

local result = assistant:execute("What is 17 * 23?")
print("answer: " .. result.text)
for i, call in ipairs(result.tool_calls) do
  local outcome = call.error or (call.result and (call.result.result or call.result.words))
  print(("tool call %d: %s -> %s"):format(i, call.name, tostring(outcome)))
end
print("finish reason: " .. result.finish_reason)
