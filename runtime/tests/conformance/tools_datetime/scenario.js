// The datetime tool, used deterministically: format, parse, add with a given value; `now`
// only through properties that do not change.
const dt = async (params) => {
  const r = await Tool.execute("datetime", params);
  return r.result + " (" + r.unix + ")";
};
console.log(await dt({ operation: "format", value: "2024-05-01T12:30:00Z", format: "%Y-%m-%d %H:%M" }));
console.log(await dt({ operation: "format", value: "2024-05-01T12:30:00+02:00" }));
console.log(await dt({ operation: "parse", value: "01/05/2024 12:30", format: "%d/%m/%Y %H:%M" }));
console.log(await dt({ operation: "parse", value: "2024-05-01T12:30:00Z" }));
console.log(await dt({ operation: "add", value: "2024-02-28T23:00:00Z", seconds: 7200 }));
console.log(await dt({ operation: "add", value: "2024-01-01T00:00:00Z", seconds: -1.5 }));
const now = await Tool.execute("datetime", { operation: "now" });
// Joined with a tab, as Lua's print joins its arguments.
console.log((now.result.length > 0) + "\t" + (now.unix > 1700000000));
for (const bad of [
  { operation: "format" },
  { operation: "now", value: "2024-05-01T12:30:00Z" },
  { operation: "parse", value: "yesterday" },
  { operation: "add", value: "2024-01-01T00:00:00Z" },
]) {
  try {
    await Tool.execute("datetime", bad);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
}
