// The script's value (Lua `return`, JavaScript `export default`) becomes the run's result
// event: strings, numbers, booleans, nested lists and objects, and values from the API.
const r = await Agent.create({}).execute("returned text");
export default {
  text: r.text,
  usage: r.usage,
  n: 3,
  ratio: 0.25,
  negative: -7,
  yes: true,
  no: false,
  list: [1, "two", [3]],
  nested: { deeper: { deepest: "ünïcödé ✓\n" } },
  words: (await Tool.execute("text", { text: "a b", operation: "words" })).result,
};
