// custom_tool.js: writing your own tool in JavaScript with Tool.register, calling it, and using
// it as a workflow step.
//
// Run it:  llmspell run examples/custom_tool.js
//
// A registered tool is a first-class tool: its parameters are checked against `params` before
// `run` is called (exactly like a built-in tool's), Tool.get/Tool.execute find it, workflows can
// use it as a step, and agents can be given it in `tools`. `run` may also be an async function
// that awaits other API calls.

const slugify = Tool.register({
  name: "slugify",
  description: "Turns a title into a URL slug: lower-case words joined by a separator.",
  params: {
    title: { type: "string", required: true, description: "The title to convert." },
    separator: { type: "string", default: "-", description: "What joins the words." },
  },
  // `p` holds the checked parameters, with defaults filled in. Return an object of results.
  run: (p) => {
    const words = p.title.toLowerCase().match(/[a-z0-9]+/g) ?? [];
    return { slug: words.join(p.separator), words: words.length };
  },
});

console.log(slugify.name, Tool.exists("slugify"));
console.log((await slugify.execute({ title: "Hello, World: A First Post" })).slug);
console.log((await Tool.execute("slugify", { title: "Snake case please", separator: "_" })).slug);

// Parameters are checked before `run` sees them, so a typo fails loudly instead of being ignored.
try {
  await Tool.execute("slugify", { titel: "oops" });
} catch (e) {
  console.log("error:", e.message);
}

// The same tool as a workflow step: `{{input}}` becomes the workflow's input, and the next step
// reads the tool's result object from ctx.prev.
const publish = Workflow.sequential({ name: "publish", steps: [
  { name: "slug", tool: "slugify", params: { title: "{{input}}" } },
  { name: "url", run: (ctx) => "https://example.com/posts/" + ctx.prev.slug },
]});
console.log((await publish.execute("Ten Tips for Tidy Tables")).output);
