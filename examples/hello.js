// hello.js: the smallest llmspell script. It creates an agent, asks it one thing and prints
// the answer.
//
// Run it:  llmspell run examples/hello.js
//
// "mock/echo" is the offline mock model: it answers with the prompt itself, so this runs with no
// API key and no network. With a real provider you would only change the model name.

const agent = Agent.create({ model: "mock/echo", system: "You are a friendly greeter." });
// Calls that talk to a model return Promises: `await` them (top-level await works in scripts).
const reply = await agent.execute("Hello from llmspell!");
console.log(reply.text);
