//! Behaviour tests for `FakeServer`, driven by a minimal raw HTTP/1.1 client over
//! `std::net::TcpStream` (no HTTP library) so the kit's own wire output is checked byte for byte:
//! framing, delays, incremental SSE delivery and truncation.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use llmspell_testkit::{FakeServer, Reply, SseEvent, anthropic, openai};
use serde_json::{Value, json};

/// The raw test client.
mod raw {
    use super::*;

    /// A parsed response. `complete` is false when the body ended early: a chunked body without
    /// its terminating 0-chunk, or fewer bytes than `content-length`.
    #[derive(Debug)]
    pub struct Response {
        pub status: u16,
        pub headers: Vec<(String, String)>,
        pub body: String,
        pub complete: bool,
    }

    impl Response {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        pub fn json(&self) -> Value {
            serde_json::from_str(&self.body).expect("response body is JSON")
        }
    }

    /// Connects and writes one request with `Content-Length` framing.
    pub fn send(
        addr: SocketAddr,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> TcpStream {
        let mut stream = TcpStream::connect(addr).expect("connect to fake server");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("set timeout");
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(request.as_bytes()).expect("write request");
        stream
    }

    /// Reads until the server closes the connection. A reset after data counts as the end.
    pub fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return out,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return out,
                Err(e) => panic!("read failed: {e}"),
            }
        }
    }

    pub fn request(
        addr: SocketAddr,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Response {
        let mut stream = send(addr, method, target, headers, body);
        parse(&read_to_close(&mut stream))
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    pub fn parse(raw: &[u8]) -> Response {
        let head_end = find(raw, b"\r\n\r\n").expect("response has a complete head");
        let head = std::str::from_utf8(&raw[..head_end]).expect("UTF-8 head");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().expect("status line");
        assert!(
            status_line.starts_with("HTTP/1.1 "),
            "bad status line {status_line:?}"
        );
        let status = status_line[9..12].parse().expect("numeric status");
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').expect("header has a colon");
                (n.trim().to_ascii_lowercase(), v.trim().to_owned())
            })
            .collect();
        let rest = &raw[head_end + 4..];
        let mut response = Response {
            status,
            headers,
            body: String::new(),
            complete: false,
        };
        if response.header("transfer-encoding") == Some("chunked") {
            assert!(response.header("content-length").is_none());
            let (body, complete) = dechunk(rest);
            response.body = String::from_utf8(body).expect("UTF-8 body");
            response.complete = complete;
        } else {
            let len: usize = response
                .header("content-length")
                .expect("non-chunked response has content-length")
                .parse()
                .expect("numeric content-length");
            response.complete = rest.len() == len;
            response.body = String::from_utf8(rest.to_vec()).expect("UTF-8 body");
        }
        response
    }

    /// Decodes a chunked body; the flag says whether the terminating 0-chunk was present.
    fn dechunk(mut rest: &[u8]) -> (Vec<u8>, bool) {
        let mut body = Vec::new();
        loop {
            let Some(line_end) = find(rest, b"\r\n") else {
                return (body, false);
            };
            let size_text = std::str::from_utf8(&rest[..line_end]).expect("chunk size");
            let size = usize::from_str_radix(size_text, 16).expect("hex chunk size");
            rest = &rest[line_end + 2..];
            if size == 0 {
                return (body, rest == b"\r\n");
            }
            if rest.len() < size + 2 {
                body.extend_from_slice(&rest[..rest.len().min(size)]);
                return (body, false);
            }
            body.extend_from_slice(&rest[..size]);
            assert_eq!(
                &rest[size..size + 2],
                b"\r\n",
                "chunk data followed by CRLF"
            );
            rest = &rest[size + 2..];
        }
    }

    /// Splits an SSE body into `(event, data)` pairs.
    pub fn sse_events(body: &str) -> Vec<(Option<String>, String)> {
        body.split("\n\n")
            .filter(|block| !block.is_empty())
            .map(|block| {
                let mut event = None;
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event: ") {
                        event = Some(v.to_owned());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data.push(v);
                    }
                }
                (event, data.join("\n"))
            })
            .collect()
    }
}

const CHAT: &str = "/v1/chat/completions";

#[test]
fn urls_point_at_loopback() {
    let server = FakeServer::start();
    let port = server.addr().port();
    assert!(server.addr().ip().is_loopback());
    assert_eq!(server.base_url(), format!("http://127.0.0.1:{port}"));
    assert_eq!(server.url("/v1"), format!("http://127.0.0.1:{port}/v1"));
    assert_eq!(
        server.url("v1/messages"),
        format!("http://127.0.0.1:{port}/v1/messages")
    );
}

#[test]
fn replies_are_fifo_per_route() {
    let server = FakeServer::start();
    server
        .reply("POST", CHAT, Reply::json(200, json!({ "n": 1 })))
        .reply("POST", CHAT, Reply::json(429, json!({ "n": 2 })))
        .reply("GET", "/v1/models", Reply::text(200, "models"))
        .reply("POST", CHAT, Reply::json(200, json!({ "n": 3 })));
    assert_eq!(server.remaining_replies("POST", CHAT), 3);

    let first = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!((first.status, first.json()), (200, json!({ "n": 1 })));
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(first.header("connection"), Some("close"));
    assert!(first.complete);
    // Another route's queue is independent.
    let models = raw::request(server.addr(), "GET", "/v1/models", &[], "");
    assert_eq!((models.status, models.body.as_str()), (200, "models"));
    assert_eq!(
        models.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let second = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!((second.status, second.json()), (429, json!({ "n": 2 })));
    let third = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!((third.status, third.json()), (200, json!({ "n": 3 })));
    assert_eq!(server.remaining_replies("POST", CHAT), 0);
}

#[test]
fn unscripted_route_answers_500_with_an_explanation() {
    let server = FakeServer::start();
    let response = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!(response.status, 500);
    assert_eq!(
        response.json(),
        json!({ "error": { "message": "testkit: no scripted reply for POST /v1/chat/completions" } })
    );
    // Exhausting a non-repeating queue falls back to the same 500.
    server.reply("POST", CHAT, Reply::json(200, json!({})));
    assert_eq!(
        raw::request(server.addr(), "POST", CHAT, &[], "{}").status,
        200
    );
    assert_eq!(
        raw::request(server.addr(), "POST", CHAT, &[], "{}").status,
        500
    );
    // Method matters: a scripted POST does not answer a GET.
    server.reply("POST", "/x", Reply::text(200, "ok"));
    assert_eq!(
        raw::request(server.addr(), "GET", "/x", &[], "").status,
        500
    );
    assert_eq!(
        server.requests().len(),
        4,
        "unscripted requests are recorded too"
    );
}

#[test]
fn repeat_reuses_the_last_reply_once_the_queue_is_empty() {
    let server = FakeServer::start();
    server
        .reply("POST", CHAT, Reply::json(503, json!({ "first": true })))
        .reply(
            "POST",
            CHAT,
            Reply::json(200, json!({ "ok": true })).repeat(),
        );
    let statuses: Vec<u16> = (0..4)
        .map(|_| raw::request(server.addr(), "POST", CHAT, &[], "{}").status)
        .collect();
    assert_eq!(statuses, [503, 200, 200, 200]);
    // A reply enqueued later still takes precedence over the repeated one.
    server.reply("POST", CHAT, Reply::json(201, json!({})));
    assert_eq!(
        raw::request(server.addr(), "POST", CHAT, &[], "{}").status,
        201
    );
    assert_eq!(
        raw::request(server.addr(), "POST", CHAT, &[], "{}").status,
        500
    );
}

#[test]
fn requests_are_recorded_with_headers_and_body() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT,
        Reply::json(200, openai::completion("hi", 1, 1)),
    );
    let body = r#"{"model":"gpt-4o-mini","stream":false}"#;
    let response = raw::request(
        server.addr(),
        "POST",
        "/v1/chat/completions?api-version=2024",
        &[
            ("Authorization", "Bearer sk-test"),
            ("X-Custom", "  padded  "),
        ],
        body,
    );
    assert_eq!(
        response.status, 200,
        "the query string does not affect route matching"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, CHAT);
    assert_eq!(request.query.as_deref(), Some("api-version=2024"));
    assert_eq!(request.body, body);
    assert_eq!(request.json()["model"], "gpt-4o-mini");
    assert_eq!(request.header("authorization"), Some("Bearer sk-test"));
    assert_eq!(request.header("AUTHORIZATION"), Some("Bearer sk-test"));
    assert_eq!(request.header("x-custom"), Some("padded"));
    assert!(
        request
            .headers
            .iter()
            .all(|(n, _)| *n == n.to_ascii_lowercase())
    );
    assert!(request.headers.iter().any(|(n, _)| n == "content-length"));
    assert_eq!(request.header("missing"), None);
    assert_eq!(server.last_request().as_ref(), Some(request));
    assert_eq!(server.requests_for("POST", CHAT).len(), 1);
    assert!(server.requests_for("GET", CHAT).is_empty());
}

#[test]
#[should_panic(expected = "body of POST /v1/messages is not JSON")]
fn recorded_json_panics_helpfully_on_non_json() {
    let server = FakeServer::start();
    raw::request(server.addr(), "POST", "/v1/messages", &[], "not json");
    let _ = server.requests()[0].json();
}

#[test]
fn chunked_request_bodies_are_decoded() {
    let server = FakeServer::start();
    server.reply("POST", "/v1/messages", Reply::json(200, json!({})));
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    let request = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
                   5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n";
    stream.write_all(request.as_bytes()).expect("write");
    assert_eq!(raw::parse(&raw::read_to_close(&mut stream)).status, 200);
    assert_eq!(server.requests()[0].json(), json!({ "a": 1 }));
}

#[test]
fn queries_in_scripted_paths_match_exactly() {
    let server = FakeServer::start();
    server.reply("GET", "/v1/models?limit=1", Reply::text(200, "one"));
    server.reply("GET", "/v1/models", Reply::text(200, "all"));
    assert_eq!(
        raw::request(server.addr(), "GET", "/v1/models?limit=1", &[], "").body,
        "one"
    );
    assert_eq!(
        raw::request(server.addr(), "GET", "/v1/models?limit=2", &[], "").body,
        "all"
    );
}

#[test]
fn custom_headers_and_status_override() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT,
        Reply::json(429, openai::error(429, "slow down"))
            .header("Retry-After", "2")
            .header("retry-after", "3")
            .header("Content-Type", "application/problem+json"),
    );
    server.reply(
        "POST",
        "/v1/messages",
        Reply::sse(vec![SseEvent::data("x")]).status(529),
    );
    let response = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!(response.status, 429);
    assert_eq!(
        response.header("retry-after"),
        Some("3"),
        "a later value replaces the earlier"
    );
    assert_eq!(
        response
            .headers
            .iter()
            .filter(|(n, _)| n == "retry-after")
            .count(),
        1
    );
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(response.json()["error"]["code"], "rate_limit_exceeded");
    assert_eq!(
        raw::request(server.addr(), "POST", "/v1/messages", &[], "").status,
        529
    );
}

#[test]
#[should_panic(expected = "managed by the fake server")]
fn framing_headers_cannot_be_scripted() {
    let _ = Reply::text(200, "x").header("Content-Length", "99");
}

#[test]
fn delay_first_byte_delays_the_status_line() {
    let server = FakeServer::start();
    let delay = Duration::from_millis(300);
    server.reply(
        "POST",
        CHAT,
        Reply::json(200, json!({})).delay_first_byte(delay),
    );
    let started = Instant::now();
    let mut stream = raw::send(server.addr(), "POST", CHAT, &[], "{}");
    let mut first = [0u8; 1];
    stream.read_exact(&mut first).expect("first byte");
    let waited = started.elapsed();
    assert!(
        waited >= delay,
        "first byte after {waited:?}, expected >= {delay:?}"
    );
    assert_eq!(first[0], b'H');
    // The request is recorded before the delay, so a test can observe it while waiting.
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn request_is_recorded_before_a_delayed_reply_is_sent() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT,
        Reply::json(200, json!({})).delay_first_byte(Duration::from_secs(5)),
    );
    let _stream = raw::send(server.addr(), "POST", CHAT, &[], "{\"x\":1}");
    let deadline = Instant::now() + Duration::from_secs(3);
    while server.requests().is_empty() {
        assert!(
            Instant::now() < deadline,
            "request was not recorded during the delay"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.requests()[0].json(), json!({ "x": 1 }));
}

#[test]
fn sse_is_framed_as_chunked_event_stream() {
    let server = FakeServer::start();
    let events = anthropic::stream(&["Hel", "lo"], "end_turn", 10, 2);
    let expected: Vec<(Option<String>, String)> = events
        .iter()
        .map(|e| (e.event.clone(), e.data.clone()))
        .collect();
    server.reply("POST", "/v1/messages", Reply::sse(events));
    server.reply(
        "POST",
        CHAT,
        Reply::sse(vec![SseEvent::data("line1\nline2")]),
    );

    let response = raw::request(server.addr(), "POST", "/v1/messages", &[], "{}");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    assert!(response.complete, "a full stream ends with the 0-chunk");
    assert_eq!(raw::sse_events(&response.body), expected);

    let multi = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!(multi.body, "data: line1\ndata: line2\n\n");
}

#[test]
fn sse_events_arrive_incrementally() {
    let server = FakeServer::start();
    let gap = Duration::from_millis(50);
    let events = openai::stream(&["a", "b", "c", "d"], "stop", None); // 7 events: 6 gaps
    let event_count = events.len();
    server.reply("POST", CHAT, Reply::sse(events).event_delay(gap));

    let started = Instant::now();
    let mut stream = raw::send(server.addr(), "POST", CHAT, &[], "{}");
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let mut first_event_at = None;
    loop {
        let n = stream.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        received.extend_from_slice(&buf[..n]);
        if first_event_at.is_none() && String::from_utf8_lossy(&received).contains("\n\n") {
            first_event_at = Some(started.elapsed());
        }
    }
    let finished_at = started.elapsed();
    let first_event_at = first_event_at.expect("an event arrived");
    let response = raw::parse(&received);
    assert!(response.complete);
    assert_eq!(raw::sse_events(&response.body).len(), event_count);
    let all_gaps = gap * (event_count as u32 - 1);
    assert!(
        finished_at >= all_gaps,
        "stream took {finished_at:?}, gaps add up to {all_gaps:?}"
    );
    // The first event must be readable long before the last one is sent (here: 300 ms later).
    assert!(
        first_event_at + gap * 4 <= finished_at,
        "first event at {first_event_at:?}, stream finished at {finished_at:?}: not incremental"
    );
}

#[test]
fn truncation_closes_without_the_final_chunk() {
    let server = FakeServer::start();
    let events = openai::stream(&["a", "b", "c"], "stop", None);
    let sent: Vec<String> = events.iter().take(2).map(|e| e.data.clone()).collect();
    server.reply(
        "POST",
        CHAT,
        Reply::sse(events.clone()).truncate_after_events(2),
    );
    server.reply(
        "POST",
        CHAT,
        Reply::sse(events.clone()).truncate_after_events(0),
    );
    server.reply(
        "POST",
        CHAT,
        Reply::sse(events.clone()).truncate_after_events(99),
    );

    let cut = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!(cut.status, 200);
    assert!(
        !cut.complete,
        "a truncated stream must not end with the 0-chunk"
    );
    let got: Vec<String> = raw::sse_events(&cut.body)
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(got, sent);

    let empty = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert!(!empty.complete);
    assert!(empty.body.is_empty());

    let all_but_end = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert!(!all_but_end.complete);
    assert_eq!(raw::sse_events(&all_but_end.body).len(), events.len());
}

#[test]
fn drop_stops_the_server() {
    let server = FakeServer::start();
    let addr = server.addr();
    server.reply("GET", "/ping", Reply::text(200, "pong"));
    assert_eq!(raw::request(addr, "GET", "/ping", &[], "").body, "pong");
    drop(server);
    let refused = TcpStream::connect_timeout(&addr, Duration::from_secs(2));
    assert!(refused.is_err(), "port still accepting after drop");
}

#[test]
fn drop_does_not_wait_for_in_flight_delays() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT,
        Reply::json(200, json!({})).delay_first_byte(Duration::from_secs(30)),
    );
    server.reply(
        "POST",
        "/v1/messages",
        Reply::sse(anthropic::stream(&["x"; 10], "end_turn", 1, 1))
            .event_delay(Duration::from_secs(30)),
    );
    let mut waiting = raw::send(server.addr(), "POST", CHAT, &[], "{}");
    let mut streaming = raw::send(server.addr(), "POST", "/v1/messages", &[], "{}");
    // Make sure both connections are being served before dropping.
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.requests().len() < 2 {
        assert!(Instant::now() < deadline, "requests not received");
        std::thread::sleep(Duration::from_millis(10));
    }
    let started = Instant::now();
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "drop hung for {:?}",
        started.elapsed()
    );
    // Both clients see their connection end instead of hanging.
    assert!(raw::read_to_close(&mut waiting).is_empty());
    assert!(!raw::parse(&raw::read_to_close(&mut streaming)).complete);
}

#[test]
fn concurrent_requests_are_served_in_parallel() {
    let server = FakeServer::start();
    let delay = Duration::from_millis(300);
    server.reply(
        "POST",
        CHAT,
        Reply::json(200, openai::completion("hi", 1, 1))
            .delay_first_byte(delay)
            .repeat(),
    );
    let addr = server.addr();
    let clients = 8;
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            std::thread::spawn(move || {
                raw::request(addr, "POST", CHAT, &[], &format!("{{\"client\":{i}}}"))
            })
        })
        .collect();
    for handle in handles {
        let response = handle.join().expect("client thread");
        assert_eq!(response.status, 200);
        assert_eq!(response.json()["choices"][0]["message"]["content"], "hi");
    }
    let elapsed = started.elapsed();
    // Serially this would take clients * 300 ms = 2.4 s.
    assert!(
        elapsed < delay * 4,
        "{clients} delayed requests took {elapsed:?}: not concurrent"
    );
    let mut seen: Vec<i64> = server
        .requests()
        .iter()
        .map(|r| r.json()["client"].as_i64().expect("id"))
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..clients).collect::<Vec<i64>>());
}

#[tokio::test(flavor = "current_thread")]
async fn works_from_a_current_thread_runtime_that_blocks() {
    // The server has its own runtime, so even a client that blocks the test's only runtime
    // thread gets answered, and dropping the server inside async code does not panic.
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT,
        Reply::json(200, openai::completion("blocked", 1, 1)),
    );
    let response = raw::request(server.addr(), "POST", CHAT, &[], "{}");
    assert_eq!(
        response.json()["choices"][0]["message"]["content"],
        "blocked"
    );
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_with_an_async_client_on_a_multi_thread_runtime() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = FakeServer::start();
    server.reply(
        "POST",
        "/v1/messages",
        Reply::json(200, anthropic::message("hey", 3, 1)),
    );
    let mut stream = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    stream
        .write_all(b"POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        .await
        .expect("write");
    let mut raw_response = Vec::new();
    stream.read_to_end(&mut raw_response).await.expect("read");
    let response = raw::parse(&raw_response);
    assert_eq!(response.json()["content"][0]["text"], "hey");
}
