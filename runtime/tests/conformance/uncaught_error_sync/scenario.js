// An uncaught error from a synchronous API call (Tool.get): the error event has the message
// and the script's location; exit code 1.
console.log("before");
Tool.get("calculater");
console.log("not reached");
