-- The calculator and text tools: integer and floating-point results, functions, every text
-- operation, and a calculator error.
local calc = Tool.get("calculator")
for _, expression in ipairs{ "17 * 23", "2^10", "7 / 2", "7.0 / 2", "(1 + 2) * 3", "math::sqrt(16)", "max(3, 9, 4)", "10 % 4" } do
  print(expression .. " = " .. tostring(calc:execute{ expression = expression }.result))
end
local ok, err = pcall(Tool.execute, "calculator", { expression = "2 +" })
print(ok and "no error" or "error: " .. tostring(err))

local results = {}
for _, params in ipairs{
  { operation = "upper", text = "Hello" },
  { operation = "lower", text = "Hello" },
  { operation = "trim", text = "  padded  " },
  { operation = "reverse", text = "stressed" },
  { operation = "length", text = "naïve" },
  { operation = "words", text = " the quick  brown fox " },
  { operation = "replace", text = "a-b-c", pattern = "-", replacement = " + " },
  { operation = "replace", text = "a-b-c", pattern = "-" },
  { operation = "split", text = "x,y,,z", pattern = "," },
} do
  results[#results + 1] = Tool.execute("text", params).result
end
-- A pattern is refused where the operation takes none.
ok, err = pcall(Tool.execute, "text", { operation = "upper", text = "x", pattern = "y" })
print(ok and "no error" or "error: " .. tostring(err))
return results
