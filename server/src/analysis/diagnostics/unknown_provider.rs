//! `unknown-provider`: a literal `model = "nowhere/x"` whose provider is neither built in nor
//! configured ([`AnalysisConfig::providers`], from `llmspell.toml`). Same rule and message as
//! the runtime's `Config::check_model`.

use llmspell_runtime::providers::BUILTIN_PROVIDERS;

use super::literals::{ApiCall, Event, visit};
use super::{AnalysisConfig, Rule};
use crate::analysis::literal::Lit;
use crate::analysis::{Diagnostic, Language, Severity};

pub const RULE: Rule = Rule {
    code: "unknown-provider",
    default_severity: Severity::Error,
    summary: "a model string names a provider that is neither built in nor configured",
    check_calls: Some(check_calls),
    check_lua: None,
    check_js: None,
};

fn check_calls(_: Language, calls: &[ApiCall], config: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    let mut known: Vec<&str> = BUILTIN_PROVIDERS.to_vec();
    known.extend(config.providers.iter().map(String::as_str));
    known.sort_unstable();
    known.dedup();
    visit(calls, |_, e| {
        let Event::Value {
            lit: Lit::String(model),
            range,
            field: Some(field),
            table: Some(table),
            ..
        } = e
        else {
            return;
        };
        if field.name != "model" || table.name != "AgentConfig" {
            return;
        }
        let provider = model.split_once('/').map_or(model.as_str(), |(p, _)| p);
        // A malformed model string is the runtime's to explain; this rule only names providers.
        if provider.is_empty() || known.contains(&provider) {
            return;
        }
        out.push(Diagnostic {
            range,
            severity: RULE.default_severity,
            code: RULE.code,
            message: format!(
                "unknown provider '{provider}' in '{model}' (known providers: {})",
                known.join(", ")
            ),
            fix: None,
        });
    });
}
