// API errors caught by the script (pcall in Lua, try/catch in JavaScript): each names the call
// and the field at fault, and the script carries on.
const attempt = async (f) => {
  try {
    await f();
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
};
const noop = () => {};
await attempt(() => Agent.create({ temperature: 5 }));
await attempt(() => Agent.create({ model: "nowhere/x" }));
await attempt(() => Agent.create({ model: "gpt4" }));
await attempt(() => Agent.create({ temprature: 1 }));
await attempt(() => Agent.create({ max_tokens: "many" }));
await attempt(() => Agent.create("not a table"));
const agent = Agent.create({});
await attempt(() => agent.execute(42));
await attempt(() => agent.execute({ promt: "typo" }));
await attempt(() => Tool.get("calculater"));
await attempt(() => Tool.execute("nope", {}));
await attempt(() => Tool.execute("calculator", "2 + 2"));
await attempt(() => Workflow.sequential({ steps: [] }));
await attempt(() => Workflow.sequential({ steps: [{ tool: "calculator", run: noop }] }));
await attempt(() => Workflow.sequential({ steps: [{ name: "x", run: noop }, { name: "x", run: noop }] }));
await attempt(() => Workflow.sequential({ steps: [{ tool: "nope" }] }));
await attempt(() => Workflow.sequential({ steps: [{}] }));
await attempt(() => Workflow.parallel({ branches: [{ run: noop }], max_concurrency: 0 }));
await attempt(() => Workflow.loop({ steps: [{ agent: "ghost" }] }));
await attempt(() => Workflow.loop({ steps: [{ run: noop }], max_iterations: 0 }));
await attempt(() => Workflow.conditional({ branches: [{ steps: [{ run: noop }] }] }));
await attempt(() => Workflow.conditional({ branches: [{ when: "yes", steps: [{ run: noop }] }] }));
console.log("still running");
