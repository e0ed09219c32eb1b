// error_handling.js: catching the errors that API calls raise, and raising your own.
//
// Run it:  llmspell run examples/error_handling.js
//
// Every API error is an ordinary JavaScript Error: `try`/`catch` catches it, and `e.message`
// names the call and the field at fault. Calls that return Promises reject instead of throwing,
// so `await` them inside the `try`. An error nobody catches ends the run with exit code 1 and
// `error: FILE:LINE:COL: message`.

// 1. A bad configuration: Agent.create throws at once (the trailing comment tells the editor
//    and `llmspell lint` that the mistake is meant).
try {
  Agent.create({ model: "mock/echo", temperature: 5 }); // llmspell-ignore: wrong-literal-type
} catch (e) {
  console.log("1", e.message);
}

// 2. A tool parameter of the wrong type: parameters are checked before the tool runs.
try {
  const calc = Tool.get("calculator");
  const answer = await calc.execute({ expression: 6 * 7 }); // should be the string "6 * 7"
  console.log("not reached", answer.result);
} catch (e) {
  console.log("2", e.message);
}

// 3. A failing workflow step: the message names the workflow and the step, and keeps the
// original error (here with the place of the `throw` inside the step).
const fragile = Workflow.sequential({ name: "fragile", steps: [
  { name: "fine", run: () => "ok" },
  { name: "broken", run: (ctx) => { throw new Error("no data for " + ctx.input); } },
]});
try {
  await fragile.execute("tuesday");
} catch (e) {
  console.log("3", e.message);
}

// 4. Your own errors can carry structured details to the handler: a subclass of Error with
// fields of its own, checked with instanceof.
class ValidationError extends Error {
  constructor(field, got) {
    super(`${field} must be a number, got ${got}`);
    Object.assign(this, { code: "bad_type", field, got });
  }
}
const checkAge = (age) => {
  if (typeof age !== "number") throw new ValidationError("age", typeof age);
  return age;
};
try {
  checkAge("forty");
} catch (e) {
  console.log("4", e instanceof ValidationError, e.code, e.field, e.got);
}

// 5. A call that succeeds simply returns its result; nothing needs catching.
console.log("5", (await Tool.execute("calculator", { expression: "6 * 7" })).result);
