// streaming.js: receiving an agent's answer chunk by chunk, as it is generated, instead of
// waiting for the whole text.
//
// Run it:  llmspell run examples/streaming.js
//          llmspell run --events jsonl examples/streaming.js   (each chunk is also a `token` event)
//
// `agent.stream(input)` returns an async iterator for `for await`. console.log ends every call
// with a newline, so this prints one chunk per line as it arrives. The mock model streams word by
// word; a real model streams whatever pieces its API sends.

// No `model` here: it comes from `default_model` in examples/llmspell.toml (mock/echo).
const narrator = Agent.create({ name: "narrator", system: "You tell very short stories." });
console.log("streaming from " + narrator.model);

let chunks = 0;
for await (const chunk of narrator.stream("A small robot found a paintbrush and painted the sunrise.")) {
  chunks += 1;
  console.log(`${chunks}: ${JSON.stringify(chunk)}`);
}
console.log(`(${chunks} chunks)`);

// To keep the text as well as show it, collect the chunks and join them at the end.
const parts = [];
for await (const chunk of narrator.stream({ prompt: "The end." })) {
  parts.push(chunk);
}
console.log("collected: " + parts.join(""));

// Breaking out of the loop early is fine: the rest of the answer is simply not read.
const seen = [];
for await (const chunk of narrator.stream("one two three four five")) {
  seen.push(chunk);
  if (chunk.startsWith("three")) break;
}
console.log(seen.join("") + "...");
