-- hello.lua: the smallest llmspell script. It creates an agent, asks it one thing and prints
-- the answer.
--
-- Run it:  llmspell run examples/hello.lua
--
-- "mock/echo" is the offline mock model: it answers with the prompt itself, so this runs with no
-- API key and no network. With a real provider you would only change the model name.

local agent = Agent.create{ model = "mock/echo", system = "You are a friendly greeter." }
local reply = agent:execute("Hello from llmspell!")
print(reply.text)
