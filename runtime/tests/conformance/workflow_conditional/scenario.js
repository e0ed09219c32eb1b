// A conditional workflow: the first branch whose `when` holds runs, else `default`; only nil
// and false are false; no default means no steps and no output; `when` sees ctx.input.
const constant = (value) => [{ run: () => value }];
const sizes = Workflow.conditional({ name: "sizes",
  branches: [
    { when: (ctx) => ctx.input > 10, steps: constant("big") },
    { when: (ctx) => ctx.input > 5, steps: [
        { name: "medium", run: (ctx) => "medium " + ctx.input },
        { name: "shout", tool: "text", params: { text: "{{prev}}", operation: "upper" } }] },
  ],
  default: constant("small"),
});
console.log(sizes.kind);
console.log((await sizes.execute(20)).output);
console.log((await sizes.execute(7)).output.result);
console.log((await sizes.execute(1)).output);

// Truthiness: 0 and "" are true (only nil and false are not), as the API documents; this
// differs from JavaScript's own `if`.
const truthy = Workflow.conditional({ branches: [
  { when: () => false, steps: constant("false") },
  { when: () => null, steps: constant("nil") },
  { when: () => 0, steps: constant("zero counts as true") },
]});
console.log((await truthy.execute()).output);

const none = Workflow.conditional({ branches: [{ when: () => false, steps: constant(1) }] });
const r = await none.execute("x");
console.log(r.output == null);
console.log(r.steps.length);
