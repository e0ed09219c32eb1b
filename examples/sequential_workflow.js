// sequential_workflow.js: a pipeline of steps run one after another, each seeing the output of
// the ones before it.
//
// Run it:  llmspell run examples/sequential_workflow.js
//          llmspell run --events jsonl examples/sequential_workflow.js   (shows `step` events)
//
// A step is one of { agent, input }, { tool, params }, { workflow, input } or { run: (ctx) => ... }.
// In `input` and `params` strings, {{input}} is the workflow's input, {{prev}} the previous step's
// output and {{steps.NAME}} the output of the step called NAME. A `run` function gets the same
// through `ctx`; it may be async and await other API calls.

const writer = Agent.create({ model: "mock/echo", name: "writer", system: "Write one line." });

const pipeline = Workflow.sequential({ name: "headline", steps: [
  // An agent step's output is the answer's text (the mock echoes the prompt back).
  { name: "draft", agent: writer, input: "breaking news about {{input}}" },
  // A tool step's output is the tool's result object: here { result: "BREAKING NEWS ..." }.
  { name: "shout", tool: "text", params: { text: "{{steps.draft}}", operation: "upper" } },
  // ctx.vars is shared by all steps of the run: one step stores, a later one reads.
  { name: "measure", run: (ctx) => {
      ctx.vars.length = ctx.steps.draft.length;
      return ctx.prev.result + "!";
    } },
  { name: "report", run: (ctx) =>
      `${ctx.prev} (${ctx.vars.length} characters, from ${JSON.stringify(ctx.input)})` },
]});

const out = await pipeline.execute("tidy tables");
console.log(out.output);

// out.steps lists every step that ran, with its status and output (and its duration_ms, which
// varies from run to run, so it is not printed here).
out.steps.forEach((step, i) => {
  const shown = typeof step.output === "object" ? "{ result: ... }" : String(step.output);
  console.log(i + 1, step.name, step.status, shown);
});
