// A conversation: `messages` plus `prompt`, an agent's system prompt, the scripted provider's
// replies in order, and input tokens growing with the history.
const guide = Agent.create({ model: "scripted/guide", name: "guide", system: "You are a guide." });
const history = [];
for (const question of ["one question", "two questions here", "three"]) {
  const reply = await guide.execute({ messages: history, prompt: question });
  history.push({ role: "user", content: question });
  history.push({ role: "assistant", content: reply.text });
  console.log(question + " -> " + reply.text);
  console.log("tokens: " + reply.usage.input_tokens + " in, " + reply.usage.output_tokens + " out");
}

// mock/echo answers with the last user message: from `messages` alone, or the prompt after them.
const echo = Agent.create({ model: "mock/echo", system: "Echo." });
const earlier = [
  { role: "user", content: "earlier" },
  { role: "assistant", content: "noted" },
  { role: "user", content: "latest question" },
];
console.log((await echo.execute({ messages: earlier })).text);
console.log((await echo.execute({ messages: earlier, prompt: "and now" })).text);
console.log((await echo.execute({ prompt: "prompt only" })).text);
// A system message inside `messages` is allowed too.
console.log((await echo.execute({ messages: [{ role: "system", content: "Be brief." }], prompt: "hi" })).text);

// Malformed messages are errors naming the field.
for (const bad of [
  { messages: [{ role: "robot", content: "beep" }] },
  { messages: [{ role: "user" }] },
  { messages: "not a list" },
]) {
  try {
    await echo.execute(bad);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
}
export default history;
