//! Running scripts from the editor (the protocol is in `ext.rs`, documented in
//! docs/lsp-extensions.md): the `llmspell.runScript` and `llmspell.cancelRun` commands, the
//! "▶ Run" / "■ Stop" code lens every client can show without custom code, the
//! `llmspell/runOutput` notifications and, when the client supports it, `$/progress` with a
//! cancel button. The runs themselves happen in child processes (`crate::run`).
//!
//! A run's error leaves a diagnostic on its line (source `llmspell run`) until the next run of
//! that document or its next edit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde_json::{Value, json};
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::notification::{Notification, Progress};
use tower_lsp_server::ls_types::request::WorkDoneProgressCreate;
use tower_lsp_server::ls_types::{
    CodeLens, CodeLensParams, Command, Diagnostic, DiagnosticSeverity, ExecuteCommandParams,
    InitializeParams, NumberOrString, Position, ProgressParams, ProgressParamsValue, Range, Uri,
    WorkDoneProgress, WorkDoneProgressBegin, WorkDoneProgressCancelParams,
    WorkDoneProgressCreateParams, WorkDoneProgressEnd, WorkDoneProgressReport,
};

use super::analysis::{file_path, language_of};
use super::documents::Document;
use super::ext::{
    CANCEL_RUN, CancelRunArgs, CancelRunResult, RUN_DIAGNOSTIC_SOURCE, RUN_OUTPUT, RUN_SCRIPT,
    RunOutputParams, RunScriptArgs, RunScriptResult, camel_case_event,
};
use super::position::{self, PositionEncoding};
use super::{Backend, Refresher, guard};
use crate::analysis::Language;
use crate::run::{RunRequest, RunSupervisor};

/// `llmspell/runOutput` as a typed notification.
enum RunOutput {}

impl Notification for RunOutput {
    type Params = RunOutputParams;
    const METHOD: &'static str = RUN_OUTPUT;
}

/// A run's error, kept as a diagnostic until the document's next run or edit.
#[derive(Debug, Clone)]
struct RunError {
    /// 0-based.
    line: u32,
    message: String,
}

/// The runs of this server and what the editor shows of them.
#[derive(Debug)]
pub(super) struct Runs {
    supervisor: RunSupervisor,
    /// The run in flight for each document, for its "■ Stop" lens.
    by_document: Mutex<HashMap<Uri, u64>>,
    errors: Mutex<HashMap<Uri, RunError>>,
    /// Progress tokens of runs in flight, so `window/workDoneProgress/cancel` can stop them.
    progress_tokens: Mutex<HashMap<String, u64>>,
    /// What the client supports, set by `initialize`.
    client_shows_progress: OnceLock<bool>,
    client_refreshes_lenses: OnceLock<bool>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Runs {
    pub(super) fn new() -> Self {
        // The children run this very binary: the editor and the terminal run scripts alike.
        let executable = std::env::current_exe().unwrap_or_else(|_| "llmspell".into());
        Runs {
            supervisor: RunSupervisor::new(executable),
            by_document: Mutex::new(HashMap::new()),
            errors: Mutex::new(HashMap::new()),
            progress_tokens: Mutex::new(HashMap::new()),
            client_shows_progress: OnceLock::new(),
            client_refreshes_lenses: OnceLock::new(),
        }
    }

    /// Notes what the client supports.
    pub(super) fn initialize(&self, params: &InitializeParams) {
        let caps = &params.capabilities;
        let progress = caps
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        let refresh = caps
            .workspace
            .as_ref()
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false);
        let _ = self.client_shows_progress.set(progress);
        let _ = self.client_refreshes_lenses.set(refresh);
    }

    /// Stops every run (the server is shutting down).
    pub(super) fn stop_all(&self) {
        self.supervisor.cancel_all();
    }

    /// Forgets the run error of `uri` (it was edited); whether there was one.
    pub(super) fn clear_error(&self, uri: &Uri) -> bool {
        lock(&self.errors).remove(uri).is_some()
    }

    /// The diagnostic of the last run's error in `document`, if it has one.
    pub(super) fn error_diagnostic(
        &self,
        uri: &Uri,
        document: &Document,
        encoding: PositionEncoding,
    ) -> Option<Diagnostic> {
        let error = lock(&self.errors).get(uri).cloned()?;
        let text = document.text();
        // The whole line, without its line break.
        let start = text
            .split_inclusive('\n')
            .take(error.line as usize)
            .map(str::len)
            .sum::<usize>()
            .min(text.len());
        let end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        let at = |offset| position::position(text, document.line_index(), offset, encoding);
        Some(Diagnostic {
            range: Range {
                start: at(start),
                end: at(end),
            },
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(RUN_DIAGNOSTIC_SOURCE.to_owned()),
            message: error.message,
            ..Diagnostic::default()
        })
    }
}

impl Backend {
    /// `workspace/executeCommand`.
    pub(super) async fn run_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let first = params.arguments.into_iter().next();
        match params.command.as_str() {
            RUN_SCRIPT => {
                let args: RunScriptArgs = parse_argument(first)?;
                let result = self.start_run(args)?;
                Ok(Some(json!(result)))
            }
            CANCEL_RUN => {
                let args: CancelRunArgs = parse_argument(first)?;
                let cancelled = self.runs.supervisor.cancel(args.run_id);
                Ok(Some(json!(CancelRunResult { cancelled })))
            }
            other => Err(Error::invalid_params(format!(
                "unknown command '{other}' (commands: {RUN_SCRIPT}, {CANCEL_RUN})"
            ))),
        }
    }

    /// Starts a run of the document's current text (or the file's, when it is not open) and
    /// streams its events from a task of its own; returns at once.
    fn start_run(&self, args: RunScriptArgs) -> Result<RunScriptResult> {
        let uri = args.uri;
        let document = self.documents.get(&uri);
        let path = file_path(uri.as_str());
        let (text, language) = match &document {
            Some(d) => (d.text().to_owned(), language_of(d, uri.as_str())),
            None => {
                let path = path.as_ref().ok_or_else(|| {
                    Error::invalid_params(format!("{} is neither open nor a file", uri.as_str()))
                })?;
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::invalid_params(format!("cannot read {}: {e}", path.display()))
                })?;
                (text, crate::analysis::language_of_path(path))
            }
        };
        let language = language.ok_or_else(|| {
            Error::invalid_params(format!(
                "{} is not a Lua or JavaScript script",
                uri.as_str()
            ))
        })?;
        // An untitled buffer runs as if it were a file in the server's folder.
        let path = path.unwrap_or_else(|| match language {
            Language::Lua => "untitled.lua".into(),
            Language::Js => "untitled.js".into(),
        });
        let (run_id, events) = self.runs.supervisor.start(RunRequest {
            path: path.clone(),
            text,
            args: args.args,
        });
        lock(&self.runs.by_document).insert(uri.clone(), run_id);
        let runs = Arc::clone(&self.runs);
        let client = self.client.clone();
        let refresher = self.refresher();
        let script = path.display().to_string();
        tokio::spawn(async move {
            if runs.clear_error(&uri) {
                refresher.publish(uri.clone());
            }
            refresh_lenses(&runs, &client).await;
            forward(&runs, &client, run_id, &uri, &script, events).await;
            {
                let mut by_document = lock(&runs.by_document);
                if by_document.get(&uri) == Some(&run_id) {
                    by_document.remove(&uri);
                }
            }
            refresher.publish(uri);
            refresh_lenses(&runs, &client).await;
        });
        Ok(RunScriptResult { run_id })
    }

    /// `textDocument/codeLens`: "▶ Run" on every script, and "■ Stop" while it runs, unless
    /// the editor's settings turn them off.
    pub(super) async fn code_lenses(
        &self,
        params: CodeLensParams,
    ) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let enabled = super::lock_settings(&self.settings).code_lens.enable;
        let document = self.documents.get(&uri).filter(|_| enabled);
        let running = lock(&self.runs.by_document)
            .get(&uri)
            .copied()
            .filter(|&id| self.runs.supervisor.is_running(id));
        guard::request("textDocument/codeLens", async move {
            let Some(document) = document else {
                return Ok(None);
            };
            if language_of(&document, uri.as_str()).is_none() {
                return Ok(None);
            }
            let top = Range::new(Position::new(0, 0), Position::new(0, 0));
            let lens = |title: &str, command: &str, argument: Value| CodeLens {
                range: top,
                command: Some(Command {
                    title: title.to_owned(),
                    command: command.to_owned(),
                    arguments: Some(vec![argument]),
                }),
                data: None,
            };
            let mut lenses = vec![lens(
                "▶ Run",
                RUN_SCRIPT,
                json!(RunScriptArgs {
                    uri: uri.clone(),
                    args: Vec::new()
                }),
            )];
            if let Some(run_id) = running {
                lenses.push(lens("■ Stop", CANCEL_RUN, json!(CancelRunArgs { run_id })));
            }
            Ok(Some(lenses))
        })
        .await
    }

    /// `window/workDoneProgress/cancel`: the user pressed cancel on a run's progress.
    pub(super) async fn progress_cancelled(&self, params: WorkDoneProgressCancelParams) {
        let token = token_text(&params.token);
        let outcome = guard::notification("window/workDoneProgress/cancel", || {
            if let Some(run_id) = lock(&self.runs.progress_tokens).remove(&token) {
                self.runs.supervisor.cancel(run_id);
            }
        });
        self.report(outcome).await;
    }
}

fn parse_argument<T: serde::de::DeserializeOwned>(argument: Option<Value>) -> Result<T> {
    let argument =
        argument.ok_or_else(|| Error::invalid_params("the command needs one argument"))?;
    serde_json::from_value(argument)
        .map_err(|e| Error::invalid_params(format!("bad argument: {e}")))
}

fn token_text(token: &NumberOrString) -> String {
    match token {
        NumberOrString::Number(n) => n.to_string(),
        NumberOrString::String(s) => s.clone(),
    }
}

/// Asks the client to redraw code lenses (Run / Stop), when it can.
async fn refresh_lenses(runs: &Runs, client: &Client) {
    if runs.client_refreshes_lenses.get() == Some(&true) {
        let _ = client.code_lens_refresh().await;
    }
}

/// What a run's progress shows next.
enum ProgressUpdate {
    /// The latest output line, tool call or step.
    Report(String),
    /// The run ended, with its exit code.
    End(Option<i64>),
}

/// Sends a run's events to the client in order as `llmspell/runOutput`, and keeps the run's
/// error for its diagnostic. Progress goes through a task of its own, so output never waits
/// for the client to answer `window/workDoneProgress/create`.
async fn forward(
    runs: &Arc<Runs>,
    client: &Client,
    run_id: u64,
    uri: &Uri,
    script: &str,
    mut events: tokio::sync::mpsc::UnboundedReceiver<Value>,
) {
    let progress = (runs.client_shows_progress.get() == Some(&true)).then(|| {
        let (updates, received) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(show_progress(
            Arc::clone(runs),
            client.clone(),
            run_id,
            script.to_owned(),
            received,
        ));
        updates
    });
    let mut seq = 0;
    while let Some(event) = events.recv().await {
        seq += 1;
        let kind = event["type"].as_str().unwrap_or_default().to_owned();
        if kind == "error"
            && let Some(line) = event["line"].as_u64().and_then(|l| u32::try_from(l).ok())
            && line > 0
            && event["file"].as_str().is_none_or(|f| f == script)
        {
            let message = event["message"].as_str().unwrap_or_default().to_owned();
            lock(&runs.errors).insert(
                uri.clone(),
                RunError {
                    line: line - 1,
                    message,
                },
            );
        }
        if let Some(progress) = &progress {
            let update = match kind.as_str() {
                "stdout" | "stderr" => event["text"]
                    .as_str()
                    .map(|t| ProgressUpdate::Report(t.trim_end().to_owned())),
                "step" => event["step"]
                    .as_str()
                    .map(|s| ProgressUpdate::Report(format!("step {s}"))),
                "tool_call" => event["tool"]
                    .as_str()
                    .map(|t| ProgressUpdate::Report(format!("tool {t}"))),
                "finished" => Some(ProgressUpdate::End(event["exit_code"].as_i64())),
                _ => None,
            };
            if let Some(update) = update {
                let _ = progress.send(update);
            }
        }
        client
            .send_notification::<RunOutput>(RunOutputParams {
                run_id,
                seq,
                event: camel_case_event(event),
            })
            .await;
    }
}

/// Shows a run as work-done progress: creates the token (a client that never answers gets no
/// progress, and the run's output is not held up by it), then begin, reports and end.
async fn show_progress(
    runs: Arc<Runs>,
    client: Client,
    run_id: u64,
    script: String,
    mut updates: tokio::sync::mpsc::UnboundedReceiver<ProgressUpdate>,
) {
    let token = NumberOrString::String(format!("llmspell-run-{run_id}"));
    let created = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        client.send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
            token: token.clone(),
        }),
    )
    .await;
    if !matches!(created, Ok(Ok(()))) {
        return;
    }
    lock(&runs.progress_tokens).insert(token_text(&token), run_id);
    let send = |value: WorkDoneProgress| {
        client.send_notification::<Progress>(ProgressParams {
            token: token.clone(),
            value: ProgressParamsValue::WorkDone(value),
        })
    };
    let name = std::path::Path::new(&script)
        .file_name()
        .map_or_else(|| script.clone(), |n| n.to_string_lossy().into_owned());
    send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
        title: format!("Running {name}"),
        cancellable: Some(true),
        message: None,
        percentage: None,
    }))
    .await;
    while let Some(update) = updates.recv().await {
        match update {
            ProgressUpdate::Report(message) if !message.is_empty() => {
                send(WorkDoneProgress::Report(WorkDoneProgressReport {
                    cancellable: Some(true),
                    message: Some(message.chars().take(120).collect()),
                    percentage: None,
                }))
                .await;
            }
            ProgressUpdate::Report(_) => {}
            ProgressUpdate::End(exit_code) => {
                send(WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: exit_code.map(|c| format!("exit code {c}")),
                }))
                .await;
                break;
            }
        }
    }
    lock(&runs.progress_tokens).remove(&token_text(&token));
}

impl Refresher {
    /// The run error diagnostic of `uri`, if any, for merging into its analysis diagnostics.
    pub(super) fn run_diagnostic(&self, uri: &Uri, document: &Document) -> Option<Diagnostic> {
        self.runs.error_diagnostic(uri, document, self.encoding)
    }
}
