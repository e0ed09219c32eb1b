//! The editor's settings, through the real `llmspell lsp` over stdio: `initializationOptions`
//! at start and `workspace/didChangeConfiguration` later turn diagnostics and the run code lens
//! off and on, and settings of the wrong shape are refused with a message that names the
//! problem while the previous settings stay.

mod lsp_client;

use lsp_client::{LspProcess, Start};
use serde_json::{Value, json};

const TYPO_LUA: &str = "local a = Agent.craete{}\nprint(a)\n";
const URI: &str = "file:///settings/main.lua";

fn start(initialization_options: Value) -> LspProcess {
    let mut server = LspProcess::start(Start::default());
    let response = server.call(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "initializationOptions": initialization_options,
            "capabilities": { "workspace": {
                "codeLens": { "refreshSupport": true },
                "diagnostics": { "refreshSupport": true },
            } },
        }),
    );
    assert!(response.get("result").is_some(), "{response}");
    server.notify("initialized", json!({}));
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "lua", "version": 1, "text": TYPO_LUA } }),
    );
    server
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect()
}

fn published(server: &mut LspProcess, empty: bool) -> Value {
    server.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == URI
            && p["diagnostics"]
                .as_array()
                .is_some_and(|d| d.is_empty() == empty)
    })
}

fn pulled(server: &mut LspProcess) -> Vec<String> {
    let response = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": URI } }),
    );
    codes(&response["result"]["items"])
}

fn lenses(server: &mut LspProcess) -> Value {
    let response = server.call(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": URI } }),
    );
    response["result"].clone()
}

#[test]
fn diagnostics_and_code_lenses_follow_the_settings() {
    let mut server =
        start(json!({ "diagnostics": { "enable": false }, "codeLens": { "enable": false } }));
    // Off from the start: the document is published with nothing, pulls give nothing.
    published(&mut server, true);
    assert_eq!(pulled(&mut server), Vec::<String>::new());
    assert_eq!(lenses(&mut server), Value::Null);

    // Turned on as VS Code sends it: the whole `llmspell` section, with the extension's own
    // settings beside the server's.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "llmspell": {
            "server": { "path": "", "extraArgs": [] },
            "trace": { "server": "off" },
            "diagnostics": { "enable": true },
            "codeLens": { "enable": true },
        } } }),
    );
    let shown = published(&mut server, false);
    assert_eq!(codes(&shown["diagnostics"]), ["unknown-member"], "{shown}");
    assert_eq!(pulled(&mut server), ["unknown-member"]);
    let titles: Vec<String> = lenses(&mut server)
        .as_array()
        .expect("code lenses")
        .iter()
        .filter_map(|l| l["command"]["title"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(titles, ["▶ Run"]);
    // The client is asked for code lenses again, and, since it pulls too, to pull again.
    for method in ["workspace/codeLens/refresh", "workspace/diagnostic/refresh"] {
        assert!(
            server.server_requests.iter().any(|r| r["method"] == method),
            "no {method} among {:?}",
            server.server_requests
        );
    }

    // Off again: the shown diagnostics are cleared at once, without an edit.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "llmspell": { "diagnostics": { "enable": false } } } }),
    );
    published(&mut server, true);
    assert_eq!(pulled(&mut server), Vec::<String>::new());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn settings_of_the_wrong_shape_are_refused_by_name_and_change_nothing() {
    let mut server = start(json!({ "diagnostics": { "enable": "no" } }));
    let warning = server.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("settings were not applied"))
    });
    let message = warning["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("\"no\"") && message.contains("boolean"),
        "{message}"
    );
    assert_eq!(warning["type"], 2, "a warning: {warning}");
    // The defaults stay: diagnostics are on.
    let shown = published(&mut server, false);
    assert_eq!(codes(&shown["diagnostics"]), ["unknown-member"], "{shown}");

    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "llmspell": { "codeLens": 5 } } }),
    );
    server.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("settings were not applied") && m.contains("integer `5`"))
    });
    assert_eq!(pulled(&mut server), ["unknown-member"]);
    assert!(
        lenses(&mut server)
            .as_array()
            .is_some_and(|l| !l.is_empty())
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
