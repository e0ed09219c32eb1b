// A script's own uncaught error: a message raised with error()/throw, after a caught one with
// a structured value, whose fields reach the handler intact.
try {
  throw { code: "bad_type", field: "age" };
} catch (err) {
  console.log(typeof err === "object" ? "table " + err.code + " " + err.field : "wrong");
}
throw new Error("the script fails here");
