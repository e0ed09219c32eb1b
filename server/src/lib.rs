//! llmspell-server: the `llmspell` command-line tool. It hosts the CLI today; the language
//! server and the linter will live here too, on top of the runtime's API definition.

pub mod analysis;
pub mod cli;
pub mod lint;
pub mod lsp;
pub mod project;
pub mod run;
pub mod uri;
