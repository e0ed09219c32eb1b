//! A deliberately small LSP client for the end-to-end suites: it starts the real `llmspell lsp`
//! binary and speaks JSON-RPC to it with `Content-Length` framing written out here, so that the
//! tests check the bytes on the wire rather than what some client library makes of them.
//!
//! Every read waits at most `READ_TIMEOUT`: a server that hangs fails its test with the server's
//! stderr attached, instead of blocking the whole suite.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The binary Cargo built for this test run.
pub const LLMSPELL: &str = env!("CARGO_BIN_EXE_llmspell");

/// Far longer than any answer takes (milliseconds), short enough to report a hang promptly.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `llmspell lsp`.
pub struct LspProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Messages from the server, parsed by the reader thread, in arrival order.
    incoming: Receiver<Result<Value, String>>,
    stderr: Option<thread::JoinHandle<String>>,
    next_id: i64,
    /// Responses read while waiting for another one.
    pending_responses: Vec<Value>,
    /// Notifications the server sent (e.g. `window/logMessage`), in arrival order.
    pub notifications: Vec<Value>,
    /// Requests the server sent (e.g. `client/registerCapability`), each answered with a null
    /// result when it arrived, in arrival order.
    pub server_requests: Vec<Value>,
}

/// How to start the server.
#[derive(Debug, Default, Clone, Copy)]
pub struct Start {
    /// Sets `LLMSPELL_LSP_TEST_HOOKS=1`.
    pub test_hooks: bool,
    /// Adds `--stdio`, as vscode-languageclient does.
    pub stdio_flag: bool,
}

impl LspProcess {
    pub fn start(options: Start) -> Self {
        let mut command = Command::new(LLMSPELL);
        command.arg("lsp");
        if options.stdio_flag {
            command.arg("--stdio");
        }
        if options.test_hooks {
            command.env("LLMSPELL_LSP_TEST_HOOKS", "1");
        } else {
            command.env_remove("LLMSPELL_LSP_TEST_HOOKS");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {LLMSPELL} lsp: {e}"));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout was requested as a pipe");
        let stderr = child.stderr.take().expect("stderr was requested as a pipe");

        let (sender, incoming) = mpsc::channel();
        // The reader runs on its own thread so that a read can time out, and so that the server
        // never blocks on a full stdout pipe while the test is busy writing to its stdin.
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                match read_message(&mut reader) {
                    Ok(Some(message)) => {
                        if sender.send(Ok(message)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return, // the server closed stdout
                    Err(error) => {
                        let _ = sender.send(Err(error));
                        return;
                    }
                }
            }
        });
        let stderr = thread::spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(stderr).read_to_string(&mut text);
            text
        });

        Self {
            child,
            stdin,
            incoming,
            stderr: Some(stderr),
            next_id: 1,
            pending_responses: Vec::new(),
            notifications: Vec::new(),
            server_requests: Vec::new(),
        }
    }

    /// Sends `initialize` (offering `position_encodings` when given) and `initialized`, and
    /// returns the `initialize` result.
    pub fn initialize(&mut self, position_encodings: Option<&[&str]>) -> Value {
        let mut capabilities = json!({});
        if let Some(encodings) = position_encodings {
            capabilities["general"] = json!({ "positionEncodings": encodings });
        }
        let response = self.call(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        let result = response
            .get("result")
            .cloned()
            .unwrap_or_else(|| panic!("initialize failed: {response}"));
        self.notify("initialized", json!({}));
        result
    }

    /// Writes one framed message to the server's stdin.
    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let stdin = self.stdin.as_mut().expect("stdin is still open");
        if let Err(e) = stdin.write_all(frame.as_bytes()) {
            let stderr = self.finish_stderr();
            panic!("writing to the server failed: {e}\n--- server stderr ---\n{stderr}");
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request without waiting; returns its id.
    pub fn request(&mut self, method: &str, params: Option<Value>) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if let Some(params) = params {
            message["params"] = params;
        }
        self.send(&message);
        id
    }

    /// Sends a request and waits for its response (the whole response object).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.request(method, Some(params));
        self.response(id)
    }

    /// Waits for the response to request `id`, keeping other messages for later.
    pub fn response(&mut self, id: i64) -> Value {
        let wanted = json!(id);
        if let Some(index) = self
            .pending_responses
            .iter()
            .position(|r| r.get("id") == Some(&wanted))
        {
            return self.pending_responses.remove(index);
        }
        let deadline = Instant::now() + READ_TIMEOUT;
        loop {
            let message = self.next_message(deadline, &format!("the response to request {id}"));
            match (message.get("id"), message.get("method")) {
                (Some(message_id), None) if *message_id == wanted => return message,
                (Some(_), None) => self.pending_responses.push(message),
                // A request from the server: answer it, or the server could wait forever.
                (Some(request_id), Some(_)) => {
                    let reply = json!({ "jsonrpc": "2.0", "id": request_id, "result": null });
                    self.send(&reply);
                    self.server_requests.push(message);
                }
                (None, _) => self.notifications.push(message),
            }
        }
    }

    /// Waits for a notification `method` whose params satisfy `matches` (earlier ones that were
    /// kept while waiting for responses count too), and returns its params.
    pub fn notification(&mut self, method: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && matches(&n["params"]))
        {
            return self.notifications.remove(index)["params"].clone();
        }
        let deadline = Instant::now() + READ_TIMEOUT;
        loop {
            let message = self.next_message(deadline, &format!("a {method} notification"));
            match (message.get("id"), message.get("method")) {
                (None, Some(m)) if m == method && matches(&message["params"]) => {
                    return message["params"].clone();
                }
                (None, _) => self.notifications.push(message),
                (Some(request_id), Some(_)) => {
                    let reply = json!({ "jsonrpc": "2.0", "id": request_id, "result": null });
                    self.send(&reply);
                    self.server_requests.push(message);
                }
                (Some(_), None) => self.pending_responses.push(message),
            }
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `shutdown` (checking its null result) and `exit`, and returns the exit code.
    pub fn shutdown_and_exit(&mut self) -> Option<i32> {
        let response = self.call("shutdown", Value::Null);
        assert_eq!(response.get("result"), Some(&Value::Null), "{response}");
        self.notify("exit", Value::Null);
        self.wait_for_exit()
    }

    /// Waits (at most `READ_TIMEOUT`) for the server to end; returns its exit code. Stdin stays
    /// open, as it does in editors that never close it: the server must end on `exit` alone.
    pub fn wait_for_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + READ_TIMEOUT;
        loop {
            match self.child.try_wait().expect("waiting for the server") {
                Some(status) => return status.code(),
                None if Instant::now() > deadline => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    let stderr = self.finish_stderr();
                    panic!(
                        "the server did not exit within {READ_TIMEOUT:?}\n\
                         --- server stderr ---\n{stderr}"
                    );
                }
                None => thread::sleep(Duration::from_millis(5)),
            }
        }
    }

    /// What the server wrote to stderr, once it has ended (kills it if it has not).
    pub fn finish_stderr(&mut self) -> String {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stderr
            .take()
            .map(|handle| handle.join().unwrap_or_default())
            .unwrap_or_default()
    }

    fn next_message(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(Ok(message)) => message,
            Ok(Err(error)) => {
                let stderr = self.finish_stderr();
                panic!("bad message from the server: {error}\n--- server stderr ---\n{stderr}")
            }
            Err(RecvTimeoutError::Timeout) => {
                let stderr = self.finish_stderr();
                panic!("no {waiting_for} within {READ_TIMEOUT:?}\n--- server stderr ---\n{stderr}")
            }
            Err(RecvTimeoutError::Disconnected) => {
                let stderr = self.finish_stderr();
                panic!(
                    "the server closed its output while the test waited for {waiting_for}\n\
                     --- server stderr ---\n{stderr}"
                )
            }
        }
    }
}

impl Drop for LspProcess {
    fn drop(&mut self) {
        // A failed test must not leave a server running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads one `Content-Length`-framed JSON message; `None` at a clean end of input.
fn read_message(reader: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|e| format!("reading a header: {e}"))?;
        if read == 0 {
            return if length.is_none() {
                Ok(None)
            } else {
                Err("end of output inside a header".to_owned())
            };
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| format!("not a header: {header:?}"))?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|e| format!("bad Content-Length {value:?}: {e}"))?,
            );
        }
    }
    let length = length.ok_or("a message without Content-Length")?;
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("reading a {length}-byte body: {e}"))?;
    serde_json::from_slice(&body).map(Some).map_err(|e| {
        format!(
            "a body that is not JSON ({e}): {}",
            String::from_utf8_lossy(&body)
        )
    })
}
