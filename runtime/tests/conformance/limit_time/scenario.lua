-- The time limit stops an endless loop, even one inside pcall: catching the limit's error does
-- not let the script go on, and the run ends with the limit's error event.
print("start")
local ok, err = pcall(function() while true do end end)
print("not reached", ok, err)
