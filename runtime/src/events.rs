//! Run events: what a running script reports (output, tokens, tool calls, workflow steps, its
//! result), and the sink that carries them out of the engine while enforcing the output cap.
//!
//! `llmspell run --events jsonl` prints these one per line, and the language server forwards
//! them to the editor, so their JSON form is a public protocol.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::error::{LimitKind, RuntimeError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Running,
    Ok,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RunEvent {
    /// The run began.
    Started { engine: String, file: String },
    /// Text the script wrote to standard output (`print`, `io.write`, `console.log`).
    Stdout { text: String },
    /// Text the script wrote to standard error (`warn`, `console.error`).
    Stderr { text: String },
    /// A chunk of a streamed agent answer.
    Token { agent: String, text: String },
    /// A tool ran: called by the script, a workflow step, or an agent's model.
    ToolCall {
        tool: String,
        /// The agent whose model asked for the call, when one did.
        #[serde(skip_serializing_if = "Option::is_none")]
        agent: Option<String>,
        params: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    /// A workflow step started or ended.
    Step {
        workflow: String,
        step: String,
        index: usize,
        status: StepStatus,
        #[serde(skip_serializing_if = "Option::is_none")]
        output: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        duration_ms: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    /// The script's return value.
    Result { value: Value },
    /// The script failed.
    Error {
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<LimitKind>,
    },
    /// The run ended. Always the last event.
    Finished { exit_code: i32, duration_ms: u64 },
}

impl RunEvent {
    pub fn from_error(error: &RuntimeError) -> RunEvent {
        let location = error.location();
        RunEvent::Error {
            message: error.to_string(),
            file: location.map(|l| l.file.clone()),
            line: location.map(|l| l.line),
            limit: match error {
                RuntimeError::Limit { kind, .. } => Some(*kind),
                _ => None,
            },
        }
    }
}

/// Where a run's events go. Output is counted against the run's cap here, so every engine and
/// tool shares one limit.
#[derive(Debug)]
pub struct EventSink {
    sender: Mutex<Option<UnboundedSender<RunEvent>>>,
    output_bytes: AtomicU64,
    max_output_bytes: AtomicU64,
    output_capped: AtomicBool,
}

impl EventSink {
    pub fn new(max_output_bytes: u64) -> Self {
        EventSink {
            sender: Mutex::new(None),
            output_bytes: AtomicU64::new(0),
            max_output_bytes: AtomicU64::new(max_output_bytes),
            output_capped: AtomicBool::new(false),
        }
    }

    /// Sends the events of the next run to `sender`, with a fresh output count.
    pub fn connect(&self, sender: UnboundedSender<RunEvent>) {
        *self.sender.lock().unwrap_or_else(|e| e.into_inner()) = Some(sender);
        self.output_bytes.store(0, Ordering::Relaxed);
        self.output_capped.store(false, Ordering::Relaxed);
    }

    /// Stops sending events, which ends the stream of whoever listened.
    pub fn disconnect(&self) {
        *self.sender.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub fn set_max_output_bytes(&self, max: u64) {
        self.max_output_bytes.store(max, Ordering::Relaxed);
    }

    pub fn emit(&self, event: RunEvent) {
        if let Some(sender) = &*self.sender.lock().unwrap_or_else(|e| e.into_inner()) {
            // A closed receiver means nobody listens any more (the run was abandoned); the
            // script is being stopped, so dropping the event loses nothing anyone would see.
            let _ = sender.send(event);
        }
    }

    /// Whether the output cap was hit during this run.
    pub fn output_capped(&self) -> bool {
        self.output_capped.load(Ordering::Relaxed)
    }

    /// Emits output text, or fails once the run's output would pass its cap.
    pub fn output(&self, text: String, to_stderr: bool) -> Result<(), RuntimeError> {
        let max = self.max_output_bytes.load(Ordering::Relaxed);
        let total = self
            .output_bytes
            .fetch_add(text.len() as u64, Ordering::Relaxed)
            + text.len() as u64;
        if total > max || self.output_capped() {
            self.output_capped.store(true, Ordering::Relaxed);
            return Err(output_limit_error(max));
        }
        self.emit(if to_stderr {
            RunEvent::Stderr { text }
        } else {
            RunEvent::Stdout { text }
        });
        Ok(())
    }
}

pub fn output_limit_error(max: u64) -> RuntimeError {
    RuntimeError::Limit {
        kind: LimitKind::Output,
        what: format!("output limit of {max} bytes exceeded"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialise_with_a_type_tag() {
        let event = RunEvent::Token {
            agent: "a".into(),
            text: "hi".into(),
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"type":"token","agent":"a","text":"hi"}"#
        );
        let event = RunEvent::Finished {
            exit_code: 1,
            duration_ms: 5,
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"type":"finished","exit_code":1,"duration_ms":5}"#
        );
    }

    #[test]
    fn output_past_the_cap_is_refused_and_stays_refused() {
        let sink = EventSink::new(10);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        sink.connect(tx);
        sink.output("12345".into(), false).unwrap();
        let err = sink.output("678901".into(), false).unwrap_err();
        assert!(
            err.to_string()
                .contains("output limit of 10 bytes exceeded")
        );
        assert!(sink.output("x".into(), false).is_err());
        assert!(sink.output_capped());
        assert_eq!(
            rx.try_recv().unwrap(),
            RunEvent::Stdout {
                text: "12345".into()
            }
        );
        assert!(rx.try_recv().is_err());
    }
}
