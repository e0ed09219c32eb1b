-- ARGS: the command-line arguments as a list of strings (the suite passes "first-arg" and
-- "second arg"), usable anywhere a string is.
print(#ARGS)
for i, arg in ipairs(ARGS) do print(i .. ": " .. arg) end
print(ARGS[3] == nil)
print(Tool.execute("text", { text = ARGS[2], operation = "upper" }).result)
print(Agent.create{}:execute("hello " .. ARGS[1]).text)
return ARGS
