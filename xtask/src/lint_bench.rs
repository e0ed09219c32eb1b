//! The lint part of `cargo xtask bench`: the release `llmspell lint` timed as a CI step runs
//! it, a whole process over a whole project, side by side in one run with the peer linters on
//! the same generated corpora: selene and emmylua_check on 2,000 Lua scripts, eslint and
//! oxlint on 2,000 JavaScript scripts. Budgets are throughput ratios (a peer's time over
//! llmspell's on the same corpus), not absolute times, so they hold on a slower machine.
//!
//! - `corpus`: the generated scripts.
//! - `linters`: how each linter is run and how its output is checked.
//! - `peers`: installing the peers.
//!
//! Everything is generated under `<target>/bench-lint/`, so runs are repeatable and nothing in
//! the repository changes.

mod corpus;
mod linters;
mod peers;

use std::path::{Path, PathBuf};
use std::time::Duration;

use self::corpus::{CorpusStats, Language};
use self::linters::{COMPLETED, Linter, Outcome, OutputFormat, children_cpu_time};
use crate::bench::{
    bench_dir, first_line, fmt_duration, fmt_ratio, group_thousands, llmspell_defs, table_under,
    time_runs,
};
use crate::stats::Summary;

/// Scripts per corpus, as the issue sets them.
const FILES: usize = 2_000;
/// Timed runs per linter, after the checked run that also warms the page cache.
const RUNS: usize = 7;
/// A linter whose checked run took longer than `SLOW` gets `SLOW_RUNS` timed runs instead, so
/// the part stays within a few minutes; its median is still over several runs.
const SLOW: Duration = Duration::from_secs(8);
const SLOW_RUNS: usize = 3;

/// llmspell lints Lua at least this many times as fast as selene (we aim at 2×): both parse
/// with full_moon, so the margin has to come from doing less work after the parse.
const SELENE_BUDGET: f64 = 1.5;
/// eslint runs on Node.js with a JavaScript parser and a plugin system; a native linter with a
/// fixed set of rules should be at least 40 times as fast.
const ESLINT_BUDGET: f64 = 40.0;
/// oxlint is native and multi-threaded too, and tuned for speed: llmspell should stay within a
/// factor of two of it.
const OXLINT_BUDGET: f64 = 0.5;

/// One line of the lint table.
struct LintRow {
    name: String,
    /// `Err` says why there are no figures.
    figures: Result<Summary, String>,
    /// The corpus's size, for the throughput column.
    bytes: usize,
    /// `None` for llmspell's own rows.
    peer: Option<PeerRatio>,
}

/// A peer's median over llmspell's on the same corpus, and the least that ratio may be.
struct PeerRatio {
    short: String,
    ratio: Option<f64>,
    budget: Option<f64>,
}

impl LintRow {
    /// `None` when there is nothing to pass or fail. llmspell's own row fails when it has no
    /// figures (a crash, a wrong file count); a peer without figures is reported, not failed.
    fn within_budget(&self) -> Option<bool> {
        match (&self.figures, &self.peer) {
            (Err(_), None) => Some(false),
            (Ok(_), Some(peer)) => match (peer.ratio, peer.budget) {
                (Some(ratio), Some(budget)) => Some(ratio >= budget),
                _ => None,
            },
            _ => None,
        }
    }

    fn cells(&self) -> Vec<String> {
        let dash = || "—".to_owned();
        let (median, p90, min, runs, throughput) = match &self.figures {
            Ok(s) => (
                fmt_duration(s.median),
                fmt_duration(s.p90),
                fmt_duration(s.min),
                s.runs.to_string(),
                format!("{:.1}", self.bytes as f64 / 1e6 / s.median.as_secs_f64()),
            ),
            Err(why) => (first_line(why), dash(), dash(), dash(), dash()),
        };
        let (budget, comparison) = match &self.peer {
            Some(peer) => (
                peer.budget.map_or_else(dash, |b| {
                    format!("{}/llmspell ≥ {}", peer.short, fmt_times(b))
                }),
                peer.ratio
                    .map(|r| format!("{}/llmspell = {}", peer.short, fmt_times(r))),
            ),
            None => (dash(), None),
        };
        let result = match (self.within_budget(), comparison) {
            (Some(true), Some(c)) => format!("pass ({c})"),
            (Some(false), Some(c)) => format!("**FAIL** ({c})"),
            (Some(false), None) => "**FAIL**".to_owned(),
            (_, Some(c)) => c,
            (_, None) => dash(),
        };
        vec![
            self.name.clone(),
            median,
            p90,
            min,
            runs,
            throughput,
            budget,
            result,
        ]
    }
}

/// "1.5×", "40×": budgets and ratios as the table shows them.
fn fmt_times(ratio: f64) -> String {
    fmt_ratio(Duration::from_secs_f64(ratio), Duration::from_secs(1))
}

/// The lint table and what the reader needs to interpret it.
pub struct LintReport {
    rows: Vec<LintRow>,
    notes: Vec<String>,
}

impl LintReport {
    pub fn all_within_budget(&self) -> bool {
        self.rows
            .iter()
            .all(|row| row.within_budget() != Some(false))
    }

    pub fn table(&self) -> String {
        let header = [
            "Lint (whole process)",
            "median",
            "p90",
            "min",
            "runs",
            "MB/s",
            "budget",
            "result",
        ];
        table_under(&header, self.rows.iter().map(LintRow::cells))
    }

    pub fn terminal(&self) -> String {
        crate::bench::table_with_notes(self.table(), &self.notes)
    }

    /// The "Lint" section of docs/benchmarks.md.
    pub fn markdown(&self) -> String {
        let notes: String = self.notes.iter().map(|n| format!("- {n}\n")).collect();
        format!(
            "\
## Lint

{table}

{notes}
### How the lint figures are measured

Each figure is the wall time of a whole process, from spawn to exit, linting a whole corpus the
way a CI step does: `llmspell lint scripts --format json` (and each peer's equivalent, with
JSON output) run from the corpus folder with its output discarded. Each linter is run once
with its output captured and checked (it must parse; where the tool reports how many files it
checked, llmspell, emmylua_check, eslint and oxlint do, it must be {files}), which also warms
the page cache. Then the linters of a corpus are timed in rounds, each once per round: {runs}
runs each ({slow_runs} for a linter whose checked run took over {slow} s), so that a change in
the load of the machine (it may be shared) falls on all of them alike. A run that exits 1
counts: the corpora hold a few findings on purpose. MB/s is the corpus's size over the
median. The ratio is the peer's median over llmspell's: above 1× llmspell is faster, and the
budgets are on these ratios, not on times.

The corpora are generated under `target/bench-lint/` from a fixed seed ({files} scripts per
language, {min_lines} to {max_lines} lines each, in folders of 100): llmspell scripts as the
examples are written (agents, script tools, sequential, parallel, conditional and loop
workflows, helper functions, loops over tables, `pcall`/`try`, streaming, conversations),
each registering a tool of its own that other scripts use. About one file in 100 has an unused
local and one in 200 a misspelled method, so every linter has a few findings to report. Each
corpus folder is a git repository of its own, as a project is: the workspace's `.gitignore`
ignores `target/`, and oxlint, which honours the `.gitignore` files above a path up to the
repository's root, would otherwise find nothing to lint.

- **selene {selene}** (crates.io, built with its Lua 5.2-5.4 parser features) with a
  `selene.toml` whose std is a generated `llmspell_globals.yml` (selene's std format:
  `base: lua53`, the newest std selene ships, and `Agent`, `Tool`, `Workflow` and `ARGS` as
  globals), so it is not drowned in undefined-variable findings; all of selene's default
  lints. selene lints files on a thread pool, one thread per core by default.
- **emmylua_check {emmylua}** (crates.io; reported, no budget) with the API declarations of
  `llmspell defs --lua` in `types/llmspell.d.lua` and a `.luarc.json` naming `types` as a
  library, so it checks the same API; it infers types over the whole workspace before it
  reports, which takes longer than a linter's per-file rules.
- **eslint {eslint}** (npm) with a flat config (`js.configs.recommended`, ES modules of the
  latest ECMAScript, the llmspell globals) run with `--concurrency {cores}` (one worker thread
  per core). Without the flag eslint lints on its main thread alone, and `--concurrency auto`
  uses at most half the cores, which on a 2-core machine is also one; that default run is
  reported too.
- **oxlint {oxlint}** (npm, the native linter behind its Node.js launcher) with an
  `.oxlintrc.json` declaring the globals, and its default rules (the `correctness` category).
  oxlint lints files on a thread pool, one thread per core. It tells an ES module from a
  script by its content, and takes a file whose only top-level `await` is a `for await` for a
  script: its one parse error on the corpus is that.
- **llmspell lint** reads and parses every file on all cores (one worker per core), collects
  the tools each registers, then judges each file with every rule ([rules.md](rules.md)) on
  all cores again.
- Peers are installed once, at these pinned versions, into `~/.cache/llmspell-bench/`
  (emmylua_check into `~/.cache/llmspell/`, shared with the server's `defs_emmylua` test).
  A peer that cannot be installed or started gets a row saying why; the run goes on.
- \"cores busy\" in the notes is the linter's CPU time (user + system, read from
  `/proc/self/stat` for the waited-for children) over its wall time across the timed runs.
- `cargo xtask bench --only lint` runs this part alone (it prints the table and leaves this
  file as it is).
",
            table = self.table(),
            files = group_thousands(FILES),
            runs = RUNS,
            slow_runs = SLOW_RUNS,
            slow = SLOW.as_secs(),
            min_lines = corpus::MIN_LINES,
            max_lines = corpus::MAX_LINES,
            selene = peers::SELENE_VERSION,
            emmylua = peers::EMMYLUA_CHECK_VERSION,
            eslint = peers::ESLINT_VERSION,
            oxlint = peers::OXLINT_VERSION,
            cores = cores(),
        )
    }
}

/// Logical CPUs this process may use: every linter is given all of them.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A linter being timed on one corpus: what its checked run reported, and its samples so far.
struct Contender {
    linter: Linter,
    outcome: Outcome,
    /// How many timed runs it gets: fewer for a slow one.
    runs: usize,
    samples: Vec<Duration>,
    /// CPU time of its timed runs, while it can be read.
    cpu: Option<Duration>,
}

/// A linter's figures on a corpus, or why there are none.
struct Timed {
    summary: Summary,
    outcome: Outcome,
    /// CPU time over wall time across the timed runs.
    cores_busy: Option<f64>,
}

impl Contender {
    /// The checked run: the output must be readable and name the corpus's file count.
    fn check(linter: Linter) -> Result<Contender, String> {
        let outcome = linter.checked_run(FILES)?;
        let runs = if outcome.elapsed > SLOW {
            SLOW_RUNS
        } else {
            RUNS
        };
        println!(
            "  {}: checked run {} ({} findings)",
            linter.label,
            fmt_duration(outcome.elapsed),
            outcome.findings
        );
        Ok(Contender {
            linter,
            outcome,
            runs,
            samples: Vec::with_capacity(runs),
            cpu: Some(Duration::ZERO),
        })
    }

    /// One timed run, its CPU time added up.
    fn time_one(&mut self) -> Result<(), String> {
        let before = children_cpu_time();
        let sample = time_runs(
            || self.linter.command(),
            |status| status.code().is_some_and(|c| COMPLETED.contains(&c)),
            0,
            1,
        )?;
        let after = children_cpu_time();
        self.cpu = match (self.cpu, before, after) {
            (Some(total), Some(before), Some(after)) => Some(total + (after - before)),
            _ => None,
        };
        self.samples.extend(sample);
        Ok(())
    }

    fn finish(self) -> Result<Timed, String> {
        let wall: Duration = self.samples.iter().sum();
        Ok(Timed {
            summary: Summary::of(&self.samples).ok_or("no samples")?,
            cores_busy: self.cpu.map(|cpu| cpu.as_secs_f64() / wall.as_secs_f64()),
            outcome: self.outcome,
        })
    }
}

/// Checks every linter once, then times them in rounds, each linter once per round, so a
/// change in the machine's load (it may be shared) falls on all of them alike rather than on
/// whichever ran at the time; the ratios are what the budgets are on.
fn time_side_by_side(linters: Vec<Result<Linter, String>>) -> Vec<Result<Timed, String>> {
    let mut contenders: Vec<Result<Contender, String>> = linters
        .into_iter()
        .map(|linter| linter.and_then(Contender::check))
        .collect();
    let rounds = contenders
        .iter()
        .filter_map(|c| c.as_ref().ok().map(|c| c.runs))
        .max()
        .unwrap_or(0);
    for round in 0..rounds {
        println!("  round {} of {rounds}", round + 1);
        for slot in &mut contenders {
            if let Ok(contender) = slot
                && round < contender.runs
                && let Err(why) = contender.time_one()
            {
                *slot = Err(why);
            }
        }
    }
    contenders
        .into_iter()
        .map(|c| c.and_then(Contender::finish))
        .collect()
}

/// Measures everything; never fails as a whole: a measurement that cannot be taken becomes a
/// row saying why.
pub fn measure(binary: &Path) -> LintReport {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    if let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
    {
        notes.push(format!(
            "The 1-minute load average was {load} (on {} CPUs) when this part started.",
            cores()
        ));
    }
    let root = bench_dir(binary, "bench-lint");
    let lua_root = root.join("lua");
    let js_root = root.join("js");

    println!("generating the lint corpora under {}...", root.display());
    let lua_corpus = prepare_lua(binary, &lua_root);
    let js_corpus = prepare_js(&js_root);

    // Peers first: an install is slow and noisy, and must not overlap a timing.
    let selene = peers::selene();
    let emmylua = peers::emmylua_check();
    let js_modules = peers::js_linters().and_then(|modules| {
        link_node_modules(&js_root, &modules)?;
        Ok(modules)
    });

    for (language, corpus) in [
        (Language::Lua, &lua_corpus),
        (Language::JavaScript, &js_corpus),
    ] {
        let stats = match corpus {
            Ok(stats) => *stats,
            Err(why) => {
                rows.push(LintRow {
                    name: format!("`llmspell lint`, {} corpus", language.name()),
                    figures: Err(format!("the corpus could not be prepared: {why}")),
                    bytes: 0,
                    peer: None,
                });
                continue;
            }
        };
        let cwd = match language {
            Language::Lua => &lua_root,
            Language::JavaScript => &js_root,
        };
        notes.push(format!(
            "{} corpus: {} files, {} lines, {:.1} MB (`{}`).",
            language.name(),
            group_thousands(stats.files),
            group_thousands(stats.lines),
            stats.bytes as f64 / 1e6,
            shown_path(&cwd.join("scripts"))
        ));
        let corpus_name = format!(
            "{} corpus ({} files, {:.1} MB)",
            language.name(),
            group_thousands(stats.files),
            stats.bytes as f64 / 1e6
        );
        println!(
            "measuring lint of the {corpus_name}: llmspell and its peers side by side, a checked run each, then up to {RUNS} timed rounds..."
        );
        let plans = match language {
            Language::Lua => lua_peers(cwd, &selene, &emmylua),
            Language::JavaScript => js_peers(cwd, &js_modules),
        };
        let ours = Linter {
            label: "llmspell lint".to_owned(),
            program: binary.to_path_buf(),
            args: vec![
                "lint".into(),
                "scripts".into(),
                "--format".into(),
                "json".into(),
            ],
            cwd: cwd.clone(),
            format: OutputFormat::Llmspell,
        };
        let mut timed = time_side_by_side(
            std::iter::once(Ok(ours))
                .chain(plans.iter().map(|plan| plan.linter.clone()))
                .collect(),
        )
        .into_iter();
        let ours = timed
            .next()
            .unwrap_or_else(|| Err("not measured".to_owned()));
        let our_median = ours.as_ref().ok().map(|t| t.summary.median);
        note_outcome("llmspell lint", language, &ours, &mut notes);
        rows.push(LintRow {
            name: format!("`llmspell lint`, {corpus_name}"),
            figures: ours.map(|t| t.summary),
            bytes: stats.bytes,
            peer: None,
        });
        for (plan, theirs) in plans.into_iter().zip(timed) {
            note_outcome(&plan.name, language, &theirs, &mut notes);
            let ratio = theirs
                .as_ref()
                .ok()
                .zip(our_median)
                .map(|(theirs, ours)| theirs.summary.median.as_secs_f64() / ours.as_secs_f64());
            rows.push(LintRow {
                name: format!("peer: {}, same corpus", plan.name),
                figures: theirs.map(|t| t.summary),
                bytes: stats.bytes,
                peer: Some(PeerRatio {
                    short: plan.short.to_owned(),
                    ratio,
                    budget: plan.budget,
                }),
            });
        }
    }
    LintReport { rows, notes }
}

/// A peer to time on a corpus: how to run it (or why it cannot run) and its budget.
struct PeerPlan {
    /// The table's name for it: "selene 0.31.0".
    name: String,
    /// The ratio's name for it: "selene".
    short: &'static str,
    linter: Result<Linter, String>,
    /// The least its median over llmspell's may be; `None` for a peer that is only reported.
    budget: Option<f64>,
}

/// selene (budget) and emmylua_check (reported), as installed.
fn lua_peers(
    cwd: &Path,
    selene: &Result<PathBuf, String>,
    emmylua: &Result<PathBuf, String>,
) -> Vec<PeerPlan> {
    let selene_name = format!("selene {}", peers::SELENE_VERSION);
    let emmylua_name = format!("emmylua_check {}", peers::EMMYLUA_CHECK_VERSION);
    vec![
        PeerPlan {
            name: selene_name.clone(),
            short: "selene",
            linter: selene.clone().map(|program| Linter {
                label: selene_name,
                program,
                args: vec!["scripts".into(), "--display-style".into(), "json2".into()],
                cwd: cwd.to_path_buf(),
                format: OutputFormat::SeleneJson2,
            }),
            budget: Some(SELENE_BUDGET),
        },
        PeerPlan {
            name: emmylua_name.clone(),
            short: "emmylua_check",
            linter: emmylua.clone().map(|program| Linter {
                label: emmylua_name,
                program,
                // The workspace is the corpus folder, so the library in `types/` is found.
                args: vec![".".into(), "--output-format".into(), "json".into()],
                cwd: cwd.to_path_buf(),
                format: OutputFormat::EmmyluaJson,
            }),
            budget: None,
        },
    ]
}

/// eslint on all cores (budget), eslint as it runs by default (reported) and oxlint (budget),
/// each through Node.js from the installed `node_modules`.
fn js_peers(cwd: &Path, modules: &Result<PathBuf, String>) -> Vec<PeerPlan> {
    let node = |label: &str, script: &str, extra: &[&str], format| {
        modules.clone().map(|modules| Linter {
            label: label.to_owned(),
            program: PathBuf::from("node"),
            args: std::iter::once(modules.join(script).into_os_string())
                .chain(["scripts", "--format", "json"].iter().map(Into::into))
                .chain(extra.iter().map(Into::into))
                .collect(),
            cwd: cwd.to_path_buf(),
            format,
        })
    };
    let cores = cores().to_string();
    let eslint_all_cores = format!("eslint {} --concurrency {cores}", peers::ESLINT_VERSION);
    let eslint_default = format!("eslint {} (default: one thread)", peers::ESLINT_VERSION);
    let oxlint = format!("oxlint {}", peers::OXLINT_VERSION);
    vec![
        PeerPlan {
            linter: node(
                &eslint_all_cores,
                "eslint/bin/eslint.js",
                &["--concurrency", &cores],
                OutputFormat::EslintJson,
            ),
            name: eslint_all_cores,
            short: "eslint",
            budget: Some(ESLINT_BUDGET),
        },
        PeerPlan {
            linter: node(
                &eslint_default,
                "eslint/bin/eslint.js",
                &[],
                OutputFormat::EslintJson,
            ),
            name: eslint_default,
            short: "eslint",
            budget: None,
        },
        PeerPlan {
            linter: node(&oxlint, "oxlint/bin/oxlint", &[], OutputFormat::OxlintJson),
            name: oxlint,
            short: "oxlint",
            budget: Some(OXLINT_BUDGET),
        },
    ]
}

/// What a checked run reported besides its times: findings by rule, and how busy it kept the
/// cores; or why there are no figures.
fn note_outcome(
    name: &str,
    language: Language,
    timed: &Result<Timed, String>,
    notes: &mut Vec<String>,
) {
    let language = language.name();
    match timed {
        Err(why) => notes.push(format!("{name} ({language}) has no figures: {why}")),
        Ok(timed) => {
            let outcome = &timed.outcome;
            let codes: Vec<String> = outcome
                .by_code
                .iter()
                .take(4)
                .map(|(code, n)| format!("`{code}` ×{n}"))
                .collect();
            let findings = if codes.is_empty() {
                "no findings".to_owned()
            } else {
                format!("{} findings ({})", outcome.findings, codes.join(", "))
            };
            let files = outcome
                .files
                .map_or_else(|| "files not reported".to_owned(), |n| format!("{n} files"));
            let busy = timed
                .cores_busy
                .map_or_else(String::new, |c| format!("; {c:.1} cores busy"));
            let threads = outcome
                .threads
                .map_or_else(String::new, |n| format!(" ({n} threads, as it reports)"));
            notes.push(format!(
                "{name} ({language}): {files}, {findings}{busy}{threads}."
            ));
        }
    }
}

/// `target/bench-lint/lua/scripts` rather than an absolute path, when it is under the
/// repository.
fn shown_path(path: &Path) -> String {
    let root = crate::process::repo_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Writes `path`, naming it in the error.
fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The config every linter of the Lua corpus reads there: llmspell.toml, selene's
/// `selene.toml` and its std `llmspell_globals.yml`, and emmylua_check's `.luarc.json` with the API
/// declarations. The scripts go under `scripts/`, which is what the linters are given.
fn prepare_lua(binary: &Path, folder: &Path) -> Result<CorpusStats, String> {
    std::fs::create_dir_all(folder.join("types"))
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    make_repository(folder)?;
    write(&folder.join("llmspell.toml"), LLMSPELL_TOML)?;
    write(&folder.join("selene.toml"), SELENE_TOML)?;
    // Not `llmspell.yml`: selene looks for `<std>.toml` first, and would read llmspell.toml.
    write(&folder.join("llmspell_globals.yml"), SELENE_STD)?;
    write(&folder.join(".luarc.json"), LUARC_JSON)?;
    write(
        &folder.join("types/llmspell.d.lua"),
        &llmspell_defs(binary, "--lua")?,
    )?;
    corpus::write_corpus(&folder.join("scripts"), Language::Lua, FILES)
}

/// The JavaScript corpus's config: llmspell.toml, eslint's flat config and oxlint's
/// `.oxlintrc.json`; the scripts under `scripts/`.
fn prepare_js(folder: &Path) -> Result<CorpusStats, String> {
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    make_repository(folder)?;
    write(&folder.join("llmspell.toml"), LLMSPELL_TOML)?;
    write(&folder.join("eslint.config.mjs"), ESLINT_CONFIG)?;
    write(&folder.join(".oxlintrc.json"), OXLINTRC)?;
    corpus::write_corpus(&folder.join("scripts"), Language::JavaScript, FILES)
}

/// Makes the corpus folder a git repository of its own, as a project is. Linters that honour
/// `.gitignore` read the ones of the folders above a path only up to the repository's root;
/// without this, the workspace's own `.gitignore`, which ignores `target/`, hides the whole
/// corpus from oxlint ("No files found to lint").
fn make_repository(folder: &Path) -> Result<(), String> {
    if folder.join(".git").exists() {
        return Ok(());
    }
    let status = std::process::Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(folder)
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run git init in {}: {e}", folder.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "git init in {} failed ({status})",
            folder.display()
        ))
    }
}

/// `node_modules` in the JavaScript corpus, pointing at the installed peers: eslint.config.mjs
/// imports `@eslint/js`, and Node.js resolves that from the config file's folder upwards.
fn link_node_modules(folder: &Path, modules: &Path) -> Result<(), String> {
    let link = folder.join("node_modules");
    if std::fs::read_link(&link).is_ok_and(|target| target == modules) {
        return Ok(());
    }
    // A stale link or folder from an older layout.
    let _ = std::fs::remove_file(&link);
    let _ = std::fs::remove_dir_all(&link);
    std::os::unix::fs::symlink(modules, &link).map_err(|e| {
        format!(
            "cannot link {} to {}: {e}",
            link.display(),
            modules.display()
        )
    })
}

const LLMSPELL_TOML: &str = "\
# The lint benchmark's corpus: every agent uses the offline mock model.
default_model = \"mock/echo\"
";

const SELENE_TOML: &str = "\
# selene's configuration for the lint benchmark's corpus: the llmspell std
# (llmspell_globals.yml).
std = \"llmspell_globals\"
";

/// selene's custom std format. `any: true` lets a global have any member, which is as much as
/// selene can know of the API without its types.
const SELENE_STD: &str = "\
# The llmspell scripts' globals for selene, on top of the newest std it ships (lua53), with
# Lua 5.4 syntax. Generated by `cargo xtask bench`.
---
base: lua53
name: llmspell_globals
lua_versions:
  - lua54
globals:
  Agent:
    any: true
  Tool:
    any: true
  Workflow:
    any: true
  ARGS:
    any: true
";

/// As the README sets up emmylua for llmspell scripts (`server/tests/defs_emmylua.rs`).
const LUARC_JSON: &str = "\
{
  \"runtime.version\": \"Lua 5.4\",
  \"workspace.library\": [\"types\"]
}
";

const ESLINT_CONFIG: &str = "\
// eslint's configuration for the lint benchmark's corpus: the recommended rules, ES modules of
// the latest ECMAScript (top-level await), and the llmspell globals. Generated by
// `cargo xtask bench`.
import js from \"@eslint/js\";

export default [
  js.configs.recommended,
  {
    files: [\"**/*.js\"],
    languageOptions: {
      ecmaVersion: \"latest\",
      sourceType: \"module\",
      globals: {
        Agent: \"readonly\",
        Tool: \"readonly\",
        Workflow: \"readonly\",
        ARGS: \"readonly\",
        console: \"readonly\",
      },
    },
  },
];
";

const OXLINTRC: &str = "\
{
  \"env\": { \"builtin\": true, \"es2024\": true },
  \"globals\": {
    \"Agent\": \"readonly\",
    \"Tool\": \"readonly\",
    \"Workflow\": \"readonly\",
    \"ARGS\": \"readonly\",
    \"console\": \"readonly\"
  }
}
";

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ms: u64, peer: Option<PeerRatio>) -> LintRow {
        LintRow {
            name: "x".into(),
            figures: Ok(Summary::of(&[Duration::from_millis(ms)]).unwrap()),
            bytes: 10_000_000,
            peer,
        }
    }

    #[test]
    fn budgets_are_on_the_peer_ratio() {
        let peer = |ratio, budget| PeerRatio {
            short: "selene".into(),
            ratio: Some(ratio),
            budget,
        };
        assert_eq!(
            row(1000, Some(peer(2.0, Some(1.5)))).within_budget(),
            Some(true)
        );
        let slow = row(1000, Some(peer(1.2, Some(1.5))));
        assert_eq!(slow.within_budget(), Some(false));
        assert_eq!(slow.cells()[5], "10.0");
        assert_eq!(slow.cells()[6], "selene/llmspell ≥ 1.5×");
        assert_eq!(slow.cells()[7], "**FAIL** (selene/llmspell = 1.2×)");
        assert_eq!(row(1000, Some(peer(3.0, None))).within_budget(), None);
        assert_eq!(row(1000, None).within_budget(), None);
    }

    #[test]
    fn a_missing_peer_is_reported_and_a_failed_llmspell_run_fails() {
        let missing = LintRow {
            name: "peer".into(),
            figures: Err("npm is not installed".into()),
            bytes: 1,
            peer: Some(PeerRatio {
                short: "eslint".into(),
                ratio: None,
                budget: Some(40.0),
            }),
        };
        assert_eq!(missing.within_budget(), None);
        assert_eq!(missing.cells()[1], "npm is not installed");
        let ours = LintRow {
            name: "ours".into(),
            figures: Err("checked 1999 files".into()),
            bytes: 1,
            peer: None,
        };
        assert_eq!(ours.within_budget(), Some(false));
        assert_eq!(ours.cells()[7], "**FAIL**");
    }
}
