//! Keeps a panicking handler from taking the language server down.
//!
//! tower-lsp-server polls every handler future inside the one task that runs `Server::serve`, so
//! a panic in any handler unwinds through the server loop and ends the process: the editor loses
//! completion, diagnostics and every open document's state because of one bad input. Every
//! handler therefore runs its work through this module: a request's panic becomes a JSON-RPC
//! "internal error" response naming the method, and a notification's panic is reported (there
//! is no response to carry it) by the caller through `window/logMessage`.
//!
//! This relies on panics unwinding: the workspace must not build with `panic = "abort"`.
//! The default panic hook still prints the panic to stderr, which editors show in the server's
//! log, and which is never the LSP channel (stdout).

use std::any::Any;
use std::borrow::Cow;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

use futures::FutureExt;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};

/// Runs the request handler future `work`; a panic inside it, at any poll, becomes an
/// internal-error response.
pub async fn request<T>(method: &str, work: impl Future<Output = Result<T>>) -> Result<T> {
    // `AssertUnwindSafe`: the state a handler shares (the document store) stays consistent when
    // a handler unwinds, see `documents::DocumentStore::lock`.
    match AssertUnwindSafe(work).catch_unwind().await {
        Ok(result) => result,
        Err(payload) => Err(internal_error(method, payload.as_ref())),
    }
}

/// Runs synchronous request work (no `.await` inside); a panic becomes an internal-error response.
pub fn request_sync<T>(method: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(internal_error(method, payload.as_ref())))
}

/// Runs synchronous notification work (no `.await` inside); a panic is returned as a message
/// for the caller to log, since a notification has no response.
pub fn notification(method: &str, work: impl FnOnce()) -> std::result::Result<(), String> {
    catch_unwind(AssertUnwindSafe(work))
        .map_err(|payload| format!("{method} failed: {}", panic_message(payload.as_ref())))
}

fn internal_error(method: &str, payload: &(dyn Any + Send)) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: Cow::Owned(format!(
            "internal error in {method}: {} (the server keeps running; please report this)",
            panic_message(payload)
        )),
        data: None,
    }
}

/// The text of a panic: `panic!` payloads are a `&str` or a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "panic with a non-string payload"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_sync_request_becomes_an_internal_error() {
        let result: Result<()> = request_sync("x/y", || panic!("boom {}", 1));
        let error = result.expect_err("the panic is an error");
        assert_eq!(error.code, ErrorCode::InternalError);
        assert!(error.message.contains("x/y"), "{}", error.message);
        assert!(error.message.contains("boom 1"), "{}", error.message);
        assert_eq!(request_sync("x/y", || Ok(5)), Ok(5));
    }

    #[test]
    fn a_panicking_async_request_becomes_an_internal_error() {
        // libtest captures what the panic hook prints for a passing test.
        let result: Result<()> = futures::executor::block_on(request("x/z", async {
            futures::future::ready(()).await;
            panic!("after an await")
        }));
        let error = result.expect_err("the panic is an error");
        assert!(
            error.message.contains("after an await"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_panicking_notification_returns_its_message() {
        let result = notification("textDocument/didChange", || panic!("bad edit"));
        assert_eq!(
            result,
            Err("textDocument/didChange failed: bad edit".to_owned())
        );
        assert_eq!(notification("n", || ()), Ok(()));
    }
}
