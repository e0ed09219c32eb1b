//! What the fuzzer feeds each analyzer: a corpus per language (the example scripts, snippets
//! built from the API definition so every member and field is covered as the API grows, names
//! and tokens that matter to that language's lexer and parser) and the random edits applied to
//! it.
//!
//! The two languages share the edit machinery and differ in their data: Lua gets long brackets,
//! `:` calls and `end`-closed blocks; JavaScript gets template literals with `${`, slashes that
//! may start a regular expression or divide, `?.`, arrow functions, `async`/`await` and
//! backticks left open. Both get odd whitespace (`\r\n`, a lone `\r`, U+2028), characters of
//! every UTF-8 length (astral emoji, which are UTF-16 surrogate pairs to the editor), escapes
//! that name a lone surrogate, and bursts of nesting past the parsers' cap.

use std::path::PathBuf;

use llmspell_runtime::definition::{ApiDefinition, Language};

use crate::process::repo_root;
use crate::rng::Rng;

/// Tokens that matter to the Lua lexer, the parser and the cursor contexts: openers without
/// closers, half-typed chains, string and comment starts, escapes (a backslash before a line
/// break continues a string on the next line), keywords out of place, odd whitespace and
/// characters of every UTF-8 length (UTF-16 surrogate pairs included).
const LUA_TOKENS: &[&str] = &[
    "Agent.",
    "Tool.",
    "Workflow.",
    "a:",
    "a.",
    "r.",
    ".",
    ":",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "[[",
    "]]",
    "[==[",
    "]==]",
    "--",
    "--[[",
    "--[==[",
    "\\",
    "\\\"",
    "\\z",
    "\\\n",
    "\\\r\n",
    "\\u{",
    "\\u{D800}",
    "local ",
    "function ",
    "end",
    " end ",
    "if ",
    " then ",
    "else",
    "elseif ",
    "for ",
    " in ",
    " do ",
    "while ",
    "repeat ",
    "until ",
    "return ",
    "break",
    "goto ",
    "::l::",
    "nil",
    "true",
    "false",
    "...",
    "..",
    "=",
    "==",
    "~=",
    "<=",
    ">=",
    "//",
    ">>",
    "<<",
    "~",
    "#",
    "%",
    "^",
    "<const>",
    "<close>",
    ",",
    ";",
    "0x",
    "0x1p4",
    "1e",
    "1e+",
    "3.",
    ".5",
    "9007199254740993",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{0}",
    "\u{7f}",
    "\u{a0}",
    "\u{feff}",
    "é",
    "€",
    "😀",
    "𝔸",
    "\u{2028}",
    "\u{fffd}",
    "#!",
    "@",
    "$",
    "`",
    "?",
    "!",
];

/// The JavaScript counterpart of [`LUA_TOKENS`]: template literals and their interpolations,
/// slashes that are a regular expression or a division depending on what precedes them,
/// optional chaining, arrows, `async`/`await`, comments of both kinds, escapes of every form
/// (lone-surrogate ones, and line continuations), numeric forms swc is strict about, and what
/// JavaScript has that the tokenizer must pass over (`#private`, `@decorator`, HTML-like
/// comments).
const JS_TOKENS: &[&str] = &[
    "Agent.",
    "Tool.",
    "Workflow.",
    "console.",
    "a.",
    "r.",
    "a?.",
    "?.",
    "?.(",
    "?.[",
    "??",
    "??=",
    ".",
    "...",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "({",
    "})",
    "\"",
    "'",
    "`",
    "${",
    "}`",
    "`${",
    "`a${b}c`",
    "`${`${",
    "\\`",
    "\\${",
    "/",
    "/re/g",
    "/[/]/",
    "/(?<n>x)\\1/u",
    " / ",
    "a / b / c",
    "//",
    "/*",
    "*/",
    "/**",
    "<!--",
    "-->",
    "\\",
    "\\\"",
    "\\\n",
    "\\\r\n",
    "\\u",
    "\\u{",
    "\\uD83D",
    "\\uDE00",
    "\\u{1F600}",
    "\\x",
    "=>",
    "() => ",
    "(x) => ",
    "x => ",
    "async ",
    "async () => ",
    "async function ",
    "await ",
    "for await (const c of ",
    "function ",
    "function* ",
    "yield ",
    "const ",
    "let ",
    "var ",
    "class ",
    "extends ",
    "new ",
    "this.",
    "super.",
    "return ",
    "if (",
    " else ",
    "for (",
    " of ",
    " in ",
    "while (",
    "do ",
    "switch (",
    "case ",
    "default:",
    "try {",
    "catch (e) {",
    "finally {",
    "throw ",
    "typeof ",
    "delete ",
    "import ",
    "export ",
    "label: ",
    "null",
    "undefined",
    "true",
    "false",
    "=",
    "==",
    "===",
    "!==",
    "<=",
    ">=",
    "<",
    ">",
    ">>>",
    "**",
    "++",
    "--",
    "&&",
    "||",
    "?",
    ":",
    "!",
    "~",
    "%",
    ",",
    ";",
    "0x",
    "0b",
    "0o",
    "1n",
    "1_000",
    "1e",
    "1e+",
    "3.",
    ".5",
    "08",
    "9007199254740993",
    "#priv",
    "#",
    "@",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{0}",
    "\u{7f}",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "\u{2029}",
    "\u{fffd}",
    "\u{ffff}",
    "\u{10ffff}",
    "é",
    "€",
    "😀",
    "👩‍💻",
    "𝔸",
    "ℵ",
    "#!",
    "$",
];

/// Openers and closers for bursts of nesting in Lua.
const LUA_NESTINGS: &[(&str, &str)] = &[
    ("(", ")"),
    ("{", "}"),
    ("[", "]"),
    ("if x then ", " end"),
    ("function() ", " end"),
    ("do ", " end"),
    ("Agent.create{ tools = { ", " } }"),
    ("f(", ","),
];

/// Openers and closers for bursts of nesting in JavaScript, including the forms that make swc
/// recurse without a bracket (prefix operators, arrows, `await`, conditionals).
const JS_NESTINGS: &[(&str, &str)] = &[
    ("(", ")"),
    ("{", "}"),
    ("[", "]"),
    ("`${", "}`"),
    ("if (x) { ", " }"),
    ("() => { ", " }"),
    ("async () => ", ""),
    ("a => ", ""),
    ("await ", ""),
    ("- ", ""),
    ("!", ""),
    ("x ? ", " : y"),
    ("Agent.create({ tools: [ ", " ] })"),
    ("f(", ","),
    ("({ a: ", " })"),
];

/// What comes after a name in a generated piece: the starts of a member access, a call, a
/// config table or a string, in each language's syntax.
const LUA_AFTER_NAME: &[&str] = &[".", ":", " ", "{", "(", "\"", " = "];
const JS_AFTER_NAME: &[&str] = &[".", "?.", " ", "({ ", "(", "(\"", "(`", ": ", " = ", " => "];

/// Hand-written Lua for the shapes the inference follows through locals.
const LUA_LINES: &[&str] = &[
    "local a = Agent.create{ name = \"w\", model = \"mock/echo\", temperature = 0.5 }\n",
    "local r = a:execute(\"hi\")\nprint(r.text, r.usage.input_tokens)\n",
    "local t = Tool.get(\"calculator\")\nlocal v = t:execute{ expression = \"1+2\" }\n",
    "Tool.register{ name = \"mine\", description = \"d\", handler = function(args) return args end }\n",
    "for chunk in a:stream(\"x\") do io.write(chunk) end\n",
    "local ok, err = pcall(function() return Agent.get(\"nobody\") end)\n",
    "a.execute(\"wrong style\")\nAgent:create{}\nAgent.craete{}\n",
    "local function f(x, ...) local y <const> = x return y end\n",
];

/// Hand-written JavaScript for the shapes the inference follows through bindings, awaits,
/// template interpolations and destructuring.
const JS_LINES: &[&str] = &[
    "const a = Agent.create({ name: \"w\", model: \"mock/echo\", temperature: 0.5 });\n",
    "const r = await a.execute(\"hi\");\nconsole.log(r.text, r.usage?.input_tokens);\n",
    "const t = Tool.get(\"calculator\");\nconst v = await t.execute({ expression: \"1+2\" });\n",
    "Tool.register({ name: \"mine\", description: \"d\", run: async (args) => args });\n",
    "for await (const chunk of a.stream(\"x\")) console.log(`${chunk}`);\n",
    "try { Agent.get(\"nobody\") } catch (e) { console.log(e.message) }\n",
    "a.execute(\"no await\");\nAgent.craete({});\n",
    "const { text, usage } = await a.execute(`about ${ARGS[0] ?? \"x\"}`);\n",
    "const f = async (x, ...rest) => { const y = x / 2 / rest.length; return /y+/g.test(y) };\n",
    "const w = Workflow.sequential({ name: \"s\", steps: [{ run: (ctx) => ctx.prev?.result }] });\n",
    "console.log(`${a.name}: ${(await a.execute(\"q\")).text}`);\n",
];

/// What the edits draw from, for one language.
pub struct Corpus {
    pub snippets: Vec<String>,
    /// The example scripts of the language, whole.
    pub scripts: Vec<String>,
    names: Vec<String>,
    tokens: &'static [&'static str],
    nestings: &'static [(&'static str, &'static str)],
    after_name: &'static [&'static str],
}

impl Corpus {
    pub fn load(language: Language) -> Self {
        let def = ApiDefinition::get();
        let example = |e: &llmspell_runtime::definition::Examples| match language {
            Language::Lua => e.lua.clone(),
            Language::Js => e.js.clone(),
        };
        let mut snippets: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for global in def.globals_for(language) {
            names.push(global.name.clone());
            snippets.extend(example(&global.example));
        }
        for (type_name, ty) in &def.types {
            names.push(type_name.clone());
            for member in &ty.members {
                names.push(member.name.clone());
                snippets.extend(example(&member.example));
            }
            for field in &ty.fields {
                names.push(field.name.clone());
                snippets.push(match language {
                    Language::Lua => format!("{} = nil,", field.name),
                    Language::Js => format!("{}: null,", field.name),
                });
                snippets.extend(field.values.iter().flatten().map(|v| format!("\"{v}\"")));
            }
        }
        for tool in &def.tools {
            snippets.push(format!("Tool.get(\"{}\")", tool.name));
            let params: Vec<String> = tool
                .params
                .iter()
                .map(|p| match language {
                    Language::Lua => format!("{} = 1", p.name),
                    Language::Js => format!("{}: 1", p.name),
                })
                .collect();
            snippets.push(match language {
                Language::Lua => format!(
                    "Tool.execute(\"{}\", {{ {} }})",
                    tool.name,
                    params.join(", ")
                ),
                Language::Js => format!(
                    "await Tool.execute(\"{}\", {{ {} }})",
                    tool.name,
                    params.join(", ")
                ),
            });
        }
        let (lines, tokens, nestings, after_name) = match language {
            Language::Lua => (LUA_LINES, LUA_TOKENS, LUA_NESTINGS, LUA_AFTER_NAME),
            Language::Js => (JS_LINES, JS_TOKENS, JS_NESTINGS, JS_AFTER_NAME),
        };
        snippets.extend(lines.iter().map(|&l| l.to_owned()));
        let mut scripts = Vec::new();
        if let Ok(entries) = std::fs::read_dir(repo_root().join("examples")) {
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == language.as_str()))
                .collect();
            // Sorted: `read_dir` order varies between file systems, and a seed must reproduce.
            paths.sort();
            scripts.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        }
        Corpus {
            snippets,
            scripts,
            names,
            tokens,
            nestings,
            after_name,
        }
    }

    /// The first document of a session.
    pub fn start(&self, rng: &mut Rng) -> String {
        match rng.below(4) {
            0 if !self.scripts.is_empty() => rng.pick(self.scripts.as_slice()).clone(),
            0 | 1 => {
                let mut text = String::new();
                for _ in 0..1 + rng.below(12) {
                    text.push_str(rng.pick::<String>(&self.snippets));
                    text.push('\n');
                }
                text
            }
            2 => String::new(),
            _ => {
                let mut text = String::new();
                for _ in 0..rng.below(64) {
                    text.push_str(&self.piece(rng));
                }
                text
            }
        }
    }

    /// A short piece of text to insert.
    fn piece(&self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=2 => (*rng.pick(self.tokens)).to_owned(),
            3 | 4 => rng.pick(self.snippets.as_slice()).clone(),
            5 | 6 => {
                let name = rng.pick(self.names.as_slice()).clone();
                let after = *rng.pick(self.after_name);
                format!("{name}{after}")
            }
            7 => random_chars(rng),
            8 => self.nesting(rng),
            _ => {
                // Characters of every class from a random byte string, decoded the way the
                // server would see a file with invalid UTF-8 (as replacement characters).
                let bytes: Vec<u8> = (0..1 + rng.below(24)).map(|_| rng.next() as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
        }
    }

    /// A burst of nesting, sometimes past the analysis' nesting cap (200), where parsing is
    /// skipped and the cursor features must still answer from tokens alone.
    fn nesting(&self, rng: &mut Rng) -> String {
        let depth = if rng.chance(20) {
            150 + rng.below(150)
        } else {
            1 + rng.below(20)
        };
        let (open, close) = *rng.pick(self.nestings);
        let mut text = open.repeat(depth);
        if rng.chance(50) {
            text.push_str(&close.repeat(rng.below(depth + 1)));
        }
        text
    }

    /// Applies one random edit to `text`; returns a description of it for the failure report.
    pub fn mutate(&self, text: &mut String, rng: &mut Rng) -> String {
        let at = boundary(text, rng);
        // Most edits are small and local, as typing is; a few are large.
        let span = |rng: &mut Rng, text: &str| {
            let len = if rng.chance(90) {
                1 + rng.below(8)
            } else {
                rng.below(text.len() / 2 + 1)
            };
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            end
        };
        match rng.below(33) {
            0..=11 => {
                let piece = self.piece(rng);
                text.insert_str(at, &piece);
                format!("insert {piece:?} at {at}")
            }
            12..=19 => {
                let end = span(rng, text);
                text.replace_range(at..end, "");
                format!("delete {at}..{end}")
            }
            20..=27 => {
                let end = span(rng, text);
                let piece = self.piece(rng);
                text.replace_range(at..end, &piece);
                format!("replace {at}..{end} with {piece:?}")
            }
            28..=31 => {
                // Copy a stretch elsewhere: keeps the text plausible while moving constructs
                // into contexts they were not written for (a call into a table, a string into
                // a name).
                let end = span(rng, text);
                let copy = text[at..end].to_owned();
                let to = boundary(text, rng);
                text.insert_str(to, &copy);
                format!("copy {at}..{end} to {to}")
            }
            _ => {
                // A file saved on another system: every line ending changes at once, so each
                // token's offsets shift by a different amount.
                let ending = *rng.pick(&["\r\n", "\r"]);
                *text = text.replace("\r\n", "\n").replace('\n', ending);
                format!("line endings to {ending:?}")
            }
        }
    }
}

fn random_chars(rng: &mut Rng) -> String {
    (0..1 + rng.below(16))
        .map(|_| {
            let code = match rng.below(4) {
                0 => rng.below(0x80) as u32,
                1 => rng.below(0x800) as u32,
                2 => rng.below(0x1_0000) as u32,
                _ => rng.below(0x11_0000) as u32,
            };
            // Surrogate code points are not characters; they become U+FFFD, as the server's
            // lossy decoding would make them.
            char::from_u32(code).unwrap_or('\u{fffd}')
        })
        .collect()
}

/// A random character boundary of `text`.
fn boundary(text: &str, rng: &mut Rng) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A random byte offset of `text`, on a character boundary or not (the analysis clamps), and
/// sometimes past the end.
pub fn offset(text: &str, rng: &mut Rng) -> usize {
    match rng.below(20) {
        0 => text.len(),
        1 => text.len() + 1 + rng.below(1_000_000),
        2 => usize::MAX,
        3 => 0,
        _ => rng.below(text.len() + 1),
    }
}
