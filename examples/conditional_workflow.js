// conditional_workflow.js: choosing which steps run from the input, like an if/else if/else.
//
// Run it:  llmspell run examples/conditional_workflow.js
//
// Workflow.conditional tries its branches in order and runs the steps of the first one whose
// `when(ctx)` returns true; when none does, it runs the `default` steps. Careful: only null,
// undefined and false count as false here (as in Lua), so `when` should return a boolean. Steps
// inside a branch are ordinary workflow steps, including whole workflows.

const helper = Agent.create({ model: "mock/echo", name: "helper" });

// A small workflow of its own, used below as a step: it tidies up a question.
const tidy = Workflow.sequential({ name: "tidy", steps: [
  { tool: "text", params: { text: "{{input}}", operation: "trim" } },
  { run: (ctx) => ctx.prev.result.replace(/\?+$/, "") + "?" },
]});

const router = Workflow.conditional({
  name: "router",
  branches: [
    { when: (ctx) => /^\s*[\d\s+\-*/.()]+$/.test(ctx.input),
      steps: [{ name: "calculate", tool: "calculator", params: { expression: "{{input}}" } },
              { run: (ctx) => "calculated: " + ctx.prev.result }] },
    { when: (ctx) => ctx.input.includes("?"),
      steps: [{ name: "tidy", workflow: tidy, input: "{{input}}" },
              { agent: helper, input: "answering: {{prev}}" }] },
  ],
  default: [{ name: "note", run: (ctx) => "noted: " + ctx.input }],
});

for (const input of ["6 * 7", "  why is the sky blue??  ", "remember the milk"]) {
  const out = await router.execute(input);
  // out.steps holds only the steps that ran, so the first one's name tells the branch taken.
  console.log(`${JSON.stringify(input).padEnd(28)} -> ${out.output}  (via ${out.steps[0].name})`);
}
