// args.js: reading command-line arguments through ARGS.
//
// Run it:  llmspell run examples/args.js -- Ada 3
//
// Everything after `--` reaches the script as ARGS, an array of strings (empty when there are
// none), counted from 0 as usual in JavaScript. Numbers arrive as text: convert them with
// Number and check the result.
//
// args: Ada 3

console.log(ARGS.length + " argument(s)");
ARGS.forEach((arg, i) => console.log(`ARGS[${i}] = ${JSON.stringify(arg)}`));

// Optional arguments with defaults: `??` picks the default when ARGS[i] is undefined.
const name = ARGS[0] ?? "world";
const times = Number(ARGS[1] ?? "1");
if (!Number.isInteger(times) || times < 1) {
  throw new Error(`the second argument must be a whole number of at least 1, got '${ARGS[1]}'`);
}

for (let i = 1; i <= times; i++) {
  console.log(`${i}. Hello, ${name}!`);
}

// Arguments are ordinary strings, so they can go straight into prompts and tool parameters.
const shout = (await Tool.execute("text", { text: name, operation: "upper" })).result;
const echo = Agent.create({ model: "mock/echo" });
console.log((await echo.execute("Goodbye, " + shout + "!")).text);
