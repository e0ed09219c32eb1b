-- An uncaught error from a synchronous API call (Tool.get): the error event has the message
-- and the script's location; exit code 1.
print("before")
Tool.get("calculater")
print("not reached")
