// tools.js: the built-in tools. Every tool takes an object of named parameters, checks them
// against its schema before it runs, and returns an object.
//
// Run it:  llmspell run examples/tools.js
//
// Two ways to call a tool: `Tool.get(name)` returns a tool object to call with
// `await tool.execute({...})`, and `await Tool.execute(name, params)` does both in one call.
// Running a tool returns a Promise, so `await` it; finding one (Tool.get, Tool.list) does not.

// What is there? Tool.list() returns { name, description, source } for every tool, sorted.
console.log("tools: " + Tool.list().map((info) => info.name).join(", "));

// A tool object carries its name, description and parameter schema.
const calc = Tool.get("calculator");
console.log(calc.name + " needs: expression (" + calc.schema.params.expression.type + ")");
console.log("17 * 23 =", (await calc.execute({ expression: "17 * 23" })).result);
console.log("2^10 =", (await calc.execute({ expression: "2^10" })).result);
console.log("7.0 / 2 =", (await Tool.execute("calculator", { expression: "7.0 / 2" })).result);

// text: small string operations, chosen with `operation`.
console.log((await Tool.execute("text", { text: "llmspell", operation: "upper" })).result);
const words = (await Tool.execute("text", { text: "the quick brown fox", operation: "words" })).result;
console.log(words.length + " words, the last is " + words[words.length - 1]);
console.log((await Tool.execute("text", { text: "a-b-c", operation: "replace", pattern: "-", replacement: " + " })).result);

// hash: a hex digest, SHA-256 unless `algorithm` says otherwise.
console.log("sha256:", (await Tool.execute("hash", { input: "hello" })).hash);
console.log("md5:   ", (await Tool.execute("hash", { input: "hello", algorithm: "md5" })).hash);

// base64: encode and decode back.
const encoded = (await Tool.execute("base64", { operation: "encode", input: "Hello, world!" })).result;
const decoded = (await Tool.execute("base64", { operation: "decode", input: encoded })).result;
console.log(encoded + " -> " + decoded);

// uuid: a fresh random id on every call, so print its shape rather than its value.
const id = (await Tool.execute("uuid")).uuid;
console.log("uuid length " + id.length + ", version " + id[14]);
