-- file-write and file-read in the run's temporary workspace (allowed by [run] allow_files):
-- replacing, appending, creating folders, sizes in bytes, and paths leaving the workspace.
local function write(params) return Tool.execute("file-write", params) end
local function read(params) return Tool.execute("file-read", params) end
local w = write{ path = "notes.txt", content = "first line\n" }
print(w.path .. " " .. w.bytes)
w = write{ path = "notes.txt", content = "second ✓\n", append = true }
print(w.path .. " " .. w.bytes)
local r = read{ path = "notes.txt" }
print(r.bytes)
print(r.content)
print(write{ path = "deep/er/file.txt", content = "x", create_dirs = true }.path)
print(read{ path = "./deep/../deep/er/file.txt" }.content)
print(write{ path = "notes.txt", content = "replaced" }.bytes)
print(read{ path = "notes.txt" }.content)

for _, bad in ipairs{
  { "file-read", { path = "missing.txt" } },
  { "file-read", { path = "../outside.txt" } },
  { "file-read", { path = "/etc/hostname" } },
  { "file-read", { path = "notes.txt", max_bytes = 3 } },
  { "file-write", { path = "no/such/dir.txt", content = "x" } },
  { "file-write", { path = "../escape.txt", content = "x" } },
} do
  local ok, err = pcall(Tool.execute, bad[1], bad[2])
  print(ok and "no error" or "error: " .. tostring(err))
end
