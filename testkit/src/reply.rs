//! Scripted replies: what the fake server answers to one request, and how (delays, streaming,
//! truncation, repetition).
//!
//! A [`Reply`] is plain data; the server's connection task turns it into bytes (see `http.rs`).
//! Keeping it declarative lets tests enqueue replies up front and lets the server clone a
//! `.repeat()` reply for every later request.

use std::time::Duration;

use serde_json::Value;

/// One Server-Sent Event: an optional `event:` name and its `data:` payload.
///
/// On the wire it becomes `event: NAME\n` (when named), one `data: LINE\n` per line of `data`,
/// then a blank line, exactly as the SSE spec and both providers frame events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field; `None` for unnamed events (OpenAI sends only unnamed ones).
    pub event: Option<String>,
    /// The `data:` payload. Embedded newlines become several `data:` lines.
    pub data: String,
}

impl SseEvent {
    /// An unnamed event (`data: ...` only), as OpenAI streams use.
    pub fn data(data: impl Into<String>) -> Self {
        Self {
            event: None,
            data: data.into(),
        }
    }

    /// A named event (`event: NAME` + `data: ...`), as Anthropic streams use.
    pub fn named(event: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            event: Some(event.into()),
            data: data.into(),
        }
    }

    /// The exact bytes of this event on the wire, including the terminating blank line.
    pub fn to_wire(&self) -> String {
        let mut out = String::new();
        if let Some(event) = &self.event {
            out.push_str("event: ");
            out.push_str(event);
            out.push('\n');
        }
        // `split('\n')` (not `lines()`) so an empty payload still yields one `data:` line and a
        // trailing newline in the payload is preserved as an empty data line, per the SSE spec.
        for line in self.data.split('\n') {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        out
    }
}

/// The body of a reply: either sent in one piece with `Content-Length`, or streamed as SSE with
/// chunked transfer encoding.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Fixed(Vec<u8>),
    Sse(Vec<SseEvent>),
}

/// A scripted HTTP response, built with [`Reply::json`], [`Reply::text`] or [`Reply::sse`] and
/// refined with the builder methods.
///
/// Every response carries `Connection: close`, so each request uses its own connection and a
/// truncation or delay never leaks into the next request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) first_byte_delay: Option<Duration>,
    pub(crate) event_delay: Option<Duration>,
    pub(crate) truncate_after_events: Option<usize>,
    pub(crate) repeat: bool,
}

/// Headers that frame the message. The server owns them (it decides between `Content-Length`
/// and chunked encoding), so letting a test set them would only produce a broken response that
/// looks like a bug in the provider.
const FRAMING_HEADERS: [&str; 3] = ["content-length", "transfer-encoding", "connection"];

impl Reply {
    fn new(status: u16, content_type: &str, body: Body) -> Self {
        Self {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body,
            first_byte_delay: None,
            event_delay: None,
            truncate_after_events: None,
            repeat: false,
        }
    }

    /// A JSON response (`Content-Type: application/json`) with the given status.
    pub fn json(status: u16, body: Value) -> Self {
        Self::new(
            status,
            "application/json",
            Body::Fixed(body.to_string().into_bytes()),
        )
    }

    /// A plain-text response (`Content-Type: text/plain; charset=utf-8`) with the given status,
    /// e.g. to simulate a proxy's HTML/text error page that is not JSON.
    pub fn text(status: u16, body: &str) -> Self {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            Body::Fixed(body.as_bytes().to_vec()),
        )
    }

    /// A `200` Server-Sent Events stream (`Content-Type: text/event-stream`), sent with chunked
    /// transfer encoding, one HTTP chunk per event, flushed after each event so the client
    /// receives them incrementally.
    pub fn sse(events: Vec<SseEvent>) -> Self {
        Self::new(200, "text/event-stream", Body::Sse(events)).header("cache-control", "no-cache")
    }

    /// Adds a response header (e.g. `retry-after`, `x-request-id`). Setting `content-type`
    /// replaces the default one; setting a header that already exists replaces it too.
    ///
    /// # Panics
    /// On `content-length`, `transfer-encoding` or `connection`: the server controls framing.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        assert!(
            !FRAMING_HEADERS.contains(&lower.as_str()),
            "testkit: the `{name}` header is managed by the fake server and cannot be scripted"
        );
        if lower == "content-type" {
            self.content_type = value.to_owned();
        } else {
            self.headers.retain(|(n, _)| *n != lower);
            self.headers.push((lower, value.to_owned()));
        }
        self
    }

    /// Overrides the status code (useful for an SSE reply, which defaults to `200`).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Sleeps this long before writing the status line: the "slow first byte" case, for
    /// exercising connect/first-byte timeouts. The request is recorded before the sleep.
    pub fn delay_first_byte(mut self, delay: Duration) -> Self {
        self.first_byte_delay = Some(delay);
        self
    }

    /// Sleeps this long between consecutive SSE events (not before the first one), so a test can
    /// observe that the client processes events as they arrive. No effect on non-SSE replies.
    pub fn event_delay(mut self, delay: Duration) -> Self {
        self.event_delay = Some(delay);
        self
    }

    /// Writes only the first `n` SSE events, then closes the connection without the terminating
    /// zero-length chunk: the "cut stream" case. The client sees an incomplete chunked body (a
    /// body/decode error in reqwest), never a clean end of stream. With `n` >= the number of
    /// events, all events are sent but the stream is still cut. No effect on non-SSE replies.
    pub fn truncate_after_events(mut self, n: usize) -> Self {
        self.truncate_after_events = Some(n);
        self
    }

    /// Keeps answering with this reply once its route's queue is empty (instead of the
    /// "no scripted reply" 500), e.g. for retry loops, concurrency tests or benchmarks.
    pub fn repeat(mut self) -> Self {
        self.repeat = true;
        self
    }

    /// The reply sent when a route has nothing scripted: a 500 whose JSON body says which request
    /// was unexpected, shaped like an OpenAI error so providers surface the message verbatim.
    pub(crate) fn unscripted(method: &str, target: &str) -> Self {
        Self::json(
            500,
            serde_json::json!({
                "error": {
                    "message": format!("testkit: no scripted reply for {method} {target}")
                }
            }),
        )
    }
}
