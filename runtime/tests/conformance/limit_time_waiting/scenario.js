// The time limit also stops a script that is waiting for the API (a long sleep), not only one
// that computes.
console.log("start");
try {
  await Tool.execute("sleep", { ms: 5000 });
} catch (e) {
  console.log("not reached", e.message);
}
