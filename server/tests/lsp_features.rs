//! The language server's features end to end, through the real `llmspell lsp` over stdio:
//! pushed and pulled diagnostics, completion, hover and signature help for Lua documents, and
//! no false positives on the examples.

mod lsp_client;

use lsp_client::{LspProcess, Start};
use serde_json::{Value, json};

fn started() -> LspProcess {
    let mut server = LspProcess::start(Start::default());
    server.initialize(Some(&["utf-16"]));
    server.notify("initialized", json!({}));
    server
}

fn open(server: &mut LspProcess, uri: &str, text: &str) {
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "lua", "version": 1, "text": text } }),
    );
}

/// The (code, line) of each diagnostic, sorted.
fn codes_and_lines(diagnostics: &Value) -> Vec<(String, u64)> {
    let mut found: Vec<(String, u64)> = diagnostics
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn diagnostics_are_pushed_and_pulled_alike() {
    let mut server = started();
    let uri = "file:///work/demo.lua";
    let text =
        "local a = Agent.create{ model = \"mock/echo\" }\na.execute(\"x\")\nAgent.craete{}\n";
    open(&mut server, uri, text);
    let pushed = server.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    let expected = vec![
        ("unknown-member".to_owned(), 2),
        ("wrong-call-style".to_owned(), 1),
    ];
    assert_eq!(
        codes_and_lines(&pushed["diagnostics"]),
        expected,
        "{pushed}"
    );
    let unknown = pushed["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["code"] == "unknown-member"))
        .cloned();
    assert_eq!(
        unknown.as_ref().map(|d| d["message"].clone()),
        Some(json!(
            "Agent has no member 'craete' (did you mean 'create'?)"
        ))
    );
    let pulled = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(pulled["result"]["kind"], "full", "{pulled}");
    assert_eq!(
        codes_and_lines(&pulled["result"]["items"]),
        expected,
        "{pulled}"
    );

    // Fixing the code clears the diagnostics on the next push.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 },
                "contentChanges": [{ "text": "local a = Agent.create{ model = \"mock/echo\" }\na:execute(\"x\")\n" }] }),
    );
    let cleared = server.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == 2
    });
    assert_eq!(cleared["diagnostics"], json!([]), "{cleared}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn completion_offers_the_members_of_the_api() {
    let mut server = started();
    let labels = |server: &mut LspProcess, uri: &str, line: u64, character: u64| -> Vec<String> {
        let response = server.call(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        );
        response["result"]
            .as_array()
            .expect("a completion list")
            .iter()
            .map(|item| item["label"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    // One document per cursor: in Lua a newline does not end an expression, so `Agent.` and
    // `a:` in one file would read as one chain.
    open(&mut server, "file:///work/namespace.lua", "Agent.");
    let namespace = labels(&mut server, "file:///work/namespace.lua", 0, 6);
    for expected in ["create", "get", "list"] {
        assert!(
            namespace.contains(&expected.to_owned()),
            "{expected} missing from {namespace:?}"
        );
    }
    open(
        &mut server,
        "file:///work/methods.lua",
        "local a = Agent.create{ model = \"mock/echo\" }\na:",
    );
    let methods = labels(&mut server, "file:///work/methods.lua", 1, 2);
    for expected in ["execute", "stream"] {
        assert!(
            methods.contains(&expected.to_owned()),
            "{expected} missing from {methods:?}"
        );
    }
    assert!(
        !methods.contains(&"create".to_owned()),
        "namespace functions offered on an agent: {methods:?}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// The UTF-16 column of the first `needle` in `line`: the position a UTF-16 client sends.
fn utf16_column(line: &str, needle: &str) -> u64 {
    let byte = line.find(needle).expect("needle in line");
    line[..byte].encode_utf16().count() as u64
}

#[test]
fn hover_shows_the_definition_docs_and_tool_schemas() {
    let mut server = started();
    let uri = "file:///work/hover.lua";
    // The emoji before `create` is two UTF-16 units: the column must be converted, not counted
    // in bytes or characters.
    let line0 = "local s = \"😀\" local a = Agent.create{ temperature = 0.2 }";
    let line1 = "local t = Tool.get(\"calculator\")";
    open(&mut server, uri, &format!("{line0}\n{line1}\n"));
    let hover = |server: &mut LspProcess, line: u64, character: u64| -> Value {
        server.call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )["result"]
            .clone()
    };

    let create_at = utf16_column(line0, "create");
    let create = hover(&mut server, 0, create_at + 2);
    assert_eq!(create["contents"]["kind"], "markdown", "{create}");
    let value = create["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.starts_with("```lua\nAgent.create(config: AgentConfig) -> Agent\n```"),
        "{create}"
    );
    assert_eq!(
        create["range"],
        json!({ "start": { "line": 0, "character": create_at },
                "end": { "line": 0, "character": create_at + 6 } }),
        "{create}"
    );

    let field = hover(&mut server, 0, utf16_column(line0, "temperature") + 1);
    let value = field["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("AgentConfig.temperature: number"), "{field}");
    assert!(value.contains("Range: 0 to 2."), "{field}");

    let tool = hover(&mut server, 1, utf16_column(line1, "calculator") + 3);
    let value = tool["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("| `expression` | string | yes |"), "{tool}");

    // Nothing certain under the cursor: a null result, not an error.
    assert_eq!(hover(&mut server, 0, 0), Value::Null);
    assert_eq!(hover(&mut server, 40, 0), Value::Null);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn signature_help_tracks_the_active_parameter_while_typing() {
    let mut server = started();
    let uri = "file:///work/signature.lua";
    // Mid-typing: the call is not closed.
    let text = "Tool.execute(\"calculator\", ";
    open(&mut server, uri, text);
    let response = server.call(
        "textDocument/signatureHelp",
        json!({ "textDocument": { "uri": uri },
                "position": { "line": 0, "character": text.len() } }),
    );
    let help = &response["result"];
    let signature = &help["signatures"][0];
    let label = signature["label"].as_str().unwrap_or_default();
    assert!(label.starts_with("Tool.execute("), "{response}");
    assert_eq!(help["activeParameter"], 1, "{response}");
    // Each parameter is a [start, end) span of the label, naming that parameter.
    let spans: Vec<String> = signature["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| {
            let [start, end] = [&p["label"][0], &p["label"][1]]
                .map(|v| usize::try_from(v.as_u64().expect("label offsets")).unwrap_or(0));
            label[start..end].to_owned()
        })
        .collect();
    assert!(spans.len() >= 2, "{response}");
    assert!(spans[0].starts_with("name"), "{spans:?}");

    // Outside any call: null.
    let outside = server.call(
        "textDocument/signatureHelp",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(outside["result"], Value::Null, "{outside}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn the_lua_examples_have_no_diagnostics() {
    let mut server = started();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&examples).expect("examples folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "lua") {
            continue;
        }
        let uri = format!("file://{}", path.display());
        open(
            &mut server,
            &uri,
            &std::fs::read_to_string(&path).expect("example"),
        );
        let pushed = server.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str()
        });
        assert_eq!(
            pushed["diagnostics"],
            json!([]),
            "{}: {pushed}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} Lua examples");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn javascript_documents_get_completion_and_diagnostics() {
    let mut server = started();
    let uri = "file:///work/demo.js";
    let text = "const a = Agent.create({ model: \"mock/echo\" });\nconst r = a.execute(\"x\");\nconsole.log(r.text);\nAgent.";
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "javascript", "version": 1, "text": text } }),
    );
    let pushed = server.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    let codes: Vec<&str> = pushed["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"missing-await"), "{pushed}");
    let response = server.call(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 3, "character": 6 } }),
    );
    let labels: Vec<&str> = response["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"create"), "{labels:?}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn the_javascript_examples_have_no_diagnostics() {
    let mut server = started();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&examples).expect("examples folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let uri = format!("file://{}", path.display());
        let text = std::fs::read_to_string(&path).expect("example");
        server.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "javascript", "version": 1, "text": text } }),
        );
        let pushed = server.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str()
        });
        assert_eq!(
            pushed["diagnostics"],
            json!([]),
            "{}: {pushed}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} JavaScript examples");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
