-- An uncaught error whose value is a table (an object in JavaScript) rather than a message:
-- the error event describes it by its contents, as JSON.
print("before")
error({ code = 7, reason = "bad input" })
