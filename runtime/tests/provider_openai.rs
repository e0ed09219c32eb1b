//! The OpenAI-compatible provider against a real HTTP server on 127.0.0.1 (the testkit's
//! `FakeServer`): what goes over the wire, how answers, streams and tool calls come back, how
//! agents run the tool-calling loop from Lua, how every kind of failure is reported, and that the
//! API key never reaches an event, the output or an error message.
//!
//! Two layers are tested on purpose. The provider level (`ProviderManager::resolve` +
//! `complete`/`stream`) pins the wire format and the error texts precisely; the Lua level checks
//! that the same behaviour survives the trip through agents, tools, `pcall` and run events, which
//! is what script authors actually see.
//!
//! Every test has its own server, so the tests run in parallel; timeouts are small so a
//! regression that hangs shows up as a failure within seconds instead of a stuck test run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use llmspell_runtime::config::{Config, LoadedConfig, ProviderConfig, ProviderKind};
use llmspell_runtime::providers::{
    ChatMessage, CompletionRequest, Provider, ProviderManager, StreamEvent, ToolCallRequest,
    ToolDefinition, Usage,
};
use llmspell_runtime::{ExecutionContext, RunEvent, RunOutcome, Script, ScriptRuntime};
use llmspell_testkit::{FakeServer, Reply, SseEvent, openai};
use serde_json::{Value, json};

/// The model string scripts and tests use: provider `local` (the fake server), model `gpt-test`.
const MODEL: &str = "local/gpt-test";
const CHAT_PATH: &str = "/v1/chat/completions";

/// The variable the key is read from. Setting a variable in-process needs `unsafe` in Rust 2024
/// and the workspace forbids unsafe code, so the tests borrow one that cargo already sets for
/// every test binary it runs, with a value known at compile time: the key is "llmspell-runtime".
const KEY_ENV: &str = "CARGO_PKG_NAME";
const KEY: &str = env!("CARGO_PKG_NAME");
/// A key variable nobody sets.
const UNSET_KEY_ENV: &str = "LLMSPELL_TEST_UNSET_KEY_VARIABLE";

/// Upper bound for any single scenario: far above what each needs (at most ~1.5 s of retry
/// backoff), so hitting it means the provider hung.
const HANG_LIMIT: Duration = Duration::from_secs(10);

/// Fails clearly if the test runs outside cargo, where the borrowed key variable is not set;
/// otherwise "no key in the output" would be checked against a key that was never sent.
fn key_env_is_set() {
    assert_eq!(
        std::env::var(KEY_ENV).as_deref(),
        Ok(KEY),
        "these tests use ${KEY_ENV} as the API key; run them with `cargo test`"
    );
}

/// A `[providers.local]` entry pointing at `base_url`, tuned for tests: no retries (so an
/// unexpected 5xx fails at once instead of after backoff), short timeouts (so a hang fails fast)
/// and the borrowed key. `tweak` adjusts it per test.
fn local_provider(base_url: &str, tweak: impl FnOnce(&mut ProviderConfig)) -> ProviderConfig {
    key_env_is_set();
    let mut provider = ProviderConfig::new(ProviderKind::Openai);
    provider.base_url = Some(base_url.to_owned());
    provider.api_key_env = Some(KEY_ENV.to_owned());
    provider.max_retries = 0;
    provider.connect_timeout_ms = 1_000;
    provider.read_timeout_ms = 5_000;
    tweak(&mut provider);
    provider
}

fn config_with(provider: ProviderConfig) -> Config {
    let mut config = Config::default();
    config.providers.insert("local".into(), provider);
    config
}

/// The provider `local/gpt-test` resolves to, as agents get it.
fn resolve(provider: ProviderConfig) -> Arc<dyn Provider> {
    let manager = ProviderManager::new(&config_with(provider));
    let (provider, model_id) = manager.resolve(MODEL).expect("local/gpt-test resolves");
    assert_eq!((provider.name(), model_id.as_str()), ("local", "gpt-test"));
    provider
}

fn provider_for(server: &FakeServer, tweak: impl FnOnce(&mut ProviderConfig)) -> Arc<dyn Provider> {
    resolve(local_provider(&server.url("/v1"), tweak))
}

/// The smallest useful request: one user message, nothing optional.
fn simple_request() -> CompletionRequest {
    CompletionRequest {
        model: "gpt-test".into(),
        messages: vec![ChatMessage::User("What is 17*23?".into())],
        ..CompletionRequest::default()
    }
}

fn calculator_definition() -> ToolDefinition {
    ToolDefinition {
        name: "calculator".into(),
        description: "Evaluates an arithmetic expression".into(),
        parameters: json!({
            "type": "object",
            "properties": { "expression": { "type": "string" } },
            "required": ["expression"],
        }),
    }
}

/// What a stream produced: its events up to the first error, and that error. An error from
/// opening the stream counts as an error with no events.
async fn drain(
    provider: &dyn Provider,
    request: CompletionRequest,
) -> (Vec<StreamEvent>, Option<String>) {
    let mut stream = match provider.stream(request).await {
        Ok(stream) => stream,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(e) => {
                // The contract: an error ends the stream; nothing may follow it.
                assert!(
                    stream.next().await.is_none(),
                    "the stream went on after the error {e:?}"
                );
                return (events, Some(e));
            }
        }
    }
    // The other half of the contract: a stream that did not fail ends with `Finished`.
    assert!(
        matches!(events.last(), Some(StreamEvent::Finished { .. })),
        "the stream ended without Finished: {events:?}"
    );
    (events, None)
}

fn text_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

/// A base URL on 127.0.0.1 where nothing listens.
///
/// Binding an ephemeral port and dropping the listener is not enough here: the tests start
/// dozens of `FakeServer`s concurrently, and Linux readily hands the freed port to the next
/// `bind(127.0.0.1:0)`, so the "refused" request would reach another test's server (seen under
/// load). Port 1 is privileged and never handed out for port 0, so no test server can take it;
/// the check below turns "something does listen there" into a clear failure instead of a
/// confusing one.
fn closed_port_url() -> String {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 1));
    let probe = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    assert!(
        probe
            .as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused),
        "these tests need 127.0.0.1:1 to refuse connections, got {probe:?}"
    );
    "http://127.0.0.1:1/v1".to_owned()
}

// ---------------------------------------------------------------------------------------------
// Provider level: the wire format.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn complete_sends_the_whole_request_and_maps_the_answer() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(200, openai::completion("Hello there", 11, 4)),
    );
    let provider = provider_for(&server, |_| {});
    let request = CompletionRequest {
        system: Some("Be terse.".into()),
        temperature: Some(0.25),
        max_tokens: Some(50),
        tools: vec![calculator_definition()],
        ..simple_request()
    };
    let completion = provider.complete(request).await.expect("completion");

    assert_eq!(completion.text, "Hello there");
    assert!(completion.tool_calls.is_empty());
    // OpenAI's names are mapped to llmspell's: prompt -> input, completion -> output.
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 11,
            output_tokens: 4
        }
    );
    assert_eq!(completion.finish_reason, "stop");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", CHAT_PATH)
    );
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer llmspell-runtime")
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    // The whole body, so an extra or misspelt field fails the test too. No `stream` field: a
    // plain completion must not ask for SSE.
    assert_eq!(
        sent.json(),
        json!({
            "model": "gpt-test",
            "messages": [
                { "role": "system", "content": "Be terse." },
                { "role": "user", "content": "What is 17*23?" },
            ],
            "temperature": 0.25,
            "max_tokens": 50,
            "tools": [{
                "type": "function",
                "function": {
                    "name": "calculator",
                    "description": "Evaluates an arithmetic expression",
                    "parameters": {
                        "type": "object",
                        "properties": { "expression": { "type": "string" } },
                        "required": ["expression"],
                    },
                },
            }],
        })
    );
}

#[tokio::test]
async fn without_a_key_variable_no_authorization_header_is_sent() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(200, openai::completion("ok", 1, 1)),
    );
    // A provider pointed away from api.openai.com without `api_key_env` sends no key at all:
    // the user's OPENAI_API_KEY must not travel to a server they did not choose for it.
    let provider = provider_for(&server, |p| p.api_key_env = None);
    let completion = provider
        .complete(simple_request())
        .await
        .expect("completion");
    assert_eq!(completion.text, "ok");
    let sent = server.last_request().expect("one request");
    assert_eq!(
        sent.header("authorization"),
        None,
        "headers: {:?}",
        sent.headers
    );
    // Only the optional fields that were set appear in the body.
    assert_eq!(
        sent.json(),
        json!({
            "model": "gpt-test",
            "messages": [{ "role": "user", "content": "What is 17*23?" }],
        })
    );
}

#[tokio::test]
async fn a_conversation_with_tool_results_goes_over_the_wire_in_openai_form() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(200, openai::completion("391", 40, 1)),
    );
    let provider = provider_for(&server, |_| {});
    let request = CompletionRequest {
        messages: vec![
            ChatMessage::User("What is 17*23?".into()),
            ChatMessage::Assistant {
                text: "Let me compute.".into(),
                tool_calls: vec![ToolCallRequest {
                    id: "call_1".into(),
                    name: "calculator".into(),
                    arguments: json!({ "expression": "17*23" }),
                }],
            },
            ChatMessage::ToolResult {
                call_id: "call_1".into(),
                name: "calculator".into(),
                content: "{\"result\":391}".into(),
                is_error: false,
            },
            ChatMessage::Assistant {
                text: "It is 391.".into(),
                tool_calls: Vec::new(),
            },
            ChatMessage::User("Sure?".into()),
        ],
        ..simple_request()
    };
    provider.complete(request).await.expect("completion");
    let body = server.last_request().expect("request").json();
    assert_eq!(
        body["messages"],
        json!([
            { "role": "user", "content": "What is 17*23?" },
            {
                "role": "assistant",
                "content": "Let me compute.",
                // Arguments travel as a JSON *string*, as OpenAI requires.
                "tool_calls": [{
                    "id": "call_1",
                    "type": "function",
                    "function": { "name": "calculator", "arguments": "{\"expression\":\"17*23\"}" },
                }],
            },
            { "role": "tool", "tool_call_id": "call_1", "content": "{\"result\":391}" },
            { "role": "assistant", "content": "It is 391." },
            { "role": "user", "content": "Sure?" },
        ])
    );
}

#[tokio::test]
async fn a_request_base_url_replaces_the_providers() {
    // An agent's `base_url` reaches the provider as `CompletionRequest::base_url`.
    let server = FakeServer::start();
    server.reply(
        "POST",
        "/alt/v2/chat/completions",
        Reply::json(200, openai::completion("from alt", 1, 1)),
    );
    let provider = resolve(local_provider(&closed_port_url(), |_| {}));
    let request = CompletionRequest {
        base_url: Some(server.url("/alt/v2/")),
        ..simple_request()
    };
    let completion = provider.complete(request).await.expect("completion");
    assert_eq!(completion.text, "from alt");
    assert_eq!(server.requests()[0].path, "/alt/v2/chat/completions");
}

#[tokio::test]
async fn finish_reasons_and_missing_fields_are_mapped() {
    let mut length = openai::completion("cut sho", 5, 2);
    length["choices"][0]["finish_reason"] = json!("length");
    // Some compatible servers send neither usage nor a finish reason.
    let mut bare = openai::completion("bare", 0, 0);
    bare.as_object_mut().expect("object").remove("usage");
    bare["choices"][0]["finish_reason"] = Value::Null;
    let cases = [
        (
            length,
            "cut sho",
            "length",
            Usage {
                input_tokens: 5,
                output_tokens: 2,
            },
        ),
        (bare, "bare", "stop", Usage::default()),
    ];
    for (body, text, finish, usage) in cases {
        let server = FakeServer::start();
        server.reply("POST", CHAT_PATH, Reply::json(200, body));
        let completion = provider_for(&server, |_| {})
            .complete(simple_request())
            .await
            .expect("completion");
        assert_eq!(
            (
                completion.text.as_str(),
                completion.finish_reason.as_str(),
                completion.usage
            ),
            (text, finish, usage)
        );
    }
}

#[tokio::test]
async fn non_streamed_tool_calls_are_parsed() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(
            200,
            openai::tool_calls_completion(
                &[
                    ("call_1", "calculator", r#"{"expression":"17*23"}"#),
                    ("call_2", "now", ""),
                    // A model can send invalid JSON; it is kept as the string so the tool's
                    // parameter check can tell the model, instead of failing the run.
                    ("call_3", "calculator", "{oops"),
                ],
                20,
                9,
            ),
        ),
    );
    let provider = provider_for(&server, |_| {});
    let request = CompletionRequest {
        tools: vec![calculator_definition()],
        ..simple_request()
    };
    let completion = provider.complete(request).await.expect("completion");
    assert_eq!(completion.text, "");
    assert_eq!(completion.finish_reason, "tool_calls");
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 20,
            output_tokens: 9
        }
    );
    assert_eq!(
        completion.tool_calls,
        vec![
            ToolCallRequest {
                id: "call_1".into(),
                name: "calculator".into(),
                arguments: json!({ "expression": "17*23" }),
            },
            ToolCallRequest {
                id: "call_2".into(),
                name: "now".into(),
                arguments: json!({}),
            },
            ToolCallRequest {
                id: "call_3".into(),
                name: "calculator".into(),
                arguments: json!("{oops"),
            },
        ]
    );
}

#[tokio::test]
async fn streamed_text_arrives_in_pieces_and_ends_with_usage() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::sse(openai::stream(
            &["Hel", "lo", " world"],
            "stop",
            Some((9, 3)),
        )),
    );
    let provider = provider_for(&server, |_| {});
    let request = CompletionRequest {
        system: Some("Be terse.".into()),
        temperature: Some(0.0),
        max_tokens: Some(8),
        ..simple_request()
    };
    let (events, error) = drain(provider.as_ref(), request).await;
    assert_eq!(error, None);
    assert_eq!(
        events,
        vec![
            StreamEvent::Text("Hel".into()),
            StreamEvent::Text("lo".into()),
            StreamEvent::Text(" world".into()),
            StreamEvent::Finished {
                usage: Usage {
                    input_tokens: 9,
                    output_tokens: 3
                },
                finish_reason: "stop".into(),
            },
        ]
    );
    let sent = server.last_request().expect("request");
    assert_eq!(sent.path, CHAT_PATH);
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer llmspell-runtime")
    );
    assert_eq!(
        sent.json(),
        json!({
            "model": "gpt-test",
            "messages": [
                { "role": "system", "content": "Be terse." },
                { "role": "user", "content": "What is 17*23?" },
            ],
            "temperature": 0.0,
            "max_tokens": 8,
            "stream": true,
            // Without this OpenAI sends no usage at all in a stream.
            "stream_options": { "include_usage": true },
        })
    );
}

#[tokio::test]
async fn streamed_text_is_handed_out_as_it_arrives() {
    // With 150 ms between events, the first piece must be out long before the last is sent: a
    // provider that buffers the whole answer would deliver everything at once, at the end.
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::sse(openai::stream(&["a", "b", "c", "d"], "stop", None))
            .event_delay(Duration::from_millis(150)),
    );
    let provider = provider_for(&server, |_| {});
    let start = Instant::now();
    let mut stream = provider.stream(simple_request()).await.expect("stream");
    let first = stream.next().await.expect("an event").expect("no error");
    let first_at = start.elapsed();
    assert_eq!(first, StreamEvent::Text("a".into()));
    let rest: Vec<_> = stream.collect().await;
    let total = start.elapsed();
    assert!(
        total - first_at >= Duration::from_millis(400),
        "first piece at {first_at:?}, end at {total:?}: the stream was buffered"
    );
    // Without usage in the stream (a server that ignores `include_usage`) usage is zero.
    assert_eq!(
        rest.last().cloned(),
        Some(Ok(StreamEvent::Finished {
            usage: Usage::default(),
            finish_reason: "stop".into()
        }))
    );
}

#[tokio::test]
async fn streamed_tool_calls_are_assembled_from_deltas() {
    let server = FakeServer::start();
    let expression = r#"{"expression":"(17*23) + 1000000 / 7"}"#;
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::sse(openai::stream_tool_calls(
            &[("call_a", "calculator", expression), ("call_b", "now", "")],
            Some((20, 7)),
        )),
    );
    let provider = provider_for(&server, |_| {});
    let request = CompletionRequest {
        tools: vec![calculator_definition()],
        ..simple_request()
    };
    let (events, error) = drain(provider.as_ref(), request).await;
    assert_eq!(error, None);
    // The arguments arrive in 8-character pieces that split the JSON mid-token; only the
    // concatenation parses.
    assert_eq!(
        events,
        vec![
            StreamEvent::ToolCall(ToolCallRequest {
                id: "call_a".into(),
                name: "calculator".into(),
                arguments: json!({ "expression": "(17*23) + 1000000 / 7" }),
            }),
            StreamEvent::ToolCall(ToolCallRequest {
                id: "call_b".into(),
                name: "now".into(),
                arguments: json!({}),
            }),
            StreamEvent::Finished {
                usage: Usage {
                    input_tokens: 20,
                    output_tokens: 7
                },
                finish_reason: "tool_calls".into(),
            },
        ]
    );
    let body = server.last_request().expect("request").json();
    assert_eq!(body["stream"], json!(true));
    assert_eq!(body["tools"][0]["type"], "function");
    assert_eq!(body["tools"][0]["function"]["name"], "calculator");
}

#[tokio::test]
async fn a_stream_without_done_still_finishes_after_its_finish_reason() {
    // Some OpenAI-compatible servers close the stream after the finish reason, without [DONE].
    let mut events = openai::stream(&["Hi"], "stop", None);
    assert_eq!(events.pop().map(|e| e.data), Some("[DONE]".into()));
    let server = FakeServer::start();
    server.reply("POST", CHAT_PATH, Reply::sse(events));
    let (events, error) = drain(provider_for(&server, |_| {}).as_ref(), simple_request()).await;
    assert_eq!(error, None);
    assert_eq!(text_of(&events), "Hi");
    assert!(
        matches!(events.last(), Some(StreamEvent::Finished { finish_reason, .. }) if finish_reason == "stop")
    );
}

// ---------------------------------------------------------------------------------------------
// Provider level: faults. One table, each case with its own server, all run concurrently so the
// retry backoffs overlap.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum Call {
    Complete,
    Stream,
}

enum Expect {
    /// Succeeds with this text.
    Text(&'static str),
    /// Fails with a message containing each of these.
    Error(&'static [&'static str]),
}

struct Fault {
    name: &'static str,
    call: Call,
    replies: Vec<Reply>,
    /// Point the provider at a port where nothing listens instead of at the server.
    refused: bool,
    tweak: fn(&mut ProviderConfig),
    expect: Expect,
    /// How many requests the server must have seen (retries included).
    requests: usize,
    /// The run must take at least this long (a retry wait) and is allowed at most `max_elapsed`.
    min_elapsed: Duration,
    max_elapsed: Duration,
    /// Text a stream must have delivered before it failed.
    partial_text: &'static str,
    /// Depends on a 300 ms timeout firing at the right moment, so it runs apart from the burst
    /// of other cases (see `run_in_two_phases`).
    timed: bool,
}

impl Fault {
    fn new(name: &'static str, call: Call, replies: Vec<Reply>, expect: Expect) -> Self {
        Fault {
            name,
            call,
            replies,
            refused: false,
            tweak: |_| {},
            expect,
            requests: 1,
            min_elapsed: Duration::ZERO,
            max_elapsed: Duration::from_secs(2),
            partial_text: "",
            timed: false,
        }
    }
}

fn fast_read_timeout(p: &mut ProviderConfig) {
    p.read_timeout_ms = 300;
}

fn two_retries(p: &mut ProviderConfig) {
    p.max_retries = 2;
}

fn sse_chunk(text: &str) -> SseEvent {
    // A content delta shaped like the testkit's, for streams built by hand.
    SseEvent::data(
        json!({
            "id": openai::ID,
            "object": "chat.completion.chunk",
            "created": openai::CREATED,
            "model": openai::MODEL,
            "choices": [{ "index": 0, "delta": { "content": text }, "finish_reason": null }],
        })
        .to_string(),
    )
}

fn fault_cases() -> Vec<Fault> {
    use Call::{Complete, Stream};
    let ok = || Reply::json(200, openai::completion("recovered", 3, 1));
    let server_error = || Reply::json(500, openai::error(500, "The server had an error"));
    let in_stream_error = json!({
        "error": { "message": "The model is overloaded, try again", "type": "server_error" }
    })
    .to_string();
    vec![
        Fault {
            tweak: two_retries,
            requests: 2,
            // Retry-After is honoured (the backoff alone would be 0.5 s).
            min_elapsed: Duration::from_millis(950),
            max_elapsed: Duration::from_millis(3000),
            ..Fault::new(
                "429 with Retry-After: 1, then 200",
                Complete,
                vec![
                    Reply::json(429, openai::error(429, "Rate limit reached"))
                        .header("retry-after", "1"),
                    ok(),
                ],
                Expect::Text("recovered"),
            )
        },
        Fault {
            tweak: two_retries,
            requests: 3,
            // Backoff 0.5 s, then 1 s.
            min_elapsed: Duration::from_millis(1400),
            max_elapsed: Duration::from_millis(4000),
            ..Fault::new(
                "500, 500, 200 with max_retries 2",
                Complete,
                vec![server_error(), server_error(), ok()],
                Expect::Text("recovered"),
            )
        },
        Fault {
            tweak: two_retries,
            requests: 3,
            min_elapsed: Duration::from_millis(1400),
            max_elapsed: Duration::from_millis(4000),
            ..Fault::new(
                "500 three times with max_retries 2",
                Complete,
                vec![server_error(), server_error(), server_error()],
                Expect::Error(&[
                    "local: HTTP 500 Internal Server Error: The server had an error",
                    "(gave up after 2 retries)",
                ]),
            )
        },
        Fault {
            tweak: two_retries,
            requests: 3,
            min_elapsed: Duration::from_millis(1400),
            max_elapsed: Duration::from_millis(4000),
            ..Fault::new(
                "503 three times before a stream, max_retries 2",
                Stream,
                vec![
                    Reply::text(503, "upstream unavailable"),
                    Reply::text(503, "upstream unavailable"),
                    Reply::text(503, "upstream unavailable"),
                ],
                Expect::Error(&[
                    "local: HTTP 503 Service Unavailable: upstream unavailable",
                    "gave up after 2 retries",
                ]),
            )
        },
        Fault::new(
            "429 with max_retries 0 is not retried",
            Complete,
            vec![
                Reply::json(429, openai::error(429, "Rate limit reached"))
                    .header("retry-after", "1"),
            ],
            Expect::Error(&["local: HTTP 429 Too Many Requests: Rate limit reached"]),
        ),
        Fault {
            tweak: two_retries,
            ..Fault::new(
                "429 asking for a wait longer than llmspell waits",
                Complete,
                vec![
                    Reply::json(429, openai::error(429, "Slow down")).header("retry-after", "120"),
                ],
                Expect::Error(&[
                    "local: HTTP 429 Too Many Requests: the server asked to retry after 120 s, longer than llmspell waits",
                ]),
            )
        },
        Fault {
            // 401 is not retried even with retries left: a wrong key stays wrong.
            tweak: two_retries,
            ..Fault::new(
                "401 names the key variable",
                Complete,
                vec![Reply::json(
                    401,
                    openai::error(401, "Incorrect API key provided"),
                )],
                Expect::Error(&[
                    "local: HTTP 401 Unauthorized: Incorrect API key provided",
                    "(check the API key in CARGO_PKG_NAME)",
                ]),
            )
        },
        Fault {
            tweak: |p| p.api_key_env = None,
            ..Fault::new(
                "401 without a key variable says so",
                Stream,
                vec![Reply::json(
                    401,
                    openai::error(401, "Missing bearer authentication"),
                )],
                Expect::Error(&[
                    "local: HTTP 401 Unauthorized: Missing bearer authentication",
                    "(this provider has no api_key_env configured)",
                ]),
            )
        },
        Fault::new(
            "404 unknown model carries OpenAI's message",
            Complete,
            vec![Reply::json(
                404,
                openai::error(
                    404,
                    "The model `gpt-test` does not exist or you do not have access to it.",
                ),
            )],
            Expect::Error(&[
                "local: HTTP 404 Not Found: The model `gpt-test` does not exist or you do not have access to it.",
                "(check the model id and base_url)",
            ]),
        ),
        Fault {
            tweak: fast_read_timeout,
            timed: true,
            ..Fault::new(
                "slow first byte",
                Complete,
                vec![ok().delay_first_byte(Duration::from_secs(2))],
                Expect::Error(&["local: no response within 300 ms (read_timeout_ms)"]),
            )
        },
        Fault {
            tweak: fast_read_timeout,
            timed: true,
            ..Fault::new(
                "slow first byte of a stream",
                Stream,
                vec![
                    Reply::sse(openai::stream(&["x"], "stop", None))
                        .delay_first_byte(Duration::from_secs(2)),
                ],
                Expect::Error(&["local: no response within 300 ms (read_timeout_ms)"]),
            )
        },
        Fault {
            tweak: fast_read_timeout,
            timed: true,
            partial_text: "Hel",
            ..Fault::new(
                "stream stalls mid-way",
                Stream,
                // The first piece arrives at once; the gap before the second is far longer
                // than the read timeout.
                vec![
                    Reply::sse(vec![
                        sse_chunk("Hel"),
                        sse_chunk("lo"),
                        SseEvent::data("[DONE]"),
                    ])
                    .event_delay(Duration::from_secs(2)),
                ],
                Expect::Error(&["local: the stream stalled: no data for 300 ms (read_timeout_ms)"]),
            )
        },
        Fault {
            partial_text: "Hello",
            ..Fault::new(
                "stream cut mid-answer (truncated chunked body)",
                Stream,
                vec![
                    Reply::sse(openai::stream(
                        &["Hel", "lo", " world"],
                        "stop",
                        Some((1, 1)),
                    ))
                    .truncate_after_events(3),
                ],
                Expect::Error(&["local: the stream was cut mid-answer"]),
            )
        },
        Fault {
            partial_text: "Hello",
            ..Fault::new(
                "stream closed cleanly before the finish reason",
                Stream,
                vec![Reply::sse(
                    openai::stream(&["Hel", "lo", " world"], "stop", None)[..3].to_vec(),
                )],
                Expect::Error(&["local: the stream ended before the answer was complete"]),
            )
        },
        Fault::new(
            "malformed JSON body",
            Complete,
            vec![Reply::text(200, "{not json")],
            Expect::Error(&["local: malformed JSON in the response", "{not json"]),
        ),
        Fault::new(
            "a 200 JSON body without choices",
            Complete,
            vec![Reply::json(
                200,
                json!({ "id": "x", "object": "chat.completion", "choices": [] }),
            )],
            Expect::Error(&["local: the response has no choices"]),
        ),
        Fault::new(
            "an error object in a 200 body",
            Complete,
            vec![Reply::json(
                200,
                openai::error(500, "The model produced invalid content"),
            )],
            Expect::Error(&["local: The model produced invalid content"]),
        ),
        Fault {
            partial_text: "Hel",
            ..Fault::new(
                "malformed JSON chunk in a stream",
                Stream,
                vec![Reply::sse(vec![
                    sse_chunk("Hel"),
                    SseEvent::data("{\"choices\": [oops"),
                    SseEvent::data("[DONE]"),
                ])],
                Expect::Error(&[
                    "local: malformed JSON in a stream chunk",
                    "{\"choices\": [oops",
                ]),
            )
        },
        Fault {
            partial_text: "Hel",
            ..Fault::new(
                "an error object inside a 200 stream",
                Stream,
                vec![Reply::sse(vec![
                    sse_chunk("Hel"),
                    SseEvent::data(in_stream_error),
                    SseEvent::data("[DONE]"),
                ])],
                Expect::Error(&["local: error in the stream: The model is overloaded, try again"]),
            )
        },
        Fault {
            refused: true,
            requests: 0,
            ..Fault::new(
                "connection refused",
                Complete,
                Vec::new(),
                Expect::Error(&["local: cannot connect:", "127.0.0.1"]),
            )
        },
        Fault {
            refused: true,
            requests: 0,
            tweak: |p| p.max_retries = 1,
            // Connection failures are retried too, after the 0.5 s backoff.
            min_elapsed: Duration::from_millis(450),
            ..Fault::new(
                "connection refused, streaming, one retry",
                Stream,
                Vec::new(),
                Expect::Error(&["local: cannot connect:"]),
            )
        },
        Fault {
            tweak: fast_read_timeout,
            timed: true,
            ..Fault::new(
                "a JSON body that stalls after the headers",
                Complete,
                // A chunked JSON body (framed by the SSE writer, relabelled) whose second half
                // never comes in time.
                vec![json_in_pieces().event_delay(Duration::from_secs(2))],
                Expect::Error(&[
                    "local: the answer stalled: not complete within 300 ms (read_timeout_ms)",
                ]),
            )
        },
        Fault::new(
            "a JSON body cut after the headers",
            Complete,
            vec![json_in_pieces().truncate_after_events(1)],
            Expect::Error(&["local: the connection was cut mid-answer"]),
        ),
        Fault::new(
            "a stream cut only after [DONE] is complete",
            Stream,
            vec![
                Reply::sse(openai::stream(&["all", " there"], "stop", None))
                    .truncate_after_events(99),
            ],
            Expect::Text("all there"),
        ),
        Fault::new(
            "a plain JSON answer to a stream request",
            Stream,
            vec![Reply::json(200, openai::completion("not streamed", 1, 1))],
            Expect::Error(&["local: the stream ended before the answer was complete"]),
        ),
        Fault {
            tweak: |p| p.api_key_env = Some(UNSET_KEY_ENV.into()),
            // Nothing is sent without the key the config asks for.
            requests: 0,
            ..Fault::new(
                "the key variable is not set",
                Complete,
                Vec::new(),
                Expect::Error(&[
                    "local: the API key variable LLMSPELL_TEST_UNSET_KEY_VARIABLE is not set (set it, or name another with api_key_env in [providers.local])",
                ]),
            )
        },
    ]
}

/// A 200 `application/json` reply whose body is sent in two chunks (`data: {` and `data: }`
/// lines, which do not parse as JSON, but the body never completes in these cases anyway).
fn json_in_pieces() -> Reply {
    Reply::sse(vec![SseEvent::data("{"), SseEvent::data("}")])
        .header("content-type", "application/json")
}

/// Runs one fault case and returns what was wrong with it, if anything.
async fn check_fault(case: Fault) -> Result<(), String> {
    let server = FakeServer::start();
    for reply in case.replies {
        server.reply("POST", CHAT_PATH, reply);
    }
    let base_url = if case.refused {
        closed_port_url()
    } else {
        server.url("/v1")
    };
    let provider = resolve(local_provider(&base_url, case.tweak));
    let start = Instant::now();
    let work = async {
        match case.call {
            Call::Complete => match provider.complete(simple_request()).await {
                Ok(completion) => (completion.text, None),
                Err(e) => (String::new(), Some(e)),
            },
            Call::Stream => {
                let (events, error) = drain(provider.as_ref(), simple_request()).await;
                (text_of(&events), error)
            }
        }
    };
    let (text, error) = tokio::time::timeout(HANG_LIMIT, work)
        .await
        .map_err(|_| format!("hung for {HANG_LIMIT:?}"))?;
    let elapsed = start.elapsed();
    let mut problems = Vec::new();
    match (&case.expect, &error) {
        (Expect::Text(expected), None) if text == *expected => {}
        (Expect::Text(expected), _) => problems.push(format!(
            "expected the text {expected:?}, got {text:?} / {error:?}"
        )),
        (Expect::Error(parts), Some(message)) => {
            for part in *parts {
                if !message.contains(part) {
                    problems.push(format!("error lacks {part:?}: {message}"));
                }
            }
            // Every failure names the provider first.
            if !message.starts_with("local: ") {
                problems.push(format!("error does not start with the provider: {message}"));
            }
            if message.contains(KEY) {
                problems.push(format!("error contains the API key: {message}"));
            }
            if case.call == Call::Stream && text != case.partial_text {
                problems.push(format!(
                    "text before the error: expected {:?}, got {text:?}",
                    case.partial_text
                ));
            }
        }
        (Expect::Error(_), None) => {
            problems.push(format!("expected an error, got the text {text:?}"))
        }
    }
    let requests = server.requests_for("POST", CHAT_PATH);
    if requests.len() != case.requests {
        problems.push(format!(
            "the server saw {} requests, expected {}",
            requests.len(),
            case.requests
        ));
    }
    // Retries must carry the key again, and never a key that was not configured.
    let expected_auth = local_provider("http://x", case.tweak)
        .api_key_env
        .map(|_| format!("Bearer {KEY}"));
    for request in &requests {
        if request.header("authorization").map(str::to_owned) != expected_auth {
            problems.push(format!(
                "authorization header {:?}, expected {expected_auth:?}",
                request.header("authorization")
            ));
        }
    }
    if elapsed < case.min_elapsed || elapsed > case.max_elapsed {
        problems.push(format!(
            "took {elapsed:?}, expected between {:?} and {:?}",
            case.min_elapsed, case.max_elapsed
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

/// Runs the cases of a table concurrently (the retry waits overlap, so a table takes as long as
/// its slowest case), but the `timed` ones only after the others: a burst of twenty clients and
/// servers starting at once can delay a request by more than a 300 ms timeout on a busy
/// machine, and the test would then measure its own load instead of the provider.
async fn run_in_two_phases<C, F>(
    cases: Vec<C>,
    timed: fn(&C) -> bool,
    check: fn(C) -> F,
) -> Vec<String>
where
    F: std::future::Future<Output = Option<String>>,
{
    let (timed_cases, others): (Vec<C>, Vec<C>) = cases.into_iter().partition(timed);
    let mut failures: Vec<String> = futures::future::join_all(others.into_iter().map(check))
        .await
        .into_iter()
        .flatten()
        .collect();
    failures.extend(
        futures::future::join_all(timed_cases.into_iter().map(check))
            .await
            .into_iter()
            .flatten(),
    );
    failures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_end_in_clear_errors_naming_the_provider_and_the_cause() {
    let failures = run_in_two_phases(
        fault_cases(),
        |c| c.timed,
        |case| async move {
            let name = case.name;
            check_fault(case)
                .await
                .err()
                .map(|e| format!("{name}:\n    {e}"))
        },
    )
    .await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Through Lua: agents, the tool-calling loop, errors as scripts see them.
// ---------------------------------------------------------------------------------------------

/// A Lua runtime whose `[providers.local]` points at `server`.
fn lua_runtime(server: &FakeServer, tweak: impl FnOnce(&mut ProviderConfig)) -> ScriptRuntime {
    lua_runtime_at(&server.url("/v1"), tweak)
}

fn lua_runtime_at(base_url: &str, tweak: impl FnOnce(&mut ProviderConfig)) -> ScriptRuntime {
    let mut config = config_with(local_provider(base_url, tweak));
    config.run.timeout_ms = HANG_LIMIT.as_millis() as u64;
    let loaded = LoadedConfig {
        config,
        file: None,
        // No file tools run here (allow_files is off), so any folder does as the root.
        root: std::env::temp_dir(),
    };
    ScriptRuntime::new_with_lua(ExecutionContext::new(loaded)).expect("Lua runtime")
}

async fn run_lua(runtime: &ScriptRuntime, source: &str) -> RunOutcome {
    let outcome = tokio::time::timeout(HANG_LIMIT, runtime.run(Script::new("openai.lua", source)))
        .await
        .expect("the run hung");
    assert_no_key(&outcome);
    outcome
}

/// Every run is checked: the key must not appear in any event (stdout, tokens, tool calls,
/// errors, the result), in their JSON form as `--events jsonl` prints them.
fn assert_no_key(outcome: &RunOutcome) {
    for event in &outcome.events {
        let json = serde_json::to_string(event).expect("events serialise");
        assert!(!json.contains(KEY), "an event contains the API key: {json}");
    }
}

fn assert_succeeded(outcome: &RunOutcome) {
    assert_eq!(
        (outcome.exit_code, outcome.error()),
        (0, None),
        "stdout: {}",
        outcome.stdout()
    );
}

fn tool_call_events(outcome: &RunOutcome) -> Vec<RunEvent> {
    outcome
        .events
        .iter()
        .filter(|e| matches!(e, RunEvent::ToolCall { .. }))
        .cloned()
        .collect()
}

fn token_events(outcome: &RunOutcome) -> Vec<(String, String)> {
    outcome
        .events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Token { agent, text } => Some((agent.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn lua_execute_returns_text_usage_and_finish_reason() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(200, openai::completion("Hello from the fake server", 12, 5)),
    );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ name = "helper", model = "local/gpt-test", system = "Be terse.",
                        temperature = 0.5, max_tokens = 64 }
local r = a:execute("Say hello")
print(r.text, r.model, r.usage.input_tokens, r.usage.output_tokens, r.finish_reason, #r.tool_calls)
"#,
    )
    .await;
    assert_succeeded(&outcome);
    assert_eq!(
        outcome.stdout(),
        "Hello from the fake server\tlocal/gpt-test\t12\t5\tstop\t0\n"
    );
    let sent = server.last_request().expect("request");
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer llmspell-runtime")
    );
    assert_eq!(
        sent.json(),
        json!({
            "model": "gpt-test",
            "messages": [
                { "role": "system", "content": "Be terse." },
                { "role": "user", "content": "Say hello" },
            ],
            "temperature": 0.5,
            "max_tokens": 64,
        })
    );
}

#[tokio::test]
async fn lua_stream_yields_chunks_and_token_events() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::sse(openai::stream(
            &["Once", " upon", " a time"],
            "stop",
            Some((8, 3)),
        )),
    );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ name = "storyteller", model = "local/gpt-test" }
for chunk in a:stream{ messages = { { role = "system", content = "Tell stories." } }, prompt = "Go" } do
  io.write("<", chunk, ">")
end
print()
"#,
    )
    .await;
    assert_succeeded(&outcome);
    assert_eq!(outcome.stdout(), "<Once>< upon>< a time>\n");
    assert_eq!(
        token_events(&outcome),
        [
            ("storyteller", "Once"),
            ("storyteller", " upon"),
            ("storyteller", " a time")
        ]
        .map(|(a, t)| (a.to_owned(), t.to_owned()))
    );
    let body = server.last_request().expect("request").json();
    assert_eq!(body["stream"], json!(true));
    assert_eq!(body["stream_options"], json!({ "include_usage": true }));
    assert_eq!(
        body["messages"],
        json!([
            { "role": "system", "content": "Tell stories." },
            { "role": "user", "content": "Go" },
        ])
    );
}

/// The assistant message carrying the calculator call and the tool message answering it, as the
/// second request of a tool loop must contain them.
fn assert_calculator_round_trip(second: &Value, assistant_text: Value) {
    let messages = second["messages"].as_array().expect("messages");
    assert_eq!(
        messages.len(),
        3,
        "user, assistant tool call, tool result: {messages:#?}"
    );
    assert_eq!(
        messages[0],
        json!({ "role": "user", "content": "What is 17*23?" })
    );
    assert_eq!(messages[1]["role"], "assistant");
    assert_eq!(messages[1]["content"], assistant_text);
    assert_eq!(
        messages[1]["tool_calls"],
        json!([{
            "id": "call_1",
            "type": "function",
            "function": { "name": "calculator", "arguments": "{\"expression\":\"17*23\"}" },
        }])
    );
    assert_eq!(messages[2]["role"], "tool");
    assert_eq!(messages[2]["tool_call_id"], "call_1");
    let content = messages[2]["content"]
        .as_str()
        .expect("tool content is a string");
    assert!(
        content.contains("391"),
        "tool result sent to the model: {content}"
    );
}

fn calculator_call() -> [(&'static str, &'static str, &'static str); 1] {
    [("call_1", "calculator", r#"{"expression":"17*23"}"#)]
}

#[tokio::test]
async fn lua_execute_runs_the_tool_loop() {
    let server = FakeServer::start();
    server
        .reply(
            "POST",
            CHAT_PATH,
            Reply::json(
                200,
                openai::tool_calls_completion(&calculator_call(), 20, 5),
            ),
        )
        .reply(
            "POST",
            CHAT_PATH,
            Reply::json(200, openai::completion("17*23 is 391.", 30, 6)),
        );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ name = "mathematician", model = "local/gpt-test", tools = { "calculator" } }
local r = a:execute("What is 17*23?")
print(r.text, r.finish_reason, r.usage.input_tokens, r.usage.output_tokens, #r.tool_calls)
local call = r.tool_calls[1]
print(call.name, call.params.expression, call.result.result, call.error)
"#,
    )
    .await;
    assert_succeeded(&outcome);
    // Usage adds up over both rounds: the script pays for both calls.
    assert_eq!(
        outcome.stdout(),
        "17*23 is 391.\tstop\t50\t11\t1\ncalculator\t17*23\t391\tnil\n"
    );

    let requests = server.requests_for("POST", CHAT_PATH);
    assert_eq!(requests.len(), 2);
    let first = requests[0].json();
    assert_eq!(first["tools"][0]["type"], "function");
    assert_eq!(first["tools"][0]["function"]["name"], "calculator");
    assert_eq!(
        first["tools"][0]["function"]["parameters"]["properties"]["expression"]["type"],
        "string"
    );
    // No text came with the call, so the content is null, as OpenAI sends it.
    assert_calculator_round_trip(&requests[1].json(), Value::Null);

    match tool_call_events(&outcome).as_slice() {
        [
            RunEvent::ToolCall {
                tool,
                agent,
                params,
                result,
                error,
            },
        ] => {
            assert_eq!(tool, "calculator");
            assert_eq!(agent.as_deref(), Some("mathematician"));
            assert_eq!(params, &json!({ "expression": "17*23" }));
            assert!(
                result
                    .as_ref()
                    .is_some_and(|r| r.to_string().contains("391")),
                "{result:?}"
            );
            assert_eq!(error, &None);
        }
        other => panic!("expected one tool_call event, got {other:?}"),
    }
}

#[tokio::test]
async fn lua_execute_calls_a_script_tool() {
    let server = FakeServer::start();
    server
        .reply(
            "POST",
            CHAT_PATH,
            Reply::json(
                200,
                openai::tool_calls_completion(&[("call_s", "shout", r#"{"text":"hello"}"#)], 10, 2),
            ),
        )
        .reply(
            "POST",
            CHAT_PATH,
            Reply::json(200, openai::completion("Done.", 15, 2)),
        );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
Tool.register{
  name = "shout", description = "Upper-cases text",
  params = { text = { type = "string", required = true, description = "What to shout" } },
  run = function(p) return { text = p.text:upper() .. "!" } end,
}
local a = Agent.create{ name = "loud", model = "local/gpt-test", tools = { "shout" } }
local r = a:execute("Shout hello")
print(r.text, r.tool_calls[1].name, r.tool_calls[1].params.text, r.tool_calls[1].result.text)
"#,
    )
    .await;
    assert_succeeded(&outcome);
    assert_eq!(outcome.stdout(), "Done.\tshout\thello\tHELLO!\n");
    let requests = server.requests_for("POST", CHAT_PATH);
    assert_eq!(requests.len(), 2);
    let tool = &requests[0].json()["tools"][0];
    assert_eq!(tool["function"]["name"], "shout");
    assert_eq!(tool["function"]["description"], "Upper-cases text");
    assert_eq!(tool["function"]["parameters"]["type"], "object");
    assert_eq!(
        tool["function"]["parameters"]["properties"]["text"]["type"],
        "string"
    );
    assert_eq!(tool["function"]["parameters"]["required"], json!(["text"]));
    let messages = requests[1].json()["messages"].clone();
    assert_eq!(
        messages[2],
        json!({ "role": "tool", "tool_call_id": "call_s", "content": "{\"text\":\"HELLO!\"}" })
    );
    assert!(matches!(
        tool_call_events(&outcome).as_slice(),
        [RunEvent::ToolCall { tool, agent: Some(agent), .. }] if tool == "shout" && agent == "loud"
    ));
}

#[tokio::test]
async fn lua_tool_mistakes_of_the_model_are_reported_back_to_it() {
    // An unknown tool name and parameters that fail the schema both go back to the model as the
    // tool's answer, so it can correct itself; neither fails the run.
    let server = FakeServer::start();
    server
        .reply(
            "POST",
            CHAT_PATH,
            Reply::json(
                200,
                openai::tool_calls_completion(
                    &[
                        ("call_x", "weather", r#"{"city":"Paris"}"#),
                        ("call_y", "calculator", r#"{"expr":"1+1"}"#),
                    ],
                    10,
                    2,
                ),
            ),
        )
        .reply(
            "POST",
            CHAT_PATH,
            Reply::json(
                200,
                openai::completion("Sorry, I cannot check the weather.", 15, 7),
            ),
        );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ name = "careful", model = "local/gpt-test", tools = { "calculator" } }
local r = a:execute("Weather in Paris?")
print(r.text, #r.tool_calls)
for _, c in ipairs(r.tool_calls) do print(c.name, c.result, c.error) end
"#,
    )
    .await;
    assert_succeeded(&outcome);
    let stdout = outcome.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "Sorry, I cannot check the weather.\t2");
    assert_eq!(
        lines[1],
        "weather\tnil\tunknown tool 'weather'; this agent's tools are: calculator"
    );
    assert!(
        lines[2].starts_with("calculator\tnil\t") && lines[2].contains("expr"),
        "{stdout}"
    );

    let requests = server.requests_for("POST", CHAT_PATH);
    assert_eq!(requests.len(), 2);
    let messages = requests[1].json()["messages"].clone();
    assert_eq!(
        messages[2],
        json!({
            "role": "tool",
            "tool_call_id": "call_x",
            "content": "error: unknown tool 'weather'; this agent's tools are: calculator",
        })
    );
    assert_eq!(messages[3]["tool_call_id"], "call_y");
    let content = messages[3]["content"].as_str().expect("content");
    assert!(
        content.starts_with("error: ") && content.contains("expr"),
        "{content}"
    );
}

#[tokio::test]
async fn lua_max_tool_rounds_stops_a_model_that_keeps_calling_tools() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(200, openai::tool_calls_completion(&calculator_call(), 4, 2)).repeat(),
    );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ model = "local/gpt-test", tools = { "calculator" }, max_tool_rounds = 1 }
local r = a:execute("What is 17*23?")
print(r.finish_reason, #r.tool_calls, r.usage.input_tokens, r.usage.output_tokens)
"#,
    )
    .await;
    assert_succeeded(&outcome);
    // One round of tools ran; the second answer asked again and was not followed.
    assert_eq!(outcome.stdout(), "max_tool_rounds\t1\t8\t4\n");
    assert_eq!(server.requests_for("POST", CHAT_PATH).len(), 2);
    // An unnamed agent is reported under its model.
    assert!(matches!(
        tool_call_events(&outcome).as_slice(),
        [RunEvent::ToolCall { agent: Some(agent), .. }] if agent == MODEL
    ));
}

#[tokio::test]
async fn lua_max_tool_rounds_zero_offers_no_tools() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(200, openai::tool_calls_completion(&calculator_call(), 4, 2)),
    );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ model = "local/gpt-test", tools = { "calculator" }, max_tool_rounds = 0 }
local r = a:execute("What is 17*23?")
print(r.finish_reason, #r.tool_calls)
"#,
    )
    .await;
    assert_succeeded(&outcome);
    assert_eq!(outcome.stdout(), "max_tool_rounds\t0\n");
    let requests = server.requests_for("POST", CHAT_PATH);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].json().get("tools"), None);
    assert!(tool_call_events(&outcome).is_empty());
}

#[tokio::test]
async fn lua_stream_runs_tools_between_rounds_and_streams_only_text() {
    // The model says something before calling the tool, as models often do: that text reaches
    // the script and goes back to the model with the call.
    let mut first_round = openai::stream_tool_calls(&calculator_call(), Some((20, 5)));
    first_round.insert(0, sse_chunk("Let me compute."));
    let server = FakeServer::start();
    server
        .reply("POST", CHAT_PATH, Reply::sse(first_round))
        .reply(
            "POST",
            CHAT_PATH,
            Reply::sse(openai::stream(
                &["The answer", " is 391."],
                "stop",
                Some((30, 6)),
            )),
        );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ name = "streamer", model = "local/gpt-test", tools = { "calculator" } }
for chunk in a:stream("What is 17*23?") do io.write("<", chunk, ">") end
"#,
    )
    .await;
    assert_succeeded(&outcome);
    assert_eq!(outcome.stdout(), "<Let me compute.><The answer>< is 391.>");
    assert_eq!(
        token_events(&outcome),
        [
            ("streamer", "Let me compute."),
            ("streamer", "The answer"),
            ("streamer", " is 391.")
        ]
        .map(|(a, t)| (a.to_owned(), t.to_owned()))
    );
    let requests = server.requests_for("POST", CHAT_PATH);
    assert_eq!(requests.len(), 2);
    let first = requests[0].json();
    assert_eq!(first["stream"], json!(true));
    assert_eq!(first["tools"][0]["function"]["name"], "calculator");
    let second = requests[1].json();
    assert_eq!(second["stream"], json!(true));
    assert_calculator_round_trip(&second, json!("Let me compute."));

    // The tool ran between the rounds: its event sits between their tokens.
    let kinds: Vec<&str> = outcome
        .events
        .iter()
        .filter_map(|e| match e {
            RunEvent::ToolCall { .. } => Some("tool_call"),
            RunEvent::Token { .. } => Some("token"),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["token", "tool_call", "token", "token"]);
    assert!(matches!(
        tool_call_events(&outcome).as_slice(),
        [RunEvent::ToolCall { tool, agent: Some(agent), result: Some(result), .. }]
            if tool == "calculator" && agent == "streamer" && result.to_string().contains("391")
    ));
}

#[tokio::test]
async fn lua_stream_calls_a_script_tool_while_the_script_iterates() {
    // The script tool is a Lua function, run while Lua is suspended inside the stream's
    // iterator: it must re-enter the engine without deadlocking.
    let server = FakeServer::start();
    server
        .reply(
            "POST",
            CHAT_PATH,
            Reply::sse(openai::stream_tool_calls(
                &[("call_s", "shout", r#"{"text":"hi"}"#)],
                None,
            )),
        )
        .reply(
            "POST",
            CHAT_PATH,
            Reply::sse(openai::stream(&["HI!"], "stop", None)),
        );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local calls = 0
Tool.register{
  name = "shout", description = "Upper-cases text",
  params = { text = { type = "string", required = true } },
  run = function(p) calls = calls + 1; return { text = p.text:upper() .. "!" } end,
}
local a = Agent.create{ name = "loud", model = "local/gpt-test", tools = { "shout" } }
for chunk in a:stream("Shout hi") do io.write(chunk) end
print("", calls)
"#,
    )
    .await;
    assert_succeeded(&outcome);
    assert_eq!(outcome.stdout(), "HI!\t1\n");
    let second = server.requests_for("POST", CHAT_PATH)[1].json();
    assert_eq!(
        second["messages"][2],
        json!({ "role": "tool", "tool_call_id": "call_s", "content": "{\"text\":\"HI!\"}" })
    );
}

#[tokio::test]
async fn lua_stream_with_max_tool_rounds_asks_the_last_round_without_tools() {
    let server = FakeServer::start();
    server
        .reply(
            "POST",
            CHAT_PATH,
            Reply::sse(openai::stream_tool_calls(&calculator_call(), None)),
        )
        .reply(
            "POST",
            CHAT_PATH,
            Reply::sse(openai::stream(&["391"], "stop", None)),
        );
    let runtime = lua_runtime(&server, |_| {});
    let outcome = run_lua(
        &runtime,
        r#"
local a = Agent.create{ model = "local/gpt-test", tools = { "calculator" }, max_tool_rounds = 1 }
for chunk in a:stream("What is 17*23?") do io.write(chunk) end
"#,
    )
    .await;
    assert_succeeded(&outcome);
    assert_eq!(outcome.stdout(), "391");
    let requests = server.requests_for("POST", CHAT_PATH);
    assert_eq!(requests.len(), 2);
    assert!(requests[0].json().get("tools").is_some());
    // The rounds are used up, so the model is no longer offered tools and must answer.
    assert_eq!(requests[1].json().get("tools"), None);
}

#[tokio::test]
async fn lua_a_failure_in_the_second_round_of_the_tool_loop_is_reported_once() {
    // The tool ran, then the provider failed: the error is catchable, carries each prefix once,
    // and the tool call was still reported.
    for (method, call_source, first_round) in [
        (
            "agent:execute",
            "return a:execute('What is 17*23?').text",
            Reply::json(200, openai::tool_calls_completion(&calculator_call(), 4, 2)),
        ),
        (
            "agent:stream",
            "for _ in a:stream('What is 17*23?') do end",
            Reply::sse(openai::stream_tool_calls(&calculator_call(), None)),
        ),
    ] {
        let server = FakeServer::start();
        server.reply("POST", CHAT_PATH, first_round).reply(
            "POST",
            CHAT_PATH,
            Reply::json(503, openai::error(503, "Overloaded")),
        );
        let runtime = lua_runtime(&server, |_| {});
        let source = format!(
            "local a = Agent.create{{ name = 'looper', model = 'local/gpt-test', tools = {{ 'calculator' }} }}\n\
             print(pcall(function() {call_source} end))"
        );
        let outcome = run_lua(&runtime, &source).await;
        assert_succeeded(&outcome);
        assert_eq!(
            outcome.stdout(),
            format!(
                "false\topenai.lua:2: {method}: agent 'looper' (local/gpt-test): local: HTTP 503 Service Unavailable: Overloaded\n"
            )
        );
        assert_eq!(server.requests_for("POST", CHAT_PATH).len(), 2);
        assert_eq!(tool_call_events(&outcome).len(), 1, "{method}");
    }
}

#[tokio::test]
async fn lua_an_agent_base_url_receives_its_requests() {
    // The provider's own base URL has nothing listening: the request must go to the agent's.
    let server = FakeServer::start();
    server.reply(
        "POST",
        "/agent/v1/chat/completions",
        Reply::json(200, openai::completion("from the agent's server", 1, 1)),
    );
    let runtime = lua_runtime_at(&closed_port_url(), |_| {});
    let source = format!(
        "local a = Agent.create{{ model = 'local/gpt-test', base_url = '{}' }}\nprint(a:execute('hi').text)",
        server.url("/agent/v1")
    );
    let outcome = run_lua(&runtime, &source).await;
    assert_succeeded(&outcome);
    assert_eq!(outcome.stdout(), "from the agent's server\n");
    assert_eq!(server.requests()[0].path, "/agent/v1/chat/completions");
}

#[tokio::test]
async fn lua_an_agent_base_url_does_not_receive_the_providers_key() {
    // `HttpSettings::from_config` makes sure the key only travels to the endpoint the config
    // chose for it. An agent's `base_url` comes from the script, which is sandboxed (no network
    // unless allowed): a script must not be able to send the user's key to a server of its
    // choice, e.g. `Agent.create{ model = "openai/gpt-4o", base_url = "http://evil/v1" }`.
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(200, openai::completion("got it", 1, 1)),
    );
    // The key is configured for another endpoint (nothing listens there).
    let runtime = lua_runtime_at(&closed_port_url(), |_| {});
    let source = format!(
        "local a = Agent.create{{ model = 'local/gpt-test', base_url = '{}' }}\nprint(a:execute('hi').text)",
        server.url("/v1")
    );
    let outcome = run_lua(&runtime, &source).await;
    assert_succeeded(&outcome);
    let sent = server.last_request().expect("a request");
    assert_eq!(
        sent.header("authorization"),
        None,
        "the provider's key was sent to the agent's base_url"
    );
}

// ---------------------------------------------------------------------------------------------
// Through Lua: faults are catchable with pcall, and uncaught ones fail the run.
// ---------------------------------------------------------------------------------------------

struct LuaFault {
    name: &'static str,
    call: Call,
    replies: fn() -> Vec<Reply>,
    refused: bool,
    tweak: fn(&mut ProviderConfig),
    /// More fields for `Agent.create`.
    agent_extra: &'static str,
    /// Depends on a short timeout firing at the right moment (see `run_in_two_phases`).
    timed: bool,
    /// How the message after the agent prefix starts.
    expected: &'static str,
}

fn lua_fault_cases() -> Vec<LuaFault> {
    use Call::{Complete, Stream};
    let case = |name, call, replies, expected| LuaFault {
        name,
        call,
        replies,
        refused: false,
        tweak: |_| {},
        agent_extra: "",
        timed: false,
        expected,
    };
    vec![
        case(
            "500",
            Complete,
            || {
                vec![Reply::json(
                    500,
                    openai::error(500, "The server had an error"),
                )]
            },
            "local: HTTP 500 Internal Server Error: The server had an error",
        ),
        case(
            "401",
            Complete,
            || {
                vec![Reply::json(
                    401,
                    openai::error(401, "Incorrect API key provided"),
                )]
            },
            "local: HTTP 401 Unauthorized: Incorrect API key provided (check the API key in CARGO_PKG_NAME)",
        ),
        case(
            "404 before a stream",
            Stream,
            || {
                vec![Reply::json(
                    404,
                    openai::error(404, "The model `gpt-test` does not exist"),
                )]
            },
            "local: HTTP 404 Not Found: The model `gpt-test` does not exist (check the model id and base_url)",
        ),
        LuaFault {
            tweak: fast_read_timeout,
            timed: true,
            ..case(
                "slow first byte",
                Complete,
                || {
                    vec![
                        Reply::json(200, openai::completion("late", 1, 1))
                            .delay_first_byte(Duration::from_secs(2)),
                    ]
                },
                "local: no response within 300 ms (read_timeout_ms)",
            )
        },
        LuaFault {
            tweak: fast_read_timeout,
            timed: true,
            ..case(
                "stream stall",
                Stream,
                || {
                    vec![
                        Reply::sse(openai::stream(&["a", "b"], "stop", None))
                            .event_delay(Duration::from_secs(2)),
                    ]
                },
                "local: the stream stalled: no data for 300 ms (read_timeout_ms)",
            )
        },
        case(
            "truncated stream",
            Stream,
            || vec![Reply::sse(openai::stream(&["a", "b"], "stop", None)).truncate_after_events(2)],
            "local: the stream was cut mid-answer",
        ),
        case(
            "malformed JSON body",
            Complete,
            || vec![Reply::text(200, "{not json")],
            "local: malformed JSON in the response",
        ),
        case(
            "malformed stream chunk",
            Stream,
            || vec![Reply::sse(vec![SseEvent::data("{oops")])],
            "local: malformed JSON in a stream chunk",
        ),
        case(
            "error object in a stream",
            Stream,
            || {
                vec![Reply::sse(vec![SseEvent::data(
                    r#"{"error":{"message":"overloaded"}}"#,
                )])]
            },
            "local: error in the stream: overloaded",
        ),
        LuaFault {
            refused: true,
            ..case(
                "connection refused",
                Complete,
                Vec::new,
                "local: cannot connect:",
            )
        },
        LuaFault {
            // The agent's own limit is shorter than the provider's read timeout.
            agent_extra: ", timeout_ms = 200",
            timed: true,
            ..case(
                "agent timeout_ms",
                Complete,
                || {
                    vec![
                        Reply::json(200, openai::completion("late", 1, 1))
                            .delay_first_byte(Duration::from_secs(2)),
                    ]
                },
                "no complete answer within 200 ms (timeout_ms)",
            )
        },
        LuaFault {
            agent_extra: ", timeout_ms = 200",
            timed: true,
            ..case(
                "agent timeout_ms while streaming",
                Stream,
                || {
                    vec![
                        Reply::sse(openai::stream(&["a", "b"], "stop", None))
                            .event_delay(Duration::from_secs(2)),
                    ]
                },
                "no complete answer within 200 ms (timeout_ms)",
            )
        },
    ]
}

/// The script of a fault case: the agent call, caught with pcall or not.
fn fault_script(call: Call, caught: bool, agent_extra: &str) -> String {
    let body = match call {
        Call::Complete => "return a:execute('hi').text",
        Call::Stream => {
            "local got = {} for c in a:stream('hi') do got[#got + 1] = c end return table.concat(got)"
        }
    };
    let create = format!(
        "local a = Agent.create{{ name = 'fragile', model = 'local/gpt-test'{agent_extra} }}"
    );
    if caught {
        format!(
            "{create}\nlocal ok, err = pcall(function() {body} end)\nprint(ok, err)\nprint('after')"
        )
    } else {
        // The `;` keeps Lua from reading `(function ...)` as a call of the line before.
        format!("{create};\n(function() {body} end)()\nprint('not reached')")
    }
}

async fn check_lua_fault(case: &LuaFault) -> Vec<String> {
    let method = match case.call {
        Call::Complete => "agent:execute",
        Call::Stream => "agent:stream",
    };
    // The message a script sees: where, the call, the agent, then the provider's message,
    // each prefix exactly once.
    let expected = format!(
        "openai.lua:2: {method}: agent 'fragile' (local/gpt-test): {}",
        case.expected
    );
    let mut problems = Vec::new();
    for caught in [true, false] {
        let server = FakeServer::start();
        for reply in (case.replies)() {
            server.reply("POST", CHAT_PATH, reply);
        }
        let base_url = if case.refused {
            closed_port_url()
        } else {
            server.url("/v1")
        };
        let runtime = lua_runtime_at(&base_url, case.tweak);
        let outcome = run_lua(&runtime, &fault_script(case.call, caught, case.agent_extra)).await;
        let stdout = outcome.stdout();
        if caught {
            // The script goes on after the caught error.
            let ok = outcome.exit_code == 0
                && outcome.error().is_none()
                && stdout.starts_with(&format!("false\t{expected}"))
                && stdout.ends_with("\nafter\n");
            if !ok {
                problems.push(format!(
                    "caught: expected exit 0 and `false\\t{expected}...`, got exit {} error {:?} stdout {stdout:?}",
                    outcome.exit_code,
                    outcome.error()
                ));
            }
        } else {
            let error = outcome.error().unwrap_or_default();
            if outcome.exit_code != 1 || !error.starts_with(&expected) || !stdout.is_empty() {
                problems.push(format!(
                    "uncaught: expected exit 1 and an error starting {expected:?}, got exit {} error {error:?} stdout {stdout:?}",
                    outcome.exit_code
                ));
            }
        }
    }
    problems
}

#[tokio::test]
async fn lua_faults_are_catchable_and_fail_the_run_when_uncaught() {
    let failures = run_in_two_phases(
        lua_fault_cases(),
        |c| c.timed,
        |case| async move {
            let problems = check_lua_fault(&case).await;
            (!problems.is_empty())
                .then(|| format!("{}:\n    {}", case.name, problems.join("\n    ")))
        },
    )
    .await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Secrets: a server that quotes the key back must not get it into a message.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_key_quoted_back_by_the_server_never_reaches_an_error() {
    let quoting = format!("Incorrect API key provided: {KEY}");
    let cases: Vec<(&str, Call, Reply)> = vec![
        (
            "401 body",
            Call::Complete,
            Reply::json(401, openai::error(401, &quoting)),
        ),
        ("500 text body", Call::Stream, Reply::text(500, &quoting)),
        (
            "error object in a 200 body",
            Call::Complete,
            Reply::json(200, openai::error(401, &quoting)),
        ),
        (
            "error object in a 200 stream",
            Call::Stream,
            Reply::sse(vec![SseEvent::data(
                openai::error(401, &quoting).to_string(),
            )]),
        ),
        (
            "malformed JSON body",
            Call::Complete,
            Reply::text(200, &format!("{{{quoting}")),
        ),
        (
            "malformed stream chunk",
            Call::Stream,
            Reply::sse(vec![SseEvent::data(format!("{{{quoting}"))]),
        ),
    ];
    let mut failures = Vec::new();
    for (name, call, reply) in cases {
        // Provider level.
        let server = FakeServer::start();
        server.reply("POST", CHAT_PATH, reply.clone());
        let provider = provider_for(&server, |_| {});
        let error = match call {
            Call::Complete => provider.complete(simple_request()).await.err(),
            Call::Stream => drain(provider.as_ref(), simple_request()).await.1,
        };
        match error {
            Some(e) if e.contains(KEY) => failures.push(format!("{name}: the key leaked: {e}")),
            Some(_) => {}
            None => failures.push(format!("{name}: no error")),
        }
        // Through Lua, once caught (stdout) and once uncaught (the error event), so the server
        // quotes the key twice.
        let server = FakeServer::start();
        server
            .reply("POST", CHAT_PATH, reply.clone())
            .reply("POST", CHAT_PATH, reply);
        let runtime = lua_runtime(&server, |_| {});
        let source = match call {
            Call::Complete => {
                "local a = Agent.create{ model = 'local/gpt-test' } print(pcall(a.execute, a, 'hi')) a:execute('hi')"
            }
            Call::Stream => {
                "local a = Agent.create{ model = 'local/gpt-test' } print(pcall(function() for _ in a:stream('hi') do end end)) for _ in a:stream('hi') do end"
            }
        };
        let outcome =
            tokio::time::timeout(HANG_LIMIT, runtime.run(Script::new("openai.lua", source)))
                .await
                .expect("the run hung");
        for event in &outcome.events {
            let json = serde_json::to_string(event).expect("events serialise");
            if json.contains(KEY) {
                failures.push(format!("{name} (Lua): an event contains the key: {json}"));
            }
        }
        // Both paths really ran into the provider's error.
        let caught = outcome.stdout().starts_with("false\t");
        let uncaught =
            outcome.exit_code == 1 && outcome.error().is_some_and(|e| e.contains("local: "));
        if !(caught && uncaught && server.remaining_replies("POST", CHAT_PATH) == 0) {
            failures.push(format!(
                "{name} (Lua): expected a caught and an uncaught provider error, got stdout {:?}, exit {}, error {:?}",
                outcome.stdout(),
                outcome.exit_code,
                outcome.error()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_redacted_error_still_names_the_provider_the_status_and_the_hint() {
    // When the server's message quotes the key, only the key may go: the script author still
    // needs to know which provider failed, how, and what to check.
    let server = FakeServer::start();
    server.reply(
        "POST",
        CHAT_PATH,
        Reply::json(
            401,
            openai::error(401, &format!("Incorrect API key provided: {KEY}")),
        ),
    );
    let error = provider_for(&server, |_| {})
        .complete(simple_request())
        .await
        .expect_err("a 401");
    assert!(!error.contains(KEY), "{error}");
    assert!(
        error.starts_with("local: HTTP 401 Unauthorized")
            && error.contains("(check the API key in CARGO_PKG_NAME)"),
        "{error}"
    );
}
