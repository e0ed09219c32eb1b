-- The output cap: output up to the cap is kept, the write that passes it fails, and catching
-- that error does not let the script print more.
local ok, err = pcall(function()
  for i = 1, 100 do print("line " .. i .. " of output") end
end)
print("not reached", ok, err)
