//! `cargo xtask bench`: measure `llmspell` against its budgets and its peers, print the tables
//! and record them with the machine in docs/benchmarks.md. Never a timed test: timings belong on
//! a quiet machine with a release build, not in `cargo test` on a loaded CI runner. This file
//! holds the runtime part, the report and the helpers the parts share; the language-server part
//! is `lsp_bench`, the lint part `lint_bench`.
//!
//! Two processes are involved, on purpose:
//!
//! 1. `bench` (this debug-built xtask, as the `cargo xtask` alias builds it) runs
//!    `cargo build --release -p llmspell-server`, then `cargo run --release -p xtask --
//!    bench-inner`, and passes on its exit code.
//! 2. `bench-inner` (the same code, built with optimisations) does the measuring.
//!
//! Why: the engine-creation row is measured inside the process, so the code being timed is
//! whatever this binary was compiled as. Under the alias, xtask and llmspell-runtime (a
//! workspace member, so the `profile.dev.package."*"` opt-level override does not reach it)
//! would be unoptimised and the figure meaningless. Re-running xtask in release reuses the
//! llmspell-runtime release artifacts step 1 just built, so the extra cost is compiling xtask's
//! own small crate. A separate bench binary would need a new crate or a `[[bin]]` in a crate
//! xtask does not own, and would split the table and docs code in two.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use llmspell_runtime::{ExecutionContext, ScriptRuntime};

use crate::EXIT_USAGE;
use crate::lint_bench::{self, LintReport};
use crate::lsp_bench::{self, LspReport};
use crate::machine::Machine;
use crate::process::{self, cargo, locked_flag, repo_root, run_inherited};
use crate::stats::Summary;
use crate::stream_bench;

/// The hidden subcommand `bench` runs in a release build of xtask.
pub const INNER_COMMAND: &str = "bench-inner";
/// The script the whole-process budget is defined on, relative to the repository root and run
/// from there, exactly as a user types it.
pub const DEFAULT_SCRIPT: &str = "examples/hello.lua";
const DOC_PATH: &str = "docs/benchmarks.md";

/// Engine creation is cheap, so many samples; a few unrecorded first so the allocator and
/// caches are warm and the one-time API definition load is not in the samples (it is reported
/// separately as the cold figure).
const ENGINE_WARMUPS: usize = 10;
const ENGINE_RUNS: usize = 200;
/// A process start is ~1000x dearer; 30 runs give a stable median in a few seconds. The
/// warm-ups put the binary and its libraries in the page cache.
const PROCESS_WARMUPS: usize = 3;
const PROCESS_RUNS: usize = 30;

/// Every `llmspell run` and every editor "run script" pays engine creation once; at 1 ms it is
/// invisible next to any LLM call.
const ENGINE_BUDGET: Duration = Duration::from_millis(1);
/// `llmspell run` in a CI step or a shell loop should feel like starting an interpreter.
const PROCESS_BUDGET: Duration = Duration::from_millis(30);
/// Budget for what a script adds per streamed chunk, on top of the provider's own client.
const STREAM_CHUNK_BUDGET: Duration = Duration::from_micros(5);
const STREAM_RUNS: usize = 15;
/// Budget for creating a JavaScript runtime with the API injected.
const JS_ENGINE_BUDGET: Duration = Duration::from_millis(5);
const LOOP_RUNS: usize = 15;
const LOOP_WARMUPS: usize = 2;
const LUA_LOOP: &str = "local s = 0\nfor i = 1, 1000000 do s = s + i end\nreturn s\n";
const JS_LOOP: &str = "let s = 0;\nfor (let i = 1; i <= 1000000; i++) s += i;\nexport default s;\n";
const STREAM_WARMUPS: usize = 2;

/// Peers for the process-start ratio, in order of preference: a plain Lua 5.4 interpreter is
/// the floor for "start a process that can run Lua".
const PEERS: &[&str] = &["lua5.4", "lua"];

/// The parts of the benchmark, which `--only` picks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Engine creation, loops, streaming, `llmspell run`.
    Runtime,
    /// `llmspell lsp` and its peers (`lsp_bench`).
    Lsp,
    /// `llmspell lint` and its peers (`lint_bench`).
    Lint,
}

impl Part {
    const NAMES: &str = "runtime, lsp, lint";

    fn parse(name: &str) -> Option<Part> {
        match name {
            "runtime" => Some(Part::Runtime),
            "lsp" => Some(Part::Lsp),
            "lint" => Some(Part::Lint),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Part::Runtime => "runtime",
            Part::Lsp => "lsp",
            Part::Lint => "lint",
        }
    }
}

#[derive(Debug, Default)]
struct Options {
    /// `--script PATH`: time another script; the docs are then left alone, since they record
    /// the canonical run only.
    script: Option<PathBuf>,
    /// `--only PART`: measure one part; the docs are then left alone, since they record the
    /// whole run.
    only: Option<Part>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--script" => {
                    let path = args.next().ok_or("--script needs a PATH")?;
                    options.script = Some(PathBuf::from(path));
                }
                "--only" => {
                    let name = args.next().ok_or("--only needs a PART")?;
                    let part = Part::parse(name).ok_or_else(|| {
                        format!("unknown part `{name}` for --only (one of: {})", Part::NAMES)
                    })?;
                    options.only = Some(part);
                }
                other => return Err(format!("unknown bench option `{other}`")),
            }
        }
        Ok(options)
    }

    fn includes(&self, part: Part) -> bool {
        self.only.is_none_or(|only| only == part)
    }

    /// The docs record the canonical, complete run only.
    fn writes_docs(&self) -> bool {
        self.script.is_none() && self.only.is_none()
    }
}

/// `cargo xtask bench`: build, then hand over to the release-built measurer.
pub fn run(args: &[String]) -> ExitCode {
    let mut options = match Options::parse(args) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    // The measurer runs from the repository root; a relative --script means relative to where
    // the user typed the command.
    if let Some(script) = options.script.take() {
        // Canonical, so the table shows `examples/x.lua` rather than `runtime/../examples/x.lua`.
        let absolute = std::env::current_dir().unwrap_or_default().join(script);
        options.script = Some(std::fs::canonicalize(&absolute).unwrap_or(absolute));
    }

    let mut build = cargo();
    build
        .args(["build", "--release", "-p", "llmspell-server"])
        .args(locked_flag());
    let mut inner = cargo();
    inner
        .args(["run", "--release", "-p", "xtask"])
        .args(locked_flag());
    inner.args(["--", INNER_COMMAND]);
    if let Some(script) = &options.script {
        inner.arg("--script").arg(script);
    }
    if let Some(part) = options.only {
        inner.args(["--only", part.name()]);
    }

    for (step, command) in [("build llmspell", &mut build), ("measure", &mut inner)] {
        println!("\n==> xtask bench: {step}: {}", process::display(command));
        match run_inherited(command) {
            Ok(status) if status.success() => {}
            // The measurer's own exit code (1 = budget missed) is the answer.
            Ok(status) if step == "measure" => {
                return ExitCode::from(status.code().map_or(EXIT_USAGE, |c| c as u8));
            }
            Ok(status) => return fatal(&format!("`{step}` failed ({status})")),
            Err(message) => return fatal(&message),
        }
    }
    ExitCode::SUCCESS
}

/// `bench-inner`: measure, print, write the docs.
pub fn run_inner(args: &[String]) -> ExitCode {
    if cfg!(debug_assertions) {
        return usage_error(&format!(
            "`{INNER_COMMAND}` measures code compiled into xtask and must be built with \
             --release; run `cargo xtask bench`"
        ));
    }
    let options = match Options::parse(args) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    let runtime = if options.includes(Part::Runtime) {
        match measure(&options) {
            Ok(report) => Some(report),
            Err(message) => return fatal(&message),
        }
    } else {
        None
    };
    let lsp = if options.includes(Part::Lsp) {
        match llmspell_binary() {
            Ok(binary) => Some(lsp_bench::measure(&binary)),
            Err(message) => return fatal(&message),
        }
    } else {
        None
    };
    let lint = if options.includes(Part::Lint) {
        match llmspell_binary() {
            Ok(binary) => Some(lint_bench::measure(&binary)),
            Err(message) => return fatal(&message),
        }
    } else {
        None
    };

    println!("\n{}\n", machine_line(&Machine::detect()));
    if let Some(report) = &runtime {
        println!("{}\n", report.terminal());
    }
    if let Some(report) = &lsp {
        println!("{}\n", report.terminal());
    }
    if let Some(report) = &lint {
        println!("{}\n", report.terminal());
    }
    match (&runtime, &lsp, &lint) {
        (Some(report), Some(lsp), Some(lint)) if options.writes_docs() => {
            let path = repo_root().join(DOC_PATH);
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, report.markdown(lsp, lint)));
            match written {
                Ok(()) => println!("wrote {DOC_PATH}"),
                Err(e) => return fatal(&format!("cannot write {}: {e}", path.display())),
            }
        }
        _ if options.script.is_some() => {
            println!("(--script given: {DOC_PATH} left unchanged)");
        }
        _ => println!("(--only given: {DOC_PATH} left unchanged)"),
    }
    let within_budget = runtime.as_ref().is_none_or(Report::all_within_budget)
        && lsp.as_ref().is_none_or(LspReport::all_within_budget)
        && lint.as_ref().is_none_or(LintReport::all_within_budget);
    if within_budget {
        println!("xtask bench: all budgets met");
        ExitCode::SUCCESS
    } else {
        println!("xtask bench: FAILED: a budget was missed (see the tables)");
        ExitCode::FAILURE
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("xtask bench: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn fatal(message: &str) -> ExitCode {
    eprintln!("xtask bench: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// One line of the table.
struct Row {
    name: String,
    /// `Err` says why there are no figures ("peer not installed").
    figures: Result<Summary, String>,
    budget: Option<Duration>,
    /// Shown in the result column when there is no budget to pass or fail.
    note: String,
}

impl Row {
    fn within_budget(&self) -> Option<bool> {
        match (&self.figures, self.budget) {
            (Ok(summary), Some(budget)) => Some(summary.median <= budget),
            _ => None,
        }
    }

    fn cells(&self) -> [String; 7] {
        let (median, p90, min, runs) = match &self.figures {
            Ok(s) => (
                fmt_duration(s.median),
                fmt_duration(s.p90),
                fmt_duration(s.min),
                s.runs.to_string(),
            ),
            Err(why) => (why.clone(), "—".into(), "—".into(), "—".into()),
        };
        let budget = self
            .budget
            .map_or("—".to_owned(), |b| format!("median ≤ {}", fmt_budget(b)));
        let result = match self.within_budget() {
            Some(true) => "pass".to_owned(),
            Some(false) => "**FAIL**".to_owned(),
            None => self.note.clone(),
        };
        [self.name.clone(), median, p90, min, runs, budget, result]
    }
}

struct Report {
    machine: Machine,
    rows: Vec<Row>,
    /// The first engine creation in the process: includes one-time work (loading the API
    /// definition) that every `llmspell run` pays once.
    cold_engine: Duration,
    /// llmspell's whole-process median over the peer's, when there is a peer.
    ratio: Option<(String, f64)>,
    /// How to get the peer when it is missing, if the system package manager has it.
    peer_hint: Option<String>,
}

fn measure(options: &Options) -> Result<Report, String> {
    let root = repo_root();
    let binary = llmspell_binary()?;
    let script = options
        .script
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_SCRIPT));
    if !root.join(&script).is_file() {
        return Err(format!(
            "{} not found: it is the script the whole-process budget is timed on",
            script.display()
        ));
    }
    // Show the script as typed from the repository root, as the budget is phrased (a --script
    // path arrives canonical, so compare it with the canonical root).
    let canonical_root = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
    let shown_script = script
        .strip_prefix(&canonical_root)
        .unwrap_or(&script)
        .display()
        .to_string();
    let machine = Machine::detect();

    println!(
        "measuring Lua engine creation ({ENGINE_RUNS} runs after {ENGINE_WARMUPS} warm-ups)..."
    );
    let (cold_engine, engine_samples) = time_engine_creation()?;

    println!(
        "measuring `llmspell run {shown_script}` ({PROCESS_RUNS} runs after {PROCESS_WARMUPS} warm-ups)..."
    );
    let llmspell_samples = time_process(
        || {
            let mut command = Command::new(&binary);
            command.arg("run").arg(&script).current_dir(&root);
            command
        },
        PROCESS_WARMUPS,
        PROCESS_RUNS,
    )?;
    let llmspell = Summary::of(&llmspell_samples).ok_or("no samples")?;

    let peer = PEERS
        .iter()
        .find_map(|name| process::which(name).map(|path| (*name, path)));
    let (peer_row, ratio, peer_hint) = match peer {
        Some((name, path)) => {
            println!(
                "measuring peer `{name} -e ''` ({PROCESS_RUNS} runs after {PROCESS_WARMUPS} warm-ups)..."
            );
            let samples = time_process(
                || {
                    let mut command = Command::new(&path);
                    command.args(["-e", ""]).current_dir(&root);
                    command
                },
                PROCESS_WARMUPS,
                PROCESS_RUNS,
            )?;
            let summary = Summary::of(&samples).ok_or("no samples")?;
            let ratio = llmspell.median.as_secs_f64() / summary.median.as_secs_f64();
            let version = process::stdout_of(name, &["-v"])
                // "Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio": keep "Lua 5.4.4".
                .map(|v| v.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| name.to_owned());
            let row = Row {
                name: format!("peer: `{name} -e ''` whole process ({version})"),
                figures: Ok(summary),
                budget: None,
                note: format!("llmspell/peer = {ratio:.1}×"),
            };
            (row, Some((name.to_owned(), ratio)), None)
        }
        None => {
            let row = Row {
                name: "peer: `lua5.4 -e ''` whole process".to_owned(),
                figures: Err("peer not installed".to_owned()),
                budget: None,
                note: "—".to_owned(),
            };
            (row, None, apt_install_hint("lua5.4"))
        }
    };

    println!(
        "measuring JavaScript engine creation ({ENGINE_RUNS} runs after {ENGINE_WARMUPS} warm-ups)..."
    );
    let (_, js_engine_samples) = time_runtime_creation("javascript")?;
    println!(
        "measuring a 1e6-iteration loop in Lua and JavaScript ({LOOP_RUNS} runs each after {LOOP_WARMUPS} warm-ups)..."
    );
    let lua_loop = Summary::of(&time_loop("lua", LUA_LOOP)?).ok_or("no samples")?;
    let js_loop = Summary::of(&time_loop("javascript", JS_LOOP)?).ok_or("no samples")?;
    let loop_ratio = js_loop.median.as_secs_f64() / lua_loop.median.as_secs_f64();

    println!(
        "measuring a {}-chunk SSE stream, provider alone vs. a script ({STREAM_RUNS} rounds after {STREAM_WARMUPS} warm-ups)...",
        stream_bench::CHUNKS
    );
    let stream_samples = stream_bench::time_streaming(STREAM_WARMUPS, STREAM_RUNS)?;
    let added: Vec<Duration> = stream_samples.iter().map(|s| s.added_per_chunk()).collect();
    let raw: Vec<Duration> = stream_samples.iter().map(|s| s.raw).collect();
    let scripted: Vec<Duration> = stream_samples.iter().map(|s| s.script).collect();

    let rows = vec![
        Row {
            name: format!(
                "SSE stream of {} chunks: added cost per chunk (script vs. provider)",
                stream_bench::CHUNKS
            ),
            figures: Ok(Summary::of(&added).ok_or("no samples")?),
            budget: Some(STREAM_CHUNK_BUDGET),
            note: String::new(),
        },
        Row {
            name: format!(
                "SSE stream of {} chunks: provider alone (whole stream)",
                stream_bench::CHUNKS
            ),
            figures: Ok(Summary::of(&raw).ok_or("no samples")?),
            budget: None,
            note: "—".to_owned(),
        },
        Row {
            name: format!(
                "SSE stream of {} chunks: Lua script (whole stream)",
                stream_bench::CHUNKS
            ),
            figures: Ok(Summary::of(&scripted).ok_or("no samples")?),
            budget: None,
            note: "—".to_owned(),
        },
        Row {
            name: "Lua engine creation + API injection (in-process)".to_owned(),
            figures: Ok(Summary::of(&engine_samples).ok_or("no samples")?),
            budget: Some(ENGINE_BUDGET),
            note: String::new(),
        },
        Row {
            name: "JavaScript engine creation + API injection (in-process)".to_owned(),
            figures: Ok(Summary::of(&js_engine_samples).ok_or("no samples")?),
            budget: Some(JS_ENGINE_BUDGET),
            note: String::new(),
        },
        Row {
            name: "1e6-iteration loop, Lua (in-process)".to_owned(),
            figures: Ok(lua_loop),
            budget: None,
            note: "—".to_owned(),
        },
        Row {
            name: "1e6-iteration loop, JavaScript (in-process)".to_owned(),
            figures: Ok(js_loop),
            budget: None,
            note: format!("JS/Lua = {loop_ratio:.1}×"),
        },
        Row {
            name: format!("`llmspell run {shown_script}` whole process"),
            figures: Ok(llmspell),
            budget: Some(PROCESS_BUDGET),
            note: String::new(),
        },
        peer_row,
    ];
    Ok(Report {
        machine,
        rows,
        cold_engine,
        ratio,
        peer_hint,
    })
}

/// The release `llmspell`, in the target directory cargo actually uses (which
/// `CARGO_TARGET_DIR` or `build.target-dir` may have moved away from `./target`).
fn llmspell_binary() -> Result<PathBuf, String> {
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata failed ({})", output.status));
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let target = metadata["target_directory"]
        .as_str()
        .ok_or("cargo metadata: no target_directory")?;
    let binary = Path::new(target)
        .join("release")
        .join(format!("llmspell{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "{} not found: run `cargo xtask bench`, which builds it first",
            binary.display()
        ))
    }
}

/// `llmspell defs --lua|--ts`: the API declarations peers need to know the globals.
pub fn llmspell_defs(binary: &Path, flag: &str) -> Result<String, String> {
    let output = Command::new(binary)
        .args(["defs", flag])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run llmspell defs {flag}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "llmspell defs {flag} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("llmspell defs {flag}: {e}"))
}

/// `<target>/<name>` (`bench-lsp`, `bench-lint`), next to the release binary's
/// `<target>/release`: where a part of the benchmark generates its inputs.
pub fn bench_dir(binary: &Path, name: &str) -> PathBuf {
    binary
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| repo_root().join("target"), Path::to_path_buf)
        .join(name)
}

/// Times `ScriptRuntime::new_with_lua(ExecutionContext::default())`: a fresh Lua state, the
/// sandbox, and every global the API definition declares injected. Dropping the runtime is
/// outside the timed span: the budget is about time to first instruction.
fn time_engine_creation() -> Result<(Duration, Vec<Duration>), String> {
    time_runtime_creation("lua")
}

/// Times `ScriptRuntime::new_with_engine(engine, ...)`, as `time_engine_creation` does for Lua.
fn time_runtime_creation(engine: &str) -> Result<(Duration, Vec<Duration>), String> {
    // The CLI creates the runtime inside a Tokio runtime; do the same so anything that looks
    // for a reactor during creation finds one, without the executor's startup in the samples.
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    let _entered = tokio.enter();
    let create = || -> Result<Duration, String> {
        let start = Instant::now();
        let runtime = ScriptRuntime::new_with_engine(engine, ExecutionContext::default())
            .map_err(|e| format!("creating a {engine} runtime failed: {e}"))?;
        let elapsed = start.elapsed();
        drop(std::hint::black_box(runtime));
        Ok(elapsed)
    };
    let cold = create()?;
    for _ in 0..ENGINE_WARMUPS {
        create()?;
    }
    let samples = (0..ENGINE_RUNS)
        .map(|_| create())
        .collect::<Result<Vec<_>, _>>()?;
    Ok((cold, samples))
}

/// The same loop of a million additions in each language, timed in-process once the runtime
/// exists: the speed of the engines themselves, side by side.
fn time_loop(engine: &str, source: &str) -> Result<Vec<Duration>, String> {
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?;
    tokio.block_on(async {
        let mut samples = Vec::with_capacity(LOOP_RUNS);
        for round in 0..LOOP_WARMUPS + LOOP_RUNS {
            let runtime = ScriptRuntime::new_with_engine(engine, ExecutionContext::default())
                .map_err(|e| format!("creating a {engine} runtime failed: {e}"))?;
            let script = llmspell_runtime::Script::new(format!("loop.{engine}"), source);
            let start = Instant::now();
            let value = runtime
                .execute_script(&script)
                .await
                .map_err(|e| format!("the {engine} loop failed: {e}"))?;
            let elapsed = start.elapsed();
            if value.as_i64() != Some(500_000_500_000) {
                return Err(format!("the {engine} loop computed {value:?}"));
            }
            if round >= LOOP_WARMUPS {
                samples.push(elapsed);
            }
        }
        Ok(samples)
    })
}

/// Wall time from spawn to exit of a whole process, `runs` times after `warmups` untimed runs.
/// The first warm-up captures the output so a failing command is reported with its error; the
/// timed runs discard output (null stdio) so terminal or pipe speed is not in the figure.
fn time_process(
    make: impl Fn() -> Command,
    warmups: usize,
    runs: usize,
) -> Result<Vec<Duration>, String> {
    let mut check = make();
    let shown = process::display(&check);
    let output = check
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{shown}` failed ({}); a benchmark of a failing run means nothing:\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    time_runs(
        make,
        |status| status.success(),
        warmups.saturating_sub(1),
        runs,
    )
}

/// `runs` timed whole-process runs of `make()` after `warmups` untimed ones, with null stdio
/// (so terminal or pipe speed is not in the figure). Each run's exit status must pass
/// `accepted` (a linter exits 1 when it has findings, and that run still counts); the caller
/// has checked one run's output before, since the timed runs' output is thrown away.
pub fn time_runs(
    make: impl Fn() -> Command,
    accepted: impl Fn(ExitStatus) -> bool,
    warmups: usize,
    runs: usize,
) -> Result<Vec<Duration>, String> {
    let shown = process::display(&make());
    let timed_run = || -> Result<Duration, String> {
        let mut command = make();
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let start = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
        let elapsed = start.elapsed();
        if accepted(status) {
            Ok(elapsed)
        } else {
            Err(format!("`{shown}` failed ({status}) while timing"))
        }
    };
    for _ in 0..warmups {
        timed_run()?;
    }
    (0..runs).map(|_| timed_run()).collect()
}

/// "sudo apt-get install NAME" when apt knows an installable candidate. The bench never
/// installs system packages itself: it measures the machine as it is. (The language-server
/// peers are different: they are pinned crates.io and npm packages, cached per user.)
fn apt_install_hint(package: &str) -> Option<String> {
    let policy = process::stdout_of("apt-cache", &["policy", package])?;
    let candidate = policy
        .lines()
        .find_map(|line| line.trim().strip_prefix("Candidate:"))?
        .trim();
    (candidate != "(none)")
        .then(|| format!("sudo apt-get install {package}   # candidate {candidate}"))
}

impl Report {
    fn all_within_budget(&self) -> bool {
        self.rows
            .iter()
            .all(|row| row.within_budget() != Some(false))
    }

    fn table(&self) -> String {
        let header = [
            "Benchmark",
            "median",
            "p90",
            "min",
            "runs",
            "budget",
            "result",
        ];
        table_under(&header, self.rows.iter().map(|r| Vec::from(r.cells())))
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = vec![format!(
            "First engine creation in a process (cold; includes the one-time load of the API definition): {}.",
            fmt_duration(self.cold_engine)
        )];
        match &self.ratio {
            Some((peer, ratio)) => notes.push(format!(
                "Ratio of medians, `llmspell run` / `{peer} -e ''`: {ratio:.1}× (the cost of the runtime, its API and the CLI on top of a bare Lua process)."
            )),
            None => notes.push("Peer not installed: no llmspell/peer ratio this run.".to_owned()),
        }
        notes
    }

    /// The table and its notes; the machine is printed once, above every table.
    fn terminal(&self) -> String {
        let mut out = format!("{}\n", self.table());
        for note in self.notes() {
            out.push_str(&format!("\n{note}"));
        }
        if let Some(hint) = &self.peer_hint {
            out.push_str(&format!("\nTo compare against Lua 5.4: {hint}"));
        }
        out
    }

    /// The whole of docs/benchmarks.md, with the language-server section from `lsp` and the
    /// lint section from `lint`.
    fn markdown(&self, lsp: &LspReport, lint: &LintReport) -> String {
        let m = &self.machine;
        let notes: String = self.notes().iter().map(|n| format!("- {n}\n")).collect();
        format!(
            "\
# Benchmarks

Generated by `cargo xtask bench` (do not edit by hand: rerun it). The command builds `llmspell`
in release, measures, prints this table, writes this file, and exits non-zero when a budget is
missed.

## Machine

| | |
|---|---|
| date | {date} |
| commit | {commit} |
| CPUs (`nproc`) | {nproc} |
| CPU model | {cpu} |
| memory | {memory} |
| OS | {os} |
| rustc | {rustc} |

## Results

{table}

{notes}
## What is measured

- **Lua engine creation + API injection**: `ScriptRuntime::new_with_lua(ExecutionContext::default())`
  timed inside a release build of xtask ({ENGINE_RUNS} runs after {ENGINE_WARMUPS} warm-ups;
  dropping the runtime is not timed). This is what every `llmspell run` and every editor \"run
  script\" pays before the first line of the script: a fresh Lua state, the sandbox, and every
  global the API definition declares. `cargo xtask bench` re-runs xtask as
  `cargo run --release -p xtask -- {INNER_COMMAND}` because the `cargo xtask` alias builds xtask,
  and llmspell-runtime with it, without optimisations.
- **`llmspell run {script}` whole process**: wall time from spawn to exit of the release binary,
  run from the repository root with output discarded ({PROCESS_RUNS} runs after {PROCESS_WARMUPS}
  warm-ups). It includes process start, configuration discovery, engine creation, the script and
  exit.
- **JavaScript engine creation + API injection**: the same for `new_with_engine(\"javascript\")`:
  a QuickJS runtime and context, the prelude, and the API built from the definition.
- **1e6-iteration loop**: `s = s + i` a million times in each language (the result is checked),
  timed in-process with the runtime already created: how fast the engines themselves run.
- **SSE stream**: a fake OpenAI-compatible server on 127.0.0.1 (`llmspell-testkit`) streams a
  {STREAM_CHUNKS}-chunk answer; each round reads it once with the provider's own client from
  Rust (HTTP, SSE framing, JSON) and once through a Lua script iterating `agent:stream`
  (the agent, `token` events drained as the CLI does, the coroutine iterator, Lua strings).
  The added cost per chunk is (script − provider) / {STREAM_CHUNKS}, per round
  ({STREAM_RUNS} rounds after {STREAM_WARMUPS} warm-ups).
- **Peer**: a bare Lua 5.4 interpreter started the same way (`lua5.4 -e ''`), as the floor for
  \"start a process that can run Lua\". The ratio shows what llmspell adds on top.
- Figures are medians, p90 (nearest rank) and minimum over the runs: timing noise only ever adds
  time, so the median is the typical run and the minimum the best case. Budgets apply to the
  median (the language-server table names the statistic each of its budgets applies to).

## Comparing against Lua 5.4

The bench uses `lua5.4` (or `lua`) when it is on `PATH` and never installs it itself. On
Debian and Ubuntu it is one package (Debian 12 \"bookworm\" ships 5.4.4):

```sh
sudo apt-get install lua5.4
cargo xtask bench
```

The language-server peers (emmylua_ls, typescript-language-server) and the lint peers (selene
and emmylua_check for Lua, eslint and oxlint for JavaScript) are in the next sections, side by
side with `llmspell lsp` and `llmspell lint`.

{lsp}
{lint}",
            lsp = lsp.markdown(),
            lint = lint.markdown(),
            date = m.date,
            commit = m.commit,
            nproc = m.nproc,
            cpu = m.cpu,
            memory = m.memory,
            os = m.os,
            rustc = m.rustc,
            table = self.table(),
            script = DEFAULT_SCRIPT,
            STREAM_CHUNKS = stream_bench::CHUNKS,
        )
    }
}

/// The machine in one line, printed above the tables.
fn machine_line(m: &Machine) -> String {
    format!(
        "machine: {} CPUs ({}), {}, {}; {}; commit {}; {}",
        m.nproc, m.cpu, m.memory, m.os, m.rustc, m.commit, m.date
    )
}

/// A part's table for the terminal, followed by its notes, one per paragraph.
pub fn table_with_notes(table: String, notes: &[String]) -> String {
    let mut out = table;
    out.push('\n');
    for note in notes {
        out.push_str(&format!("\n{note}"));
    }
    out
}

/// A [`pipe_table`] with `header` above `rows`.
pub fn table_under(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    pipe_table(&std::iter::once(header).chain(rows).collect::<Vec<_>>())
}

/// A Markdown pipe table, padded so it also reads as plain text in a terminal. The first row is
/// the header; every row has the same number of cells.
pub fn pipe_table(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|col| {
            rows.iter()
                .map(|r| r.get(col).map_or(0, |cell| cell.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let rule = format!(
        "|{}|",
        widths
            .iter()
            .map(|&w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    let mut out = Vec::with_capacity(rows.len() + 1);
    out.extend(rows.first().map(line));
    out.push(rule);
    out.extend(rows.iter().skip(1).map(line));
    out.join("\n")
}

/// Budgets are round numbers: "1 ms", not "1.00 ms".
pub fn fmt_budget(d: Duration) -> String {
    if d.as_micros().is_multiple_of(1000) {
        format!("{} ms", d.as_millis())
    } else {
        fmt_duration(d)
    }
}

/// Microseconds under a millisecond (engine creation), milliseconds under a second (process
/// runs), seconds beyond.
pub fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1e-5 {
        // Per-chunk costs are a few microseconds: keep two decimals so they can be compared.
        format!("{:.2} µs", secs * 1e6)
    } else if secs < 1e-3 {
        format!("{:.0} µs", secs * 1e6)
    } else if secs < 1.0 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{secs:.2} s")
    }
}

/// `a / b` with two significant digits below 1× (a peer many times faster must not read as
/// "0.0×"), one decimal up to 10× and none beyond.
pub fn fmt_ratio(a: Duration, b: Duration) -> String {
    let ratio = a.as_secs_f64() / b.as_secs_f64();
    if !ratio.is_finite() || ratio <= 0.0 {
        return "—".to_owned();
    }
    if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else if ratio >= 1.0 {
        format!("{ratio:.1}×")
    } else {
        let decimals = (-ratio.log10()).floor() as usize + 2;
        format!("{ratio:.decimals$}×")
    }
}

/// Table cells are one line; the full text goes to the notes.
pub fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 90 {
        format!("{}…", line.chars().take(89).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// "10,012": line counts read better grouped.
pub fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(fmt_duration(Duration::from_micros(412)), "412 µs");
        assert_eq!(fmt_duration(Duration::from_nanos(2_345)), "2.35 µs");
        assert_eq!(fmt_duration(Duration::from_micros(12_345)), "12.35 ms");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.50 s");
        assert_eq!(fmt_budget(Duration::from_millis(30)), "30 ms");
        assert_eq!(fmt_budget(Duration::from_micros(1500)), "1.50 ms");
    }

    #[test]
    fn ratios_keep_two_significant_digits_below_one() {
        let ratio = |a, b| fmt_ratio(Duration::from_micros(a), Duration::from_micros(b));
        assert_eq!(ratio(68, 56_400), "0.0012×");
        assert_eq!(ratio(9_170, 16_880), "0.54×");
        assert_eq!(ratio(25_000, 10_000), "2.5×");
        assert_eq!(ratio(250_000, 10_000), "25×");
        assert_eq!(ratio(1, 0), "—");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group_thousands(10_012), "10,012");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(999), "999");
    }

    #[test]
    fn options() {
        assert!(Options::parse(&[]).unwrap().script.is_none());
        let o = Options::parse(&["--script".into(), "x.lua".into()]).unwrap();
        assert_eq!(o.script, Some(PathBuf::from("x.lua")));
        assert!(Options::parse(&["--script".into()]).is_err());
        assert!(Options::parse(&["--fast".into()]).is_err());
        let lsp = Options::parse(&["--only".into(), "lsp".into()]).unwrap();
        assert_eq!(lsp.only, Some(Part::Lsp));
        assert!(lsp.includes(Part::Lsp) && !lsp.includes(Part::Runtime));
        assert!(!lsp.writes_docs());
        assert!(Options::parse(&[]).unwrap().writes_docs());
        let lint = Options::parse(&["--only".into(), "lint".into()]).unwrap();
        assert_eq!(lint.only, Some(Part::Lint));
        assert!(lint.includes(Part::Lint) && !lint.includes(Part::Lsp));
        assert!(Options::parse(&["--only".into(), "style".into()]).is_err());
        assert!(Options::parse(&["--only".into()]).is_err());
    }

    #[test]
    fn a_missed_budget_fails_and_a_missing_peer_does_not() {
        let summary = |ms| Summary::of(&[Duration::from_millis(ms)]).unwrap();
        let row = |ms, budget| Row {
            name: "x".into(),
            figures: Ok(summary(ms)),
            budget: Some(Duration::from_millis(budget)),
            note: String::new(),
        };
        assert_eq!(row(5, 10).within_budget(), Some(true));
        assert_eq!(row(10, 10).within_budget(), Some(true));
        assert_eq!(row(11, 10).within_budget(), Some(false));
        let peer = Row {
            name: "p".into(),
            figures: Err("peer not installed".into()),
            budget: None,
            note: "—".into(),
        };
        assert_eq!(peer.within_budget(), None);
        assert_eq!(peer.cells()[1], "peer not installed");
    }
}
