//! The wall-clock and cancellation state of a run, shared by an engine's interrupt mechanism
//! (Lua's instruction hook, QuickJS's interrupt handler) and the code around it.

use std::sync::Mutex;
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use crate::error::{LimitKind, RuntimeError};

/// The limits of the current run, shared with the engine's interrupt mechanism.
#[derive(Debug, Default)]
pub struct RunLimits {
    state: Mutex<LimitState>,
}

#[derive(Debug, Default)]
struct LimitState {
    deadline: Option<(Instant, u64)>,
    cancel: CancellationToken,
    /// The first limit the run hit. Kept so that a script which catches the limit's error with
    /// `pcall` still ends with it.
    hit: Option<RuntimeError>,
}

impl RunLimits {
    pub fn start(&self, timeout_ms: u64, cancel: CancellationToken) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.deadline = Some((
            Instant::now() + std::time::Duration::from_millis(timeout_ms),
            timeout_ms,
        ));
        state.cancel = cancel;
        state.hit = None;
    }

    /// Records a limit hit outside the hook (memory, output, the async timeout).
    pub fn record(&self, error: RuntimeError) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.hit.get_or_insert(error);
    }

    pub fn hit(&self) -> Option<RuntimeError> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .hit
            .clone()
    }

    /// The error to raise now, if the run is over its time or cancelled.
    pub fn check(&self) -> Option<RuntimeError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.hit.is_none() {
            if state.cancel.is_cancelled() {
                state.hit = Some(RuntimeError::Cancelled);
            } else if let Some((deadline, ms)) = state.deadline
                && Instant::now() >= deadline
            {
                state.hit = Some(time_limit_error(ms));
            }
        }
        state.hit.clone()
    }
}

pub fn time_limit_error(timeout_ms: u64) -> RuntimeError {
    RuntimeError::Limit {
        kind: LimitKind::Time,
        what: format!("time limit of {timeout_ms} ms exceeded"),
    }
}
