-- The memory limit stops a script that keeps allocating.
print("start")
local kept = {}
for i = 1, 1e9 do kept[i] = string.rep("x", 1000) .. i end
