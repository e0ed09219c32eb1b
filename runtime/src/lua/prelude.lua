-- Lua helpers of the llmspell sandbox, loaded once per engine. Kept in Lua because errors raised
-- with `error(msg, 2)` get the script's file:line, exactly like the standard library's errors.
local error, tostring, setmetatable, getmetatable = error, tostring, setmetatable, getmetatable
local pcall, type, pack, unpack = pcall, type, table.pack, table.unpack

local helpers = {}

-- Raises the run's limit error once a limit was hit (set by the engine). API calls and output
-- check it first, so a script that caught a time limit with pcall cannot go on working.
local guard = function() end

function helpers.set_guard(g)
  guard = g
end

-- `f`, refusing to run once a limit was hit.
function helpers.guarded(f)
  return function(...)
    guard()
    return f(...)
  end
end

-- API functions written in Rust return `true, value` or `false, message`; this turns the second
-- form into an ordinary Lua error at the caller's line, catchable with pcall.
function helpers.wrap(f)
  return function(...)
    guard()
    local ok, value = f(...)
    if ok then return value end
    error(value, 2)
  end
end

-- A function that refuses to run, for the parts of the standard library the sandbox removes.
function helpers.refuse(name, why)
  return function()
    error(name .. " is not available in the llmspell sandbox: " .. why, 2)
  end
end

-- A table whose every member refuses (the `debug` library).
function helpers.refuse_all(lib, why)
  return setmetatable({}, {
    __index = function(_, key) return helpers.refuse(lib .. "." .. tostring(key), why) end,
    __newindex = function() error(lib .. " is not available in the llmspell sandbox: " .. why, 2) end,
  })
end

-- Only text chunks may be loaded: bytecode can break the VM's memory safety.
function helpers.text_only_load(raw_load)
  return function(chunk, name, mode, env)
    if mode ~= nil and mode ~= "t" then
      error("load: binary chunks are not allowed in the llmspell sandbox (mode must be \"t\")", 2)
    end
    return raw_load(chunk, name, "t", env)
  end
end

-- The __index of an API object type: methods first, then read-only fields, else an error that
-- names the type and suggests the closest member.
function helpers.make_index(type_name, methods, fields, suggest)
  return function(self, key)
    local method = methods[key]
    if method ~= nil then return method end
    local field = fields[key]
    if field ~= nil then return field(self) end
    error(type_name .. " has no member '" .. tostring(key) .. "'" .. suggest(type_name, tostring(key)), 2)
  end
end

-- The __newindex of an API object type: its fields are read-only.
function helpers.make_newindex(type_name)
  return function(_, key)
    error(type_name .. " fields are read-only (tried to set '" .. tostring(key) .. "')", 2)
  end
end

-- API calls suspend the script while they wait (for a model, a tool, a sleep) by yielding a
-- marker to the runtime. Inside a coroutine the script made itself, that yield would reach the
-- script's own `coroutine.resume` instead. These versions of `resume` and `wrap` pass the
-- marker on to the runtime and resume the inner coroutine when the wait is over, so API calls
-- work the same inside and outside coroutines.
function helpers.transparent_coroutines(co_lib, pending)
  local raw_resume, raw_yield, raw_create = co_lib.resume, co_lib.yield, co_lib.create
  local function resume(co, ...)
    local results = pack(raw_resume(co, ...))
    while results[1] and results.n == 2 and results[2] == pending do
      results = pack(raw_resume(co, raw_yield(pending)))
    end
    return unpack(results, 1, results.n)
  end
  co_lib.resume = resume
  co_lib.wrap = function(f)
    local co = raw_create(f)
    return function(...)
      local results = pack(resume(co, ...))
      if results[1] then return unpack(results, 2, results.n) end
      error(results[2], 0)
    end
  end
end

-- Runs the script's main chunk. An error raised with a plain table (`error({code = 1})`) would
-- otherwise reach the user as "table: 0x55...", so it is described by its contents.
function helpers.run_main(main, describe)
  return function(...)
    local results = pack(pcall(main, ...))
    if results[1] then return unpack(results, 2, results.n) end
    local err = results[2]
    if type(err) == "table" and getmetatable(err) == nil then
      err = "error object: " .. describe(err)
    end
    error(err, 0)
  end
end

return helpers
