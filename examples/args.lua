-- args.lua: reading command-line arguments through ARGS.
--
-- Run it:  llmspell run examples/args.lua -- Ada 3
--
-- Everything after `--` reaches the script as ARGS, a list of strings (empty when there are
-- none). Numbers arrive as text: convert them with tonumber and check the result.
--
-- args: Ada 3

print(#ARGS .. " argument(s)")
for i, arg in ipairs(ARGS) do
  print(("ARGS[%d] = %q"):format(i, arg))
end

-- Optional arguments with defaults: `or` picks the default when ARGS[i] is nil.
local name = ARGS[1] or "world"
local times = tonumber(ARGS[2] or "1")
if times == nil or times < 1 or times % 1 ~= 0 then
  error("the second argument must be a whole number of at least 1, got '" .. ARGS[2] .. "'")
end

for i = 1, times do
  print(("%d. Hello, %s!"):format(i, name))
end

-- Arguments are ordinary strings, so they can go straight into prompts and tool parameters.
local shout = Tool.execute("text", { text = name, operation = "upper" }).result
local echo = Agent.create{ model = "mock/echo" }
print(echo:execute("Goodbye, " .. shout .. "!").text)
