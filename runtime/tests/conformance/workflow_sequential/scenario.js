// A sequential workflow: agent, tool and function steps; the placeholders {{input}}, {{prev}},
// {{steps.NAME}} (with paths into objects) and {{vars.NAME}}; ctx.vars shared between steps;
// default step names; the result's steps.
const echo = Agent.create({ name: "echo" });
const pipeline = Workflow.sequential({ name: "pipeline", steps: [
  { name: "draft", agent: echo, input: "haiku about {{input}}" },
  { name: "loud", tool: "text", params: { text: "{{steps.draft}}!", operation: "upper" } },
  { name: "count", run: (ctx) => {
      ctx.vars.seen = ctx.prev.result;
      ctx.vars.n = ctx.prev.result.length;
      return { chars: ctx.prev.result.length, words: ["a", "b"] };
    } },
  { name: "by-name", agent: "echo", input: "{{vars.seen}} has {{prev.chars}} characters, {{steps.count.words.1}}" },
  { run: (ctx) => ctx.prev + " / " + ctx.input + " / " + ctx.vars.n + " / " + ctx.steps.draft },
]});
console.log(pipeline.name);
console.log(pipeline.kind);
const out = await pipeline.execute("autumn");
console.log(out.output);
out.steps.forEach((step, i) => {
  console.log(i + 1 + " " + step.name + " " + step.status + " " + typeof step.duration_ms);
});
// A missing field is null in the result object (nil in Lua), so `== null` covers both.
console.log(out.iterations == null);

// Each run starts with fresh vars; a workflow runs again with a new input.
console.log((await pipeline.execute("spring")).output);

// A workflow's input may be any value; {{input}} of an object is its JSON.
const shapes = Workflow.sequential({ steps: [
  { tool: "text", params: { text: "{{input}}", operation: "length" } },
  { run: (ctx) => ctx.input.n * ctx.prev.result },
]});
console.log((await shapes.execute({ n: 2 })).output);
