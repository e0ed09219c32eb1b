-- Integers beyond 32 bits (Unix times in milliseconds, byte counts) stay integers on their way
-- into the API and back.
local big = { ms = 1714566600000, bytes = 3000000000, neg = -2147483649, max_safe = 9007199254740991 }
print(Tool.execute("json", { operation = "stringify", input = big }).result)
local same = Workflow.sequential{ steps = { { run = function(ctx) return ctx.input end } } }:execute(big).output
print(same.ms == big.ms, same.bytes == big.bytes)
return big
