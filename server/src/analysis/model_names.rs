//! Completion of model strings inside `model = "|"` (an agent's config): the default model of
//! `llmspell.toml`, `mock/echo`, and a `provider/` prefix for every provider the runtime would
//! accept, built in or configured, so the editor offers exactly the providers
//! `unknown-provider` does not flag.

use llmspell_runtime::providers::BUILTIN_PROVIDERS;

use crate::analysis::diagnostics::AnalysisConfig;
use crate::analysis::{Completion, CompletionKind, TextRange};

/// The model strings to offer, replacing `replace` (the string's content typed so far).
pub fn model_completions(config: &AnalysisConfig, replace: TextRange) -> Vec<Completion> {
    let item = |label: String, detail: &str| Completion {
        label,
        kind: CompletionKind::Value,
        detail: Some(detail.to_owned()),
        documentation: None,
        snippet: None,
        replace,
    };
    let mut out = Vec::new();
    if let Some(model) = &config.default_model {
        out.push(item(model.clone(), "default_model of llmspell.toml"));
    }
    out.push(item(
        "mock/echo".to_owned(),
        "offline mock provider: answers with the prompt",
    ));
    let mut providers: Vec<&str> = BUILTIN_PROVIDERS.to_vec();
    providers.extend(config.providers.iter().map(String::as_str));
    providers.sort_unstable();
    providers.dedup();
    for provider in providers {
        let detail = if BUILTIN_PROVIDERS.contains(&provider) {
            "built-in provider: the model id follows the slash"
        } else {
            "provider of llmspell.toml: the model id follows the slash"
        };
        out.push(item(format!("{provider}/"), detail));
    }
    out.dedup_by(|a, b| a.label == b.label);
    out
}

/// Whether `field` is the agent config's `model`, the one field these completions are for.
pub fn is_agent_model(field: &llmspell_runtime::definition::Field) -> bool {
    crate::analysis::lua::types::def()
        .type_def("AgentConfig")
        .and_then(|t| t.field("model"))
        .is_some_and(|model| std::ptr::eq(model, field))
}
