//! `deprecated-api`: use of a member or config field the definition marks `deprecated`, with
//! its message and replacement. The definition deprecates nothing today; the rule is ready for
//! the first deprecation and its logic is tested on a synthetic type below.

use llmspell_runtime::definition::{Deprecation, TypeDef, TypeKind};

use super::literals::{ApiCall, Event, join, visit};
use super::{AnalysisConfig, Rule};
use crate::analysis::js::ParsedJs;
use crate::analysis::js::types::Val as JsVal;
use crate::analysis::literal::Key;
use crate::analysis::lua::ParsedLua;
use crate::analysis::lua::types::{Val, display_name};
use crate::analysis::{Diagnostic, Language, Severity, TextRange};

pub const RULE: Rule = Rule {
    code: "deprecated-api",
    default_severity: Severity::Warning,
    summary: "a deprecated API member or config field is used",
    check_calls: Some(check_calls),
    check_lua: Some(check_lua),
    check_js: Some(check_js),
};

fn message(what: &str, d: &Deprecation) -> String {
    let mut m = format!("{what} is deprecated");
    if !d.message.trim().is_empty() {
        m.push_str(": ");
        m.push_str(d.message.trim());
    }
    if let Some(r) = &d.replacement {
        m.push_str(&format!(" (use {r})"));
    }
    m
}

/// The deprecation message for `ty`'s member (or table field) `name`, if it is deprecated.
fn deprecated_member(ty: &TypeDef, name: &str, sep: char) -> Option<String> {
    let d = match ty.kind {
        TypeKind::Table => ty.field(name)?.deprecated.as_ref()?,
        _ => ty.member(name)?.deprecated.as_ref()?,
    };
    Some(message(&format!("{}{sep}{name}", display_name(ty)), d))
}

/// Reports reading `name` of `ty` when the definition deprecates it.
fn report(ty: &TypeDef, name: &str, sep: char, range: TextRange, out: &mut Vec<Diagnostic>) {
    if let Some(message) = deprecated_member(ty, name, sep) {
        out.push(Diagnostic {
            range,
            severity: RULE.default_severity,
            code: RULE.code,
            message,
            fix: None,
        });
    }
}

fn check_lua(p: &ParsedLua, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for a in p.accesses() {
        if let Val::Type(ty) = a.receiver {
            let range = p.tokens.tokens[a.name_token].range;
            report(ty, p.token_text(a.name_token), a.sep, range, out);
        }
    }
}

fn check_js(p: &ParsedJs, _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    for a in p.accesses() {
        if let JsVal::Type(ty) = a.receiver {
            let range = p.tokens.tokens[a.name_token].range;
            report(ty, p.token_text(a.name_token), '.', range, out);
        }
    }
}

/// Deprecated fields set in config tables, in either language.
fn check_calls(_: Language, calls: &[ApiCall], _: &AnalysisConfig, out: &mut Vec<Diagnostic>) {
    visit(calls, |_, e| {
        let Event::Table { path, ty, lit } = e else {
            return;
        };
        for entry in &lit.entries {
            if let Key::Name { name, range } = &entry.key
                && let Some(d) = ty.field(name).and_then(|f| f.deprecated.as_ref())
            {
                out.push(Diagnostic {
                    range: *range,
                    severity: RULE.default_severity,
                    code: RULE.code,
                    message: message(&format!("field '{}'", join(path, name)), d),
                    fix: None,
                });
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic object type with one deprecated method: the definition has none yet.
    fn synthetic() -> TypeDef {
        serde_json::from_value(serde_json::json!({
            "name": "Gadget",
            "kind": "object",
            "member": [
                { "name": "old", "kind": "method",
                  "deprecated": { "message": "it leaks", "replacement": "gadget:new()" } },
                { "name": "new", "kind": "method" }
            ]
        }))
        .expect("a valid synthetic type")
    }

    #[test]
    fn reports_deprecated_members_only() {
        let ty = synthetic();
        assert_eq!(
            deprecated_member(&ty, "old", ':').as_deref(),
            Some("Gadget:old is deprecated: it leaks (use gadget:new())")
        );
        assert_eq!(deprecated_member(&ty, "new", ':'), None);
        assert_eq!(deprecated_member(&ty, "missing", ':'), None);
    }

    #[test]
    fn the_definition_deprecates_nothing_yet() {
        // When this fails, add a fixture for the first real deprecation.
        let def = crate::analysis::lua::types::def();
        let any = def.types.values().any(|t| {
            t.members.iter().any(|m| m.deprecated.is_some())
                || t.fields.iter().any(|f| f.deprecated.is_some())
        });
        assert!(!any);
    }
}
