// A failing step stops a sequential workflow: the step event says `error`, the raised error
// names the workflow and the step and keeps the original message; later steps do not run.
// Also: a failing tool step, an unknown placeholder, and a failure inside a nested workflow.
const report = async (workflow, input) => {
  try {
    await workflow.execute(input);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
};
const fragile = Workflow.sequential({ name: "fragile", steps: [
  { name: "fine", run: () => 1 },
  { name: "boom", run: (ctx) => { throw new Error("no data for " + ctx.input); } },
  { name: "never", run: () => { console.log("not reached"); return 3; } },
]});
await report(fragile, "tuesday");

const badTool = Workflow.sequential({ name: "bad-tool", steps: [
  { name: "calc", tool: "calculator", params: { expression: "{{input}}" } },
]});
await report(badTool, "1 / 0");

const typo = Workflow.sequential({ name: "typo", steps: [
  { name: "up", tool: "text", params: { text: "x", operation: "upper" } },
  { tool: "text", params: { text: "{{steps.up.reslt}} {{steps.later}}", operation: "upper" } },
]});
await report(typo);

const outer = Workflow.sequential({ name: "outer", steps: [
  { name: "inner", workflow: fragile, input: "{{input}}" },
]});
await report(outer, "friday");

// A loop whose stop_when fails (asynchronously, here).
const loop = Workflow.loop({ name: "stopper", steps: [{ run: () => 1 }],
  stop_when: async () => { throw new Error("cannot decide"); } });
await report(loop);
