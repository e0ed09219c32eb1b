-- Tool.list, Tool.exists and Tool.get: the built-in tools, a tool object's fields and schema,
-- and a misspelt name.
for _, info in ipairs(Tool.list()) do
  print(info.name .. " " .. info.source .. " " .. tostring(#info.description > 0))
end
print(Tool.exists("calculator"))
print(Tool.exists("calculater"))
local text = Tool.get("text")
print(text.name)
print(text.description:sub(1, 28))
local params = text.schema.params
print(params.text.type .. " " .. tostring(params.text.required))
print(params.operation.type .. " " .. table.concat(params.operation.enum, ","))
print(params.pattern.type .. " " .. tostring(params.pattern.required))
print(Tool.get("hash").schema.params.algorithm.default)
print(Tool.get("file-read").schema.returns.content.type)
local ok, err = pcall(Tool.get, "calculater")
print(ok and "no error" or "error: " .. tostring(err))
return Tool.get("text").schema
