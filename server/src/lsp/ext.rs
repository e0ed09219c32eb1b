//! The editor-facing custom protocol (LSP extensions): the commands that run a script and stop
//! it, and the notification that streams a run's events back while it runs (DESIGN §6). Every
//! name and payload here is documented in docs/lsp-extensions.md; a test fails when this file
//! changes and the document does not.
//!
//! The test and debug requests (`llmspell/documentText`, `llmspell/debugPanic`) are not part of
//! this protocol: they are in `debug.rs`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp_server::ls_types::Uri;

/// `workspace/executeCommand` command: run a script; arguments `[RunScriptArgs]`, result
/// `RunScriptResult`, returned at once while the run goes on.
pub const RUN_SCRIPT: &str = "llmspell.runScript";

/// `workspace/executeCommand` command: stop a run; arguments `[CancelRunArgs]`, result
/// `CancelRunResult`.
pub const CANCEL_RUN: &str = "llmspell.cancelRun";

/// Server-to-client notification carrying one event of a run, `RunOutputParams`.
pub const RUN_OUTPUT: &str = "llmspell/runOutput";

/// The `source` of the diagnostic a run's error leaves on its line.
pub const RUN_DIAGNOSTIC_SOURCE: &str = "llmspell run";

/// The argument of `llmspell.runScript`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunScriptArgs {
    /// The script: an open document (its unsaved text runs) or a file on disk.
    pub uri: Uri,
    /// The script's `ARGS`.
    #[serde(default)]
    pub args: Vec<String>,
}

/// The result of `llmspell.runScript`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunScriptResult {
    /// Names the run in `llmspell/runOutput` and `llmspell.cancelRun`.
    pub run_id: u64,
}

/// The argument of `llmspell.cancelRun`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelRunArgs {
    pub run_id: u64,
}

/// The result of `llmspell.cancelRun`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelRunResult {
    /// False when the run had already finished (or never existed).
    pub cancelled: bool,
}

/// The parameters of `llmspell/runOutput`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunOutputParams {
    pub run_id: u64,
    /// 1, 2, 3, ... within the run: notifications arrive in order, and a gap would mean a lost
    /// event.
    pub seq: u64,
    /// One event, as `llmspell run --events jsonl` prints it with its top-level keys in
    /// camelCase: `{"type": "stdout", "text": "..."}`, ..., `{"type": "finished", "exitCode": 0,
    /// "durationMs": 12}`.
    pub event: Value,
}

/// The `llmspell run --events jsonl` event `event` with its top-level keys in camelCase, as
/// LSP payloads spell them (`exit_code` becomes `exitCode`). Values are left alone: a tool's
/// parameters and results are the script's own data.
pub fn camel_case_event(event: Value) -> Value {
    match event {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| (camel_case(&key), value))
                .collect(),
        ),
        other => other,
    }
}

/// A Rust field name as it goes over the wire (`run_id` -> `runId`).
pub fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn event_keys_become_camel_case_and_values_stay() {
        let event = json!({ "type": "tool_call", "duration_ms": 3, "params": { "snake_key": 1 } });
        assert_eq!(
            super::camel_case_event(event),
            json!({ "type": "tool_call", "durationMs": 3, "params": { "snake_key": 1 } })
        );
    }
}
