// llmspell API declarations for TypeScript and JavaScript (checkJs), generated from the
// API definition by `llmspell defs --ts`; do not edit by hand. This is a global script
// (no import or export): include it in a project's jsconfig.json or tsconfig.json and
// every declaration below is a global of llmspell scripts.

/**
 * Creates LLM agents and finds agents created earlier in the run.
 */
declare const Agent: AgentApi;

/**
 * Captured console output: `log` and `info` go to stdout, `error` and `warn` to stderr.
 *
 * @example
 * console.log("total:", 42);
 */
declare var console: Console;

/**
 * The arguments given after `--` on the command line (`llmspell run script.lua -- one two`), as a
 * list of strings. Empty when there are none.
 *
 * @example
 * const topic = ARGS[0] ?? "autumn";
 */
declare const ARGS: string[];

/**
 * Finds, runs and registers tools. Built-in tools: see `Tool.list()`.
 */
declare const Tool: ToolApi;

/**
 * Builds workflows out of steps. A step runs an agent, a tool, another workflow or a function.
 * Strings in a step's `input` and `params` may use the placeholders `{{input}}` (the workflow's
 * input), `{{prev}}` (the previous step's output), `{{steps.NAME}}` (a named step's output) and
 * `{{vars.NAME}}`, each optionally followed by a path into the value
 * (`{{steps.search.result}}`; list items are numbered from 1, as in Lua).
 */
declare const Workflow: WorkflowApi;

/**
 * Creates LLM agents and finds agents created earlier in the run.
 */
interface AgentApi {
  /**
   * Creates an agent. `model` is `provider/model-id` (`openai/gpt-4o-mini`, `mock/echo`); it may be
   * left out when `llmspell.toml` sets `default_model`. An agent with a `name` can be found later
   * with `Agent.get`.
   *
   * Errors, for example:
   * - `Agent.create: field 'model' is required (no default_model in llmspell.toml)`
   * - `Agent.create: unknown provider 'x' in model 'x/y'`
   * - `Agent.create: field 'temperature' must be between 0 and 2`
   *
   * @param config The agent's model and settings.
   * @example
   * const a = Agent.create({ model: "mock/echo", system: "You are terse.", temperature: 0.2 });
   */
  create(config: AgentConfig): Agent;
  /**
   * Returns the agent created with this `name`, or nil (`null` in JS) when there is none.
   *
   * @param name The agent's name.
   * @example
   * const writer = Agent.get("writer");
   */
  get(name: string): Agent | null;
  /**
   * The names of the named agents created so far, sorted.
   *
   * @example
   * for (const name of Agent.list()) console.log(name);
   */
  list(): string[];
}

/**
 * An LLM agent created with `Agent.create`.
 */
interface Agent {
  /**
   * Sends the input to the model and returns the whole answer. The input is a prompt string, or a
   * table with `prompt` and/or `messages` for a conversation. Raises an error (catchable with
   * `pcall` / `try`) when the provider fails.
   *
   * @param input The prompt, or a request with `prompt` and `messages`.
   * @example
   * const r = await a.execute("What is 17 * 23?");
   * console.log(r.text, r.usage.output_tokens);
   */
  execute(input: string | AgentRequest): Promise<AgentResult>;
  /**
   * Sends the input to the model and yields the answer in chunks as they arrive. In Lua it is an
   * iterator for a generic `for`; in JS an async iterator for `for await`. Each chunk is also sent
   * to the run's output as a `token` event.
   *
   * @param input The prompt, or a request with `prompt` and `messages`.
   * @example
   * for await (const chunk of a.stream("Tell a story")) console.log(chunk);
   */
  stream(input: string | AgentRequest): AgentStream;
  /**
   * The agent's name: the `name` it was created with, or one made up from its model.
   */
  readonly name: string;
  /**
   * The agent's model as `provider/model-id`.
   */
  readonly model: string;
}

/**
 * What `agent:stream` returns: iterate it to receive the answer's chunks (strings).
 */
type AgentStream = AsyncIterable<string>;

/**
 * The settings of `Agent.create`.
 */
interface AgentConfig {
  /**
   * The model as `provider/model-id`, e.g. `openai/gpt-4o-mini` or `mock/echo`. Defaults to `default_model` in llmspell.toml.
   */
  model?: string;
  /**
   * A name to find the agent by with `Agent.get`, and to show in events.
   */
  name?: string;
  /**
   * The system prompt.
   */
  system?: string;
  /**
   * Sampling temperature, 0 to 2. Lower is more deterministic. Range: 0 to 2.
   */
  temperature?: number;
  /**
   * The most tokens the model may generate in one answer. Range: 1 to 1000000.
   */
  max_tokens?: number;
  /**
   * Tools the model may call, by name or as Tool objects.
   */
  tools?: (string | Tool)[];
  /**
   * How many rounds of tool calls the agent runs before it stops asking the model. Range: 0 to 100. Default: `5`.
   */
  max_tool_rounds?: number;
  /**
   * How long one call to the model may take, in milliseconds. Range: 1 to 3600000.
   */
  timeout_ms?: number;
  /**
   * Overrides the provider's base URL (for a local OpenAI-compatible server, say).
   */
  base_url?: string;
}

/**
 * A request to an agent: a prompt, earlier messages, or both.
 */
interface AgentRequest {
  /**
   * The user's message.
   */
  prompt?: string;
  /**
   * Earlier messages of the conversation, oldest first. `prompt`, if given, is sent after them.
   */
  messages?: Message[];
}

/**
 * One message of a conversation.
 */
interface Message {
  /**
   * Who said it.
   */
  role: "system" | "user" | "assistant";
  /**
   * What was said.
   */
  content: string;
}

/**
 * The answer of `agent:execute`.
 */
interface AgentResult {
  /**
   * The model's answer.
   */
  text: string;
  /**
   * The model that answered, as `provider/model-id`.
   */
  model: string;
  /**
   * Token counts reported by the provider.
   */
  usage: Usage;
  /**
   * The tool calls made while answering, in order.
   */
  tool_calls: ToolCall[];
  /**
   * Why the model stopped: `stop`, `length`, `tool_calls`, ...
   */
  finish_reason: string;
}

/**
 * Token counts of one agent call.
 */
interface Usage {
  /**
   * Tokens sent to the model.
   */
  input_tokens: number;
  /**
   * Tokens the model generated.
   */
  output_tokens: number;
}

/**
 * A tool call the model asked for, and its result.
 */
interface ToolCall {
  /**
   * The tool's name.
   */
  name: string;
  /**
   * The parameters the model passed.
   */
  params: Record<string, any>;
  /**
   * What the tool returned.
   */
  result?: any;
  /**
   * Why the tool failed, when it did. The model was told the same and could react.
   */
  error?: string;
}

/**
 * Captured console output.
 */
interface Console {
  /**
   * Writes the values, separated by spaces, and a newline to stdout.
   *
   * @param values Values to write.
   */
  log(...values: any[]): void;
  /**
   * Same as `console.log`.
   *
   * @param values Values to write.
   */
  info(...values: any[]): void;
  /**
   * Writes the values, separated by spaces, and a newline to stderr.
   *
   * @param values Values to write.
   */
  warn(...values: any[]): void;
  /**
   * Writes the values, separated by spaces, and a newline to stderr.
   *
   * @param values Values to write.
   */
  error(...values: any[]): void;
}

/**
 * Finds, runs and registers tools.
 */
interface ToolApi {
  /**
   * Returns the tool with this name. Raises an error naming the known tools when there is none.
   *
   * Errors, for example:
   * - `Tool.get: unknown tool 'calculater' (did you mean 'calculator'?)`
   *
   * @param name The tool's name, e.g. `calculator`.
   * @example
   * const calc = Tool.get("calculator");
   */
  get(name: ToolName | (string & {})): Tool;
  /**
   * Every tool available to the script, built-in and registered, sorted by name.
   *
   * @example
   * for (const t of Tool.list()) console.log(t.name, t.description);
   */
  list(): ToolInfo[];
  /**
   * Whether a tool with this name exists.
   *
   * @param name The tool's name.
   * @example
   * if (Tool.exists("shout")) console.log("registered");
   */
  exists(name: ToolName | (string & {})): boolean;
  /**
   * Runs the built-in `base64` tool: Encodes a string's UTF-8 bytes as Base64, or decodes Base64 into a UTF-8 string.
   */
  execute(name: "base64", params: Base64ToolParams): Promise<Base64ToolResult>;
  /**
   * Runs the built-in `calculator` tool: Evaluates an arithmetic expression such as `17 * 23`, `2^10` or `(1 + 2) * 3`.
   */
  execute(name: "calculator", params: CalculatorToolParams): Promise<CalculatorToolResult>;
  /**
   * Runs the built-in `datetime` tool: Gives the current date and time, formats or parses a date-time, or adds a number of seconds to one.
   */
  execute(name: "datetime", params: DatetimeToolParams): Promise<DatetimeToolResult>;
  /**
   * Runs the built-in `file-read` tool: Reads a UTF-8 text file inside the workspace.
   */
  execute(name: "file-read", params: FileReadToolParams): Promise<FileReadToolResult>;
  /**
   * Runs the built-in `file-write` tool: Writes text to a file inside the workspace, replacing it or appending to it.
   */
  execute(name: "file-write", params: FileWriteToolParams): Promise<FileWriteToolResult>;
  /**
   * Runs the built-in `hash` tool: Computes the hexadecimal digest of a string's UTF-8 bytes with SHA-256 (default), SHA-1 or MD5.
   */
  execute(name: "hash", params: HashToolParams): Promise<HashToolResult>;
  /**
   * Runs the built-in `http-request` tool: Sends an HTTP or HTTPS request and returns the response's status, headers and body.
   */
  execute(name: "http-request", params: HttpRequestToolParams): Promise<HttpRequestToolResult>;
  /**
   * Runs the built-in `json` tool: Parses JSON text into a value, turns a value into JSON text, or reads the part of a value at a dotted path such as "user.emails.0".
   */
  execute(name: "json", params: JsonToolParams): Promise<JsonToolResult>;
  /**
   * Runs the built-in `sleep` tool: Waits for the given number of milliseconds (at most 600000, ten minutes).
   */
  execute(name: "sleep", params: SleepToolParams): Promise<SleepToolResult>;
  /**
   * Runs the built-in `template` tool: Replaces each {{name}} in a template with the matching entry of values.
   */
  execute(name: "template", params: TemplateToolParams): Promise<TemplateToolResult>;
  /**
   * Runs the built-in `text` tool: Transforms or inspects a string: upper/lower case, trim whitespace, reverse, count characters, list words, replace every occurrence of a literal pattern, or split on a literal separator.
   */
  execute(name: "text", params: TextToolParams): Promise<TextToolResult>;
  /**
   * Runs the built-in `uuid` tool: Generates a new random UUID (version 4), such as "0b5f8c9e-3c1a-4d2b-9f6e-7a8b9c0d1e2f".
   */
  execute(name: "uuid", params?: UuidToolParams): Promise<UuidToolResult>;
  /**
   * Runs the named tool with the given parameters and returns its result table.
   *
   * @param name The tool's name.
   * @param params The tool's parameters.
   * @example
   * console.log((await Tool.execute("calculator", { expression: "2^10" })).result);
   */
  execute(name: ToolName | (string & {}), params?: Record<string, any>): Promise<Record<string, any>>;
  /**
   * Registers a tool written in the script. Its parameters are checked against `params` before
   * `run` is called, exactly like a built-in tool's, and agents can call it.
   *
   * Errors, for example:
   * - `Tool.register: a tool named 'calculator' already exists`
   *
   * @param spec The tool's name, description, parameters and function.
   * @example
   * Tool.register({ name: "shout", description: "Upper-case text",
   *                 params: { text: { type: "string", required: true } },
   *                 run: async (p) => ({ text: p.text.toUpperCase() }) });
   */
  register(spec: ToolSpec): Tool;
}

/**
 * A tool: call it with `tool:execute{...}`.
 */
interface Tool {
  /**
   * Runs the tool. Parameters are checked against its schema first: missing, unknown or wrongly typed parameters are errors.
   *
   * @param params The tool's parameters.
   * @example
   * console.log((await calc.execute({ expression: "2^10" })).result);
   */
  execute(params?: Record<string, any>): Promise<Record<string, any>>;
  /**
   * The tool's name.
   */
  readonly name: string;
  /**
   * What the tool does.
   */
  readonly description: string;
  /**
   * The tool's parameters and result fields.
   */
  readonly schema: ToolSchemaInfo;
}

/**
 * A tool as listed by `Tool.list()`.
 */
interface ToolInfo {
  /**
   * The tool's name.
   */
  name: string;
  /**
   * What the tool does.
   */
  description: string;
  /**
   * Whether the tool is built in or was registered by a script.
   */
  source: "builtin" | "script";
}

/**
 * A tool's schema: its parameters and result fields, by name.
 */
interface ToolSchemaInfo {
  /**
   * The parameters, by name.
   */
  params: Record<string, ParamSpec>;
  /**
   * The fields of the result, by name.
   */
  returns: Record<string, ParamSpec>;
}

/**
 * The definition of a script tool for `Tool.register`.
 */
interface ToolSpec {
  /**
   * The tool's name; kebab-case like the built-in tools.
   */
  name: string;
  /**
   * What the tool does. Models read this to decide when to call it.
   */
  description: string;
  /**
   * The parameters, by name.
   */
  params?: Record<string, ParamSpec>;
  /**
   * Runs the tool with its checked parameters and returns the result (a table, or a value that becomes `{ result = value }`).
   */
  run: (arg0: Record<string, any>) => any;
}

/**
 * One parameter of a tool.
 */
interface ParamSpec {
  /**
   * The parameter's type.
   */
  type: "string" | "number" | "integer" | "boolean" | "object" | "array" | "any";
  /**
   * Whether the parameter must be given. Default: `false`.
   */
  required?: boolean;
  /**
   * What the parameter means.
   */
  description?: string;
  /**
   * The value used when the parameter is not given.
   */
  default?: any;
  /**
   * The allowed values, for a string parameter.
   */
  enum?: string[];
  /**
   * The smallest allowed value, for a number or integer parameter.
   */
  minimum?: number;
  /**
   * The largest allowed value, for a number or integer parameter.
   */
  maximum?: number;
}

/**
 * Builds workflows out of steps.
 */
interface WorkflowApi {
  /**
   * Runs the steps one after another; each step's output is the next step's `prev`. The output is the last step's output.
   *
   * @param config The workflow's name and steps.
   * @example
   * const wf = Workflow.sequential({ name: "pipeline", steps: [
   *   { name: "draft", agent: writer, input: "Write a haiku about {{input}}" },
   *   { name: "loud", tool: "text", params: { text: "{{prev}}", operation: "upper" } },
   * ]});
   */
  sequential(config: SequentialConfig): Workflow;
  /**
   * Runs the branches concurrently, at most `max_concurrency` at a time. The output is the list of the branches' outputs, in the order of `branches`.
   *
   * @param config The workflow's name, branches and concurrency.
   * @example
   * const wf = Workflow.parallel({ branches: [
   *   { tool: "calculator", params: { expression: "1+1" } },
   *   { agent: a, input: "hi" },
   * ], max_concurrency: 2 });
   */
  parallel(config: ParallelConfig): Workflow;
  /**
   * Runs the steps of the first branch whose `when` returns true, else the `default` steps. The output is the last step's output, or nil when nothing ran.
   *
   * @param config The workflow's name, branches and default steps.
   * @example
   * const wf = Workflow.conditional({
   *   branches: [{ when: (ctx) => ctx.input.length > 20,
   *                steps: [{ agent: summariser, input: "{{input}}" }] }],
   *   default: [{ run: (ctx) => ctx.input }],
   * });
   */
  conditional(config: ConditionalConfig): Workflow;
  /**
   * Runs the steps again and again, until `stop_when` returns true after an iteration or `max_iterations` is reached. Each iteration's `prev` starts as the previous iteration's output.
   *
   * @param config The workflow's name, steps and stop conditions.
   * @example
   * const wf = Workflow.loop({ max_iterations: 5,
   *   steps: [{ run: (ctx) => (ctx.prev ?? 0) + 1 }],
   *   stop_when: (ctx) => ctx.prev >= 3 });
   */
  loop(config: LoopConfig): Workflow;
}

/**
 * A workflow built with `Workflow.sequential`, `parallel`, `conditional` or `loop`.
 */
interface Workflow {
  /**
   * Runs the workflow with an input (available as `{{input}}` and `ctx.input`). Each step is reported as a `step` event while it runs. Raises an error naming the step when a step fails.
   *
   * @param input The workflow's input.
   * @example
   * const out = await wf.execute("autumn");
   * console.log(out.output);
   */
  execute(input?: any): Promise<WorkflowResult>;
  /**
   * The workflow's name: the `name` it was built with, or its kind.
   */
  readonly name: string;
  /**
   * `sequential`, `parallel`, `conditional` or `loop`.
   */
  readonly kind: string;
}

/**
 * The settings of `Workflow.sequential`.
 */
interface SequentialConfig {
  /**
   * The workflow's name, shown in step events.
   */
  name?: string;
  /**
   * The steps, in order.
   */
  steps: Step[];
}

/**
 * The settings of `Workflow.parallel`.
 */
interface ParallelConfig {
  /**
   * The workflow's name, shown in step events.
   */
  name?: string;
  /**
   * The steps to run concurrently.
   */
  branches: Step[];
  /**
   * At most this many branches run at once. Default: all of them. Range: 1 to 1000.
   */
  max_concurrency?: number;
}

/**
 * The settings of `Workflow.conditional`.
 */
interface ConditionalConfig {
  /**
   * The workflow's name, shown in step events.
   */
  name?: string;
  /**
   * The branches, tried in order.
   */
  branches: ConditionalBranch[];
  /**
   * The steps to run when no branch's `when` holds.
   */
  default?: Step[];
}

/**
 * A branch of a conditional workflow.
 */
interface ConditionalBranch {
  /**
   * Decides whether this branch runs. Only nil and false count as false.
   */
  when: (arg0: StepContext) => boolean | Promise<boolean>;
  /**
   * The steps to run, in order.
   */
  steps: Step[];
}

/**
 * The settings of `Workflow.loop`.
 */
interface LoopConfig {
  /**
   * The workflow's name, shown in step events.
   */
  name?: string;
  /**
   * The steps of one iteration, in order.
   */
  steps: Step[];
  /**
   * The most iterations to run. Range: 1 to 100000. Default: `10`.
   */
  max_iterations?: number;
  /**
   * Called after each iteration with `prev` set to its output; the loop stops when it returns true.
   */
  stop_when?: (arg0: StepContext) => boolean | Promise<boolean>;
}

/**
 * One step of a workflow: exactly one of `agent`, `tool`, `workflow` or `run`.
 *
 * Exactly one of: `agent`, `tool`, `workflow`, `run`.
 */
interface Step {
  /**
   * The step's name, for `{{steps.NAME}}`, `ctx.steps.NAME` and events. Default: `step1`, `step2`, ...
   */
  name?: string;
  /**
   * An agent (or a named agent's name) to call with `input`. The step's output is the answer's text.
   */
  agent?: Agent | string;
  /**
   * The prompt for an `agent` step or the input of a `workflow` step; placeholders are substituted. Default: `"{{prev}}"`.
   */
  input?: string;
  /**
   * A tool (or its name) to run with `params`. The step's output is the tool's result.
   */
  tool?: string | Tool;
  /**
   * The parameters of a `tool` step; placeholders in strings are substituted.
   */
  params?: Record<string, any>;
  /**
   * A nested workflow to run with `input`. The step's output is its output.
   */
  workflow?: Workflow;
  /**
   * A function called with the step context; its return value is the step's output.
   */
  run?: (arg0: StepContext) => any;
}

/**
 * What a step function, `when` or `stop_when` receives.
 */
interface StepContext {
  /**
   * The workflow's input.
   */
  input?: any;
  /**
   * The previous step's output (the workflow's input for the first step).
   */
  prev?: any;
  /**
   * The outputs of the steps that have run, by name.
   */
  steps: Record<string, any>;
  /**
   * A table shared by all steps of the run: what one step stores, the next sees.
   */
  vars: Record<string, any>;
}

/**
 * The result of `workflow:execute`.
 */
interface WorkflowResult {
  /**
   * The workflow's output.
   */
  output?: any;
  /**
   * Every step that ran, in order.
   */
  steps: StepResult[];
  /**
   * For loops: how many iterations ran.
   */
  iterations?: number;
}

/**
 * How one step went.
 */
interface StepResult {
  /**
   * The step's name.
   */
  name: string;
  /**
   * Whether the step succeeded.
   */
  status: "ok" | "error";
  /**
   * The step's output.
   */
  output?: any;
  /**
   * How long the step took, in milliseconds.
   */
  duration_ms: number;
  /**
   * The error message, when the step failed.
   */
  error?: string;
}

/**
 * The names of the built-in tools. Parameters that take a tool name accept any string too, since tools a script registers with `Tool.register` have names of their own.
 */
type ToolName = "base64" | "calculator" | "datetime" | "file-read" | "file-write" | "hash" | "http-request" | "json" | "sleep" | "template" | "text" | "uuid";

/**
 * The parameters of the built-in `base64` tool.
 *
 * Encodes a string's UTF-8 bytes as Base64, or decodes Base64 into a UTF-8 string.
 */
interface Base64ToolParams {
  /**
   * encode (text to Base64) or decode (Base64 to text).
   */
  operation: "encode" | "decode";
  /**
   * The text to encode, or the Base64 to decode (padding optional; spaces and line breaks are ignored).
   */
  input: string;
  /**
   * Use the URL- and filename-safe alphabet ('-' and '_' instead of '+' and '/'). Encoding with it leaves out the '=' padding, as JWTs and URLs expect. Default: `false`.
   */
  url_safe?: boolean;
}

/**
 * The result of the built-in `base64` tool.
 */
interface Base64ToolResult {
  /**
   * The Base64 text (encode) or the decoded text (decode).
   */
  result?: string;
}

/**
 * The parameters of the built-in `calculator` tool.
 *
 * Evaluates an arithmetic expression such as `17 * 23`, `2^10` or `(1 + 2) * 3`. Supports + - * / % ^ (power), parentheses, comparisons, and functions such as math::sqrt(x), math::ln(x), math::log(x, base), math::sin(x), math::pow(x, y), math::abs(x), floor(x), round(x), ceil(x), min(a, b, ...) and max(a, b, ...). Division of two integers truncates (7 / 2 = 3); write 7.0 / 2 for 3.5.
 */
interface CalculatorToolParams {
  /**
   * The expression to evaluate, e.g. "(1 + 2) * 3" or "math::sqrt(2)".
   */
  expression: string;
}

/**
 * The result of the built-in `calculator` tool.
 */
interface CalculatorToolResult {
  /**
   * The value of the expression: an integer when the value is a whole number, otherwise a floating-point number.
   */
  result?: number;
}

/**
 * The parameters of the built-in `datetime` tool.
 *
 * Gives the current date and time, formats or parses a date-time, or adds a number of seconds to one. Date-times are exchanged as RFC 3339 text such as "2024-05-01T12:30:00Z" unless a strftime format is given.
 */
interface DatetimeToolParams {
  /**
   * What to do: now (the current time), format (write value using format), parse (read value, written in format if given, and return it as RFC 3339), add (add seconds to value, or to the current time when value is not given).
   */
  operation: "now" | "format" | "parse" | "add";
  /**
   * A strftime format such as "%Y-%m-%d %H:%M". For now, format and add it is how the result is written; for parse it is how value is written. Defaults to RFC 3339.
   */
  format?: string;
  /**
   * The date-time to work on, as RFC 3339 text (or, for parse, in format). Required by format and parse; optional for add; not allowed with now.
   */
  value?: string;
  /**
   * add only, and required there: the number of seconds to add; negative to go back, fractions allowed.
   */
  seconds?: number;
  /**
   * The time zone the result is written in: utc, or local (this machine's zone). parse also reads a value that has no UTC offset as being in this zone. Default: `"utc"`.
   */
  timezone?: "utc" | "local";
}

/**
 * The result of the built-in `datetime` tool.
 */
interface DatetimeToolResult {
  /**
   * The date-time as text: in format when one applies, otherwise RFC 3339.
   */
  result?: string;
  /**
   * The same instant as whole seconds since 1970-01-01T00:00:00Z (Unix time).
   */
  unix?: number;
}

/**
 * The parameters of the built-in `file-read` tool.
 *
 * Reads a UTF-8 text file inside the workspace. Paths are relative to the workspace root; paths that lead outside it (through '..', an absolute path or a symlink) are refused. Needs file access to be allowed for the run.
 */
interface FileReadToolParams {
  /**
   * The file to read, relative to the workspace root (an absolute path must lie inside the workspace).
   */
  path: string;
  /**
   * The largest file size, in bytes, to read; a larger file is an error rather than being cut short. Defaults to 1048576 (1 MiB). At least 0. Default: `1048576`.
   */
  max_bytes?: number;
}

/**
 * The result of the built-in `file-read` tool.
 */
interface FileReadToolResult {
  /**
   * The whole text of the file.
   */
  content?: string;
  /**
   * The size of the file in bytes (not characters).
   */
  bytes?: number;
}

/**
 * The parameters of the built-in `file-write` tool.
 *
 * Writes text to a file inside the workspace, replacing it or appending to it. Paths are relative to the workspace root; paths that lead outside it (through '..', an absolute path or a symlink) are refused. Needs file access to be allowed for the run.
 */
interface FileWriteToolParams {
  /**
   * The file to write, relative to the workspace root (an absolute path must lie inside the workspace). It is created if it does not exist.
   */
  path: string;
  /**
   * The text to write, as UTF-8.
   */
  content: string;
  /**
   * Add content to the end of the file instead of replacing what it holds. Default: `false`.
   */
  append?: boolean;
  /**
   * Create the folders above the file when they do not exist; otherwise a missing folder is an error. Default: `false`.
   */
  create_dirs?: boolean;
}

/**
 * The result of the built-in `file-write` tool.
 */
interface FileWriteToolResult {
  /**
   * The number of bytes written by this call (not the file's total size when appending).
   */
  bytes?: number;
  /**
   * The file's path relative to the workspace root, with symlinks and '..' resolved.
   */
  path?: string;
}

/**
 * The parameters of the built-in `hash` tool.
 *
 * Computes the hexadecimal digest of a string's UTF-8 bytes with SHA-256 (default), SHA-1 or MD5. SHA-1 and MD5 are for checksums and legacy formats only, not for security.
 */
interface HashToolParams {
  /**
   * The text to hash, as UTF-8 bytes.
   */
  input: string;
  /**
   * The digest algorithm: sha256, sha1 or md5. Default: `"sha256"`.
   */
  algorithm?: "sha256" | "sha1" | "md5";
}

/**
 * The result of the built-in `hash` tool.
 */
interface HashToolResult {
  /**
   * The digest in lower-case hexadecimal (64 characters for sha256, 40 for sha1, 32 for md5).
   */
  hash?: string;
}

/**
 * The parameters of the built-in `http-request` tool.
 *
 * Sends an HTTP or HTTPS request and returns the response's status, headers and body. Any status, including 404 or 500, is a normal result; only failures to get a response (bad URL, connection refused, timeout) are errors. Needs network access to be allowed for the run.
 */
interface HttpRequestToolParams {
  /**
   * The address to request; must start with http:// or https://.
   */
  url: string;
  /**
   * The HTTP method. Default: `"GET"`.
   */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  /**
   * Request headers as a table of name = value; values may be strings, numbers or booleans.
   */
  headers?: Record<string, any>;
  /**
   * The request body. A string is sent exactly as given; any other value is sent as JSON, with Content-Type application/json unless headers set one.
   */
  body?: any;
  /**
   * How long the whole request, including reading the body, may take, in milliseconds (1 to 600000). Range: 1 to 600000. Default: `30000`.
   */
  timeout_ms?: number;
}

/**
 * The result of the built-in `http-request` tool.
 */
interface HttpRequestToolResult {
  /**
   * The HTTP status code, such as 200 or 404.
   */
  status?: number;
  /**
   * The response headers by lower-case name; repeated headers are joined with ", ".
   */
  headers?: Record<string, any>;
  /**
   * The response body as text (bytes that are not UTF-8 become U+FFFD); empty for HEAD. Bodies over 16 MiB are an error.
   */
  body?: string;
  /**
   * The body parsed as JSON, present only when the response's Content-Type is JSON and the body parses.
   */
  json?: any;
}

/**
 * The parameters of the built-in `json` tool.
 *
 * Parses JSON text into a value, turns a value into JSON text, or reads the part of a value at a dotted path such as "user.emails.0".
 */
interface JsonToolParams {
  /**
   * What to do: parse (input is JSON text; returns the value), stringify (input is any value; returns JSON text), get (returns the part of input at path).
   */
  operation: "parse" | "stringify" | "get";
  /**
   * The JSON text to parse (parse), or the value to stringify or read from (stringify, get).
   */
  input: any;
  /**
   * A dotted path of object keys and array indexes (0-based), e.g. "a.b.0". Required by get; with parse it selects part of the parsed value, with stringify the part to turn into text. The empty string means the whole value.
   */
  path?: string;
  /**
   * stringify only: indent the JSON text over several lines instead of writing it compactly on one line. Default: `false`.
   */
  pretty?: boolean;
}

/**
 * The result of the built-in `json` tool.
 */
interface JsonToolResult {
  /**
   * The parsed value (parse), the JSON text (stringify), or the value found at path (get); nil when path names a key or index that is not there.
   */
  result?: any;
}

/**
 * The parameters of the built-in `sleep` tool.
 *
 * Waits for the given number of milliseconds (at most 600000, ten minutes). Stops early with an error if the run is cancelled.
 */
interface SleepToolParams {
  /**
   * How long to wait, in milliseconds, from 0 to 600000. Range: 0 to 600000.
   */
  ms: number;
}

/**
 * The result of the built-in `sleep` tool.
 */
interface SleepToolResult {
  /**
   * The number of milliseconds waited, which equals ms.
   */
  slept_ms?: number;
}

/**
 * The parameters of the built-in `template` tool.
 *
 * Replaces each {{name}} in a template with the matching entry of values. Spaces inside the braces are allowed ({{ name }}), and dotted paths reach into nested tables ({{user.name}}, {{items.0}}). Every name must exist in values.
 */
interface TemplateToolParams {
  /**
   * The text containing {{name}} placeholders.
   */
  template: string;
  /**
   * The values to insert, by name. Strings are inserted as they are; numbers, booleans, lists and tables are inserted as compact JSON.
   */
  values: Record<string, any>;
}

/**
 * The result of the built-in `template` tool.
 */
interface TemplateToolResult {
  /**
   * The template with every placeholder replaced.
   */
  result?: string;
}

/**
 * The parameters of the built-in `text` tool.
 *
 * Transforms or inspects a string: upper/lower case, trim whitespace, reverse, count characters, list words, replace every occurrence of a literal pattern, or split on a literal separator.
 */
interface TextToolParams {
  /**
   * The string to work on.
   */
  text: string;
  /**
   * What to do: upper (upper case), lower (lower case), trim (remove leading and trailing whitespace), reverse (reverse the characters), length (count the characters), words (list the whitespace-separated words), replace (replace every occurrence of pattern with replacement), split (split on pattern).
   */
  operation: "upper" | "lower" | "trim" | "reverse" | "length" | "words" | "replace" | "split";
  /**
   * The literal text to find (replace) or to split on (split); required by those two operations and not allowed with the others. Not a regular expression.
   */
  pattern?: string;
  /**
   * The text that replaces each occurrence of pattern (replace only); defaults to the empty string, which deletes the occurrences.
   */
  replacement?: string;
}

/**
 * The result of the built-in `text` tool.
 */
interface TextToolResult {
  /**
   * A string for upper, lower, trim, reverse and replace; an integer (the number of Unicode characters) for length; an array of strings for words and split.
   */
  result?: any;
}

/**
 * The parameters of the built-in `uuid` tool.
 *
 * Generates a new random UUID (version 4), such as "0b5f8c9e-3c1a-4d2b-9f6e-7a8b9c0d1e2f".
 */
interface UuidToolParams {
}

/**
 * The result of the built-in `uuid` tool.
 */
interface UuidToolResult {
  /**
   * The new UUID in its 36-character lower-case hyphenated form.
   */
  uuid?: string;
}

