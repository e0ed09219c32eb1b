// Empty lists from the API (an answer's tool_calls, the words of an empty text, a parsed
// `[]`) are still lists when they go back to the API or become the script's value.
const calls = (await Agent.create({}).execute("no tools here")).tool_calls;
const words = (await Tool.execute("text", { text: "", operation: "words" })).result;
const parsed = (await Tool.execute("json", { operation: "parse", input: '{"items":[]}' })).result;
console.log([calls.length, words.length, parsed.items.length].join("\t"));
console.log((await Tool.execute("json", { operation: "stringify", input: parsed })).result);
export default { calls, words, parsed };
