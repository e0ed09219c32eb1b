//! LLM providers: the `Provider` trait, the request and answer types, and the
//! `ProviderManager` that turns a `provider/model` string into a provider and a model id.
//!
//! Provider names are the built-in ones (`mock`, `openai`, `anthropic`, `ollama`) or the
//! `[providers.NAME]` entries of `llmspell.toml`. The offline `mock` provider is always explicit:
//! it is never chosen unless a model string or the config names it.

mod anthropic;
mod http;
mod mock;
mod openai;

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::stream::BoxStream;
use serde::Serialize;
use serde_json::Value;

use crate::config::{Config, ProviderConfig, ProviderKind};

pub use http::{ApiKey, HttpSettings};
pub use mock::MockProvider;

/// One message of a conversation sent to a model. The system prompt travels separately in
/// `CompletionRequest::system`, because Anthropic takes it outside the message list.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatMessage {
    User(String),
    Assistant {
        text: String,
        tool_calls: Vec<ToolCallRequest>,
    },
    /// The result of a tool call, fed back to the model.
    ToolResult {
        call_id: String,
        name: String,
        content: String,
        /// The tool failed and `content` is its error (Anthropic marks such results).
        is_error: bool,
    },
}

/// A tool call the model asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolCallRequest {
    /// The provider's id for the call, echoed back with the result.
    pub id: String,
    pub name: String,
    /// The arguments as the model sent them: usually an object, but a model can send anything,
    /// which the tool's schema check then reports.
    pub arguments: Value,
}

/// A tool offered to the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolDefinition {
    pub name: String,
    pub description: String,
    /// The parameters as a JSON Schema object.
    pub parameters: Value,
}

#[derive(Debug, Clone, Default)]
pub struct CompletionRequest {
    /// The model id without the provider prefix.
    pub model: String,
    pub system: Option<String>,
    pub messages: Vec<ChatMessage>,
    pub temperature: Option<f64>,
    pub max_tokens: Option<u32>,
    pub tools: Vec<ToolDefinition>,
    /// Replaces the provider's base URL for this request (an agent's `base_url`).
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub text: String,
    pub tool_calls: Vec<ToolCallRequest>,
    pub usage: Usage,
    /// Normalised across providers: `stop`, `length`, `tool_calls`, or the provider's own word.
    pub finish_reason: String,
}

/// One piece of a streamed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    Text(String),
    /// A complete tool call; providers assemble the streamed pieces before yielding it.
    ToolCall(ToolCallRequest),
    /// The answer is complete. Always the last event of a stream that did not fail.
    Finished {
        usage: Usage,
        finish_reason: String,
    },
}

/// A provider's failure, already phrased for the script author and naming the provider. It
/// never contains an API key.
pub type ProviderError = String;

#[async_trait::async_trait]
pub trait Provider: Send + Sync {
    /// The provider's name as used in model strings.
    fn name(&self) -> &str;

    async fn complete(&self, request: CompletionRequest) -> Result<Completion, ProviderError>;

    /// Streams the answer. The stream ends with `Finished`, or with an error when the answer
    /// could not be completed (a cut connection, malformed data).
    async fn stream(
        &self,
        request: CompletionRequest,
    ) -> Result<BoxStream<'static, Result<StreamEvent, ProviderError>>, ProviderError>;
}

/// What a provider name can stand for.
#[derive(Clone)]
struct ProviderEntry {
    provider: Arc<dyn Provider>,
    default_model: Option<String>,
}

/// The providers a run can use, by name.
pub struct ProviderManager {
    providers: BTreeMap<String, ProviderEntry>,
    default_model: Option<String>,
}

/// The provider names that exist without a `[providers.NAME]` entry.
pub const BUILTIN_PROVIDERS: &[&str] = &["anthropic", "mock", "ollama", "openai"];

/// The built-in provider names and how each is configured when `llmspell.toml` does not say.
const BUILTIN: &[(&str, ProviderKind, &str, Option<&str>)] = &[
    (
        "anthropic",
        ProviderKind::Anthropic,
        anthropic::DEFAULT_BASE_URL,
        Some("ANTHROPIC_API_KEY"),
    ),
    (
        "ollama",
        ProviderKind::Openai,
        "http://localhost:11434/v1",
        None,
    ),
    (
        "openai",
        ProviderKind::Openai,
        openai::DEFAULT_BASE_URL,
        Some("OPENAI_API_KEY"),
    ),
];

impl ProviderManager {
    /// The built-in providers plus those of `config`. A `[providers.NAME]` entry with a
    /// built-in name replaces the built-in one.
    pub fn new(config: &Config) -> Self {
        let mut providers = BTreeMap::new();
        let mock: Arc<dyn Provider> = Arc::new(MockProvider::echo("mock"));
        providers.insert(
            "mock".to_owned(),
            ProviderEntry {
                provider: mock,
                default_model: Some("echo".into()),
            },
        );
        for (name, kind, base_url, key_env) in BUILTIN {
            let config = ProviderConfig {
                kind: *kind,
                base_url: Some((*base_url).to_owned()),
                api_key_env: key_env.map(str::to_owned),
                ..ProviderConfig::new(*kind)
            };
            providers.insert((*name).to_owned(), build(name, &config));
        }
        for (name, provider) in &config.providers {
            providers.insert(name.clone(), build(name, provider));
        }
        ProviderManager {
            providers,
            default_model: config.default_model.clone(),
        }
    }

    pub fn default_model(&self) -> Option<&str> {
        self.default_model.as_deref()
    }

    /// The provider names a model string may start with, sorted.
    pub fn known_providers(&self) -> Vec<&str> {
        self.providers.keys().map(String::as_str).collect()
    }

    /// Splits `provider/model` and finds the provider. A bare provider name stands for that
    /// provider's `default_model`.
    pub fn resolve(&self, model: &str) -> Result<(Arc<dyn Provider>, String), String> {
        let (name, id) = match model.split_once('/') {
            Some((name, id)) if !name.is_empty() && !id.is_empty() => (name, Some(id)),
            None if self.providers.contains_key(model) => (model, None),
            _ => {
                return Err(format!(
                    "model '{model}' must be written as provider/model, e.g. mock/echo"
                ));
            }
        };
        let Some(entry) = self.providers.get(name) else {
            return Err(format!(
                "unknown provider '{name}' in model '{model}' (known providers: {}; add [providers.{name}] to llmspell.toml)",
                self.known_providers().join(", ")
            ));
        };
        let id = match (id, &entry.default_model) {
            (Some(id), _) => id.to_owned(),
            (None, Some(default)) => default.clone(),
            (None, None) => {
                return Err(format!(
                    "model '{model}' names no model id and [providers.{name}] has no default_model; write {name}/MODEL"
                ));
            }
        };
        Ok((Arc::clone(&entry.provider), id))
    }
}

fn build(name: &str, config: &ProviderConfig) -> ProviderEntry {
    let provider: Arc<dyn Provider> = match config.kind {
        ProviderKind::Mock => Arc::new(MockProvider::from_config(name, config)),
        ProviderKind::Openai => Arc::new(openai::OpenAiProvider::new(name, config)),
        ProviderKind::Anthropic => Arc::new(anthropic::AnthropicProvider::new(name, config)),
    };
    ProviderEntry {
        provider,
        default_model: config.default_model.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_name_list_matches_the_builtin_table() {
        let mut names: Vec<&str> = BUILTIN.iter().map(|(name, ..)| *name).collect();
        names.push("mock");
        names.sort_unstable();
        assert_eq!(names, BUILTIN_PROVIDERS);
    }

    #[test]
    fn resolves_models_and_explains_mistakes() {
        let mut config = Config::default();
        let mut local = ProviderConfig::new(ProviderKind::Openai);
        local.default_model = Some("llama3".into());
        config.providers.insert("local".into(), local);
        let manager = ProviderManager::new(&config);
        let (provider, id) = manager.resolve("mock/echo").unwrap();
        assert_eq!((provider.name(), id.as_str()), ("mock", "echo"));
        let (provider, id) = manager.resolve("local").unwrap();
        assert_eq!((provider.name(), id.as_str()), ("local", "llama3"));
        let (provider, id) = manager.resolve("openai/gpt-4o-mini").unwrap();
        assert_eq!((provider.name(), id.as_str()), ("openai", "gpt-4o-mini"));
        let err = manager.resolve("acme/x").err().unwrap();
        assert_eq!(
            err,
            "unknown provider 'acme' in model 'acme/x' (known providers: anthropic, local, mock, ollama, openai; add [providers.acme] to llmspell.toml)"
        );
        assert!(
            manager
                .resolve("gpt-4")
                .err()
                .unwrap()
                .contains("provider/model")
        );
        assert!(
            manager
                .resolve("openai")
                .err()
                .unwrap()
                .contains("has no default_model")
        );
    }
}
