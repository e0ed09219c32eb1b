-- A script's own uncaught error: a message raised with error()/throw, after a caught one with
-- a structured value, whose fields reach the handler intact.
local ok, err = pcall(function() error({ code = "bad_type", field = "age" }) end)
print(type(err) .. " " .. err.code .. " " .. err.field)
error("the script fails here")
