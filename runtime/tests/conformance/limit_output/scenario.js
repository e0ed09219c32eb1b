// The output cap: output up to the cap is kept, the write that passes it fails, and catching
// that error does not let the script print more.
try {
  for (let i = 1; i <= 100; i++) console.log("line " + i + " of output");
} catch (e) {
  console.log("not reached", e.message);
}
