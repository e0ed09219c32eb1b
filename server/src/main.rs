//! The `llmspell` command: runs scripts (and, in later versions, lints them and serves the
//! language server).

use std::process::ExitCode;

fn main() -> ExitCode {
    llmspell_server::cli::main()
}
