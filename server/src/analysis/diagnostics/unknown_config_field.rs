//! `unknown-config-field`: a key of a config table (`Agent.create{}`, `Tool.register{}`,
//! `Workflow.*{}`, nested steps and branches) that the definition's table type lacks, with the
//! runtime's message and did-you-mean hint.

use llmspell_runtime::definition::validate::did_you_mean;

use super::literals::{ApiCall, Event, join, visit};
use super::{AnalysisConfig, Rule};
use crate::analysis::literal::{Key, Lit};
use crate::analysis::model::Fix;
use crate::analysis::{Diagnostic, Language, Severity};

pub const RULE: Rule = Rule {
    code: "unknown-config-field",
    default_severity: Severity::Error,
    summary: "a config table has a field its type does not declare",
    check_calls: Some(check_calls),
    check_lua: None,
    check_js: None,
};

fn check_calls(_: Language, calls: &[ApiCall], _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    visit(calls, |_, e| {
        let Event::Table { path, ty, lit } = e else {
            return;
        };
        for entry in &lit.entries {
            let Key::Name { name, range } = &entry.key else {
                continue;
            };
            // `x = nil` stores nothing, so the runtime never sees the key.
            if ty.field(name).is_some() || matches!(entry.value, Lit::Nil) {
                continue;
            }
            let suggestion = did_you_mean(name, ty.fields.iter().map(|f| f.name.as_str()));
            let hint = suggestion
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            out.push(Diagnostic {
                range: *range,
                severity: RULE.default_severity,
                code: RULE.code,
                message: format!("unknown field '{}'{hint}", join(path, name)),
                fix: suggestion.map(|s| Fix::replace(*range, s)),
            });
        }
    });
}
