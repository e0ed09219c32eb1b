-- The json and template tools: parse, stringify (compact and pretty), get by path, values
-- of every type crossing into and out of a tool, and errors for bad JSON and missing names.
local function json(params) return Tool.execute("json", params).result end
local parsed = json{ operation = "parse", input = '{"name":"Ada","langs":["en","fr"],"age":36,"ratio":0.5,"ok":true,"none":null}' }
print(parsed.name .. " " .. parsed.langs[2] .. " " .. parsed.age .. " " .. tostring(parsed.ok))
print(json{ operation = "parse", input = '{"a":{"b":[10,20,30]}}', path = "a.b.1" })
print(json{ operation = "stringify", input = { list = { 1, 2, 3 }, word = "hi" } })
print(json{ operation = "stringify", input = { nested = { deep = true } }, pretty = true })
print(json{ operation = "get", input = { user = { emails = { "a@x", "b@x" } } }, path = "user.emails.0" })
print(json{ operation = "get", input = { a = 1 }, path = "missing" } == nil)
local ok, err = pcall(Tool.execute, "json", { operation = "parse", input = "{broken" })
print(ok and "no error" or "error: " .. tostring(err))

local function template(t, values) return Tool.execute("template", { template = t, values = values }).result end
print(template("Hi {{name}}, you are {{ age }}", { name = "Ada", age = 36 }))
print(template("{{user.name}} likes {{items.1}}; all: {{items}}", { user = { name = "Bo" }, items = { "tea", "cake" } }))
print(template("flag={{flag}} ratio={{ratio}}", { flag = false, ratio = 0.25 }))
ok, err = pcall(Tool.execute, "template", { template = "Hi {{nobody}}", values = { name = "Ada" } })
print(ok and "no error" or "error: " .. tostring(err))
return parsed
