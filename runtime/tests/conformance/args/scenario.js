// ARGS: the command-line arguments as a list of strings (the suite passes "first-arg" and
// "second arg"), usable anywhere a string is.
console.log(ARGS.length);
ARGS.forEach((arg, i) => console.log(i + 1 + ": " + arg));
console.log(ARGS[2] === undefined);
console.log((await Tool.execute("text", { text: ARGS[1], operation: "upper" })).result);
console.log((await Agent.create({}).execute("hello " + ARGS[0])).text);
export default ARGS;
