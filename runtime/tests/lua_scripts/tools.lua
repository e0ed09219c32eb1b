-- Tools: listing, lookup, execution, validation errors and script-registered tools.
for _, t in ipairs(Tool.list()) do io.write(t.name, ":", t.source, " ") end
print()
local calc = Tool.get("calculator")
print(calc.name, calc.description ~= "", calc.schema.params.expression.type, calc.schema.params.expression.required)
print(calc:execute{ expression = "2^10" }.result, Tool.execute("calculator", { expression = "17 * 23" }).result)
print(Tool.exists("calculator"), Tool.exists("nope"))
print(Tool.execute("text", { text = "Hello", operation = "upper" }).result)
print(Tool.execute("hash", { input = "abc" }).hash)
print(Tool.execute("base64", { operation = "encode", input = "llmspell" }).result)
print(Tool.execute("template", { template = "Hi {{name}}", values = { name = "Ada" } }).result)
print(Tool.execute("json", { operation = "stringify", input = { a = 1 } }).result)
print(Tool.execute("file-write", { path = "out.txt", content = "saved" }).bytes)
print(Tool.execute("file-read", { path = "out.txt" }).content)

print(pcall(calc.execute, calc, {}))
print(pcall(calc.execute, calc, { expression = 5 }))
print(pcall(calc.execute, calc, { expression = "1", extra = true }))
print(pcall(Tool.get, "calculater"))
print(pcall(Tool.execute, "sleep", { ms = "soon" }))

local shout = Tool.register{
  name = "shout", description = "Upper-cases text",
  params = { text = { type = "string", required = true, description = "What to shout" },
             times = { type = "integer", default = 1 } },
  run = function(p) return { text = string.rep(p.text:upper(), p.times, " ") } end,
}
print(shout.name, shout:execute{ text = "hey", times = 2 }.text, Tool.exists("shout"))
print(pcall(shout.execute, shout, { times = 2 }))
Tool.register{ name = "plain", description = "Returns a bare value", run = function() return 42 end }
print(Tool.execute("plain", {}).result)
print(pcall(Tool.register, { name = "calculator", description = "again", run = function() end }))
print(pcall(Tool.register, { name = "broken", description = "no run" }))
Tool.register{ name = "fails", description = "Raises", run = function() error("tool exploded") end }
print(pcall(Tool.execute, "fails", {}))
print(pcall(Tool.execute, "text", { text = "x", operaton = "upper" }))
