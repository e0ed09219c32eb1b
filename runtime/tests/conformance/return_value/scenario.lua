-- The script's value (Lua `return`, JavaScript `export default`) becomes the run's result
-- event: strings, numbers, booleans, nested lists and tables, and values from the API.
local r = Agent.create{}:execute("returned text")
return {
  text = r.text,
  usage = r.usage,
  n = 3,
  ratio = 0.25,
  negative = -7,
  yes = true,
  no = false,
  list = { 1, "two", { 3 } },
  nested = { deeper = { deepest = "ünïcödé ✓\n" } },
  words = Tool.execute("text", { text = "a b", operation = "words" }).result,
}
