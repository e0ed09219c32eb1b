// agent_tools.js: an agent that may call tools. The model decides when to use the calculator
// (or the script's own `word_count` tool); llmspell runs each call, feeds the result back and
// lets the model finish its answer.
//
// Run it:  llmspell run examples/agent_tools.js
// On a real model:  llmspell run examples/agent_tools.js --model openai/gpt-4o-mini
//
// With the offline mock model the answer is the prompt itself and no tool is called; with a
// real model (or the loopback test server of server/tests/providers_e2e.rs) the calls appear in
// `result.tool_calls`, and as `tool_call` events with `--events jsonl`.

Tool.register({
  name: "word_count",
  description: "Counts the words of a text",
  params: { text: { type: "string", required: true, description: "The text to count" } },
  run: (p) => ({ words: p.text.split(/\s+/).filter((word) => word !== "").length }),
});

const assistant = Agent.create({
  name: "assistant",
  system: "Use the calculator for arithmetic and word_count for counting words.",
  tools: ["calculator", "word_count"],
  max_tool_rounds: 3,
});

const result = await assistant.execute("What is 17 * 23?");
console.log("answer: " + result.text);
result.tool_calls.forEach((call, i) => {
  const outcome = call.error ?? call.result?.result ?? call.result?.words;
  console.log(`tool call ${i + 1}: ${call.name} -> ${outcome}`);
});
console.log("finish reason: " + result.finish_reason);
