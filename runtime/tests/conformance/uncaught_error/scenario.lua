-- An error nobody catches ends the run: output before it is kept, the error event carries the
-- message and the script's location, and the exit code is 1.
print("before")
local calc = Tool.get("calculator")
calc:execute{ expression = 6 * 7 }
print("not reached")
