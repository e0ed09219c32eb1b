//! The Anthropic provider: the messages API with its own SSE event types, and tool use.

use std::collections::BTreeMap;

use futures::stream::{BoxStream, StreamExt};
use serde_json::{Value, json};

use super::http::{self, ApiKey, Client, HttpSettings, SseEvent, parse_json};
use super::{
    ChatMessage, Completion, CompletionRequest, Provider, ProviderError, StreamEvent,
    ToolCallRequest, Usage,
};
use crate::config::ProviderConfig;

pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
const DEFAULT_KEY_ENV: &str = "ANTHROPIC_API_KEY";
const API_VERSION: &str = "2023-06-01";
/// The messages API requires `max_tokens`; this applies when the agent sets none.
const DEFAULT_MAX_TOKENS: u32 = 4096;

pub struct AnthropicProvider {
    settings: HttpSettings,
    client: Client,
}

impl AnthropicProvider {
    pub fn new(name: &str, config: &ProviderConfig) -> Self {
        AnthropicProvider {
            settings: HttpSettings::from_config(name, config, DEFAULT_BASE_URL, DEFAULT_KEY_ENV),
            client: Client::default(),
        }
    }

    async fn post(
        &self,
        request: &CompletionRequest,
        stream: bool,
    ) -> Result<(reqwest::Response, Option<ApiKey>), ProviderError> {
        let key = self.settings.api_key_for(request.base_url.as_deref())?;
        let client = self.client.get(&self.settings)?;
        let url = self
            .settings
            .url(request.base_url.as_deref(), "v1/messages");
        let body = request_body(request, stream);
        let response = http::send(&self.settings, key.as_ref(), || {
            let builder = client
                .post(&url)
                .header("anthropic-version", API_VERSION)
                .json(&body);
            match &key {
                Some(key) => builder.header("x-api-key", key.expose()),
                None => builder,
            }
        })
        .await?;
        Ok((response, key))
    }
}

/// The messages request body. Consecutive tool results travel in one user message, as the API
/// requires the results of one assistant turn to come together.
fn request_body(request: &CompletionRequest, stream: bool) -> Value {
    let mut messages: Vec<Value> = Vec::new();
    for message in &request.messages {
        match message {
            ChatMessage::User(text) => messages.push(json!({ "role": "user", "content": text })),
            // The API refuses an assistant turn with no content; an empty one says nothing.
            ChatMessage::Assistant { text, tool_calls }
                if text.is_empty() && tool_calls.is_empty() => {}
            ChatMessage::Assistant { text, tool_calls } => {
                let mut content = Vec::new();
                if !text.is_empty() {
                    content.push(json!({ "type": "text", "text": text }));
                }
                for call in tool_calls {
                    content.push(json!({ "type": "tool_use", "id": call.id, "name": call.name, "input": call.arguments }));
                }
                messages.push(json!({ "role": "assistant", "content": content }));
            }
            ChatMessage::ToolResult {
                call_id,
                content,
                is_error,
                ..
            } => {
                let mut block =
                    json!({ "type": "tool_result", "tool_use_id": call_id, "content": content });
                if *is_error {
                    block["is_error"] = json!(true);
                }
                let previous_is_results = messages.last().is_some_and(|m| {
                    m["role"] == "user"
                        && m["content"]
                            .as_array()
                            .is_some_and(|c| c.iter().all(|b| b["type"] == "tool_result"))
                });
                if previous_is_results {
                    if let Some(blocks) = messages
                        .last_mut()
                        .and_then(|m| m["content"].as_array_mut())
                    {
                        blocks.push(block);
                    }
                } else {
                    messages.push(json!({ "role": "user", "content": [block] }));
                }
            }
        }
    }
    let mut body = json!({
        "model": request.model,
        "max_tokens": request.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        "messages": messages,
    });
    if let Some(system) = &request.system {
        body["system"] = json!(system);
    }
    if let Some(t) = request.temperature {
        body["temperature"] = json!(t);
    }
    if !request.tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|tool| json!({ "name": tool.name, "description": tool.description, "input_schema": tool.parameters }))
            .collect();
    }
    if stream {
        body["stream"] = json!(true);
    }
    body
}

/// Anthropic's stop reasons in llmspell's words, shared with the OpenAI-compatible provider.
fn finish_reason(stop_reason: &str) -> String {
    match stop_reason {
        "end_turn" | "stop_sequence" => "stop",
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        other => other,
    }
    .to_owned()
}

fn error_message(provider: &str, json: &Value) -> Option<String> {
    let error = json.get("error")?;
    let kind = error["type"].as_str().unwrap_or("error");
    let message = error["message"].as_str().unwrap_or("unknown error");
    Some(format!("{provider}: {kind}: {message}"))
}

fn parse_message(provider: &str, json: &Value) -> Result<Completion, ProviderError> {
    if let Some(error) = error_message(provider, json) {
        return Err(error);
    }
    let blocks = json["content"]
        .as_array()
        .ok_or_else(|| format!("{provider}: the response has no content"))?;
    let mut text = String::new();
    let mut tool_calls = Vec::new();
    for block in blocks {
        match block["type"].as_str() {
            Some("text") => text.push_str(block["text"].as_str().unwrap_or_default()),
            Some("tool_use") => tool_calls.push(ToolCallRequest {
                id: block["id"].as_str().unwrap_or_default().to_owned(),
                name: block["name"].as_str().unwrap_or_default().to_owned(),
                arguments: block["input"].clone(),
            }),
            _ => {}
        }
    }
    Ok(Completion {
        text,
        tool_calls,
        usage: Usage {
            input_tokens: json["usage"]["input_tokens"].as_u64().unwrap_or(0),
            output_tokens: json["usage"]["output_tokens"].as_u64().unwrap_or(0),
        },
        finish_reason: finish_reason(json["stop_reason"].as_str().unwrap_or("end_turn")),
    })
}

/// A tool_use block being assembled from `input_json_delta` pieces.
struct PartialToolUse {
    id: String,
    name: String,
    json: String,
}

/// Turns Anthropic's named events into `StreamEvent`s.
struct StreamState {
    provider: String,
    events: BoxStream<'static, Result<SseEvent, ProviderError>>,
    tools: BTreeMap<u64, PartialToolUse>,
    usage: Usage,
    stop_reason: Option<String>,
    ready: std::collections::VecDeque<StreamEvent>,
    done: bool,
}

impl StreamState {
    async fn next(&mut self) -> Option<Result<StreamEvent, ProviderError>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(Ok(event));
            }
            if self.done {
                return None;
            }
            let outcome = match self.events.next().await {
                Some(Ok(event)) => self.absorb(&event),
                Some(Err(e)) => Err(e),
                None => Err(format!(
                    "{}: the stream ended before the answer was complete",
                    self.provider
                )),
            };
            if let Err(e) = outcome {
                self.done = true;
                return Some(Err(e));
            }
        }
    }

    fn absorb(&mut self, event: &SseEvent) -> Result<(), ProviderError> {
        let provider = self.provider.clone();
        match event.event.as_str() {
            "ping" => return Ok(()),
            "message_stop" => {
                self.done = true;
                self.ready.push_back(StreamEvent::Finished {
                    usage: self.usage,
                    finish_reason: finish_reason(self.stop_reason.as_deref().unwrap_or("end_turn")),
                });
                return Ok(());
            }
            _ => {}
        }
        // Event types added to the API later are skipped before their data is parsed, as
        // Anthropic asks clients to do; only the known ones must carry JSON.
        const KNOWN: &[&str] = &[
            "error",
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
        ];
        if !KNOWN.contains(&event.event.as_str()) {
            return Ok(());
        }
        let data = parse_json(
            &provider,
            &format!("a '{}' event", event.event),
            &event.data,
        )?;
        match event.event.as_str() {
            "error" => {
                return Err(error_message(&provider, &data)
                    .unwrap_or_else(|| format!("{provider}: error event")));
            }
            "message_start" => {
                let usage = &data["message"]["usage"];
                self.usage.input_tokens = usage["input_tokens"].as_u64().unwrap_or(0);
                self.usage.output_tokens = usage["output_tokens"].as_u64().unwrap_or(0);
            }
            "content_block_start" => {
                let block = &data["content_block"];
                let index = data["index"].as_u64().unwrap_or(0);
                match block["type"].as_str() {
                    Some("tool_use") => {
                        self.tools.insert(
                            index,
                            PartialToolUse {
                                id: block["id"].as_str().unwrap_or_default().to_owned(),
                                name: block["name"].as_str().unwrap_or_default().to_owned(),
                                json: String::new(),
                            },
                        );
                    }
                    Some("text") => {
                        if let Some(text) = block["text"].as_str().filter(|t| !t.is_empty()) {
                            self.ready.push_back(StreamEvent::Text(text.to_owned()));
                        }
                    }
                    _ => {}
                }
            }
            "content_block_delta" => {
                let delta = &data["delta"];
                match delta["type"].as_str() {
                    Some("text_delta") => {
                        if let Some(text) = delta["text"].as_str().filter(|t| !t.is_empty()) {
                            self.ready.push_back(StreamEvent::Text(text.to_owned()));
                        }
                    }
                    Some("input_json_delta") => {
                        let index = data["index"].as_u64().unwrap_or(0);
                        if let Some(tool) = self.tools.get_mut(&index) {
                            tool.json
                                .push_str(delta["partial_json"].as_str().unwrap_or_default());
                        }
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                let index = data["index"].as_u64().unwrap_or(0);
                if let Some(tool) = self.tools.remove(&index) {
                    let arguments = if tool.json.trim().is_empty() {
                        json!({})
                    } else {
                        serde_json::from_str(&tool.json).unwrap_or(Value::String(tool.json))
                    };
                    self.ready.push_back(StreamEvent::ToolCall(ToolCallRequest {
                        id: tool.id,
                        name: tool.name,
                        arguments,
                    }));
                }
            }
            "message_delta" => {
                if let Some(reason) = data["delta"]["stop_reason"].as_str() {
                    self.stop_reason = Some(reason.to_owned());
                }
                if let Some(output) = data["usage"]["output_tokens"].as_u64() {
                    self.usage.output_tokens = output;
                }
                if let Some(input) = data["usage"]["input_tokens"].as_u64() {
                    self.usage.input_tokens = input;
                }
            }
            // Event types added to the API later are skipped, as Anthropic asks clients to do.
            _ => {}
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Provider for AnthropicProvider {
    fn name(&self) -> &str {
        &self.settings.provider
    }

    async fn complete(&self, request: CompletionRequest) -> Result<Completion, ProviderError> {
        self.complete_answer(request)
            .await
            .map_err(|e| self.settings.redact_error(e))
    }

    async fn stream(
        &self,
        request: CompletionRequest,
    ) -> Result<BoxStream<'static, Result<StreamEvent, ProviderError>>, ProviderError> {
        let events = self
            .stream_answer(request)
            .await
            .map_err(|e| self.settings.redact_error(e))?;
        Ok(self.settings.redacting(events))
    }
}

impl AnthropicProvider {
    async fn complete_answer(
        &self,
        request: CompletionRequest,
    ) -> Result<Completion, ProviderError> {
        let (response, _) = self.post(&request, false).await?;
        let provider = &self.settings.provider;
        let text = http::read_answer(&self.settings, response).await?;
        parse_message(provider, &parse_json(provider, "the response", &text)?)
    }

    async fn stream_answer(
        &self,
        request: CompletionRequest,
    ) -> Result<BoxStream<'static, Result<StreamEvent, ProviderError>>, ProviderError> {
        let (response, key) = self.post(&request, true).await?;
        let state = StreamState {
            provider: self.settings.provider.clone(),
            events: http::sse_events(&self.settings, key.as_ref(), response),
            tools: BTreeMap::new(),
            usage: Usage::default(),
            stop_reason: None,
            ready: Default::default(),
            done: false,
        };
        Ok(futures::stream::unfold(state, |mut state| async move {
            let event = state.next().await?;
            Some((event, state))
        })
        .boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_results_of_one_turn_travel_together() {
        let call = |id: &str| ToolCallRequest {
            id: id.into(),
            name: "calculator".into(),
            arguments: json!({"expression": "1"}),
        };
        let request = CompletionRequest {
            model: "claude-test".into(),
            system: Some("Be terse.".into()),
            messages: vec![
                ChatMessage::User("hi".into()),
                ChatMessage::Assistant {
                    text: "Let me compute.".into(),
                    tool_calls: vec![call("a"), call("b")],
                },
                ChatMessage::ToolResult {
                    call_id: "a".into(),
                    name: "calculator".into(),
                    content: "1".into(),
                    is_error: false,
                },
                ChatMessage::ToolResult {
                    call_id: "b".into(),
                    name: "calculator".into(),
                    content: "2".into(),
                    is_error: true,
                },
            ],
            ..Default::default()
        };
        let body = request_body(&request, false);
        assert_eq!(body["system"], "Be terse.");
        assert_eq!(body["max_tokens"], 4096);
        assert_eq!(body["messages"].as_array().unwrap().len(), 3);
        assert_eq!(body["messages"][1]["content"][1]["type"], "tool_use");
        assert_eq!(body["messages"][2]["content"].as_array().unwrap().len(), 2);
        assert_eq!(body["messages"][2]["content"][1]["tool_use_id"], "b");
        assert_eq!(body["messages"][2]["content"][1]["is_error"], true);
        assert!(body["messages"][2]["content"][0].get("is_error").is_none());
    }

    #[test]
    fn stop_reasons_are_normalised() {
        assert_eq!(finish_reason("end_turn"), "stop");
        assert_eq!(finish_reason("max_tokens"), "length");
        assert_eq!(finish_reason("tool_use"), "tool_calls");
        assert_eq!(finish_reason("refusal"), "refusal");
    }
}
