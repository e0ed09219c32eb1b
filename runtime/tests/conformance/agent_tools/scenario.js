// Agents given tools, by name and as Tool objects, including a script tool. The mock model
// never calls them, so the answer is the prompt and tool_calls is empty; unknown tools and a
// bad max_tool_rounds are errors at Agent.create.
const counter = Tool.register({ name: "word-count", description: "Counts words",
  params: { text: { type: "string", required: true } },
  run: (p) => ({ words: p.text.split(/\s+/).filter((w) => w !== "").length }) });
const assistant = Agent.create({ name: "assistant", tools: ["calculator", counter, Tool.get("text")], max_tool_rounds: 3 });
const r = await assistant.execute("What is 17 * 23?");
console.log(r.text);
console.log(r.tool_calls.length);
console.log(r.finish_reason);
for (const config of [
  { tools: ["calculater"] },
  { tools: [42] },
  { tools: "calculator" },
  { max_tool_rounds: 101 },
]) {
  try {
    Agent.create(config);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
}
