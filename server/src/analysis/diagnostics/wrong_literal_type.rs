//! `wrong-literal-type`: a literal of the wrong type for its field or argument
//! (`max_tokens = "x"`), a number outside the field's range (`temperature = 3`), or a string
//! not among its allowed values (`role = "bot"`). Messages are the runtime's.

use super::literals::{ApiCall, Event, kind_name, number, visit};
use super::{AnalysisConfig, Rule};
use crate::analysis::literal::Lit;
use crate::analysis::{Diagnostic, Language, Severity};

pub const RULE: Rule = Rule {
    code: "wrong-literal-type",
    default_severity: Severity::Error,
    summary: "a literal value has the wrong type, is out of range or not an allowed value",
    check_calls: Some(check_calls),
    check_lua: None,
    check_js: None,
};

fn check_calls(_: Language, calls: &[ApiCall], _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    visit(calls, |_, e| {
        let (range, message) = match e {
            Event::Mismatch {
                what,
                expected,
                lit,
                range,
            } => (
                range,
                format!("{what} must be {expected}, got {}", kind_name(lit)),
            ),
            Event::Value {
                path,
                lit,
                range,
                field: Some(field),
                ..
            } => {
                if let Some(n) = number(lit) {
                    let below = field.min.is_some_and(|min| n < min);
                    let above = field.max.is_some_and(|max| n > max);
                    if !(below || above) {
                        return;
                    }
                    let bounds = match (field.min, field.max) {
                        (Some(min), Some(max)) => format!("between {min} and {max}"),
                        (Some(min), None) => format!("at least {min}"),
                        (None, Some(max)) => format!("at most {max}"),
                        (None, None) => return,
                    };
                    (range, format!("field '{path}' must be {bounds}, got {n}"))
                } else if let (Some(values), Lit::String(s)) = (&field.values, lit) {
                    if values.iter().any(|v| v == s) {
                        return;
                    }
                    (
                        range,
                        format!(
                            "field '{path}' must be one of {}, got \"{s}\"",
                            values.join(", ")
                        ),
                    )
                } else {
                    return;
                }
            }
            _ => return,
        };
        out.push(Diagnostic {
            range,
            severity: RULE.default_severity,
            code: RULE.code,
            message,
            fix: None,
        });
    });
}
