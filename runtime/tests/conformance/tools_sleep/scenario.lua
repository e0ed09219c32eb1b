-- The sleep tool: a short wait, a zero wait, and the range of `ms`.
print(Tool.execute("sleep", { ms = 20 }).slept_ms)
print(Tool.get("sleep"):execute{ ms = 0 }.slept_ms)
for _, bad in ipairs{ { ms = -1 }, { ms = 600001 }, { ms = 1.5 }, {} } do
  local ok, err = pcall(Tool.execute, "sleep", bad)
  print(ok and "no error" or "error: " .. tostring(err))
end
