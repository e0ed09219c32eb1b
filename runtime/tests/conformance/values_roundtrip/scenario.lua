-- Values crossing between the script and the API in both directions: a workflow's input
-- reaches a step function unchanged, its return value comes back as the output, and tool
-- parameters arrive as given (json stringify shows exactly what the tool received).
local value = { int = 42, neg = -3, float = 2.5, yes = true, no = false, text = "tab\tquote\"",
                list = { 1, 2.5, "x", { true } }, map = { a = { b = { c = "deep" } } } }
local identity = Workflow.sequential{ steps = { { run = function(ctx) return ctx.input end } } }
local out = identity:execute(value).output
print(out.int + out.neg, out.float * 2, out.yes, out.no, out.text)
print(#out.list, out.list[4][1], out.map.a.b.c)
print(Tool.execute("json", { operation = "stringify", input = value.list }).result)
print(Tool.execute("json", { operation = "stringify", input = value.map }).result)
-- Strings are UTF-8 text in both languages.
print(Tool.execute("text", { text = "naïve ✓ 日本", operation = "length" }).result)
return out
