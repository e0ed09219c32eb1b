//! The `http-request` tool: makes an HTTP or HTTPS request and returns the status, headers and
//! body, for scripts and agents that call web APIs.

use std::sync::OnceLock;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Client, Method, Url};
use serde_json::{Map, Value};

use super::{JsonMap, ParamSchema, ParamType, Permission, Tool, ToolContext, ToolSchema};

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];
const DEFAULT_TIMEOUT_MS: u64 = 30_000;
const MAX_TIMEOUT_MS: u64 = 600_000;
/// Responses are held in memory and handed to a script as one string, so a runaway download is
/// cut off rather than allowed to exhaust memory.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

pub struct HttpRequest {
    schema: ToolSchema,
    /// Built on first use: building a client loads the TLS root certificates, which runs that
    /// never make a request should not pay for. One client per tool keeps connections pooled.
    client: OnceLock<Client>,
    /// Whether proxies from the environment (`HTTPS_PROXY` and friends) apply. Only the tests
    /// turn this off, so that their loopback server is reached directly on any machine.
    use_env_proxy: bool,
}

impl HttpRequest {
    pub fn new() -> Self {
        Self::with_env_proxy(true)
    }

    fn with_env_proxy(use_env_proxy: bool) -> Self {
        let schema = ToolSchema::new(
            "http-request",
            "Sends an HTTP or HTTPS request and returns the response's status, headers and body. \
             Any status, including 404 or 500, is a normal result; only failures to get a \
             response (bad URL, connection refused, timeout) are errors. Needs network access to \
             be allowed for the run.",
        )
        .param(
            ParamSchema::new(
                "url",
                ParamType::String,
                "The address to request; must start with http:// or https://.",
            )
            .required(),
        )
        .param(
            ParamSchema::new("method", ParamType::String, "The HTTP method.")
                .one_of(METHODS)
                .default(Value::from("GET")),
        )
        .param(ParamSchema::new(
            "headers",
            ParamType::Object,
            "Request headers as a table of name = value; values may be strings, numbers or \
             booleans.",
        ))
        .param(ParamSchema::new(
            "body",
            ParamType::Any,
            "The request body. A string is sent exactly as given; any other value is sent as \
             JSON, with Content-Type application/json unless headers set one.",
        ))
        .param(
            ParamSchema::new(
                "timeout_ms",
                ParamType::Integer,
                "How long the whole request, including reading the body, may take, in \
                 milliseconds (1 to 600000).",
            )
            .default(Value::from(DEFAULT_TIMEOUT_MS))
            .range(1.0, MAX_TIMEOUT_MS as f64),
        )
        .returns(ParamSchema::new(
            "status",
            ParamType::Integer,
            "The HTTP status code, such as 200 or 404.",
        ))
        .returns(ParamSchema::new(
            "headers",
            ParamType::Object,
            "The response headers by lower-case name; repeated headers are joined with \", \".",
        ))
        .returns(ParamSchema::new(
            "body",
            ParamType::String,
            "The response body as text (bytes that are not UTF-8 become U+FFFD); empty for \
             HEAD. Bodies over 16 MiB are an error.",
        ))
        .returns(ParamSchema::new(
            "json",
            ParamType::Any,
            "The body parsed as JSON, present only when the response's Content-Type is JSON and \
             the body parses.",
        ))
        .permission(Permission::Network);
        HttpRequest {
            schema,
            client: OnceLock::new(),
            use_env_proxy,
        }
    }

    fn client(&self) -> Result<&Client, String> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        // reqwest is built without a bundled crypto provider, so rustls needs one installed
        // process-wide. Another part of the program may already have installed one, which is
        // fine, so the error from a second installation is ignored.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder =
            Client::builder().user_agent(concat!("llmspell/", env!("CARGO_PKG_VERSION")));
        if !self.use_env_proxy {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        // Two first calls may race to build a client; whichever is stored first is used by all.
        Ok(self.client.get_or_init(|| client))
    }
}

/// A request checked and ready to send.
struct Prepared {
    method: Method,
    url: Url,
    /// The URL as it may appear in messages, with any password hidden.
    shown_url: String,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    timeout: Duration,
}

#[async_trait::async_trait]
impl Tool for HttpRequest {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, ctx: &ToolContext) -> Result<Value, String> {
        let request = prepare(&params)?;
        let client = self.client()?;
        let what = format!("{} {}", request.method, request.shown_url);
        let timeout = request.timeout;
        let exchange = tokio::time::timeout(timeout, send(client, request));
        tokio::select! {
            // Cancellation wins over a response that arrives at the same moment, so a cancelled
            // run stops promptly.
            biased;
            () = ctx.cancel.cancelled() => Err("cancelled".into()),
            outcome = exchange => match outcome {
                Ok(Ok(response)) => Ok(response),
                Ok(Err(reason)) => Err(format!("{what} {reason}")),
                Err(_) => Err(format!("{what} timed out after {} ms", timeout.as_millis())),
            },
        }
    }
}

fn prepare(params: &JsonMap) -> Result<Prepared, String> {
    let raw_url = params
        .get("url")
        .and_then(Value::as_str)
        .ok_or("missing parameter 'url'")?;
    let url = Url::parse(raw_url).map_err(|e| format!("'{raw_url}' is not a valid URL: {e}"))?;
    let shown_url = redact(&url);
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "URL '{shown_url}' uses the '{}' scheme; only http and https are allowed",
            url.scheme()
        ));
    }

    let method_name = params
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET");
    if !METHODS.contains(&method_name) {
        return Err(format!(
            "method must be one of {}, got '{method_name}'",
            METHODS.join(", ")
        ));
    }
    let method = Method::from_bytes(method_name.as_bytes())
        .map_err(|_| format!("'{method_name}' is not a valid HTTP method"))?;

    let mut headers = HeaderMap::new();
    if let Some(Value::Object(given)) = params.get("headers") {
        for (name, value) in given {
            let (name, value) = header(name, value)?;
            headers.append(name, value);
        }
    }

    let body = match params.get("body") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone().into_bytes()),
        Some(other) => {
            if !headers.contains_key(CONTENT_TYPE) {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            let bytes = serde_json::to_vec(other)
                .map_err(|e| format!("cannot turn the body into JSON: {e}"))?;
            Some(bytes)
        }
    };

    let timeout_ms = params
        .get("timeout_ms")
        .and_then(Value::as_f64)
        .unwrap_or(DEFAULT_TIMEOUT_MS as f64);
    // Validation checked the range and that it is a whole number, so the cast is exact.
    let timeout = Duration::from_millis(timeout_ms as u64);

    Ok(Prepared {
        method,
        url,
        shown_url,
        headers,
        body,
        timeout,
    })
}

/// Converts one header from the script. Header values often carry credentials, so messages name
/// the header but never show its value.
fn header(name: &str, value: &Value) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("'{name}' is not a valid header name"))?;
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => {
            return Err(format!(
                "header '{name}' must be a string, number or boolean"
            ));
        }
    };
    let header_value = HeaderValue::from_str(&text).map_err(|_| {
        format!("header '{name}' has a value with characters not allowed in headers")
    })?;
    Ok((header_name, header_value))
}

/// Hides a password embedded in the URL, so that messages can name the URL safely.
fn redact(url: &Url) -> String {
    if url.password().is_some() {
        let mut shown = url.clone();
        if shown.set_password(Some("redacted")).is_ok() {
            return shown.to_string();
        }
    }
    url.to_string()
}

/// Sends the request and reads the whole response. The error is the part of a message that
/// follows "METHOD URL".
async fn send(client: &Client, request: Prepared) -> Result<Value, String> {
    let Prepared {
        method,
        url,
        headers,
        body,
        ..
    } = request;
    let mut builder = client.request(method, url).headers(headers);
    if let Some(body) = body {
        builder = builder.body(body);
    }
    let mut response = builder.send().await.map_err(|e| describe(&e))?;

    let status = response.status().as_u16();
    let mut header_map = Map::new();
    for (name, value) in response.headers() {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match header_map.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                header_map.insert(name.as_str().to_owned(), Value::String(value));
            }
        }
    }
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json_content_type);

    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(format!(
                "returned a body larger than {} MiB",
                MAX_BODY_BYTES / (1024 * 1024)
            ));
        }
        bytes.extend_from_slice(&chunk);
    }

    let mut out = Map::new();
    out.insert("status".into(), Value::from(status));
    out.insert("headers".into(), Value::Object(header_map));
    if is_json {
        // A body that claims to be JSON but is not is still returned as text; only the parsed
        // form is left out.
        if let Ok(parsed) = serde_json::from_slice::<Value>(&bytes) {
            out.insert("json".into(), parsed);
        }
    }
    out.insert(
        "body".into(),
        Value::from(String::from_utf8_lossy(&bytes).into_owned()),
    );
    Ok(Value::Object(out))
}

fn is_json_content_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Describes a reqwest failure by its kind and innermost cause (such as "Connection refused"),
/// leaving out reqwest's own message, which repeats the URL without hiding its password.
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "failed: could not connect"
    } else if error.is_redirect() {
        "failed: too many redirects or a bad redirect"
    } else if error.is_body() || error.is_decode() {
        "failed while reading the response"
    } else {
        "failed"
    };
    let mut cause = None;
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = Some(inner.to_string());
        source = inner.source();
    }
    match cause {
        Some(cause) => format!("{kind}: {cause}"),
        None => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;
    use serde_json::json;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    fn ctx(allow_network: bool) -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, allow_network)
    }

    fn tool() -> HttpRequest {
        HttpRequest::with_env_proxy(false)
    }

    /// Starts a small HTTP/1.1 server on a loopback port and returns its address. It serves:
    /// `GET /json` (a JSON object), any method on `/echo` (the request body back, with the
    /// method, content type and `x-test` header in `x-echo-*` response headers), `/slow` (answers
    /// after five seconds) and a 404 for everything else. It stops when the test's runtime does.
    async fn start_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(handle(socket));
            }
        });
        addr
    }

    async fn handle(mut socket: TcpStream) {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or("").split(' ');
        let method = request_line.next().unwrap_or("").to_owned();
        let path = request_line.next().unwrap_or("").to_owned();
        let header = |wanted: &str| {
            head.split("\r\n").skip(1).find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case(wanted)
                    .then(|| value.trim().to_owned())
            })
        };
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = buffer[head_end..].to_vec();
        while body.len() < length {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => body.extend_from_slice(&chunk[..n]),
            }
        }

        let (status, content_type, extra, reply) = match path.as_str() {
            "/json" => (
                "200 OK",
                "application/json",
                String::new(),
                br#"{"hello":"world","n":3}"#.to_vec(),
            ),
            "/echo" => {
                let extra = format!(
                    "x-echo-method: {method}\r\nx-echo-content-type: {}\r\nx-echo-test: {}\r\n",
                    header("content-type").unwrap_or_default(),
                    header("x-test").unwrap_or_default()
                );
                ("200 OK", "text/plain", extra, body)
            }
            "/slow" => {
                tokio::time::sleep(Duration::from_secs(5)).await;
                ("200 OK", "text/plain", String::new(), b"late".to_vec())
            }
            _ => (
                "404 Not Found",
                "text/plain",
                String::new(),
                b"no such page".to_vec(),
            ),
        };
        let mut response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
             connection: close\r\n{extra}\r\n",
            reply.len()
        )
        .into_bytes();
        if method != "HEAD" {
            response.extend_from_slice(&reply);
        }
        let _ = socket.write_all(&response).await;
        let _ = socket.shutdown().await;
    }

    #[tokio::test]
    async fn get_returns_status_headers_body_and_parsed_json() {
        let addr = start_server().await;
        let out = execute_tool(
            &tool(),
            &json!({"url": format!("http://{addr}/json")}),
            &ctx(true),
        )
        .await
        .expect("request succeeds");
        assert_eq!(out["status"], json!(200));
        assert_eq!(out["headers"]["content-type"], json!("application/json"));
        assert_eq!(out["body"], json!(r#"{"hello":"world","n":3}"#));
        assert_eq!(out["json"], json!({"hello": "world", "n": 3}));
    }

    #[tokio::test]
    async fn post_sends_a_string_body_as_is() {
        let addr = start_server().await;
        let out = execute_tool(
            &tool(),
            &json!({
                "url": format!("http://{addr}/echo"),
                "method": "POST",
                "body": "plain text, not JSON",
                "headers": {"X-Test": "abc", "Content-Type": "text/plain"}
            }),
            &ctx(true),
        )
        .await
        .expect("request succeeds");
        assert_eq!(out["status"], json!(200));
        assert_eq!(out["body"], json!("plain text, not JSON"));
        assert_eq!(out["headers"]["x-echo-method"], json!("POST"));
        assert_eq!(out["headers"]["x-echo-test"], json!("abc"));
        assert_eq!(out["headers"]["x-echo-content-type"], json!("text/plain"));
        assert!(
            out.get("json").is_none(),
            "a text/plain reply has no json field: {out}"
        );
    }

    #[tokio::test]
    async fn other_bodies_are_sent_as_json() {
        let addr = start_server().await;
        let out = execute_tool(
            &tool(),
            &json!({
                "url": format!("http://{addr}/echo"),
                "method": "PUT",
                "body": {"name": "Ada", "tags": [1, 2]}
            }),
            &ctx(true),
        )
        .await
        .expect("request succeeds");
        assert_eq!(out["body"], json!(r#"{"name":"Ada","tags":[1,2]}"#));
        assert_eq!(out["headers"]["x-echo-method"], json!("PUT"));
        assert_eq!(
            out["headers"]["x-echo-content-type"],
            json!("application/json")
        );
    }

    #[tokio::test]
    async fn not_found_is_a_result_not_an_error() {
        let addr = start_server().await;
        let out = execute_tool(
            &tool(),
            &json!({"url": format!("http://{addr}/missing")}),
            &ctx(true),
        )
        .await
        .expect("request succeeds");
        assert_eq!(out["status"], json!(404));
        assert_eq!(out["body"], json!("no such page"));
    }

    #[tokio::test]
    async fn head_returns_headers_and_an_empty_body() {
        let addr = start_server().await;
        let out = execute_tool(
            &tool(),
            &json!({"url": format!("http://{addr}/json"), "method": "HEAD"}),
            &ctx(true),
        )
        .await
        .expect("request succeeds");
        assert_eq!(out["status"], json!(200));
        assert_eq!(out["body"], json!(""));
        assert_eq!(out["headers"]["content-length"], json!("23"));
    }

    #[tokio::test]
    async fn connection_refused_names_the_url_and_hides_secrets() {
        // Binding and dropping a listener yields a loopback port that nothing listens on.
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        drop(listener);
        let err = execute_tool(
            &tool(),
            &json!({
                "url": format!("http://user:hunter2@127.0.0.1:{port}/api"),
                "headers": {"Authorization": "Bearer s3cret-token"}
            }),
            &ctx(true),
        )
        .await
        .unwrap_err();
        assert!(
            err.starts_with(&format!(
                "tool 'http-request': GET http://user:redacted@127.0.0.1:{port}/api failed: \
                 could not connect: "
            )),
            "{err}"
        );
        assert!(err.to_lowercase().contains("refused"), "{err}");
        assert!(
            !err.contains("s3cret-token") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn slow_responses_time_out() {
        let addr = start_server().await;
        let err = execute_tool(
            &tool(),
            &json!({"url": format!("http://{addr}/slow"), "timeout_ms": 200}),
            &ctx(true),
        )
        .await
        .unwrap_err();
        assert_eq!(
            err,
            format!("tool 'http-request': GET http://{addr}/slow timed out after 200 ms")
        );
    }

    #[tokio::test]
    async fn cancellation_stops_a_request() {
        let addr = start_server().await;
        let ctx = ctx(true);
        let cancel = ctx.cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            cancel.cancel();
        });
        let started = std::time::Instant::now();
        let err = execute_tool(
            &tool(),
            &json!({"url": format!("http://{addr}/slow")}),
            &ctx,
        )
        .await
        .unwrap_err();
        assert_eq!(err, "tool 'http-request': cancelled");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn refuses_when_network_access_is_off() {
        let addr = start_server().await;
        let err = execute_tool(
            &tool(),
            &json!({"url": format!("http://{addr}/json")}),
            &ctx(false),
        )
        .await
        .unwrap_err();
        assert_eq!(
            err,
            "tool 'http-request': network access is off for this run; set `allow_network = true` \
             under [run] in llmspell.toml"
        );
    }

    #[tokio::test]
    async fn only_http_and_https_urls_are_allowed() {
        let err = execute_tool(&tool(), &json!({"url": "file:///etc/passwd"}), &ctx(true))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            "tool 'http-request': URL 'file:///etc/passwd' uses the 'file' scheme; only http and \
             https are allowed"
        );
        let err = execute_tool(&tool(), &json!({"url": "not a url"}), &ctx(true))
            .await
            .unwrap_err();
        assert!(
            err.starts_with("tool 'http-request': 'not a url' is not a valid URL"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn bad_headers_are_named_without_their_values() {
        let url = "http://127.0.0.1:9/";
        let err = execute_tool(
            &tool(),
            &json!({"url": url, "headers": {"Bad Name": "s3cret"}}),
            &ctx(true),
        )
        .await
        .unwrap_err();
        assert_eq!(
            err,
            "tool 'http-request': 'Bad Name' is not a valid header name"
        );
        let err = execute_tool(
            &tool(),
            &json!({"url": url, "headers": {"Authorization": "s3cret\nInjected: yes"}}),
            &ctx(true),
        )
        .await
        .unwrap_err();
        assert_eq!(
            err,
            "tool 'http-request': header 'Authorization' has a value with characters not allowed \
             in headers"
        );
        let err = execute_tool(&tool(), &json!({"url": url, "timeout_ms": 0}), &ctx(true))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            "tool 'http-request': parameter 'timeout_ms' must be between 1 and 600000, got 0"
        );
    }

    #[test]
    fn json_content_types_are_recognised() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(is_json_content_type("application/problem+json"));
        assert!(!is_json_content_type("text/html"));
        assert!(!is_json_content_type(""));
    }
}
