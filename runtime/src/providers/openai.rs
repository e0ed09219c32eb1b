//! The OpenAI-compatible provider: the chat completions API as spoken by OpenAI, Ollama, vLLM,
//! LM Studio and llama.cpp's server, with SSE streaming and tool calling.

use std::collections::BTreeMap;

use futures::stream::{BoxStream, StreamExt};
use serde_json::{Value, json};

use super::http::{self, ApiKey, Client, HttpSettings, SseEvent, parse_json};
use super::{
    ChatMessage, Completion, CompletionRequest, Provider, ProviderError, StreamEvent,
    ToolCallRequest, Usage,
};
use crate::config::ProviderConfig;

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
const DEFAULT_KEY_ENV: &str = "OPENAI_API_KEY";

pub struct OpenAiProvider {
    settings: HttpSettings,
    client: Client,
}

impl OpenAiProvider {
    pub fn new(name: &str, config: &ProviderConfig) -> Self {
        OpenAiProvider {
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
            .url(request.base_url.as_deref(), "chat/completions");
        let body = request_body(request, stream);
        let response = http::send(&self.settings, key.as_ref(), || {
            let builder = client.post(&url).json(&body);
            match &key {
                Some(key) => builder.bearer_auth(key.expose()),
                None => builder,
            }
        })
        .await?;
        Ok((response, key))
    }
}

/// The chat completions request body.
fn request_body(request: &CompletionRequest, stream: bool) -> Value {
    let mut messages = Vec::new();
    if let Some(system) = &request.system {
        messages.push(json!({ "role": "system", "content": system }));
    }
    for message in &request.messages {
        messages.push(match message {
            ChatMessage::User(text) => json!({ "role": "user", "content": text }),
            ChatMessage::Assistant { text, tool_calls } if tool_calls.is_empty() => {
                json!({ "role": "assistant", "content": text })
            }
            ChatMessage::Assistant { text, tool_calls } => json!({
                "role": "assistant",
                "content": if text.is_empty() { Value::Null } else { Value::from(text.as_str()) },
                "tool_calls": tool_calls.iter().map(|call| json!({
                    "id": call.id,
                    "type": "function",
                    "function": { "name": call.name, "arguments": call.arguments.to_string() },
                })).collect::<Vec<_>>(),
            }),
            ChatMessage::ToolResult {
                call_id, content, ..
            } => {
                json!({ "role": "tool", "tool_call_id": call_id, "content": content })
            }
        });
    }
    let mut body = json!({ "model": request.model, "messages": messages });
    if let Some(t) = request.temperature {
        body["temperature"] = json!(t);
    }
    if let Some(n) = request.max_tokens {
        body["max_tokens"] = json!(n);
    }
    if !request.tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|tool| json!({
                "type": "function",
                "function": { "name": tool.name, "description": tool.description, "parameters": tool.parameters },
            }))
            .collect();
    }
    if stream {
        body["stream"] = json!(true);
        body["stream_options"] = json!({ "include_usage": true });
    }
    body
}

/// The finish reason in llmspell's words: OpenAI's are already `stop`, `length`, `tool_calls`.
fn finish_reason(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn usage(value: &Value) -> Usage {
    Usage {
        input_tokens: value["prompt_tokens"].as_u64().unwrap_or(0),
        output_tokens: value["completion_tokens"].as_u64().unwrap_or(0),
    }
}

/// Tool arguments arrive as a JSON string. Malformed arguments are kept as the string, so the
/// tool's parameter check reports them back to the model instead of failing the run.
fn arguments(text: &str) -> Value {
    if text.trim().is_empty() {
        return json!({});
    }
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn parse_completion(provider: &str, json: &Value) -> Result<Completion, ProviderError> {
    if let Some(error) = json.get("error") {
        let message = error["message"].as_str().unwrap_or("unknown error");
        return Err(format!("{provider}: {message}"));
    }
    let choice = json["choices"]
        .get(0)
        .ok_or_else(|| format!("{provider}: the response has no choices"))?;
    let message = &choice["message"];
    let tool_calls = message["tool_calls"]
        .as_array()
        .map(|calls| {
            calls
                .iter()
                .map(|call| ToolCallRequest {
                    id: call["id"].as_str().unwrap_or_default().to_owned(),
                    name: call["function"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    arguments: arguments(
                        call["function"]["arguments"].as_str().unwrap_or_default(),
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Completion {
        text: message["content"].as_str().unwrap_or_default().to_owned(),
        tool_calls,
        usage: usage(&json["usage"]),
        finish_reason: finish_reason(&choice["finish_reason"]).unwrap_or_else(|| "stop".into()),
    })
}

/// A tool call being assembled from stream deltas.
#[derive(Default)]
struct PartialCall {
    id: String,
    name: String,
    arguments: String,
}

/// Turns the chunk stream into `StreamEvent`s, assembling tool calls by their index.
struct StreamState {
    provider: String,
    events: BoxStream<'static, Result<SseEvent, ProviderError>>,
    calls: BTreeMap<u64, PartialCall>,
    usage: Usage,
    finish: Option<String>,
    /// Events ready to hand out, in order.
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
            match self.events.next().await {
                Some(Ok(event)) => {
                    if let Err(e) = self.absorb(&event.data) {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                // Some servers end the stream after the finish reason without `[DONE]`.
                None if self.finish.is_some() => self.finish_stream(),
                None => {
                    self.done = true;
                    return Some(Err(format!(
                        "{}: the stream ended before the answer was complete",
                        self.provider
                    )));
                }
            }
        }
    }

    fn absorb(&mut self, data: &str) -> Result<(), ProviderError> {
        if data.trim() == "[DONE]" {
            self.finish_stream();
            return Ok(());
        }
        let chunk = parse_json(&self.provider, "a stream chunk", data)?;
        if let Some(error) = chunk.get("error") {
            let message = error["message"].as_str().unwrap_or("unknown error");
            return Err(format!("{}: error in the stream: {message}", self.provider));
        }
        if chunk["usage"].is_object() {
            self.usage = usage(&chunk["usage"]);
        }
        let Some(choice) = chunk["choices"].get(0) else {
            return Ok(());
        };
        let delta = &choice["delta"];
        if let Some(text) = delta["content"].as_str().filter(|t| !t.is_empty()) {
            self.ready.push_back(StreamEvent::Text(text.to_owned()));
        }
        if let Some(calls) = delta["tool_calls"].as_array() {
            for call in calls {
                let index = call["index"].as_u64().unwrap_or(0);
                let partial = self.calls.entry(index).or_default();
                if let Some(id) = call["id"].as_str() {
                    partial.id = id.to_owned();
                }
                if let Some(name) = call["function"]["name"].as_str() {
                    partial.name.push_str(name);
                }
                if let Some(args) = call["function"]["arguments"].as_str() {
                    partial.arguments.push_str(args);
                }
            }
        }
        if let Some(reason) = finish_reason(&choice["finish_reason"]) {
            self.finish = Some(reason);
        }
        Ok(())
    }

    fn finish_stream(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        for (_, call) in std::mem::take(&mut self.calls) {
            self.ready.push_back(StreamEvent::ToolCall(ToolCallRequest {
                id: call.id,
                name: call.name,
                arguments: arguments(&call.arguments),
            }));
        }
        self.ready.push_back(StreamEvent::Finished {
            usage: self.usage,
            finish_reason: self.finish.take().unwrap_or_else(|| "stop".into()),
        });
    }
}

#[async_trait::async_trait]
impl Provider for OpenAiProvider {
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

impl OpenAiProvider {
    async fn complete_answer(
        &self,
        request: CompletionRequest,
    ) -> Result<Completion, ProviderError> {
        let (response, _) = self.post(&request, false).await?;
        let provider = &self.settings.provider;
        let text = http::read_answer(&self.settings, response).await?;
        parse_completion(provider, &parse_json(provider, "the response", &text)?)
    }

    async fn stream_answer(
        &self,
        request: CompletionRequest,
    ) -> Result<BoxStream<'static, Result<StreamEvent, ProviderError>>, ProviderError> {
        let (response, key) = self.post(&request, true).await?;
        let state = StreamState {
            provider: self.settings.provider.clone(),
            events: http::sse_events(&self.settings, key.as_ref(), response),
            calls: BTreeMap::new(),
            usage: Usage::default(),
            finish: None,
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
    use crate::providers::ToolDefinition;

    #[test]
    fn the_request_body_carries_the_conversation_and_tools() {
        let request = CompletionRequest {
            model: "gpt-test".into(),
            system: Some("Be terse.".into()),
            messages: vec![
                ChatMessage::User("2+2?".into()),
                ChatMessage::Assistant {
                    text: String::new(),
                    tool_calls: vec![ToolCallRequest {
                        id: "c1".into(),
                        name: "calculator".into(),
                        arguments: json!({"expression": "2+2"}),
                    }],
                },
                ChatMessage::ToolResult {
                    call_id: "c1".into(),
                    name: "calculator".into(),
                    content: "{\"result\":4}".into(),
                    is_error: false,
                },
            ],
            temperature: Some(0.5),
            max_tokens: Some(10),
            tools: vec![ToolDefinition {
                name: "calculator".into(),
                description: "math".into(),
                parameters: json!({"type": "object"}),
            }],
            base_url: None,
        };
        let body = request_body(&request, true);
        assert_eq!(
            body["messages"][0],
            json!({"role": "system", "content": "Be terse."})
        );
        assert_eq!(
            body["messages"][2]["tool_calls"][0]["function"]["arguments"],
            "{\"expression\":\"2+2\"}"
        );
        assert_eq!(body["messages"][2]["content"], Value::Null);
        assert_eq!(
            body["messages"][3],
            json!({"role": "tool", "tool_call_id": "c1", "content": "{\"result\":4}"})
        );
        assert_eq!(body["tools"][0]["function"]["name"], "calculator");
        assert_eq!(
            (body["stream"].clone(), body["max_tokens"].clone()),
            (json!(true), json!(10))
        );
    }

    #[test]
    fn malformed_tool_arguments_stay_a_string_for_the_schema_check() {
        assert_eq!(arguments("{\"a\": 1}"), json!({"a": 1}));
        assert_eq!(arguments(""), json!({}));
        assert_eq!(arguments("{oops"), json!("{oops"));
    }
}
