// Script functions called by the API that themselves call the API: a step that runs an agent,
// a tool and another workflow; a `when` that asks a tool; a tool whose run executes a
// workflow. These callbacks are async and await those calls (the Lua twin's are plain).
const echo = Agent.create({ name: "echo" });
const inner = Workflow.sequential({ name: "inner", steps: [
  { tool: "text", params: { text: "{{input}}", operation: "reverse" } },
]});
const outer = Workflow.sequential({ name: "outer", steps: [
  { name: "ask", run: async (ctx) => (await echo.execute("asked " + ctx.input)).text },
  { name: "nest", run: async (ctx) => (await inner.execute(ctx.prev)).output.result },
  { name: "both", run: async (ctx) => {
      // Two calls in flight at once; their events still come in a fixed order because the
      // mock tools answer without waiting.
      const [a, b] = await Promise.all([
        Tool.execute("hash", { input: ctx.prev, algorithm: "md5" }),
        Tool.execute("text", { text: ctx.prev, operation: "length" }),
      ]);
      return a.hash.slice(0, 8) + " " + b.result;
    } },
  { name: "stream", run: async () => {
      const parts = [];
      for await (const chunk of echo.stream("x y")) parts.push(chunk);
      return parts.join("|");
    } },
]});
console.log((await outer.execute("question")).output);

const router = Workflow.conditional({ name: "router", branches: [
  { when: async (ctx) => (await Tool.execute("text", { text: ctx.input, operation: "length" })).result > 3,
    steps: [{ run: () => "long" }] },
], default: [{ run: () => "short" }] });
console.log((await router.execute("abcdef")).output + " " + (await router.execute("ab")).output);

Tool.register({ name: "via-workflow", description: "Runs a workflow",
  params: { text: { type: "string", required: true } },
  run: async (p) => ({ reversed: (await inner.execute(p.text)).output.result }) });
console.log((await Tool.execute("via-workflow", { text: "stressed" })).reversed);
