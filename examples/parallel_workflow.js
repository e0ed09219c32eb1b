// parallel_workflow.js: running independent branches concurrently and collecting their outputs.
//
// Run it:  llmspell run examples/parallel_workflow.js
//
// Workflow.parallel starts every branch at once, or at most `max_concurrency` at a time when it
// is set: useful to stay under a provider's rate limit. The output is the list of the branches'
// outputs in the order the branches are written, whichever finished first.

const summariser = Agent.create({ model: "mock/echo", name: "summariser" });

const research = Workflow.parallel({
  name: "research",
  max_concurrency: 2,
  branches: [
    { name: "area", tool: "calculator", params: { expression: "3.0 * 4.5" } },
    { name: "summary", agent: summariser, input: "summarise: {{input}}" },
    // The sleep tool stands in for a slow call (an HTTP request, a big model). With
    // max_concurrency 2 these two waits share the two slots with the branches above.
    { name: "slow", tool: "sleep", params: { ms: 20 } },
    { name: "slower", tool: "sleep", params: { ms: 40 } },
    { name: "count", run: (ctx) => ctx.input.length },
  ],
});

const out = await research.execute("parallel branches");
console.log("area:", out.output[0].result);
console.log("summary:", out.output[1]);
console.log("count:", out.output[4]);
console.log(out.output.length + " outputs");

// out.steps reports every branch too, also in the order written, with its name and status.
console.log(out.steps.map((step) => step.name + "=" + step.status).join(" "));
