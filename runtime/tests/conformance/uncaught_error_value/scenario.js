// An uncaught error whose value is an object (a table in Lua) rather than a message: the
// error event describes it by its contents, as JSON. The keys are written in the order Lua
// sorts a table's keys, as the message is text and its JSON is not reordered.
console.log("before");
throw { code: 7, reason: "bad input" };
