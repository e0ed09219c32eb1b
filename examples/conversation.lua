-- conversation.lua: a multi-turn chat, sending the earlier messages along with each new prompt
-- so the model sees the whole conversation.
--
-- Run it:  llmspell run examples/conversation.lua
--
-- The model "scripted/guide" comes from [providers.scripted] in examples/llmspell.toml: a mock
-- provider that plays back its `replies` in order, so this chat is the same on every run and
-- needs no network. Point the agent at a real model and the script works unchanged.

local guide = Agent.create{
  model = "scripted/guide",
  name = "guide",
  system = "You are a concise travel guide for Lisbon.",
}

-- The conversation so far, oldest first. Each message is { role = ..., content = ... } with
-- role "user" or "assistant" (the system prompt is the agent's, so it is not repeated here).
local history = {}

local function ask(question)
  local reply = guide:execute{ messages = history, prompt = question }
  history[#history + 1] = { role = "user", content = question }
  history[#history + 1] = { role = "assistant", content = reply.text }
  return reply
end

for _, question in ipairs{
  "What is the weather like in April?",
  "What should I see first?",
  "And what should I eat?",
} do
  local reply = ask(question)
  print("you:   " .. question)
  print("guide: " .. reply.text)
  -- input_tokens grows with each turn because the whole history is sent every time (the mock
  -- counts words as tokens).
  print(("       [%d tokens in, %d out, %s]"):format(
    reply.usage.input_tokens, reply.usage.output_tokens, reply.finish_reason))
end

print(#history .. " messages in the history")
