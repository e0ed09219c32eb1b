//! LLM providers: the `Provider` trait, the request and answer types, and the
//! `ProviderManager` that turns a `provider/model` string into a provider and a model id.
//!
//! Provider names are the built-in kinds (`mock`, `openai`, `anthropic`, `ollama`) or the
//! `[providers.NAME]` entries of `llmspell.toml`. The offline `mock` provider is always explicit:
//! it is never chosen unless a model string or the config names it.

mod mock;

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::stream::BoxStream;
use serde::Serialize;

use crate::config::{Config, ProviderKind};

pub use mock::MockProvider;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

#[derive(Debug, Clone, Default)]
pub struct CompletionRequest {
    /// The model id without the provider prefix.
    pub model: String,
    pub system: Option<String>,
    pub messages: Vec<ChatMessage>,
    pub temperature: Option<f64>,
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub text: String,
    pub usage: Usage,
    pub finish_reason: String,
}

/// A provider's failure, already phrased for the script author (never containing secrets).
pub type ProviderError = String;

#[async_trait::async_trait]
pub trait Provider: Send + Sync {
    /// The provider's name as used in model strings.
    fn name(&self) -> &str;

    async fn complete(&self, request: CompletionRequest) -> Result<Completion, ProviderError>;

    /// Streams the answer in chunks of text.
    async fn stream(
        &self,
        request: CompletionRequest,
    ) -> Result<BoxStream<'static, Result<String, ProviderError>>, ProviderError>;
}

/// What a provider name can stand for.
enum ProviderEntry {
    Ready(Arc<dyn Provider>),
    /// A real HTTP provider; these are not part of this build yet.
    NotBuilt(ProviderKind),
}

pub struct ProviderManager {
    providers: BTreeMap<String, ProviderEntry>,
    default_model: Option<String>,
}

impl ProviderManager {
    /// The built-in providers plus those of `config`.
    pub fn new(config: &Config) -> Self {
        let mut providers = BTreeMap::new();
        providers.insert(
            "mock".to_owned(),
            ProviderEntry::Ready(Arc::new(MockProvider::echo("mock"))),
        );
        for (name, kind) in [
            ("openai", ProviderKind::Openai),
            ("anthropic", ProviderKind::Anthropic),
            ("ollama", ProviderKind::Openai),
        ] {
            providers.insert(name.to_owned(), ProviderEntry::NotBuilt(kind));
        }
        for (name, provider) in &config.providers {
            let entry = match provider.kind {
                ProviderKind::Mock => {
                    ProviderEntry::Ready(Arc::new(MockProvider::from_config(name, provider)))
                }
                kind => ProviderEntry::NotBuilt(kind),
            };
            providers.insert(name.clone(), entry);
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

    /// Splits `provider/model` and finds the provider.
    pub fn resolve(&self, model: &str) -> Result<(Arc<dyn Provider>, String), String> {
        let Some((provider, id)) = model
            .split_once('/')
            .filter(|(p, id)| !p.is_empty() && !id.is_empty())
        else {
            return Err(format!(
                "model '{model}' must be written as provider/model, e.g. mock/echo"
            ));
        };
        match self.providers.get(provider) {
            Some(ProviderEntry::Ready(p)) => Ok((Arc::clone(p), id.to_owned())),
            Some(ProviderEntry::NotBuilt(kind)) => Err(format!(
                "provider '{provider}' ({kind:?} API) is not available in this build yet; \
                 use a mock/... model (mock/echo) to run offline"
            )
            .replace("Openai", "OpenAI-compatible")),
            None => {
                let ready: Vec<&str> = self
                    .providers
                    .iter()
                    .filter(|(_, entry)| matches!(entry, ProviderEntry::Ready(_)))
                    .map(|(name, _)| name.as_str())
                    .collect();
                Err(format!(
                    "unknown provider '{provider}' in model '{model}' (available: {}; add [providers.{provider}] to llmspell.toml)",
                    ready.join(", ")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_mock_models_and_explains_the_rest() {
        let manager = ProviderManager::new(&Config::default());
        let (provider, id) = manager.resolve("mock/echo").unwrap();
        assert_eq!((provider.name(), id.as_str()), ("mock", "echo"));
        let err = manager.resolve("acme/x").err().unwrap();
        assert_eq!(
            err,
            "unknown provider 'acme' in model 'acme/x' (available: mock; add [providers.acme] to llmspell.toml)"
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
                .resolve("openai/gpt-4o")
                .err()
                .unwrap()
                .contains("not available in this build")
        );
    }
}
