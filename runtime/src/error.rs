//! The one error type of the runtime, and how each kind maps to a process exit code.
//!
//! Every message names what failed (the API call, the config field, the limit), because these
//! messages are what a script author sees in the terminal and in the editor.

use std::fmt;
use std::path::PathBuf;

/// Where in a script an error happened, when the engine could tell.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Which run limit a script hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    Memory,
    Time,
    Output,
}

impl LimitKind {
    /// The `llmspell.toml` key that raises this limit, so the error can tell the user what to change.
    pub fn config_key(self) -> &'static str {
        match self {
            LimitKind::Memory => "[run] memory_mb",
            LimitKind::Time => "[run] timeout_ms",
            LimitKind::Output => "[run] max_output_bytes",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum RuntimeError {
    /// An error raised by the script itself or by an API call made from it.
    #[error("{message}")]
    Script {
        message: String,
        location: Option<Location>,
    },
    /// A run limit was exceeded.
    #[error("{what} (limit set by {key})", key = kind.config_key())]
    Limit { kind: LimitKind, what: String },
    /// The run was cancelled from outside.
    #[error("run cancelled")]
    Cancelled,
    /// `llmspell.toml` is invalid.
    #[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        file: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// The caller asked for something this build cannot do (an engine that is not built, ...).
    #[error("{0}")]
    Unsupported(String),
    /// Reading the script or another file failed.
    #[error("{path}: {message}", path = path.display())]
    Io { path: PathBuf, message: String },
}

impl RuntimeError {
    /// An error raised by an API function, prefixed with the call that raised it
    /// (`Agent.create: field 'model' is required`).
    pub fn api(call: &str, message: impl fmt::Display) -> Self {
        RuntimeError::Script {
            message: format!("{call}: {message}"),
            location: None,
        }
    }

    pub fn script(message: impl Into<String>) -> Self {
        RuntimeError::Script {
            message: message.into(),
            location: None,
        }
    }

    /// The exit code `llmspell run` uses for this error: 1 for anything the script caused,
    /// 2 for usage and configuration problems.
    pub fn exit_code(&self) -> i32 {
        match self {
            RuntimeError::Config { .. }
            | RuntimeError::Unsupported(_)
            | RuntimeError::Io { .. } => 2,
            RuntimeError::Script { .. } | RuntimeError::Limit { .. } | RuntimeError::Cancelled => 1,
        }
    }

    pub fn location(&self) -> Option<&Location> {
        match self {
            RuntimeError::Script { location, .. } => location.as_ref(),
            _ => None,
        }
    }
}

pub type Result<T, E = RuntimeError> = std::result::Result<T, E>;
