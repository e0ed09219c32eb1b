// loop_workflow.js: repeating steps until a condition holds, with a cap on the repetitions.
//
// Run it:  llmspell run examples/loop_workflow.js
//
// Workflow.loop runs its steps, then calls `stop_when(ctx)` with ctx.prev set to that iteration's
// output, and stops when it returns true. `max_iterations` (default 10) caps the loop either way,
// so a condition that is never met cannot run forever. Each iteration's first step sees the
// previous iteration's output as ctx.prev (the workflow's input in the first iteration), so a
// loop can refine a value step by step: a draft an agent improves, a number converging, ...

// The Collatz sequence: halve even numbers, triple odd ones and add one, until reaching 1.
const path = [];
const collatz = Workflow.loop({
  name: "collatz",
  max_iterations: 100,
  steps: [
    { name: "next", run: (ctx) => {
        const n = ctx.prev % 2 === 0 ? ctx.prev / 2 : 3 * ctx.prev + 1;
        path.push(n); // an array captured by the function collects the values
        return n;
      } },
  ],
  stop_when: (ctx) => ctx.prev === 1,
});

let out = await collatz.execute(6);
console.log("6 -> " + path.join(" -> "));
console.log(`reached ${out.output} after ${out.iterations} iterations`);

// A loop whose stop condition is not met in time ends at max_iterations. The result does not
// fail: check out.iterations (or the output) to tell the two endings apart.
const doubling = Workflow.loop({
  name: "doubling",
  max_iterations: 4,
  steps: [{ run: (ctx) => ctx.prev * 2 }],
  stop_when: (ctx) => ctx.prev > 1000,
});
out = await doubling.execute(3);
console.log(`stopped at ${out.output} after ${out.iterations} iterations (the cap)`);
console.log(out.steps.length + " step results, one per iteration");
