//! Test and debug aids: custom requests that let a test see inside the running server. They are
//! not part of the editor-facing protocol (that is `ext.rs`) and editors must not rely on them.
//!
//! - `llmspell/documentText` `{uri}` → `{text, version}`: the server's own copy of an open
//!   document, so a test can check that the edits it sent were applied as it computed them.
//!   Always available: it is read-only and cheap. An unopened URI is an "invalid params" error.
//! - `llmspell/debugPanic` (no params): panics inside its guarded handler, so a test can check
//!   that a panicking handler becomes an error response and the server keeps serving. It exists
//!   only when the server was started with `LLMSPELL_LSP_TEST_HOOKS=1`; otherwise it is an
//!   unknown method, so no client can crash-test a user's server by accident.

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::Uri;

/// The method name of the document-text request.
pub const DOCUMENT_TEXT: &str = "llmspell/documentText";

/// The method name of the panic request (test hooks only).
pub const DEBUG_PANIC: &str = "llmspell/debugPanic";

/// The environment variable that, set to `1` when the server starts, enables the test hooks.
pub const TEST_HOOKS_ENV: &str = "LLMSPELL_LSP_TEST_HOOKS";

/// Whether the environment enables the test hooks: exactly `LLMSPELL_LSP_TEST_HOOKS=1`.
pub fn test_hooks_from_env() -> bool {
    std::env::var_os(TEST_HOOKS_ENV).is_some_and(|value| value == "1")
}

/// Parameters of `llmspell/documentText`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub uri: Uri,
}

/// Result of `llmspell/documentText`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextResult {
    pub text: String,
    pub version: i32,
}
