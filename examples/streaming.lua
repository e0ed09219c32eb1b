-- streaming.lua: receiving an agent's answer chunk by chunk, as it is generated, instead of
-- waiting for the whole text.
--
-- Run it:  llmspell run examples/streaming.lua
--          llmspell run --events jsonl examples/streaming.lua   (each chunk is also a `token` event)
--
-- `agent:stream(input)` returns an iterator for a generic `for`. `io.write` prints without adding
-- a newline, so the chunks join up into the answer on one line as they arrive. The mock model
-- streams word by word; a real model streams whatever pieces its API sends.

-- No `model` here: it comes from `default_model` in examples/llmspell.toml (mock/echo).
local narrator = Agent.create{ name = "narrator", system = "You tell very short stories." }
print("streaming from " .. narrator.model)

local chunks = 0
for chunk in narrator:stream("A small robot found a paintbrush and painted the sunrise.") do
  io.write(chunk)
  chunks = chunks + 1
end
io.write("\n")
print(("(%d chunks)"):format(chunks))

-- To keep the text as well as show it, collect the chunks and join them at the end. Appending
-- to a table and calling table.concat once is much cheaper than `text = text .. chunk`.
local parts = {}
for chunk in narrator:stream{ prompt = "The end." } do
  parts[#parts + 1] = chunk
end
print("collected: " .. table.concat(parts))

-- Breaking out of the loop early is fine: the rest of the answer is simply not read.
for chunk in narrator:stream("one two three four five") do
  io.write(chunk)
  if chunk:match("^three") then break end
end
io.write("...\n")
