//! Changes made on disk outside the editor, through the real `llmspell lsp` over stdio: the
//! server asks the client to watch `llmspell.toml` and the scripts, and when the client reports
//! a change (a new rule severity in the config, a tool registered in a new file), the open
//! documents' diagnostics are published again under the new facts, with no edit to them.

mod lsp_client;

use lsp_client::{LspProcess, Start};
use serde_json::{Value, json};

const MAIN_LUA: &str = "local unused = 1\nprint(Tool.get(\"weather\"))\n";

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn config_and_scripts_changed_on_disk_refresh_open_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("llmspell.toml"),
        "default_model = \"mock/echo\"\n",
    )
    .expect("write config");
    std::fs::write(dir.path().join("main.lua"), MAIN_LUA).expect("write main.lua");
    let root = format!("file://{}", dir.path().display());
    let main = format!("{root}/main.lua");

    let mut server = LspProcess::start(Start::default());
    let response = server.call(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root,
            "workspaceFolders": [{ "uri": root, "name": "w" }],
            "capabilities": {
                "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
            },
        }),
    );
    assert!(response.get("result").is_some(), "{response}");
    server.notify("initialized", json!({}));
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": main, "languageId": "lua", "version": 1, "text": MAIN_LUA } }),
    );
    let first = server.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == main.as_str() && codes(p).len() == 2
    });
    assert_eq!(codes(&first), ["unused-local", "unknown-tool"], "{first}");
    // The index announces itself once built; by then the registration request has been sent.
    server.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("llmspell: workspace indexed"))
    });
    let registration = server
        .server_requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .expect("the server asks the client to watch files");
    let watchers = &registration["params"]["registrations"][0];
    assert_eq!(watchers["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = watchers["registerOptions"]["watchers"]
        .as_array()
        .expect("watchers")
        .iter()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    assert!(globs.contains(&"**/llmspell.toml"), "{registration}");
    assert!(globs.contains(&"**/*.lua"), "{registration}");

    // Outside the editor: the config turns `unused-local` off and a new file registers the
    // tool. Neither file is open; only the watcher tells the server.
    std::fs::write(
        dir.path().join("llmspell.toml"),
        "default_model = \"mock/echo\"\n[lint.rules]\nunused-local = \"off\"\n",
    )
    .expect("rewrite config");
    std::fs::write(
        dir.path().join("tools.lua"),
        "Tool.register{ name = \"weather\", description = \"d\", run = function(p) return p end }\n",
    )
    .expect("write tools.lua");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [
            { "uri": format!("{root}/llmspell.toml"), "type": 2 },
            { "uri": format!("{root}/tools.lua"), "type": 1 },
        ] }),
    );
    let refreshed = server.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == main.as_str() && codes(p).is_empty()
    });
    assert_eq!(refreshed["version"], 1, "{refreshed}");

    // Deleting the file takes its tool away again.
    std::fs::remove_file(dir.path().join("tools.lua")).expect("delete tools.lua");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("{root}/tools.lua"), "type": 3 }] }),
    );
    // (A publication still in flight from before would carry both codes; the config keeps
    // `unused-local` off from now on, so only `unknown-tool` alone proves the refresh.)
    server.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == main.as_str() && codes(p) == ["unknown-tool"]
    });
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn clients_that_cannot_watch_are_not_asked_to() {
    let mut server = LspProcess::start(Start::default());
    server.initialize(Some(&["utf-16"]));
    server.notify("initialized", json!({}));
    // A request after `initialized` is answered after anything the server sent before it.
    let answered = server.call(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere.lua" }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(answered.get("result").is_some(), "{answered}");
    assert!(
        server
            .server_requests
            .iter()
            .all(|r| r["method"] != "client/registerCapability"),
        "{:?}",
        server.server_requests
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
