// The uuid, hash and base64 tools. A uuid is random, so only its shape is printed.
const id = (await Tool.execute("uuid")).uuid;
// Joined with tabs, as Lua's print joins its arguments.
console.log([id.length, id[14], id[8]].join("\t"));
console.log((await Tool.execute("uuid", {})).uuid !== id);

for (const algorithm of ["sha256", "sha1", "md5"]) {
  console.log(algorithm + " " + (await Tool.execute("hash", { input: "hello", algorithm })).hash);
}
console.log("default " + (await Tool.execute("hash", { input: "" })).hash);
console.log("utf-8 " + (await Tool.execute("hash", { input: "héllo ✓", algorithm: "md5" })).hash);

const b64 = async (params) => (await Tool.execute("base64", params)).result;
const encoded = await b64({ operation: "encode", input: "Hello, world! ✓" });
console.log(encoded + " -> " + (await b64({ operation: "decode", input: encoded })));
console.log(await b64({ operation: "encode", input: "??>>", url_safe: true }));
console.log(await b64({ operation: "decode", input: "aGk" }));
try {
  await Tool.execute("base64", { operation: "decode", input: "not base64!" });
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
try {
  await Tool.execute("hash", { input: "x", algorithm: "sha512" });
  console.log("no error");
} catch (e) {
  console.log("error: " + e.message);
}
