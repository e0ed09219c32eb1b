//! The editor-facing custom protocol (LSP extensions), once it exists: the `llmspell.runScript`
//! and `llmspell.cancelRun` commands and the `llmspell/runOutput` notifications that stream a
//! run's events back to the editor (DESIGN §6). Their method names and parameter types will be
//! defined here, next to their documentation in docs/lsp-extensions.md.
//!
//! Nothing lives here yet. The test and debug requests (`llmspell/documentText`,
//! `llmspell/debugPanic`) are not part of that protocol: they are in `debug.rs`.
