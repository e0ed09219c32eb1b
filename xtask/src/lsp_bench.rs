//! The language-server part of `cargo xtask bench`: the release `llmspell lsp`, driven over
//! stdio with JSON-RPC exactly as an editor drives it, measured against its budgets, and
//! compared on the same documents and the same requests with emmylua_ls (Lua) and
//! typescript-language-server (JavaScript).
//!
//! - `client`: a small LSP client (framing, requests, notifications, timeouts).
//! - `inputs`: the generated scripts, cursor positions and indexing workspace.
//! - `peers`: installing and starting the peer servers.
//! - `session`: the measurements, one short session with a fresh server each.
//!
//! Everything is generated under `<target>/bench-lsp/`, so runs are repeatable and nothing in
//! the repository changes.

mod client;
mod inputs;
mod peers;
mod session;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use self::inputs::{Language, Script};
use self::session::{CompletionPlan, CompletionRun, Launch};
use crate::bench::{
    bench_dir, first_line, fmt_budget, fmt_duration, fmt_ratio, group_thousands, llmspell_defs,
    table_under,
};
use crate::process::repo_root;
use crate::stats::{Summary, percentile};

/// The large documents of the completion and diagnostics figures.
const LARGE_SCRIPT_LINES: usize = 10_000;
const COMPLETION_WARMUPS: usize = 10;
const COMPLETION_RUNS: usize = 200;
/// Completion right after an edit: each round pauses as a typist does, so fewer rounds.
const COMPLETION_AFTER_EDIT_RUNS: usize = 40;
/// Editing a large file is the slow path; 30 edits give a stable median in seconds.
const EDIT_WARMUPS: usize = 2;
const EDIT_RUNS: usize = 30;
/// Each start is a new process; the first, untimed, puts the binary in the page cache.
const STARTUP_WARMUPS: usize = 1;
const STARTUP_RUNS: usize = 10;
/// The example scripts the start-up figure opens, relative to the repository root; the
/// examples folder is the workspace, as when an editor opens it.
const STARTUP_SCRIPTS: &[&str] = &["examples/agent_tools.lua", "examples/agent_tools.js"];
/// The indexing workspace: files, and sections per file (about 30 lines each).
const INDEX_FILES: usize = 1_000;
const INDEX_SECTIONS_PER_FILE: usize = 8;
const INDEX_RUNS: usize = 3;
/// The start of the `window/logMessage` llmspell sends once the workspace index is built
/// (`server/src/lsp/mod.rs`, `INDEX_BUILT_MESSAGE`).
const INDEX_MESSAGE: &str = "llmspell: workspace indexed";

/// Completion has to keep up with typing: every answer, not just the typical one.
const COMPLETION_BUDGET: Duration = Duration::from_millis(10);
/// Squiggles should follow an edit before the next keystroke lands.
const DIAGNOSTICS_BUDGET: Duration = Duration::from_millis(50);
/// Opening a script in a fresh editor should show its problems at once.
const STARTUP_BUDGET: Duration = Duration::from_millis(100);
/// A language server is one of many processes an editor starts.
const RSS_BUDGET_BYTES: u64 = 100_000_000;
/// From the run command to the first event at the client: a run should feel instant.
const RUN_FIRST_EVENT_BUDGET: Duration = Duration::from_millis(100);
const RUN_WARMUPS: usize = 2;
const RUN_RUNS: usize = 20;
/// The script run from the editor: it runs offline on the examples' mock provider.
const RUN_SCRIPT: &str = "examples/hello.lua";

/// What a figure is held to.
#[derive(Debug, Clone, Copy)]
enum Budget {
    MedianTime(Duration),
    P99Time(Duration),
    MedianBytes(u64),
}

/// The figures of one row.
#[derive(Debug, Clone)]
enum Figures {
    Time(Vec<Duration>),
    Bytes(Vec<u64>),
}

/// One line of the language-server table.
struct LspRow {
    name: String,
    /// `Err` says why there are no figures.
    figures: Result<Figures, String>,
    budget: Option<Budget>,
    /// A peer's missing figures are reported, not failed: the peer is not what is tested.
    peer: bool,
    /// The result column when there is no budget: a ratio, or "—".
    note: String,
}

impl LspRow {
    fn llmspell(name: String, figures: Result<Figures, String>, budget: Option<Budget>) -> Self {
        LspRow {
            name,
            figures,
            budget,
            peer: false,
            note: "—".to_owned(),
        }
    }

    /// `None` when there is nothing to pass or fail. A llmspell measurement that could not be
    /// taken (a crash, a hang) fails: it is the server under test.
    fn within_budget(&self) -> Option<bool> {
        match (&self.figures, self.budget) {
            (Err(_), _) if !self.peer => Some(false),
            (Ok(Figures::Time(samples)), Some(Budget::MedianTime(limit))) => {
                Some(time_stats(samples)?.median <= limit)
            }
            (Ok(Figures::Time(samples)), Some(Budget::P99Time(limit))) => {
                Some(time_stats(samples)?.p99 <= limit)
            }
            (Ok(Figures::Bytes(samples)), Some(Budget::MedianBytes(limit))) => {
                Some(byte_median(samples)? <= limit)
            }
            _ => None,
        }
    }

    fn cells(&self) -> Vec<String> {
        let dash = || "—".to_owned();
        let (median, p90, p99, max, runs) = match &self.figures {
            Ok(Figures::Time(samples)) => match time_stats(samples) {
                Some(s) => (
                    fmt_duration(s.median),
                    fmt_duration(s.p90),
                    fmt_duration(s.p99),
                    fmt_duration(s.max),
                    s.runs.to_string(),
                ),
                None => ("no samples".to_owned(), dash(), dash(), dash(), dash()),
            },
            Ok(Figures::Bytes(samples)) => (
                byte_median(samples).map_or_else(dash, fmt_bytes),
                dash(),
                dash(),
                samples.iter().max().copied().map_or_else(dash, fmt_bytes),
                samples.len().to_string(),
            ),
            Err(why) => (first_line(why), dash(), dash(), dash(), dash()),
        };
        let budget = match self.budget {
            Some(Budget::MedianTime(limit)) => format!("median ≤ {}", fmt_budget(limit)),
            Some(Budget::P99Time(limit)) => format!("p99 ≤ {}", fmt_budget(limit)),
            Some(Budget::MedianBytes(limit)) => format!("median ≤ {}", fmt_bytes_budget(limit)),
            None => dash(),
        };
        let result = match self.within_budget() {
            Some(true) => "pass".to_owned(),
            Some(false) => "**FAIL**".to_owned(),
            None => self.note.clone(),
        };
        vec![
            self.name.clone(),
            median,
            p90,
            p99,
            max,
            runs,
            budget,
            result,
        ]
    }
}

/// Order statistics of latencies: the table's columns.
struct TimeStats {
    median: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
    runs: usize,
}

fn time_stats(samples: &[Duration]) -> Option<TimeStats> {
    let summary = Summary::of(samples)?;
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    Some(TimeStats {
        median: summary.median,
        p90: summary.p90,
        p99: percentile(&sorted, 99),
        max: *sorted.last()?,
        runs: summary.runs,
    })
}

fn byte_median(samples: &[u64]) -> Option<u64> {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied()
}

/// MB as 10^6 bytes, as the budget is phrased.
fn fmt_bytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Budgets are round numbers: "100 MB", not "100.0 MB".
fn fmt_bytes_budget(bytes: u64) -> String {
    if bytes.is_multiple_of(1_000_000) {
        format!("{} MB", bytes / 1_000_000)
    } else {
        fmt_bytes(bytes)
    }
}

/// The language-server table and what the reader needs to interpret it.
pub struct LspReport {
    rows: Vec<LspRow>,
    notes: Vec<String>,
}

impl LspReport {
    pub fn all_within_budget(&self) -> bool {
        self.rows
            .iter()
            .all(|row| row.within_budget() != Some(false))
    }

    pub fn table(&self) -> String {
        let header = [
            "Language server",
            "median",
            "p90",
            "p99",
            "max",
            "runs",
            "budget",
            "result",
        ];
        table_under(&header, self.rows.iter().map(LspRow::cells))
    }

    pub fn terminal(&self) -> String {
        crate::bench::table_with_notes(self.table(), &self.notes)
    }

    /// The "Language server" section of docs/benchmarks.md.
    pub fn markdown(&self) -> String {
        let notes: String = self.notes.iter().map(|n| format!("- {n}\n")).collect();
        format!(
            "\
## Language server

{table}

{notes}
### How the language-server figures are measured

Every figure comes from the release binary, `llmspell lsp`, started as an editor starts it and
driven over stdio by a small JSON-RPC client in xtask (`xtask/src/lsp_bench/`); a latency runs
from writing the request to reading the last byte of the answer. The inputs are generated under
`target/bench-lsp/`: a Lua and a JavaScript script of {lines} lines each, made of report
sections (an `Agent.create` with a mock model, a calculator from `Tool.get`, a loop of
`agent:execute` calls, a `Workflow.sequential`), next to the API declarations from
`llmspell defs --lua` and `llmspell defs --ts`, a `jsconfig.json` and an `llmspell.toml`; that
folder is the workspace every server is given.

- **Completion**: the script is opened, then {COMPLETION_RUNS} completion requests (after
  {COMPLETION_WARMUPS} warm-ups) are sent one after another, on the unchanged document, at
  member positions in the middle and last sections: after `Agent.`, `Tool.`,
  `agent_N:`/`agent_N.` and `calc_N:`/`calc_N.`. Each answer is checked for the expected item
  (`create`, `get`, `execute`). Before timing, the client waits for llmspell's \"workspace
  indexed\" message and for the first diagnostics of the document, and asks until the first
  answer is a useful one (a peer may need seconds to load its project). The budget is on the
  p99: completion has to keep up with typing every time, not on average. A server so slow
  that the requests take over a minute is stopped there (as are the edits below), and the
  `runs` column shows how many were timed.
- **Peers**: emmylua_ls {emmylua} (crates.io) for Lua and typescript-language-server {tsls}
  with TypeScript {typescript} (npm) for JavaScript, installed once into
  `~/.cache/llmspell-bench/` and given the same workspace (so they know the API through the
  generated declarations), the same document and the same requests. Edits go in the form each
  server asks for in `initialize`: ranges for llmspell and typescript-language-server, the
  whole text for emmylua_ls. The ratio is the peer's figure over llmspell's: above 1×
  llmspell is faster.
- **Completion right after an edit**: in the same session, {COMPLETION_AFTER_EDIT_RUNS} times, a
  line in the middle of the document (a string literal) is rewritten with `didChange` and a
  completion request follows at once, as when typing; the request is timed. A {pause} ms pause
  (a typist's) comes before each round. No budget: it shows what the unchanged-document figure
  leaves out, the server's work on a new version.
- **Diagnostics after an edit**: then, in the same session, a line in the middle of the document
  (a string literal) is rewritten with `didChange` and a new version, {EDIT_RUNS} times after
  {EDIT_WARMUPS} warm-ups, each timed from writing the change to reading the
  `textDocument/publishDiagnostics` for that version.
- **`initialize` to first diagnostics**: a new `llmspell lsp` per sample ({STARTUP_RUNS} after
  {STARTUP_WARMUPS} untimed), with `examples/` as the workspace; timed from writing
  `initialize`, through `initialized` and `didOpen` of the example, to reading its first
  `publishDiagnostics`.
- **Run script → first event**: one server with `examples/` as the workspace runs
  `{RUN_SCRIPT}` with `llmspell.runScript` {RUN_RUNS} times (after {RUN_WARMUPS} untimed), each
  timed from writing the command to reading the run's first `llmspell/runOutput` (its
  `started` event, sent once the child `llmspell run` has started the script); each run is
  waited for to its end before the next.
- **Indexing and memory**: a workspace of {files} scripts (alternately Lua and JS, about
  {lines_per_file} lines each, each registering `tool_N` and using another file's tool) is given
  as the workspace folder; the client waits for the `window/logMessage` starting with
  \"{INDEX_MESSAGE}\", then reads `VmRSS` from `/proc/PID/status` ({INDEX_RUNS} server starts;
  MB = 10^6 bytes). The time is from `initialized` to that message.
- `cargo xtask bench --only lsp` runs this part alone (it prints the table and leaves this
  file as it is).
",
            table = self.table(),
            lines = group_thousands(LARGE_SCRIPT_LINES),
            files = group_thousands(INDEX_FILES),
            pause = session::TYPING_PAUSE.as_millis(),
            emmylua = peers::EMMYLUA_LS_VERSION,
            tsls = peers::TYPESCRIPT_LANGUAGE_SERVER_VERSION,
            typescript = peers::TYPESCRIPT_VERSION,
            lines_per_file = inputs::workspace_script(Language::Lua, 0, 2, INDEX_SECTIONS_PER_FILE)
                .lines()
                .count(),
        )
    }
}

/// Where the generated inputs live.
struct Folders {
    /// The workspace of the completion and diagnostics figures.
    completion: PathBuf,
    /// The workspace of the indexing figure.
    index: PathBuf,
}

/// Measures everything; never fails as a whole: a measurement that cannot be taken becomes a
/// row saying why.
pub fn measure(binary: &Path) -> LspReport {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    // Latencies of a few milliseconds double on a busy machine; say how busy it was.
    if let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
    {
        let cpus = std::thread::available_parallelism().map_or(0, usize::from);
        notes.push(format!(
            "The 1-minute load average was {load} (on {cpus} CPUs) when this part started; \
             above the CPU count, other work competed with the servers for the CPUs."
        ));
    }
    let llmspell = Launch {
        label: "llmspell".to_owned(),
        program: binary.to_path_buf(),
        args: vec!["lsp".into()],
        initialization_options: Value::Null,
    };
    let folders = Folders {
        completion: bench_dir(binary, "bench-lsp").join("completion"),
        index: bench_dir(binary, "bench-lsp").join("workspace"),
    };
    let scripts = match prepare_completion_workspace(binary, &folders.completion) {
        Ok(scripts) => scripts,
        Err(why) => {
            // A failing row, not just a note: without the inputs nothing of llmspell's
            // completion or diagnostics was measured, and the bench must not pass silently.
            rows.push(LspRow::llmspell(
                "completion and diagnostics on the large scripts".to_owned(),
                Err(format!("the inputs could not be prepared: {why}")),
                None,
            ));
            Vec::new()
        }
    };

    // Peers first: an install is slow and noisy, and must not overlap a timing.
    let emmylua = peers::emmylua_ls();
    let tsls = peers::typescript_language_server();

    for (script, path) in &scripts {
        let language = script.language;
        let peer = match language {
            Language::Lua => &emmylua,
            Language::JavaScript => &tsls,
        };
        println!(
            "measuring llmspell lsp on a {}-line {} script: completion ({COMPLETION_RUNS} requests), completion right after an edit ({COMPLETION_AFTER_EDIT_RUNS} rounds), diagnostics after an edit ({EDIT_RUNS} edits)...",
            script.lines,
            language.name()
        );
        let plan = CompletionPlan {
            script,
            path,
            root: &folders.completion,
            warmups: COMPLETION_WARMUPS,
            runs: COMPLETION_RUNS,
            index_message: Some(INDEX_MESSAGE),
            completions_after_edits: COMPLETION_AFTER_EDIT_RUNS,
            edits: Some((EDIT_WARMUPS, EDIT_RUNS)),
        };
        let ours = session::completion_session(&llmspell, &plan);
        let peer_run = peer.as_ref().map_err(Clone::clone).and_then(|launch| {
            println!(
                "measuring {} on the same script and the same completions...",
                launch.label
            );
            let plan = CompletionPlan {
                index_message: None,
                edits: None,
                ..plan
            };
            session::completion_session(launch, &plan).map(|run| (launch.label.clone(), run))
        });
        completion_rows(script, &ours, &peer_run, &mut rows, &mut notes);
    }

    let root = repo_root();
    for example in STARTUP_SCRIPTS {
        println!(
            "measuring `initialize` to first diagnostics of {example} ({STARTUP_RUNS} server starts after {STARTUP_WARMUPS} warm-up)..."
        );
        let file = root.join(example);
        let samples = (0..STARTUP_WARMUPS + STARTUP_RUNS)
            .map(|_| session::startup_to_diagnostics(&llmspell, &root.join("examples"), &file))
            .collect::<Result<Vec<_>, _>>()
            .map(|all| all[STARTUP_WARMUPS..].to_vec());
        note_error(&samples, "llmspell start-up", &mut notes);
        rows.push(LspRow::llmspell(
            format!("`initialize` → first diagnostics, {example}"),
            samples.map(Figures::Time),
            Some(Budget::MedianTime(STARTUP_BUDGET)),
        ));
    }

    println!(
        "measuring `llmspell.runScript` of {RUN_SCRIPT} to its first event ({RUN_RUNS} runs after {RUN_WARMUPS} warm-ups)..."
    );
    let samples = session::run_to_first_event(
        &llmspell,
        &root.join("examples"),
        &root.join(RUN_SCRIPT),
        RUN_WARMUPS,
        RUN_RUNS,
    );
    note_error(&samples, "llmspell run from the editor", &mut notes);
    rows.push(LspRow::llmspell(
        format!("run script command → first event at the client, {RUN_SCRIPT}"),
        samples.map(Figures::Time),
        Some(Budget::MedianTime(RUN_FIRST_EVENT_BUDGET)),
    ));

    println!(
        "measuring indexing of a {INDEX_FILES}-file workspace and the server's memory ({INDEX_RUNS} server starts)..."
    );
    index_rows(&llmspell, &folders.index, &mut rows, &mut notes);

    LspReport { rows, notes }
}

/// Writes the large scripts, the API declarations for the peers and their project files.
fn prepare_completion_workspace(
    binary: &Path,
    folder: &Path,
) -> Result<Vec<(Script, PathBuf)>, String> {
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let write = |name: &str, text: &str| {
        let path = folder.join(name);
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
            .map(|()| path)
    };
    write("llmspell.d.lua", &llmspell_defs(binary, "--lua")?)?;
    write("llmspell.d.ts", &llmspell_defs(binary, "--ts")?)?;
    // tsserver: the scripts are ES modules (top-level await) and the declarations global.
    let jsconfig = json!({
        "compilerOptions": {
            "target": "ES2022",
            "module": "ES2022",
            "lib": ["ES2022"],
            "moduleDetection": "force",
            "checkJs": false,
            "noEmit": true
        },
        "include": ["*.js", "*.d.ts"]
    });
    write(
        "jsconfig.json",
        &serde_json::to_string_pretty(&jsconfig).unwrap_or_default(),
    )?;
    write(
        ".emmyrc.json",
        "{ \"runtime\": { \"version\": \"Lua5.4\" } }\n",
    )?;
    write(
        "llmspell.toml",
        "# The benchmark workspace: every agent uses the offline mock model.\ndefault_model = \"mock/echo\"\n",
    )?;
    [Language::Lua, Language::JavaScript]
        .into_iter()
        .map(|language| {
            let script = inputs::large_script(language, LARGE_SCRIPT_LINES);
            let path = write(&format!("report.{}", language.extension()), &script.text)?;
            Ok((script, path))
        })
        .collect()
}

fn completion_rows(
    script: &Script,
    ours: &Result<CompletionRun, String>,
    peer: &Result<(String, CompletionRun), String>,
    rows: &mut Vec<LspRow>,
    notes: &mut Vec<String>,
) {
    let language = script.language.name();
    let document = format!("{}-line {language} script", group_thousands(script.lines));
    note_error(ours, &format!("llmspell ({language})"), notes);
    if let Ok(run) = ours {
        note_answers("llmspell", language, run, notes);
    }
    let peer_name = match peer {
        Ok((label, run)) => {
            note_answers(label, language, run, notes);
            label.clone()
        }
        Err(why) => {
            let name = match script.language {
                Language::Lua => peers::EMMYLUA_LS,
                Language::JavaScript => peers::TYPESCRIPT_LANGUAGE_SERVER,
            };
            notes.push(format!("Peer {name} ({language}) has no figures: {why}"));
            name.to_owned()
        }
    };
    let samples = |run: &Result<CompletionRun, String>,
                   pick: fn(&CompletionRun) -> &Vec<Duration>| {
        run.as_ref()
            .map(|run| pick(run).clone())
            .map_err(Clone::clone)
    };
    let peer_run = peer.as_ref().map(|(_, run)| run).map_err(Clone::clone);
    let peer_samples =
        |pick: fn(&CompletionRun) -> &Vec<Duration>| peer_run.clone().map(|run| pick(run).clone());

    let ours_static = samples(ours, |run| &run.samples);
    rows.push(LspRow::llmspell(
        format!("completion, {document}"),
        ours_static.clone().map(Figures::Time),
        Some(Budget::P99Time(COMPLETION_BUDGET)),
    ));
    let peer_wrong = |pick: fn(&CompletionRun) -> usize| peer_run.clone().map_or(0, pick);
    rows.push(peer_row(
        format!("peer: {peer_name}, same completions"),
        &ours_static,
        peer_samples(|run| &run.samples),
        peer_wrong(|run| run.wrong_answers),
    ));

    let ours_after_edit = samples(ours, |run| &run.after_edit.samples);
    rows.push(LspRow::llmspell(
        format!("completion right after an edit, {document}"),
        ours_after_edit.clone().map(Figures::Time),
        None,
    ));
    rows.push(peer_row(
        format!("peer: {peer_name}, same edits and completions"),
        &ours_after_edit,
        peer_samples(|run| &run.after_edit.samples),
        peer_wrong(|run| run.after_edit.wrong_answers),
    ));

    rows.push(LspRow::llmspell(
        format!("diagnostics after an edit, {document}"),
        ours.as_ref().map_err(Clone::clone).and_then(|run| {
            run.edits
                .as_ref()
                .map(|edits| Figures::Time(edits.samples.clone()))
                .ok_or_else(|| "no edits were measured".to_owned())
        }),
        Some(Budget::MedianTime(DIAGNOSTICS_BUDGET)),
    ));
}

/// A peer's row, with its figures over llmspell's in the result column, and how many of its
/// answers lacked the expected item (a fast empty answer is no answer).
fn peer_row(
    name: String,
    ours: &Result<Vec<Duration>, String>,
    peer: Result<Vec<Duration>, String>,
    wrong_answers: usize,
) -> LspRow {
    let mut ratio = match (ours, &peer) {
        (Ok(ours), Ok(theirs)) => match (time_stats(ours), time_stats(theirs)) {
            (Some(a), Some(b)) => format!(
                "peer/llmspell: median {}, p99 {}",
                fmt_ratio(b.median, a.median),
                fmt_ratio(b.p99, a.p99)
            ),
            _ => "—".to_owned(),
        },
        _ => "—".to_owned(),
    };
    if let (Ok(samples), 1..) = (&peer, wrong_answers) {
        ratio.push_str(&format!(
            " ({wrong_answers} of {} answers without the expected item)",
            samples.len()
        ));
    }
    LspRow {
        name,
        figures: peer.map(Figures::Time),
        budget: None,
        peer: true,
        note: ratio,
    }
}

/// Notes on what a completion session saw besides latencies: readiness, wrong answers, and the
/// diagnostics of the generated script (which should be clean: a finding there is likely a
/// false positive worth a look).
fn note_answers(server: &str, language: &str, run: &CompletionRun, notes: &mut Vec<String>) {
    if server != "llmspell" {
        notes.push(format!(
            "{server}, {language}: the first useful completion came {} after `didOpen`.",
            fmt_duration(run.ready_after)
        ));
    }
    if run.stopped_early {
        notes.push(format!(
            "{server}, {language}: completion was so slow that timing stopped after {} requests.",
            run.samples.len()
        ));
    }
    if let Some(edits) = run.edits.as_ref().filter(|e| e.stopped_early) {
        notes.push(format!(
            "{server}, {language}: diagnostics were so slow that timing stopped after {} edits.",
            edits.samples.len()
        ));
    }
    if run.after_edit.wrong_answers > 0 {
        notes.push(format!(
            "{server}, {language}: {} of {} answers right after an edit lacked the expected item.",
            run.after_edit.wrong_answers,
            run.after_edit.samples.len()
        ));
    }
    if run.wrong_answers > 0 {
        notes.push(format!(
            "{server}, {language}: {} of {} timed answers lacked the expected item; first: {}.",
            run.wrong_answers,
            run.samples.len(),
            run.first_wrong.as_deref().unwrap_or("?")
        ));
    }
    if server == "llmspell" {
        match &run.open_diagnostics {
            Some(found) if found.is_empty() => {}
            Some(found) => notes.push(format!(
                "llmspell reported {} diagnostics on the generated {language} script: {}.",
                found.len(),
                describe_diagnostics(found)
            )),
            None => notes.push(format!(
                "llmspell published no diagnostics for the opened {language} script."
            )),
        }
    }
}

/// The most frequent codes and one example message: "unused-local ×250 (…)".
fn describe_diagnostics(found: &[Value]) -> String {
    let mut counts: Vec<(String, usize, String)> = Vec::new();
    for diagnostic in found {
        let code = match &diagnostic["code"] {
            Value::String(code) => code.clone(),
            Value::Number(code) => code.to_string(),
            _ => "no code".to_owned(),
        };
        match counts.iter_mut().find(|(c, _, _)| *c == code) {
            Some(entry) => entry.1 += 1,
            None => {
                let line = diagnostic["range"]["start"]["line"].as_u64().unwrap_or(0) + 1;
                let message = diagnostic["message"].as_str().unwrap_or_default();
                counts.push((code, 1, format!("line {line}: {}", first_line(message))));
            }
        }
    }
    counts.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    counts
        .iter()
        .take(5)
        .map(|(code, count, example)| format!("`{code}` ×{count} (e.g. {example})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn index_rows(llmspell: &Launch, folder: &Path, rows: &mut Vec<LspRow>, notes: &mut Vec<String>) {
    let runs =
        inputs::write_workspace(folder, INDEX_FILES, INDEX_SECTIONS_PER_FILE).and_then(|()| {
            (0..INDEX_RUNS)
                .map(|_| session::index_session(llmspell, folder, INDEX_MESSAGE))
                .collect::<Result<Vec<_>, _>>()
        });
    note_error(&runs, "llmspell indexing", notes);
    if let Ok(runs) = &runs {
        let messages: Vec<&str> = runs.iter().map(|r| r.message.as_str()).collect();
        let peak = runs.iter().map(|r| r.peak_rss).max().unwrap_or(0);
        notes.push(format!(
            "Indexing: the server said \"{}\"; peak RSS (VmHWM) {}.",
            messages.join("\", \""),
            fmt_bytes(peak)
        ));
        let expected = format!("{INDEX_MESSAGE}: {INDEX_FILES} script files");
        if !messages.iter().all(|m| m.starts_with(&expected)) {
            notes.push(format!(
                "Indexing: expected \"{expected} …\": the server did not index every file."
            ));
        }
    }
    let name = format!("workspace of {} files", group_thousands(INDEX_FILES));
    rows.push(LspRow::llmspell(
        format!("RSS after indexing a {name}"),
        runs.as_ref()
            .map(|runs| Figures::Bytes(runs.iter().map(|r| r.rss).collect()))
            .map_err(Clone::clone),
        Some(Budget::MedianBytes(RSS_BUDGET_BYTES)),
    ));
    rows.push(LspRow::llmspell(
        format!("indexing a {name} (`initialized` → \"workspace indexed\")"),
        runs.map(|runs| Figures::Time(runs.iter().map(|r| r.elapsed).collect())),
        None,
    ));
}

fn note_error<T>(outcome: &Result<T, String>, what: &str, notes: &mut Vec<String>) {
    if let Err(why) = outcome {
        notes.push(format!("{what} failed: {why}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn byte_budgets_are_round() {
        assert_eq!(fmt_bytes_budget(100_000_000), "100 MB");
        assert_eq!(fmt_bytes(15_123_456), "15.1 MB");
    }

    #[test]
    fn budgets_apply_to_the_named_statistic() {
        // 99 fast answers and one slow one: the median passes, the p99 (rank 99 of 100) too.
        let mut samples = ms(&[1; 99]);
        samples.push(Duration::from_millis(50));
        let row = |samples: &[Duration], budget| {
            LspRow::llmspell(
                "x".into(),
                Ok(Figures::Time(samples.to_vec())),
                Some(budget),
            )
        };
        let ten = Duration::from_millis(10);
        assert_eq!(
            row(&samples, Budget::P99Time(ten)).within_budget(),
            Some(true)
        );
        // Two slow ones out of 100 reach the p99.
        samples[0] = Duration::from_millis(50);
        assert_eq!(
            row(&samples, Budget::P99Time(ten)).within_budget(),
            Some(false)
        );
        assert_eq!(
            row(&samples, Budget::MedianTime(ten)).within_budget(),
            Some(true)
        );
        let memory = LspRow::llmspell(
            "m".into(),
            Ok(Figures::Bytes(vec![90_000_000, 120_000_000, 95_000_000])),
            Some(Budget::MedianBytes(RSS_BUDGET_BYTES)),
        );
        assert_eq!(memory.within_budget(), Some(true));
        assert_eq!(memory.cells()[1], "95.0 MB");
    }

    #[test]
    fn a_failed_measurement_fails_for_llmspell_but_not_for_a_peer() {
        let ours = LspRow::llmspell("x".into(), Err("crashed\nstderr".into()), None);
        assert_eq!(ours.within_budget(), Some(false));
        assert_eq!(ours.cells()[1], "crashed");
        let peer = LspRow {
            peer: true,
            ..LspRow::llmspell("p".into(), Err("not installed".into()), None)
        };
        assert_eq!(peer.within_budget(), None);
    }
}
