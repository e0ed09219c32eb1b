// Values crossing between the script and the API in both directions: a workflow's input
// reaches a step function unchanged, its return value comes back as the output, and tool
// parameters arrive as given (json stringify shows exactly what the tool received).
const value = { int: 42, neg: -3, float: 2.5, yes: true, no: false, text: "tab\tquote\"",
                list: [1, 2.5, "x", [true]], map: { a: { b: { c: "deep" } } } };
const identity = Workflow.sequential({ steps: [{ run: (ctx) => ctx.input }] });
const out = (await identity.execute(value)).output;
// Joined with tabs, as Lua's print joins its arguments.
console.log([out.int + out.neg, out.float * 2, out.yes, out.no, out.text].join("\t"));
console.log([out.list.length, out.list[3][0], out.map.a.b.c].join("\t"));
console.log((await Tool.execute("json", { operation: "stringify", input: value.list })).result);
console.log((await Tool.execute("json", { operation: "stringify", input: value.map })).result);
// Strings are UTF-8 text in both languages.
console.log((await Tool.execute("text", { text: "naïve ✓ 日本", operation: "length" })).result);
export default out;
