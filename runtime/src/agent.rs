//! Agents: a model plus settings, built from a validated `AgentConfig` table, that turn a prompt
//! (or a conversation) into an `AgentResult`.

use std::sync::Arc;
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use indexmap::IndexMap;

use crate::providers::{ChatMessage, CompletionRequest, Provider};
use crate::tools::ToolHandle;
use crate::value::ScriptValue;

pub struct Agent {
    pub name: String,
    /// `provider/model-id`.
    pub model: String,
    provider: Arc<dyn Provider>,
    model_id: String,
    system: Option<String>,
    temperature: Option<f64>,
    max_tokens: Option<u32>,
    pub tools: Vec<ToolHandle>,
    pub max_tool_rounds: u32,
    timeout: Option<Duration>,
    pub base_url: Option<String>,
}

/// The settings of an agent, already checked against the definition's `AgentConfig`.
pub struct AgentSettings {
    pub name: String,
    pub model: String,
    pub provider: Arc<dyn Provider>,
    pub model_id: String,
    pub system: Option<String>,
    pub temperature: Option<f64>,
    pub max_tokens: Option<u32>,
    pub tools: Vec<ToolHandle>,
    pub max_tool_rounds: u32,
    pub timeout_ms: Option<u64>,
    pub base_url: Option<String>,
}

impl Agent {
    pub fn new(settings: AgentSettings) -> Agent {
        Agent {
            name: settings.name,
            model: settings.model,
            provider: settings.provider,
            model_id: settings.model_id,
            system: settings.system,
            temperature: settings.temperature,
            max_tokens: settings.max_tokens,
            tools: settings.tools,
            max_tool_rounds: settings.max_tool_rounds,
            timeout: settings.timeout_ms.map(Duration::from_millis),
            base_url: settings.base_url,
        }
    }

    /// Builds the provider request for an input that passed the `string | AgentRequest` check.
    fn request(&self, input: &ScriptValue) -> CompletionRequest {
        let mut messages = Vec::new();
        if let ScriptValue::List(items) = input.get("messages") {
            for item in items {
                messages.push(ChatMessage {
                    role: item.get("role").as_str().unwrap_or("user").to_owned(),
                    content: item.get("content").to_text(),
                });
            }
        }
        let prompt = match input {
            ScriptValue::String(s) => Some(s.clone()),
            other => other.get("prompt").as_str().map(str::to_owned),
        };
        if let Some(prompt) = prompt {
            messages.push(ChatMessage {
                role: "user".into(),
                content: prompt,
            });
        }
        CompletionRequest {
            model: self.model_id.clone(),
            system: self.system.clone(),
            messages,
            temperature: self.temperature,
            max_tokens: self.max_tokens,
        }
    }

    fn timed_out(&self) -> String {
        format!(
            "agent '{}': {} did not answer within {} ms (timeout_ms)",
            self.name,
            self.model,
            self.timeout.map(|t| t.as_millis()).unwrap_or_default()
        )
    }

    /// Sends the input and returns the `AgentResult` table.
    pub async fn execute(&self, input: &ScriptValue) -> Result<ScriptValue, String> {
        let call = self.provider.complete(self.request(input));
        let completion = match self.timeout {
            Some(limit) => tokio::time::timeout(limit, call)
                .await
                .map_err(|_| self.timed_out())?,
            None => call.await,
        }
        .map_err(|e| format!("agent '{}' ({}): {e}", self.name, self.model))?;
        let mut usage = IndexMap::new();
        usage.insert(
            "input_tokens".to_owned(),
            ScriptValue::Integer(completion.usage.input_tokens as i64),
        );
        usage.insert(
            "output_tokens".to_owned(),
            ScriptValue::Integer(completion.usage.output_tokens as i64),
        );
        let mut result = IndexMap::new();
        result.insert("text".to_owned(), ScriptValue::String(completion.text));
        result.insert("model".to_owned(), ScriptValue::String(self.model.clone()));
        result.insert("usage".to_owned(), ScriptValue::Map(usage));
        result.insert("tool_calls".to_owned(), ScriptValue::List(Vec::new()));
        result.insert(
            "finish_reason".to_owned(),
            ScriptValue::String(completion.finish_reason),
        );
        Ok(ScriptValue::Map(result))
    }

    /// Sends the input and streams the answer's chunks.
    pub async fn stream(
        &self,
        input: &ScriptValue,
    ) -> Result<BoxStream<'static, Result<String, String>>, String> {
        let name = self.name.clone();
        let model = self.model.clone();
        let call = self.provider.stream(self.request(input));
        let stream = match self.timeout {
            Some(limit) => tokio::time::timeout(limit, call)
                .await
                .map_err(|_| self.timed_out())?,
            None => call.await,
        }
        .map_err(|e| format!("agent '{name}' ({model}): {e}"))?;
        Ok(stream
            .map(move |chunk| chunk.map_err(|e| format!("agent '{name}' ({model}): {e}")))
            .boxed())
    }
}
