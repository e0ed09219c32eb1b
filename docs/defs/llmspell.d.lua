---@meta
-- llmspell API declarations for LuaLS and emmylua, generated from the API definition by
-- `llmspell defs --lua`; do not edit by hand. Point your language server at this file
-- (LuaLS: `workspace.library`) to complete and check llmspell scripts.

---Creates LLM agents and finds agents created earlier in the run.
---@class AgentApi
Agent = {}

---Creates an agent. `model` is `provider/model-id` (`openai/gpt-4o-mini`, `mock/echo`); it may be
---left out when `llmspell.toml` sets `default_model`. An agent with a `name` can be found later
---with `Agent.get`.
---
---Errors, for example:
---* `Agent.create: field 'model' is required (no default_model in llmspell.toml)`
---* `Agent.create: unknown provider 'x' in model 'x/y'`
---* `Agent.create: field 'temperature' must be between 0 and 2`
---
---```lua
---local a = Agent.create{ model = "mock/echo", system = "You are terse.", temperature = 0.2 }
---```
---@param config AgentConfig The agent's model and settings.
---@return Agent
function Agent.create(config) end

---Returns the agent created with this `name`, or nil (`null` in JS) when there is none.
---
---```lua
---local writer = Agent.get("writer")
---```
---@param name string The agent's name.
---@return Agent|nil
function Agent.get(name) end

---The names of the named agents created so far, sorted.
---
---```lua
---for _, name in ipairs(Agent.list()) do print(name) end
---```
---@return string[]
function Agent.list() end

---The arguments given after `--` on the command line (`llmspell run script.lua -- one two`), as a
---list of strings. Empty when there are none.
---
---```lua
---local topic = ARGS[1] or "autumn"
---```
---@type string[]
ARGS = {}

---Finds, runs and registers tools. Built-in tools: see `Tool.list()`.
---@class ToolApi
Tool = {}

---Returns the tool with this name. Raises an error naming the known tools when there is none.
---
---Errors, for example:
---* `Tool.get: unknown tool 'calculater' (did you mean 'calculator'?)`
---
---```lua
---local calc = Tool.get("calculator")
---```
---@param name ToolName|string The tool's name, e.g. `calculator`.
---@return Tool
function Tool.get(name) end

---Every tool available to the script, built-in and registered, sorted by name.
---
---```lua
---for _, t in ipairs(Tool.list()) do print(t.name, t.description) end
---```
---@return ToolInfo[]
function Tool.list() end

---Whether a tool with this name exists.
---
---```lua
---if Tool.exists("shout") then print("registered") end
---```
---@param name ToolName|string The tool's name.
---@return boolean
function Tool.exists(name) end

---Runs the named tool with the given parameters and returns its result table.
---
---```lua
---print(Tool.execute("calculator", { expression = "2^10" }).result)
---```
---@param name ToolName|string The tool's name.
---@param params? table The tool's parameters.
---@return table
---@overload fun(name: "base64", params: Base64ToolParams): Base64ToolResult
---@overload fun(name: "calculator", params: CalculatorToolParams): CalculatorToolResult
---@overload fun(name: "datetime", params: DatetimeToolParams): DatetimeToolResult
---@overload fun(name: "file-read", params: FileReadToolParams): FileReadToolResult
---@overload fun(name: "file-write", params: FileWriteToolParams): FileWriteToolResult
---@overload fun(name: "hash", params: HashToolParams): HashToolResult
---@overload fun(name: "http-request", params: HttpRequestToolParams): HttpRequestToolResult
---@overload fun(name: "json", params: JsonToolParams): JsonToolResult
---@overload fun(name: "sleep", params: SleepToolParams): SleepToolResult
---@overload fun(name: "template", params: TemplateToolParams): TemplateToolResult
---@overload fun(name: "text", params: TextToolParams): TextToolResult
---@overload fun(name: "uuid", params?: UuidToolParams): UuidToolResult
function Tool.execute(name, params) end

---Registers a tool written in the script. Its parameters are checked against `params` before
---`run` is called, exactly like a built-in tool's, and agents can call it.
---
---Errors, for example:
---* `Tool.register: a tool named 'calculator' already exists`
---
---```lua
---Tool.register{ name = "shout", description = "Upper-case text",
---               params = { text = { type = "string", required = true } },
---               run = function(p) return { text = p.text:upper() } end }
---```
---@param spec ToolSpec The tool's name, description, parameters and function.
---@return Tool
function Tool.register(spec) end

---Builds workflows out of steps. A step runs an agent, a tool, another workflow or a function.
---Strings in a step's `input` and `params` may use the placeholders `{{input}}` (the workflow's
---input), `{{prev}}` (the previous step's output), `{{steps.NAME}}` (a named step's output) and
---`{{vars.NAME}}`, each optionally followed by a path into the value
---(`{{steps.search.result}}`; list items are numbered from 1, as in Lua).
---@class WorkflowApi
Workflow = {}

---Runs the steps one after another; each step's output is the next step's `prev`. The output is the last step's output.
---
---```lua
---local wf = Workflow.sequential{ name = "pipeline", steps = {
---  { name = "draft", agent = writer, input = "Write a haiku about {{input}}" },
---  { name = "loud", tool = "text", params = { text = "{{prev}}", operation = "upper" } },
---}}
---```
---@param config SequentialConfig The workflow's name and steps.
---@return Workflow
function Workflow.sequential(config) end

---Runs the branches concurrently, at most `max_concurrency` at a time. The output is the list of the branches' outputs, in the order of `branches`.
---
---```lua
---local wf = Workflow.parallel{ branches = {
---  { tool = "calculator", params = { expression = "1+1" } },
---  { agent = a, input = "hi" },
---}, max_concurrency = 2 }
---```
---@param config ParallelConfig The workflow's name, branches and concurrency.
---@return Workflow
function Workflow.parallel(config) end

---Runs the steps of the first branch whose `when` returns true, else the `default` steps. The output is the last step's output, or nil when nothing ran.
---
---```lua
---local wf = Workflow.conditional{
---  branches = { { when = function(ctx) return #ctx.input > 20 end,
---                 steps = { { agent = summariser, input = "{{input}}" } } } },
---  default = { { run = function(ctx) return ctx.input end } },
---}
---```
---@param config ConditionalConfig The workflow's name, branches and default steps.
---@return Workflow
function Workflow.conditional(config) end

---Runs the steps again and again, until `stop_when` returns true after an iteration or `max_iterations` is reached. Each iteration's `prev` starts as the previous iteration's output.
---
---```lua
---local wf = Workflow.loop{ max_iterations = 5,
---  steps = { { run = function(ctx) return (ctx.prev or 0) + 1 end } },
---  stop_when = function(ctx) return ctx.prev >= 3 end }
---```
---@param config LoopConfig The workflow's name, steps and stop conditions.
---@return Workflow
function Workflow.loop(config) end

---An LLM agent created with `Agent.create`.
---@class Agent
---@field name string The agent's name: the `name` it was created with, or one made up from its model.
---@field model string The agent's model as `provider/model-id`.
local Agent = {}

---Sends the input to the model and returns the whole answer. The input is a prompt string, or a
---table with `prompt` and/or `messages` for a conversation. Raises an error (catchable with
---`pcall` / `try`) when the provider fails.
---
---```lua
---local r = a:execute("What is 17 * 23?")
---print(r.text, r.usage.output_tokens)
---```
---@param input string|AgentRequest The prompt, or a request with `prompt` and `messages`.
---@return AgentResult
function Agent:execute(input) end

---Sends the input to the model and yields the answer in chunks as they arrive. In Lua it is an
---iterator for a generic `for`; in JS an async iterator for `for await`. Each chunk is also sent
---to the run's output as a `token` event.
---
---```lua
---for chunk in a:stream("Tell a story") do io.write(chunk) end
---```
---@param input string|AgentRequest The prompt, or a request with `prompt` and `messages`.
---@return AgentStream
function Agent:stream(input) end

---What `agent:stream` returns: iterate it to receive the answer's chunks (strings).
---@alias AgentStream fun(): string?

---The settings of `Agent.create`.
---@class AgentConfig
---@field model? string The model as `provider/model-id`, e.g. `openai/gpt-4o-mini` or `mock/echo`. Defaults to `default_model` in llmspell.toml.
---@field name? string A name to find the agent by with `Agent.get`, and to show in events.
---@field system? string The system prompt.
---@field temperature? number Sampling temperature, 0 to 2. Lower is more deterministic. Range: 0 to 2.
---@field max_tokens? integer The most tokens the model may generate in one answer. Range: 1 to 1000000.
---@field tools? (string|Tool)[] Tools the model may call, by name or as Tool objects.
---@field max_tool_rounds? integer How many rounds of tool calls the agent runs before it stops asking the model. Range: 0 to 100. Default: `5`.
---@field timeout_ms? integer How long one call to the model may take, in milliseconds. Range: 1 to 3600000.
---@field base_url? string Overrides the provider's base URL (for a local OpenAI-compatible server, say).

---A request to an agent: a prompt, earlier messages, or both.
---@class AgentRequest
---@field prompt? string The user's message.
---@field messages? Message[] Earlier messages of the conversation, oldest first. `prompt`, if given, is sent after them.

---One message of a conversation.
---@class Message
---@field role "system"|"user"|"assistant" Who said it.
---@field content string What was said.

---The answer of `agent:execute`.
---@class AgentResult
---@field text string The model's answer.
---@field model string The model that answered, as `provider/model-id`.
---@field usage Usage Token counts reported by the provider.
---@field tool_calls ToolCall[] The tool calls made while answering, in order.
---@field finish_reason string Why the model stopped: `stop`, `length`, `tool_calls`, ...

---Token counts of one agent call.
---@class Usage
---@field input_tokens integer Tokens sent to the model.
---@field output_tokens integer Tokens the model generated.

---A tool call the model asked for, and its result.
---@class ToolCall
---@field name string The tool's name.
---@field params table The parameters the model passed.
---@field result? any What the tool returned.
---@field error? string Why the tool failed, when it did. The model was told the same and could react.

---A tool: call it with `tool:execute{...}`.
---@class Tool
---@field name string The tool's name.
---@field description string What the tool does.
---@field schema ToolSchemaInfo The tool's parameters and result fields.
local Tool = {}

---Runs the tool. Parameters are checked against its schema first: missing, unknown or wrongly typed parameters are errors.
---
---```lua
---print(calc:execute{ expression = "2^10" }.result)
---```
---@param params? table The tool's parameters.
---@return table
function Tool:execute(params) end

---A tool as listed by `Tool.list()`.
---@class ToolInfo
---@field name string The tool's name.
---@field description string What the tool does.
---@field source "builtin"|"script" Whether the tool is built in or was registered by a script.

---A tool's schema: its parameters and result fields, by name.
---@class ToolSchemaInfo
---@field params table<string, ParamSpec> The parameters, by name.
---@field returns table<string, ParamSpec> The fields of the result, by name.

---The definition of a script tool for `Tool.register`.
---@class ToolSpec
---@field name string The tool's name; kebab-case like the built-in tools.
---@field description string What the tool does. Models read this to decide when to call it.
---@field params? table<string, ParamSpec> The parameters, by name.
---@field run fun(arg0: table): any Runs the tool with its checked parameters and returns the result (a table, or a value that becomes `{ result = value }`).

---One parameter of a tool.
---@class ParamSpec
---@field type "string"|"number"|"integer"|"boolean"|"object"|"array"|"any" The parameter's type.
---@field required? boolean Whether the parameter must be given. Default: `false`.
---@field description? string What the parameter means.
---@field default? any The value used when the parameter is not given.
---@field enum? string[] The allowed values, for a string parameter.
---@field minimum? number The smallest allowed value, for a number or integer parameter.
---@field maximum? number The largest allowed value, for a number or integer parameter.

---A workflow built with `Workflow.sequential`, `parallel`, `conditional` or `loop`.
---@class Workflow
---@field name string The workflow's name: the `name` it was built with, or its kind.
---@field kind string `sequential`, `parallel`, `conditional` or `loop`.
local Workflow = {}

---Runs the workflow with an input (available as `{{input}}` and `ctx.input`). Each step is reported as a `step` event while it runs. Raises an error naming the step when a step fails.
---
---```lua
---local out = wf:execute("autumn")
---print(out.output)
---```
---@param input? any The workflow's input.
---@return WorkflowResult
function Workflow:execute(input) end

---The settings of `Workflow.sequential`.
---@class SequentialConfig
---@field name? string The workflow's name, shown in step events.
---@field steps Step[] The steps, in order.

---The settings of `Workflow.parallel`.
---@class ParallelConfig
---@field name? string The workflow's name, shown in step events.
---@field branches Step[] The steps to run concurrently.
---@field max_concurrency? integer At most this many branches run at once. Default: all of them. Range: 1 to 1000.

---The settings of `Workflow.conditional`.
---@class ConditionalConfig
---@field name? string The workflow's name, shown in step events.
---@field branches ConditionalBranch[] The branches, tried in order.
---@field default? Step[] The steps to run when no branch's `when` holds.

---A branch of a conditional workflow.
---@class ConditionalBranch
---@field when fun(arg0: StepContext): boolean Decides whether this branch runs. Only nil and false count as false.
---@field steps Step[] The steps to run, in order.

---The settings of `Workflow.loop`.
---@class LoopConfig
---@field name? string The workflow's name, shown in step events.
---@field steps Step[] The steps of one iteration, in order.
---@field max_iterations? integer The most iterations to run. Range: 1 to 100000. Default: `10`.
---@field stop_when? fun(arg0: StepContext): boolean Called after each iteration with `prev` set to its output; the loop stops when it returns true.

---One step of a workflow: exactly one of `agent`, `tool`, `workflow` or `run`.
---
---Exactly one of: `agent`, `tool`, `workflow`, `run`.
---@class Step
---@field name? string The step's name, for `{{steps.NAME}}`, `ctx.steps.NAME` and events. Default: `step1`, `step2`, ...
---@field agent? Agent|string An agent (or a named agent's name) to call with `input`. The step's output is the answer's text.
---@field input? string The prompt for an `agent` step or the input of a `workflow` step; placeholders are substituted. Default: `"{{prev}}"`.
---@field tool? string|Tool A tool (or its name) to run with `params`. The step's output is the tool's result.
---@field params? table The parameters of a `tool` step; placeholders in strings are substituted.
---@field workflow? Workflow A nested workflow to run with `input`. The step's output is its output.
---@field run? fun(arg0: StepContext): any A function called with the step context; its return value is the step's output.

---What a step function, `when` or `stop_when` receives.
---@class StepContext
---@field input? any The workflow's input.
---@field prev? any The previous step's output (the workflow's input for the first step).
---@field steps table<string, any> The outputs of the steps that have run, by name.
---@field vars table A table shared by all steps of the run: what one step stores, the next sees.

---The result of `workflow:execute`.
---@class WorkflowResult
---@field output? any The workflow's output.
---@field steps StepResult[] Every step that ran, in order.
---@field iterations? integer For loops: how many iterations ran.

---How one step went.
---@class StepResult
---@field name string The step's name.
---@field status "ok"|"error" Whether the step succeeded.
---@field output? any The step's output.
---@field duration_ms integer How long the step took, in milliseconds.
---@field error? string The error message, when the step failed.

---The names of the built-in tools. Parameters that take a tool name accept any string
---too, since tools a script registers with `Tool.register` have names of their own.
---@alias ToolName
---| "base64" # Encodes a string's UTF-8 bytes as Base64, or decodes Base64 into a UTF-8 string.
---| "calculator" # Evaluates an arithmetic expression such as `17 * 23`, `2^10` or `(1 + 2) * 3`.
---| "datetime" # Gives the current date and time, formats or parses a date-time, or adds a number of seconds to one.
---| "file-read" # Reads a UTF-8 text file inside the workspace.
---| "file-write" # Writes text to a file inside the workspace, replacing it or appending to it.
---| "hash" # Computes the hexadecimal digest of a string's UTF-8 bytes with SHA-256 (default), SHA-1 or MD5.
---| "http-request" # Sends an HTTP or HTTPS request and returns the response's status, headers and body.
---| "json" # Parses JSON text into a value, turns a value into JSON text, or reads the part of a value at a dotted path such as "user.emails.0".
---| "sleep" # Waits for the given number of milliseconds (at most 600000, ten minutes).
---| "template" # Replaces each {{name}} in a template with the matching entry of values.
---| "text" # Transforms or inspects a string: upper/lower case, trim whitespace, reverse, count characters, list words, replace every occurrence of a literal pattern, or split on a literal separator.
---| "uuid" # Generates a new random UUID (version 4), such as "0b5f8c9e-3c1a-4d2b-9f6e-7a8b9c0d1e2f".

---The parameters of the built-in `base64` tool.
---
---Encodes a string's UTF-8 bytes as Base64, or decodes Base64 into a UTF-8 string.
---@class Base64ToolParams
---@field operation "encode"|"decode" encode (text to Base64) or decode (Base64 to text).
---@field input string The text to encode, or the Base64 to decode (padding optional; spaces and line breaks are ignored).
---@field url_safe? boolean Use the URL- and filename-safe alphabet ('-' and '_' instead of '+' and '/'). Encoding with it leaves out the '=' padding, as JWTs and URLs expect. Default: `false`.

---The result of the built-in `base64` tool.
---@class Base64ToolResult
---@field result? string The Base64 text (encode) or the decoded text (decode).

---The parameters of the built-in `calculator` tool.
---
---Evaluates an arithmetic expression such as `17 * 23`, `2^10` or `(1 + 2) * 3`. Supports + - * / % ^ (power), parentheses, comparisons, and functions such as math::sqrt(x), math::ln(x), math::log(x, base), math::sin(x), math::pow(x, y), math::abs(x), floor(x), round(x), ceil(x), min(a, b, ...) and max(a, b, ...). Division of two integers truncates (7 / 2 = 3); write 7.0 / 2 for 3.5.
---@class CalculatorToolParams
---@field expression string The expression to evaluate, e.g. "(1 + 2) * 3" or "math::sqrt(2)".

---The result of the built-in `calculator` tool.
---@class CalculatorToolResult
---@field result? number The value of the expression: an integer when the value is a whole number, otherwise a floating-point number.

---The parameters of the built-in `datetime` tool.
---
---Gives the current date and time, formats or parses a date-time, or adds a number of seconds to one. Date-times are exchanged as RFC 3339 text such as "2024-05-01T12:30:00Z" unless a strftime format is given.
---@class DatetimeToolParams
---@field operation "now"|"format"|"parse"|"add" What to do: now (the current time), format (write value using format), parse (read value, written in format if given, and return it as RFC 3339), add (add seconds to value, or to the current time when value is not given).
---@field format? string A strftime format such as "%Y-%m-%d %H:%M". For now, format and add it is how the result is written; for parse it is how value is written. Defaults to RFC 3339.
---@field value? string The date-time to work on, as RFC 3339 text (or, for parse, in format). Required by format and parse; optional for add; not allowed with now.
---@field seconds? number add only, and required there: the number of seconds to add; negative to go back, fractions allowed.
---@field timezone? "utc"|"local" The time zone the result is written in: utc, or local (this machine's zone). parse also reads a value that has no UTC offset as being in this zone. Default: `"utc"`.

---The result of the built-in `datetime` tool.
---@class DatetimeToolResult
---@field result? string The date-time as text: in format when one applies, otherwise RFC 3339.
---@field unix? integer The same instant as whole seconds since 1970-01-01T00:00:00Z (Unix time).

---The parameters of the built-in `file-read` tool.
---
---Reads a UTF-8 text file inside the workspace. Paths are relative to the workspace root; paths that lead outside it (through '..', an absolute path or a symlink) are refused. Needs file access to be allowed for the run.
---@class FileReadToolParams
---@field path string The file to read, relative to the workspace root (an absolute path must lie inside the workspace).
---@field max_bytes? integer The largest file size, in bytes, to read; a larger file is an error rather than being cut short. Defaults to 1048576 (1 MiB). At least 0. Default: `1048576`.

---The result of the built-in `file-read` tool.
---@class FileReadToolResult
---@field content? string The whole text of the file.
---@field bytes? integer The size of the file in bytes (not characters).

---The parameters of the built-in `file-write` tool.
---
---Writes text to a file inside the workspace, replacing it or appending to it. Paths are relative to the workspace root; paths that lead outside it (through '..', an absolute path or a symlink) are refused. Needs file access to be allowed for the run.
---@class FileWriteToolParams
---@field path string The file to write, relative to the workspace root (an absolute path must lie inside the workspace). It is created if it does not exist.
---@field content string The text to write, as UTF-8.
---@field append? boolean Add content to the end of the file instead of replacing what it holds. Default: `false`.
---@field create_dirs? boolean Create the folders above the file when they do not exist; otherwise a missing folder is an error. Default: `false`.

---The result of the built-in `file-write` tool.
---@class FileWriteToolResult
---@field bytes? integer The number of bytes written by this call (not the file's total size when appending).
---@field path? string The file's path relative to the workspace root, with symlinks and '..' resolved.

---The parameters of the built-in `hash` tool.
---
---Computes the hexadecimal digest of a string's UTF-8 bytes with SHA-256 (default), SHA-1 or MD5. SHA-1 and MD5 are for checksums and legacy formats only, not for security.
---@class HashToolParams
---@field input string The text to hash, as UTF-8 bytes.
---@field algorithm? "sha256"|"sha1"|"md5" The digest algorithm: sha256, sha1 or md5. Default: `"sha256"`.

---The result of the built-in `hash` tool.
---@class HashToolResult
---@field hash? string The digest in lower-case hexadecimal (64 characters for sha256, 40 for sha1, 32 for md5).

---The parameters of the built-in `http-request` tool.
---
---Sends an HTTP or HTTPS request and returns the response's status, headers and body. Any status, including 404 or 500, is a normal result; only failures to get a response (bad URL, connection refused, timeout) are errors. Needs network access to be allowed for the run.
---@class HttpRequestToolParams
---@field url string The address to request; must start with http:// or https://.
---@field method? "GET"|"POST"|"PUT"|"PATCH"|"DELETE"|"HEAD" The HTTP method. Default: `"GET"`.
---@field headers? table Request headers as a table of name = value; values may be strings, numbers or booleans.
---@field body? any The request body. A string is sent exactly as given; any other value is sent as JSON, with Content-Type application/json unless headers set one.
---@field timeout_ms? integer How long the whole request, including reading the body, may take, in milliseconds (1 to 600000). Range: 1 to 600000. Default: `30000`.

---The result of the built-in `http-request` tool.
---@class HttpRequestToolResult
---@field status? integer The HTTP status code, such as 200 or 404.
---@field headers? table The response headers by lower-case name; repeated headers are joined with ", ".
---@field body? string The response body as text (bytes that are not UTF-8 become U+FFFD); empty for HEAD. Bodies over 16 MiB are an error.
---@field json? any The body parsed as JSON, present only when the response's Content-Type is JSON and the body parses.

---The parameters of the built-in `json` tool.
---
---Parses JSON text into a value, turns a value into JSON text, or reads the part of a value at a dotted path such as "user.emails.0".
---@class JsonToolParams
---@field operation "parse"|"stringify"|"get" What to do: parse (input is JSON text; returns the value), stringify (input is any value; returns JSON text), get (returns the part of input at path).
---@field input any The JSON text to parse (parse), or the value to stringify or read from (stringify, get).
---@field path? string A dotted path of object keys and array indexes (0-based), e.g. "a.b.0". Required by get; with parse it selects part of the parsed value, with stringify the part to turn into text. The empty string means the whole value.
---@field pretty? boolean stringify only: indent the JSON text over several lines instead of writing it compactly on one line. Default: `false`.

---The result of the built-in `json` tool.
---@class JsonToolResult
---@field result? any The parsed value (parse), the JSON text (stringify), or the value found at path (get); nil when path names a key or index that is not there.

---The parameters of the built-in `sleep` tool.
---
---Waits for the given number of milliseconds (at most 600000, ten minutes). Stops early with an error if the run is cancelled.
---@class SleepToolParams
---@field ms integer How long to wait, in milliseconds, from 0 to 600000. Range: 0 to 600000.

---The result of the built-in `sleep` tool.
---@class SleepToolResult
---@field slept_ms? integer The number of milliseconds waited, which equals ms.

---The parameters of the built-in `template` tool.
---
---Replaces each {{name}} in a template with the matching entry of values. Spaces inside the braces are allowed ({{ name }}), and dotted paths reach into nested tables ({{user.name}}, {{items.0}}). Every name must exist in values.
---@class TemplateToolParams
---@field template string The text containing {{name}} placeholders.
---@field values table The values to insert, by name. Strings are inserted as they are; numbers, booleans, lists and tables are inserted as compact JSON.

---The result of the built-in `template` tool.
---@class TemplateToolResult
---@field result? string The template with every placeholder replaced.

---The parameters of the built-in `text` tool.
---
---Transforms or inspects a string: upper/lower case, trim whitespace, reverse, count characters, list words, replace every occurrence of a literal pattern, or split on a literal separator.
---@class TextToolParams
---@field text string The string to work on.
---@field operation "upper"|"lower"|"trim"|"reverse"|"length"|"words"|"replace"|"split" What to do: upper (upper case), lower (lower case), trim (remove leading and trailing whitespace), reverse (reverse the characters), length (count the characters), words (list the whitespace-separated words), replace (replace every occurrence of pattern with replacement), split (split on pattern).
---@field pattern? string The literal text to find (replace) or to split on (split); required by those two operations and not allowed with the others. Not a regular expression.
---@field replacement? string The text that replaces each occurrence of pattern (replace only); defaults to the empty string, which deletes the occurrences.

---The result of the built-in `text` tool.
---@class TextToolResult
---@field result? any A string for upper, lower, trim, reverse and replace; an integer (the number of Unicode characters) for length; an array of strings for words and split.

---The parameters of the built-in `uuid` tool.
---
---Generates a new random UUID (version 4), such as "0b5f8c9e-3c1a-4d2b-9f6e-7a8b9c0d1e2f".
---@class UuidToolParams

---The result of the built-in `uuid` tool.
---@class UuidToolResult
---@field uuid? string The new UUID in its 36-character lower-case hyphenated form.

