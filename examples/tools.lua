-- tools.lua: the built-in tools. Every tool takes a table of named parameters, checks them
-- against its schema before it runs, and returns a table.
--
-- Run it:  llmspell run examples/tools.lua
--
-- Two ways to call a tool: `Tool.get(name)` returns a tool object to call with `tool:execute{...}`
-- (note the colon), and `Tool.execute(name, params)` does both in one call.

-- What is there? Tool.list() returns { name, description, source } for every tool, sorted.
local names = {}
for _, info in ipairs(Tool.list()) do
  names[#names + 1] = info.name
end
print("tools: " .. table.concat(names, ", "))

-- A tool object carries its name, description and parameter schema.
local calc = Tool.get("calculator")
print(calc.name .. " needs: expression (" .. calc.schema.params.expression.type .. ")")
print("17 * 23 =", calc:execute{ expression = "17 * 23" }.result)
print("2^10 =", calc:execute{ expression = "2^10" }.result)
print("7.0 / 2 =", Tool.execute("calculator", { expression = "7.0 / 2" }).result)

-- text: small string operations, chosen with `operation`.
print(Tool.execute("text", { text = "llmspell", operation = "upper" }).result)
local words = Tool.execute("text", { text = "the quick brown fox", operation = "words" }).result
print(#words .. " words, the last is " .. words[#words])
print(Tool.execute("text", { text = "a-b-c", operation = "replace", pattern = "-", replacement = " + " }).result)

-- hash: a hex digest, SHA-256 unless `algorithm` says otherwise.
print("sha256:", Tool.execute("hash", { input = "hello" }).hash)
print("md5:   ", Tool.execute("hash", { input = "hello", algorithm = "md5" }).hash)

-- base64: encode and decode back.
local encoded = Tool.execute("base64", { operation = "encode", input = "Hello, world!" }).result
local decoded = Tool.execute("base64", { operation = "decode", input = encoded }).result
print(encoded .. " -> " .. decoded)

-- uuid: a fresh random id on every call, so print its shape rather than its value.
local id = Tool.execute("uuid").uuid
print("uuid length " .. #id .. ", version " .. id:sub(15, 15))
