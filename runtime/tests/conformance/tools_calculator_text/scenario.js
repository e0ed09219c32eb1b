// The calculator and text tools: integer and floating-point results, functions, every text
// operation, and a calculator error.
const calc = Tool.get("calculator");
for (const expression of ["17 * 23", "2^10", "7 / 2", "7.0 / 2", "(1 + 2) * 3", "math::sqrt(16)", "max(3, 9, 4)", "10 % 4"]) {
  console.log(expression + " = " + (await calc.execute({ expression })).result);
}
try {
  await Tool.execute("calculator", { expression: "2 +" });
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}

const results = [];
for (const params of [
  { operation: "upper", text: "Hello" },
  { operation: "lower", text: "Hello" },
  { operation: "trim", text: "  padded  " },
  { operation: "reverse", text: "stressed" },
  { operation: "length", text: "naïve" },
  { operation: "words", text: " the quick  brown fox " },
  { operation: "replace", text: "a-b-c", pattern: "-", replacement: " + " },
  { operation: "replace", text: "a-b-c", pattern: "-" },
  { operation: "split", text: "x,y,,z", pattern: "," },
]) {
  results.push((await Tool.execute("text", params)).result);
}
// A pattern is refused where the operation takes none.
try {
  await Tool.execute("text", { operation: "upper", text: "x", pattern: "y" });
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
export default results;
