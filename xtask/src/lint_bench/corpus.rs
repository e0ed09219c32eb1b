//! The corpora the lint benchmark times every linter on: 2,000 Lua and 2,000 JavaScript
//! scripts written the way llmspell scripts are (agents, tools, workflows, helper functions,
//! loops, tables, error handling, streaming), of varied sizes, generated from a fixed seed so
//! every run and every linter sees exactly the same text.
//!
//! A script is a header (a comment and the tool the file registers for other scripts to use),
//! then blocks drawn at random from the templates below until it reaches its drawn length, then
//! a closing line. Templates are the scripts' code verbatim, with `@name` placeholders (letters
//! only, so `@noun_flow_@k` is `noun`, `_flow_`, `k`) filled in per block. The code is meant to
//! be clean for every linter; a few files carry a deliberate mistake (an unused local, a
//! misspelled method), so each linter's path for findings is part of what is timed, as in a
//! real project.

use std::path::Path;

use crate::rng::{Rng, splitmix};

pub use crate::script_language::Language;

/// Mixed into each file's seed, so the two corpora are drawn independently.
fn salt(language: Language) -> u64 {
    match language {
        Language::Lua => 0x4c75_6100,
        Language::JavaScript => 0x4a53_0000,
    }
}

/// The seed of both corpora: changing it changes every file, and the figures with them.
const SEED: u64 = 0x11_5be1_1c0d;
/// Each script's length is drawn from this range (lines), so the corpus has short and long
/// scripts, as a real project does.
pub const MIN_LINES: usize = 50;
pub const MAX_LINES: usize = 400;
/// Scripts per subfolder, as a project groups them.
const FILES_PER_FOLDER: usize = 100;
/// One file in this many has an unused local; one in `MISSPELLED_EVERY` a misspelled method.
const UNUSED_EVERY: usize = 97;
const MISSPELLED_EVERY: usize = 211;

/// What was written: the figures the report gives for the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusStats {
    pub files: usize,
    pub lines: usize,
    pub bytes: usize,
}

/// Writes `files` scripts of `language` into `folder` (under subfolders `group_NN`); the
/// folder is emptied first, so nothing of an older corpus is left to lint.
pub fn write_corpus(
    folder: &Path,
    language: Language,
    files: usize,
) -> Result<CorpusStats, String> {
    if folder.exists() {
        std::fs::remove_dir_all(folder)
            .map_err(|e| format!("cannot empty {}: {e}", folder.display()))?;
    }
    let mut stats = CorpusStats {
        files: 0,
        lines: 0,
        bytes: 0,
    };
    for index in 0..files {
        let subfolder = folder.join(format!("group_{:02}", index / FILES_PER_FOLDER));
        if index % FILES_PER_FOLDER == 0 {
            std::fs::create_dir_all(&subfolder)
                .map_err(|e| format!("cannot create {}: {e}", subfolder.display()))?;
        }
        let text = script(language, index, files);
        let path = subfolder.join(file_name(language, index));
        std::fs::write(&path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        stats.files += 1;
        stats.lines += text.lines().count();
        stats.bytes += text.len();
    }
    Ok(stats)
}

/// `summarise_report_0042.lua`: a name that says what the script is about.
fn file_name(language: Language, index: usize) -> String {
    let theme = Theme::of(index);
    format!(
        "{}_{}_{index:04}.{}",
        theme.verb,
        theme.noun,
        language.extension()
    )
}

/// What a file is about: its verb and noun name its tool and flavour its prompts.
struct Theme {
    verb: &'static str,
    noun: &'static str,
}

const VERBS: &[&str] = &[
    "summarise",
    "classify",
    "translate",
    "review",
    "rewrite",
    "extract",
    "rank",
    "check",
    "tag",
    "outline",
    "plan",
    "score",
    "shorten",
    "explain",
    "compare",
    "draft",
];
const NOUNS: &[&str] = &[
    "report",
    "invoice",
    "ticket",
    "article",
    "email",
    "note",
    "recipe",
    "release",
    "incident",
    "survey",
    "order",
    "contract",
    "lesson",
    "meeting",
    "headline",
    "profile",
    "query",
    "memo",
    "changelog",
    "proposal",
];
const TOPICS: &[&str] = &[
    "autumn in Lisbon",
    "the quarterly numbers",
    "a late delivery",
    "the new onboarding flow",
    "a broken build",
    "the team offsite",
    "customer feedback",
    "a pricing change",
    "the release notes",
    "a security review",
];

impl Theme {
    /// Every file's theme is fixed by its index, so another file can name its tool.
    fn of(index: usize) -> Theme {
        let mixed = splitmix(index as u64 ^ SEED) as usize;
        Theme {
            verb: VERBS[mixed % VERBS.len()],
            noun: NOUNS[(mixed / VERBS.len()) % NOUNS.len()],
        }
    }

    /// The tool file `index` registers: kebab-case, like the built-in tools.
    fn tool(&self, index: usize) -> String {
        format!("{}-{}-{index}", self.verb, self.noun)
    }
}

/// One script of the corpus.
pub fn script(language: Language, index: usize, files: usize) -> String {
    let mut rng = Rng::new(SEED ^ salt(language) ^ splitmix(index as u64));
    let target = MIN_LINES + rng.below(MAX_LINES - MIN_LINES + 1);
    let theme = Theme::of(index);
    let other = (index + 1 + rng.below(files.max(2) - 1)) % files.max(1);
    let mut vars = Vars::default();
    vars.set("f", index.to_string());
    vars.set("verb", theme.verb.to_owned());
    vars.set("Verb", capitalised(theme.verb));
    vars.set("noun", theme.noun.to_owned());
    vars.set("nouns", format!("{}s", theme.noun));
    vars.set("Noun", capitalised(theme.noun));
    vars.set("own", theme.tool(index));
    vars.set("other", Theme::of(other).tool(other));
    vars.set("file", file_name(language, index));

    let mut text = fill(header(language), &vars);
    let mut block = 0;
    while text.lines().count() + 2 < target {
        block += 1;
        vars.set("k", block.to_string());
        vars.set("topic", (*rng.pick(TOPICS)).to_owned());
        for (name, range) in [("a", 2..90), ("b", 2..12), ("c", 3..9), ("d", 1..9)] {
            vars.set(name, (range.start + rng.below(range.len())).to_string());
        }
        vars.set("m", (100 + 50 * rng.below(8)).to_string());
        let template = pick_block(&mut rng);
        text.push('\n');
        text.push_str(&fill(template.text(language), &vars));
    }
    if index % UNUSED_EVERY == UNUSED_EVERY - 1 {
        text.push('\n');
        text.push_str(&fill(UNUSED_LOCAL.text(language), &vars));
    }
    if index % MISSPELLED_EVERY == MISSPELLED_EVERY - 1 {
        text.push('\n');
        text.push_str(&fill(MISSPELLED_METHOD.text(language), &vars));
    }
    text.push('\n');
    text.push_str(&fill(footer(language), &vars));
    text
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Placeholder values for one block.
#[derive(Default)]
struct Vars(Vec<(&'static str, String)>);

impl Vars {
    fn set(&mut self, name: &'static str, value: String) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The template with every `@name` replaced. An unknown name is a bug in a template; it is left
/// in the text, where the test below finds it.
fn fill(template: &str, vars: &Vars) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        match vars.get(&after[..len]) {
            Some(value) if len > 0 => out.push_str(value),
            _ => out.push_str(&rest[at..=at + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// A block in both languages.
struct Block {
    lua: &'static str,
    js: &'static str,
    /// How often it is drawn, relative to the others.
    weight: usize,
}

impl Block {
    fn text(&self, language: Language) -> &'static str {
        match language {
            Language::Lua => self.lua,
            Language::JavaScript => self.js,
        }
    }
}

fn pick_block(rng: &mut Rng) -> &'static Block {
    let total: usize = BLOCKS.iter().map(|b| b.weight).sum();
    let mut draw = rng.below(total);
    for block in BLOCKS {
        if draw < block.weight {
            return block;
        }
        draw -= block.weight;
    }
    &BLOCKS[0]
}

fn header(language: Language) -> &'static str {
    match language {
        Language::Lua => HEADER_LUA,
        Language::JavaScript => HEADER_JS,
    }
}

fn footer(language: Language) -> &'static str {
    match language {
        Language::Lua => "print(\"done: @file\")\n",
        Language::JavaScript => "console.log(\"done: @file\");\n",
    }
}

const HEADER_LUA: &str = r#"-- @file: @verb @nouns with agents, tools and workflows.
-- Generated by `cargo xtask bench` for the lint benchmark.
--
-- Registers the `@own` tool, which other scripts of the project use.

Tool.register{
  name = "@own",
  description = "@Verb a @noun: keeps its first words, lower-cased.",
  params = {
    text = { type = "string", required = true, description = "The @noun to work on." },
    limit = { type = "integer", default = 12, minimum = 1, description = "How many words to keep." },
  },
  run = function(p)
    local words = {}
    for word in p.text:gmatch("%S+") do
      if #words >= p.limit then
        break
      end
      words[#words + 1] = word:lower()
    end
    return { result = table.concat(words, " "), count = #words }
  end,
}
"#;

const HEADER_JS: &str = r#"// @file: @verb @nouns with agents, tools and workflows.
// Generated by `cargo xtask bench` for the lint benchmark.
//
// Registers the `@own` tool, which other scripts of the project use.

Tool.register({
  name: "@own",
  description: "@Verb a @noun: keeps its first words, lower-cased.",
  params: {
    text: { type: "string", required: true, description: "The @noun to work on." },
    limit: { type: "integer", default: 12, minimum: 1, description: "How many words to keep." },
  },
  run: (p) => {
    const words = p.text.split(/\s+/).filter((word) => word !== "").slice(0, p.limit);
    return { result: words.map((word) => word.toLowerCase()).join(" "), count: words.length };
  },
});
"#;

const UNUSED_LOCAL: Block = Block {
    lua: r#"-- Left over from an earlier version.
local leftover_@k = "@topic"
"#,
    js: r#"// Left over from an earlier version.
const leftover_@k = "@topic";
"#,
    weight: 0,
};

const MISSPELLED_METHOD: Block = Block {
    lua: r#"local typo_agent_@k = Agent.create{ name = "typo-@f-@k" }
print(typo_agent_@k:exeucte("@topic").text)
"#,
    js: r#"const typo_agent_@k = Agent.create({ name: "typo-@f-@k" });
console.log((await typo_agent_@k.exeucte("@topic")).text);
"#,
    weight: 0,
};

const BLOCKS: &[Block] = &[
    // An agent asked about each item of a list.
    Block {
        lua: r#"-- Ask an agent to @verb each @noun, one answer per item.
local @verb_agent_@k = Agent.create{
  name = "@verb-@noun-@f-@k",
  model = "mock/echo",
  system = "You @verb @nouns in @c sentences.",
  temperature = 0.@d,
  max_tokens = @m,
}
local @nouns_@k = { "first @noun", "second @noun", "third @noun" }
for i, item in ipairs(@nouns_@k) do
  local answer = @verb_agent_@k:execute("@Verb this @noun: " .. item)
  print(("%d/%d %s"):format(i, #@nouns_@k, answer.text))
  if answer.usage.output_tokens > @m then
    print("a long answer for", item)
  end
end
"#,
        js: r#"// Ask an agent to @verb each @noun, one answer per item.
const @verb_agent_@k = Agent.create({
  name: "@verb-@noun-@f-@k",
  model: "mock/echo",
  system: "You @verb @nouns in @c sentences.",
  temperature: 0.@d,
  max_tokens: @m,
});
const @nouns_@k = ["first @noun", "second @noun", "third @noun"];
for (const [i, item] of @nouns_@k.entries()) {
  const answer = await @verb_agent_@k.execute("@Verb this @noun: " + item);
  console.log(`${i + 1}/${@nouns_@k.length} ${answer.text}`);
  if (answer.usage.output_tokens > @m) {
    console.log("a long answer for", item);
  }
}
"#,
        weight: 3,
    },
    // A script tool of its own, called once.
    Block {
        lua: r#"-- A tool that counts the words of a @noun, and the longest one.
local counter_@k = Tool.register{
  name = "count-@noun-words-@f-@k",
  description = "Counts the words of a @noun and finds the longest.",
  params = {
    text = { type = "string", required = true, description = "The @noun." },
  },
  run = function(p)
    local count, longest = 0, ""
    for word in p.text:gmatch("%a+") do
      count = count + 1
      if #word > #longest then
        longest = word
      end
    end
    return { words = count, longest = longest }
  end,
}
local counted_@k = counter_@k:execute{ text = "The @noun about @topic is ready for review" }
print(counter_@k.name, counted_@k.words, counted_@k.longest)
"#,
        js: r#"// A tool that counts the words of a @noun, and the longest one.
const counter_@k = Tool.register({
  name: "count-@noun-words-@f-@k",
  description: "Counts the words of a @noun and finds the longest.",
  params: {
    text: { type: "string", required: true, description: "The @noun." },
  },
  run: (p) => {
    const words = p.text.match(/[A-Za-z]+/g) ?? [];
    const longest = words.reduce((best, word) => (word.length > best.length ? word : best), "");
    return { words: words.length, longest };
  },
});
const counted_@k = await counter_@k.execute({ text: "The @noun about @topic is ready for review" });
console.log(counter_@k.name, counted_@k.words, counted_@k.longest);
"#,
        weight: 2,
    },
    // A helper function formatting a list.
    Block {
        lua: r#"-- Formats a list of @nouns as numbered lines.
local function format_@nouns_@k(items, prefix)
  local lines = {}
  for i, item in ipairs(items) do
    lines[#lines + 1] = string.format("%s%d. %s", prefix, i, tostring(item))
  end
  return table.concat(lines, "\n")
end
print(format_@nouns_@k({ "@noun @a", "@noun @b", "@noun @c" }, "  "))
"#,
        js: r#"// Formats a list of @nouns as numbered lines.
function format_@nouns_@k(items, prefix) {
  return items.map((item, i) => `${prefix}${i + 1}. ${String(item)}`).join("\n");
}
console.log(format_@nouns_@k(["@noun @a", "@noun @b", "@noun @c"], "  "));
"#,
        weight: 2,
    },
    // Ranking a table of scores.
    Block {
        lua: r#"-- Rank the @nouns by score and show the best three.
local scores_@k = { alpha = @a, beta = @b, gamma = @c, delta = @d, epsilon = @m }
local ranked_@k = {}
for name, score in pairs(scores_@k) do
  ranked_@k[#ranked_@k + 1] = { name = name, score = score }
end
table.sort(ranked_@k, function(x, y)
  if x.score == y.score then
    return x.name < y.name
  end
  return x.score > y.score
end)
for i = 1, math.min(3, #ranked_@k) do
  print(i, ranked_@k[i].name, ranked_@k[i].score)
end
"#,
        js: r#"// Rank the @nouns by score and show the best three.
const scores_@k = { alpha: @a, beta: @b, gamma: @c, delta: @d, epsilon: @m };
const ranked_@k = Object.entries(scores_@k)
  .map(([name, score]) => ({ name, score }))
  .sort((x, y) => (x.score === y.score ? x.name.localeCompare(y.name) : y.score - x.score));
for (let i = 0; i < Math.min(3, ranked_@k.length); i++) {
  console.log(i + 1, ranked_@k[i].name, ranked_@k[i].score);
}
"#,
        weight: 2,
    },
    // A sequential workflow: an agent, a built-in tool, a function.
    Block {
        lua: r#"-- Draft a @noun, shout it, sign it.
local @noun_writer_@k = Agent.create{ name = "@noun-writer-@f-@k", system = "You write short @nouns." }
local @noun_flow_@k = Workflow.sequential{
  name = "@noun-flow-@f-@k",
  steps = {
    { name = "draft", agent = @noun_writer_@k, input = "Write a @noun about {{input}}" },
    { name = "shout", tool = "text", params = { text = "{{prev}}", operation = "upper" } },
    { name = "sign", run = function(ctx) return ctx.prev.result .. " (file @f)" end },
  },
}
local @noun_result_@k = @noun_flow_@k:execute("@topic")
print(@noun_result_@k.output)
for _, step in ipairs(@noun_result_@k.steps) do
  print(step.name, step.status, step.duration_ms)
end
"#,
        js: r#"// Draft a @noun, shout it, sign it.
const @noun_writer_@k = Agent.create({ name: "@noun-writer-@f-@k", system: "You write short @nouns." });
const @noun_flow_@k = Workflow.sequential({
  name: "@noun-flow-@f-@k",
  steps: [
    { name: "draft", agent: @noun_writer_@k, input: "Write a @noun about {{input}}" },
    { name: "shout", tool: "text", params: { text: "{{prev}}", operation: "upper" } },
    { name: "sign", run: (ctx) => ctx.prev.result + " (file @f)" },
  ],
});
const @noun_result_@k = await @noun_flow_@k.execute("@topic");
console.log(@noun_result_@k.output);
for (const step of @noun_result_@k.steps) {
  console.log(step.name, step.status, step.duration_ms);
}
"#,
        weight: 2,
    },
    // A parallel workflow of tools and a function.
    Block {
        lua: r#"-- Three independent checks, run side by side.
local checks_@k = Workflow.parallel{
  name = "checks-@f-@k",
  max_concurrency = 2,
  branches = {
    { tool = "calculator", params = { expression = "@a * @b + @c" } },
    { tool = "hash", params = { input = "@noun-@f-@k", algorithm = "sha256" } },
    { run = function(ctx) return #ctx.input end },
  },
}
local parts_@k = checks_@k:execute("@topic").output
print(parts_@k[1].result, parts_@k[2].hash, parts_@k[3])
"#,
        js: r#"// Three independent checks, run side by side.
const checks_@k = Workflow.parallel({
  name: "checks-@f-@k",
  max_concurrency: 2,
  branches: [
    { tool: "calculator", params: { expression: "@a * @b + @c" } },
    { tool: "hash", params: { input: "@noun-@f-@k", algorithm: "sha256" } },
    { run: (ctx) => ctx.input.length },
  ],
});
const parts_@k = (await checks_@k.execute("@topic")).output;
console.log(parts_@k[0].result, parts_@k[1].hash, parts_@k[2]);
"#,
        weight: 1,
    },
    // A conditional workflow routing the input.
    Block {
        lua: r#"-- Route the input: arithmetic to the calculator, questions to an agent.
local router_@k = Workflow.conditional{
  name = "router-@f-@k",
  branches = {
    { when = function(ctx) return ctx.input:match("^[%d%s%+%-%*/]+$") ~= nil end,
      steps = { { tool = "calculator", params = { expression = "{{input}}" } } } },
    { when = function(ctx) return ctx.input:find("?", 1, true) ~= nil end,
      steps = { { agent = "@verb-@noun-@f-@k", input = "Answer briefly: {{input}}" } } },
  },
  default = { { run = function(ctx) return "noted: " .. ctx.input end } },
}
for _, input in ipairs{ "@a + @b", "why @topic?", "@topic" } do
  print(input, "->", router_@k:execute(input).output)
end
"#,
        js: r#"// Route the input: arithmetic to the calculator, questions to an agent.
const router_@k = Workflow.conditional({
  name: "router-@f-@k",
  branches: [
    { when: (ctx) => /^[\d\s+\-*/]+$/.test(ctx.input),
      steps: [{ tool: "calculator", params: { expression: "{{input}}" } }] },
    { when: (ctx) => ctx.input.includes("?"),
      steps: [{ agent: "@verb-@noun-@f-@k", input: "Answer briefly: {{input}}" }] },
  ],
  default: [{ run: (ctx) => "noted: " + ctx.input }],
});
for (const input of ["@a + @b", "why @topic?", "@topic"]) {
  console.log(input, "->", (await router_@k.execute(input)).output);
}
"#,
        weight: 1,
    },
    // A loop workflow.
    Block {
        lua: r#"-- Count up in steps of @d until the total passes @a.
local counter_flow_@k = Workflow.loop{
  name = "count-@f-@k",
  max_iterations = @m,
  steps = { { run = function(ctx) return (ctx.prev or 0) + @d end } },
  stop_when = function(ctx) return ctx.prev >= @a end,
}
local counted_flow_@k = counter_flow_@k:execute(0)
print("stopped at", counted_flow_@k.output, "after", counted_flow_@k.iterations, "iterations")
"#,
        js: r#"// Count up in steps of @d until the total passes @a.
const counter_flow_@k = Workflow.loop({
  name: "count-@f-@k",
  max_iterations: @m,
  steps: [{ run: (ctx) => (ctx.prev ?? 0) + @d }],
  stop_when: (ctx) => ctx.prev >= @a,
});
const counted_flow_@k = await counter_flow_@k.execute(0);
console.log("stopped at", counted_flow_@k.output, "after", counted_flow_@k.iterations, "iterations");
"#,
        weight: 1,
    },
    // Catching a failing tool call.
    Block {
        lua: r#"-- A division that may fail: catch the error instead of ending the run.
local ok_@k, outcome_@k = pcall(function()
  return Tool.execute("calculator", { expression = "@a / (@b - @b)" })
end)
if ok_@k then
  print("quotient", outcome_@k.result)
else
  print("the calculator refused:", outcome_@k)
end
"#,
        js: r#"// A division that may fail: catch the error instead of ending the run.
try {
  const outcome_@k = await Tool.execute("calculator", { expression: "@a / (@b - @b)" });
  console.log("quotient", outcome_@k.result);
} catch (e) {
  console.log("the calculator refused:", e.message);
}
"#,
        weight: 2,
    },
    // Streaming an answer.
    Block {
        lua: r#"-- Stream a story about a @noun, counting the chunks.
local narrator_@k = Agent.create{ name = "narrator-@f-@k", system = "You tell very short stories." }
local chunks_@k = 0
for chunk in narrator_@k:stream("Tell a story about @topic") do
  chunks_@k = chunks_@k + 1
  io.write(chunk)
end
print("\nchunks:", chunks_@k)
"#,
        js: r#"// Stream a story about a @noun, counting the chunks.
const narrator_@k = Agent.create({ name: "narrator-@f-@k", system: "You tell very short stories." });
let chunks_@k = 0;
for await (const chunk of narrator_@k.stream("Tell a story about @topic")) {
  chunks_@k += 1;
  console.log(chunk);
}
console.log("chunks:", chunks_@k);
"#,
        weight: 1,
    },
    // A conversation with earlier messages.
    Block {
        lua: r#"-- Continue a conversation about @nouns.
local history_@k = {
  { role = "system", content = "You answer questions about @nouns." },
  { role = "user", content = "What makes a good @noun?" },
  { role = "assistant", content = "Clarity, and saying the important part first." },
}
local advisor_@k = Agent.create{ name = "advisor-@f-@k", max_tokens = @m }
local reply_@k = advisor_@k:execute{ messages = history_@k, prompt = "Give an example about @topic." }
history_@k[#history_@k + 1] = { role = "assistant", content = reply_@k.text }
print(#history_@k, reply_@k.text, reply_@k.finish_reason)
"#,
        js: r#"// Continue a conversation about @nouns.
const history_@k = [
  { role: "system", content: "You answer questions about @nouns." },
  { role: "user", content: "What makes a good @noun?" },
  { role: "assistant", content: "Clarity, and saying the important part first." },
];
const advisor_@k = Agent.create({ name: "advisor-@f-@k", max_tokens: @m });
const reply_@k = await advisor_@k.execute({ messages: history_@k, prompt: "Give an example about @topic." });
history_@k.push({ role: "assistant", content: reply_@k.text });
console.log(history_@k.length, reply_@k.text, reply_@k.finish_reason);
"#,
        weight: 1,
    },
    // Word statistics in plain code.
    Block {
        lua: r#"-- Word statistics of a @noun, without any tool.
local function word_stats_@k(text)
  local counts, total = {}, 0
  for word in text:gmatch("%a+") do
    local key = word:lower()
    counts[key] = (counts[key] or 0) + 1
    total = total + 1
  end
  local words = {}
  for word in pairs(counts) do
    words[#words + 1] = word
  end
  table.sort(words, function(x, y)
    if counts[x] == counts[y] then
      return x < y
    end
    return counts[x] > counts[y]
  end)
  return total, words[1], counts[words[1]]
end
local total_@k, most_@k, times_@k = word_stats_@k("the @noun and the @topic and the rest")
print("words:", total_@k, "most frequent:", most_@k, times_@k)
"#,
        js: r#"// Word statistics of a @noun, without any tool.
function wordStats_@k(text) {
  const counts = new Map();
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  let most = null;
  let mostCount = 0;
  for (const [word, count] of counts) {
    if (count > mostCount || (count === mostCount && word < most)) {
      most = word;
      mostCount = count;
    }
  }
  return { total: [...counts.values()].reduce((a, b) => a + b, 0), most, mostCount };
}
const stats_@k = wordStats_@k("the @noun and the @topic and the rest");
console.log("words:", stats_@k.total, "most frequent:", stats_@k.most, stats_@k.mostCount);
"#,
        weight: 2,
    },
    // Retrying a step until it gives a usable answer.
    Block {
        lua: r#"-- Parse a JSON answer, retrying a few times.
local attempts_@k = 0
local parsed_@k
repeat
  attempts_@k = attempts_@k + 1
  parsed_@k = Tool.execute("json", { operation = "parse", input = '{"n": @a, "label": "@noun"}' })
until parsed_@k.result ~= nil or attempts_@k >= @c
print("parsed after", attempts_@k, "attempts:", parsed_@k.result.n, parsed_@k.result.label)
"#,
        js: r#"// Parse a JSON answer, retrying a few times.
let attempts_@k = 0;
let parsed_@k;
do {
  attempts_@k += 1;
  parsed_@k = await Tool.execute("json", { operation: "parse", input: '{"n": @a, "label": "@noun"}' });
} while (parsed_@k.result == null && attempts_@k < @c);
console.log("parsed after", attempts_@k, "attempts:", parsed_@k.result.n, parsed_@k.result.label);
"#,
        weight: 1,
    },
    // An agent given tools, one of them registered by another script.
    Block {
        lua: r#"-- An agent that may use the calculator and the project's @other tool.
local helper_@k = Agent.create{
  name = "helper-@f-@k",
  system = "Use the tools when they help.",
  tools = { "calculator", "@other" },
  max_tool_rounds = @c,
}
local helped_@k = helper_@k:execute("What is @a * @b?")
for i, call in ipairs(helped_@k.tool_calls) do
  print(i, call.name, call.error or tostring(call.result))
end
local shared_@k = Tool.execute("@other", { text = helped_@k.text, limit = @c })
print(shared_@k.result)
"#,
        js: r#"// An agent that may use the calculator and the project's @other tool.
const helper_@k = Agent.create({
  name: "helper-@f-@k",
  system: "Use the tools when they help.",
  tools: ["calculator", "@other"],
  max_tool_rounds: @c,
});
const helped_@k = await helper_@k.execute("What is @a * @b?");
helped_@k.tool_calls.forEach((call, i) => {
  console.log(i + 1, call.name, call.error ?? String(call.result));
});
const shared_@k = await Tool.execute("@other", { text: helped_@k.text, limit: @c });
console.log(shared_@k.result);
"#,
        weight: 1,
    },
    // Templates and string building.
    Block {
        lua: r#"-- Fill a template for each @noun and keep the ones that fit.
local rows_@k = {}
for n = 1, @c do
  local filled = Tool.execute("template", {
    template = "{{kind}} #{{n}} about {{topic}}",
    values = { kind = "@Noun", n = n, topic = "@topic" },
  })
  if #filled.result <= @m then
    rows_@k[#rows_@k + 1] = filled.result
  end
end
print(table.concat(rows_@k, "; "))
"#,
        js: r#"// Fill a template for each @noun and keep the ones that fit.
const rows_@k = [];
for (let n = 1; n <= @c; n++) {
  const filled = await Tool.execute("template", {
    template: "{{kind}} #{{n}} about {{topic}}",
    values: { kind: "@Noun", n, topic: "@topic" },
  });
  if (filled.result.length <= @m) {
    rows_@k.push(filled.result);
  }
}
console.log(rows_@k.join("; "));
"#,
        weight: 1,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        for language in [Language::Lua, Language::JavaScript] {
            for index in 0..400 {
                let text = script(language, index, 2000);
                assert!(!text.contains('@'), "{language:?} {index}:\n{text}");
                let lines = text.lines().count();
                assert!(
                    (MIN_LINES..MAX_LINES + 40).contains(&lines),
                    "{language:?} {index}: {lines} lines"
                );
            }
        }
    }

    #[test]
    fn the_corpus_is_the_same_every_time() {
        assert_eq!(
            script(Language::Lua, 7, 2000),
            script(Language::Lua, 7, 2000)
        );
        assert_ne!(
            script(Language::Lua, 7, 2000),
            script(Language::Lua, 8, 2000)
        );
    }

    #[test]
    fn placeholders_are_letters_only() {
        let mut vars = Vars::default();
        vars.set("noun", "memo".into());
        vars.set("k", "3".into());
        assert_eq!(fill("@noun_flow_@k = @k", &vars), "memo_flow_3 = 3");
        assert_eq!(fill("x @unknown y", &vars), "x @unknown y");
        assert_eq!(fill("a@", &vars), "a@");
    }
}
