// The json and template tools: parse, stringify (compact and pretty), get by path, values
// of every type crossing into and out of a tool, and errors for bad JSON and missing names.
const json = async (params) => (await Tool.execute("json", params)).result;
const parsed = await json({ operation: "parse", input: '{"name":"Ada","langs":["en","fr"],"age":36,"ratio":0.5,"ok":true,"none":null}' });
console.log(parsed.name + " " + parsed.langs[1] + " " + parsed.age + " " + parsed.ok);
console.log(await json({ operation: "parse", input: '{"a":{"b":[10,20,30]}}', path: "a.b.1" }));
console.log(await json({ operation: "stringify", input: { list: [1, 2, 3], word: "hi" } }));
console.log(await json({ operation: "stringify", input: { nested: { deep: true } }, pretty: true }));
console.log(await json({ operation: "get", input: { user: { emails: ["a@x", "b@x"] } }, path: "user.emails.0" }));
console.log((await json({ operation: "get", input: { a: 1 }, path: "missing" })) === null);
try {
  await Tool.execute("json", { operation: "parse", input: "{broken" });
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}

const template = async (t, values) => (await Tool.execute("template", { template: t, values })).result;
console.log(await template("Hi {{name}}, you are {{ age }}", { name: "Ada", age: 36 }));
console.log(await template("{{user.name}} likes {{items.1}}; all: {{items}}", { user: { name: "Bo" }, items: ["tea", "cake"] }));
console.log(await template("flag={{flag}} ratio={{ratio}}", { flag: false, ratio: 0.25 }));
try {
  await Tool.execute("template", { template: "Hi {{nobody}}", values: { name: "Ada" } });
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
export default parsed;
