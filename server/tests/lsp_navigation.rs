//! Navigation and quick fixes end to end, through the real `llmspell lsp` over stdio, on a
//! workspace folder on disk: go to definition of locals and of tools and agents registered in
//! other files (found by the workspace index), document symbols, `unknown-tool` knowing the
//! tools other files register, and quick fixes that apply.

mod lsp_client;

use lsp_client::{LspProcess, Start};
use serde_json::{Value, json};

const TOOLS_LUA: &str = "-- tools.lua\nTool.register{\n  name = \"weather\",\n  description = \"The weather.\",\n  run = function(params) return { sky = \"blue\" } end,\n}\n";
const AGENTS_JS: &str =
    "const helper = Agent.create({ name: \"helper\", model: \"mock/echo\" });\n";
const MAIN_LUA: &str = "local w = Tool.get(\"weather\")\nlocal h = Agent.get(\"helper\")\nlocal a = Agent.create{ model = \"mock/echo\" }\nprint(a:execute(\"hi\").text)\nlocal function greet(name) return name end\n";

/// A workspace with the three files, and a server initialized on it.
fn workspace() -> (tempfile::TempDir, LspProcess) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("tools.lua"), TOOLS_LUA).expect("write");
    std::fs::create_dir(dir.path().join("agents")).expect("mkdir");
    std::fs::write(dir.path().join("agents/helpers.js"), AGENTS_JS).expect("write");
    std::fs::write(dir.path().join("main.lua"), MAIN_LUA).expect("write");
    // Dependencies are not indexed: this one would otherwise define `weather` twice.
    std::fs::create_dir(dir.path().join("node_modules")).expect("mkdir");
    std::fs::write(dir.path().join("node_modules/dep.lua"), TOOLS_LUA).expect("write");
    let mut server = LspProcess::start(Start::default());
    let root = format!("file://{}", dir.path().display());
    let response = server.call(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root,
            "workspaceFolders": [{ "uri": root, "name": "w" }],
            "capabilities": { "general": { "positionEncodings": ["utf-16"] } },
        }),
    );
    assert!(response.get("result").is_some(), "{response}");
    server.notify("initialized", json!({}));
    (dir, server)
}

fn uri(dir: &tempfile::TempDir, name: &str) -> String {
    format!("file://{}", dir.path().join(name).display())
}

fn open(server: &mut LspProcess, uri: &str, language: &str, text: &str) {
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
    );
}

fn definition(server: &mut LspProcess, uri: &str, line: u32, character: u32) -> Value {
    server.call(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
    )
}

/// Waits until the workspace index has been built (in the background after `initialized`),
/// which the server announces in a log message naming the files it read, then asks for the
/// definition of the tool that tools.lua registers.
fn wait_for_index(server: &mut LspProcess, main: &str) -> Value {
    let logged = server.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("llmspell: workspace indexed"))
    });
    // tools.lua, agents/helpers.js and main.lua; node_modules is skipped.
    assert!(
        logged["message"]
            .as_str()
            .is_some_and(|m| m.contains(": 3 script files in ")),
        "{logged}"
    );
    definition(server, main, 0, 22)
}

#[test]
fn definitions_resolve_locals_and_names_registered_in_other_files() {
    let (dir, mut server) = workspace();
    let main = uri(&dir, "main.lua");
    open(&mut server, &main, "lua", MAIN_LUA);

    let tool = wait_for_index(&mut server, &main);
    let locations = tool["result"].as_array().expect("locations");
    assert_eq!(locations.len(), 1, "{tool}");
    assert_eq!(locations[0]["uri"], uri(&dir, "tools.lua"));
    // The `name = "weather"` string on line 2 of tools.lua.
    assert_eq!(locations[0]["range"]["start"]["line"], 2, "{tool}");

    let agent = definition(&mut server, &main, 1, 22);
    let locations = agent["result"].as_array().expect("locations");
    assert_eq!(
        locations[0]["uri"],
        uri(&dir, "agents/helpers.js"),
        "{agent}"
    );

    // `a` in `a:execute` (line 3) goes to `local a` on line 2.
    let local = definition(&mut server, &main, 3, 6);
    assert_eq!(local["result"][0]["uri"], main.as_str(), "{local}");
    assert_eq!(
        local["result"][0]["range"]["start"],
        json!({ "line": 2, "character": 6 })
    );

    // Nothing to go to on a member name or a tool nobody registers.
    let member = definition(&mut server, &main, 3, 9);
    assert!(member["result"].is_null(), "{member}");

    // Completion of tool names offers the tool tools.lua registers, saying where it is from.
    let completion = server.call(
        "textDocument/completion",
        json!({ "textDocument": { "uri": main }, "position": { "line": 0, "character": 20 } }),
    );
    let weather = completion["result"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["label"] == "weather")
        .unwrap_or_else(|| panic!("no `weather` in {completion}"));
    assert_eq!(weather["detail"], "tool registered in another file");
    server.shutdown_and_exit();
}

#[test]
fn tools_registered_in_other_files_are_known_and_edits_update_the_index() {
    let (dir, mut server) = workspace();
    let main = uri(&dir, "main.lua");
    open(&mut server, &main, "lua", MAIN_LUA);
    wait_for_index(&mut server, &main);
    let pulled = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": main } }),
    );
    let codes: Vec<&str> = pulled["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(!codes.contains(&"unknown-tool"), "{pulled}");

    // Renaming the tool in the open buffer of tools.lua moves the definition at once.
    let tools = uri(&dir, "tools.lua");
    open(
        &mut server,
        &tools,
        "lua",
        &TOOLS_LUA.replace("weather", "weather2"),
    );
    server.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == tools.as_str()
    });
    let gone = definition(&mut server, &main, 0, 22);
    assert!(gone["result"].is_null(), "{gone}");
    let pulled = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": main } }),
    );
    let messages: Vec<&str> = pulled["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"unknown tool 'weather' (did you mean 'weather2'?)"),
        "{pulled}"
    );
    server.shutdown_and_exit();
}

#[test]
fn document_symbols_list_agents_tools_workflows_and_functions() {
    let (dir, mut server) = workspace();
    let main = uri(&dir, "main.lua");
    let text = format!(
        "{TOOLS_LUA}{MAIN_LUA}local wf = Workflow.sequential{{ name = \"daily\", steps = {{ {{ name = \"s\", tool = \"weather\" }} }} }}\n"
    );
    open(&mut server, &main, "lua", &text);
    let response = server.call(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": main } }),
    );
    let symbols: Vec<(String, String)> = response["result"]
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_owned(),
                s["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("weather", "tool"),
        ("a", "agent"),
        ("greet", "function"),
        ("daily", "workflow"),
    ]
    .iter()
    .map(|(n, k)| ((*n).to_owned(), (*k).to_owned()))
    .collect();
    assert_eq!(symbols, expected, "{response}");
    server.shutdown_and_exit();
}

#[test]
fn quick_fixes_correct_names_and_call_style() {
    let (dir, mut server) = workspace();
    let main = uri(&dir, "fix.lua");
    let text = "local a = Agent.craete{ model = \"mock/echo\" }\nlocal b = Agent.create{ temprature = 1 }\nb.execute(\"x\")\nTool.get(\"calculater\")\nprint(a)\n";
    open(&mut server, &main, "lua", text);
    let response = server.call(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": main },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 5, "character": 0 } },
            "context": { "diagnostics": [] },
        }),
    );
    let actions = response["result"].as_array().expect("actions");
    let mut fixed = text.to_owned();
    let mut titles = Vec::new();
    // Apply the edits from the end of the text backwards so earlier offsets stay valid.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for action in actions {
        titles.push(action["title"].as_str().unwrap_or_default().to_owned());
        assert_eq!(action["kind"], "quickfix");
        for edit in action["edit"]["changes"][main.as_str()]
            .as_array()
            .expect("edits")
        {
            let offset = |p: &Value| {
                let line = p["line"].as_u64().expect("line") as usize;
                let character = p["character"].as_u64().expect("character") as usize;
                text.split_inclusive('\n')
                    .take(line)
                    .map(str::len)
                    .sum::<usize>()
                    + character
            };
            edits.push((
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().expect("newText").to_owned(),
            ));
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (start, end, new_text) in edits {
        fixed.replace_range(start..end, &new_text);
    }
    titles.sort();
    assert_eq!(
        titles,
        [
            "Call with ':'",
            "Change to 'calculator'",
            "Change to 'create'",
            "Change to 'temperature'"
        ],
        "{response}"
    );
    assert_eq!(
        fixed,
        "local a = Agent.create{ model = \"mock/echo\" }\nlocal b = Agent.create{ temperature = 1 }\nb:execute(\"x\")\nTool.get(\"calculator\")\nprint(a)\n"
    );
    // The fixed text has nothing left to fix.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": main, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    let pulled = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": main } }),
    );
    assert_eq!(pulled["result"]["items"], json!([]), "{pulled}");
    server.shutdown_and_exit();
}
