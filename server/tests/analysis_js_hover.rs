//! JavaScript hover and signature help as data: fixtures with a `$0` cursor, the word the hover
//! covers and fragments its Markdown must hold; the signature label and active parameter; and
//! the places where both must stay silent.

use llmspell_server::analysis::js::{hover, parse, signature_help};

fn split(fixture: &str) -> (String, usize) {
    let offset = fixture.find("$0").expect("fixture has a $0 cursor");
    (fixture.replacen("$0", "", 1), offset)
}

/// (fixture, hovered word, fragments of the Markdown).
const HOVERS: &[(&str, &str, &[&str])] = &[
    (
        "const a = Ag$0ent.create({});",
        "Agent",
        &["```js\nAgent: AgentApi\n```", "`create`"],
    ),
    (
        "const a = Agent.cre$0ate({ model: \"mock/echo\" });",
        "create",
        &[
            "```js\nAgent.create(config: AgentConfig): Agent\n```",
            "Creates an agent.",
            "```js\n",
        ],
    ),
    (
        "const a = Agent.create({});\nconst r = await a.exec$0ute(\"hi\");",
        "execute",
        &["Agent.execute(input: string | AgentRequest): Promise<AgentResult>"],
    ),
    (
        "const a = Agent.create({});\nconst r = await a.execute(\"hi\");\nr.te$0xt;",
        "text",
        &["AgentResult.text: string"],
    ),
    (
        "const a$0 = Agent.create({});",
        "a",
        &["```js\nconst a: Agent\n```"],
    ),
    (
        "const a = Agent.create({});\nconst p = a.execute(\"x\");\np$0;",
        "p",
        &["const p: Promise<AgentResult>"],
    ),
    (
        "Agent.create({ model: \"mock/echo\", tempera$0ture: 0.2 });",
        "temperature",
        &["AgentConfig.temperature: number", "Range: 0 to 2."],
    ),
    (
        "Workflow.sequential({ name: \"w\", steps: [{ name: \"s\", para$0ms: {} }] });",
        "params",
        &["Step.params: "],
    ),
    (
        "const t = Tool.get(\"hash\");\nawait t.execute({ input: \"x\", algo$0rithm: \"md5\" });",
        "algorithm",
        &[
            "```js\nhash.algorithm: string\n```",
            "One of: `sha256`, `sha1`, `md5`.",
        ],
    ),
    (
        "const t = Tool.get(\"calcu$0lator\");",
        "\"calculator\"",
        &["**calculator** (built-in tool)", "| `expression` |"],
    ),
    (
        "Workflow.sequential({ name: \"w\", steps: [{ name: \"s\", tool: \"calcu$0lator\" }] });",
        "\"calculator\"",
        &["**calculator** (built-in tool)"],
    ),
];

#[test]
fn hover_fixtures() {
    let mut failures = Vec::new();
    for (fixture, word, fragments) in HOVERS {
        let (text, offset) = split(fixture);
        let Some(found) = hover(&parse(&text), offset) else {
            failures.push(format!("{fixture:?}: no hover"));
            continue;
        };
        let covered = &text[found.range.start..found.range.end];
        if covered != *word {
            failures.push(format!("{fixture:?}: covers {covered:?}, not {word:?}"));
        }
        for f in *fragments {
            if !found.markdown.contains(f) {
                failures.push(format!(
                    "{fixture:?}: {f:?} missing from\n{}",
                    found.markdown
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_hover_where_nothing_is_certain() {
    for fixture in [
        "const x = 1;\nconsole.log(x$0);",
        "let a = Agent.create({});\na = 5;\nconsole.log(a$0);",
        "const t = {};\nt.fo$0o;",
        "Agent.nope$0();",
        "const t = { mod$0el: 1 };",
        "Agent.create({ colour$0: 1 });",
        "console.log(\"calcu$0lator\");",
        "Tool.get(\"nope$0\");",
        "// Agent.cre$0ate",
        "const a = 1;   $0   ",
        "$0",
        "const o = { metadata: { tool: \"calcu$0lator\" } };",
    ] {
        let (text, offset) = split(fixture);
        let found = hover(&parse(&text), offset);
        assert!(found.is_none(), "{fixture:?} gave {found:?}");
    }
}

/// (fixture, label prefix, active parameter).
const SIGNATURES: &[(&str, &str, usize)] = &[
    (
        "const a = Agent.create($0",
        "Agent.create(config: AgentConfig): Agent",
        0,
    ),
    (
        "const a = Agent.create({ model: \"mock/echo\", $0",
        "Agent.create(config: AgentConfig): Agent",
        0,
    ),
    (
        "const a = Agent.create({ $0 });",
        "Agent.create(config: AgentConfig): Agent",
        0,
    ),
    (
        "const a = Agent.create({});\nconst r = await a.execute(\"hi\"$0);",
        "Agent.execute(input: string | AgentRequest): Promise<AgentResult>",
        0,
    ),
    (
        "await Tool.execute(\"calculator\", $0);",
        "Tool.execute(",
        1,
    ),
    ("await Tool.execute(String(\"x\"), $0", "Tool.execute(", 1),
    ("const r = (Agent.get($0", "Agent.get(name: string)", 0),
    ("console.log(1, 2, $0", "console.log(...values: any)", 0),
];

#[test]
fn signature_fixtures() {
    let mut failures = Vec::new();
    for (fixture, label, active) in SIGNATURES {
        let (text, offset) = split(fixture);
        match signature_help(&parse(&text), offset) {
            None => failures.push(format!("{fixture:?}: no signature help")),
            Some(found) => {
                if !found.label.starts_with(label) {
                    failures.push(format!("{fixture:?}: label {:?}", found.label));
                }
                if found.active_parameter != *active {
                    failures.push(format!("{fixture:?}: active {}", found.active_parameter));
                }
                for (param, _) in &found.parameters {
                    if !found.label.contains(param.as_str()) {
                        failures.push(format!("{fixture:?}: {param:?} not in the label"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_signature_outside_an_api_call() {
    for fixture in [
        "foo($0",
        "foo(Agent.create, $0",
        "Agent.create({ steps: [1], run: (x) => { $0 } });",
        "Agent.create({ run(x) { $0 } });",
        "const a = [$0",
        "$0",
    ] {
        let (text, offset) = split(fixture);
        let found = signature_help(&parse(&text), offset);
        assert!(found.is_none(), "{fixture:?} gave {found:?}");
    }
}

#[test]
fn every_offset_of_hostile_input_is_answered() {
    for text in [
        "Agent.create({ model: \"é\u{1F600}\", `${",
        "((((((((((Agent.create({",
        "const a = Agent.create({});\na.execute(\"x\", {",
        "/* unterminated",
    ] {
        let p = parse(text);
        for offset in 0..=text.len() + 2 {
            let _ = hover(&p, offset);
            let _ = signature_help(&p, offset);
        }
    }
}
