//! The measurements themselves, each a short LSP session with a freshly started server:
//! completion latency on a large document, diagnostics after an edit, `initialize` to first
//! diagnostics, and memory after indexing a workspace. The same code drives llmspell and the
//! peers, so a ratio compares the same requests on the same text.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::client::{LspClient, file_uri};
use super::inputs::{Probe, Script};

/// Any single answer the benchmark waits for. Generous: a budget is milliseconds, and a slow
/// answer must be measured, not mistaken for a hang. Only a hang hits this.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a peer may take to load its project before completion answers usefully.
const READY_TIMEOUT: Duration = Duration::from_secs(180);
/// Between readiness checks, so the check does not itself keep the peer busy.
const READY_POLL: Duration = Duration::from_millis(250);
/// How long to wait for a server's first diagnostics of an opened document before measuring
/// anyway (a server may publish none for a document it finds clean).
const FIRST_DIAGNOSTICS_TIMEOUT: Duration = Duration::from_secs(60);
/// The indexing of a large workspace, from `initialized` to the server saying it is done.
const INDEX_TIMEOUT: Duration = Duration::from_secs(300);
/// Timed requests of one kind stop after this long, with the samples so far (at least
/// `MIN_SAMPLES`): a server that takes a second per answer has failed its budget long before
/// 200 answers, and the benchmark should still end in minutes. The table's `runs` shows it.
const TIMED_SPAN_LIMIT: Duration = Duration::from_secs(60);
const MIN_SAMPLES: usize = 20;
/// Between an edit-then-complete round and the next: a typist's pause, so each round starts
/// with the server idle, as it mostly is between keystrokes.
pub const TYPING_PAUSE: Duration = Duration::from_millis(150);

/// How to start a language server.
pub struct Launch {
    /// "llmspell", "emmylua_ls 0.25.1": names the server in the table and in errors.
    pub label: String,
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub initialization_options: Value,
}

impl Launch {
    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        command
    }

    /// Starts the server and completes the handshake with `root` as the only workspace folder.
    fn start(&self, root: &Path) -> Result<Started, String> {
        let mut client = LspClient::spawn(&self.label, self.command())?;
        let sent = Instant::now();
        let response = client.request(
            "initialize",
            initialize_params(root, &self.initialization_options),
            ANSWER_TIMEOUT,
        )?;
        client.notify("initialized", json!({}))?;
        Ok(Started {
            client,
            initialize_sent: sent,
            sync: SyncKind::of(&response.result),
        })
    }
}

/// A server after the handshake.
struct Started {
    client: LspClient,
    /// When `initialize` was written, for start-up timings.
    initialize_sent: Instant,
    sync: SyncKind,
}

/// How the server wants document changes: as ranges, or the whole text every time. Sending
/// ranges to a server that asked for whole texts corrupts its copy of the document (emmylua_ls
/// asks for whole texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SyncKind {
    Full,
    Incremental,
}

impl SyncKind {
    /// From the `initialize` result: `textDocumentSync` is a kind, or options with `change`.
    /// Anything but "incremental" (2) gets whole texts, which every server accepts.
    fn of(initialize_result: &Value) -> SyncKind {
        let sync = &initialize_result["capabilities"]["textDocumentSync"];
        let kind = sync.as_u64().or_else(|| sync["change"].as_u64());
        if kind == Some(2) {
            SyncKind::Incremental
        } else {
            SyncKind::Full
        }
    }
}

fn initialize_params(root: &Path, initialization_options: &Value) -> Value {
    let uri = file_uri(root);
    let name = root.file_name().map_or_else(
        || "workspace".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    json!({
        "processId": std::process::id(),
        "clientInfo": { "name": "llmspell-bench" },
        "rootUri": uri,
        "rootPath": root,
        "workspaceFolders": [{ "uri": uri, "name": name }],
        "initializationOptions": initialization_options,
        "capabilities": {
            "general": { "positionEncodings": ["utf-16"] },
            "workspace": { "configuration": true, "workspaceFolders": true },
            "textDocument": {
                "synchronization": { "didSave": true, "dynamicRegistration": false },
                "completion": {
                    "completionItem": { "snippetSupport": true, "documentationFormat": ["markdown", "plaintext"] },
                    "contextSupport": true
                },
                "publishDiagnostics": { "versionSupport": true },
                "hover": { "contentFormat": ["markdown", "plaintext"] }
            },
            "window": { "workDoneProgress": false }
        }
    })
}

fn did_open(
    client: &mut LspClient,
    uri: &str,
    language_id: &str,
    text: &str,
) -> Result<(), String> {
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": language_id, "version": 1, "text": text } }),
    )
}

/// Waits for `publishDiagnostics` of `uri`, of `version` when given; returns the instant it
/// arrived and how many diagnostics it carried.
fn wait_for_diagnostics(
    client: &mut LspClient,
    uri: &str,
    version: Option<i64>,
    timeout: Duration,
) -> Result<(Instant, Vec<Value>), String> {
    let incoming = client.wait_for_notification(
        "textDocument/publishDiagnostics",
        |params| {
            params["uri"] == uri && version.is_none_or(|v| params["version"].as_i64() == Some(v))
        },
        timeout,
    )?;
    let diagnostics = incoming.message["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok((incoming.at, diagnostics))
}

/// Sends one completion request; returns its latency and the labels of the items.
fn complete(
    client: &mut LspClient,
    uri: &str,
    probe: &Probe,
) -> Result<(Duration, Vec<String>), String> {
    let response = client.request(
        "textDocument/completion",
        json!({
            "textDocument": { "uri": uri },
            "position": { "line": probe.line, "character": probe.character },
            "context": { "triggerKind": 1 }
        }),
        ANSWER_TIMEOUT,
    )?;
    // An array of items, or a CompletionList with `items`.
    let items = response
        .result
        .as_array()
        .or_else(|| response.result["items"].as_array())
        .cloned()
        .unwrap_or_default();
    let labels = items
        .iter()
        .filter_map(|item| item["label"].as_str())
        // Some servers decorate labels (`execute(input)`, `execute~`): compare the name.
        .map(|label| {
            label
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or(label)
                .to_owned()
        })
        .collect();
    Ok((response.latency, labels))
}

/// What a completion session measured.
pub struct CompletionRun {
    pub samples: Vec<Duration>,
    /// Timed answers without the expected item, and the first such answer described.
    pub wrong_answers: usize,
    pub first_wrong: Option<String>,
    /// Whether `TIMED_SPAN_LIMIT` cut the timed requests short.
    pub stopped_early: bool,
    /// From `didOpen` to the first answer holding the expected item: how long the server
    /// needed before completion was useful (project load, indexing).
    pub ready_after: Duration,
    /// Diagnostics the server published for the freshly opened document (`None`: none came).
    pub open_diagnostics: Option<Vec<Value>>,
    /// Completion right after an edit.
    pub after_edit: AfterEditRun,
    /// Diagnostics after an edit, when asked for.
    pub edits: Option<EditRun>,
}

/// Completion requests sent right after an edit, as typing sends them.
pub struct AfterEditRun {
    pub samples: Vec<Duration>,
    pub wrong_answers: usize,
}

/// What the diagnostics-after-edit part measured.
pub struct EditRun {
    pub samples: Vec<Duration>,
    /// Whether `TIMED_SPAN_LIMIT` cut the edits short.
    pub stopped_early: bool,
}

/// What a completion session does, beyond completion.
pub struct CompletionPlan<'a> {
    pub script: &'a Script,
    /// The file on disk holding `script.text`, inside `root`.
    pub path: &'a Path,
    pub root: &'a Path,
    pub warmups: usize,
    pub runs: usize,
    /// Wait for llmspell's "workspace indexed" message before opening the document, so the
    /// index's own refresh does not run during the timings.
    pub index_message: Option<&'a str>,
    /// Rounds of didChange immediately followed by a completion request, timed like the
    /// others, after them.
    pub completions_after_edits: usize,
    /// `(warm-ups, timed runs)` of didChange → publishDiagnostics, after the completions.
    pub edits: Option<(usize, usize)>,
}

/// The open document as the session has edited it, so each change names the right range and
/// the next version.
struct EditedDocument<'a> {
    uri: &'a str,
    script: &'a Script,
    sync: SyncKind,
    version: i64,
    /// The whole text now, for servers that want it with every change.
    text: String,
    /// Where the edit line starts in `text` (lines before it never change).
    line_start: usize,
    /// The edit line's text now.
    line_text: String,
    edits: usize,
}

impl<'a> EditedDocument<'a> {
    fn opened(uri: &'a str, script: &'a Script, sync: SyncKind) -> Self {
        let line_start = script
            .text
            .split_inclusive('\n')
            .take(script.edit.line as usize)
            .map(str::len)
            .sum();
        EditedDocument {
            uri,
            script,
            sync,
            version: 1,
            text: script.text.clone(),
            line_start,
            line_text: script.edit.original.clone(),
            edits: 0,
        }
    }

    /// Sends the next rewrite of the edit line; returns its version and when it was written.
    fn change(&mut self, client: &mut LspClient) -> Result<(i64, Instant), String> {
        let change = self.next_change();
        let sent = Instant::now();
        client.notify("textDocument/didChange", change)?;
        Ok((self.version, sent))
    }

    /// Rewrites the edit line (a new version) and returns the `didChange` params saying so, in
    /// the form the server asked for.
    fn next_change(&mut self) -> Value {
        self.edits += 1;
        self.version += 1;
        let site = &self.script.edit;
        let replacement = site.text_for(self.edits);
        let old_line = self.line_start..self.line_start + self.line_text.len();
        self.text.replace_range(old_line, &replacement);
        let content_change = match self.sync {
            SyncKind::Incremental => json!({
                "range": {
                    "start": { "line": site.line, "character": 0 },
                    "end": { "line": site.line, "character": self.line_text.len() }
                },
                "text": replacement
            }),
            SyncKind::Full => json!({ "text": self.text }),
        };
        self.line_text = replacement;
        json!({
            "textDocument": { "uri": self.uri, "version": self.version },
            "contentChanges": [content_change]
        })
    }
}

/// Opens the script and waits until completion answers usefully; then times, in order:
/// `plan.runs` sequential completion requests cycling through the script's probes, the rounds
/// of an edit followed by a completion request, and (when asked) diagnostics after edits.
pub fn completion_session(launch: &Launch, plan: &CompletionPlan) -> Result<CompletionRun, String> {
    let Started {
        mut client, sync, ..
    } = launch.start(plan.root)?;
    if let Some(prefix) = plan.index_message {
        wait_for_log_message(&mut client, prefix, INDEX_TIMEOUT)?;
    }
    let uri = file_uri(plan.path);
    let script = plan.script;
    did_open(&mut client, &uri, script.language.id(), &script.text)?;
    let opened = Instant::now();
    let open_diagnostics = wait_for_diagnostics(&mut client, &uri, None, FIRST_DIAGNOSTICS_TIMEOUT)
        .ok()
        .map(|(_, diagnostics)| diagnostics);

    // Readiness: the first probe until its expected item comes back.
    let first = script.probes.first().ok_or("the script has no probes")?;
    let ready_after = loop {
        let (_, labels) = complete(&mut client, &uri, first)?;
        if labels.iter().any(|l| l == first.expected) {
            break opened.elapsed();
        }
        if opened.elapsed() > READY_TIMEOUT {
            return Err(format!(
                "{}: completion after `{}` never offered `{}` within {READY_TIMEOUT:?} (last answer: {})",
                launch.label,
                first.context,
                first.expected,
                describe_labels(&labels)
            ));
        }
        std::thread::sleep(READY_POLL);
    };

    let mut samples = Vec::with_capacity(plan.runs);
    let mut wrong_answers = 0;
    let mut first_wrong = None;
    let mut stopped_early = false;
    let mut timed_since = Instant::now();
    for round in 0..plan.warmups + plan.runs {
        if round == plan.warmups {
            timed_since = Instant::now();
        } else if timed_since.elapsed() > TIMED_SPAN_LIMIT && samples.len() >= MIN_SAMPLES {
            stopped_early = true;
            break;
        }
        let probe = &script.probes[round % script.probes.len()];
        let (latency, labels) = complete(&mut client, &uri, probe)?;
        if round < plan.warmups {
            continue;
        }
        samples.push(latency);
        if !labels.iter().any(|l| l == probe.expected) {
            wrong_answers += 1;
            first_wrong.get_or_insert_with(|| {
                format!(
                    "after `{}` (line {}, character {}): no `{}` in {}",
                    probe.context,
                    probe.line + 1,
                    probe.character,
                    probe.expected,
                    describe_labels(&labels)
                )
            });
        }
    }

    let mut document = EditedDocument::opened(&uri, script, sync);
    let mut after_edit = AfterEditRun {
        samples: Vec::with_capacity(plan.completions_after_edits),
        wrong_answers: 0,
    };
    for round in 0..plan.completions_after_edits {
        std::thread::sleep(TYPING_PAUSE);
        document.change(&mut client)?;
        let probe = &script.probes[round % script.probes.len()];
        let (latency, labels) = complete(&mut client, &uri, probe)?;
        after_edit.samples.push(latency);
        if !labels.iter().any(|l| l == probe.expected) {
            after_edit.wrong_answers += 1;
        }
    }

    let edits = match plan.edits {
        Some((warmups, runs)) => Some(edit_session(&mut client, &mut document, warmups, runs)?),
        None => None,
    };
    client.shutdown();
    Ok(CompletionRun {
        samples,
        wrong_answers,
        first_wrong,
        stopped_early,
        ready_after,
        open_diagnostics,
        after_edit,
        edits,
    })
}

/// Rewrites the script's edit line `warmups + runs` times, each time a new version, and times
/// each from writing `didChange` to reading `publishDiagnostics` for that version. Each edit
/// waits for the previous one's diagnostics, so they never queue up.
fn edit_session(
    client: &mut LspClient,
    document: &mut EditedDocument,
    warmups: usize,
    runs: usize,
) -> Result<EditRun, String> {
    // Earlier diagnostics (from the completions' time) must not satisfy a wait.
    client.clear_backlog();
    let mut samples = Vec::with_capacity(runs);
    let mut stopped_early = false;
    let mut timed_since = Instant::now();
    for round in 0..warmups + runs {
        if round == warmups {
            timed_since = Instant::now();
        } else if timed_since.elapsed() > TIMED_SPAN_LIMIT && samples.len() >= MIN_SAMPLES {
            stopped_early = true;
            break;
        }
        let (version, sent) = document.change(client)?;
        let (arrived, _) =
            wait_for_diagnostics(client, document.uri, Some(version), ANSWER_TIMEOUT)?;
        if round >= warmups {
            samples.push(arrived.saturating_duration_since(sent));
        }
    }
    Ok(EditRun {
        samples,
        stopped_early,
    })
}

/// Starts the server on `root`, opens `file` and times from writing `initialize` to reading the
/// first `publishDiagnostics` of the file.
pub fn startup_to_diagnostics(
    launch: &Launch,
    root: &Path,
    file: &Path,
) -> Result<Duration, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let language = match file.extension().and_then(|e| e.to_str()) {
        Some("js") => "javascript",
        _ => "lua",
    };
    let Started {
        mut client,
        initialize_sent: sent,
        ..
    } = launch.start(root)?;
    let uri = file_uri(file);
    did_open(&mut client, &uri, language, &text)?;
    let (arrived, _) = wait_for_diagnostics(&mut client, &uri, None, ANSWER_TIMEOUT)?;
    client.shutdown();
    Ok(arrived.saturating_duration_since(sent))
}

/// Starts the server on `root`, opens `file`, and runs it `warmups + runs` times with
/// `llmspell.runScript`, timing each from writing the command to reading the run's first
/// `llmspell/runOutput` (its `started` event: the child process is up and running the script).
/// Each run is waited for to its `finished` before the next starts.
pub fn run_to_first_event(
    launch: &Launch,
    root: &Path,
    file: &Path,
    warmups: usize,
    runs: usize,
) -> Result<Vec<Duration>, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let Started { mut client, .. } = launch.start(root)?;
    let uri = file_uri(file);
    did_open(&mut client, &uri, "lua", &text)?;
    let mut samples = Vec::with_capacity(runs);
    for round in 0..warmups + runs {
        let sent = Instant::now();
        let response = client.request(
            "workspace/executeCommand",
            json!({ "command": "llmspell.runScript", "arguments": [{ "uri": uri }] }),
            ANSWER_TIMEOUT,
        )?;
        let id = response.result["runId"]
            .as_u64()
            .ok_or_else(|| format!("runScript gave no runId: {}", response.result))?;
        let first = client.wait_for_notification(
            "llmspell/runOutput",
            |p| p["runId"] == id && p["seq"] == 1,
            ANSWER_TIMEOUT,
        )?;
        client.wait_for_notification(
            "llmspell/runOutput",
            |p| p["runId"] == id && p["event"]["type"] == "finished",
            ANSWER_TIMEOUT,
        )?;
        if round >= warmups {
            samples.push(first.at.saturating_duration_since(sent));
        }
    }
    client.shutdown();
    Ok(samples)
}

/// What the indexing session measured.
pub struct IndexRun {
    /// From `initialized` to the "workspace indexed" message.
    pub elapsed: Duration,
    /// The message itself ("... 1000 script files in 850 ms").
    pub message: String,
    /// VmRSS and VmHWM (the peak) of the server right after the message, in bytes.
    pub rss: u64,
    pub peak_rss: u64,
}

/// Starts the server on `root`, waits for the log message starting with `index_message`, and
/// reads the server's resident memory from /proc.
pub fn index_session(
    launch: &Launch,
    root: &Path,
    index_message: &str,
) -> Result<IndexRun, String> {
    let Started { mut client, .. } = launch.start(root)?;
    let started = Instant::now();
    let (message, at) = wait_for_log_message(&mut client, index_message, INDEX_TIMEOUT)?;
    let status_path = format!("/proc/{}/status", client.pid());
    let status = std::fs::read_to_string(&status_path)
        .map_err(|e| format!("cannot read {status_path}: {e}"))?;
    let rss = status_kib(&status, "VmRSS").ok_or("no VmRSS in /proc/PID/status")? * 1024;
    let peak_rss = status_kib(&status, "VmHWM").unwrap_or(0) * 1024;
    client.shutdown();
    Ok(IndexRun {
        elapsed: at.saturating_duration_since(started),
        message,
        rss,
        peak_rss,
    })
}

/// Waits for a `window/logMessage` starting with `prefix`; returns its text and arrival.
fn wait_for_log_message(
    client: &mut LspClient,
    prefix: &str,
    timeout: Duration,
) -> Result<(String, Instant), String> {
    let incoming = client.wait_for_notification(
        "window/logMessage",
        |params| {
            params["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(prefix))
        },
        timeout,
    )?;
    let message = incoming.message["params"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Ok((message, incoming.at))
}

/// A `Key:   123 kB` line of /proc/PID/status, in KiB.
fn status_kib(status: &str, key: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name == key)
            .then(|| value.trim().trim_end_matches("kB").trim().parse().ok())
            .flatten()
    })
}

/// A few labels of an answer, for error messages.
fn describe_labels(labels: &[String]) -> String {
    if labels.is_empty() {
        return "no items".to_owned();
    }
    let shown: Vec<&str> = labels.iter().take(8).map(String::as_str).collect();
    let more = labels.len().saturating_sub(shown.len());
    if more == 0 {
        format!("[{}]", shown.join(", "))
    } else {
        format!("[{}, … {more} more]", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::super::inputs::{Language, large_script};
    use super::*;

    #[test]
    fn sync_kind_is_read_from_either_form() {
        let result = |sync: Value| json!({ "capabilities": { "textDocumentSync": sync } });
        assert_eq!(SyncKind::of(&result(json!(2))), SyncKind::Incremental);
        assert_eq!(
            SyncKind::of(&result(json!({ "change": 2 }))),
            SyncKind::Incremental
        );
        assert_eq!(
            SyncKind::of(&result(json!({ "change": 1 }))),
            SyncKind::Full
        );
        assert_eq!(SyncKind::of(&json!({})), SyncKind::Full);
    }

    #[test]
    fn edits_name_the_old_line_and_keep_the_whole_text_current() {
        let script = large_script(Language::Lua, 100);
        let line = script.edit.line as usize;
        let mut incremental =
            EditedDocument::opened("file:///x.lua", &script, SyncKind::Incremental);
        let mut full = EditedDocument::opened("file:///x.lua", &script, SyncKind::Full);
        let mut previous = script.edit.original.clone();
        for version in 2..=4 {
            let change = incremental.next_change();
            assert_eq!(change["textDocument"]["version"], version);
            let range = &change["contentChanges"][0]["range"];
            assert_eq!(range["start"], json!({ "line": line, "character": 0 }));
            assert_eq!(range["end"]["character"], previous.len());
            previous = change["contentChanges"][0]["text"]
                .as_str()
                .unwrap()
                .to_owned();

            let whole = full.next_change()["contentChanges"][0]["text"].clone();
            let whole = whole.as_str().unwrap();
            assert_eq!(whole.lines().nth(line), Some(previous.as_str()));
            assert_eq!(whole.lines().count(), script.lines);
        }
    }

    #[test]
    fn proc_status_values_are_read_in_kib() {
        let status = "Name:\tllmspell\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\n";
        assert_eq!(status_kib(status, "VmRSS"), Some(40960));
        assert_eq!(status_kib(status, "VmHWM"), Some(51200));
        assert_eq!(status_kib(status, "VmSwap"), None);
    }

    #[test]
    fn long_answers_are_shortened() {
        let labels: Vec<String> = (0..10).map(|i| format!("item{i}")).collect();
        assert!(describe_labels(&labels).ends_with("… 2 more]"));
        assert_eq!(describe_labels(&[]), "no items");
    }
}
