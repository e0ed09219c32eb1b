//! Golden tests of the Lua API: each `lua_scripts/NAME.lua` runs on the mock provider and its
//! events are compared with `lua_scripts/NAME.expected`. Set `UPDATE_GOLDEN=1` to rewrite the
//! expectations after a deliberate change, then review the diff.
//!
//! Durations are removed from the transcript, so it only changes when behaviour does.

use std::path::Path;

use llmspell_runtime::config::{Config, LoadedConfig};
use llmspell_runtime::{ExecutionContext, RunEvent, Script, ScriptRuntime};

const CONFIG: &str = r#"
default_model = "mock/echo"
[providers.scripted]
kind = "mock"
replies = ["first reply", "second reply"]
[run]
timeout_ms = 10000
allow_files = true
"#;

/// One line per event, without timings.
fn transcript(events: &[RunEvent]) -> String {
    let mut out = String::new();
    for event in events {
        if matches!(event, RunEvent::Started { .. }) {
            continue;
        }
        let mut json = serde_json::to_value(event).expect("events serialise");
        if let Some(obj) = json.as_object_mut() {
            obj.remove("duration_ms");
        }
        out.push_str(&json.to_string());
        out.push('\n');
    }
    out
}

async fn run_script(path: &Path, workspace: &Path) -> String {
    let config = Config::parse(CONFIG, Path::new("llmspell.toml")).expect("test config");
    let mut context = ExecutionContext::new(LoadedConfig {
        config,
        file: None,
        root: workspace.to_owned(),
    });
    context.args = vec!["first-arg".into(), "second arg".into()];
    let runtime = ScriptRuntime::new_with_lua(context).expect("Lua runtime");
    let source = std::fs::read_to_string(path).expect("script");
    let name = format!(
        "lua_scripts/{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    );
    transcript(&runtime.run(Script::new(name, source)).await.events)
}

#[tokio::test]
async fn lua_scripts_match_their_golden_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua_scripts");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .expect("lua_scripts folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    scripts.sort();
    assert!(
        scripts.len() >= 5,
        "expected the golden scripts in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for script in &scripts {
        let workspace = tempfile::tempdir().expect("tempdir");
        let actual = run_script(script, workspace.path()).await;
        let golden = script.with_extension("expected");
        if update {
            std::fs::write(&golden, &actual).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
            panic!(
                "{} has no golden file; run with UPDATE_GOLDEN=1 and review it",
                script.display()
            )
        });
        if actual != expected {
            let line = actual
                .lines()
                .zip(expected.lines())
                .position(|(a, e)| a != e)
                .unwrap_or(0);
            failures.push(format!(
                "{}: first difference at line {}\n  expected: {}\n  actual:   {}",
                script.display(),
                line + 1,
                expected.lines().nth(line).unwrap_or("<end>"),
                actual.lines().nth(line).unwrap_or("<end>"),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
