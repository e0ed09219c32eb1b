// Tool.register: a tool written in the script, its parameter checks and defaults, a bare
// return value, a tool that fails, registration errors, and the tool as a workflow step.
// `slow-double` has an async `run` that awaits another tool; the rest are synchronous.
const shout = Tool.register({
  name: "shout",
  description: "Upper-cases text",
  params: {
    text: { type: "string", required: true, description: "What to shout" },
    times: { type: "integer", default: 1 },
    mood: { type: "string", enum: ["calm", "loud"], default: "loud" },
  },
  run: (p) => ({ text: Array(p.times).fill(p.text.toUpperCase()).join(" "), mood: p.mood }),
});
console.log(shout.name + " " + shout.description);
console.log(Tool.exists("shout"));
const r = await shout.execute({ text: "hey", times: 2 });
console.log(r.text + " " + r.mood);
console.log((await Tool.execute("shout", { text: "hi", mood: "calm" })).text);
console.log(Tool.get("shout").schema.params.times.default);

Tool.register({
  name: "slow-double", description: "Waits, then doubles",
  params: { n: { type: "number", required: true } },
  run: async (p) => {
    await Tool.execute("sleep", { ms: 5 });
    return { doubled: p.n * 2 };
  },
});
console.log((await Tool.execute("slow-double", { n: 21 })).doubled);

Tool.register({ name: "plain", description: "Returns a bare value", run: () => "bare" });
console.log((await Tool.execute("plain")).result);
Tool.register({ name: "fails", description: "Raises", run: () => { throw new Error("tool exploded"); } });

for (const [name, params] of [
  ["shout", {}],
  ["shout", { text: 5 }],
  ["shout", { text: "x", times: "two" }],
  ["shout", { text: "x", mood: "angry" }],
  ["shout", { txt: "x" }],
  ["fails", {}],
]) {
  try {
    await Tool.execute(name, params);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
}
for (const spec of [
  { name: "calculator", description: "again", run: () => {} },
  { name: "shout", description: "again", run: () => {} },
  { name: "no-run", description: "missing run" },
  { name: "bad-type", description: "x", params: { a: { type: "text" } }, run: () => {} },
]) {
  try {
    Tool.register(spec);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
}

const wf = Workflow.sequential({ name: "tool-steps", steps: [
  { name: "loud", tool: "shout", params: { text: "{{input}}" } },
  { name: "twice", tool: shout, params: { text: "{{prev.text}}", times: 2 } },
]});
export default (await wf.execute("step")).output;
