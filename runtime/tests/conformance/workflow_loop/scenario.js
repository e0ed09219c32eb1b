// A loop workflow: stop_when after each iteration, max_iterations as a cap, ctx.prev carried
// from one iteration to the next, several steps per iteration, and the iteration count.
const counter = Workflow.loop({ name: "counter", max_iterations: 10,
  steps: [{ name: "inc", run: (ctx) => (ctx.prev ?? 0) + 1 }],
  stop_when: (ctx) => ctx.prev >= 3 });
console.log(counter.kind);
let out = await counter.execute();
console.log(out.output + " after " + out.iterations);
console.log(out.steps.length);

const capped = Workflow.loop({ name: "capped", max_iterations: 4,
  steps: [{ run: (ctx) => ctx.prev * 2 }],
  stop_when: async (ctx) => ctx.prev > 1000 });
out = await capped.execute(3);
console.log(out.output + " after " + out.iterations);

// Two steps per iteration; vars persist across iterations.
const two = Workflow.loop({ name: "two", max_iterations: 3,
  steps: [
    { name: "add", run: (ctx) => { ctx.vars.total = (ctx.vars.total ?? 0) + ctx.prev; return ctx.prev + 1; } },
    { name: "fmt", tool: "template", params: { template: "n={{prev}}", values: { x: 1 } } },
    { name: "back", run: (ctx) => ctx.steps.add },
  ] });
out = await two.execute(1);
console.log(out.output + " after " + out.iterations + ", " + out.steps.length + " steps");

// The default cap is 10.
out = await Workflow.loop({ steps: [{ run: (ctx) => ctx.prev + 1 }] }).execute(0);
console.log(out.output + " after " + out.iterations);
