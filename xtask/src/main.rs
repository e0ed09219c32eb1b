//! `cargo xtask`: the project's automation, written in Rust so it runs the same on every machine
//! that can build the workspace (no make, no shell scripts beyond the one-line `.ci/run`).
//!
//! - `cargo xtask test`: every test suite, in order, stopping at the first failure.
//! - `cargo xtask bench`: release-build `llmspell`, measure it (runtime, language server and
//!   lint) against its budgets and its peers, print the tables and write `docs/benchmarks.md`.
//! - `cargo xtask fuzz`: random documents and edits through the Lua and JavaScript analysis,
//!   checking for panics and broken invariants.
//!
//! The alias lives in `.cargo/config.toml` (`xtask = "run --quiet --package xtask --"`).

// xtask is a command-line tool: printing to the terminal is its whole interface. The workspace
// denies `print_stdout`/`print_stderr` so that library crates report through return values and
// events instead of writing to the user's terminal; that reason does not apply here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod fuzz;
mod lint_bench;
mod lsp_bench;
mod machine;
mod peer_install;
mod process;
mod rng;
mod script_language;
mod stats;
mod stream_bench;
mod test;

use std::process::ExitCode;

/// Exit code for a command that could not be carried out at all (bad usage, a tool missing, a
/// build that failed), as opposed to one that ran and found a failure (exit 1).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        println!("{}", help());
        return ExitCode::SUCCESS;
    };
    match command.as_str() {
        "test" if rest.is_empty() => test::run(),
        "bench" => bench::run(rest),
        bench::INNER_COMMAND => bench::run_inner(rest),
        "fuzz" => fuzz::run(rest),
        "help" | "-h" | "--help" => {
            println!("{}", help());
            ExitCode::SUCCESS
        }
        _ => {
            // Usage errors go to stderr, so a script capturing stdout does not mistake the help
            // text for output.
            eprintln!(
                "xtask: unknown command or arguments: {}\n\n{}",
                args.join(" "),
                help()
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn help() -> String {
    format!(
        "\
Usage: cargo xtask <COMMAND>

Commands:
  test    Run every test suite in order, stopping at the first failure:
{stages}
  bench   Build `llmspell` in release, measure it against its budgets and its peers, print the
          tables and write docs/benchmarks.md. Exits 1 when a budget is missed.
          Three parts: `runtime` (engine creation, loops, streaming, `llmspell run`), `lsp`
          (`llmspell lsp` over stdio: completion and diagnostics on 10,000-line scripts,
          start-up, memory after indexing 1,000 files; emmylua_ls and
          typescript-language-server side by side, installed once into
          ~/.cache/llmspell-bench/ by cargo install / npm install), and `lint`
          (`llmspell lint` over generated corpora of 2,000 Lua and 2,000 JavaScript
          scripts, side by side with selene, emmylua_check, eslint and oxlint, installed
          the same way).
          Options:
            --script PATH  time `llmspell run PATH` instead of {script}
                           (prints the tables; docs/benchmarks.md is left as it is)
            --only PART    measure one part, `runtime`, `lsp` or `lint` (prints its table;
                           docs/benchmarks.md is left as it is)
  fuzz    Feed random documents and random edits to the Lua and the JavaScript analysis
          (parse, diagnostics and their fixes, symbols; completion, hover, signature help and
          go to definition at random offsets); exits 1 on any panic or bad range (outside the
          text, inside a character, or of a shape the LSP forbids), with the input, a
          minimised input and the backtrace in target/fuzz-failures/. Not part of `test`: it
          takes minutes. Prefer release, `cargo run --release -p xtask -- fuzz`: 100,000
          cases per language take ~30-40 s each there, ~5x as long in a debug build.
          Options:
            --lang L   lua, js or both (default both)
            --cases N  how many cases per language (default {cases})
            --seed S   the generator's seed; the same seed gives the same inputs
            --replay PATH  analyse one saved input (queries at every offset) and print its
                           diagnostics, symbols and failures; the language is the file
                           extension's (.lua, .js) unless --lang says
  help    Show this message.

Exit codes: 0 success, 1 a test or budget failed, 2 the command could not run.",
        stages = test::describe_stages(),
        script = bench::DEFAULT_SCRIPT,
        cases = fuzz::DEFAULT_CASES,
    )
}
