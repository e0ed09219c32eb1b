//! JavaScript analysis as data: completion fixtures with a `$0` cursor (labels present and
//! absent, snippets), inference fixtures, diagnostic fixtures (positive and negative), the
//! examples as a no-false-positive corpus, and hostile input that must not crash.

use llmspell_server::analysis::Completion;
use llmspell_server::analysis::diagnostics::{check_js, check_js_with};
use llmspell_server::analysis::js::types::Val;
use llmspell_server::analysis::js::{complete, parse};

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
        fixture: "const x = 1;\nAgent.$0",
        present: &["create", "get", "list"],
        absent: &["execute", "console", "x"],
    },
    CompletionCase {
        name: "namespace members while typing a member name",
        fixture: "const a = Agent.cr$0",
        present: &["create", "get"],
        absent: &["Agent"],
    },
    CompletionCase {
        name: "Tool and Workflow namespaces",
        fixture: "Tool.$0\n",
        present: &["get", "register", "execute", "list"],
        absent: &["sequential"],
    },
    CompletionCase {
        name: "Workflow namespace",
        fixture: "const w = Workflow.$0",
        present: &["sequential", "parallel", "conditional", "loop"],
        absent: &["get"],
    },
    CompletionCase {
        name: "console",
        fixture: "console.$0",
        present: &["log", "warn", "error", "info"],
        absent: &["create"],
    },
    CompletionCase {
        name: "methods and fields of an inferred agent",
        fixture: "const a = Agent.create({ model: \"mock/echo\" });\nconsole.log(a.$0)",
        present: &["execute", "stream", "name", "model"],
        absent: &["create"],
    },
    CompletionCase {
        name: "an inferred tool",
        fixture: "const t = Tool.get(\"calculator\");\nt.$0",
        present: &["execute", "name", "description", "schema"],
        absent: &["get"],
    },
    CompletionCase {
        name: "an inferred workflow",
        fixture: "const wf = Workflow.sequential({ name: \"w\", steps: [] });\nwf.$0",
        present: &["execute", "name", "kind"],
        absent: &["sequential"],
    },
    CompletionCase {
        name: "fields of an awaited AgentResult",
        fixture: "const a = Agent.create({});\nconst r = await a.execute(\"hi\");\nr.$0",
        present: &["text", "usage", "tool_calls", "finish_reason", "model"],
        absent: &["execute", "then"],
    },
    CompletionCase {
        name: "fields through a chain",
        fixture: "const a = Agent.create({});\nconst r = await a.execute(\"hi\");\nr.usage.$0",
        present: &["input_tokens", "output_tokens"],
        absent: &["text"],
    },
    CompletionCase {
        name: "a Promise without await offers then/catch only",
        fixture: "const a = Agent.create({});\nconst p = a.execute(\"hi\");\np.$0",
        present: &["then", "catch", "finally"],
        absent: &["text"],
    },
    CompletionCase {
        name: "optional chaining",
        fixture: "const a = Agent.get(\"x\");\na?.$0",
        present: &["execute", "name"],
        absent: &[],
    },
    CompletionCase {
        name: "config fields inside an unclosed `Agent.create({ `",
        fixture: "const a = Agent.create({ $0",
        present: &["model", "name", "system", "temperature", "tools"],
        absent: &["Agent", "const"],
    },
    CompletionCase {
        name: "config fields skip keys already written",
        fixture: "const a = Agent.create({ model: \"x\", $0 })",
        present: &["name", "system"],
        absent: &["model"],
    },
    CompletionCase {
        name: "config field while typing its name",
        fixture: "const a = Agent.create({ te$0 })",
        present: &["temperature"],
        absent: &[],
    },
    CompletionCase {
        name: "tool names inside an unclosed `Tool.get(\"`",
        fixture: "const t = Tool.get(\"$0",
        present: &["calculator", "sleep"],
        absent: &["Agent"],
    },
    CompletionCase {
        name: "tool names inside a closed string",
        fixture: "const t = Tool.get(\"ca$0\");",
        present: &["calculator"],
        absent: &[],
    },
    CompletionCase {
        name: "tool names include the tools the file registers",
        fixture: "Tool.register({ name: \"shout\", description: \"d\", run: (p) => p });\nTool.get(\"$0\");",
        present: &["shout", "calculator"],
        absent: &[],
    },
    CompletionCase {
        name: "tool names as a step's `tool: \"`",
        fixture: "Workflow.sequential({ steps: [{ tool: \"$0\" }] });",
        present: &["calculator", "text"],
        absent: &["Agent"],
    },
    CompletionCase {
        name: "model strings inside an agent's `model: \"`",
        fixture: "const a = Agent.create({ model: \"$0\" });",
        present: &["mock/echo", "openai/", "anthropic/", "ollama/"],
        absent: &["calculator"],
    },
    CompletionCase {
        name: "a config field's allowed values inside its string",
        fixture: "const a = Agent.create({});\nawait a.execute({ messages: [{ role: \"$0\" }] });",
        present: &["system", "user", "assistant"],
        absent: &["calculator"],
    },
    CompletionCase {
        name: "tool parameters inside `tool.execute({` of a const from Tool.get",
        fixture: "const calc = Tool.get(\"calculator\");\nconsole.log((await calc.execute({ $0",
        present: &["expression"],
        absent: &["text", "model", "Agent"],
    },
    CompletionCase {
        name: "tool parameters skip the ones written, on a new line after the declaration",
        fixture: "const h = Tool.get(\"hash\")\nconst r = await h.execute({ input: \"x\", $0 });",
        present: &["algorithm"],
        absent: &["input", "expression"],
    },
    CompletionCase {
        name: "tool parameters of `Tool.get(...)` called directly, while typing a key",
        fixture: "await Tool.get(\"text\").execute({ op$0 });",
        present: &["operation", "text", "pattern"],
        absent: &["expression"],
    },
    CompletionCase {
        name: "tool parameters as the second argument of Tool.execute",
        fixture: "const r = await Tool.execute(\"hash\", { $0",
        present: &["input", "algorithm"],
        absent: &["expression"],
    },
    CompletionCase {
        name: "tool parameters in a step's `params` beside `tool`",
        fixture: "Workflow.sequential({ steps: [{ tool: \"text\", params: { $0 } }] });",
        present: &["text", "operation"],
        absent: &["steps", "expression"],
    },
    CompletionCase {
        name: "a tool parameter's allowed values inside its string",
        fixture: "const t = Tool.get(\"text\");\nawait t.execute({ text: \"a\", operation: \"$0\" });",
        present: &["upper", "split"],
        absent: &["calculator"],
    },
    CompletionCase {
        name: "a tool parameter's allowed values after `:`",
        fixture: "await Tool.execute(\"hash\", { input: \"x\", algorithm: $0",
        present: &["\"sha256\"", "\"md5\""],
        absent: &[],
    },
    CompletionCase {
        name: "no tool parameters for a `let` assigned again",
        fixture: "let t = Tool.get(\"calculator\");\nt = Tool.get(\"hash\");\nawait t.execute({ $0",
        present: &[],
        absent: &["expression", "input"],
    },
    CompletionCase {
        name: "no tool parameters when the initializer goes on",
        fixture: "const t = Tool.get(\"calculator\") || Tool.get(\"hash\");\nawait t.execute({ $0",
        present: &[],
        absent: &["expression", "input"],
    },
    CompletionCase {
        name: "globals, stdlib and declared names",
        fixture: "const assistant = Agent.create({});\nlet n = 1;\n$0",
        present: &[
            "Agent",
            "Tool",
            "Workflow",
            "console",
            "ARGS",
            "JSON",
            "Promise",
            "assistant",
            "n",
        ],
        absent: &["print"],
    },
    CompletionCase {
        name: "nothing where a new name is declared",
        fixture: "const $0",
        present: &[],
        absent: &["Agent"],
    },
    CompletionCase {
        name: "nothing in a comment",
        fixture: "// Agent.$0",
        present: &[],
        absent: &["create", "Agent"],
    },
    CompletionCase {
        name: "nothing in a plain string",
        fixture: "console.log(\"Agent.$0\")",
        present: &[],
        absent: &["create"],
    },
    CompletionCase {
        name: "members inside a template interpolation",
        fixture: "const a = Agent.create({});\nconsole.log(`name: ${a.$0} done`);",
        present: &["execute", "name", "model"],
        absent: &["create"],
    },
    CompletionCase {
        name: "members inside an unclosed template interpolation",
        fixture: "const a = Agent.create({});\nconst r = await a.execute(\"x\");\nconsole.log(`${r.$0",
        present: &["text", "usage"],
        absent: &[],
    },
    CompletionCase {
        name: "globals inside a nested template interpolation",
        fixture: "const n = 1;\nconst s = `a ${`b ${$0}`}`;",
        present: &["n", "Agent"],
        absent: &[],
    },
    CompletionCase {
        name: "nothing in a template's text",
        fixture: "const s = `Agent.$0 ${1}`;",
        present: &[],
        absent: &["create", "Agent"],
    },
    CompletionCase {
        name: "mid-file, with valid code after the incomplete line",
        fixture: "const assistant = Agent.create({});\nassistant.$0\nconst result = await assistant.execute(\"x\");\nconsole.log(result.text);",
        present: &["execute", "stream", "name"],
        absent: &["create"],
    },
    CompletionCase {
        name: "a result field being typed mid-file",
        fixture: "const a = Agent.create({});\nconst r = await a.execute(\"x\");\nconsole.log(r.te$0);\nconsole.log(1);",
        present: &["text"],
        absent: &[],
    },
    CompletionCase {
        name: "unknown receivers give nothing",
        fixture: "const x = foo();\nx.$0",
        present: &[],
        absent: &["execute", "text"],
    },
    CompletionCase {
        name: "a parameter shadows an outer inferred name",
        fixture: "const r = Agent.create({});\n[1].map((r) => r.$0)",
        present: &[],
        absent: &["execute"],
    },
];

#[test]
fn completion_fixtures() {
    let mut failures = Vec::new();
    for case in COMPLETION_CASES {
        let got = complete_at(case.fixture);
        let labels: Vec<&str> = got.iter().map(|c| c.label.as_str()).collect();
        for want in case.present {
            if !labels.contains(want) {
                failures.push(format!("{}: missing {want:?} in {labels:?}", case.name));
            }
        }
        for not in case.absent {
            if labels.contains(not) {
                failures.push(format!("{}: unexpected {not:?}", case.name));
            }
        }
        if case.present.is_empty() && case.absent.contains(&"Agent") && !labels.is_empty() {
            failures.push(format!("{}: expected nothing, got {labels:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn completion_snippets_details_and_ranges() {
    let got = complete_at("const a = Agent.create({ $0");
    let model = got.iter().find(|c| c.label == "model").expect("model");
    assert_eq!(model.snippet.as_deref(), Some("model: \"$1\""));
    let text = "const a = Agent.create({});\na.exe";
    let got = complete(&parse(text), text.len());
    let exec = got.iter().find(|c| c.label == "execute").expect("execute");
    assert_eq!(
        exec.replace.start,
        text.len() - 3,
        "replaces the typed prefix"
    );
    assert!(
        exec.detail
            .as_deref()
            .unwrap_or("")
            .contains("Promise<AgentResult>"),
        "{:?}",
        exec.detail
    );
    let text = "Tool.get(\"calc\")";
    let got = complete(&parse(text), 13);
    let calc = got
        .iter()
        .find(|c| c.label == "calculator")
        .expect("calculator");
    assert_eq!(
        (calc.replace.start, calc.replace.end),
        (10, 14),
        "replaces the string contents"
    );
}

/// `(source, binding name, expected type name or "?" for unknown, "promise:" prefix)`.
const INFERENCE_CASES: &[(&str, &str, &str)] = &[
    ("const a = Agent.create({ model: \"m\" });", "a", "Agent"),
    ("const t = Tool.get(\"calculator\");", "t", "Tool"),
    (
        "const wf = Workflow.sequential({ steps: [] });",
        "wf",
        "Workflow",
    ),
    (
        "const a = Agent.create({});\nconst r = await a.execute(\"x\");",
        "r",
        "AgentResult",
    ),
    (
        "const a = Agent.create({});\nconst r = a.execute(\"x\");",
        "r",
        "promise:AgentResult",
    ),
    (
        "const a = Agent.create({});\nconst r = (await a.execute(\"x\")).usage;",
        "r",
        "Usage",
    ),
    (
        "const wf = Workflow.loop({});\nlet out = await wf.execute(1);",
        "out",
        "WorkflowResult",
    ),
    ("const a = Agent.create({}) || other;", "a", "?"),
    ("let a = Agent.create({});\na = 5;", "a", "?"),
    ("const a = cond ? Agent.create({}) : null;", "a", "?"),
    ("const a = new Agent.create({});", "a", "?"),
];

#[test]
fn inference_fixtures() {
    let mut failures = Vec::new();
    for (src, name, want) in INFERENCE_CASES {
        let p = parse(src);
        let b = p
            .bindings
            .iter()
            .rev()
            .find(|b| b.name == *name)
            .expect(name);
        let got = match b.ty {
            Val::Type(t) => t.name.clone(),
            Val::Promise(Some(t)) => format!("promise:{}", t.name),
            _ => "?".into(),
        };
        if got != *want {
            failures.push(format!("{src:?}: {name} is {got}, want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `(source, expected (code, line) list)`; an empty list is a negative case.
const DIAGNOSTIC_CASES: &[(&str, &[(&str, usize)])] = &[
    // syntax-error
    ("const a = ;", &[("syntax-error", 1)]),
    ("const a = Agent.create({\n", &[("syntax-error", 2)]),
    ("const r = await Promise.resolve(1);\nconsole.log(r);", &[]),
    // unknown-member
    ("Agent.craete({});", &[("unknown-member", 1)]),
    (
        "const a = Agent.create({});\nawait a.exeucte(\"x\");",
        &[("unknown-member", 2)],
    ),
    (
        "const a = Agent.create({});\nconst r = await a.execute(\"x\");\nconsole.log(r.txt);",
        &[("unknown-member", 3)],
    ),
    ("console.lgo(1);", &[("unknown-member", 1)]),
    (
        "const a = Agent.create({});\nconsole.log(a.toString());",
        &[],
    ),
    ("const x = foo();\nx.whatever;", &[]),
    (
        "const r = Agent.create({});\n[1].map((r) => r.anything);",
        &[],
    ),
    (
        "const Agent = {};\nAgent.custom = 1;\nconsole.log(Agent.custom);",
        &[],
    ),
    (
        "const a = Agent.create({});\nconst s = a.stream(\"x\");\nconsole.log(s.whatever);",
        &[],
    ),
    // mid-typing `a.` above the next statement: the syntax error only
    (
        "const a = Agent.create({});\na.\nconst r = 1;",
        &[("syntax-error", 3)],
    ),
    // missing-await
    (
        "const a = Agent.create({});\nconst r = a.execute(\"x\");\nconsole.log(r.text);",
        &[("missing-await", 3)],
    ),
    (
        "const a = Agent.create({});\nconsole.log((a.execute(\"x\")).text);",
        &[("missing-await", 2)],
    ),
    (
        "const a = Agent.create({});\nconsole.log(a.execute(\"x\").text);",
        &[("missing-await", 2)],
    ),
    (
        "const t = Tool.get(\"calculator\");\nconst r = t.execute({ expression: \"1\" });\nr.result;",
        &[("missing-await", 3)],
    ),
    (
        "const a = Agent.create({});\nconst r = await a.execute(\"x\");\nconsole.log(r.text);",
        &[],
    ),
    (
        "const a = Agent.create({});\nconsole.log((await a.execute(\"x\")).text);",
        &[],
    ),
    (
        "const a = Agent.create({});\nasync function f() { return a.execute(\"x\"); }",
        &[],
    ),
    (
        "const a = Agent.create({});\nconst p = a.execute(\"x\");\nconst r = await p;\nconsole.log(r.text);",
        &[],
    ),
    (
        "const a = Agent.create({});\nconst rs = await Promise.all([a.execute(\"x\"), a.execute(\"y\")]);\nconsole.log(rs[0].text);",
        &[],
    ),
    (
        "const a = Agent.create({});\na.execute(\"x\").then((r) => console.log(r.text));",
        &[],
    ),
    (
        "const a = Agent.create({});\nconsole.log(a.execute(\"x\"));",
        &[],
    ),
    (
        "const a = Agent.create({});\nlet r = a.execute(\"x\");\nr = await r;\nconsole.log(r.text);",
        &[],
    ),
    // The config-table rules, on the same literal walk as Lua's.
    (
        "Agent.create({ model: \"mock/echo\", temprature: 1 });",
        &[("unknown-config-field", 1)],
    ),
    (
        "Agent.create({ model: \"mock/echo\", foo: null });",
        &[("unknown-config-field", 1)],
    ),
    ("Agent.create({ model: \"mock/echo\", ...extra });", &[]),
    ("Agent.create({ model: \"mock/echo\", [key]: 1 });", &[]),
    (
        "Agent.create({ model: \"mock/echo\", temperature: 5 });",
        &[("wrong-literal-type", 1)],
    ),
    (
        "Agent.create({ model: \"mock/echo\", temperature: \"hot\" });",
        &[("wrong-literal-type", 1)],
    ),
    (
        "Agent.create({ model: \"mock/echo\", temperature: t });",
        &[],
    ),
    (
        "Agent.create({ model: \"mock/echo\", temperature: -0.5 });",
        &[("wrong-literal-type", 1)],
    ),
    (
        "Agent.create({ model: \"mock/echo\", tools: \"calculator\" });",
        &[("wrong-literal-type", 1)],
    ),
    ("Agent.create({ model: \"mock/echo\", tools: [] });", &[]),
    (
        "Agent.create({ model: \"nowhere/x\" });",
        &[("unknown-provider", 1)],
    ),
    ("Agent.create({ model: `mock/${m}` });", &[]),
    ("Tool.get(\"calculater\");", &[("unknown-tool", 1)]),
    ("Tool.get(name);", &[]),
    ("Tool.exists(\"calculater\");", &[]),
    (
        "Tool.register({ name: \"mine\", description: \"d\", run: (p) => p });\nawait Tool.execute(\"mine\", {});",
        &[],
    ),
    (
        "Tool.register({ name: \"mine\", description: \"d\", async run(p) { return p; } });\nTool.get(\"mien\");",
        &[("unknown-tool", 2)],
    ),
    ("Tool.register({ ...spec });\nTool.get(\"anything\");", &[]),
    (
        "Workflow.sequential({ name: \"w\" });",
        &[("missing-required-field", 1)],
    ),
    (
        "Workflow.sequential({ name: \"w\", steps: [{ name: \"s\" }] });",
        &[("missing-required-field", 1)],
    ),
    (
        "Workflow.sequential({ name: \"w\", steps: [{ name: \"s\", tool: \"calculater\" }] });",
        &[("unknown-tool", 1)],
    ),
    ("Agent.create();", &[("wrong-argument-count", 1)]),
    ("Agent.create({ model: \"mock/echo\" }, 1);", &[]),
    ("Agent.create(...args);", &[]),
    // Suppressions, line and block comments.
    (
        "Agent.create({ model: \"mock/echo\", temperature: 5 }); // llmspell-ignore: wrong-literal-type",
        &[],
    ),
    (
        "// llmspell-ignore: unknown-tool\nTool.get(\"calculater\");",
        &[],
    ),
    (
        "/* llmspell-ignore: unknown-tool */\nTool.get(\"calculater\");",
        &[],
    ),
    (
        "// llmspell-ignore: unknown-member\nTool.get(\"calculater\");",
        &[("unknown-tool", 2)],
    ),
];

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[test]
fn diagnostic_fixtures() {
    let mut failures = Vec::new();
    for (src, want) in DIAGNOSTIC_CASES {
        let got: Vec<(&str, usize)> = check_js(&parse(src))
            .iter()
            .map(|d| (d.code, line_of(src, d.range.start)))
            .collect();
        if got != *want {
            failures.push(format!("{src:?}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn diagnostic_messages() {
    let d = check_js(&parse("Agent.craete({});"));
    assert_eq!(
        d[0].message,
        "Agent has no member 'craete' (did you mean 'create'?)"
    );
    // The runtime's own words (`Agent.create: field 'temperature' must be between 0 and 2, got 5`).
    let src = "Agent.create({ model: \"mock/echo\", temperature: 5, tols: [] });";
    let messages: Vec<String> = check_js(&parse(src))
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages,
        [
            "field 'temperature' must be between 0 and 2, got 5",
            "unknown field 'tols' (did you mean 'tools'?)"
        ]
    );
    let src = "const a = Agent.create({});\nconst r = a.execute(\"x\");\nr.text;";
    let d = check_js(&parse(src));
    assert_eq!(&src[d[0].range.start..d[0].range.end], "r");
    assert!(d[0].message.contains("await"), "{}", d[0].message);
}

#[test]
fn every_example_is_diagnostic_free() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("examples dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "js") {
            let text = std::fs::read_to_string(&path).expect("read example");
            // As the editor sees them: with the examples' llmspell.toml (its `scripted` provider).
            let config = llmspell_server::project::analysis_config_for_folder(&dir);
            for d in check_js_with(&parse(&text), &config) {
                failures.push(format!(
                    "{}:{}: {} {}",
                    path.display(),
                    line_of(&text, d.range.start),
                    d.code,
                    d.message
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 10, "only {checked} examples found");
}

#[test]
fn deep_nesting_is_reported_not_crashed() {
    let parens = format!("const x = {}1{};", "(".repeat(10_000), ")".repeat(10_000));
    let brackets = format!("const x = {}1{};", "[".repeat(10_000), "]".repeat(10_000));
    let unclosed = "{".repeat(10_000);
    let template = format!("const x = {}{};", "`${".repeat(10_000), "}`".repeat(10_000));
    // swc also recurses on prefix operators, arrows, assignments and long operator chains.
    let unary = format!("const x = {}1;", "- ".repeat(10_000));
    let arrows = format!("const f = {}1;", "a =>\n".repeat(10_000));
    let awaits = format!("{}1;", "await ".repeat(10_000));
    let assigns = format!("{}1;", "x\n= ".repeat(10_000));
    let sums = format!("const x = {}1;", "1 + ".repeat(100_000));
    let members = format!("const x = a{};", ".b".repeat(100_000));
    for text in [
        parens, brackets, unclosed, template, unary, arrows, awaits, assigns, sums, members,
    ] {
        let parsed = parse(&text);
        let codes: Vec<&str> = check_js(&parsed).iter().map(|d| d.code).collect();
        assert_eq!(codes, ["nesting-too-deep"]);
        let _ = complete(&parsed, text.len() / 2);
        let _ = complete(&parsed, text.len());
    }
    // Just under the cap still parses, on the big-stack thread.
    let ok = format!(
        "const x = {}1{};\nconsole.log(x);",
        "(".repeat(150),
        ")".repeat(150)
    );
    assert!(check_js(&parse(&ok)).is_empty());
    // Many short statements, with or without semicolons, are not nesting.
    let flat = "let x = 1\nx = x + 1\nconsole.log(-x, !x, typeof x)\n".repeat(5_000);
    assert!(check_js(&parse(&flat)).is_empty());
}

#[test]
fn hostile_input_never_panics() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces = [
        "Agent",
        ".",
        "?.",
        "create",
        "{",
        "}",
        "(",
        ")",
        "\"",
        "'",
        "`",
        "${",
        "/",
        "*",
        "//",
        "/*",
        "*/",
        "const ",
        "a",
        "=",
        "=>",
        ",",
        "await ",
        "function",
        "\n",
        "é",
        "\u{0}",
        "[",
        "]",
        "Tool.get(\"",
        "1e",
        "0x",
        "\\",
        "#",
        "@",
        "execute",
    ];
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..40 {
            text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        let parsed = parse(&text);
        let _ = check_js(&parsed);
        for offset in 0..=text.len() + 2 {
            let _ = complete(&parsed, offset);
        }
    }
    // Random bytes, made text the way the server does (lossy UTF-8).
    for _ in 0..200 {
        let bytes: Vec<u8> = (0..200).map(|_| next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let parsed = parse(&text);
        let _ = check_js(&parsed);
        for offset in (0..=text.len() + 1).step_by(7) {
            let _ = complete(&parsed, offset);
        }
    }
}
