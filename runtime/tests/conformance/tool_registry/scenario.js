// Tool.list, Tool.exists and Tool.get: the built-in tools, a tool object's fields and schema,
// and a misspelt name.
for (const info of Tool.list()) {
  console.log(info.name + " " + info.source + " " + (info.description.length > 0));
}
console.log(Tool.exists("calculator"));
console.log(Tool.exists("calculater"));
const text = Tool.get("text");
console.log(text.name);
console.log(text.description.slice(0, 28));
const params = text.schema.params;
console.log(params.text.type + " " + params.text.required);
console.log(params.operation.type + " " + params.operation.enum.join(","));
console.log(params.pattern.type + " " + params.pattern.required);
console.log(Tool.get("hash").schema.params.algorithm.default);
console.log(Tool.get("file-read").schema.returns.content.type);
try {
  Tool.get("calculater");
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
export default Tool.get("text").schema;
