//! Builders for OpenAI Chat Completions wire bodies (`POST /v1/chat/completions`), matching the
//! public API reference field for field, so a provider tested against them parses the real
//! service (and OpenAI-compatible servers, which copy this format).
//!
//! Fields real responses carry but providers usually ignore (`system_fingerprint`, `logprobs`,
//! `refusal`, token details, `"usage": null` on stream chunks) are included on purpose: a
//! provider must tolerate them. Ids and timestamps are fixed so bodies are deterministic.

use serde_json::{Value, json};

use crate::reply::SseEvent;

/// The `model` every builder reports.
pub const MODEL: &str = "gpt-4o-mini-2024-07-18";
/// The `id` every completion and chunk reports.
pub const ID: &str = "chatcmpl-testkit0000000000000000001";
/// The `created` Unix timestamp every completion and chunk reports.
pub const CREATED: u64 = 1_700_000_000;
const FINGERPRINT: &str = "fp_testkit";

/// How many characters of `function.arguments` each streamed tool-call chunk carries. Small on
/// purpose: pieces then split JSON mid-token, as real streams do, so a provider must concatenate
/// before parsing.
pub const ARGUMENT_PIECE_CHARS: usize = 8;

fn usage(prompt_tokens: u64, completion_tokens: u64) -> Value {
    json!({
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0
        }
    })
}

fn completion_object(message: Value, finish_reason: &str, usage: Value) -> Value {
    json!({
        "id": ID,
        "object": "chat.completion",
        "created": CREATED,
        "model": MODEL,
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": finish_reason
        }],
        "usage": usage,
        "system_fingerprint": FINGERPRINT
    })
}

/// A non-streamed completion whose assistant message is `text`, with `finish_reason: "stop"`
/// and `usage {prompt_tokens, completion_tokens, total_tokens}` (total = sum).
pub fn completion(text: &str, prompt_tokens: u64, completion_tokens: u64) -> Value {
    completion_object(
        json!({ "role": "assistant", "content": text, "refusal": null }),
        "stop",
        usage(prompt_tokens, completion_tokens),
    )
}

/// A non-streamed completion that calls tools: `message.content` is `null`,
/// `message.tool_calls` is `[{id, type: "function", function: {name, arguments}}]` (one per
/// `(id, name, arguments_json_string)`), `finish_reason: "tool_calls"`.
///
/// `arguments` is a JSON *string*, exactly as OpenAI sends it (the model's raw output, which a
/// provider must parse itself and may find invalid).
pub fn tool_calls_completion(
    calls: &[(&str, &str, &str)],
    prompt_tokens: u64,
    completion_tokens: u64,
) -> Value {
    let tool_calls: Vec<Value> = calls
        .iter()
        .map(|(id, name, arguments)| {
            json!({
                "id": id,
                "type": "function",
                "function": { "name": name, "arguments": arguments }
            })
        })
        .collect();
    completion_object(
        json!({ "role": "assistant", "content": null, "tool_calls": tool_calls, "refusal": null }),
        "tool_calls",
        usage(prompt_tokens, completion_tokens),
    )
}

/// One `chat.completion.chunk` event. When the stream reports usage, OpenAI adds
/// `"usage": null` to every chunk but the final usage chunk, so this does too.
fn chunk(delta: Value, finish_reason: Option<&str>, with_usage: bool) -> SseEvent {
    let mut chunk = json!({
        "id": ID,
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": MODEL,
        "system_fingerprint": FINGERPRINT,
        "choices": [{
            "index": 0,
            "delta": delta,
            "logprobs": null,
            "finish_reason": finish_reason
        }]
    });
    if with_usage {
        chunk["usage"] = Value::Null;
    }
    SseEvent::data(chunk.to_string())
}

/// The tail every stream ends with: the optional usage chunk (empty `choices`, as sent with
/// `stream_options: {"include_usage": true}`), then `data: [DONE]`.
fn finish(events: &mut Vec<SseEvent>, usage_tokens: Option<(u64, u64)>) {
    if let Some((prompt_tokens, completion_tokens)) = usage_tokens {
        let chunk = json!({
            "id": ID,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": MODEL,
            "system_fingerprint": FINGERPRINT,
            "choices": [],
            "usage": usage(prompt_tokens, completion_tokens)
        });
        events.push(SseEvent::data(chunk.to_string()));
    }
    events.push(SseEvent::data("[DONE]"));
}

/// A streamed text completion, as `stream: true` produces:
///
/// 1. a chunk with `delta: {role: "assistant", content: ""}`;
/// 2. one chunk per entry of `text_chunks` with `delta: {content: CHUNK}`;
/// 3. a chunk with `delta: {}` and `finish_reason` (e.g. `"stop"`, `"length"`);
/// 4. if `usage` is `Some((prompt_tokens, completion_tokens))`, a chunk with `choices: []` and
///    `usage` (every earlier chunk then has `"usage": null`);
/// 5. `data: [DONE]`.
pub fn stream(
    text_chunks: &[&str],
    finish_reason: &str,
    usage: Option<(u64, u64)>,
) -> Vec<SseEvent> {
    let with_usage = usage.is_some();
    let mut events = vec![chunk(
        json!({ "role": "assistant", "content": "" }),
        None,
        with_usage,
    )];
    for text in text_chunks {
        events.push(chunk(json!({ "content": text }), None, with_usage));
    }
    events.push(chunk(json!({}), Some(finish_reason), with_usage));
    finish(&mut events, usage);
    events
}

/// Splits `s` into pieces of at most [`ARGUMENT_PIECE_CHARS`] characters (on char boundaries).
fn pieces(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(ARGUMENT_PIECE_CHARS)
        .map(|piece| piece.iter().collect())
        .collect()
}

/// A streamed completion that calls tools, one `(id, name, arguments_json_string)` per call:
///
/// 1. for each call, a chunk whose `delta.tool_calls[0]` is
///    `{index, id, type: "function", function: {name, arguments: ""}}` (the first such chunk also
///    has `role: "assistant"` and `content: null`);
/// 2. then chunks `{index, function: {arguments: PIECE}}` carrying the arguments string in
///    pieces of [`ARGUMENT_PIECE_CHARS`] characters;
/// 3. a chunk with `delta: {}` and `finish_reason: "tool_calls"`;
/// 4. the optional usage chunk and `data: [DONE]`, as in [`stream`].
///
/// `index` is the call's position in `calls`; providers must key partial calls by it.
pub fn stream_tool_calls(calls: &[(&str, &str, &str)], usage: Option<(u64, u64)>) -> Vec<SseEvent> {
    let with_usage = usage.is_some();
    let mut events = Vec::new();
    if calls.is_empty() {
        events.push(chunk(
            json!({ "role": "assistant", "content": null }),
            None,
            with_usage,
        ));
    }
    for (index, (id, name, arguments)) in calls.iter().enumerate() {
        let start = json!([{
            "index": index,
            "id": id,
            "type": "function",
            "function": { "name": name, "arguments": "" }
        }]);
        let delta = if index == 0 {
            json!({ "role": "assistant", "content": null, "tool_calls": start, "refusal": null })
        } else {
            json!({ "tool_calls": start })
        };
        events.push(chunk(delta, None, with_usage));
        for piece in pieces(arguments) {
            let delta = json!({
                "tool_calls": [{ "index": index, "function": { "arguments": piece } }]
            });
            events.push(chunk(delta, None, with_usage));
        }
    }
    events.push(chunk(json!({}), Some("tool_calls"), with_usage));
    finish(&mut events, usage);
    events
}

/// An error body for an HTTP `status`, `{"error": {message, type, param: null, code}}`, with the
/// `type`/`code` OpenAI uses for that status:
///
/// | status | type | code |
/// | --- | --- | --- |
/// | 401 | `invalid_request_error` | `invalid_api_key` |
/// | 404 | `invalid_request_error` | `model_not_found` |
/// | 429 | `requests` | `rate_limit_exceeded` |
/// | 500..=599 | `server_error` | `null` |
/// | other | `invalid_request_error` | `null` |
///
/// Use [`error_with`] to choose `type` and `code` yourself.
pub fn error(status: u16, message: &str) -> Value {
    let (error_type, code) = match status {
        401 => ("invalid_request_error", Some("invalid_api_key")),
        404 => ("invalid_request_error", Some("model_not_found")),
        429 => ("requests", Some("rate_limit_exceeded")),
        500..=599 => ("server_error", None),
        _ => ("invalid_request_error", None),
    };
    error_with(message, error_type, code)
}

/// An error body `{"error": {message, type, param: null, code}}` with explicit `type` and `code`
/// (e.g. `("...", "insufficient_quota", Some("insufficient_quota"))`).
pub fn error_with(message: &str, error_type: &str, code: Option<&str>) -> Value {
    json!({
        "error": {
            "message": message,
            "type": error_type,
            "param": null,
            "code": code
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payloads(events: &[SseEvent]) -> Vec<Value> {
        events
            .iter()
            .filter(|e| e.data != "[DONE]")
            .map(|e| serde_json::from_str(&e.data).expect("chunk is JSON"))
            .collect()
    }

    #[test]
    fn completion_has_the_documented_shape() {
        let body = completion("Hi there", 7, 3);
        assert_eq!(body["object"], "chat.completion");
        assert_eq!(body["choices"][0]["index"], 0);
        assert_eq!(body["choices"][0]["message"]["role"], "assistant");
        assert_eq!(body["choices"][0]["message"]["content"], "Hi there");
        assert_eq!(body["choices"][0]["finish_reason"], "stop");
        assert_eq!(body["usage"]["prompt_tokens"], 7);
        assert_eq!(body["usage"]["completion_tokens"], 3);
        assert_eq!(body["usage"]["total_tokens"], 10);
        assert_eq!(body["model"], MODEL);
    }

    #[test]
    fn tool_calls_completion_has_the_documented_shape() {
        let body = tool_calls_completion(
            &[
                ("call_1", "get_weather", r#"{"city":"Paris"}"#),
                ("call_2", "now", "{}"),
            ],
            10,
            4,
        );
        let message = &body["choices"][0]["message"];
        assert!(message["content"].is_null());
        assert_eq!(body["choices"][0]["finish_reason"], "tool_calls");
        let calls = message["tool_calls"].as_array().expect("tool_calls array");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0]["id"], "call_1");
        assert_eq!(calls[0]["type"], "function");
        assert_eq!(calls[0]["function"]["name"], "get_weather");
        // Arguments stay a JSON string, not an object.
        assert_eq!(calls[0]["function"]["arguments"], r#"{"city":"Paris"}"#);
        assert_eq!(calls[1]["id"], "call_2");
        assert_eq!(body["usage"]["total_tokens"], 14);
    }

    #[test]
    fn stream_concatenates_to_the_text_and_ends_with_done() {
        let events = stream(&["Hel", "lo", " world"], "stop", None);
        assert!(
            events.iter().all(|e| e.event.is_none()),
            "OpenAI events are unnamed"
        );
        assert_eq!(events.last().map(|e| e.data.as_str()), Some("[DONE]"));
        let chunks = payloads(&events);
        assert!(
            chunks
                .iter()
                .all(|c| c["object"] == "chat.completion.chunk")
        );
        assert!(
            chunks.iter().all(|c| c.get("usage").is_none()),
            "no usage field by default"
        );
        assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
        let text: String = chunks
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
            .collect();
        assert_eq!(text, "Hello world");
        let last = chunks.last().expect("chunks");
        assert_eq!(last["choices"][0]["finish_reason"], "stop");
        assert_eq!(last["choices"][0]["delta"], json!({}));
        assert!(
            chunks[..chunks.len() - 1]
                .iter()
                .all(|c| c["choices"][0]["finish_reason"].is_null())
        );
    }

    #[test]
    fn stream_with_usage_ends_with_an_empty_choices_usage_chunk() {
        let events = stream(&["a"], "length", Some((12, 1)));
        let chunks = payloads(&events);
        let usage_chunk = chunks.last().expect("chunks");
        assert_eq!(usage_chunk["choices"], json!([]));
        assert_eq!(usage_chunk["usage"]["prompt_tokens"], 12);
        assert_eq!(usage_chunk["usage"]["completion_tokens"], 1);
        assert_eq!(usage_chunk["usage"]["total_tokens"], 13);
        let before = &chunks[..chunks.len() - 1];
        assert!(
            before
                .iter()
                .all(|c| c["usage"].is_null() && c.get("usage").is_some())
        );
        assert_eq!(
            before.last().expect("finish chunk")["choices"][0]["finish_reason"],
            "length"
        );
        assert_eq!(events.last().map(|e| e.data.as_str()), Some("[DONE]"));
    }

    #[test]
    fn stream_tool_calls_splits_arguments_across_chunks() {
        let args = r#"{"city":"Paris","unit":"celsius"}"#;
        let events = stream_tool_calls(
            &[("call_a", "get_weather", args), ("call_b", "now", "")],
            None,
        );
        let chunks = payloads(&events);
        let first = &chunks[0]["choices"][0]["delta"];
        assert_eq!(first["role"], "assistant");
        assert_eq!(first["tool_calls"][0]["index"], 0);
        assert_eq!(first["tool_calls"][0]["id"], "call_a");
        assert_eq!(first["tool_calls"][0]["type"], "function");
        assert_eq!(first["tool_calls"][0]["function"]["name"], "get_weather");
        assert_eq!(first["tool_calls"][0]["function"]["arguments"], "");

        let mut rebuilt = [String::new(), String::new()];
        let mut argument_chunks = 0;
        for c in &chunks {
            for call in c["choices"][0]["delta"]["tool_calls"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let index = call["index"].as_u64().expect("index") as usize;
                if call.get("id").is_none() {
                    argument_chunks += 1;
                    assert!(call["function"].get("name").is_none());
                }
                rebuilt[index].push_str(call["function"]["arguments"].as_str().expect("args"));
            }
        }
        assert_eq!(rebuilt[0], args);
        assert_eq!(rebuilt[1], "");
        assert!(
            argument_chunks >= 3,
            "arguments must arrive in several pieces"
        );
        let second_start = chunks
            .iter()
            .find(|c| c["choices"][0]["delta"]["tool_calls"][0]["id"] == "call_b");
        assert_eq!(
            second_start.expect("call_b start")["choices"][0]["delta"]["tool_calls"][0]["index"],
            1
        );
        assert_eq!(
            chunks.last().expect("chunks")["choices"][0]["finish_reason"],
            "tool_calls"
        );
        assert_eq!(events.last().map(|e| e.data.as_str()), Some("[DONE]"));
    }

    #[test]
    fn pieces_respect_char_boundaries() {
        let s = "ééééééééé-ñ"; // multi-byte characters must not be split mid-character
        assert_eq!(pieces(s).concat(), s);
        assert!(pieces("").is_empty());
    }

    #[test]
    fn error_bodies() {
        let body = error(429, "Rate limit reached");
        assert_eq!(body["error"]["message"], "Rate limit reached");
        assert_eq!(body["error"]["type"], "requests");
        assert_eq!(body["error"]["code"], "rate_limit_exceeded");
        assert!(body["error"]["param"].is_null());
        assert_eq!(error(401, "bad key")["error"]["code"], "invalid_api_key");
        assert!(error(503, "down")["error"]["code"].is_null());
        assert_eq!(error(503, "down")["error"]["type"], "server_error");
        let custom = error_with("quota", "insufficient_quota", Some("insufficient_quota"));
        assert_eq!(custom["error"]["type"], "insufficient_quota");
    }
}
