//! The hand-written HTTP/1.1 wire layer: parsing one request off a socket and writing one
//! [`Reply`] back.
//!
//! It is deliberately minimal (one request per connection, `Connection: close`) because what the
//! tests need is byte-level control that a full server framework hides: sleeping before the
//! status line, flushing each SSE event as its own chunk, and closing mid-body.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::reply::{Body, Reply};

/// Limits that keep a confused client from making the server buffer without bound.
const MAX_HEAD_BYTES: usize = 1024 * 1024;
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A request as parsed from the wire.
#[derive(Debug)]
pub(crate) struct ParsedRequest {
    pub(crate) method: String,
    /// The full request target, query included (e.g. `/v1/models?limit=1`).
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl ParsedRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// A tiny buffered reader: the head is read line by line and the body by length, and both can
/// arrive split across arbitrary TCP reads.
struct Input<'a, S> {
    stream: &'a mut S,
    buf: Vec<u8>,
}

impl<S: AsyncRead + Unpin> Input<'_, S> {
    /// Reads more bytes; `Ok(false)` on end of stream.
    async fn fill(&mut self) -> io::Result<bool> {
        let mut tmp = [0u8; 8192];
        let n = self.stream.read(&mut tmp).await?;
        self.buf.extend_from_slice(&tmp[..n]);
        Ok(n > 0)
    }

    async fn line(&mut self) -> io::Result<String> {
        loop {
            if let Some(pos) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..pos + 2).take(pos).collect();
                return String::from_utf8(line).map_err(|_| invalid("request head is not UTF-8"));
            }
            if self.buf.len() > MAX_HEAD_BYTES {
                return Err(invalid("request head too large"));
            }
            if !self.fill().await? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    async fn take(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if !self.fill().await? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }
}

/// Reads one request. `Ok(None)` if the client closed the connection before sending anything
/// (e.g. a connection probe), which is not an error worth answering.
pub(crate) async fn read_request<S>(stream: &mut S) -> io::Result<Option<ParsedRequest>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut input = Input {
        stream,
        buf: Vec::new(),
    };
    if !input.fill().await? {
        return Ok(None);
    }
    let request_line = input.line().await?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(format!("malformed request line {request_line:?}")));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(invalid(format!("unsupported HTTP version {version:?}")));
    }
    let (method, target) = (method.to_owned(), target.to_owned());

    let mut headers = Vec::new();
    loop {
        let line = input.line().await?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid(format!("malformed header {line:?}")))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = ParsedRequest {
        method,
        target,
        headers,
        body: Vec::new(),
    };

    // Clients that send `Expect: 100-continue` wait for this before sending the body.
    if request
        .header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        input
            .stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await?;
    }

    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        request.body = read_chunked_body(&mut input).await?;
    } else if let Some(len) = request.header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| invalid(format!("bad content-length {len:?}")))?;
        if len > MAX_BODY_BYTES {
            return Err(invalid("request body too large"));
        }
        request.body = input.take(len).await?;
    }
    Ok(Some(request))
}

async fn read_chunked_body<S: AsyncRead + Unpin>(input: &mut Input<'_, S>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = input.line().await?;
        // Chunk extensions (`;name=value`) are allowed by the spec and ignored here.
        let size_hex = size_line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| invalid(format!("bad chunk size {size_line:?}")))?;
        if size == 0 {
            // Skip optional trailers up to the final empty line.
            while !input.line().await?.is_empty() {}
            return Ok(body);
        }
        if body.len() + size > MAX_BODY_BYTES {
            return Err(invalid("request body too large"));
        }
        body.extend(input.take(size).await?);
        if !input.line().await?.is_empty() {
            return Err(invalid("chunk not followed by CRLF"));
        }
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        529 => "Overloaded",
        _ => "Unknown",
    }
}

fn head(reply: &Reply, framing: &str) -> String {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        reply.status,
        reason_phrase(reply.status)
    );
    head.push_str(&format!("content-type: {}\r\n", reply.content_type));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(framing);
    head.push_str("connection: close\r\n\r\n");
    head
}

/// Writes `reply` honouring its delays and truncation, then closes the write side.
///
/// Errors mean the client went away mid-response, which the caller ignores: the test that
/// dropped the connection is the one that decides whether that was expected.
pub(crate) async fn write_reply<S>(stream: &mut S, reply: &Reply) -> io::Result<()>
where
    S: AsyncWrite + Unpin,
{
    if let Some(delay) = reply.first_byte_delay {
        tokio::time::sleep(delay).await;
    }
    match &reply.body {
        Body::Fixed(bytes) => {
            let mut out = head(reply, &format!("content-length: {}\r\n", bytes.len())).into_bytes();
            out.extend_from_slice(bytes);
            stream.write_all(&out).await?;
        }
        Body::Sse(events) => {
            stream
                .write_all(head(reply, "transfer-encoding: chunked\r\n").as_bytes())
                .await?;
            stream.flush().await?;
            for (index, event) in events.iter().enumerate() {
                if index > 0
                    && let Some(delay) = reply.event_delay
                {
                    tokio::time::sleep(delay).await;
                }
                if reply.truncate_after_events == Some(index) {
                    // Returning without the 0-chunk and letting the caller drop the socket is
                    // the cut: the client gets EOF in the middle of a chunked body.
                    return Ok(());
                }
                let wire = event.to_wire();
                let chunk = format!("{:x}\r\n{wire}\r\n", wire.len());
                stream.write_all(chunk.as_bytes()).await?;
                stream.flush().await?;
            }
            if reply.truncate_after_events.is_some() {
                return Ok(());
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}
