-- The bounds of integer parameters in a tool's schema (sleep's ms, http-request's timeout_ms,
-- file-read's max_bytes) are integers, as the parameters are.
local function bounds(tool, param)
  local spec = Tool.get(tool).schema.params[param]
  return { type = spec.type, minimum = spec.minimum, maximum = spec.maximum, default = spec.default }
end
return {
  sleep = bounds("sleep", "ms"),
  http = bounds("http-request", "timeout_ms"),
  read = bounds("file-read", "max_bytes"),
}
