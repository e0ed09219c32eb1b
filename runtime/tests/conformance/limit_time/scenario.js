// The time limit stops an endless loop, even one inside try/catch: catching the limit's error
// does not let the script go on, and the run ends with the limit's error event.
console.log("start");
try {
  for (;;) { /* spin */ }
} catch (e) {
  console.log("not reached", e.message);
}
