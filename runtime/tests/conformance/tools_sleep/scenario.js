// The sleep tool: a short wait, a zero wait, and the range of `ms`.
console.log((await Tool.execute("sleep", { ms: 20 })).slept_ms);
console.log((await Tool.get("sleep").execute({ ms: 0 })).slept_ms);
for (const bad of [{ ms: -1 }, { ms: 600001 }, { ms: 1.5 }, {}]) {
  try {
    await Tool.execute("sleep", bad);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
}
