// conversation.js: a multi-turn chat, sending the earlier messages along with each new prompt
// so the model sees the whole conversation.
//
// Run it:  llmspell run examples/conversation.js
//
// The model "scripted/guide" comes from [providers.scripted] in examples/llmspell.toml: a mock
// provider that plays back its `replies` in order, so this chat is the same on every run and
// needs no network. Point the agent at a real model and the script works unchanged.

const guide = Agent.create({
  model: "scripted/guide",
  name: "guide",
  system: "You are a concise travel guide for Lisbon.",
});

// The conversation so far, oldest first. Each message is { role, content } with role "user" or
// "assistant" (the system prompt is the agent's, so it is not repeated here).
const history = [];

async function ask(question) {
  const reply = await guide.execute({ messages: history, prompt: question });
  history.push({ role: "user", content: question });
  history.push({ role: "assistant", content: reply.text });
  return reply;
}

for (const question of [
  "What is the weather like in April?",
  "What should I see first?",
  "And what should I eat?",
]) {
  const reply = await ask(question);
  console.log("you:   " + question);
  console.log("guide: " + reply.text);
  // input_tokens grows with each turn because the whole history is sent every time (the mock
  // counts words as tokens).
  const { input_tokens, output_tokens } = reply.usage;
  console.log(`       [${input_tokens} tokens in, ${output_tokens} out, ${reply.finish_reason}]`);
}

console.log(history.length + " messages in the history");
