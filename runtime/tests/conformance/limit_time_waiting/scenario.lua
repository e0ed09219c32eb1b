-- The time limit also stops a script that is waiting for the API (a long sleep), not only one
-- that computes.
print("start")
local ok, err = pcall(Tool.execute, "sleep", { ms = 5000 })
print("not reached", ok, err)
