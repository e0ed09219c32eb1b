//! `missing-required-field`: a config table without a required field (`Workflow.sequential{}`
//! without `steps`), or a step with none of `agent`, `tool`, `workflow`, `run`. Only tables
//! whose keys are all written out (`name = value`; no `[k] =`, no `...`) are checked: any other
//! may well hold the field.

use super::literals::{ApiCall, Event, join, visit};
use super::{AnalysisConfig, Rule};
use crate::analysis::literal::{Key, Lit, TableLit};
use crate::analysis::{Diagnostic, Language, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "missing-required-field",
    default_severity: Severity::Error,
    summary: "a config table lacks a required field",
    check_calls: Some(check_calls),
    check_lua: None,
    check_js: None,
};

/// Whether the table sets `name` to something that may be non-nil.
fn has(lit: &TableLit, name: &str) -> bool {
    lit.entries.iter().any(|e| {
        matches!(&e.key, Key::Name { name: n, .. } if n == name) && !matches!(e.value, Lit::Nil)
    })
}

fn check_calls(_: Language, calls: &[ApiCall], _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    visit(calls, |_, e| {
        let Event::Table { path, ty, lit } = e else {
            return;
        };
        if !lit.is_plain_record() {
            return;
        }
        // The opening brace: the whole table would underline too much.
        let range = TextRange::new(lit.range.start, lit.range.start + 1);
        let mut report = |message: String| {
            out.push(Diagnostic {
                range,
                severity: RULE.default_severity,
                code: RULE.code,
                message,
                fix: None,
            });
        };
        for field in ty.fields.iter().filter(|f| f.required) {
            if !has(lit, &field.name) {
                report(format!("field '{}' is required", join(path, &field.name)));
            }
        }
        if !ty.one_of.is_empty() && !ty.one_of.iter().any(|f| has(lit, f)) {
            let what = if path.is_empty() {
                "the table".to_owned()
            } else {
                format!("'{path}'")
            };
            report(format!("{what} needs one of {}", ty.one_of.join(", ")));
        }
    });
}
