//! The Anthropic provider (messages API) against a real HTTP server on 127.0.0.1.
//!
//! Every test talks to its own `llmspell_testkit::FakeServer` over real sockets, so what is
//! checked is what goes over the wire: the request the server recorded (path, headers, JSON
//! body) and the provider's reading of real JSON bodies and chunked SSE streams, including
//! slow, stalled, cut and malformed ones. The suite has three layers:
//!
//! 1. the `Provider` trait directly (`ProviderManager::resolve("claude/claude-test")`), for
//!    the exact request body and the parsing of answers and streams;
//! 2. Lua scripts through `ScriptRuntime`, for the agent's tool-calling loop, `token` and
//!    `tool_call` events, and how provider errors reach a script;
//! 3. faults and secrets: every failure is an error that names the provider and the cause,
//!    arrives in bounded time, and never carries the API key.
//!
//! Timeouts are a few hundred milliseconds and the fault table runs its cases concurrently,
//! so the file finishes in a couple of seconds although retries really wait.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::future::join_all;
use serde_json::{Value, json};

use llmspell_runtime::config::{Config, LoadedConfig, ProviderConfig, ProviderKind};
use llmspell_runtime::providers::{
    ChatMessage, Completion, CompletionRequest, Provider, ProviderManager, StreamEvent,
    ToolCallRequest, ToolDefinition, Usage,
};
use llmspell_runtime::{ExecutionContext, RunEvent, RunOutcome, Script, ScriptRuntime};
use llmspell_testkit::{FakeServer, RecordedRequest, Reply, SseEvent, anthropic};

/// Where the provider must send every request: the base URL plus `v1/messages`.
const MESSAGES: &str = "/v1/messages";
/// The model string scripts use; `claude` is the `[providers.claude]` entry of the config.
const MODEL: &str = "claude/claude-test";

/// The variable the API key is read from. Setting a variable in-process needs `unsafe`
/// (`std::env::set_var`), which this workspace forbids, so the tests borrow one that cargo
/// already sets for every test binary it runs: `CARGO_PKG_NAME`, i.e. "llmspell-runtime".
const KEY_ENV: &str = "CARGO_PKG_NAME";
/// The key as the provider will read it (the compile-time value of the same variable).
const KEY: &str = env!("CARGO_PKG_NAME");

/// Long enough for any single case here; a test that needs it has hung, and fails saying so
/// instead of blocking the suite.
const HANG_GUARD: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A `[providers.claude]` entry pointing at `server`, with small timeouts so that faults show
/// up in milliseconds, and no key variable (so no key is sent) unless a test adds one.
fn claude_config(server: &FakeServer) -> ProviderConfig {
    ProviderConfig {
        base_url: Some(server.base_url()),
        max_retries: 2,
        connect_timeout_ms: 1_000,
        read_timeout_ms: 2_000,
        ..ProviderConfig::new(ProviderKind::Anthropic)
    }
}

fn with_key(mut provider: ProviderConfig) -> ProviderConfig {
    // Guards the premise of every key assertion: run by cargo, the variable holds the key.
    assert_eq!(
        std::env::var(KEY_ENV).as_deref(),
        Ok(KEY),
        "these tests must run under cargo, which sets {KEY_ENV}"
    );
    provider.api_key_env = Some(KEY_ENV.into());
    provider
}

fn config_with(provider: ProviderConfig) -> Config {
    let mut config = Config::default();
    config.providers.insert("claude".into(), provider);
    config.run.timeout_ms = 10_000;
    config
}

/// The provider as scripts reach it: through the manager, by model string.
fn claude(provider: ProviderConfig) -> Arc<dyn Provider> {
    let manager = ProviderManager::new(&config_with(provider));
    let (provider, id) = manager.resolve(MODEL).expect("claude/claude-test resolves");
    assert_eq!((provider.name(), id.as_str()), ("claude", "claude-test"));
    provider
}

fn prompt(text: &str) -> CompletionRequest {
    CompletionRequest {
        model: "claude-test".into(),
        messages: vec![ChatMessage::User(text.into())],
        ..Default::default()
    }
}

async fn guard<F: Future>(what: &str, work: F) -> F::Output {
    tokio::time::timeout(HANG_GUARD, work)
        .await
        .unwrap_or_else(|_| panic!("{what}: no outcome within {HANG_GUARD:?}: it hangs"))
}

/// The single request the server received, after checking that there was exactly one and
/// that it went where the messages API lives.
fn only_request(server: &FakeServer) -> RecordedRequest {
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    let request = requests.into_iter().next().expect("one request");
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", MESSAGES)
    );
    request
}

/// Drains a stream, checking the `Provider::stream` contract on the way: nothing follows an
/// error or `Finished`, and a stream without error ends with `Finished`. Returns the events
/// before the end and the error, if any (an error opening the stream has no events).
async fn drain(
    provider: &dyn Provider,
    request: CompletionRequest,
) -> (Vec<StreamEvent>, Option<String>) {
    guard("stream", async {
        let mut stream = match provider.stream(request).await {
            Ok(stream) => stream,
            Err(error) => return (Vec::new(), Some(error)),
        };
        let mut events: Vec<StreamEvent> = Vec::new();
        while let Some(item) = stream.next().await {
            assert!(
                !matches!(events.last(), Some(StreamEvent::Finished { .. })),
                "an item followed Finished: {item:?}"
            );
            match item {
                Ok(event) => events.push(event),
                Err(error) => {
                    let after = stream.next().await;
                    assert!(
                        after.is_none(),
                        "the stream went on after {error:?}: {after:?}"
                    );
                    return (events, Some(error));
                }
            }
        }
        assert!(
            matches!(events.last(), Some(StreamEvent::Finished { .. })),
            "a stream that did not fail must end with Finished: {events:?}"
        );
        (events, None)
    })
    .await
}

fn text_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Text(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// A named SSE event whose payload carries the same `type`, as Anthropic frames them.
fn event(name: &str, mut data: Value) -> SseEvent {
    data["type"] = json!(name);
    SseEvent::named(name, data.to_string())
}

/// `anthropic::stream` without its final `message_stop`: a stream that ends cleanly but early.
fn stream_without_stop(chunks: &[&str]) -> Vec<SseEvent> {
    let mut events = anthropic::stream(chunks, "end_turn", 3, 2);
    let last = events.pop().expect("events");
    assert_eq!(last.event.as_deref(), Some("message_stop"));
    events
}

/// A Lua runtime whose config has `[providers.claude] = provider`.
fn lua(provider: ProviderConfig) -> ScriptRuntime {
    ScriptRuntime::new_with_lua(ExecutionContext::new(LoadedConfig {
        config: config_with(provider),
        file: None,
        root: std::env::temp_dir(),
    }))
    .expect("Lua runtime")
}

async fn run_lua(provider: ProviderConfig, source: &str) -> RunOutcome {
    let runtime = lua(provider);
    guard("Lua run", runtime.run(Script::new("claude.lua", source))).await
}

/// Asserts a run succeeded, showing its error otherwise.
fn assert_ok(outcome: &RunOutcome) {
    assert_eq!(
        (outcome.error(), outcome.exit_code),
        (None, 0),
        "the run failed; stdout: {}",
        outcome.stdout()
    );
}

/// The `tool_call` events of a run: (tool, agent, params, result, error).
type ToolCallEvent = (String, Option<String>, Value, Option<Value>, Option<String>);

fn tool_call_events(outcome: &RunOutcome) -> Vec<ToolCallEvent> {
    outcome
        .events
        .iter()
        .filter_map(|e| match e {
            RunEvent::ToolCall {
                tool,
                agent,
                params,
                result,
                error,
            } => Some((
                tool.clone(),
                agent.clone(),
                params.clone(),
                result.clone(),
                error.clone(),
            )),
            _ => None,
        })
        .collect()
}

/// The `token` events of a run: (agent, text).
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

fn calculator_call(id: &str, expression: &str) -> (String, String, Value) {
    (
        id.to_owned(),
        "calculator".to_owned(),
        json!({ "expression": expression }),
    )
}

/// `anthropic::tool_use_message` takes borrowed tuples; this keeps call sites short.
fn tool_use_reply(calls: &[(String, String, Value)], text: Option<&str>) -> Reply {
    let calls: Vec<(&str, &str, Value)> = calls
        .iter()
        .map(|(id, name, input)| (id.as_str(), name.as_str(), input.clone()))
        .collect();
    Reply::json(200, anthropic::tool_use_message(&calls, text, 10, 5))
}

fn streamed_tool_use_reply(calls: &[(String, String, Value)], text: Option<&str>) -> Reply {
    let calls: Vec<(&str, &str, Value)> = calls
        .iter()
        .map(|(id, name, input)| (id.as_str(), name.as_str(), input.clone()))
        .collect();
    Reply::sse(anthropic::stream_tool_use(&calls, text, 10, 5))
}

// ---------------------------------------------------------------------------------------------
// 1. Provider level: the request on the wire and the reading of answers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn complete_sends_a_messages_request_and_reads_the_answer() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("Hello!", 11, 2)),
    );
    let provider = claude(with_key(claude_config(&server)));
    let request = CompletionRequest {
        system: Some("Be terse.".into()),
        temperature: Some(0.3),
        tools: vec![ToolDefinition {
            name: "calculator".into(),
            description: "Evaluates arithmetic.".into(),
            parameters: json!({
                "type": "object",
                "properties": { "expression": { "type": "string" } },
                "required": ["expression"]
            }),
        }],
        ..prompt("Say hello.")
    };

    let answer = guard("complete", provider.complete(request)).await;

    assert_eq!(
        answer,
        Ok(Completion {
            text: "Hello!".into(),
            tool_calls: Vec::new(),
            usage: Usage {
                input_tokens: 11,
                output_tokens: 2
            },
            finish_reason: "stop".into(),
        })
    );
    let sent = only_request(&server);
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(sent.header("x-api-key"), Some(KEY));
    assert_eq!(sent.header("content-type"), Some("application/json"));
    // Anthropic authenticates with x-api-key only; an OpenAI-style bearer header would be a
    // second copy of the key on the wire.
    assert_eq!(sent.header("authorization"), None);
    // The whole body, so that a stray field (a `system` message, `stream: false`) fails too.
    // The system prompt is top-level: the messages API rejects a `system` role in messages.
    assert_eq!(
        sent.json(),
        json!({
            "model": "claude-test",
            "max_tokens": 4096,
            "messages": [{ "role": "user", "content": "Say hello." }],
            "system": "Be terse.",
            "temperature": 0.3,
            "tools": [{
                "name": "calculator",
                "description": "Evaluates arithmetic.",
                "input_schema": {
                    "type": "object",
                    "properties": { "expression": { "type": "string" } },
                    "required": ["expression"]
                }
            }]
        })
    );
}

#[tokio::test]
async fn the_key_header_is_sent_only_when_a_key_variable_is_configured() {
    // (with a key variable?, the x-api-key the server must see)
    let cases = [(true, Some(KEY)), (false, None)];
    for (keyed, expected) in cases {
        let server = FakeServer::start();
        server.reply(
            "POST",
            MESSAGES,
            Reply::json(200, anthropic::message("ok", 1, 1)),
        );
        let config = claude_config(&server);
        let config = if keyed { with_key(config) } else { config };
        let answer = guard("complete", claude(config).complete(prompt("hi"))).await;
        assert_eq!(answer.map(|c| c.text), Ok("ok".into()));
        let sent = only_request(&server);
        assert_eq!(sent.header("x-api-key"), expected, "keyed: {keyed}");
        assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    }
}

#[tokio::test]
async fn max_tokens_is_the_agents_value_or_4096() {
    // The messages API requires max_tokens, so the provider must always send one.
    for (requested, sent) in [(None, 4096), (Some(256), 256), (Some(1), 1)] {
        let server = FakeServer::start();
        server.reply(
            "POST",
            MESSAGES,
            Reply::json(200, anthropic::message("ok", 1, 1)),
        );
        let request = CompletionRequest {
            max_tokens: requested,
            ..prompt("hi")
        };
        let answer = guard("complete", claude(claude_config(&server)).complete(request)).await;
        assert!(answer.is_ok(), "{answer:?}");
        assert_eq!(
            only_request(&server).json()["max_tokens"],
            sent,
            "{requested:?}"
        );
    }
}

#[tokio::test]
async fn a_tool_conversation_is_sent_as_content_blocks() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("done", 1, 1)),
    );
    let call = |id: &str, expression: &str| ToolCallRequest {
        id: id.into(),
        name: "calculator".into(),
        arguments: json!({ "expression": expression }),
    };
    let result = |id: &str, content: &str| ChatMessage::ToolResult {
        call_id: id.into(),
        name: "calculator".into(),
        content: content.into(),
        is_error: false,
    };
    let request = CompletionRequest {
        system: Some("Use tools.".into()),
        messages: vec![
            ChatMessage::User("What are 17*23 and 2+2?".into()),
            ChatMessage::Assistant {
                text: "Computing both.".into(),
                tool_calls: vec![call("toolu_a", "17*23"), call("toolu_b", "2+2")],
            },
            result("toolu_a", r#"{"result":391}"#),
            result("toolu_b", r#"{"result":4}"#),
            // A second round with no text: the assistant turn must not carry an empty text
            // block, which the API rejects.
            ChatMessage::Assistant {
                text: String::new(),
                tool_calls: vec![call("toolu_c", "391+4")],
            },
            result("toolu_c", r#"{"result":395}"#),
        ],
        ..prompt("unused")
    };

    let answer = guard("complete", claude(claude_config(&server)).complete(request)).await;

    assert!(answer.is_ok(), "{answer:?}");
    let body = only_request(&server).json();
    assert_eq!(body["system"], "Use tools.");
    // Each turn's results travel in ONE user message (the API requires all results of an
    // assistant turn together), and turns alternate user / assistant.
    assert_eq!(
        body["messages"],
        json!([
            { "role": "user", "content": "What are 17*23 and 2+2?" },
            { "role": "assistant", "content": [
                { "type": "text", "text": "Computing both." },
                { "type": "tool_use", "id": "toolu_a", "name": "calculator",
                  "input": { "expression": "17*23" } },
                { "type": "tool_use", "id": "toolu_b", "name": "calculator",
                  "input": { "expression": "2+2" } }
            ]},
            { "role": "user", "content": [
                { "type": "tool_result", "tool_use_id": "toolu_a", "content": "{\"result\":391}" },
                { "type": "tool_result", "tool_use_id": "toolu_b", "content": "{\"result\":4}" }
            ]},
            { "role": "assistant", "content": [
                { "type": "tool_use", "id": "toolu_c", "name": "calculator",
                  "input": { "expression": "391+4" } }
            ]},
            { "role": "user", "content": [
                { "type": "tool_result", "tool_use_id": "toolu_c", "content": "{\"result\":395}" }
            ]}
        ])
    );
}

#[tokio::test]
async fn a_tool_use_answer_becomes_tool_calls() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        Reply::json(
            200,
            anthropic::tool_use_message(
                &[
                    ("toolu_1", "calculator", json!({ "expression": "17*23" })),
                    ("toolu_2", "datetime", json!({})),
                ],
                Some("Let me compute."),
                20,
                9,
            ),
        ),
    );

    let answer = guard(
        "complete",
        claude(claude_config(&server)).complete(prompt("q")),
    )
    .await;

    assert_eq!(
        answer,
        Ok(Completion {
            text: "Let me compute.".into(),
            tool_calls: vec![
                ToolCallRequest {
                    id: "toolu_1".into(),
                    name: "calculator".into(),
                    arguments: json!({ "expression": "17*23" }),
                },
                ToolCallRequest {
                    id: "toolu_2".into(),
                    name: "datetime".into(),
                    arguments: json!({}),
                },
            ],
            usage: Usage {
                input_tokens: 20,
                output_tokens: 9
            },
            finish_reason: "tool_calls".into(),
        })
    );
}

#[tokio::test]
async fn content_blocks_other_than_text_and_tool_use_are_skipped() {
    // Extended thinking and server tools add block types; their text is not the answer.
    let server = FakeServer::start();
    let mut body = anthropic::message("unused", 5, 6);
    body["content"] = json!([
        { "type": "thinking", "thinking": "secret reasoning", "signature": "sig" },
        { "type": "text", "text": "Part one, " },
        { "type": "redacted_thinking", "data": "opaque" },
        { "type": "text", "text": "part two." }
    ]);
    server.reply("POST", MESSAGES, Reply::json(200, body));

    let answer = guard(
        "complete",
        claude(claude_config(&server)).complete(prompt("q")),
    )
    .await;

    let answer = answer.expect("an answer");
    assert_eq!(answer.text, "Part one, part two.");
    assert!(answer.tool_calls.is_empty());
}

#[tokio::test]
async fn stop_reasons_are_mapped_in_both_modes() {
    // Anthropic's stop_reason -> llmspell's finish_reason, shared with the OpenAI provider.
    // Reasons llmspell has no word for pass through unchanged.
    let cases = [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("tool_use", "tool_calls"),
        ("refusal", "refusal"),
    ];
    for (stop_reason, expected) in cases {
        let server = FakeServer::start();
        let mut body = anthropic::message("x", 1, 1);
        body["stop_reason"] = json!(stop_reason);
        server.reply("POST", MESSAGES, Reply::json(200, body));
        server.reply(
            "POST",
            MESSAGES,
            Reply::sse(anthropic::stream(&["x"], stop_reason, 1, 1)),
        );
        let provider = claude(claude_config(&server));

        let completed = guard("complete", provider.complete(prompt("q"))).await;
        assert_eq!(
            completed.map(|c| c.finish_reason),
            Ok(expected.to_owned()),
            "complete, {stop_reason}"
        );
        let (events, error) = drain(provider.as_ref(), prompt("q")).await;
        assert_eq!(error, None);
        assert!(
            matches!(events.last(), Some(StreamEvent::Finished { finish_reason, .. }) if finish_reason == expected),
            "stream, {stop_reason}: {events:?}"
        );
    }
}

#[tokio::test]
async fn a_streamed_answer_arrives_as_text_events_then_finished() {
    let server = FakeServer::start();
    // The real sequence: message_start (input tokens, provisional output 1), a text block, a
    // ping, three text deltas, message_delta (stop reason, final output tokens), message_stop.
    server.reply(
        "POST",
        MESSAGES,
        Reply::sse(anthropic::stream(
            &["Hel", "lo", ", world"],
            "end_turn",
            25,
            15,
        )),
    );
    let provider = claude(with_key(claude_config(&server)));
    let request = CompletionRequest {
        system: Some("Be terse.".into()),
        temperature: Some(0.5),
        max_tokens: Some(100),
        ..prompt("Greet.")
    };

    let (events, error) = drain(provider.as_ref(), request).await;

    assert_eq!(error, None);
    // Each delta is its own event (not one concatenated text), and the ping yields nothing.
    assert_eq!(
        events,
        vec![
            StreamEvent::Text("Hel".into()),
            StreamEvent::Text("lo".into()),
            StreamEvent::Text(", world".into()),
            StreamEvent::Finished {
                // input from message_start; output from message_delta, replacing the
                // provisional 1 of message_start.
                usage: Usage {
                    input_tokens: 25,
                    output_tokens: 15
                },
                finish_reason: "stop".into(),
            },
        ]
    );
    let sent = only_request(&server);
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(sent.header("x-api-key"), Some(KEY));
    assert_eq!(
        sent.json(),
        json!({
            "model": "claude-test",
            "max_tokens": 100,
            "messages": [{ "role": "user", "content": "Greet." }],
            "system": "Be terse.",
            "temperature": 0.5,
            "stream": true
        })
    );
}

#[tokio::test]
async fn a_streamed_tool_use_is_assembled_from_json_pieces() {
    let server = FakeServer::start();
    let input = json!({ "expression": "(17 * 23) + 1000 - 9", "note": "pieces split mid-token" });
    // The testkit sends the input in 8-character input_json_delta pieces (after an empty one,
    // as the API does), so pieces end inside strings and keys.
    assert!(input.to_string().len() > 3 * anthropic::PARTIAL_JSON_CHARS);
    server.reply(
        "POST",
        MESSAGES,
        Reply::sse(anthropic::stream_tool_use(
            &[
                ("toolu_1", "calculator", input.clone()),
                ("toolu_2", "datetime", json!({})),
            ],
            Some("Checking."),
            30,
            40,
        )),
    );

    let (events, error) = drain(claude(claude_config(&server)).as_ref(), prompt("q")).await;

    assert_eq!(error, None);
    assert_eq!(
        events,
        vec![
            StreamEvent::Text("Checking.".into()),
            StreamEvent::ToolCall(ToolCallRequest {
                id: "toolu_1".into(),
                name: "calculator".into(),
                arguments: input,
            }),
            StreamEvent::ToolCall(ToolCallRequest {
                id: "toolu_2".into(),
                name: "datetime".into(),
                arguments: json!({}),
            }),
            StreamEvent::Finished {
                usage: Usage {
                    input_tokens: 30,
                    output_tokens: 40
                },
                finish_reason: "tool_calls".into(),
            },
        ]
    );
}

#[tokio::test]
async fn unknown_events_and_deltas_are_ignored() {
    // Anthropic may add event types, block types and delta types at any time and asks
    // clients to skip what they do not know; the answer must come through unchanged.
    let mut events = anthropic::stream(&["Hi", " there"], "end_turn", 12, 7);
    let extra_after_start = vec![
        event(
            "future_event_type",
            json!({ "detail": { "nested": [1, 2] } }),
        ),
        event(
            "content_block_start",
            json!({ "index": 5, "content_block": { "type": "thinking", "thinking": "" } }),
        ),
        event(
            "content_block_delta",
            json!({ "index": 5, "delta": { "type": "thinking_delta", "thinking": "hmm" } }),
        ),
        event(
            "content_block_delta",
            json!({ "index": 5, "delta": { "type": "signature_delta", "signature": "EqQB" } }),
        ),
        event("content_block_stop", json!({ "index": 5 })),
    ];
    events.splice(1..1, extra_after_start);
    // Just before message_delta: a citations delta on the text block and another new event.
    let at = events.len() - 2;
    events.splice(
        at..at,
        vec![
            event(
                "content_block_delta",
                json!({ "index": 0, "delta": { "type": "citations_delta", "citation": {} } }),
            ),
            event("ping", json!({})),
            event("message_annotation", json!({ "annotation": "new" })),
        ],
    );
    let server = FakeServer::start();
    server.reply("POST", MESSAGES, Reply::sse(events));

    let (events, error) = drain(claude(claude_config(&server)).as_ref(), prompt("q")).await;

    assert_eq!(error, None);
    assert_eq!(
        events,
        vec![
            StreamEvent::Text("Hi".into()),
            StreamEvent::Text(" there".into()),
            StreamEvent::Finished {
                usage: Usage {
                    input_tokens: 12,
                    output_tokens: 7
                },
                finish_reason: "stop".into(),
            },
        ]
    );
}

#[tokio::test]
async fn events_are_yielded_as_they_arrive() {
    // A provider that buffered the whole stream would satisfy every other stream test; the
    // first chunk must reach the caller long before the last one is sent.
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        Reply::sse(anthropic::stream(&["first", "second"], "end_turn", 1, 2))
            .event_delay(Duration::from_millis(60)),
    );
    let provider = claude(claude_config(&server));
    let started = Instant::now();
    let mut stream = guard("open", provider.stream(prompt("q")))
        .await
        .expect("stream opens");
    let first = guard("first event", stream.next()).await;
    let first_at = started.elapsed();
    assert_eq!(first, Some(Ok(StreamEvent::Text("first".into()))));
    let rest: Vec<_> = guard("rest", stream.collect::<Vec<_>>()).await;
    let total = started.elapsed();
    assert_eq!(rest.len(), 2, "{rest:?}");
    // 8 events with 60 ms between them: the first text (event 4) at ~180 ms, the end at ~420.
    assert!(
        total - first_at >= Duration::from_millis(150),
        "first text at {first_at:?}, end at {total:?}: the stream was buffered"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Through Lua: agents, streaming, the tool-calling loop
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn lua_execute_returns_text_usage_and_finish_reason() {
    let server = FakeServer::start();
    let mut body = anthropic::message("The answer is 391.", 14, 6);
    body["stop_reason"] = json!("max_tokens");
    server.reply("POST", MESSAGES, Reply::json(200, body));

    let outcome = run_lua(
        claude_config(&server),
        r#"
        local a = Agent.create{ model = "claude/claude-test", system = "Be terse.",
                                temperature = 0.2, max_tokens = 50 }
        local r = a:execute("What is 17 * 23?")
        print(r.text, r.model, r.usage.input_tokens, r.usage.output_tokens, r.finish_reason,
              #r.tool_calls)
        "#,
    )
    .await;

    assert_ok(&outcome);
    assert_eq!(
        outcome.stdout(),
        "The answer is 391.\tclaude/claude-test\t14\t6\tlength\t0\n"
    );
    let body = only_request(&server).json();
    assert_eq!(
        (
            &body["model"],
            &body["system"],
            &body["temperature"],
            &body["max_tokens"]
        ),
        (
            &json!("claude-test"),
            &json!("Be terse."),
            &json!(0.2),
            &json!(50)
        )
    );
    // An agent without tools offers none (an empty `tools` list is a 400 at Anthropic).
    assert_eq!(body.get("tools"), None);
}

#[tokio::test]
async fn lua_a_conversation_keeps_system_text_out_of_the_messages() {
    // The messages API has no `system` role: system messages of a script's conversation must
    // join the agent's system prompt at the top level.
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("ok", 1, 1)),
    );

    let outcome = run_lua(
        claude_config(&server),
        r#"
        local a = Agent.create{ model = "claude/claude-test", system = "Be terse." }
        print(a:execute{ messages = {
            { role = "system", content = "Answer in French." },
            { role = "user", content = "earlier question" },
            { role = "assistant", content = "earlier answer" },
        }, prompt = "now" }.text)
        "#,
    )
    .await;

    assert_ok(&outcome);
    let body = only_request(&server).json();
    assert_eq!(body["system"], "Be terse.\n\nAnswer in French.");
    assert_eq!(
        body["messages"],
        json!([
            { "role": "user", "content": "earlier question" },
            { "role": "assistant", "content": [{ "type": "text", "text": "earlier answer" }] },
            { "role": "user", "content": "now" }
        ])
    );
}

#[tokio::test]
async fn lua_stream_yields_chunks_and_token_events() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        Reply::sse(anthropic::stream(
            &["Once", " upon", " a time"],
            "end_turn",
            5,
            3,
        )),
    );

    let outcome = run_lua(
        claude_config(&server),
        r#"
        local teller = Agent.create{ name = "teller", model = "claude/claude-test" }
        for chunk in teller:stream("Tell a story") do io.write("<", chunk, ">") end
        print()
        "#,
    )
    .await;

    assert_ok(&outcome);
    assert_eq!(outcome.stdout(), "<Once>< upon>< a time>\n");
    assert_eq!(
        token_events(&outcome),
        [
            ("teller", "Once"),
            ("teller", " upon"),
            ("teller", " a time")
        ]
        .map(|(a, t)| (a.to_owned(), t.to_owned()))
    );
    assert_eq!(only_request(&server).json()["stream"], true);
}

#[tokio::test]
async fn lua_tool_loop_runs_the_calculator_and_sends_its_result_back() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        tool_use_reply(
            &[calculator_call("toolu_01", "17*23")],
            Some("Let me compute."),
        ),
    );
    server.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("17 * 23 = 391", 20, 6)),
    );

    let outcome = run_lua(
        claude_config(&server),
        r#"
        local calc = Agent.create{ name = "calc", model = "claude/claude-test",
                                   system = "Use the calculator.", tools = { "calculator" } }
        local r = calc:execute("What is 17 * 23?")
        print(r.text, r.finish_reason, r.usage.input_tokens, r.usage.output_tokens, #r.tool_calls)
        local call = r.tool_calls[1]
        print(call.name, call.params.expression, call.result.result, call.error)
        "#,
    )
    .await;

    assert_ok(&outcome);
    // Usage adds up both rounds (10+20 in, 5+6 out).
    assert_eq!(
        outcome.stdout(),
        "17 * 23 = 391\tstop\t30\t11\t1\ncalculator\t17*23\t391\tnil\n"
    );
    assert_eq!(
        tool_call_events(&outcome),
        vec![(
            "calculator".to_owned(),
            Some("calc".to_owned()),
            json!({ "expression": "17*23" }),
            Some(json!({ "result": 391 })),
            None
        )]
    );

    let requests = server.requests_for("POST", MESSAGES);
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let first = requests[0].json();
    assert_eq!(first["system"], "Use the calculator.");
    let tool = &first["tools"][0];
    assert_eq!(tool["name"], "calculator");
    assert!(
        tool["description"]
            .as_str()
            .is_some_and(|d| d.contains("arithmetic")),
        "{tool}"
    );
    assert_eq!(tool["input_schema"]["type"], "object");
    assert_eq!(
        tool["input_schema"]["properties"]["expression"]["type"],
        "string"
    );
    assert_eq!(tool["input_schema"]["required"], json!(["expression"]));

    let second = requests[1].json();
    let messages = second["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 3, "{second:#}");
    assert_eq!(
        messages[0],
        json!({ "role": "user", "content": "What is 17 * 23?" })
    );
    assert_eq!(
        messages[1],
        json!({ "role": "assistant", "content": [
            { "type": "text", "text": "Let me compute." },
            { "type": "tool_use", "id": "toolu_01", "name": "calculator",
              "input": { "expression": "17*23" } }
        ]})
    );
    assert_eq!(messages[2]["role"], "user");
    let results = messages[2]["content"]
        .as_array()
        .expect("tool_result blocks");
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["type"], "tool_result");
    assert_eq!(results[0]["tool_use_id"], "toolu_01");
    assert!(
        results[0]["content"]
            .as_str()
            .is_some_and(|c| c.contains("391")),
        "{results:?}"
    );
    // The follow-up still offers the tools, so the model may call again.
    assert_eq!(second["tools"], first["tools"]);
}

#[tokio::test]
async fn lua_two_tool_calls_in_one_turn_share_one_user_message() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        tool_use_reply(
            &[
                calculator_call("toolu_a", "17*23"),
                calculator_call("toolu_b", "2+2"),
            ],
            None,
        ),
    );
    server.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("391 and 4", 20, 6)),
    );

    let outcome = run_lua(
        claude_config(&server),
        r#"
        local calc = Agent.create{ name = "calc", model = "claude/claude-test",
                                   tools = { "calculator" } }
        local r = calc:execute("17*23 and 2+2?")
        print(r.text, #r.tool_calls, r.tool_calls[1].result.result, r.tool_calls[2].result.result)
        "#,
    )
    .await;

    assert_ok(&outcome);
    assert_eq!(outcome.stdout(), "391 and 4\t2\t391\t4\n");
    let calls = tool_call_events(&outcome);
    assert_eq!(
        calls
            .iter()
            .map(|(tool, agent, params, result, _)| (
                tool.as_str(),
                agent.as_deref(),
                params.clone(),
                result.clone()
            ))
            .collect::<Vec<_>>(),
        vec![
            (
                "calculator",
                Some("calc"),
                json!({ "expression": "17*23" }),
                Some(json!({ "result": 391 }))
            ),
            (
                "calculator",
                Some("calc"),
                json!({ "expression": "2+2" }),
                Some(json!({ "result": 4 }))
            ),
        ]
    );
    let requests = server.requests_for("POST", MESSAGES);
    assert_eq!(requests.len(), 2);
    let messages = requests[1].json()["messages"].clone();
    assert_eq!(messages.as_array().map(Vec::len), Some(3), "{messages:#}");
    // No empty text block before the tool_use blocks of a turn without text.
    assert_eq!(
        messages[1]["content"]
            .as_array()
            .map(|blocks| blocks.iter().map(|b| b["type"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("tool_use"), json!("tool_use")])
    );
    let results = messages[2]["content"]
        .as_array()
        .expect("one user message of results");
    assert_eq!(messages[2]["role"], "user");
    assert_eq!(
        results
            .iter()
            .map(|b| (b["type"].clone(), b["tool_use_id"].clone()))
            .collect::<Vec<_>>(),
        vec![
            (json!("tool_result"), json!("toolu_a")),
            (json!("tool_result"), json!("toolu_b"))
        ]
    );
    assert!(
        results[0]["content"]
            .as_str()
            .is_some_and(|c| c.contains("391"))
    );
    assert!(
        results[1]["content"]
            .as_str()
            .is_some_and(|c| c.contains('4'))
    );
}

#[tokio::test]
async fn lua_a_call_to_an_unknown_tool_is_answered_with_an_error_result() {
    // A model may name a tool it was not offered; the loop must tell it so and go on.
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        tool_use_reply(
            &[("toolu_x".into(), "shell".into(), json!({ "cmd": "ls" }))],
            None,
        ),
    );
    server.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("Sorry.", 1, 1)),
    );

    let outcome = run_lua(
        claude_config(&server),
        r#"
        local calc = Agent.create{ name = "calc", model = "claude/claude-test",
                                   tools = { "calculator" } }
        local r = calc:execute("list files")
        print(r.text, r.tool_calls[1].name, r.tool_calls[1].error)
        "#,
    )
    .await;

    assert_ok(&outcome);
    assert_eq!(
        outcome.stdout(),
        "Sorry.\tshell\tunknown tool 'shell'; this agent's tools are: calculator\n"
    );
    let requests = server.requests_for("POST", MESSAGES);
    assert_eq!(requests.len(), 2);
    let result = &requests[1].json()["messages"][2]["content"][0];
    assert_eq!(result["tool_use_id"], "toolu_x");
    assert!(
        result["content"]
            .as_str()
            .is_some_and(|c| c.contains("unknown tool 'shell'")),
        "{result}"
    );
}

#[tokio::test]
async fn lua_tool_loop_while_streaming() {
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        streamed_tool_use_reply(
            &[calculator_call("toolu_01", "17*23")],
            Some("Let me compute."),
        ),
    );
    server.reply(
        "POST",
        MESSAGES,
        Reply::sse(anthropic::stream(&["17*23 ", "= 391"], "end_turn", 20, 6)),
    );

    let outcome = run_lua(
        claude_config(&server),
        r#"
        local calc = Agent.create{ name = "calc", model = "claude/claude-test",
                                   tools = { "calculator" } }
        for chunk in calc:stream("What is 17 * 23?") do io.write("<", chunk, ">") end
        print()
        "#,
    )
    .await;

    assert_ok(&outcome);
    // The text of both rounds streams through; the tool round runs in between.
    assert_eq!(outcome.stdout(), "<Let me compute.><17*23 ><= 391>\n");
    assert_eq!(
        token_events(&outcome)
            .into_iter()
            .map(|(agent, text)| format!("{agent}:{text}"))
            .collect::<Vec<_>>(),
        ["calc:Let me compute.", "calc:17*23 ", "calc:= 391"]
    );
    assert_eq!(
        tool_call_events(&outcome),
        vec![(
            "calculator".to_owned(),
            Some("calc".to_owned()),
            json!({ "expression": "17*23" }),
            Some(json!({ "result": 391 })),
            None
        )]
    );
    let requests = server.requests_for("POST", MESSAGES);
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let second = requests[1].json();
    assert_eq!(second["stream"], true);
    assert_eq!(
        second["messages"][1],
        json!({ "role": "assistant", "content": [
            { "type": "text", "text": "Let me compute." },
            { "type": "tool_use", "id": "toolu_01", "name": "calculator",
              "input": { "expression": "17*23" } }
        ]})
    );
    let result = &second["messages"][2];
    assert_eq!(result["role"], "user");
    assert_eq!(result["content"][0]["type"], "tool_result");
    assert_eq!(result["content"][0]["tool_use_id"], "toolu_01");
    assert!(
        result["content"][0]["content"]
            .as_str()
            .is_some_and(|c| c.contains("391")),
        "{result}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Faults: clear errors, bounded time, no panics
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Complete,
    Stream,
}

const BOTH: &[Mode] = &[Mode::Complete, Mode::Stream];
const COMPLETE: &[Mode] = &[Mode::Complete];
const STREAM: &[Mode] = &[Mode::Stream];

/// A good answer in the format `mode` expects.
fn answer(mode: Mode, text: &str) -> Reply {
    match mode {
        Mode::Complete => Reply::json(200, anthropic::message(text, 3, 2)),
        Mode::Stream => Reply::sse(anthropic::stream(&[text], "end_turn", 3, 2)),
    }
}

fn api_error(status: u16, kind: &str, message: &str) -> Reply {
    Reply::json(status, anthropic::error(kind, message))
}

/// A base URL on 127.0.0.1 where nothing listens any more.
fn dead_base_url() -> String {
    let server = FakeServer::start();
    let url = server.base_url();
    drop(server);
    url
}

struct Fault {
    name: &'static str,
    modes: &'static [Mode],
    /// Adjusts `claude_config` (retries 2, read timeout 2 s, no key variable).
    setup: fn(&mut ProviderConfig),
    /// The server's answers in order; the mode picks the format of a good answer.
    replies: fn(Mode) -> Vec<Reply>,
    /// `Ok(text)` when the call recovers; otherwise texts the error must contain, the first
    /// being the full message or its start.
    expect: Result<&'static str, &'static [&'static str]>,
    /// Requests the server must have received: proves what was (not) retried.
    requests: usize,
    /// Wall-time bounds in ms: the lower one proves waits are honoured, the upper one that
    /// nothing hangs or waits longer than configured.
    within_ms: (u64, u64),
}

fn no_setup(_: &mut ProviderConfig) {}

const FAULTS: &[Fault] = &[
    Fault {
        name: "429 with Retry-After: 1, then an answer",
        modes: BOTH,
        setup: no_setup,
        replies: |mode| {
            vec![
                api_error(
                    429,
                    "rate_limit_error",
                    "Number of requests exceeded your rate limit",
                )
                .header("retry-after", "1"),
                answer(mode, "recovered"),
            ]
        },
        expect: Ok("recovered"),
        requests: 2,
        // Retry-After: 1 (not the 0.5 s backoff) must be waited for.
        within_ms: (950, 3_000),
    },
    Fault {
        name: "529 overloaded (Anthropic's own status), then an answer",
        modes: BOTH,
        setup: no_setup,
        replies: |mode| {
            vec![
                api_error(529, "overloaded_error", "Overloaded"),
                answer(mode, "recovered"),
            ]
        },
        expect: Ok("recovered"),
        requests: 2,
        within_ms: (450, 3_000),
    },
    Fault {
        name: "500 on every try with max_retries 2",
        modes: BOTH,
        setup: |c| c.max_retries = 2,
        // `.repeat()`: a fourth attempt would be answered too, and counted.
        replies: |_| vec![api_error(500, "api_error", "Internal server error").repeat()],
        expect: Err(&[
            "claude: HTTP 500 Internal Server Error: Internal server error (gave up after 2 retries)",
        ]),
        requests: 3,
        // Backoff 0.5 s then 1 s.
        within_ms: (1_400, 4_000),
    },
    Fault {
        name: "529 on every try with max_retries 1",
        modes: COMPLETE,
        setup: |c| c.max_retries = 1,
        replies: |_| vec![api_error(529, "overloaded_error", "Overloaded").repeat()],
        expect: Err(&["claude: HTTP 529", ": Overloaded (gave up after 1 retry)"]),
        requests: 2,
        within_ms: (450, 3_000),
    },
    Fault {
        name: "401 authentication_error with a key variable",
        modes: BOTH,
        setup: |c| c.api_key_env = Some(KEY_ENV.into()),
        replies: |_| vec![api_error(401, "authentication_error", "invalid x-api-key")],
        expect: Err(&[
            "claude: HTTP 401 Unauthorized: invalid x-api-key (check the API key in CARGO_PKG_NAME)",
        ]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "401 authentication_error without a key variable",
        modes: COMPLETE,
        setup: no_setup,
        replies: |_| {
            vec![api_error(
                401,
                "authentication_error",
                "x-api-key header is required",
            )]
        },
        expect: Err(&[
            "claude: HTTP 401 Unauthorized: x-api-key header is required (this provider has no api_key_env configured)",
        ]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "404 not_found_error for an unknown model",
        modes: BOTH,
        setup: no_setup,
        replies: |_| vec![api_error(404, "not_found_error", "model: claude-test")],
        expect: Err(&[
            "claude: HTTP 404 Not Found: model: claude-test (check the model id and base_url)",
        ]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "400 invalid_request_error is not retried",
        modes: COMPLETE,
        setup: no_setup,
        replies: |_| {
            vec![api_error(
                400,
                "invalid_request_error",
                "max_tokens: 4096 > 1024, the maximum",
            )]
        },
        expect: Err(&["claude: HTTP 400 Bad Request: max_tokens: 4096 > 1024, the maximum"]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "502 from a proxy with a body that is not JSON",
        modes: COMPLETE,
        setup: |c| c.max_retries = 0,
        replies: |_| vec![Reply::text(502, "<html><h1>502 Bad Gateway</h1></html>")],
        expect: Err(&["claude: HTTP 502 Bad Gateway: <html><h1>502 Bad Gateway</h1></html>"]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "Retry-After longer than llmspell waits",
        modes: COMPLETE,
        setup: no_setup,
        replies: |_| {
            vec![api_error(429, "rate_limit_error", "slow down").header("retry-after", "120")]
        },
        expect: Err(&[
            "claude: HTTP 429 Too Many Requests: the server asked to retry after 120 s, longer than llmspell waits",
        ]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "slow first byte against read_timeout_ms",
        modes: BOTH,
        setup: |c| c.read_timeout_ms = 200,
        replies: |mode| vec![answer(mode, "late").delay_first_byte(Duration::from_millis(1_500))],
        expect: Err(&["claude: no response within 200 ms (read_timeout_ms)"]),
        requests: 1,
        within_ms: (180, 1_200),
    },
    Fault {
        name: "the stream stalls between events",
        modes: STREAM,
        setup: |c| c.read_timeout_ms = 200,
        replies: |_| {
            vec![
                Reply::sse(anthropic::stream(&["Hel", "lo"], "end_turn", 3, 2))
                    .event_delay(Duration::from_millis(1_500)),
            ]
        },
        expect: Err(&["claude: the stream stalled: no data for 200 ms (read_timeout_ms)"]),
        requests: 1,
        within_ms: (180, 1_200),
    },
    Fault {
        name: "the connection is cut mid-stream",
        modes: STREAM,
        setup: no_setup,
        // message_start, content_block_start, ping, the first delta, then the cut.
        replies: |_| {
            vec![
                Reply::sse(anthropic::stream(&["Hel", "lo"], "end_turn", 3, 2))
                    .truncate_after_events(4),
            ]
        },
        expect: Err(&["claude: the stream was cut mid-answer"]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "the stream ends cleanly without message_stop",
        modes: STREAM,
        setup: no_setup,
        replies: |_| vec![Reply::sse(stream_without_stop(&["Hel", "lo"]))],
        expect: Err(&["claude: the stream ended before the answer was complete"]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "malformed JSON body",
        modes: COMPLETE,
        setup: no_setup,
        replies: |_| {
            vec![
                Reply::text(200, r#"{"id":"msg_1","content":[{"type":"text","te"#)
                    .header("content-type", "application/json"),
            ]
        },
        expect: Err(&[
            "claude: malformed JSON in the response (",
            r#"{"id":"msg_1","content":[{"type":"text","te"#,
        ]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "malformed JSON in an event's data",
        modes: STREAM,
        setup: no_setup,
        replies: |_| {
            let mut events = anthropic::stream(&["Hel", "lo"], "end_turn", 3, 2);
            events[3] = SseEvent::named(
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","#,
            );
            vec![Reply::sse(events)]
        },
        expect: Err(&["claude: malformed JSON in a 'content_block_delta' event ("]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "an error event inside a 200 stream",
        modes: STREAM,
        setup: no_setup,
        replies: |_| {
            let mut events = anthropic::stream(&["Hel", "lo"], "end_turn", 3, 2);
            // After the first delta; the real API then ends the stream.
            events.truncate(4);
            events.push(anthropic::error_event("overloaded_error", "Overloaded"));
            vec![Reply::sse(events)]
        },
        expect: Err(&["claude: overloaded_error: Overloaded"]),
        // An answer already under way is not retried: its text was already delivered.
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "a 200 whose body is an error object",
        modes: COMPLETE,
        setup: no_setup,
        replies: |_| {
            vec![Reply::json(
                200,
                anthropic::error("api_error", "Internal server error"),
            )]
        },
        expect: Err(&["claude: api_error: Internal server error"]),
        requests: 1,
        within_ms: (0, 1_000),
    },
    Fault {
        name: "nothing listens at the base URL",
        modes: BOTH,
        setup: |c| {
            c.base_url = Some(dead_base_url());
            c.max_retries = 1;
        },
        replies: |_| Vec::new(),
        expect: Err(&["claude: cannot connect: "]),
        // The case's own server is not the one the provider was pointed at.
        requests: 0,
        within_ms: (450, 2_000),
    },
    Fault {
        name: "the key variable is not set",
        modes: BOTH,
        setup: |c| c.api_key_env = Some("LLMSPELL_TEST_VARIABLE_THAT_IS_NEVER_SET".into()),
        replies: |mode| vec![answer(mode, "must not be asked")],
        expect: Err(&[
            "claude: the API key variable LLMSPELL_TEST_VARIABLE_THAT_IS_NEVER_SET is not set (set it, or name another with api_key_env in [providers.claude])",
        ]),
        requests: 0,
        within_ms: (0, 500),
    },
];

/// Runs one case in one mode; returns what went wrong, if anything.
async fn run_fault(fault: &Fault, mode: Mode) -> Result<(), String> {
    let server = FakeServer::start();
    for reply in (fault.replies)(mode) {
        server.reply("POST", MESSAGES, reply);
    }
    let mut config = claude_config(&server);
    (fault.setup)(&mut config);
    let provider = claude(config);
    let started = Instant::now();
    let outcome = match mode {
        Mode::Complete => guard(fault.name, provider.complete(prompt("hi")))
            .await
            .map(|c| c.text),
        Mode::Stream => {
            let (events, error) = drain(provider.as_ref(), prompt("hi")).await;
            error.map_or_else(|| Ok(text_of(&events)), Err)
        }
    };
    let elapsed = started.elapsed();
    let mut problems = Vec::new();
    match (&fault.expect, &outcome) {
        (Ok(text), Ok(actual)) if text == actual => {}
        (Err(parts), Err(actual))
            if actual.starts_with(parts[0]) && parts.iter().all(|p| actual.contains(p)) => {}
        (expected, actual) => problems.push(format!("expected {expected:?}, got {actual:?}")),
    }
    let requests = server.requests_for("POST", MESSAGES).len();
    if requests != fault.requests {
        problems.push(format!(
            "the server got {requests} requests, expected {}",
            fault.requests
        ));
    }
    let (min, max) = fault.within_ms;
    let ms = elapsed.as_millis() as u64;
    if ms < min || ms > max {
        problems.push(format!("took {ms} ms, expected {min}..={max} ms"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} [{mode:?}]: {}",
            fault.name,
            problems.join("; ")
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_give_clear_errors_in_bounded_time() {
    // Concurrently: the retry cases wait for real, and in sequence they would add up.
    let runs = FAULTS
        .iter()
        .flat_map(|fault| fault.modes.iter().map(move |mode| run_fault(fault, *mode)));
    let failures: Vec<String> = join_all(runs)
        .await
        .into_iter()
        .filter_map(Result::err)
        .collect();
    assert!(
        failures.is_empty(),
        "{} fault case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn text_before_a_stream_failure_is_delivered_first() {
    // What arrived before the cut is not lost: the caller gets it, then the error.
    let server = FakeServer::start();
    server.reply(
        "POST",
        MESSAGES,
        Reply::sse(anthropic::stream(&["Hel", "lo"], "end_turn", 3, 2)).truncate_after_events(5),
    );

    let (events, error) = drain(claude(claude_config(&server)).as_ref(), prompt("q")).await;

    assert_eq!(
        events,
        vec![
            StreamEvent::Text("Hel".into()),
            StreamEvent::Text("lo".into())
        ]
    );
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.starts_with("claude: the stream was cut mid-answer")),
        "{error:?}"
    );
}

/// Lua: (what the server answers, `execute` or `stream`, text the script's error must contain).
type LuaFault = (&'static str, fn() -> Reply, &'static str, &'static str);

const LUA_FAULTS: &[LuaFault] = &[
    (
        "401",
        || api_error(401, "authentication_error", "invalid x-api-key"),
        "execute",
        "claude: HTTP 401 Unauthorized: invalid x-api-key (check the API key in CARGO_PKG_NAME)",
    ),
    (
        "404",
        || api_error(404, "not_found_error", "model: claude-test"),
        "execute",
        "claude: HTTP 404 Not Found: model: claude-test (check the model id and base_url)",
    ),
    (
        "error event mid-stream",
        || {
            let mut events = anthropic::stream(&["Hel", "lo"], "end_turn", 3, 2);
            events.truncate(4);
            events.push(anthropic::error_event("overloaded_error", "Overloaded"));
            Reply::sse(events)
        },
        "stream",
        "claude: overloaded_error: Overloaded",
    ),
    (
        "stream without message_stop",
        || Reply::sse(stream_without_stop(&["Hel", "lo"])),
        "stream",
        "claude: the stream ended before the answer was complete",
    ),
    (
        "slow first byte",
        || answer(Mode::Complete, "late").delay_first_byte(Duration::from_millis(1_500)),
        "execute",
        "claude: no response within 200 ms (read_timeout_ms)",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lua_provider_errors_are_catchable_and_uncaught_ones_exit_1() {
    let runs = LUA_FAULTS
        .iter()
        .map(|&(name, reply, method, expected)| async move {
            let server = FakeServer::start();
            server.reply("POST", MESSAGES, reply());
            server.reply("POST", MESSAGES, reply());
            let config = ProviderConfig {
                max_retries: 0,
                read_timeout_ms: 200,
                ..with_key(claude_config(&server))
            };
            let call = match method {
                "execute" => "local r = w:execute('hi') io.write(r.text)",
                _ => "for chunk in w:stream('hi') do io.write('<', chunk, '>') end",
            };
            let setup = "local w = Agent.create{ name = 'writer', model = 'claude/claude-test' }";
            let caught = run_lua(
                config.clone(),
                &format!(
                    "{setup}\nlocal ok, err = pcall(function() {call} end)\nprint()\nprint(ok, err)"
                ),
            )
            .await;
            let uncaught = run_lua(config, &format!("{setup}\n{call}\nprint('not reached')")).await;

            let mut problems = Vec::new();
            // Caught: the script goes on and sees the message, prefixed with the call and agent.
            let stdout = caught.stdout();
            let printed = stdout.lines().last().unwrap_or_default();
            // Line 2 of the script is the pcall; the message names the call, then the agent.
            let prefix = format!(
                "false\tclaude.lua:2: agent:{method}: agent 'writer' (claude/claude-test): "
            );
            if caught.exit_code != 0 || caught.error().is_some() {
                problems.push(format!("pcall did not catch: {:?}", caught.error()));
            }
            if !(printed.starts_with(&prefix) && printed.contains(expected)) {
                problems.push(format!("pcall saw {printed:?}"));
            }
            // Uncaught: exit code 1 and the same message as the run's error.
            let error = uncaught.error().unwrap_or_default();
            if uncaught.exit_code != 1
                || !error.contains(expected)
                || !error.contains("agent 'writer'")
            {
                problems.push(format!(
                    "uncaught: exit code {}, error {error:?}",
                    uncaught.exit_code
                ));
            }
            if uncaught.stdout().contains("not reached") {
                problems.push("the script went on after an uncaught error".into());
            }
            // Text streamed before a mid-stream error reached the script.
            if name == "error event mid-stream" && !uncaught.stdout().starts_with("<Hel>") {
                problems.push(format!("stdout {:?}", uncaught.stdout()));
            }
            (!problems.is_empty()).then(|| format!("{name}: {}", problems.join("; ")))
        });
    let failures: Vec<String> = join_all(runs).await.into_iter().flatten().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 4. Secrets
// ---------------------------------------------------------------------------------------------

/// Every place a run can show text: the events (as JSON and as Debug) and its stdout.
fn assert_key_absent(outcome: &RunOutcome) {
    for event in &outcome.events {
        let json = serde_json::to_string(event).expect("events serialise");
        assert!(!json.contains(KEY), "the API key is in an event: {json}");
        let debug = format!("{event:?}");
        assert!(!debug.contains(KEY), "the API key is in an event: {debug}");
    }
    assert!(!outcome.stdout().contains(KEY), "{}", outcome.stdout());
}

#[tokio::test]
async fn lua_the_key_reaches_the_server_but_no_event_output_or_error() {
    let server = FakeServer::start();
    let replies = [
        Reply::json(200, anthropic::message("plain answer", 1, 1)),
        Reply::sse(anthropic::stream(
            &["streamed", " answer"],
            "end_turn",
            1,
            2,
        )),
        tool_use_reply(&[calculator_call("toolu_1", "6*7")], None),
        Reply::json(200, anthropic::message("42", 1, 1)),
        // Providers quote a rejected key in their message (OpenAI does, verbatim or masked).
        api_error(
            401,
            "authentication_error",
            &format!("invalid x-api-key: {KEY}"),
        ),
        api_error(
            401,
            "authentication_error",
            &format!("key ...{} revoked", &KEY[KEY.len() - 8..]),
        ),
    ];
    for reply in replies {
        server.reply("POST", MESSAGES, reply);
    }
    let config = ProviderConfig {
        max_retries: 0,
        ..with_key(claude_config(&server))
    };

    let outcome = run_lua(
        config,
        r#"
        local a = Agent.create{ name = "keyed", model = "claude/claude-test",
                                tools = { "calculator" } }
        print(a.name, a.model, tostring(a))
        print(a:execute("one").text)
        for chunk in a:stream("two") do io.write(chunk) end
        print()
        local r = a:execute("three")
        print(r.text, r.tool_calls[1].result.result)
        print(pcall(function() return a:execute("four") end))
        a:execute("five")
        "#,
    )
    .await;

    // The key was really in play: every request carried it.
    let requests = server.requests_for("POST", MESSAGES);
    assert_eq!(requests.len(), 6, "{}", outcome.stdout());
    for request in &requests {
        assert_eq!(request.header("x-api-key"), Some(KEY));
    }
    assert_eq!(outcome.exit_code, 1);
    let error = outcome.error().expect("the last call fails");
    assert!(
        error.contains("agent 'keyed' (claude/claude-test)"),
        "{error}"
    );
    assert!(outcome.stdout().contains("false\t"), "{}", outcome.stdout());
    assert_key_absent(&outcome);
}

/// Errors built from what the server sent, where the server quotes the key. None may carry
/// it (`ProviderError`: "It never contains an API key"), and each must still say which
/// provider failed and why (`ProviderError`: "naming the provider").
#[tokio::test]
async fn provider_errors_never_carry_the_key_and_still_name_the_provider() {
    // (name, mode, reply, text the error must start with)
    type Case = (&'static str, Mode, Reply, &'static str);
    let quoted = format!("invalid x-api-key: {KEY}");
    let cases: Vec<Case> = vec![
        (
            "401 quoting the key",
            Mode::Complete,
            api_error(401, "authentication_error", &quoted),
            "claude: HTTP 401 Unauthorized",
        ),
        (
            "error event quoting the key",
            Mode::Stream,
            Reply::sse(vec![anthropic::error_event(
                "authentication_error",
                &quoted,
            )]),
            "claude: authentication_error",
        ),
        (
            "200 error body quoting the key",
            Mode::Complete,
            Reply::json(200, anthropic::error("authentication_error", &quoted)),
            "claude: authentication_error",
        ),
        (
            "malformed body quoting the key",
            Mode::Complete,
            Reply::text(200, &format!("{{\"error\": \"{quoted}")),
            "claude: malformed JSON in the response",
        ),
    ];
    let mut failures = Vec::new();
    for (name, mode, reply, start) in cases {
        let server = FakeServer::start();
        server.reply("POST", MESSAGES, reply);
        let provider = claude(with_key(claude_config(&server)));
        let error = match mode {
            Mode::Complete => guard(name, provider.complete(prompt("hi"))).await.err(),
            Mode::Stream => drain(provider.as_ref(), prompt("hi")).await.1,
        };
        let error = error.unwrap_or_default();
        if error.contains(KEY) {
            failures.push(format!("{name}: the key is in the error: {error:?}"));
        } else if !error.starts_with(start) {
            failures.push(format!(
                "{name}: expected an error starting {start:?}, got {error:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[tokio::test]
async fn an_agent_base_url_does_not_receive_the_providers_key() {
    // The config gives `claude` a key for the server it names. A script's agent then points
    // `base_url` at another server, which must not receive that key: keys are "never sent to
    // a base_url you configured unless you name the variable" (README), and the sandbox keeps
    // scripts from reading the environment, so a script must not be able to mail the key to
    // a server of its choosing either. Refusing the call or sending it without the key both
    // pass. (The configured server is a local one rather than api.anthropic.com, so that no
    // behaviour of the provider can make this test leave 127.0.0.1.)
    let configured = FakeServer::start();
    let elsewhere = FakeServer::start();
    elsewhere.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("hi", 1, 1)),
    );
    configured.reply(
        "POST",
        MESSAGES,
        Reply::json(200, anthropic::message("hi", 1, 1)),
    );
    let config = ProviderConfig {
        max_retries: 0,
        ..with_key(claude_config(&configured))
    };
    // The second agent names the configured server itself (with a trailing slash): that is
    // where the key belongs, so it must still be sent there.
    let source = format!(
        "local a = Agent.create{{ model = 'claude/claude-test', base_url = '{}' }}\n\
         print(pcall(function() return a:execute('hi').text end))\n\
         local b = Agent.create{{ model = 'claude/claude-test', base_url = '{}/' }}\n\
         print(b:execute('hi').text)",
        elsewhere.base_url(),
        configured.base_url()
    );

    let outcome = run_lua(config, &source).await;

    assert_key_absent(&outcome);
    let leaked: Vec<RecordedRequest> = elsewhere
        .requests()
        .into_iter()
        .filter(|r| r.header("x-api-key") == Some(KEY))
        .collect();
    assert!(
        leaked.is_empty(),
        "the key configured for {} was sent to the agent's base_url {}: {leaked:#?}",
        configured.base_url(),
        elsewhere.base_url()
    );
    assert_ok(&outcome);
    assert_eq!(
        only_request(&configured).header("x-api-key"),
        Some(KEY),
        "the configured endpoint, named as an agent's base_url, must still get the key"
    );
}
