//! Builders for Anthropic Messages API wire bodies (`POST /v1/messages`), matching the public
//! API reference: the message object, the named streaming events, and error bodies.
//!
//! Fields real responses carry but providers usually ignore (`stop_sequence`, cache token
//! counts, `ping` events, `request_id`) are included on purpose: a provider must tolerate them.
//! Ids are fixed so bodies are deterministic.

use serde_json::{Value, json};

use crate::reply::SseEvent;

/// The `model` every builder reports.
pub const MODEL: &str = "claude-sonnet-4-5-20250929";
/// The message `id` every builder reports.
pub const ID: &str = "msg_testkit000000000000000001";

/// How many characters of a tool's input JSON each `input_json_delta` carries. Small on purpose:
/// pieces then split JSON mid-token, as real streams do.
pub const PARTIAL_JSON_CHARS: usize = 8;

fn usage(input_tokens: u64, output_tokens: u64) -> Value {
    json!({
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "output_tokens": output_tokens
    })
}

fn message_object(content: Value, stop_reason: Option<&str>, usage: Value) -> Value {
    json!({
        "id": ID,
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": null,
        "usage": usage
    })
}

/// A non-streamed message: `content: [{type: "text", text}]`, `stop_reason: "end_turn"`,
/// `usage {input_tokens, output_tokens}`.
pub fn message(text: &str, input_tokens: u64, output_tokens: u64) -> Value {
    message_object(
        json!([{ "type": "text", "text": text }]),
        Some("end_turn"),
        usage(input_tokens, output_tokens),
    )
}

/// A non-streamed message that uses tools: an optional leading text block, then one
/// `{type: "tool_use", id, name, input}` block per `(id, name, input)`; `stop_reason:
/// "tool_use"`. `input` is a JSON object (not a string, unlike OpenAI).
pub fn tool_use_message(
    calls: &[(&str, &str, Value)],
    text_before: Option<&str>,
    input_tokens: u64,
    output_tokens: u64,
) -> Value {
    let mut content = Vec::new();
    if let Some(text) = text_before {
        content.push(json!({ "type": "text", "text": text }));
    }
    for (id, name, input) in calls {
        content.push(json!({ "type": "tool_use", "id": id, "name": name, "input": input }));
    }
    message_object(
        Value::Array(content),
        Some("tool_use"),
        usage(input_tokens, output_tokens),
    )
}

fn event(name: &str, data: Value) -> SseEvent {
    SseEvent::named(name, data.to_string())
}

/// `message_start`: the message with empty content and the input token count. Like the real
/// API it reports a provisional `output_tokens` (1); the final count comes in `message_delta`.
fn message_start(input_tokens: u64, output_tokens: u64) -> SseEvent {
    let message = message_object(json!([]), None, usage(input_tokens, output_tokens.min(1)));
    event(
        "message_start",
        json!({ "type": "message_start", "message": message }),
    )
}

fn block_start(index: usize, block: Value) -> SseEvent {
    event(
        "content_block_start",
        json!({ "type": "content_block_start", "index": index, "content_block": block }),
    )
}

fn block_delta(index: usize, delta: Value) -> SseEvent {
    event(
        "content_block_delta",
        json!({ "type": "content_block_delta", "index": index, "delta": delta }),
    )
}

fn block_stop(index: usize) -> SseEvent {
    event(
        "content_block_stop",
        json!({ "type": "content_block_stop", "index": index }),
    )
}

fn ping() -> SseEvent {
    event("ping", json!({ "type": "ping" }))
}

/// The closing pair: `message_delta` (stop reason + cumulative output tokens), `message_stop`.
fn message_end(events: &mut Vec<SseEvent>, stop_reason: &str, output_tokens: u64) {
    events.push(event(
        "message_delta",
        json!({
            "type": "message_delta",
            "delta": { "stop_reason": stop_reason, "stop_sequence": null },
            "usage": { "output_tokens": output_tokens }
        }),
    ));
    events.push(event("message_stop", json!({ "type": "message_stop" })));
}

/// A streamed text message with the real named events, in the real order:
/// `message_start` (with `usage.input_tokens`), `content_block_start` (index 0,
/// `{type: "text", text: ""}`), `ping`, one `content_block_delta` (`{type: "text_delta", text}`)
/// per entry of `text_chunks`, `content_block_stop`, `message_delta` (`delta.stop_reason`,
/// `usage.output_tokens`), `message_stop`.
pub fn stream(
    text_chunks: &[&str],
    stop_reason: &str,
    input_tokens: u64,
    output_tokens: u64,
) -> Vec<SseEvent> {
    let mut events = vec![
        message_start(input_tokens, output_tokens),
        block_start(0, json!({ "type": "text", "text": "" })),
        ping(),
    ];
    for text in text_chunks {
        events.push(block_delta(
            0,
            json!({ "type": "text_delta", "text": text }),
        ));
    }
    events.push(block_stop(0));
    message_end(&mut events, stop_reason, output_tokens);
    events
}

/// Splits `s` into pieces of at most [`PARTIAL_JSON_CHARS`] characters (on char boundaries).
fn pieces(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(PARTIAL_JSON_CHARS)
        .map(|piece| piece.iter().collect())
        .collect()
}

/// A streamed tool-use message. After `message_start`:
///
/// - if `text_before` is given, a text block at index 0 (`content_block_start`, one
///   `text_delta` with the whole text, `content_block_stop`);
/// - for each `(id, name, input)`, a block at the next index: `content_block_start` with
///   `{type: "tool_use", id, name, input: {}}`, an `input_json_delta` with `partial_json: ""`
///   (the real API sends this first), then `input_json_delta`s carrying the compact JSON
///   serialization of `input` in pieces of [`PARTIAL_JSON_CHARS`] characters,
///   then `content_block_stop`;
///
/// then `message_delta` with `stop_reason: "tool_use"` and `message_stop`. A `ping` follows the
/// first `content_block_start`, as in [`stream`].
pub fn stream_tool_use(
    calls: &[(&str, &str, Value)],
    text_before: Option<&str>,
    input_tokens: u64,
    output_tokens: u64,
) -> Vec<SseEvent> {
    let mut events = vec![message_start(input_tokens, output_tokens)];
    let mut index = 0;
    let mut pinged = false;
    let mut ping_once = |events: &mut Vec<SseEvent>| {
        if !pinged {
            events.push(ping());
            pinged = true;
        }
    };
    if let Some(text) = text_before {
        events.push(block_start(index, json!({ "type": "text", "text": "" })));
        ping_once(&mut events);
        events.push(block_delta(
            index,
            json!({ "type": "text_delta", "text": text }),
        ));
        events.push(block_stop(index));
        index += 1;
    }
    for (id, name, input) in calls {
        events.push(block_start(
            index,
            json!({ "type": "tool_use", "id": id, "name": name, "input": {} }),
        ));
        ping_once(&mut events);
        events.push(block_delta(
            index,
            json!({ "type": "input_json_delta", "partial_json": "" }),
        ));
        for piece in pieces(&input.to_string()) {
            events.push(block_delta(
                index,
                json!({ "type": "input_json_delta", "partial_json": piece }),
            ));
        }
        events.push(block_stop(index));
        index += 1;
    }
    ping_once(&mut events);
    message_end(&mut events, "tool_use", output_tokens);
    events
}

/// An error body `{"type": "error", "error": {type, message}, "request_id": ...}`.
///
/// Real `error_type`s by status: 400 `invalid_request_error`, 401 `authentication_error`,
/// 403 `permission_error`, 404 `not_found_error`, 413 `request_too_large`, 429
/// `rate_limit_error`, 500 `api_error`, 529 `overloaded_error`.
pub fn error(error_type: &str, message: &str) -> Value {
    json!({
        "type": "error",
        "error": { "type": error_type, "message": message },
        "request_id": "req_testkit0000000000000001"
    })
}

/// The `error` event Anthropic sends *inside* an already-started stream (e.g. `overloaded_error`
/// mid-response). Put it in an event list, typically followed by nothing.
pub fn error_event(error_type: &str, message: &str) -> SseEvent {
    event(
        "error",
        json!({ "type": "error", "error": { "type": error_type, "message": message } }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(events: &[SseEvent]) -> Vec<(String, Value)> {
        events
            .iter()
            .map(|e| {
                let name = e.event.clone().expect("Anthropic events are named");
                let data: Value = serde_json::from_str(&e.data).expect("event data is JSON");
                // The SSE event name always equals the payload's `type`.
                assert_eq!(data["type"], name.as_str());
                (name, data)
            })
            .collect()
    }

    #[test]
    fn message_has_the_documented_shape() {
        let body = message("Hello!", 11, 2);
        assert_eq!(body["type"], "message");
        assert_eq!(body["role"], "assistant");
        assert_eq!(
            body["content"],
            json!([{ "type": "text", "text": "Hello!" }])
        );
        assert_eq!(body["stop_reason"], "end_turn");
        assert!(body["stop_sequence"].is_null());
        assert_eq!(body["usage"]["input_tokens"], 11);
        assert_eq!(body["usage"]["output_tokens"], 2);
    }

    #[test]
    fn tool_use_message_has_the_documented_shape() {
        let body = tool_use_message(
            &[("toolu_1", "get_weather", json!({ "city": "Paris" }))],
            Some("Let me check."),
            20,
            9,
        );
        assert_eq!(body["stop_reason"], "tool_use");
        assert_eq!(
            body["content"][0],
            json!({ "type": "text", "text": "Let me check." })
        );
        assert_eq!(body["content"][1]["type"], "tool_use");
        assert_eq!(body["content"][1]["id"], "toolu_1");
        assert_eq!(body["content"][1]["name"], "get_weather");
        assert_eq!(body["content"][1]["input"], json!({ "city": "Paris" }));
        let no_text = tool_use_message(&[("t", "n", json!({}))], None, 1, 1);
        assert_eq!(no_text["content"][0]["type"], "tool_use");
    }

    #[test]
    fn stream_uses_the_real_event_sequence() {
        let events = parse(&stream(&["Hel", "lo"], "end_turn", 25, 15));
        let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "message_start",
                "content_block_start",
                "ping",
                "content_block_delta",
                "content_block_delta",
                "content_block_stop",
                "message_delta",
                "message_stop"
            ]
        );
        let start = &events[0].1["message"];
        assert_eq!(start["usage"]["input_tokens"], 25);
        assert_eq!(start["content"], json!([]));
        assert!(start["stop_reason"].is_null());
        assert_eq!(events[1].1["index"], 0);
        assert_eq!(
            events[1].1["content_block"],
            json!({ "type": "text", "text": "" })
        );
        assert_eq!(
            events[3].1["delta"],
            json!({ "type": "text_delta", "text": "Hel" })
        );
        assert_eq!(events[6].1["delta"]["stop_reason"], "end_turn");
        assert_eq!(events[6].1["usage"]["output_tokens"], 15);
    }

    #[test]
    fn stream_tool_use_splits_input_json() {
        let input = json!({ "city": "Paris", "unit": "celsius" });
        let events = parse(&stream_tool_use(
            &[
                ("toolu_1", "get_weather", input.clone()),
                ("toolu_2", "now", json!({})),
            ],
            Some("Checking."),
            30,
            40,
        ));
        let starts: Vec<&Value> = events
            .iter()
            .filter(|(n, _)| n == "content_block_start")
            .map(|(_, d)| d)
            .collect();
        assert_eq!(starts.len(), 3);
        assert_eq!(starts[0]["content_block"]["type"], "text");
        assert_eq!(starts[1]["index"], 1);
        assert_eq!(
            starts[1]["content_block"],
            json!({ "type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {} })
        );
        assert_eq!(starts[2]["index"], 2);

        let partial = |index: u64| -> (usize, String) {
            let deltas: Vec<&Value> = events
                .iter()
                .filter(|(n, d)| n == "content_block_delta" && d["index"] == index)
                .map(|(_, d)| &d["delta"])
                .collect();
            assert!(deltas.iter().all(|d| d["type"] == "input_json_delta"));
            (
                deltas.len(),
                deltas
                    .iter()
                    .filter_map(|d| d["partial_json"].as_str())
                    .collect(),
            )
        };
        let (count, json_text) = partial(1);
        assert!(count >= 3, "input must arrive in several pieces");
        assert_eq!(
            serde_json::from_str::<Value>(&json_text).expect("valid JSON"),
            input
        );
        assert_eq!(partial(2).1, "{}");

        let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.iter().filter(|n| **n == "ping").count(), 1);
        assert_eq!(names[..3], ["message_start", "content_block_start", "ping"]);
        assert_eq!(names[names.len() - 2..], ["message_delta", "message_stop"]);
        assert_eq!(
            events[events.len() - 2].1["delta"]["stop_reason"],
            "tool_use"
        );
    }

    #[test]
    fn error_bodies() {
        let body = error("overloaded_error", "Overloaded");
        assert_eq!(body["type"], "error");
        assert_eq!(
            body["error"],
            json!({ "type": "overloaded_error", "message": "Overloaded" })
        );
        let event = error_event("overloaded_error", "Overloaded");
        assert_eq!(event.event.as_deref(), Some("error"));
        let data: Value = serde_json::from_str(&event.data).expect("JSON");
        assert_eq!(data["error"]["type"], "overloaded_error");
    }
}
