// An error nobody catches ends the run: output before it is kept, the error event carries the
// message and the script's location, and the exit code is 1.
console.log("before");
const calc = Tool.get("calculator");
await calc.execute({ expression: 6 * 7 });
console.log("not reached");
