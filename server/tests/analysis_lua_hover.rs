//! Lua hover and signature help as data: fixtures with a `$0` cursor and the fragments the
//! Markdown (or the signature) must and must not contain, plus the places where both must stay
//! silent and hostile input that must not crash.

use llmspell_server::analysis::lua::{hover, parse, signature_help};
use llmspell_server::analysis::model::{Hover, SignatureHelp};

fn split(fixture: &str) -> (String, usize) {
    let offset = fixture.find("$0").expect("fixture has a $0 cursor");
    (fixture.replacen("$0", "", 1), offset)
}

fn hover_at(fixture: &str) -> Option<Hover> {
    let (text, offset) = split(fixture);
    hover(&parse(&text), offset)
}

fn signature_at(fixture: &str) -> Option<SignatureHelp> {
    let (text, offset) = split(fixture);
    signature_help(&parse(&text), offset)
}

struct HoverCase {
    name: &'static str,
    fixture: &'static str,
    /// The text the hover's range covers.
    word: &'static str,
    present: &'static [&'static str],
    absent: &'static [&'static str],
}

const HOVER_CASES: &[HoverCase] = &[
    HoverCase {
        name: "a namespace global",
        fixture: "local a = Ag$0ent.create{}",
        word: "Agent",
        present: &[
            "```lua\nAgent: AgentApi\n```",
            "Creates LLM agents",
            "`create`",
        ],
        absent: &[],
    },
    HoverCase {
        name: "a namespace function: signature, doc, example",
        fixture: "local a = Agent.cre$0ate{ model = \"mock/echo\" }",
        word: "create",
        present: &[
            "```lua\nAgent.create(config: AgentConfig) -> Agent\n```",
            "Creates an agent.",
            "```lua\nlocal a = Agent.create{",
        ],
        absent: &[],
    },
    HoverCase {
        name: "a built-in tool's parameter as a key of its table",
        fixture: "local t = Tool.get(\"text\")\nt:execute{ text = \"a\", opera$0tion = \"upper\" }",
        word: "operation",
        present: &["```lua\ntext.operation: string (required)\n```", "`upper`"],
        absent: &[],
    },
    HoverCase {
        name: "the cursor right after the word",
        fixture: "Agent.create$0{}",
        word: "create",
        present: &["Agent.create(config: AgentConfig) -> Agent"],
        absent: &[],
    },
    HoverCase {
        name: "a method of an inferred agent",
        fixture: "local a = Agent.create{}\nlocal r = a:exe$0cute(\"hi\")",
        word: "execute",
        present: &[
            "Agent:execute(input: string | AgentRequest) -> AgentResult",
            "Sends the input to the model",
        ],
        absent: &[],
    },
    HoverCase {
        name: "a method of an agent through an unclosed call",
        fixture: "local a = Agent.create{}\nlocal r = a:exe$0cute(",
        word: "execute",
        present: &["Agent:execute("],
        absent: &[],
    },
    HoverCase {
        name: "a field of a result table",
        fixture: "local a = Agent.create{}\nlocal r = a:execute(\"hi\")\nprint(r.te$0xt)",
        word: "text",
        present: &["```lua\nAgentResult.text: string\n```"],
        absent: &[],
    },
    HoverCase {
        name: "a field of an agent object",
        fixture: "local a = Agent.create{ name = \"w\" }\nprint(a.na$0me)",
        word: "name",
        present: &["Agent.name: string"],
        absent: &[],
    },
    HoverCase {
        name: "a config field key: type, range, doc",
        fixture: "local a = Agent.create{ model = \"mock/echo\", tempe$0rature = 0.2 }",
        word: "temperature",
        present: &[
            "AgentConfig.temperature: number",
            "Range: 0 to 2.",
            "Sampling temperature",
        ],
        absent: &["Required."],
    },
    HoverCase {
        name: "a config field key with a default, in an unclosed table",
        fixture: "local a = Agent.create{ max_tool$0_rounds = 3,",
        word: "max_tool_rounds",
        present: &["AgentConfig.max_tool_rounds: integer", "Default: `5`."],
        absent: &[],
    },
    HoverCase {
        name: "a tool name: description and parameter table",
        fixture: "local t = Tool.get(\"calcu$0lator\")",
        word: "\"calculator\"",
        present: &[
            "**calculator** (built-in tool)",
            "| Parameter | Type | Required | Description |",
            "| `expression` | string | yes |",
        ],
        absent: &[],
    },
    HoverCase {
        name: "a tool name as a step's `tool =`",
        fixture: "local wf = Workflow.sequential{ steps = { { name = \"a\", tool = \"calc$0ulator\" } } }",
        word: "\"calculator\"",
        present: &["**calculator** (built-in tool)"],
        absent: &[],
    },
    HoverCase {
        name: "a local with an inferred type",
        fixture: "local agent = Agent.create{}\nprint(ag$0ent)",
        word: "agent",
        present: &["```lua\nlocal agent: Agent\n```", "An LLM agent"],
        absent: &[],
    },
    HoverCase {
        name: "a local at its declaration",
        fixture: "local t$0 = Tool.get(\"calculator\")",
        word: "t",
        present: &["local t: Tool"],
        absent: &[],
    },
    HoverCase {
        name: "a global function",
        fixture: "pri$0nt(1)",
        word: "print",
        present: &["print(...values: any) -> nil", "print(\"total:\", 42)"],
        absent: &[],
    },
    HoverCase {
        name: "a stdlib function",
        fixture: "local s = string.for$0mat(\"%d\", 1)",
        word: "format",
        present: &["string.format", "Lua standard library"],
        absent: &[],
    },
];

#[test]
fn hover_fixtures() {
    let mut failures = Vec::new();
    for case in HOVER_CASES {
        let (text, _) = split(case.fixture);
        let Some(found) = hover_at(case.fixture) else {
            failures.push(format!("{}: no hover", case.name));
            continue;
        };
        let word = &text[found.range.start..found.range.end];
        if word != case.word {
            failures.push(format!(
                "{}: range covers {word:?}, not {:?}",
                case.name, case.word
            ));
        }
        for p in case.present {
            if !found.markdown.contains(p) {
                failures.push(format!(
                    "{}: {p:?} missing from\n{}",
                    case.name, found.markdown
                ));
            }
        }
        for a in case.absent {
            if found.markdown.contains(a) {
                failures.push(format!(
                    "{}: {a:?} present in\n{}",
                    case.name, found.markdown
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_hover_where_nothing_is_certain() {
    for fixture in [
        // An untyped local, and a typed one that is reassigned.
        "local x = 1\nprint(x$0)",
        "local a = Agent.create{}\na = 5\nprint(a$0)",
        // A member of an unknown value, and an unknown member of a known one.
        "local t = {}\nprint(t.fo$0o)",
        "Agent.nope$0()",
        // A key of an untyped table, a key the config type lacks.
        "local t = { mod$0el = 1 }",
        "Agent.create{ colour$0 = 1 }",
        // A string that is not a tool name, an unknown tool, a comment, whitespace, keywords.
        "print(\"calcu$0lator\")",
        "Tool.get(\"nope$0\")",
        "-- Agent.cre$0ate",
        "local a = 1   $0   ",
        "lo$0cal a = 1",
        // A global the script assigns: its API type is no longer certain.
        "Agent = nil\nAgent$0.create{}",
        "$0",
    ] {
        let found = hover_at(fixture);
        assert!(found.is_none(), "{fixture:?} gave {found:?}");
    }
}

struct SignatureCase {
    name: &'static str,
    fixture: &'static str,
    label: &'static str,
    active: usize,
}

const SIGNATURE_CASES: &[SignatureCase] = &[
    SignatureCase {
        name: "a table call, unclosed",
        fixture: "local a = Agent.create{ model = \"mock/echo\", $0",
        label: "Agent.create(config: AgentConfig) -> Agent",
        active: 0,
    },
    SignatureCase {
        name: "a table call, closed",
        fixture: "local a = Agent.create{ $0 }",
        label: "Agent.create(config: AgentConfig) -> Agent",
        active: 0,
    },
    SignatureCase {
        name: "a parenthesised call, right after `(`",
        fixture: "local a = Agent.create($0",
        label: "Agent.create(config: AgentConfig) -> Agent",
        active: 0,
    },
    SignatureCase {
        name: "a table inside parentheses: its commas are not arguments",
        fixture: "local a = Agent.create({ model = \"x\", name = \"y\", $0",
        label: "Agent.create(config: AgentConfig) -> Agent",
        active: 0,
    },
    SignatureCase {
        name: "a method of an inferred agent",
        fixture: "local a = Agent.create{}\nlocal r = a:execute(\"hi\"$0)",
        label: "Agent:execute(input: string | AgentRequest) -> AgentResult",
        active: 0,
    },
    SignatureCase {
        name: "inside a string argument",
        fixture: "local t = Tool.get(\"calc$0",
        label: "Tool.get(name: string) -> Tool",
        active: 0,
    },
    SignatureCase {
        name: "the second argument, after a comma",
        fixture: "Tool.execute(\"calculator\", $0)",
        label: "Tool.execute(",
        active: 1,
    },
    SignatureCase {
        name: "a nested call's commas do not count",
        fixture: "Tool.execute(string.format(\"%s\", \"x\"), $0",
        label: "Tool.execute(",
        active: 1,
    },
    SignatureCase {
        name: "a variadic global keeps the last parameter active",
        fixture: "print(1, 2, 3$0)",
        label: "print(...values: any) -> nil",
        active: 0,
    },
    SignatureCase {
        name: "an API call inside a parenthesised expression",
        fixture: "local r = (Agent.get($0",
        label: "Agent.get(name: string) -> Agent | nil",
        active: 0,
    },
];

#[test]
fn signature_fixtures() {
    let mut failures = Vec::new();
    for case in SIGNATURE_CASES {
        let Some(found) = signature_at(case.fixture) else {
            failures.push(format!("{}: no signature help", case.name));
            continue;
        };
        if !found.label.starts_with(case.label) {
            failures.push(format!("{}: label {:?}", case.name, found.label));
        }
        if found.active_parameter != case.active {
            failures.push(format!(
                "{}: active parameter {} (expected {})",
                case.name, found.active_parameter, case.active
            ));
        }
        for (label, _) in &found.parameters {
            if !found.label.contains(label.as_str()) {
                failures.push(format!(
                    "{}: parameter {label:?} is not in {:?}",
                    case.name, found.label
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn signature_parameters_carry_their_docs() {
    let found = signature_at("Agent.create{$0").expect("signature help");
    assert_eq!(
        found.parameters,
        vec![(
            "config: AgentConfig".to_owned(),
            "The agent's model and settings.".to_owned()
        )]
    );
    assert!(
        found
            .documentation
            .as_deref()
            .is_some_and(|d| d.starts_with("Creates an agent.")),
        "{found:?}"
    );
}

#[test]
fn no_signature_outside_an_api_call() {
    for fixture in [
        "$0Agent.create{}",
        "Agent.create{}$0",
        "local x = $0",
        // An unknown function's arguments belong to it, not to the API call outside it.
        "Agent.create{ model = foo($0",
        // A function body inside the arguments is statements, not arguments.
        "Workflow.sequential{ steps = { { name = \"a\", fn = function(ctx) $0",
        // The parameter list of a function being declared.
        "local function create($0",
        "function Agent.create($0",
        // An index, a comment.
        "Agent.create{ tools = t[$0",
        "Agent.create( -- $0",
        // A local shadows the global function.
        "local print = nil\nprint($0",
        "$0",
    ] {
        let found = signature_at(fixture);
        assert!(found.is_none(), "{fixture:?} gave {found:?}");
    }
}

#[test]
fn hostile_input_and_every_offset_never_panics() {
    let texts = [
        "Agent.create{ model = \"mock/echo\", temperature = 0.2 }\nlocal a = Agent.create{}\na:execute(",
        "((((((((((",
        "}}}})))]]]",
        "local s = \"é😀\" Agent.create{ x = '\u{0}' ",
        "Tool.get(\"calc",
        "--[[ unclosed comment Agent.create(",
        "a:b:c.d.e(f{g[h]})",
        &"(".repeat(10_000),
        &format!("Agent.create{{{}", "{".repeat(300)),
    ];
    for text in texts {
        let parsed = parse(text);
        let step = (text.len() / 500).max(1);
        for offset in (0..=text.len() + 3).step_by(step) {
            let _ = hover(&parsed, offset);
            let _ = signature_help(&parsed, offset);
        }
    }
}
