//! Fixtures for the config-table, name and count rules of the Lua diagnostics, each with
//! positive and negative cases (false positives are bugs), plus suppression comments and
//! configured severities.

use llmspell_server::analysis::Severity;
use llmspell_server::analysis::diagnostics::{AnalysisConfig, check_lua, check_lua_with};
use llmspell_server::analysis::lua::parse;

/// An expected finding: (code, message, 1-based line).
type Expected = (&'static str, &'static str, usize);

const CASES: &[(&str, &[Expected])] = &[
    // unknown-config-field
    (
        "local a = Agent.create{ model = \"mock/echo\", temprature = 1 }\nprint(a)",
        &[(
            "unknown-config-field",
            "unknown field 'temprature' (did you mean 'temperature'?)",
            1,
        )],
    ),
    (
        "local wf = Workflow.sequential{ steps = {\n  { tool = \"calculator\", parms = {} },\n} }\nprint(wf)",
        &[(
            "unknown-config-field",
            "unknown field 'steps[1].parms' (did you mean 'params'?)",
            2,
        )],
    ),
    (
        "Tool.register{ name = \"t\", description = \"d\", run = function(p) return p end, colour = 1 }",
        &[("unknown-config-field", "unknown field 'colour'", 1)],
    ),
    // Silent: a nil value stores no key; an unknown receiver; params is a free-form table.
    ("print(Agent.create{ tmp = nil })", &[]),
    ("local M = {}\nM.create{ anything = 1 }", &[]),
    ("print(Tool.execute(\"calculator\", { whatever = 1 }))", &[]),
    // missing-required-field
    (
        "print(Workflow.sequential{ name = \"x\" })",
        &[("missing-required-field", "field 'steps' is required", 1)],
    ),
    (
        "print(Workflow.loop{ steps = { { name = \"only a name\" } } })",
        &[(
            "missing-required-field",
            "'steps[1]' needs one of agent, tool, workflow, run",
            1,
        )],
    ),
    (
        "print(Tool.register{ name = \"t\", run = function() end })",
        &[(
            "missing-required-field",
            "field 'description' is required",
            1,
        )],
    ),
    // Silent: computed keys or `...` may hold the field; a non-literal config.
    (
        "local k = \"steps\"\nprint(Workflow.sequential{ [k] = {} })",
        &[],
    ),
    (
        "local function f(...) return Workflow.sequential{ ... } end\nprint(f)",
        &[],
    ),
    ("local cfg = {}\nprint(Workflow.sequential(cfg))", &[]),
    ("print(Agent.create{})", &[]),
    // wrong-literal-type
    (
        "print(Agent.create{ temperature = 3 })",
        &[(
            "wrong-literal-type",
            "field 'temperature' must be between 0 and 2, got 3",
            1,
        )],
    ),
    (
        "print(Agent.create{ max_tokens = \"x\" })",
        &[(
            "wrong-literal-type",
            "field 'max_tokens' must be integer, got string",
            1,
        )],
    ),
    (
        "print(Agent.create{ max_tokens = 1.5, temperature = -0.5 })",
        &[
            (
                "wrong-literal-type",
                "field 'max_tokens' must be integer, got number",
                1,
            ),
            (
                "wrong-literal-type",
                "field 'temperature' must be between 0 and 2, got -0.5",
                1,
            ),
        ],
    ),
    (
        "local a = Agent.create{}\nprint(a:execute{ messages = { { role = \"bot\", content = \"hi\" } } })",
        &[(
            "wrong-literal-type",
            "field 'messages[1].role' must be one of system, user, assistant, got \"bot\"",
            2,
        )],
    ),
    (
        "print(Agent.create(\"mock/echo\"))",
        &[(
            "wrong-literal-type",
            "config must be AgentConfig, got string",
            1,
        )],
    ),
    // Silent: right types, integral float for an integer, computed values.
    (
        "local t = 0.5\nprint(Agent.create{ temperature = t, max_tokens = 2.0, system = \"s\" .. t })",
        &[],
    ),
    (
        "local a = Agent.create{}\nprint(a:execute(\"hi\"), a:execute{ prompt = \"x\" })",
        &[],
    ),
    // unknown-tool
    (
        "print(Tool.get(\"calculater\"))",
        &[(
            "unknown-tool",
            "unknown tool 'calculater' (did you mean 'calculator'?)",
            1,
        )],
    ),
    (
        "print(Agent.create{ tools = { \"calculator\", \"nope\" } })",
        &[("unknown-tool", "unknown tool 'nope'", 1)],
    ),
    (
        "print(Workflow.sequential{ steps = { { tool = \"shout\" } } })",
        &[("unknown-tool", "unknown tool 'shout'", 1)],
    ),
    // Silent: registered in the file (even later), asked with exists, registered dynamically.
    (
        "print(Tool.get(\"shout\"))\nTool.register{ name = \"shout\", description = \"d\", run = function(p) return p end }",
        &[],
    ),
    ("print(Tool.exists(\"nope\"))", &[]),
    (
        "for _, n in ipairs{\"a\"} do Tool.register{ name = n, description = \"d\", run = print } end\nprint(Tool.get(\"a\"))",
        &[],
    ),
    (
        "local reg = Tool.register\nprint(reg, Tool.get(\"x\"))",
        &[],
    ),
    // unknown-provider
    (
        "print(Agent.create{ model = \"nowhere/x\" })",
        &[(
            "unknown-provider",
            "unknown provider 'nowhere' in 'nowhere/x' (known providers: anthropic, mock, ollama, openai)",
            1,
        )],
    ),
    (
        "print(Agent.create{ model = \"openai/gpt-4o-mini\" }, Agent.create{ model = \"mock\" })",
        &[],
    ),
    // undefined-global
    (
        "prnt(\"x\")",
        &[(
            "undefined-global",
            "undefined global 'prnt' (did you mean 'print'?)",
            1,
        )],
    ),
    (
        "do local inner = 1 print(inner) end\nprint(inner)",
        &[("undefined-global", "undefined global 'inner'", 2)],
    ),
    // Silent: assigned globals (even later), functions, disabled names, stdlib, repeat-until
    // locals, dynamic environments, files with syntax errors.
    (
        "function helper() return counter end\ncounter = 1\nprint(helper(), ARGS, string.upper(\"x\"), math.pi)",
        &[],
    ),
    ("print(pcall(require, \"x\"), debug)", &[]),
    ("repeat local done = true until done", &[]),
    ("_G.x = 1\nprint(x)", &[]),
    // unused-local
    (
        "local x = 1\nlocal function f() end\nlocal _ignored = 2",
        &[
            ("unused-local", "unused local 'x'", 1),
            ("unused-local", "unused local function 'f'", 2),
        ],
    ),
    ("local y\ny = 2", &[("unused-local", "unused local 'y'", 1)]),
    // Silent: parameters, loop variables, reads in closures and nested tables.
    (
        "local n = 1\nlocal t = { f = function(ctx) return n end }\nfor k, v in pairs(t) do end\nprint(t)",
        &[],
    ),
    // wrong-argument-count
    (
        "print(Tool.get(\"calculator\", \"extra\"))",
        &[(
            "wrong-argument-count",
            "Tool.get takes 1 argument, got 2",
            1,
        )],
    ),
    (
        "print(Tool.get())",
        &[(
            "wrong-argument-count",
            "Tool.get takes 1 argument, got 0",
            1,
        )],
    ),
    (
        "local a = Agent.create{}\nprint(a:execute())",
        &[(
            "wrong-argument-count",
            "Agent:execute takes 1 argument, got 0",
            2,
        )],
    ),
    // Silent: optional parameters, an open-ended last argument, variadic print, wrong style
    // (reported as wrong-call-style instead), unknown callees.
    (
        "local wf = Workflow.loop{ steps = { { run = print } } }\nprint(wf:execute(), Tool.execute(\"calculator\"))",
        &[],
    ),
    (
        "local function args() return \"calculator\" end\nprint(Tool.get(args()))",
        &[],
    ),
    ("local a = Agent.create{}\nprint(a.execute(a, \"x\"))", &[]),
    // Suppression comments: trailing, on the line before, several codes.
    ("prnt(1) -- llmspell-ignore: undefined-global", &[]),
    (
        "-- llmspell-ignore: undefined-global, unused-local\nlocal x = prnt",
        &[],
    ),
    (
        "-- llmspell-ignore: unused-local\nprnt(1)",
        &[(
            "undefined-global",
            "undefined global 'prnt' (did you mean 'print'?)",
            2,
        )],
    ),
];

fn findings(text: &str, config: &AnalysisConfig) -> Vec<(&'static str, String, usize)> {
    check_lua_with(&parse(text), config)
        .into_iter()
        .map(|d| {
            let line = text[..d.range.start].matches('\n').count() + 1;
            (d.code, d.message, line)
        })
        .collect()
}

#[test]
fn rule_fixtures() {
    let mut failures = Vec::new();
    for (fixture, expected) in CASES {
        let got = findings(fixture, &AnalysisConfig::default());
        let want: Vec<(&str, String, usize)> = expected
            .iter()
            .map(|(c, m, l)| (*c, (*m).to_owned(), *l))
            .collect();
        if got != want {
            failures.push(format!("{fixture:?}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn configuration_adds_providers_globals_tools_and_severities() {
    let text = "print(Agent.create{ model = \"local/llama\" }, helper, Tool.get(\"indexed\"))\nlocal unused = 1";
    let codes = |c: &AnalysisConfig| -> Vec<(&'static str, Severity)> {
        check_lua_with(&parse(text), c)
            .into_iter()
            .map(|d| (d.code, d.severity))
            .collect()
    };
    assert_eq!(
        codes(&AnalysisConfig::default()),
        [
            ("unknown-provider", Severity::Error),
            ("undefined-global", Severity::Warning),
            ("unknown-tool", Severity::Error),
            ("unused-local", Severity::Warning),
        ]
    );
    let mut config = AnalysisConfig {
        providers: vec!["local".into()],
        extra_globals: vec!["helper".into()],
        extra_tools: vec!["indexed".to_owned()].into(),
        ..AnalysisConfig::default()
    };
    config
        .severities
        .insert("unused-local".into(), Some(Severity::Hint));
    assert_eq!(codes(&config), [("unused-local", Severity::Hint)]);
    config.severities.insert("unused-local".into(), None);
    assert!(codes(&config).is_empty());
}

#[test]
fn literal_rules_wait_for_the_string_to_close() {
    // While typing `Tool.get("calc` the unclosed string is a syntax error, not an unknown tool.
    let got = check_lua(&parse("print(Tool.get(\"calc"));
    assert!(got.iter().all(|d| d.code == "syntax-error"), "{got:?}");
}
