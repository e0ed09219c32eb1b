// agent.stream: chunks in a loop (each also a `token` event), a request object as input,
// leaving the loop early, a scripted model, and errors at the call and inside the loop.
const narrator = Agent.create({ name: "narrator", system: "Tell short stories." });
const chunks = [];
for await (const chunk of narrator.stream("a small robot painted the sunrise")) {
  console.log("<" + chunk + ">");
  chunks.push(chunk);
}
console.log(chunks.length + " chunks: " + chunks.join(""));

for await (const chunk of narrator.stream({ prompt: "request form" })) console.log(chunk);

// Leaving early is fine, and the agent works afterwards.
for await (const chunk of narrator.stream("one two three four five")) {
  console.log(chunk);
  if (chunk.startsWith("three")) break;
}
console.log("after break: " + (await narrator.execute("still works")).text);

// A scripted model streams its reply too.
for await (const chunk of Agent.create({ model: "scripted/teller" }).stream("ignored")) console.log(chunk);

// A bad input fails at the call; a model the provider lacks fails when the stream starts.
try {
  for await (const _ of narrator.stream(42)) { /* not reached */ }
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
const missing = Agent.create({ model: "mock/missing" });
try {
  for await (const _ of missing.stream("x")) { /* not reached */ }
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
