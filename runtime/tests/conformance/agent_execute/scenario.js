// agent.execute on the mock provider: the answer's text, model, usage, finish_reason and tool
// calls; agent names, the default model, Agent.get and Agent.list; max_tokens cutting an answer.
const writer = Agent.create({ name: "writer", model: "mock/echo", system: "Be terse.", temperature: 0.5 });
console.log(writer.name);
console.log(writer.model);
const r = await writer.execute("What is 17 * 23?");
console.log(r.text);
console.log(r.model);
console.log(r.usage.input_tokens);
console.log(r.usage.output_tokens);
console.log(r.finish_reason);
console.log(r.tool_calls.length);

// No model: default_model of the config; no name: one made from the model.
const fallback = Agent.create({});
console.log(fallback.model);
console.log(fallback.name);
console.log(Agent.get("writer").model);
console.log(Agent.get("nobody") === null);
console.log(Agent.list().join(","));

// max_tokens cuts the answer short, and finish_reason says so.
const short = Agent.create({ model: "mock/echo", max_tokens: 2 });
const s = await short.execute("one two three four");
console.log(s.text);
console.log(s.finish_reason);

// The result's fields as a value (its empty tool_calls list: see values_empty_list).
export default { text: r.text, model: r.model, usage: r.usage, finish_reason: r.finish_reason };
