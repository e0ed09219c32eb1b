//! `llmspell lsp`: the language server, speaking LSP over standard input and output. Editors
//! start it; a person never needs to. Nothing else may write to stdout while it runs.

use clap::Args;

use crate::lsp;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Use standard input and output (the default and only transport). Accepted because LSP
    /// clients such as vscode-languageclient add it to the command line.
    #[arg(long)]
    stdio: bool,
}

/// Runs the server until the client sends `exit` or closes stdin; returns the exit code (0 after
/// a `shutdown` request, 1 without one, as LSP specifies).
pub fn run(args: LspArgs) -> i32 {
    // Only one transport exists, so the flag changes nothing.
    let LspArgs { stdio: _ } = args;
    lsp::serve_stdio(lsp::Options::from_env())
}
