//! `cargo xtask test`: every test suite of the project, run in a fixed order from one list.
//!
//! Each stage is one external command whose output streams straight to the terminal. The first
//! failing stage stops the run (later stages would only repeat the noise or test a broken build),
//! and a summary names every stage's outcome. Adding a suite means adding one entry to
//! [`STAGES`] and the function that builds its command.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::process::{self, cargo, locked_flag, run_inherited};

/// One test stage: a name for headers and the summary, and how to build its command.
struct Stage {
    name: &'static str,
    /// A function rather than a stored `Command` so flags and paths are computed when the run
    /// starts (`--locked` depends on whether Cargo.lock exists then).
    command: fn() -> Command,
}

/// The stages, in the order they run: cheapest and most common failure first, so a formatting
/// slip is reported in seconds rather than after the whole test build.
const STAGES: &[Stage] = &[
    Stage {
        name: "rustfmt",
        command: rustfmt,
    },
    Stage {
        name: "clippy",
        command: clippy,
    },
    Stage {
        name: "rust tests",
        command: rust_tests,
    },
    Stage {
        name: "neovim",
        command: neovim_suite,
    },
    Stage {
        name: "vscode",
        command: vscode_suite,
    },
];

fn rustfmt() -> Command {
    let mut command = cargo();
    command.args(["fmt", "--all", "--", "--check"]);
    command
}

fn clippy() -> Command {
    let mut command = cargo();
    command.args(["clippy", "--workspace", "--all-targets"]);
    command.args(locked_flag());
    command.args(["--", "-D", "warnings"]);
    command
}

/// Debug, not `--release`: the tests then share the build cache developers already have from
/// `cargo build`/`cargo test`, and debug assertions stay on.
fn rust_tests() -> Command {
    let mut command = cargo();
    command.args(["test", "--workspace"]);
    command.args(locked_flag());
    command
}

/// The Neovim plugin in a real headless Neovim (installed by ../shared/tools/install-neovim.sh,
/// cached under ~/.cache), against the server the Rust tests just built.
fn neovim_suite() -> Command {
    editor_suite("editors/nvim/test/run.sh")
}

/// The VS Code extension: lint, typecheck, unit tests, the .vsix, and the real VS Code
/// (code-server in headless Chromium, installed by ../shared/tools/install-code-server.sh).
fn vscode_suite() -> Command {
    editor_suite("editors/vscode/scripts/test.sh")
}

/// `bash SCRIPT` from the repository root, pointed at the debug `llmspell` that the Rust tests
/// built, so the editor suites test this very build and do not start one of their own.
fn editor_suite(script: &str) -> Command {
    let root = process::repo_root();
    let mut command = Command::new("bash");
    command.arg(script).current_dir(&root);
    command.env("LLMSPELL_BIN", root.join("target/debug/llmspell"));
    command
}

/// The stage list for `cargo xtask help`.
pub fn describe_stages() -> String {
    STAGES
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            format!(
                "            {}. {}: {}",
                i + 1,
                stage.name,
                process::display(&(stage.command)())
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

enum Outcome {
    Passed(Duration),
    Failed(Duration, String),
    NotRun,
}

pub fn run() -> ExitCode {
    let total = Instant::now();
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(STAGES.len());
    for (i, stage) in STAGES.iter().enumerate() {
        let mut command = (stage.command)();
        println!(
            "\n==> xtask test [{}/{}] {}: {}",
            i + 1,
            STAGES.len(),
            stage.name,
            process::display(&command)
        );
        let started = Instant::now();
        let outcome = match run_inherited(&mut command) {
            Ok(status) if status.success() => Outcome::Passed(started.elapsed()),
            Ok(status) => Outcome::Failed(started.elapsed(), status.to_string()),
            Err(message) => Outcome::Failed(started.elapsed(), message),
        };
        let failed = matches!(outcome, Outcome::Failed(..));
        outcomes.push(outcome);
        if failed {
            break;
        }
    }
    outcomes.resize_with(STAGES.len(), || Outcome::NotRun);

    println!("\n==> xtask test summary");
    for (stage, outcome) in STAGES.iter().zip(&outcomes) {
        let line = match outcome {
            Outcome::Passed(time) => format!("ok      {:>7.1}s", time.as_secs_f64()),
            Outcome::Failed(time, why) => format!("FAILED  {:>7.1}s  ({why})", time.as_secs_f64()),
            Outcome::NotRun => "not run".to_owned(),
        };
        println!("    {:<12} {line}", stage.name);
    }
    let elapsed = total.elapsed().as_secs_f64();
    match STAGES
        .iter()
        .zip(&outcomes)
        .find(|(_, o)| matches!(o, Outcome::Failed(..)))
    {
        Some((stage, _)) => {
            println!(
                "xtask test: FAILED at stage `{}` after {elapsed:.1}s",
                stage.name
            );
            ExitCode::FAILURE
        }
        None => {
            println!(
                "xtask test: all {} stages passed in {elapsed:.1}s",
                STAGES.len()
            );
            ExitCode::SUCCESS
        }
    }
}
