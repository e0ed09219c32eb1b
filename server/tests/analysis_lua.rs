//! Lua analysis as data: completion fixtures with a `$0` cursor (labels present and absent,
//! a few details and snippets), diagnostic fixtures with expected (code, message, line), the
//! examples as a no-false-positive corpus, and hostile input that must not crash.

use llmspell_server::analysis::diagnostics::{AnalysisConfig, check_lua, check_lua_with};
use llmspell_server::analysis::lua::{complete, parse};
use llmspell_server::analysis::{Completion, CompletionKind};

/// Completions at the `$0` of `fixture`.
fn complete_at(fixture: &str) -> Vec<Completion> {
    let offset = fixture.find("$0").expect("fixture has a $0 cursor");
    let text = fixture.replacen("$0", "", 1);
    complete(&parse(&text), offset)
}

struct CompletionCase {
    name: &'static str,
    fixture: &'static str,
    present: &'static [&'static str],
    absent: &'static [&'static str],
}

const COMPLETION_CASES: &[CompletionCase] = &[
    CompletionCase {
        name: "namespace members after `Agent.` with nothing after it",
        fixture: "local x = 1\nAgent.$0",
        present: &["create", "get", "list"],
        absent: &["execute", "print", "x"],
    },
    CompletionCase {
        name: "namespace members while typing a member name",
        fixture: "local a = Agent.cr$0",
        present: &["create", "get"],
        absent: &["Agent"],
    },
    CompletionCase {
        name: "methods of an inferred agent after `:`",
        fixture: "local a = Agent.create{ model = \"mock/echo\" }\na:$0",
        present: &["execute", "stream"],
        absent: &["name", "model", "create"],
    },
    CompletionCase {
        name: "fields (and methods) of an inferred agent after `.`",
        fixture: "local a = Agent.create{ model = \"mock/echo\" }\nprint(a.$0)",
        present: &["name", "model", "execute"],
        absent: &["create"],
    },
    CompletionCase {
        name: "fields of an AgentResult",
        fixture: "local a = Agent.create{}\nlocal r = a:execute(\"hi\")\nprint(r.$0)",
        present: &["text", "usage", "tool_calls", "finish_reason", "model"],
        absent: &["execute"],
    },
    CompletionCase {
        name: "fields of Usage through a chain",
        fixture: "local a = Agent.create{}\nlocal r = a:execute(\"hi\")\nprint(r.usage.$0)",
        present: &["input_tokens", "output_tokens"],
        absent: &["text"],
    },
    CompletionCase {
        name: "tool methods",
        fixture: "local t = Tool.get(\"calculator\")\nt:$0",
        present: &["execute"],
        absent: &["name", "get"],
    },
    CompletionCase {
        name: "workflow methods",
        fixture: "local wf = Workflow.sequential{ steps = {} }\nwf:$0",
        present: &["execute"],
        absent: &["sequential"],
    },
    CompletionCase {
        name: "stdlib table members",
        fixture: "local s = string.$0",
        present: &["format", "upper", "gsub"],
        absent: &["dump", "create"],
    },
    CompletionCase {
        name: "globals and locals in scope",
        fixture: "local alpha = 1\nlocal function helper(beta)\n  $0\nend",
        present: &[
            "alpha", "helper", "beta", "Agent", "Tool", "Workflow", "print", "string", "pairs",
            "local",
        ],
        absent: &["console", "io.write"],
    },
    CompletionCase {
        name: "locals of a closed block are out of scope",
        fixture: "do local inner = 1 end\nlocal outer = 2\n$0",
        present: &["outer"],
        absent: &["inner"],
    },
    CompletionCase {
        name: "config fields inside an unclosed `Agent.create{`",
        fixture: "local a = Agent.create{ $0",
        present: &[
            "model",
            "system",
            "temperature",
            "max_tokens",
            "tools",
            "base_url",
        ],
        absent: &["Agent", "print", "prompt"],
    },
    CompletionCase {
        name: "config fields skip the ones already written",
        fixture: "local a = Agent.create{ model = \"mock/echo\", $0 }",
        present: &["system", "temperature"],
        absent: &["model"],
    },
    CompletionCase {
        name: "config fields while typing a key",
        fixture: "local a = Agent.create({ model = \"x\", tem$0 })",
        present: &["temperature"],
        absent: &["model"],
    },
    CompletionCase {
        name: "step fields inside a workflow's steps",
        fixture: "local wf = Workflow.sequential{ steps = { { $0 } } }",
        present: &["agent", "tool", "input", "params", "run", "name"],
        absent: &["steps", "model"],
    },
    CompletionCase {
        name: "tool names inside an unclosed `Tool.get(\"`",
        fixture: "local t = Tool.get(\"$0",
        present: &["calculator", "uuid", "http-request"],
        absent: &["Agent"],
    },
    CompletionCase {
        name: "tool names inside a closed string, with tools registered in the file",
        fixture: "Tool.register{ name = \"shout\", description = \"x\", run = function(p) return p end }\nlocal ok = Tool.exists(\"ca$0\")",
        present: &["calculator", "shout"],
        absent: &[],
    },
    CompletionCase {
        name: "tool names as a step's `tool = \"`",
        fixture: "local wf = Workflow.sequential{ steps = { { tool = \"$0\" } } }",
        present: &["calculator", "text"],
        absent: &[],
    },
    CompletionCase {
        name: "model strings inside an agent's `model = \"`",
        fixture: "local a = Agent.create{ model = \"$0\" }",
        present: &["mock/echo", "openai/", "anthropic/", "ollama/"],
        absent: &["calculator"],
    },
    CompletionCase {
        name: "a config field's allowed values inside its string",
        fixture: "local a = Agent.create{}\na:execute{ messages = { { role = \"$0\" } } }",
        present: &["system", "user", "assistant"],
        absent: &["calculator"],
    },
    CompletionCase {
        name: "tool parameters inside `tool:execute{` of a local from Tool.get",
        fixture: "local calc = Tool.get(\"calculator\")\nprint(calc:execute{ $0",
        present: &["expression"],
        absent: &["text", "model", "Agent"],
    },
    CompletionCase {
        name: "tool parameters skip the ones written, with parentheses",
        fixture: "local h = Tool.get(\"hash\")\nlocal r = h:execute({ input = \"x\", $0 })",
        present: &["algorithm"],
        absent: &["input", "expression"],
    },
    CompletionCase {
        name: "tool parameters of `Tool.get(...)` called directly, while typing a key",
        fixture: "print(Tool.get(\"text\"):execute{ op$0 }.result)",
        present: &["operation", "text", "pattern"],
        absent: &["expression"],
    },
    CompletionCase {
        name: "tool parameters as the second argument of Tool.execute",
        fixture: "local r = Tool.execute(\"hash\", { $0",
        present: &["input", "algorithm"],
        absent: &["expression"],
    },
    CompletionCase {
        name: "tool parameters in a step's `params` beside `tool`",
        fixture: "Workflow.sequential{ steps = { { tool = \"text\", params = { $0 } } } }",
        present: &["text", "operation"],
        absent: &["steps", "expression"],
    },
    CompletionCase {
        name: "a tool parameter's allowed values inside its string",
        fixture: "local t = Tool.get(\"text\")\nt:execute{ text = \"a\", operation = \"$0\" }",
        present: &["upper", "split"],
        absent: &["calculator"],
    },
    CompletionCase {
        name: "a tool parameter's allowed values after `=`",
        fixture: "Tool.execute(\"hash\", { input = \"x\", algorithm = $0",
        present: &["\"sha256\"", "\"md5\""],
        absent: &[],
    },
    CompletionCase {
        name: "no tool parameters for a local that is assigned again",
        fixture: "local t = Tool.get(\"calculator\")\nt = Tool.get(\"hash\")\nt:execute{ $0",
        present: &[],
        absent: &["expression", "input"],
    },
    CompletionCase {
        name: "no tool parameters when the initializer goes on",
        fixture: "local t = Tool.get(\"calculator\") or Tool.get(\"hash\")\nt:execute{ $0",
        present: &[],
        absent: &["expression", "input"],
    },
    CompletionCase {
        name: "no tool parameters for a tool the script registers",
        fixture: "local t = Tool.get(\"mine\")\nt:execute{ $0",
        present: &[],
        absent: &["expression"],
    },
    CompletionCase {
        name: "nothing inside a comment",
        fixture: "-- Agent.$0",
        present: &[],
        absent: &["create", "Agent"],
    },
    CompletionCase {
        name: "nothing where a local is being named",
        fixture: "local $0",
        present: &[],
        absent: &["Agent"],
    },
    CompletionCase {
        name: "a shadowing local of unknown type has no members",
        fixture: "local Agent = {}\nAgent.$0",
        present: &[],
        absent: &["create"],
    },
];

#[test]
fn completion_fixtures() {
    let mut failures = Vec::new();
    for case in COMPLETION_CASES {
        let labels: Vec<String> = complete_at(case.fixture)
            .into_iter()
            .map(|c| c.label)
            .collect();
        for want in case.present {
            if !labels.iter().any(|l| l == want) {
                failures.push(format!("{}: missing {want:?} in {labels:?}", case.name));
            }
        }
        for unwanted in case.absent {
            if labels.iter().any(|l| l == unwanted) {
                failures.push(format!("{}: unexpected {unwanted:?}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn find<'a>(items: &'a [Completion], label: &str) -> &'a Completion {
    items
        .iter()
        .find(|c| c.label == label)
        .unwrap_or_else(|| panic!("no completion {label}"))
}

#[test]
fn completion_details_snippets_and_docs() {
    let agent = complete_at("Agent.$0");
    let create = find(&agent, "create");
    assert_eq!(create.kind, CompletionKind::Function);
    assert_eq!(
        create.detail.as_deref(),
        Some("Agent.create(config: AgentConfig) -> Agent")
    );
    assert!(create.documentation.as_deref().unwrap().contains("```lua"));

    let methods = complete_at("local a = Agent.create{}\na:$0");
    let execute = find(&methods, "execute");
    assert_eq!(execute.kind, CompletionKind::Method);
    assert_eq!(
        execute.detail.as_deref(),
        Some("Agent:execute(input: string | AgentRequest) -> AgentResult")
    );

    let dotted = complete_at("local a = Agent.create{}\na.$0");
    assert!(
        find(&dotted, "execute")
            .detail
            .as_deref()
            .unwrap()
            .ends_with("(call with ':')")
    );

    let fields = complete_at("Agent.create{ $0 }");
    let model = find(&fields, "model");
    assert_eq!(model.kind, CompletionKind::ConfigField);
    assert_eq!(model.snippet.as_deref(), Some("model = \"$1\""));
    assert_eq!(
        find(&fields, "temperature").snippet.as_deref(),
        Some("temperature = $1")
    );
    assert_eq!(
        find(&fields, "tools").snippet.as_deref(),
        Some("tools = { $1 }")
    );
    assert!(
        find(&fields, "temperature")
            .documentation
            .as_deref()
            .unwrap()
            .contains("Range: 0 to 2")
    );

    let text = "local t = Tool.get(\"calc";
    let tools = complete(&parse(text), text.len());
    let calc = find(&tools, "calculator");
    assert_eq!(calc.kind, CompletionKind::Value);
    // Replaces what was typed inside the quotes.
    assert_eq!(
        (calc.replace.start, calc.replace.end),
        (text.len() - 4, text.len())
    );

    let locals = complete_at("local a = Agent.create{}\n$0");
    assert_eq!(find(&locals, "a").detail.as_deref(), Some("local a: Agent"));
}

/// An expected finding: (code, message, 1-based line).
type Expected = (&'static str, &'static str, usize);

/// (fixture, expected findings in order).
const DIAGNOSTIC_CASES: &[(&str, &[Expected])] = &[
    (
        "local a = Agent.craete{ model = \"mock/echo\" }",
        &[(
            "unknown-member",
            "Agent has no member 'craete' (did you mean 'create'?)",
            1,
        )],
    ),
    (
        "local a = Agent.create{}\nlocal r = a:exeucte(\"x\")",
        &[(
            "unknown-member",
            "Agent has no member 'exeucte' (did you mean 'execute'?)",
            2,
        )],
    ),
    (
        "local a = Agent.create{}\nlocal r = a:execute(\"x\")\nprint(r.txt, r.usage.output_tokens)",
        &[(
            "unknown-member",
            "AgentResult has no field 'txt' (did you mean 'text'?)",
            3,
        )],
    ),
    (
        "local agent = Agent.create{}\nagent.execute(\"x\")",
        &[(
            "wrong-call-style",
            "agent:execute must be called with ':'",
            2,
        )],
    ),
    (
        "local a = Agent:create{}",
        &[("wrong-call-style", "Agent.create is called with '.'", 1)],
    ),
    (
        "local t = Tool.get(\"calculator\")\nfor x in t.stream(1) do end\nprint(t.execute(t, {}))",
        &[("unknown-member", "Tool has no member 'stream'", 2)],
    ),
    (
        "local x = = 1",
        &[
            ("syntax-error", "expected an expression", 1),
            (
                "syntax-error",
                "unexpected token, this needs to be a statement",
                1,
            ),
        ],
    ),
    (
        "local a = Agent.create{}\nlocal t = Tool.get(\"calc",
        &[
            ("syntax-error", "unclosed string", 2),
            ("syntax-error", "expected `)` to close function call", 2),
        ],
    ),
    // Silence where the type is not known for sure.
    ("local Agent = {}\nAgent.craete()", &[]),
    ("local a = Agent.create{}\na = {}\na.whatever()", &[]),
    ("Agent = nil\nAgent.anything()", &[]),
    (
        "local function f(agent) return agent.execute(\"x\") end",
        &[],
    ),
    (
        "local t = Tool.execute(\"calculator\", {})\nprint(t.result, t.anything)",
        &[],
    ),
    ("Agent.extra = 1", &[]),
    ("function Agent.helper() end", &[]),
    ("local s = (\"x\"):upper():lower()", &[]),
];

/// Runs fixtures with `config`; findings must equal the expected ones, in order.
fn run_diagnostic_cases(cases: &[(&str, &[Expected])], config: &AnalysisConfig) {
    let mut failures = Vec::new();
    for (fixture, expected) in cases {
        let parsed = parse(fixture);
        let got: Vec<(&str, String, usize)> = check_lua_with(&parsed, config)
            .into_iter()
            .map(|d| {
                let line = fixture[..d.range.start].matches('\n').count() + 1;
                (d.code, d.message, line)
            })
            .collect();
        let want: Vec<(&str, String, usize)> = expected
            .iter()
            .map(|(c, m, l)| (*c, (*m).to_owned(), *l))
            .collect();
        // Syntax messages belong to full_moon: only their code and line are pinned, plus a
        // non-empty message.
        let matches = got.len() == want.len()
            && got.iter().zip(&want).all(|(g, w)| {
                g.0 == w.0 && g.2 == w.2 && (g.0 == "syntax-error" && !g.1.is_empty() || g.1 == w.1)
            });
        if !matches {
            failures.push(format!("{fixture:?}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn diagnostic_fixtures() {
    // These fixtures are about the API rules; their throwaway locals are not the point.
    let mut config = AnalysisConfig::default();
    config.severities.insert("unused-local".into(), None);
    run_diagnostic_cases(DIAGNOSTIC_CASES, &config);
}

#[test]
fn every_example_is_diagnostic_free() {
    // The examples run with examples/llmspell.toml (it configures the `scripted` provider), so
    // they are checked with the analysis settings the editor derives from it.
    let toml_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/llmspell.toml");
    let toml = std::fs::read_to_string(&toml_path).unwrap();
    let config =
        AnalysisConfig::from_config(&llmspell_runtime::Config::parse(&toml, &toml_path).unwrap());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "lua") {
            let text = std::fs::read_to_string(&path).unwrap();
            let found = check_lua_with(&parse(&text), &config);
            assert!(found.is_empty(), "{}: {found:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} examples found");
}

#[test]
fn deep_nesting_is_reported_not_crashed() {
    let parens = format!("local x = {}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let ifs = format!("{}{}", "if x then ".repeat(10_000), "end ".repeat(10_000));
    let unary = format!("local x = {}1", "- ".repeat(10_000));
    for text in [parens, ifs, unary] {
        let parsed = parse(&text);
        let codes: Vec<&str> = check_lua(&parsed).iter().map(|d| d.code).collect();
        assert_eq!(codes, ["nesting-too-deep"]);
        // Completion still answers.
        let _ = complete(&parsed, text.len() / 2);
    }
    // Just under the cap still parses.
    let ok = format!(
        "local x = {}1{}\nprint(x)",
        "(".repeat(150),
        ")".repeat(150)
    );
    assert!(check_lua(&parse(&ok)).is_empty());
}

#[test]
fn hostile_input_never_panics() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let pieces = [
        "Agent",
        ".",
        ":",
        "create",
        "{",
        "}",
        "(",
        ")",
        "\"",
        "'",
        "[[",
        "]]",
        "--",
        "local ",
        "a",
        "=",
        ",",
        "end",
        "function",
        "if",
        "then",
        "\n",
        "é",
        "\u{0}",
        "[",
        "]",
        "Tool.get(\"",
    ];
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
        }
        let parsed = parse(&text);
        let _ = check_lua(&parsed);
        for offset in 0..=text.len() + 2 {
            let _ = complete(&parsed, offset);
        }
    }
}

#[test]
fn model_strings_include_the_workspace_providers_and_default_model() {
    let fixture = "Agent.create{ model = \"lo$0\" }";
    let offset = fixture.find("$0").expect("cursor");
    let text = fixture.replacen("$0", "", 1);
    let config = AnalysisConfig {
        providers: vec!["local".to_owned()],
        default_model: Some("local/qwen2.5".to_owned()),
        ..AnalysisConfig::default()
    };
    let items =
        llmspell_server::analysis::lua::completion::complete_with(&parse(&text), offset, &config);
    let labels: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels.first(), Some(&"local/qwen2.5"), "{labels:?}");
    assert!(labels.contains(&"local/"), "{labels:?}");
    // The whole content of the string is replaced, not just what precedes the cursor.
    assert_eq!(&text[items[0].replace.start..items[0].replace.end], "lo");
}
