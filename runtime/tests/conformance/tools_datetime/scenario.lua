-- The datetime tool, used deterministically: format, parse, add with a given value; `now`
-- only through properties that do not change.
local function dt(params)
  local r = Tool.execute("datetime", params)
  return r.result .. " (" .. r.unix .. ")"
end
print(dt{ operation = "format", value = "2024-05-01T12:30:00Z", format = "%Y-%m-%d %H:%M" })
print(dt{ operation = "format", value = "2024-05-01T12:30:00+02:00" })
print(dt{ operation = "parse", value = "01/05/2024 12:30", format = "%d/%m/%Y %H:%M" })
print(dt{ operation = "parse", value = "2024-05-01T12:30:00Z" })
print(dt{ operation = "add", value = "2024-02-28T23:00:00Z", seconds = 7200 })
print(dt{ operation = "add", value = "2024-01-01T00:00:00Z", seconds = -1.5 })
local now = Tool.execute("datetime", { operation = "now" })
print(#now.result > 0, now.unix > 1700000000)
for _, bad in ipairs{
  { operation = "format" },
  { operation = "now", value = "2024-05-01T12:30:00Z" },
  { operation = "parse", value = "yesterday" },
  { operation = "add", value = "2024-01-01T00:00:00Z" },
} do
  local ok, err = pcall(Tool.execute, "datetime", bad)
  print(ok and "no error" or "error: " .. tostring(err))
end
