-- The uuid, hash and base64 tools. A uuid is random, so only its shape is printed.
local id = Tool.execute("uuid").uuid
print(#id, id:sub(15, 15), id:sub(9, 9))
print(Tool.execute("uuid", {}).uuid ~= id)

for _, algorithm in ipairs{ "sha256", "sha1", "md5" } do
  print(algorithm .. " " .. Tool.execute("hash", { input = "hello", algorithm = algorithm }).hash)
end
print("default " .. Tool.execute("hash", { input = "" }).hash)
print("utf-8 " .. Tool.execute("hash", { input = "héllo ✓", algorithm = "md5" }).hash)

local function b64(params) return Tool.execute("base64", params).result end
local encoded = b64{ operation = "encode", input = "Hello, world! ✓" }
print(encoded .. " -> " .. b64{ operation = "decode", input = encoded })
print(b64{ operation = "encode", input = "??>>", url_safe = true })
print(b64{ operation = "decode", input = "aGk" })
local ok, err = pcall(Tool.execute, "base64", { operation = "decode", input = "not base64!" })
print(ok and "no error" or "error: " .. tostring(err))
ok, err = pcall(Tool.execute, "hash", { input = "x", algorithm = "sha512" })
print(ok and "no error" or "error: " .. tostring(err))
