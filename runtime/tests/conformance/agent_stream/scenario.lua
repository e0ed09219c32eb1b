-- agent:stream: chunks in a loop (each also a `token` event), a request table as input,
-- leaving the loop early, a scripted model, and errors at the call and inside the loop.
local narrator = Agent.create{ name = "narrator", system = "Tell short stories." }
local chunks = {}
for chunk in narrator:stream("a small robot painted the sunrise") do
  print("<" .. chunk .. ">")
  chunks[#chunks + 1] = chunk
end
print(#chunks .. " chunks: " .. table.concat(chunks))

for chunk in narrator:stream{ prompt = "request form" } do print(chunk) end

-- Leaving early is fine, and the agent works afterwards.
for chunk in narrator:stream("one two three four five") do
  print(chunk)
  if chunk:match("^three") then break end
end
print("after break: " .. narrator:execute("still works").text)

-- A scripted model streams its reply too.
for chunk in Agent.create{ model = "scripted/teller" }:stream("ignored") do print(chunk) end

-- A bad input fails at the call; a model the provider lacks fails when the stream starts.
local ok, err = pcall(function() for _ in narrator:stream(42) do end end)
print(ok and "no error" or "error: " .. tostring(err))
local missing = Agent.create{ model = "mock/missing" }
ok, err = pcall(function() for _ in missing:stream("x") do end end)
print(ok and "no error" or "error: " .. tostring(err))
