//! A small JSON-RPC client for language servers over stdio, written for the benchmark: it starts
//! a server process, frames messages with `Content-Length`, sends requests and notifications,
//! and reads on a thread so every wait has a timeout.
//!
//! Two things matter for timing and for peers:
//!
//! - The reader thread stamps each message with the instant its body was fully read, before the
//!   JSON is parsed. A request's latency is "written to the pipe" to "last byte read", so neither
//!   our JSON parsing nor the benchmark's own scheduling is charged to the server.
//! - Requests *from* the server (`workspace/configuration`, `client/registerCapability`,
//!   `window/workDoneProgress/create`, ...) are answered by the reader thread at once, with an
//!   empty result. Some servers stop serving until their request is answered; answering on the
//!   reader thread means that never depends on what the benchmark is waiting for.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How much of a server's stderr is kept for error messages: the end is what explains a crash.
const STDERR_TAIL_BYTES: usize = 4096;
/// Notifications kept while nobody asks for them. A chatty server (log messages, progress) must
/// not grow the backlog without bound over a long run; the oldest are dropped first.
const BACKLOG_LIMIT: usize = 10_000;
/// How long `shutdown` waits for each step before killing the process.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// A message from the server and when its last byte was read.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub message: Value,
    pub at: Instant,
}

/// A response to one of our requests.
#[derive(Debug)]
pub struct Response {
    pub result: Value,
    /// From just before the request was written to when the response was read.
    pub latency: Duration,
}

/// A running language server.
pub struct LspClient {
    /// Shown in error messages: "llmspell", "emmylua_ls", ...
    name: String,
    child: Child,
    /// Shared with the reader thread, which answers the server's own requests.
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Result<Incoming, String>>,
    /// Notifications read while waiting for something else, oldest first.
    backlog: VecDeque<Incoming>,
    next_id: i64,
    stderr_tail: Arc<Mutex<VecDeque<u8>>>,
}

impl LspClient {
    /// Starts `command` with piped stdio and the reader threads.
    pub fn spawn(name: &str, mut command: Command) -> Result<LspClient, String> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{name}: stdio pipes were not created"));
        };
        let stdin = Arc::new(Mutex::new(stdin));
        let (sender, incoming) = mpsc::channel();
        let answerer = Arc::clone(&stdin);
        thread::spawn(move || read_loop(BufReader::new(stdout), &answerer, &sender));
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail = Arc::clone(&stderr_tail);
        // Drained continuously: a server blocked on a full stderr pipe would look like a slow one.
        thread::spawn(move || drain_stderr(stderr, &tail));
        Ok(LspClient {
            name: name.to_owned(),
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 1,
            stderr_tail,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.write(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    /// Sends a request and waits at most `timeout` for its response. A JSON-RPC error response
    /// is an `Err`, with the server's message.
    pub fn request(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Response, String> {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        let sent = Instant::now();
        self.write(&message)?;
        let deadline = sent + timeout;
        loop {
            let incoming = self.next_message(deadline, &format!("the response to `{method}`"))?;
            let message = &incoming.message;
            if message.get("method").is_some() {
                self.keep(incoming);
                continue;
            }
            // Sequential use means any other response is a stale one (a request given up on
            // after its timeout): drop it.
            if message.get("id") != Some(&json!(id)) {
                continue;
            }
            if let Some(error) = message.get("error") {
                return Err(format!(
                    "{} answered `{method}` with an error: {error}",
                    self.name
                ));
            }
            return Ok(Response {
                result: message.get("result").cloned().unwrap_or(Value::Null),
                latency: incoming.at.saturating_duration_since(sent),
            });
        }
    }

    /// Waits at most `timeout` for a notification `method` whose params satisfy `matches`;
    /// notifications already in the backlog count, oldest first.
    pub fn wait_for_notification(
        &mut self,
        method: &str,
        matches: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Result<Incoming, String> {
        let is_wanted = |incoming: &Incoming| {
            incoming.message["method"] == method && matches(&incoming.message["params"])
        };
        if let Some(index) = self.backlog.iter().position(is_wanted) {
            return Ok(self
                .backlog
                .remove(index)
                .expect("the index was just found"));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let incoming = self.next_message(deadline, &format!("a `{method}` notification"))?;
            if is_wanted(&incoming) {
                return Ok(incoming);
            }
            if incoming.message.get("method").is_some() {
                self.keep(incoming);
            }
        }
    }

    /// Forgets the notifications received so far, so a later wait sees only new ones.
    pub fn clear_backlog(&mut self) {
        while let Ok(Ok(_)) = self.incoming.try_recv() {}
        self.backlog.clear();
    }

    /// `shutdown`, `exit`, then waits for the process; kills it if any step takes too long. Errors
    /// are ignored: the measurements are already taken, and `Drop` kills a server that lingers.
    pub fn shutdown(mut self) {
        if self
            .request("shutdown", Value::Null, SHUTDOWN_TIMEOUT)
            .is_ok()
        {
            let _ = self.notify("exit", Value::Null);
        }
        let deadline = Instant::now() + SHUTDOWN_TIMEOUT;
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        // `Drop` kills it.
    }

    /// The end of what the server wrote to stderr, for error messages.
    pub fn stderr_tail(&self) -> String {
        let tail = self
            .stderr_tail
            .lock()
            .map(|tail| tail.iter().copied().collect::<Vec<u8>>())
            .unwrap_or_default();
        String::from_utf8_lossy(&tail).trim().to_owned()
    }

    fn write(&mut self, message: &Value) -> Result<(), String> {
        let mut stdin = self
            .stdin
            .lock()
            .map_err(|_| format!("{}: the stdin lock is poisoned", self.name))?;
        write_message(&mut *stdin, message)
            .map_err(|e| format!("writing to {} failed: {e}{}", self.name, self.stderr_note()))
    }

    fn next_message(&mut self, deadline: Instant, waiting_for: &str) -> Result<Incoming, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(Ok(incoming)) => Ok(incoming),
            Ok(Err(error)) => Err(format!(
                "{}: bad output while waiting for {waiting_for}: {error}{}",
                self.name,
                self.stderr_note()
            )),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "{}: no {waiting_for} within the timeout{}",
                self.name,
                self.stderr_note()
            )),
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.try_wait().ok().flatten().map_or_else(
                    || "closed its output".to_owned(),
                    |s| format!("exited ({s})"),
                );
                Err(format!(
                    "{} {status} while we waited for {waiting_for}{}",
                    self.name,
                    self.stderr_note()
                ))
            }
        }
    }

    fn keep(&mut self, incoming: Incoming) {
        if self.backlog.len() == BACKLOG_LIMIT {
            self.backlog.pop_front();
        }
        self.backlog.push_back(incoming);
    }

    fn stderr_note(&self) -> String {
        let tail = self.stderr_tail();
        if tail.is_empty() {
            String::new()
        } else {
            format!("\n--- end of {} stderr ---\n{tail}", self.name)
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        // A benchmark that gave up on a server must not leave it running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `file://` URI of an absolute path, percent-encoding what a URI path may not hold as is.
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// Reads messages until the server closes its output, answering the server's requests and
/// passing everything else on.
fn read_loop(
    mut reader: impl BufRead,
    stdin: &Mutex<ChildStdin>,
    sender: &mpsc::Sender<Result<Incoming, String>>,
) {
    loop {
        let incoming = match read_message(&mut reader) {
            Ok(Some(incoming)) => incoming,
            Ok(None) => return,
            Err(error) => {
                let _ = sender.send(Err(error));
                return;
            }
        };
        let message = &incoming.message;
        if let (Some(id), Some(method)) = (message.get("id"), message.get("method")) {
            let reply = json!({ "jsonrpc": "2.0", "id": id, "result": reply_to(method, message) });
            if let Ok(mut stdin) = stdin.lock() {
                let _ = write_message(&mut *stdin, &reply);
            }
            continue;
        }
        if sender.send(Ok(incoming)).is_err() {
            return;
        }
    }
}

/// The result we give a request from the server: "nothing configured" for configuration (one
/// null per item asked, as the protocol wants an array of the same length), null for the rest
/// (registrations, progress tokens, message prompts), which every server accepts.
fn reply_to(method: &Value, message: &Value) -> Value {
    if method == "workspace/configuration" {
        let items = message["params"]["items"].as_array().map_or(0, Vec::len);
        Value::Array(vec![Value::Null; items])
    } else {
        Value::Null
    }
}

fn write_message(writer: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = message.to_string();
    write!(writer, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    writer.flush()
}

/// Reads one `Content-Length`-framed message; `None` at a clean end of output.
fn read_message(reader: &mut impl BufRead) -> Result<Option<Incoming>, String> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|e| format!("reading a header: {e}"))?;
        if read == 0 {
            return match length {
                None => Ok(None),
                Some(_) => Err("the output ended inside a header".to_owned()),
            };
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            let parsed = value.trim().parse::<usize>();
            length = Some(parsed.map_err(|e| format!("bad Content-Length {value:?}: {e}"))?);
        }
    }
    let length = length.ok_or("a message without Content-Length")?;
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("reading a {length}-byte body: {e}"))?;
    let at = Instant::now();
    let message = serde_json::from_slice(&body).map_err(|e| {
        let shown: String = String::from_utf8_lossy(&body).chars().take(200).collect();
        format!("a body that is not JSON ({e}): {shown}")
    })?;
    Ok(Some(Incoming { message, at }))
}

fn drain_stderr(stderr: impl Read, tail: &Mutex<VecDeque<u8>>) {
    let mut reader = BufReader::new(stderr);
    let mut chunk = [0; 4096];
    while let Ok(read) = reader.read(&mut chunk) {
        if read == 0 {
            return;
        }
        if let Ok(mut tail) = tail.lock() {
            tail.extend(&chunk[..read]);
            let excess = tail.len().saturating_sub(STDERR_TAIL_BYTES);
            tail.drain(..excess);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_the_framing() {
        let mut wire = Vec::new();
        write_message(&mut wire, &json!({ "id": 1, "result": "ü" })).unwrap();
        write_message(&mut wire, &json!({ "method": "x" })).unwrap();
        let mut reader = std::io::Cursor::new(wire);
        let first = read_message(&mut reader).unwrap().unwrap();
        assert_eq!(first.message, json!({ "id": 1, "result": "ü" }));
        let second = read_message(&mut reader).unwrap().unwrap();
        assert_eq!(second.message["method"], "x");
        assert!(read_message(&mut reader).unwrap().is_none());
    }

    #[test]
    fn a_truncated_message_is_an_error() {
        let mut reader = std::io::Cursor::new(b"Content-Length: 10\r\n\r\n{}".to_vec());
        assert!(read_message(&mut reader).is_err());
    }

    #[test]
    fn configuration_requests_get_one_null_per_item() {
        let request = json!({ "params": { "items": [{}, {}] } });
        assert_eq!(
            reply_to(&json!("workspace/configuration"), &request),
            json!([null, null])
        );
        assert_eq!(
            reply_to(&json!("client/registerCapability"), &request),
            Value::Null
        );
    }

    #[test]
    fn uris_encode_unusual_characters() {
        assert_eq!(
            file_uri(Path::new("/tmp/a b/c.lua")),
            "file:///tmp/a%20b/c.lua"
        );
    }
}
