//! Running scripts from the editor, end to end through the real `llmspell lsp` over stdio: the
//! `llmspell.runScript` command returns a run id at once, the run's events stream back as
//! `llmspell/runOutput` notifications while the script runs (and as `$/progress`), a run is
//! cancelled within 200 ms, a child killed by a signal still ends with `error` + `finished`,
//! a runtime error becomes a diagnostic on its line, and the code lens offers Run and Stop.

mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::{LspProcess, Start};
use serde_json::{Value, json};

/// A server on a workspace folder with the offline mock provider configured.
fn started(progress: bool) -> (tempfile::TempDir, LspProcess) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("llmspell.toml"),
        "default_model = \"mock/echo\"\n",
    )
    .expect("config");
    let mut server = LspProcess::start(Start::default());
    let root = format!("file://{}", dir.path().display());
    let response = server.call(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root,
            "capabilities": {
                "general": { "positionEncodings": ["utf-16"] },
                "window": { "workDoneProgress": progress },
            },
        }),
    );
    let commands = &response["result"]["capabilities"]["executeCommandProvider"]["commands"];
    assert_eq!(
        commands,
        &json!(["llmspell.runScript", "llmspell.cancelRun"]),
        "{response}"
    );
    server.notify("initialized", json!({}));
    (dir, server)
}

fn open(server: &mut LspProcess, uri: &str, text: &str) {
    let language = if uri.ends_with(".lua") {
        "lua"
    } else {
        "javascript"
    };
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
    );
}

fn run(server: &mut LspProcess, uri: &str) -> u64 {
    let response = server.call(
        "workspace/executeCommand",
        json!({ "command": "llmspell.runScript", "arguments": [{ "uri": uri }] }),
    );
    response["result"]["runId"]
        .as_u64()
        .unwrap_or_else(|| panic!("no runId: {response}"))
}

/// The next `llmspell/runOutput` of run `id`, with the time it arrived.
fn next_event(server: &mut LspProcess, id: u64) -> (Value, Instant) {
    let params = server.notification("llmspell/runOutput", |p| p["runId"] == id);
    (params, Instant::now())
}

/// Every event of run `id` until `finished`, checking that `seq` counts 1, 2, 3, ...
fn events_until_finished(server: &mut LspProcess, id: u64) -> Vec<(Value, Instant)> {
    let mut out = Vec::new();
    loop {
        let (params, at) = next_event(server, id);
        assert_eq!(params["seq"], out.len() as u64 + 1, "{params}");
        let done = params["event"]["type"] == "finished";
        out.push((params["event"].clone(), at));
        if done {
            return out;
        }
    }
}

fn kinds(events: &[(Value, Instant)]) -> Vec<String> {
    events
        .iter()
        .map(|(e, _)| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn output_streams_while_the_script_runs_from_the_unsaved_buffer() {
    let (dir, mut server) = started(false);
    // Never saved: the buffer's text is what runs.
    let uri = format!("file://{}/unsaved.lua", dir.path().display());
    open(
        &mut server,
        &uri,
        "print(\"one\")\nTool.execute(\"sleep\", { ms = 150 })\nprint(\"two\")\nTool.execute(\"sleep\", { ms = 150 })\nprint(\"three\")\n",
    );
    let asked = Instant::now();
    let id = run(&mut server, &uri);
    assert!(
        asked.elapsed() < Duration::from_millis(1000),
        "runScript answers at once"
    );
    let events = events_until_finished(&mut server, id);
    let lines: Vec<(&str, Instant)> = events
        .iter()
        .filter(|(e, _)| e["type"] == "stdout")
        .map(|(e, at)| (e["text"].as_str().unwrap_or_default(), *at))
        .collect();
    assert_eq!(
        lines.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        ["one\n", "two\n", "three\n"],
        "{:?}",
        kinds(&events)
    );
    // Each line arrived before the next was printed: they are ~150 ms apart, not together at
    // the end.
    for pair in lines.windows(2) {
        let gap = pair[1].1 - pair[0].1;
        assert!(gap >= Duration::from_millis(100), "lines {gap:?} apart");
    }
    assert_eq!(kinds(&events).first().map(String::as_str), Some("started"));
    let finished = &events.last().expect("finished").0;
    assert_eq!(finished["exitCode"], 0, "{finished}");
    assert!(finished["durationMs"].as_u64().is_some(), "{finished}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn streamed_tokens_arrive_as_separate_events() {
    let (dir, mut server) = started(false);
    let uri = format!("file://{}/stream.js", dir.path().display());
    open(
        &mut server,
        &uri,
        "const a = Agent.create({ model: \"mock/echo\" });\nfor await (const chunk of a.stream(\"one two three four\")) {}\n",
    );
    let id = run(&mut server, &uri);
    let events = events_until_finished(&mut server, id);
    let tokens: Vec<&str> = events
        .iter()
        .filter(|(e, _)| e["type"] == "token")
        .filter_map(|(e, _)| e["text"].as_str())
        .collect();
    assert!(tokens.len() >= 4, "{tokens:?}");
    assert_eq!(tokens.concat().split_whitespace().count(), 4, "{tokens:?}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_run_is_cancelled_within_200_ms_by_command_and_by_progress_cancel() {
    let (dir, mut server) = started(true);
    let uri = format!("file://{}/forever.lua", dir.path().display());
    open(&mut server, &uri, "print(\"looping\")\nwhile true do end\n");
    for by_progress in [false, true] {
        let id = run(&mut server, &uri);
        // Wait until the script is really looping.
        loop {
            let (params, _) = next_event(&mut server, id);
            if params["event"]["type"] == "stdout" {
                break;
            }
        }
        let asked = Instant::now();
        if by_progress {
            server.notify(
                "window/workDoneProgress/cancel",
                json!({ "token": format!("llmspell-run-{id}") }),
            );
        } else {
            let response = server.call(
                "workspace/executeCommand",
                json!({ "command": "llmspell.cancelRun", "arguments": [{ "runId": id }] }),
            );
            assert_eq!(response["result"]["cancelled"], true, "{response}");
        }
        let finished = loop {
            let (params, at) = next_event(&mut server, id);
            if params["event"]["type"] == "finished" {
                break at;
            }
        };
        let took = finished - asked;
        assert!(
            took <= Duration::from_millis(200),
            "finished {took:?} after the cancel"
        );
    }
    // Progress was reported for both runs, as begin ... end.
    let progress: Vec<&Value> = server
        .notifications
        .iter()
        .filter(|n| n["method"] == "$/progress")
        .collect();
    assert!(
        progress
            .iter()
            .any(|p| p["params"]["value"]["kind"] == "begin"
                && p["params"]["value"]["cancellable"] == true),
        "{progress:?}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// The children of process `pid`, from /proc.
fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            out.extend(
                text.split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok()),
            );
        }
    }
    out
}

#[test]
fn a_child_killed_by_a_signal_ends_with_error_and_finished_and_the_server_serves_on() {
    let (dir, mut server) = started(false);
    let uri = format!("file://{}/victim.lua", dir.path().display());
    // Waiting rather than spinning: only the cancel test needs a busy loop, and spinning
    // children would compete with the other tests' servers for the CPUs.
    open(
        &mut server,
        &uri,
        "print(\"ready\")\nTool.execute(\"sleep\", { ms = 60000 })\n",
    );
    let id = run(&mut server, &uri);
    loop {
        let (params, _) = next_event(&mut server, id);
        if params["event"]["type"] == "stdout" {
            break;
        }
    }
    let children = children_of(server.pid());
    assert_eq!(children.len(), 1, "one child runs the script: {children:?}");
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &children[0].to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let mut tail = Vec::new();
    loop {
        let (params, _) = next_event(&mut server, id);
        let done = params["event"]["type"] == "finished";
        tail.push(params["event"].clone());
        if done {
            break;
        }
    }
    let error = tail
        .iter()
        .find(|e| e["type"] == "error")
        .unwrap_or_else(|| panic!("no error event: {tail:?}"));
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("signal 9")),
        "{error}"
    );
    assert_eq!(tail.last().expect("finished")["exitCode"], 137);
    // Still serving.
    let hover = server.call(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1 } }),
    );
    assert!(hover.get("result").is_some(), "{hover}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_runtime_error_is_a_diagnostic_on_its_line_until_the_next_edit() {
    let (dir, mut server) = started(false);
    let uri = format!("file://{}/failing.lua", dir.path().display());
    let text = "print(\"before\")\nlocal x = nil\nerror(\"it broke\")\n";
    open(&mut server, &uri, text);
    let id = run(&mut server, &uri);
    let events = events_until_finished(&mut server, id);
    assert!(kinds(&events).contains(&"error".to_owned()));
    let published = server.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str()
            && p["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["source"] == "llmspell run"))
    });
    let diagnostic = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["source"] == "llmspell run")
        .expect("the run's diagnostic");
    assert_eq!(
        diagnostic["range"]["start"],
        json!({ "line": 2, "character": 0 })
    );
    assert_eq!(
        diagnostic["range"]["end"],
        json!({ "line": 2, "character": 17 })
    );
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("it broke")),
        "{diagnostic}"
    );
    // Pulled diagnostics have it too; an edit clears it.
    let pulled = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(pulled.to_string().contains("llmspell run"), "{pulled}");
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 },
                "contentChanges": [{ "text": format!("{text}-- edited\n") }] }),
    );
    let pulled = server.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(!pulled.to_string().contains("llmspell run"), "{pulled}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn the_code_lens_offers_run_and_stop_while_running() {
    let (dir, mut server) = started(false);
    let uri = format!("file://{}/lens.lua", dir.path().display());
    open(
        &mut server,
        &uri,
        "print(\"x\")\nTool.execute(\"sleep\", { ms = 60000 })\n",
    );
    let titles = |server: &mut LspProcess| -> Vec<String> {
        let lenses = server.call(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": uri } }),
        );
        lenses["result"]
            .as_array()
            .expect("lenses")
            .iter()
            .map(|l| {
                l["command"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(titles(&mut server), ["▶ Run"]);
    let id = run(&mut server, &uri);
    next_event(&mut server, id);
    assert_eq!(titles(&mut server), ["▶ Run", "■ Stop"]);
    let response = server.call(
        "workspace/executeCommand",
        json!({ "command": "llmspell.cancelRun", "arguments": [{ "runId": id }] }),
    );
    assert_eq!(response["result"]["cancelled"], true);
    loop {
        let (params, _) = next_event(&mut server, id);
        if params["event"]["type"] == "finished" {
            break;
        }
    }
    // The lens follows once the run's bookkeeping is done.
    let deadline = Instant::now() + Duration::from_secs(5);
    while titles(&mut server) != ["▶ Run"] {
        assert!(Instant::now() < deadline, "Stop never went away");
        std::thread::sleep(Duration::from_millis(20));
    }
    // A command for a run that is over, or an unknown command, says so.
    let again = server.call(
        "workspace/executeCommand",
        json!({ "command": "llmspell.cancelRun", "arguments": [{ "runId": id }] }),
    );
    assert_eq!(again["result"]["cancelled"], false, "{again}");
    let unknown = server.call(
        "workspace/executeCommand",
        json!({ "command": "llmspell.nothing", "arguments": [] }),
    );
    assert!(unknown.get("error").is_some(), "{unknown}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
