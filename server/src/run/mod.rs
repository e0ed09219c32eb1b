//! The script-run supervisor: runs scripts for the editor in child `llmspell run --events
//! jsonl --stdin` processes, never in the language server's own process, and streams their
//! events back as they come.
//!
//! Each run gets an id. Its events arrive on a channel in the child's order; a run always ends
//! with a `finished` event, made up here when the child could not say it itself (it was
//! cancelled, killed by a signal, or crashed), preceded by an `error` that says why. Cancelling
//! kills the child at once, so the `finished` of a cancelled run follows within milliseconds.
//! Dropping the supervisor kills every child still running.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;
use tokio::sync::{mpsc, oneshot};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// The script's path: its extension picks the engine and its folder is where the child runs
    /// and finds `llmspell.toml`. The file need not exist: the text is what runs.
    pub path: PathBuf,
    /// The script's text, typically the editor's unsaved buffer.
    pub text: String,
    /// The script's ARGS.
    pub args: Vec<String>,
}

/// One event of a run, as `llmspell run --events jsonl` prints it (`{"type": "stdout", ...}`).
pub type Event = Value;

/// Runs in flight, by id.
#[derive(Debug)]
pub struct RunSupervisor {
    /// The `llmspell` executable the children run (normally this process's own binary).
    executable: PathBuf,
    next_id: AtomicU64,
    running: Arc<Mutex<HashMap<u64, oneshot::Sender<()>>>>,
}

impl RunSupervisor {
    pub fn new(executable: PathBuf) -> Self {
        RunSupervisor {
            executable,
            next_id: AtomicU64::new(1),
            running: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Starts a run and returns its id and its events. Must be called within a tokio runtime.
    pub fn start(&self, request: RunRequest) -> (u64, mpsc::UnboundedReceiver<Event>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (events, received) = mpsc::unbounded_channel();
        let (cancel, cancelled) = oneshot::channel();
        self.lock().insert(id, cancel);
        let running = Arc::clone(&self.running);
        let executable = self.executable.clone();
        tokio::spawn(async move {
            supervise(&executable, request, &events, cancelled).await;
            running
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
        });
        (id, received)
    }

    /// Stops run `id`; false when no such run is in flight (it ended, or never was).
    pub fn cancel(&self, id: u64) -> bool {
        match self.lock().remove(&id) {
            Some(cancel) => cancel.send(()).is_ok(),
            None => false,
        }
    }

    /// Whether run `id` is still in flight.
    pub fn is_running(&self, id: u64) -> bool {
        self.lock().contains_key(&id)
    }

    /// Stops every run (the server is shutting down).
    pub fn cancel_all(&self) {
        for (_, cancel) in self.lock().drain() {
            let _ = cancel.send(());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<()>>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for RunSupervisor {
    fn drop(&mut self) {
        self.cancel_all();
    }
}

/// Runs one child to its end, forwarding its events; always ends with `finished`.
async fn supervise(
    executable: &Path,
    request: RunRequest,
    events: &mpsc::UnboundedSender<Event>,
    mut cancelled: oneshot::Receiver<()>,
) {
    let began = Instant::now();
    let finish = |exit_code: i32| {
        let duration_ms = u64::try_from(began.elapsed().as_millis()).unwrap_or(u64::MAX);
        let _ = events.send(
            json!({ "type": "finished", "exit_code": exit_code, "duration_ms": duration_ms }),
        );
    };
    let folder = request
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && p.is_dir())
        .map_or_else(|| PathBuf::from("."), Path::to_owned);
    let spawned = Command::new(executable)
        .arg("run")
        .arg(&request.path)
        .args(["--events", "jsonl", "--stdin", "--"])
        .args(&request.args)
        .current_dir(&folder)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            let message = format!("cannot start `{} run`: {e}", executable.display());
            let _ = events.send(json!({ "type": "error", "message": message }));
            finish(2);
            return;
        }
    };
    // The text goes in from its own task: a large script must not wait for the child to start
    // reading before its output is read.
    if let Some(mut stdin) = child.stdin.take() {
        let text = request.text;
        tokio::spawn(async move {
            let _ = stdin.write_all(text.as_bytes()).await;
        });
    }
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = events
            .send(json!({ "type": "error", "message": "the run's output could not be read" }));
        finish(1);
        return;
    };
    // Whatever the child writes to stderr outside its events (a crash report) is output too.
    let stderr_events = events.clone();
    let stderr_task = tokio::spawn(async move {
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let _ = stderr_events.send(json!({ "type": "stderr", "text": format!("{line}\n") }));
        }
    });
    let mut lines = BufReader::new(stdout).lines();
    let mut finished = false;
    let mut was_cancelled = false;
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => {
                    let event = serde_json::from_str::<Value>(&line)
                        .ok()
                        .filter(|e| e.get("type").is_some_and(Value::is_string))
                        .unwrap_or_else(|| json!({ "type": "stdout", "text": format!("{line}\n") }));
                    finished |= event["type"] == "finished";
                    let _ = events.send(event);
                }
                // The end of the output (the child exited or closed it), or unreadable output.
                Ok(None) | Err(_) => break,
            },
            _ = &mut cancelled, if !was_cancelled => {
                was_cancelled = true;
                let _ = child.start_kill();
            }
        }
    }
    let status = child.wait().await;
    let _ = stderr_task.await;
    if finished {
        return;
    }
    let (message, exit_code) = if was_cancelled {
        ("run cancelled".to_owned(), 130)
    } else {
        match status {
            Ok(status) => match (status.code(), signal_of(&status)) {
                (_, Some(signal)) => (
                    format!("the run was killed by signal {signal}"),
                    128 + signal,
                ),
                (Some(code), None) => (
                    format!("the run ended without finishing (exit code {code})"),
                    code.max(1),
                ),
                (None, None) => ("the run ended without finishing".to_owned(), 1),
            },
            Err(e) => (format!("the run could not be waited for: {e}"), 1),
        }
    };
    let _ = events.send(json!({ "type": "error", "message": message }));
    finish(exit_code);
}

#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
    None
}
