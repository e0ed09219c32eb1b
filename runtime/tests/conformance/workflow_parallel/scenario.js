// A parallel workflow with max_concurrency 1, so the events come in a fixed order: outputs
// in branch order, the result's steps, and a branch that fails.
const echo = Agent.create({ name: "echo" });
const research = Workflow.parallel({ name: "research", max_concurrency: 1, branches: [
  { name: "area", tool: "calculator", params: { expression: "3.0 * 4.5" } },
  { name: "summary", agent: echo, input: "summarise: {{input}}" },
  { name: "wait", tool: "sleep", params: { ms: 10 } },
  { name: "count", run: (ctx) => ctx.input.length },
  { run: async (ctx) => {
      // An async branch function that waits for a tool of its own.
      const r = await Tool.execute("text", { text: ctx.input, operation: "reverse" });
      return r.result;
    } },
]});
console.log(research.kind);
const out = await research.execute("parallel branches");
console.log(out.output[0].result);
console.log(out.output[1]);
console.log(out.output[3]);
console.log(out.output[4]);
console.log(out.output.length + " outputs");
console.log(out.steps.map((s) => s.name + "=" + s.status).join(" "));

// Every branch runs even when one fails; the error names the failed branch.
const shaky = Workflow.parallel({ name: "shaky", max_concurrency: 1, branches: [
  { name: "fine", run: () => "fine" },
  { name: "bad", tool: "calculator", params: { expression: "1 +" } },
  { name: "after", run: () => "after" },
]});
try {
  await shaky.execute();
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
