//! Command-line parsing and dispatch for `llmspell`. Exit codes: 0 success, 1 the script
//! failed or hit a limit, 2 usage or configuration error.

mod defs;
mod lint;
mod lsp;
mod run;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "llmspell",
    version,
    about = "Script LLM agents, tools and workflows in Lua or JavaScript."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a script: `llmspell run script.lua -- arg1 arg2`.
    Run(run::RunArgs),
    /// Check scripts with the editor's diagnostics, for CI: `llmspell lint scripts/
    /// --format github`. Exit 0 clean, 1 findings, 2 usage or configuration error.
    Lint(lint::LintArgs),
    /// Serve the Language Server Protocol on standard input and output, for editors.
    Lsp(lsp::LspArgs),
    /// Print declarations of the llmspell API for other editors' language servers: `--lua` a
    /// LuaCATS file for LuaLS/emmylua, `--ts` a .d.ts for TypeScript-aware editors.
    Defs(defs::DefsArgs),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with exit code 0, and usage errors to
            // stderr; usage errors exit with 2 as the CLI promises.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let code = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Defs(args) => defs::run(args),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
