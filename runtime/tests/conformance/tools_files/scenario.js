// file-write and file-read in the run's temporary workspace (allowed by [run] allow_files):
// replacing, appending, creating folders, sizes in bytes, and paths leaving the workspace.
const write = (params) => Tool.execute("file-write", params);
const read = (params) => Tool.execute("file-read", params);
let w = await write({ path: "notes.txt", content: "first line\n" });
console.log(w.path + " " + w.bytes);
w = await write({ path: "notes.txt", content: "second ✓\n", append: true });
console.log(w.path + " " + w.bytes);
const r = await read({ path: "notes.txt" });
console.log(r.bytes);
console.log(r.content);
console.log((await write({ path: "deep/er/file.txt", content: "x", create_dirs: true })).path);
console.log((await read({ path: "./deep/../deep/er/file.txt" })).content);
console.log((await write({ path: "notes.txt", content: "replaced" })).bytes);
console.log((await read({ path: "notes.txt" })).content);

for (const [tool, params] of [
  ["file-read", { path: "missing.txt" }],
  ["file-read", { path: "../outside.txt" }],
  ["file-read", { path: "/etc/hostname" }],
  ["file-read", { path: "notes.txt", max_bytes: 3 }],
  ["file-write", { path: "no/such/dir.txt", content: "x" }],
  ["file-write", { path: "../escape.txt", content: "x" }],
]) {
  try {
    await Tool.execute(tool, params);
    console.log("no error");
  } catch (e) {
    console.log("error: " + e.message);
  }
}
