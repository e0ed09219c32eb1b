//! Go to definition and document symbols as data, for both languages: fixtures with a `$0`
//! cursor and the text the definition must point at (or what it must refer to by name), and
//! scripts with the outline they must give.

use llmspell_server::analysis::Language;
use llmspell_server::analysis::definition::{Definition, js_definition, lua_definition};
use llmspell_server::analysis::document::ParsedDocument;
use llmspell_server::analysis::symbols::SymbolKind;

/// What a definition request at `$0` must answer.
enum Expect {
    /// A local declared at the `$1` marker.
    LocalAtMarker,
    Tool(&'static str),
    Agent(&'static str),
    Nothing,
}

struct Case {
    name: &'static str,
    language: Language,
    fixture: &'static str,
    expect: Expect,
}

const CASES: &[Case] = &[
    Case {
        name: "Lua: a local used later",
        language: Language::Lua,
        fixture: "local $1a = Agent.create{}\nprint($0a:execute(\"x\").text)",
        expect: Expect::LocalAtMarker,
    },
    Case {
        name: "Lua: the declaration itself",
        language: Language::Lua,
        fixture: "local $1a$0 = 1\nprint(a)",
        expect: Expect::LocalAtMarker,
    },
    Case {
        name: "Lua: a function parameter",
        language: Language::Lua,
        fixture: "local function f($1name) return na$0me end\nf(1)",
        expect: Expect::LocalAtMarker,
    },
    Case {
        name: "Lua: the inner of two shadowing locals",
        language: Language::Lua,
        fixture: "local x = 1\ndo\n  local $1x = 2\n  print(x$0)\nend\nprint(x)",
        expect: Expect::LocalAtMarker,
    },
    Case {
        name: "Lua: a tool name in Tool.get",
        language: Language::Lua,
        fixture: "local t = Tool.get(\"wea$0ther\")",
        expect: Expect::Tool("weather"),
    },
    Case {
        name: "Lua: a tool name in a step",
        language: Language::Lua,
        fixture: "Workflow.sequential{ steps = { { tool = \"sh$0out\" } } }",
        expect: Expect::Tool("shout"),
    },
    Case {
        name: "Lua: an agent name in Agent.get without parentheses",
        language: Language::Lua,
        fixture: "local h = Agent.get \"hel$0per\"",
        expect: Expect::Agent("helper"),
    },
    Case {
        name: "Lua: a member name goes nowhere",
        language: Language::Lua,
        fixture: "local a = Agent.create{}\na:exec$0ute(\"x\")",
        expect: Expect::Nothing,
    },
    Case {
        name: "Lua: a global goes nowhere",
        language: Language::Lua,
        fixture: "pri$0nt(1)",
        expect: Expect::Nothing,
    },
    Case {
        name: "Lua: any other string goes nowhere",
        language: Language::Lua,
        fixture: "print(\"wea$0ther\")",
        expect: Expect::Nothing,
    },
    Case {
        name: "JS: a const used later",
        language: Language::Js,
        fixture: "const $1a = Agent.create({});\nconsole.log((await $0a.execute(\"x\")).text);",
        expect: Expect::LocalAtMarker,
    },
    Case {
        name: "JS: an arrow function parameter",
        language: Language::Js,
        fixture: "const f = ($1p) => p$0.text;\nf({});",
        expect: Expect::LocalAtMarker,
    },
    Case {
        name: "JS: a tool name in Tool.get",
        language: Language::Js,
        fixture: "const t = Tool.get(\"wea$0ther\");",
        expect: Expect::Tool("weather"),
    },
    Case {
        name: "JS: a tool name in a step",
        language: Language::Js,
        fixture: "Workflow.sequential({ steps: [{ tool: \"sh$0out\" }] });",
        expect: Expect::Tool("shout"),
    },
    Case {
        name: "JS: an agent name in Agent.get",
        language: Language::Js,
        fixture: "const h = Agent.get(\"hel$0per\");",
        expect: Expect::Agent("helper"),
    },
    Case {
        name: "JS: a member name goes nowhere",
        language: Language::Js,
        fixture: "const a = Agent.create({});\na.exec$0ute(\"x\");",
        expect: Expect::Nothing,
    },
    Case {
        name: "JS: mid-typing, an unclosed call still resolves the local",
        language: Language::Js,
        fixture: "const $1a = Agent.create({});\nconsole.log($0a.execute(",
        expect: Expect::LocalAtMarker,
    },
];

#[test]
fn definitions() {
    let mut failures = Vec::new();
    for case in CASES {
        let marker = case.fixture.find("$1");
        let without_marker = case.fixture.replacen("$1", "", 1);
        let offset = without_marker.find("$0").expect("fixture has a $0 cursor");
        let text = without_marker.replacen("$0", "", 1);
        let found = match ParsedDocument::parse(case.language, &text) {
            ParsedDocument::Lua(p) => lua_definition(&p, offset),
            ParsedDocument::Js(p) => js_definition(&p, offset),
        };
        let ok = match (&case.expect, &found) {
            (Expect::LocalAtMarker, Some(Definition::Local(range))) => {
                Some(range.start) == marker && range.end > range.start
            }
            (Expect::Tool(name), Some(Definition::Tool(found))) => found == name,
            (Expect::Agent(name), Some(Definition::Agent(found))) => found == name,
            (Expect::Nothing, None) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!("{}: got {found:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `(name, kind, registered)` of each symbol, in document order.
fn outline(language: Language, text: &str) -> Vec<(String, SymbolKind, bool)> {
    ParsedDocument::parse(language, text)
        .symbols()
        .into_iter()
        .map(|s| {
            assert_eq!(
                &text[s.selection.start..s.selection.end].trim_matches(['"', '\'']),
                &s.name,
                "the selection is the name"
            );
            (s.name, s.kind, s.registered)
        })
        .collect()
}

#[test]
fn lua_symbols() {
    let text = r#"
local helper = Agent.create{ name = "helper", model = "mock/echo" }
local plain = Agent.create{ model = "mock/echo" }
Tool.register{ name = "shout", description = "d", run = function(p) return p end }
local wf = Workflow.sequential{ steps = { { agent = helper, input = "x" } } }
function M.util:go(x) return x end
local function inner() end
local t = Tool.get("calculator")
"#;
    assert_eq!(
        outline(Language::Lua, text),
        [
            ("helper".to_owned(), SymbolKind::Agent, true),
            ("plain".to_owned(), SymbolKind::Agent, false),
            ("shout".to_owned(), SymbolKind::Tool, true),
            ("wf".to_owned(), SymbolKind::Workflow, false),
            ("M.util:go".to_owned(), SymbolKind::Function, false),
            ("inner".to_owned(), SymbolKind::Function, false),
        ]
    );
}

#[test]
fn js_symbols() {
    let text = r#"
const helper = Agent.create({ name: "helper", model: "mock/echo" });
Tool.register({ name: "shout", description: "d", run: (p) => p });
const wf = Workflow.parallel({ branches: [{ agent: helper, input: "x" }] });
async function main() { return 1; }
const arrow = (x) => x;
const value = 3;
"#;
    assert_eq!(
        outline(Language::Js, text),
        [
            ("helper".to_owned(), SymbolKind::Agent, true),
            ("shout".to_owned(), SymbolKind::Tool, true),
            ("wf".to_owned(), SymbolKind::Workflow, false),
            ("main".to_owned(), SymbolKind::Function, false),
            ("arrow".to_owned(), SymbolKind::Function, false),
        ]
    );
}

#[test]
fn symbols_of_broken_documents_do_not_panic() {
    for text in [
        "Agent.create{ name = ",
        "local function",
        "function a.",
        "Tool.register{ name = \"x\"",
        "const f = (",
        "Agent.create({ name: `t`",
        "async function",
    ] {
        for language in [Language::Lua, Language::Js] {
            let _ = ParsedDocument::parse(language, text).symbols();
        }
    }
}
