// Workflows as steps of other workflows: a sequential inside a sequential, a conditional
// routing to a nested workflow, a loop whose body is a workflow, and a parallel of workflows.
const tidy = Workflow.sequential({ name: "tidy", steps: [
  { name: "trim", tool: "text", params: { text: "{{input}}", operation: "trim" } },
  { name: "lower", tool: "text", params: { text: "{{prev.result}}", operation: "lower" } },
]});
const outer = Workflow.sequential({ name: "outer", steps: [
  { name: "clean", workflow: tidy, input: "  {{input}}  " },
  { name: "wrap", run: (ctx) => "[" + ctx.prev.result + "]" },
]});
console.log((await outer.execute("Hello World")).output);

const router = Workflow.conditional({ name: "router", branches: [
  { when: (ctx) => ctx.input.startsWith(" "),
    steps: [{ name: "tidy-it", workflow: tidy }] },
], default: [{ name: "as-is", run: (ctx) => ({ result: ctx.input }) }] });
console.log((await router.execute("  PADDED")).output.result);
console.log((await router.execute("Plain")).output.result);

const double = Workflow.sequential({ name: "double", steps: [{ run: (ctx) => ctx.input * 2 }] });
const repeated = Workflow.loop({ name: "repeat", max_iterations: 3, steps: [
  { name: "body", workflow: double, input: "{{prev}}" },
] });
let out = await repeated.execute(5);
console.log(out.output + " after " + out.iterations);

const fan = Workflow.parallel({ name: "fan", max_concurrency: 1, branches: [
  { name: "one", workflow: outer, input: "One" },
  { name: "two", workflow: double, input: "{{input}}" },
]});
out = await fan.execute(21);
console.log(out.output[0] + " " + out.output[1]);
