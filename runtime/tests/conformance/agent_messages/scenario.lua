-- A conversation: `messages` plus `prompt`, an agent's system prompt, the scripted provider's
-- replies in order, and input tokens growing with the history.
local guide = Agent.create{ model = "scripted/guide", name = "guide", system = "You are a guide." }
local history = {}
for _, question in ipairs{ "one question", "two questions here", "three" } do
  local reply = guide:execute{ messages = history, prompt = question }
  history[#history + 1] = { role = "user", content = question }
  history[#history + 1] = { role = "assistant", content = reply.text }
  print(question .. " -> " .. reply.text)
  print("tokens: " .. reply.usage.input_tokens .. " in, " .. reply.usage.output_tokens .. " out")
end

-- mock/echo answers with the last user message: from `messages` alone, or the prompt after them.
local echo = Agent.create{ model = "mock/echo", system = "Echo." }
local earlier = {
  { role = "user", content = "earlier" },
  { role = "assistant", content = "noted" },
  { role = "user", content = "latest question" },
}
print(echo:execute{ messages = earlier }.text)
print(echo:execute{ messages = earlier, prompt = "and now" }.text)
print(echo:execute{ prompt = "prompt only" }.text)
-- A system message inside `messages` is allowed too.
print(echo:execute{ messages = { { role = "system", content = "Be brief." } }, prompt = "hi" }.text)

-- Malformed messages are errors naming the field.
for _, bad in ipairs{
  { messages = { { role = "robot", content = "beep" } } },
  { messages = { { role = "user" } } },
  { messages = "not a list" },
} do
  local ok, err = pcall(echo.execute, echo, bad)
  print(ok and "no error" or "error: " .. tostring(err))
end
return history
